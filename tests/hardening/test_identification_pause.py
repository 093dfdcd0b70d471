"""The identification form when the backend pauses the checks of an order number."""

from __future__ import annotations

import asyncio

import pytest
from actions.identification import ValidateIdentificationForm
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

MARIE = "marie.tremblay@exemple.ca"
PAUSED_NUMBER = "AZ104203"


def pause(shop, number: str) -> None:
    for attempt in range(5):
        shop.verify_identity(number, f"devine{attempt}@exemple.ca")


def form_tracker(
    number: str, email: str, metadata: dict | None = None, channel: str = "rest"
) -> Tracker:
    text = f"{number} {email}"
    latest = {
        "text": text,
        "intent": {"name": "inform", "confidence": 1.0},
        "entities": [],
        "metadata": metadata or {},
    }
    slots = {
        "order_number": number,
        "email": email,
        "identity_failures": 1,
        "requested_slot": "email",
    }
    events = [
        {"event": "active_loop", "name": "identification_form"},
        {"event": "user", "text": text, "parse_data": latest, "input_channel": channel},
        {"event": "slot", "name": "order_number", "value": number},
        {"event": "slot", "name": "email", "value": email},
    ]
    return Tracker(
        "unit-test",
        slots,
        latest,
        events,
        False,
        None,
        {"name": "identification_form"},
        "action_listen",
    )


def validate(tracker: Tracker) -> tuple[list[str], dict]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(
        ValidateIdentificationForm().get_validation_events(dispatcher, tracker, {})
    )
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    return [m.get("response") for m in dispatcher.messages], slots


def test_a_paused_number_ends_the_form_with_a_retry_later_and_a_human_offer(own_shop):
    pause(own_shop, PAUSED_NUMBER)

    responses, slots = validate(form_tracker(PAUSED_NUMBER, MARIE))

    assert responses == ["utter_identity_checks_paused"]
    assert slots["requested_slot"] is None
    assert slots["pending_confirmation"] == "action_human_handoff"
    assert "verified_order" not in slots


def test_a_paused_check_does_not_count_as_a_failure_of_the_conversation(own_shop):
    pause(own_shop, PAUSED_NUMBER)

    _, slots = validate(form_tracker(PAUSED_NUMBER, MARIE))

    assert "identity_failures" not in slots
    assert (slots["order_number"], slots["email"]) == (None, None)


def test_an_agent_preview_records_no_failure(own_shop):
    for attempt in range(5):
        email = f"devine{attempt}@exemple.ca"
        validate(form_tracker("AZ999999", email, {"dry_run": True}, channel="agent"))

    assert own_shop.verify_identity("AZ999999", MARIE).reason.value == "identity_mismatch"


@pytest.mark.parametrize("channel", ["socketio", "rest", "callback", "telegram", None])
def test_dry_run_metadata_from_a_customer_channel_is_not_a_preview(own_shop, channel):
    """Issue 13, defect 1: eight wrong emails with `dry_run` metadata over socket.io were not
    recorded, so the per-order pause never came. Only the agent channel may ask for a dry run."""
    for attempt in range(5):
        email = f"devine{attempt}@exemple.ca"
        validate(form_tracker("AZ999998", email, {"dry_run": True}, channel=channel))

    assert own_shop.verify_identity("AZ999998", MARIE).reason.value == "identity_checks_paused"
