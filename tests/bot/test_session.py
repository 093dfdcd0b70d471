"""A new session after a silence forgets the verified order (actions/session.py)."""

from __future__ import annotations

from action_helpers import make_tracker, run_action, slot_events
from actions import slots
from actions.session import ActionSessionStart


def started_after_a_silence(**kept):
    return make_tracker(
        "",
        slots={
            slots.VERIFIED_ORDER: "AZ104204",
            slots.VERIFIED_EMAIL: "sophie.martin@exemple.com",
            slots.ORDER_NUMBER: "AZ104204",
            slots.EMAIL: "sophie.martin@exemple.com",
            slots.PENDING_CONFIRMATION: "action_return_item",
            slots.TOPIC: "return_item",
            **kept,
        },
    )


def test_a_new_session_forgets_the_verified_order_and_what_was_pending():
    _, events = run_action(ActionSessionStart(), started_after_a_silence())

    assert events[0]["event"] == "session_started"
    forgotten = {slots.VERIFIED_ORDER, slots.VERIFIED_EMAIL, slots.ORDER_NUMBER, slots.EMAIL,
                 slots.PENDING_CONFIRMATION, slots.TOPIC}  # fmt: skip
    assert not forgotten & set(slot_events(events))
    assert events[-1]["name"] == "action_listen"


def test_a_new_session_keeps_the_failed_checks_and_the_agent_it_was_handed_to():
    kept = {slots.IDENTITY_FAILURES: 2, "handoff_state": "handed_over", slots.AGENT_NAME: "Léa"}

    _, events = run_action(ActionSessionStart(), started_after_a_silence(**kept))

    assert slot_events(events) == kept
