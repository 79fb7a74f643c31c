"""Only Alexa gets in: real signatures over real bodies, checked by the production verifier.

Each refusal is a 400 with a reason; each test breaks exactly one rule of Amazon's
"host a custom skill as a web service" checklist.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from asn1crypto import pem

from skill.app import create_app
from skill.config import Settings
from skill.local.envelopes import timestamp
from skill.verification import build_verifiers
from tests.conftest import read_request
from tests.security.conftest import FakeCertHost, MakeSigned, SignedClient, refusal
from tests.security.pki import CERT_URL, Pki

VERIFICATION_FAILED = "request verification failed: "


def speech(answer: Any) -> str:
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return answer.get_json()["response"]["outputSpeech"]["ssml"]


def test_a_correctly_signed_fresh_request_is_answered(signed: SignedClient, launch: dict[str, Any]) -> None:
    assert "Leg Day Coach" in speech(signed.post(launch))
    assert signed.host.calls == [CERT_URL]


def test_the_validated_chain_is_reused_and_every_body_is_still_checked(
    signed: SignedClient, launch: dict[str, Any]
) -> None:
    assert signed.post(launch).status_code == 200
    assert signed.post(read_request("help")).status_code == 200
    tampered = json.dumps(read_request("help")).encode()
    assert "Request body is not valid" in refusal(signed.post(tampered, sent_body=tampered.replace(b"1.0", b"1.1")))
    assert signed.host.calls == [CERT_URL]


# --- the body and its signature -------------------------------------------------------------


def test_a_tampered_body_is_refused(signed: SignedClient, launch: dict[str, Any]) -> None:
    raw = json.dumps(launch).encode()
    other_user = raw.replace(launch["context"]["System"]["user"]["userId"].encode(), b"amzn1.ask.account.MALLORY")
    assert other_user != raw
    reason = refusal(signed.post(raw, sent_body=other_user))
    assert reason.startswith(VERIFICATION_FAILED)
    assert "Request body is not valid" in reason


def test_a_body_with_one_extra_space_is_refused(signed: SignedClient, launch: dict[str, Any]) -> None:
    raw = json.dumps(launch).encode()
    assert "Request body is not valid" in refusal(signed.post(raw, sent_body=raw + b" "))


def test_a_signature_from_another_key_is_refused(signed: SignedClient, pki: Pki, launch: dict[str, Any]) -> None:
    assert "Request body is not valid" in refusal(signed.post(launch, key=pki.other_key))


def test_a_signature_that_is_not_base64_is_refused(signed: SignedClient, launch: dict[str, Any]) -> None:
    raw = json.dumps(launch).encode()
    answer = signed.client.post(
        "/alexa", data=raw, headers={"SignatureCertChainUrl": CERT_URL, "Signature-256": "not*base64!"}
    )
    assert "Request signature is not valid base64" in refusal(answer)


@pytest.mark.parametrize(
    "missing",
    [("Signature-256",), ("SignatureCertChainUrl",), ("Signature-256", "SignatureCertChainUrl")],
    ids=["signature", "cert-url", "both"],
)
def test_missing_headers_are_refused(signed: SignedClient, launch: dict[str, Any], missing: tuple[str, ...]) -> None:
    reason = refusal(signed.post(launch, drop_headers=missing))
    assert reason == VERIFICATION_FAILED + "Missing Signature/Certificate for the skill request"
    assert signed.host.calls == []


def test_the_retired_sha1_signature_header_alone_is_not_enough(
    signed: SignedClient, launch: dict[str, Any]
) -> None:
    raw = json.dumps(launch).encode()
    answer = signed.client.post(
        "/alexa", data=raw, headers={"SignatureCertChainUrl": CERT_URL, "Signature": "c2lnbmF0dXJl"}
    )
    assert "Missing Signature/Certificate" in refusal(answer)


# --- the certificate URL ----------------------------------------------------------------------

ACCEPTED_URLS = [
    "https://s3.amazonaws.com/echo.api/echo-api-cert.pem",
    "HTTPS://s3.amazonaws.com/echo.api/echo-api-cert.pem",
    "https://S3.AMAZONAWS.COM/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com:443/echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert.pem",
    "https://s3.amazonaws.com/invalid.path/../echo.api/echo-api-cert.pem",
]

REFUSED_URLS = [
    ("http://s3.amazonaws.com/echo.api/echo-api-cert.pem", "invalid protocol"),
    ("ftp://s3.amazonaws.com/echo.api/echo-api-cert.pem", "invalid protocol"),
    ("https://notamazon.com/echo.api/echo-api-cert.pem", "invalid hostname"),
    ("https://s3.amazonaws.com.evil.example/echo.api/echo-api-cert.pem", "invalid hostname"),
    ("https://s3.amazonaws.com@evil.example/echo.api/echo-api-cert.pem", "invalid hostname"),
    ("https:///echo.api/echo-api-cert.pem", "invalid hostname"),
    ("https://s3.amazonaws.com:563/echo.api/echo-api-cert.pem", "invalid port"),
    ("https://s3.amazonaws.com:8443/echo.api/echo-api-cert.pem", "invalid port"),
    ("https://s3.amazonaws.com:99999/echo.api/echo-api-cert.pem", "URL is malformed"),
    ("https://s3.amazonaws.com/EcHo.aPi/echo-api-cert.pem", "invalid path"),
    ("https://s3.amazonaws.com/ECHO.API/echo-api-cert.pem", "invalid path"),
    ("https://s3.amazonaws.com/invalid.path/echo-api-cert.pem", "invalid path"),
    ("https://s3.amazonaws.com/echo.api/../invalid.path/echo-api-cert.pem", "invalid path"),
    ("https://s3.amazonaws.com/echo.api/../../echo-api-cert.pem", "invalid path"),
    ("https://s3.amazonaws.com//echo.api/echo-api-cert.pem", "invalid path"),
    ("https://s3.amazonaws.com/echo.apix/echo-api-cert.pem", "invalid path"),
    ("https://s3.amazonaws.com/echo.api", "invalid path"),
    ("", "Missing Signature/Certificate"),
    ("s3.amazonaws.com/echo.api/echo-api-cert.pem", "invalid protocol"),
    ("https://[s3.amazonaws.com/echo.api/echo-api-cert.pem", "URL is malformed"),
]


@pytest.mark.parametrize("url", ACCEPTED_URLS)
def test_certificate_urls_that_follow_the_rules_are_accepted(
    signed: SignedClient, launch: dict[str, Any], url: str
) -> None:
    assert signed.post(launch, cert_url=url).status_code == 200
    assert signed.host.calls == ["https://s3.amazonaws.com/echo.api/echo-api-cert.pem"]  # the canonical form


@pytest.mark.parametrize(("url", "reason"), REFUSED_URLS)
def test_certificate_urls_that_break_a_rule_are_refused_without_downloading(
    signed: SignedClient, launch: dict[str, Any], url: str, reason: str
) -> None:
    assert reason in refusal(signed.post(launch, cert_url=url))
    assert signed.host.calls == []


# --- the certificate chain -------------------------------------------------------------------


def forged(certificate_pem: bytes) -> bytes:
    """The certificate with one bit of its issuer's signature flipped (the last bytes are the signature)."""
    der = pem.unarmor(certificate_pem)[2]
    return pem.armor("CERTIFICATE", der[:-1] + bytes([der[-1] ^ 0x01]))


