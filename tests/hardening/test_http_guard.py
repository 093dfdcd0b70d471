"""Unit tests of server/http_guard.py: the token bucket, the client address, the body rules."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest

from server.http_guard import (
    BODY_RULES,
    ClientError,
    MessageTooLong,
    TokenBucketLimiter,
    check_fields,
    client_ip,
    limiter_from_environment,
    max_message_chars,
    parse_body,
    rate_limiter,
    rule_for,
)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_client_may_send_its_burst_then_waits_for_the_refill():
    clock = FakeClock()
    limiter = TokenBucketLimiter(per_minute=60, burst=3, clock=clock)

    allowed = [limiter.retry_after("1.2.3.4") for _ in range(3)]
    refused = limiter.retry_after("1.2.3.4")
    clock.now += 1.0
    after_a_second = limiter.retry_after("1.2.3.4")

    assert allowed == [None, None, None]
    assert refused == pytest.approx(1.0)
    assert after_a_second is None


def test_each_client_has_its_own_bucket():
    limiter = TokenBucketLimiter(per_minute=60, burst=1, clock=FakeClock())
    limiter.retry_after("1.2.3.4")

    assert limiter.retry_after("1.2.3.4") is not None
    assert limiter.retry_after("5.6.7.8") is None


def test_a_quiet_client_never_saves_more_than_its_burst():
    clock = FakeClock()
    limiter = TokenBucketLimiter(per_minute=60, burst=2, clock=clock)
    limiter.retry_after("1.2.3.4")
    clock.now += 3600

    results = [limiter.retry_after("1.2.3.4") for _ in range(3)]

    assert results[:2] == [None, None] and results[2] is not None


def test_only_the_most_recent_clients_are_remembered():
    limiter = TokenBucketLimiter(per_minute=60, burst=1, clock=FakeClock(), max_clients=2)
    for client in ("a", "b", "c"):
        limiter.retry_after(client)

    assert limiter.retry_after("a") is None  # forgotten: a full bucket again
    assert limiter.retry_after("c") is not None


def test_the_limit_comes_from_the_environment_and_zero_turns_it_off():
    configured = limiter_from_environment(
        {"ALLYZURE_RATE_LIMIT_PER_MINUTE": "120", "ALLYZURE_RATE_LIMIT_BURST": "10"}
    )
    default = limiter_from_environment({})

    assert (configured.rate_per_second, configured.burst) == (2.0, 10)
    assert (default.rate_per_second, default.burst) == (5.0, 60)
    assert limiter_from_environment({"ALLYZURE_RATE_LIMIT_PER_MINUTE": "0"}) is None


@pytest.mark.parametrize("value", ["-1", "lots", "1.5"])
def test_a_malformed_limit_stops_the_server_with_the_variable_named(value):
    with pytest.raises(ValueError, match="ALLYZURE_RATE_LIMIT_PER_MINUTE"):
        limiter_from_environment({"ALLYZURE_RATE_LIMIT_PER_MINUTE": value})


def test_the_message_limit_defaults_to_2000_characters():
    assert max_message_chars({}) == 2000
    assert max_message_chars({"ALLYZURE_MAX_MESSAGE_CHARS": "500"}) == 500


@pytest.mark.parametrize(
    ("peer", "forwarded_for", "expected"),
    [
        ("203.0.113.9", None, "203.0.113.9"),
        ("203.0.113.9", "198.51.100.1", "203.0.113.9"),  # not our proxy: header ignored
        ("127.0.0.1", "198.51.100.1", "198.51.100.1"),
        ("::1", "198.51.100.1", "198.51.100.1"),
        ("127.0.0.1", "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # the client wrote the first
        ("127.0.0.1", "not-an-address", "127.0.0.1"),
        ("127.0.0.1", "", "127.0.0.1"),
    ],
)
def test_the_client_is_the_peer_or_the_address_our_local_proxy_appended(
    peer, forwarded_for, expected
):
    assert client_ip(peer, forwarded_for) == expected


def test_every_rule_matches_its_endpoint_and_nothing_else():
    assert rule_for("/webhooks/rest/webhook").sender_field == "sender"
    assert rule_for("/model/parse").message_field == "text"
    assert rule_for("/conversations/abc/tracker/events").list_allowed
    assert rule_for("/webhooks/telegram/webhook") is None
    assert rule_for("/conversations/abc/predict") is None
    assert rule_for("/webhooks/agent/suggestion").required_text == ("conversation_id",)
    assert len(BODY_RULES) == 9


@pytest.mark.parametrize(
    ("raw", "status"),
    [(b"", 400), (b"\xff", 400), (b"[1]", 400), (b"42", 400), (b"x" * 2_000_001, 413)],
)
def test_a_body_that_is_not_a_json_object_is_a_client_error(raw, status):
    with pytest.raises(ClientError) as error:
        parse_body(raw, rule_for("/webhooks/rest/webhook"))

    assert error.value.status == status


@pytest.mark.parametrize(
    "path", ["/webhooks/rest/webhook", "/model/parse", "/conversations/x/tracker/events"]
)
def test_deeply_nested_json_is_a_client_error_not_a_recursion_error(path):
    """Issue 13, defect 5: json.loads raised RecursionError, which became a 500."""
    with pytest.raises(ClientError) as error:
        parse_body(b"[" * 100_000 + b"]" * 100_000, rule_for(path))

    assert (error.value.status, error.value.code) == (400, "json_too_deep")
    assert error.value.message == "Le JSON de la requête est imbriqué trop profondément."


def test_tracker_events_accept_a_non_empty_list_of_objects_only():
    rule = rule_for("/conversations/abc/tracker/events")

    assert parse_body(b'[{"event": "restart"}]', rule) == [{"event": "restart"}]
    for body in (b"[1]", b"[]"):  # Rasa answers [] with a 500
        with pytest.raises(ClientError):
            parse_body(body, rule)


def test_a_long_message_is_told_apart_from_a_malformed_one():
    rule = rule_for("/webhooks/rest/webhook")

    check_fields({"sender": "a", "message": "x" * 10}, rule, max_message=10)
    with pytest.raises(MessageTooLong):
        check_fields({"sender": "a", "message": "x" * 11}, rule, max_message=10)


def request_from(peer: str, forwarded_for: str | None = None) -> SimpleNamespace:
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    return SimpleNamespace(method="GET", path="/webhooks/rest/", ip=peer, headers=headers, body=b"")


def responses_to(requests: list[SimpleNamespace]) -> list:
    limit_rate = rate_limiter(TokenBucketLimiter(per_minute=60, burst=1, clock=FakeClock()))
    return [asyncio.run(limit_rate(request)) for request in requests]


def test_a_remote_client_over_its_burst_gets_429():
    first, second = responses_to([request_from("203.0.113.9")] * 2)

    assert first is None
    assert second.status == 429 and second.headers["Retry-After"] == "1"


def test_processes_of_this_machine_are_never_limited():
    assert responses_to([request_from("127.0.0.1")] * 5) == [None] * 5


def test_clients_behind_the_local_proxy_are_limited_by_their_own_address():
    first, other, again = responses_to(
        [
            request_from("127.0.0.1", "203.0.113.1"),
            request_from("127.0.0.1", "203.0.113.2"),
            request_from("127.0.0.1", "6.6.6.6, 203.0.113.1"),  # a forged first entry
        ]
    )

    assert first is None and other is None
    assert again.status == 429
