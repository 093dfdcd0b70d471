"""« d'accord merci » to « voulez-vous que je regarde votre commande ? » thanks for the
answer; it does not start the order check (testers met the order number asked five times)."""

from __future__ import annotations

import pytest
from action_helpers import make_tracker, responses, run_action, slot_events
from actions import cues, slots
from actions.conversation import ActionAnswerYesNo, ActionThank

OFFERED = {slots.PENDING_CONFIRMATION: "personalise:action_return_item"}


@pytest.mark.parametrize(
    ("message", "taken_in"),
    [
        ("d'accord merci", True), ("ok super", True), ("parfait, merci", True),
        ("ok merci beaucoup", True), ("super merci !", True),
        ("oui merci", False), ("ok vas-y", False), ("d'accord, regardez svp", False),
        ("ok", False), ("d'accord", False), ("ok merci, et pour un échange ?", False),
    ],
)  # fmt: skip
def test_thanks_for_an_answer_are_told_from_a_yes(message, taken_in):
    assert cues.takes_the_answer_in(message) is taken_in


@pytest.mark.parametrize(
    ("action", "message", "intent"),
    [
        (ActionThank(), "d'accord merci", "thank"),
        (ActionAnswerYesNo(), "ok super", "affirm"),
    ],
)
def test_thanks_to_the_offer_to_check_the_order_do_not_start_the_check(
    shop, action, message, intent
):
    tracker = make_tracker(message, intent=intent, slots=OFFERED, entities=[])

    messages, events = run_action(action, tracker)

    assert responses(messages) == ["utter_you_are_welcome"]
    assert slot_events(events)[slots.PENDING_CONFIRMATION] is None
    assert not any(e.get("name") == "identification_form" for e in events)


def test_a_yes_with_thanks_still_starts_the_check(shop):
    tracker = make_tracker("oui merci", intent="affirm", slots=OFFERED, entities=[])

    messages, events = run_action(ActionAnswerYesNo(), tracker)

    assert "utter_you_are_welcome" not in responses(messages)
    assert any(e.get("name") == "identification_form" for e in events)


def said(*responses_: str) -> list[dict]:
    """A customer's message and the assistant's answer to it."""
    user = {"event": "user", "text": "…", "parse_data": {"intent": {"name": "cancel_order"}}}
    return [user, *({"event": "bot", "text": "…", "metadata": {"utter_action": r}}
                    for r in responses_)]  # fmt: skip


@pytest.mark.parametrize(
    ("earlier", "starts_the_check"),
    [
        # the offer just made: « ok » is a yes
        (said("utter_faq_cancel_order", "utter_faq_offer_personalised"), True),
        # another answer came after the offer: « ok » takes that answer in
        (said("utter_faq_cancel_order", "utter_faq_offer_personalised")
         + said("utter_faq_cancel_order_personalised"), False),
    ],
)  # fmt: skip
def test_a_bare_ok_is_a_yes_only_to_the_offer_just_made(shop, earlier, starts_the_check):
    latest = {"event": "user", "text": "ok", "parse_data": {"intent": {"name": "affirm"}}}
    tracker = make_tracker(
        "ok", intent="affirm", slots=OFFERED, entities=[], events=[*earlier, latest]
    )

    _, events = run_action(ActionAnswerYesNo(), tracker)

    started = any(e.get("name") == "identification_form" for e in events)
    assert started is starts_the_check