def chain_of(pki: Pki, name: str) -> bytes:
    chains = {
        "forged-issuer-signature": forged(pki.signer.pem) + pki.intermediate.pem,
        "expired": pki.chain(pki.expired),
        "not-yet-valid": pki.chain(pki.not_yet_valid),
        "without-san": pki.chain(pki.without_san),
        "other-domain": pki.chain(pki.wrong_domain),
        "no-signing-usage": pki.chain(pki.no_signing_usage),
        "untrusted-root": pki.rogue_chain(),
        "self-signed": pki.self_signed.pem,
        "missing-intermediate": pki.signer.pem,
        "root-in-chain-only": pki.signer.pem + pki.root.pem,
        "not-pem": b"these are not the certificates you are looking for",
        "empty": b"",
        "pem-but-no-certificate": b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
        "truncated": pki.chain()[:700],
        "oversized": pki.chain() + b"\n" + b"x" * (70 * 1024),
    }
    return chains[name]


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("forged-issuer-signature", "signature"),
        ("expired", "expired"),
        ("not-yet-valid", "not valid until"),
        ("without-san", "no subject alternative names"),
        ("other-domain", "not issued for echo-api.amazon.com"),
        ("no-signing-usage", "digital signature"),
        ("untrusted-root", "Certificate chain is not valid"),
        ("self-signed", "Certificate chain is not valid"),
        ("missing-intermediate", "Certificate chain is not valid"),
        ("not-pem", "not PEM"),
        ("empty", "not PEM"),
        ("pem-but-no-certificate", "could not be read"),
        ("truncated", "could not be read"),
        ("oversized", "larger than 65536 bytes"),
    ],
)
def test_bad_signing_certificates_and_chains_are_refused(
    make_signed: MakeSigned, pki: Pki, launch: dict[str, Any], name: str, reason: str
) -> None:
    # The body is signed with the very key each bad certificate holds: only the certificate is wrong.
    signed = make_signed(chain=chain_of(pki, name))
    assert reason.lower() in refusal(signed.post(launch)).lower()


def test_a_bad_chain_is_not_cached(make_signed: MakeSigned, pki: Pki, launch: dict[str, Any]) -> None:
    signed = make_signed(chain=pki.rogue_chain())
    refusal(signed.post(launch))
    signed.host.chain = pki.chain()
    assert signed.post(read_request("help")).status_code == 200
    assert signed.host.calls == [CERT_URL, CERT_URL]


def test_the_operating_system_trust_store_does_not_trust_the_test_ca(
    make_signed: MakeSigned, launch: dict[str, Any]
) -> None:
    """Production trusts the OS roots, and the chain validation really runs against them."""
    signed = make_signed()
    settings = Settings(data_dir=signed.settings.data_dir, verify_requests=True)
    production = build_verifiers(settings, cert_fetcher=signed.host)  # no trust_roots: the OS store
    signed.client = create_app(settings, verifiers=production).test_client()
    assert "Certificate chain is not valid" in refusal(signed.post(launch))


