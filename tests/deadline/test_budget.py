"""The turn's budget as arithmetic: which timeouts each call gets, what is retried, and that the
default settings fit Alexa's 8 seconds whatever every call does (a fake clock, no waiting)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError, ReadTimeoutError

from skill import deadline
from skill.config import ALEXA_ANSWER_SECONDS, Settings
from skill.deadline import ANSWER_RESERVE, Deadline, NoTimeLeft
from skill.lambda_function import event_deadline
from skill.store.deadline_client import DeadlineClient
from skill.store.records import SaveOutcomeUnknown, StoreUnavailable


@dataclass
class Clock:
    now: float = 0.0

    def __call__(self) -> float:
        return self.now


@dataclass
class FakeDynamoDb:
    """botocore clients that take their whole worst case on the fake clock, then fail as told."""

    clock: Clock
    failure: Exception | None = None
    calls: list[tuple[str, float, float]] = field(default_factory=list)

    def make(self, connect: float, read: float) -> Any:
        def call(operation: str) -> Any:
            def send(**arguments: Any) -> dict[str, Any]:
                self.calls.append((operation, connect, read))
                if self.failure is None:
                    return {}
                self.clock.now += connect + read
                raise self.failure
            return send

        operations = ("get_item", "query", "update_item", "transact_write_items")
        return SimpleNamespace(meta=SimpleNamespace(method_to_api_mapping=dict.fromkeys(operations)),
                               **{name: call(name) for name in operations})


def read_timeout() -> ReadTimeoutError:
    return ReadTimeoutError(endpoint_url="http://dynamodb.test/")


def client_for(settings: Settings, fake: FakeDynamoDb) -> DeadlineClient:
    return DeadlineClient(fake.make, settings.dynamodb_connect_timeout, settings.dynamodb_read_timeout)


def test_the_default_settings_fit_every_call_hanging_inside_alexas_eight_seconds() -> None:
    """A read that times out twice, an Alexa API call that takes all it is given and a save that
    times out: the turn is over within the budget, and the budget is under Alexa's limit."""
    settings = Settings(store="dynamodb")
    for read_fails in (False, True):
        clock = Clock()
        fake = FakeDynamoDb(clock, read_timeout())
        client = client_for(settings, fake)
        with deadline.turn(Deadline.starting_now(settings.turn_budget, deadline.save_reserve(settings), clock)):
            if read_fails:  # the load timed out twice (a real turn would apologise; this one goes on)
                with pytest.raises(ReadTimeoutError):
                    client.get_item(TableName="t", Key={})
            try:
                clock.now += deadline.service_call_limit(settings.api_timeout)
            except NoTimeLeft:
                pass  # the timer is skipped: the rest is counted out loud
            with pytest.raises((SaveOutcomeUnknown, StoreUnavailable)):
                client.update_item(TableName="t", Key={})
        assert clock.now <= settings.turn_budget - ANSWER_RESERVE, (read_fails, clock.now, fake.calls)
    assert settings.turn_budget < ALEXA_ANSWER_SECONDS
    # A load keeps its full timeouts: two attempts of 1 s + 2 s fit in the 7 s.
    assert fake.calls[:2] == [("get_item", 1.0, 2.0)] * 2


def test_a_slow_read_leaves_the_timer_what_the_save_does_not_need() -> None:
    settings = Settings(store="dynamodb")
    clock = Clock()
    with deadline.turn(Deadline.starting_now(settings.turn_budget, deadline.save_reserve(settings), clock)):
        clock.now = 1.8  # the read answered just inside its timeout
        assert deadline.service_call_limit(settings.api_timeout) == pytest.approx(7.0 - 1.8 - ANSWER_RESERVE - 3.0)
        clock.now = 4.0
        with pytest.raises(NoTimeLeft):
            deadline.service_call_limit(settings.api_timeout)
        assert deadline.store_call_limit(3.0) == pytest.approx(3.0 - ANSWER_RESERVE)


