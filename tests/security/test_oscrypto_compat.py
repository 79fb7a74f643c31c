"""The oscrypto version-detection fix: applied only where needed, changing nothing but two patterns.

Chain validation must stay whole with it: certvalidator still checks every signature in the path
with oscrypto's libcrypto, and still refuses a chain that does not end in a trusted root.
"""

from __future__ import annotations

import difflib
import importlib.util
import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from asn1crypto import pem

from skill import oscrypto_compat
from skill.oscrypto_compat import REPLACEMENTS, OscryptoVersionFinder, needs_patch, patch_source
from tests.security.pki import Pki

BROKEN_OPENSSL = re.compile("\\b(\\d\\.\\d\\.\\d[a-z]*)\\b")
FIXED_OPENSSL = re.compile("\\b(\\d+\\.\\d+\\.\\d+[a-z]*)\\b")
FIXED_LIBRESSL = re.compile("(?<=LibreSSL )(\\d+\\.\\d+(\\.\\d+)?)\\b")
REPO = Path(__file__).resolve().parents[2]


def installed_oscrypto_sources() -> dict[str, str]:
    spec = importlib.util.find_spec("oscrypto")
    assert spec is not None and spec.submodule_search_locations
    folder = Path(next(iter(spec.submodule_search_locations))) / "_openssl"
    return {name: (folder / f"{name}.py").read_text(encoding="utf-8") for name in ("_libcrypto_cffi", "_libcrypto_ctypes")}


def run_fresh(code: str) -> dict[str, object]:
    """Run ``code`` in a new interpreter (nothing imported yet) and return the JSON it prints."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- the patterns --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("version_string", "version"),
    [
        ("OpenSSL 3.0.19 27 Jan 2026", "3.0.19"),
        ("OpenSSL 3.0.10 1 Aug 2023", "3.0.10"),
        ("OpenSSL 3.10.2 1 Jan 2030", "3.10.2"),
        ("OpenSSL 1.1.1w  11 Sep 2023", "1.1.1w"),
        ("OpenSSL 3.0.2 15 Mar 2022", "3.0.2"),
    ],
)
def test_the_fixed_pattern_reads_every_openssl_version(version_string: str, version: str) -> None:
    match = FIXED_OPENSSL.search(version_string)
    assert match is not None and match.group(1) == version


def test_the_broken_pattern_cannot_read_a_two_digit_part() -> None:
    assert BROKEN_OPENSSL.search("OpenSSL 3.0.19 27 Jan 2026") is None
    assert BROKEN_OPENSSL.search("OpenSSL 3.0.2 15 Mar 2022") is not None


def test_the_fixed_libressl_pattern_reads_two_digit_parts() -> None:
    match = FIXED_LIBRESSL.search("LibreSSL 3.10.12")
    assert match is not None and match.group(1) == "3.10.12"


def test_patching_changes_exactly_the_two_patterns_in_the_installed_oscrypto() -> None:
    for name, source in installed_oscrypto_sources().items():
        if not needs_patch(source):
            pytest.skip(f"the installed oscrypto has no broken pattern in {name} (fixed upstream)")
        patched = patch_source(source)
        assert not needs_patch(patched)
        changed = [
            line for line in difflib.unified_diff(source.splitlines(), patched.splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))
        ]
        assert len(changed) == 2 * len(REPLACEMENTS), changed
        for broken, fixed in REPLACEMENTS:
            assert any(broken in line for line in changed if line.startswith("-"))
            assert any(fixed in line for line in changed if line.startswith("+"))
        compile(patched, name, "exec")


# --- the finder ----------------------------------------------------------------------------------

BROKEN_MODULE = "import re\nPATTERN = '\\\\b(\\\\d\\\\.\\\\d\\\\.\\\\d[a-z]*)\\\\b'\n"


def test_the_finder_ignores_every_other_module() -> None:
    finder = OscryptoVersionFinder()
    assert finder.find_spec("json", None) is None
    assert finder.find_spec("oscrypto._openssl._libcrypto", None) is None


def test_the_finder_patches_a_module_that_needs_it_and_writes_no_bytecode(tmp_path: Path) -> None:
    (tmp_path / "_libcrypto_cffi.py").write_text(BROKEN_MODULE, encoding="utf-8")
    assert needs_patch(BROKEN_MODULE)
    spec = OscryptoVersionFinder().find_spec("oscrypto._openssl._libcrypto_cffi", [str(tmp_path)])
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.PATTERN == FIXED_OPENSSL.pattern
    assert not (tmp_path / "__pycache__").exists()


def test_the_finder_steps_aside_when_oscrypto_is_already_fixed(tmp_path: Path) -> None:
    (tmp_path / "_libcrypto_cffi.py").write_text(patch_source(BROKEN_MODULE), encoding="utf-8")
    assert OscryptoVersionFinder().find_spec("oscrypto._openssl._libcrypto_cffi", [str(tmp_path)]) is None


def test_the_finder_steps_aside_when_the_module_is_not_there(tmp_path: Path) -> None:
    assert OscryptoVersionFinder().find_spec("oscrypto._openssl._libcrypto_cffi", [str(tmp_path)]) is None


def test_installing_twice_adds_one_finder() -> None:
    oscrypto_compat.install()
    oscrypto_compat.install()
    assert sum(isinstance(finder, OscryptoVersionFinder) for finder in sys.meta_path) == 1
    assert oscrypto_compat.is_installed()


def test_uninstall_removes_the_finder_and_install_puts_it_back_first() -> None:
    try:
        oscrypto_compat.uninstall()
        assert not oscrypto_compat.is_installed()
    finally:
        oscrypto_compat.install()
    assert isinstance(sys.meta_path[0], OscryptoVersionFinder)


# --- in a fresh interpreter: needed here, harmless elsewhere, and oscrypto really works -----------

PROBE = """
    import json, re, sys
    result = {}
    try:
        import certvalidator  # noqa: F401
        result["plain_import"] = "ok"
    except Exception as error:
        result["plain_import"] = type(error).__name__
    for name in [m for m in sys.modules if m.startswith(("oscrypto", "certvalidator"))]:
        del sys.modules[name]
    from skill import oscrypto_compat
    oscrypto_compat.install()
    import oscrypto, certvalidator  # noqa: F401
    from oscrypto._openssl import _libcrypto
    result["backend"] = oscrypto.backend()
    binding = sys.modules.get("oscrypto._openssl._libcrypto_cffi") or sys.modules["oscrypto._openssl._libcrypto_ctypes"]
    result["version_string"] = binding.version_string
    result["version_info"] = list(_libcrypto.libcrypto_version_info)
    result["patched"] = sorted(
        name for name, module in sys.modules.items()
        if type(getattr(getattr(module, "__spec__", None), "loader", None)).__name__ == "_PatchedSourceLoader"
    )
    print(json.dumps(result))
