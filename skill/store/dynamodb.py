"""The DynamoDB store, for the skill on AWS Lambda: live records with revisions, and the training log.

Two tables, both created by the stack in serverless.yml, never by the skill:

- the live table (partition key ``id``): one item per owner, ``{id, record, revision, updated_at,
  summary_at}`` with the record as JSON text and the revision that last wrote the summary; plus one item per account that has persons,
  ``{id: "<user id>#persons", persons: {person ids}}``, so that deleting an account finds them.
  Items saved before revisions existed hold the record as a map under ``attributes`` and no
  revision: they read as revision 1 and become the new shape on their next write, which is
  conditional on their still having no revision.
- the log table (partition key ``id``, sort key ``sk``): per finished workout, one item
  ``w#<finished at>#<workout id>`` with the whole entry, and one ``x#<exercise>#<finished at>#<workout id>``
  per exercise with its slice. A page is one Query on a range of sort keys, newest first. And one
  item ``summary`` per owner: the summary of their log, ``{id, sk, written_at, body}``. It lives
  there, not in the live item, because DynamoDB charges a read or a write by the size of the whole
  item: in the live item it would be paid for on every turn. It is written only by the transaction
  that finishes a workout, and read only by turns that ask for it, with the record in one
  TransactGetItems (a consistent pair) or alone with GetItem. Deleting the owner's log deletes it.

Every write of a live record is conditional on the revision the turn read (a ConditionExpression);
a turn that also appends to the log writes everything in one TransactWriteItems. A refused
condition is StaleRecord; anything else that stops a call (a timeout, a missing table, an endpoint
that does not answer) is StoreUnavailable. The client has short connect and read timeouts and
few retries, so a turn never waits on DynamoDB for long.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from skill.store.cache import FIRST_RANDOM_REVISION, RecordCache, first_revision, now_text, record_from_text
from skill.store.records import (
    NO_RECORD,
    CorruptAttributes,
    Loaded,
    LogItem,
    Owner,
    SaveOutcomeUnknown,
    StaleRecord,
    StoreUnavailable,
    check_exercise,
    page_limit,
)

if TYPE_CHECKING:
    from skill.config import Settings

PARTITION_KEY = "id"
SORT_KEY = "sk"
# Where items saved before revisions existed keep the record (as a DynamoDB map).
LEGACY_ATTRIBUTE = "attributes"
# The revision such an item reads as; new records start above it (see skill/store/cache.py).
LEGACY_REVISION = FIRST_RANDOM_REVISION - 1
PERSONS_SUFFIX = "#persons"
WORKOUT_PREFIX = "w#"
EXERCISE_PREFIX = "x#"
# The sort key of an owner's summary in the log table (outside the "w#" and "x#" ranges of pages).
SUMMARY_KEY = "summary"
# Above every ISO 8601 time: the open end of a page.
LATEST = "\uffff"
# A key no owner has, read and (never) written by health().
HEALTH_KEY = "#health"
# At most this many calls in all for one operation (the first and one retry): with the timeouts in
# Settings, a DynamoDB that does not answer fails a turn in a few seconds, well inside Alexa's 8.
MAX_ATTEMPTS = 2
# DynamoDB's own limits: items in one transaction, and in one batch write.
TRANSACTION_ITEMS = 100
BATCH_ITEMS = 25
# Lambda always sets AWS_REGION; elsewhere (a laptop, CI, a local DynamoDB) nothing may be set.
FALLBACK_REGION = "us-east-1"
# The record's write: every attribute by name, as some (RECORD is one) are reserved words.
SET_RECORD = "SET #record = :record, #revision = :revision, #updated = :now REMOVE #legacy"
# The same, by the save that writes the summary: the record names the revision that wrote it.
SET_RECORD_AND_SUMMARY = ("SET #record = :record, #revision = :revision, #updated = :now, #summary_at = :revision "
                          "REMOVE #legacy")
NAMES = {"#record": "record", "#revision": "revision", "#updated": "updated_at", "#legacy": LEGACY_ATTRIBUTE}
CONDITIONS = {
    "new": "attribute_not_exists(#revision) AND attribute_not_exists(#legacy)",
    "legacy": "attribute_exists(#legacy) AND attribute_not_exists(#revision)",
    "revision": "#revision = :based_on",
}
# A transaction refused for one of these wrote nothing because the record moved on (or was moving).
STALE_REASONS = {"ConditionalCheckFailed", "TransactionConflict"}


def aws_region(environ: Mapping[str, str] | None = None) -> str:
    """The region to talk to: AWS_REGION (set by Lambda), else AWS_DEFAULT_REGION, else us-east-1."""
    env = os.environ if environ is None else environ
    return env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or FALLBACK_REGION


def from_dynamodb(value: Any) -> Any:
    """A value in DynamoDB's typed form (``{"N": "3"}``, ``{"M": {...}}``) as plain Python:
    numbers as the int (or float) that was saved."""
    ((kind, inner),) = value.items()
    if kind == "N":
        number = Decimal(inner)
        return int(number) if number == number.to_integral_value() else float(number)
    if kind == "M":
        return {key: from_dynamodb(item) for key, item in inner.items()}
    if kind == "L":
        return [from_dynamodb(item) for item in inner]
    if kind == "NULL":
        return None
    if kind in ("S", "BOOL"):
        return inner
    if kind in ("SS", "NS"):
        return [from_dynamodb({kind[0]: item}) for item in inner]
    raise ValueError(f"a stored value of type {kind} is not part of a record")


def _text(value: str) -> dict[str, str]:
    return {"S": value}


def _json(value: Any) -> dict[str, str]:
    return {"S": json.dumps(value, separators=(",", ":"), allow_nan=False)}


class DynamoDbStore:
    """The RecordStore over two DynamoDB tables (live records, training log) through one client."""

    def __init__(self, client: Any, table: str, log_table: str, cache_size: int | None = None) -> None:
        self.client = client
        self.table = table
        self.log_table = log_table
        self._cache = RecordCache() if cache_size is None else RecordCache(cache_size)
        from botocore.exceptions import BotoCoreError, ClientError

        self._client_errors: tuple[type[Exception], ...] = (BotoCoreError, ClientError)

    @contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        """Any failure of a call as StoreUnavailable, naming what was being done."""
        try:
            yield
        except self._client_errors as error:
            raise StoreUnavailable(f"could not {doing}: {_first_line(error)}") from error

    # --- the live record ------------------------------------------------------------------------

    def load(self, owner: Owner, seen: int | None = None, *, with_summary: bool = False) -> Loaded:
        """The owner's record; read from the table unless this worker holds revision ``seen`` of it.
        With ``with_summary``, the summary too, in the same call (unless this worker holds it).

        The attributes returned may be shared with later turns: read them, never change them.
        """
        key = owner.key
        if (held := self._cache.held(key, seen)) is not None:
            if with_summary and held.summary_at is not None:
                self.load_summary(owner, held.summary_at)
            return held
        with self._errors("read progress"):
            if with_summary:
                live, summary = (answer.get("Item") for answer in self.client.transact_get_items(TransactItems=[
                    {"Get": {"TableName": self.table, "Key": {PARTITION_KEY: _text(key)}}},
                    {"Get": {"TableName": self.log_table, "Key": self._summary_key(key)}},
                ])["Responses"])
            else:
                live, summary = self.client.get_item(
                    TableName=self.table, Key={PARTITION_KEY: _text(key)}, ConsistentRead=True,
                ).get("Item"), None
        if live is None or ("revision" not in live and LEGACY_ATTRIBUTE not in live):
            self._cache.forget(key)
            return Loaded({}, NO_RECORD)
        revision, attributes = _record_of(live)
        summary_at = int(live["summary_at"]["N"]) if "summary_at" in live else None
        self._cache.remember(key, revision, attributes, summary_at)
        if summary is not None:
            self._cache.remember_summary(key, *_summary_of(summary))
        return Loaded(attributes, revision, summary_at)

    def load_summary(self, owner: Owner, at: int | None) -> dict[str, Any] | None:
        """The summary written at revision ``at``: this worker's copy if it holds that one, else read."""
        def read() -> tuple[int, dict[str, Any]] | None:
            with self._errors("read the training summary"):
                item = self.client.get_item(TableName=self.log_table, Key=self._summary_key(owner.key),
                                            ConsistentRead=True).get("Item")
            return None if item is None else _summary_of(item)

        return self._cache.summary_or_read(owner.key, at, read)

    @staticmethod
    def _summary_key(key: str) -> dict[str, Any]:
        return {PARTITION_KEY: _text(key), SORT_KEY: _text(SUMMARY_KEY)}


    def save(self, owner: Owner, attributes: dict[str, Any], based_on: int | None,
             log: Sequence[LogItem] = (), summary: dict[str, Any] | None = None) -> int:
        """Write ``attributes`` if the record is still at revision ``based_on``, append ``log`` and
        write ``summary`` (if given), atomically; the new revision.

        Raises StaleRecord when it is not (the record changed since it was read): nothing is written
        and nothing appended. ``attributes`` is kept as this worker's copy: never change it afterwards.
        """
        key = owner.key
        fresh = based_on in (None, NO_RECORD, LEGACY_REVISION)
        revision = first_revision() if fresh else based_on + 1  # type: ignore[operator]
        update: dict[str, Any] = {
            "TableName": self.table,
            "Key": {PARTITION_KEY: _text(key)},
            "UpdateExpression": SET_RECORD if summary is None else SET_RECORD_AND_SUMMARY,
            "ExpressionAttributeNames": dict(NAMES),
            "ExpressionAttributeValues": {
                ":record": _json(attributes), ":revision": {"N": str(revision)}, ":now": _text(now_text()),
            },
        }
        if based_on is not None:
            condition = {NO_RECORD: "new", LEGACY_REVISION: "legacy"}.get(based_on, "revision")
            update["ConditionExpression"] = CONDITIONS[condition]
            if condition == "revision":
                update["ExpressionAttributeValues"][":based_on"] = {"N": str(based_on)}
        others = self._log_puts(key, log)
        if summary is not None:
            update["ExpressionAttributeNames"]["#summary_at"] = "summary_at"
            others.append({"Put": {"TableName": self.log_table, "Item": {
                **self._summary_key(key), "written_at": {"N": str(revision)}, "body": _json(summary)}}})
        if owner.person_id is not None and based_on in (None, NO_RECORD):
            others.insert(0, {"Update": self._person_registration(owner)})
        try:
            if others:
                self._transact([{"Update": update}, *others])
            else:
                self._update(update)
        except (StaleRecord, SaveOutcomeUnknown):
            self._cache.forget(key)
            raise
        self._cache.saved(key, based_on, revision, attributes, summary)
        return revision

    def _update(self, update: dict[str, Any]) -> None:
        conditional_failure = self.client.exceptions.ConditionalCheckFailedException
        try:
            with self._errors("save progress"):
                self.client.update_item(**update)
        except StoreUnavailable as error:
            if isinstance(error.__cause__, conditional_failure):
                raise StaleRecord("progress changed since it was read") from error.__cause__
            raise

    def _transact(self, items: list[dict[str, Any]]) -> None:
        if len(items) > TRANSACTION_ITEMS:
            raise ValueError(f"one save writes at most {TRANSACTION_ITEMS} items, this one {len(items)}")
        cancelled = self.client.exceptions.TransactionCanceledException
        try:
            with self._errors("save progress"):
                self.client.transact_write_items(TransactItems=items)
        except StoreUnavailable as error:
            cause = error.__cause__
            if isinstance(cause, cancelled):
                reasons = cause.response.get("CancellationReasons") or [{}]
                # The record's write is first: its reason says whether the record moved on.
                if reasons[0].get("Code") in STALE_REASONS:
                    raise StaleRecord("progress changed since it was read") from cause
            raise

    def _person_registration(self, owner: Owner, action: str = "ADD") -> dict[str, Any]:
        """Add the person to the account's list of persons (in the same transaction as their record),
        or with ``action`` DELETE take them off it (a set left empty is removed with its attribute)."""
        return {
            "TableName": self.table,
            "Key": {PARTITION_KEY: _text(owner.user_id + PERSONS_SUFFIX)},
            "UpdateExpression": f"{action} #persons :person",
            "ExpressionAttributeNames": {"#persons": "persons"},
            "ExpressionAttributeValues": {":person": {"SS": [owner.person_id]}},
        }

    def _log_puts(self, key: str, log: Sequence[LogItem]) -> list[dict[str, Any]]:
        """One Put per workout and per exercise in it; the same entry twice is written once."""
        items: dict[str, dict[str, Any]] = {}
        for entry in log:
            place = f"{entry.finished_at}#{entry.workout_id}"
            items[WORKOUT_PREFIX + place] = {"body": _json(entry.body)}
            for exercise, piece in entry.exercises.items():
                items[f"{EXERCISE_PREFIX}{exercise}#{place}"] = {"slice": _json(piece)}
        return [
            {"Put": {"TableName": self.log_table,
                     "Item": {PARTITION_KEY: _text(key), SORT_KEY: _text(sort_key), **values}}}
            for sort_key, values in items.items()
        ]

    # --- the training log -----------------------------------------------------------------------

    def log_page(self, owner: Owner, *, limit: int = 10, before: str | None = None,
                 since: str | None = None, exercise: str | None = None) -> list[dict[str, Any]]:
        """Newest first, at most ``limit`` entries (or, with ``exercise``, that exercise's slices),
        finished at or after ``since`` and before ``before``: one Query reading only that page."""
        prefix = WORKOUT_PREFIX if exercise is None else f"{EXERCISE_PREFIX}{check_exercise(exercise)}#"
        # Sort keys continue past the time ("#<workout id>"), so the upper bound, inclusive in
        # BETWEEN, leaves out every entry finished at ``before`` itself.
        query = {
            "TableName": self.log_table,
            "KeyConditionExpression": "#id = :id AND #sk BETWEEN :low AND :high",
            "ExpressionAttributeNames": {"#id": PARTITION_KEY, "#sk": SORT_KEY},
            "ExpressionAttributeValues": {
                ":id": _text(owner.key),
                ":low": _text(prefix + (since or "")),
                ":high": _text(prefix + (before or LATEST)),
            },
            "ScanIndexForward": False,
            "ConsistentRead": True,
        }
        items = list(self._query(query, page_limit(limit), "read the training log"))
        if exercise is None:
            return [json.loads(item["body"]["S"]) for item in items]
        return [_slice(item["sk"]["S"], len(prefix), item["slice"]["S"]) for item in items]

    def _query(self, query: dict[str, Any], limit: int | None, doing: str) -> Iterator[dict[str, Any]]:
        """The items of a Query, following its pages (DynamoDB stops at 1 MB) up to ``limit``."""
        given = 0
        while True:
            if limit is not None:
                query["Limit"] = limit - given
            with self._errors(doing):
                answer = self.client.query(**query)
            for item in answer.get("Items", []):
                given += 1
                yield item
            if "LastEvaluatedKey" not in answer or (limit is not None and given >= limit):
                return
            query["ExclusiveStartKey"] = answer["LastEvaluatedKey"]

    # --- deletion -------------------------------------------------------------------------------

    def delete_owner(self, owner: Owner) -> None:
        """The owner's whole log, then their live record, then a person's name on the account's list
        (their next first record puts it back)."""
        key = owner.key
        query = {
            "TableName": self.log_table,
            "KeyConditionExpression": "#id = :id",
            "ExpressionAttributeNames": {"#id": PARTITION_KEY, "#sk": SORT_KEY},
            "ExpressionAttributeValues": {":id": _text(key)},
            "ProjectionExpression": "#id, #sk",
        }
        keys = [{PARTITION_KEY: item[PARTITION_KEY], SORT_KEY: item[SORT_KEY]}
                for item in self._query(query, None, "read the training log to delete it")]
        for start in range(0, len(keys), BATCH_ITEMS):
            self._delete_batch(keys[start:start + BATCH_ITEMS])
        self._cache.forget(key)
        with self._errors("delete progress"):
            self.client.delete_item(TableName=self.table, Key={PARTITION_KEY: _text(key)})
        self._cache.forget(key)
        if owner.person_id is not None:
            with self._errors("take the person off the account's persons"):
                self.client.update_item(**self._person_registration(owner, "DELETE"))

    def _delete_batch(self, keys: list[dict[str, Any]]) -> None:
        requests = {self.log_table: [{"DeleteRequest": {"Key": key}} for key in keys]}
        for _ in range(MAX_ATTEMPTS * 3):
            with self._errors("delete the training log"):
                requests = self.client.batch_write_item(RequestItems=requests).get("UnprocessedItems") or {}
            if not requests:
                return
        raise StoreUnavailable("could not delete the training log: DynamoDB kept refusing part of it")

    def delete_account(self, user_id: str) -> None:
        """Every person the account registered, then the account's own state, then the registry."""
        account = Owner(user_id)
        registry = {PARTITION_KEY: _text(user_id + PERSONS_SUFFIX)}
        with self._errors("read the account's persons"):
            item = self.client.get_item(TableName=self.table, Key=registry, ConsistentRead=True).get("Item") or {}
        for person in item.get("persons", {}).get("SS", []):
            self.delete_owner(Owner(user_id, person))
        self.delete_owner(account)
        with self._errors("delete the account's persons"):
            self.client.delete_item(TableName=self.table, Key=registry)

    # --- health ---------------------------------------------------------------------------------

    def health(self) -> str | None:
        """None when both tables can be read and written, else why not (one line).

        The writes are conditional on an item that never exists, so they are refused and change
        nothing: a refusal for that reason proves the table takes writes from us.
        """
        refused = self.client.exceptions.ConditionalCheckFailedException
        never = {"ConditionExpression": "attribute_not_exists(#id) AND attribute_exists(#id)",
                 "ExpressionAttributeNames": {"#id": PARTITION_KEY}}
        live_key = {PARTITION_KEY: _text(HEALTH_KEY)}
        probes = (
            ("read", self.table, lambda: self.client.get_item(TableName=self.table, Key=live_key)),
            ("write", self.table, lambda: self.client.delete_item(TableName=self.table, Key=live_key, **never)),
            ("write", self.log_table, lambda: self.client.put_item(
                TableName=self.log_table, Item={**live_key, SORT_KEY: _text(HEALTH_KEY)}, **never)),
        )
        for doing, table, probe in probes:
            try:
                probe()
            except refused:
                continue
            except self._client_errors as error:
                return f"cannot {doing} DynamoDB table {table}: {_first_line(error)}"
        return None