def test_each_call_goes_through_the_longest_timeout_class_that_fits_and_none_when_none_does() -> None:
    settings = Settings()
    clock = Clock()
    fake = FakeDynamoDb(clock)
    client = client_for(settings, fake)
    assert client.read_timeouts() == [2.0, 1.0, 0.5, 0.25]
    with deadline.turn(Deadline.starting_now(7.0, clock=clock)):
        for now, expected in ((0.0, (1.0, 2.0)), (4.5, (1.0, 1.0)), (5.5, (0.5, 0.5)), (6.1, (0.25, 0.25))):
            clock.now = now
            client.get_item(TableName="t", Key={})
            assert fake.calls[-1][1:] == expected
        clock.now = 6.3
        with pytest.raises(StoreUnavailable, match="not sent: no time left"):
            client.update_item(TableName="t", Key={})
    assert len(fake.calls) == 4
    # Outside a turn (the CLI, a direct test of the store) every call has its own timeouts.
    client.get_item(TableName="t", Key={})
    assert fake.calls[-1][1:] == (1.0, 2.0)


def test_a_write_sent_and_not_answered_is_never_sent_again() -> None:
    fake = FakeDynamoDb(Clock(), read_timeout())
    with pytest.raises(SaveOutcomeUnknown, match="sent and not answered"):
        client_for(Settings(), fake).update_item(TableName="t", Key={})
    assert [call[0] for call in fake.calls] == ["update_item"]


def test_a_write_that_never_reached_dynamodb_or_was_throttled_is_tried_again() -> None:
    for failure in (EndpointConnectionError(endpoint_url="http://dynamodb.test/"),
                    ClientError({"Error": {"Code": "ThrottlingException"}}, "UpdateItem")):
        fake = FakeDynamoDb(Clock(), failure)
        with pytest.raises(type(failure)):
            client_for(Settings(), fake).update_item(TableName="t", Key={})
        assert len(fake.calls) == 2


def test_a_write_refused_by_its_condition_or_failing_on_the_server_is_not_tried_again() -> None:
    refused = FakeDynamoDb(Clock(), ClientError({"Error": {"Code": "ConditionalCheckFailedException"}}, "UpdateItem"))
    with pytest.raises(ClientError):
        client_for(Settings(), refused).update_item(TableName="t", Key={})
    server = FakeDynamoDb(Clock(), ClientError({"Error": {"Code": "InternalServerError"}}, "UpdateItem"))
    with pytest.raises(SaveOutcomeUnknown):
        client_for(Settings(), server).transact_write_items(TransactItems=[])
    assert len(refused.calls) == len(server.calls) == 1


def test_the_lambda_deadline_is_cut_to_the_functions_remaining_time() -> None:
    settings = Settings(store="dynamodb")
    short = SimpleNamespace(get_remaining_time_in_millis=lambda: 3000)
    arrived = time.monotonic()
    cut = event_deadline(settings, short, arrived)
    assert cut.ends_at == pytest.approx(arrived + 3.0 - ANSWER_RESERVE, abs=0.05)
    assert cut.save_reserve == 3.0
    # A cold container spent 2 s building the skill: the budget still counts from the event's arrival.
    long = SimpleNamespace(get_remaining_time_in_millis=lambda: 60_000)
    assert event_deadline(settings, long, arrived - 2.0).ends_at == pytest.approx(arrived + 5.0)
    assert event_deadline(settings, None, arrived).ends_at == arrived + 7.0


@pytest.mark.parametrize("budget", ["0", "8", "9.5", "-1"])
def test_a_budget_outside_alexas_limit_is_refused(budget: str) -> None:
    with pytest.raises(ValueError, match="LEGDAY_TURN_BUDGET"):
        Settings.from_env({"LEGDAY_TURN_BUDGET": budget})
    assert Settings.from_env({"LEGDAY_TURN_BUDGET": "5.5"}).turn_budget == 5.5