# --- the timestamp ----------------------------------------------------------------------------


def at(body: dict[str, Any], seconds_from_now: float) -> dict[str, Any]:
    body["request"]["timestamp"] = timestamp(datetime.now(timezone.utc) + timedelta(seconds=seconds_from_now))
    return body


@pytest.mark.parametrize("seconds", [-140, -5, 0, 5, 140])
def test_a_timestamp_within_150_seconds_is_accepted(signed: SignedClient, seconds: float) -> None:
    assert signed.post(at(read_request("launch"), seconds)).status_code == 200


@pytest.mark.parametrize("seconds", [-152, -3600, 152, 86400 * 365])
def test_a_timestamp_more_than_150_seconds_away_is_refused(signed: SignedClient, seconds: float) -> None:
    assert "Timestamp verification failed" in refusal(signed.post(at(read_request("launch"), seconds)))


def test_a_signed_replay_of_an_old_request_is_refused(signed: SignedClient) -> None:
    old = at(read_request("set_done"), -600)
    assert "Timestamp verification failed" in refusal(signed.post(old))


def test_a_timestamp_without_a_time_zone_is_refused_not_crashed_on(signed: SignedClient) -> None:
    body = read_request("launch")
    body["request"]["timestamp"] = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    assert "no time zone" in refusal(signed.post(body))


def test_a_skill_event_may_be_up_to_an_hour_old(signed: SignedClient, launch: dict[str, Any]) -> None:
    event = at(launch, -1800)
    event["request"] = {**event["request"], "type": "AlexaSkillEvent.SkillEnabled"}
    event["request"].pop("locale", None)
    event.pop("session", None)
    assert signed.post(event).status_code == 200


# --- the skill id -----------------------------------------------------------------------------

SKILL_ID = "amzn1.ask.skill.11111111-2222-3333-4444-555555555555"


def for_skill(body: dict[str, Any], application_id: str) -> dict[str, Any]:
    body["context"]["System"]["application"]["applicationId"] = application_id
    if body.get("session"):
        body["session"]["application"]["applicationId"] = application_id
    return body


def test_a_request_for_another_skill_is_refused_when_the_skill_id_is_set(make_signed: MakeSigned) -> None:
    signed = make_signed(skill_id=SKILL_ID)
    other = for_skill(read_request("launch"), "amzn1.ask.skill.99999999-0000-0000-0000-000000000000")
    assert refusal(signed.post(other)) == "request is for a different skill"
    assert signed.post(for_skill(read_request("launch"), SKILL_ID)).status_code == 200


def test_any_skill_id_is_accepted_when_none_is_set(signed: SignedClient) -> None:
    other = for_skill(read_request("launch"), "amzn1.ask.skill.99999999-0000-0000-0000-000000000000")
    assert signed.post(other).status_code == 200


# --- size ----------------------------------------------------------------------------------------


def test_an_oversized_body_is_refused_with_413_before_anything_else(
    make_signed: MakeSigned, launch: dict[str, Any]
) -> None:
    signed = make_signed(max_body_bytes=4096)
    launch["padding"] = "x" * 5000
    answer = signed.post(launch)
    assert answer.status_code == 413
    assert "error" in answer.get_json()
    # Not even the certificate was fetched: the body was refused before parsing or verification.
    assert signed.host.calls == []
    not_json = signed.client.post("/alexa", data=b"{" * 5000, content_type="application/json")
    assert not_json.status_code == 413


def test_a_body_just_under_the_limit_is_processed(make_signed: MakeSigned, launch: dict[str, Any]) -> None:
    signed = make_signed(max_body_bytes=4096)
    raw = json.dumps(launch).encode()
    launch["padding"] = "x" * (4096 - len(raw) - len(', "padding": ""'))
    body = json.dumps(launch).encode()
    assert len(body) == 4096
    assert signed.post(body).status_code == 200


def test_the_skill_id_is_read_from_legday_skill_id(
    monkeypatch: pytest.MonkeyPatch, pki: Pki, tmp_path: Any
) -> None:
    monkeypatch.setenv("LEGDAY_SKILL_ID", SKILL_ID)
    monkeypatch.setenv("LEGDAY_VERIFY_REQUESTS", "1")
    monkeypatch.delenv("LEGDAY_DEV", raising=False)
    monkeypatch.setenv("LEGDAY_DATA_DIR", str(tmp_path))
    settings = Settings.from_env()
    host = FakeCertHost(pki.chain())
    app = create_app(None, verifiers=build_verifiers(settings, cert_fetcher=host, trust_roots=[pki.root.cert]))
    signed = SignedClient(app.test_client(), pki, host, settings)
    other = for_skill(read_request("launch"), "amzn1.ask.skill.99999999-0000-0000-0000-000000000000")
    assert refusal(signed.post(other)) == "request is for a different skill"
    assert signed.post(for_skill(read_request("launch"), SKILL_ID)).status_code == 200