def _record_of(item: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """The revision and record of a live item, in either shape (CorruptAttributes if unreadable)."""
    if "revision" not in item:
        attributes = item[LEGACY_ATTRIBUTE]
        if "M" not in attributes:
            raise CorruptAttributes("stored progress is not a map", LEGACY_REVISION)
        try:
            return LEGACY_REVISION, from_dynamodb(attributes)
        except ValueError as error:
            raise CorruptAttributes(f"stored progress cannot be read: {error}", LEGACY_REVISION) from error
    revision = int(item["revision"]["N"])
    if "S" not in item.get("record", {}):
        raise CorruptAttributes("stored progress has no record text", revision)
    return revision, record_from_text(item["record"]["S"], revision, json.loads)


def _summary_of(item: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """The revision that wrote a summary item, and the summary."""
    return int(item["written_at"]["N"]), json.loads(item["body"]["S"])


def _slice(sort_key: str, prefix_length: int, text: str) -> dict[str, Any]:
    """An exercise item as a page gives it: the slice, with the entry's time and workout id."""
    finished_at, _, workout_id = sort_key[prefix_length:].partition("#")
    return {**json.loads(text), "finished_at": finished_at, "workout_id": workout_id}


def _first_line(error: BaseException) -> str:
    return (str(error).strip() or type(error).__name__).splitlines()[0][:300]


def make_client(settings: Settings, *, environ: Mapping[str, str] | None = None) -> Any:
    """A low-level DynamoDB client with deadlines: every call within the turn's budget, few retries
    (skill.store.deadline_client)."""
    import botocore.session
    from botocore.config import Config

    from skill.store.deadline_client import DeadlineClient

    # A session of our own, so the region and endpoint are explicit rather than whatever a
    # process-wide default holds; botocore alone, as boto3 adds nothing a low-level client needs.
    session = botocore.session.get_session()

    def client(connect_timeout: float, read_timeout: float) -> Any:
        # botocore's retries are off: DeadlineClient retries only what is safe to send again.
        config = Config(connect_timeout=connect_timeout, read_timeout=read_timeout,
                        retries={"total_max_attempts": 1, "mode": "standard"})
        return session.create_client("dynamodb", region_name=aws_region(environ),
                                     endpoint_url=settings.dynamodb_endpoint, config=config)

    return DeadlineClient(client, settings.dynamodb_connect_timeout, settings.dynamodb_read_timeout, MAX_ATTEMPTS)


def make_dynamodb_store(settings: Settings, *, environ: Mapping[str, str] | None = None) -> DynamoDbStore:
    """The store for ``LEGDAY_STORE=dynamodb``: tables ``LEGDAY_DYNAMODB_TABLE`` and ``LEGDAY_DYNAMODB_LOG_TABLE``."""
    return DynamoDbStore(make_client(settings, environ=environ), settings.dynamodb_table, settings.dynamodb_log_table)