"""


def test_the_patch_is_applied_exactly_when_the_installed_oscrypto_cannot_read_this_openssl() -> None:
    result = run_fresh(PROBE)
    assert result["backend"] == "openssl"
    version_string = str(result["version_string"])
    match = FIXED_OPENSSL.search(version_string)
    assert match is not None, version_string
    expected = [int(part) for part in re.findall(r"\d+", match.group(1))[:3]]
    assert result["version_info"][: len(expected)] == expected  # type: ignore[index]

    unreadable = BROKEN_OPENSSL.search(version_string) is None
    broken_installed = any(needs_patch(source) for source in installed_oscrypto_sources().values())
    if unreadable and broken_installed:
        # This machine's case: the plain import fails, and the patch is what makes it work.
        assert result["plain_import"] == "LibraryNotFoundError"
        assert result["patched"], "the finder should have patched oscrypto's libcrypto module"
    else:
        assert result["plain_import"] == "ok"
    if not broken_installed:
        assert result["patched"] == []
    assert set(result["patched"]) <= set(oscrypto_compat.PATCHED_MODULES)  # type: ignore[arg-type]


# --- chain validation stays whole -------------------------------------------------------------------


def _ders(chain: bytes) -> list[bytes]:
    return [der for _, _, der in pem.unarmor(chain, multiple=True)]


def test_certvalidator_accepts_a_chain_to_a_trusted_root(pki: Pki) -> None:
    from certvalidator import CertificateValidator, ValidationContext

    leaf, *others = _ders(pki.chain())
    context = ValidationContext(trust_roots=[pki.root.pem])
    path = CertificateValidator(leaf, others, validation_context=context).validate_usage({"digital_signature"})
    assert len(path) == 3


def test_certvalidator_still_refuses_an_untrusted_root(pki: Pki) -> None:
    from certvalidator import CertificateValidator, ValidationContext
    from certvalidator.errors import PathBuildingError

    leaf, *others = _ders(pki.rogue_chain())
    context = ValidationContext(trust_roots=[pki.root.pem])
    with pytest.raises(PathBuildingError):
        CertificateValidator(leaf, others, validation_context=context).validate_usage({"digital_signature"})


def test_certvalidator_still_checks_signatures_with_oscrypto(pki: Pki) -> None:
    """A signing certificate whose issuer signature was altered fails: oscrypto's libcrypto really verifies."""
    from certvalidator import CertificateValidator, ValidationContext
    from certvalidator.errors import PathValidationError

    leaf, *others = _ders(pki.chain())
    forged = leaf[:-1] + bytes([leaf[-1] ^ 0x01])  # the last byte belongs to the signature
    context = ValidationContext(trust_roots=[pki.root.pem])
    with pytest.raises(PathValidationError, match="signature"):
        CertificateValidator(forged, others, validation_context=context).validate_usage({"digital_signature"})
