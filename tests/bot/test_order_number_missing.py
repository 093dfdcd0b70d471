"""A customer without their order number is told where to find it once, then offered a
person who can find the order; never asked for the number again and again
(bot/actions/faq.py `order_number_help`)."""

from __future__ import annotations

import pytest
from action_helpers import make_tracker, responses, run_action, slot_events
from actions import cues, slots
from actions.identification import ActionSwitchFlow

TOLD = {"event": "bot", "text": "…", "metadata": {"utter_action": "utter_faq_order_number"}}
ASKING = {"requested_slot": "order_number"}


@pytest.mark.parametrize(
    ("message", "lacks_confirmation"),
    [
        ("j'ai supprimé le mail de confirmation et j'ai pas de compte", True),
        ("jai perdu le courriel de confirmation, vous pouvez me le renvoyer ?", True),
        ("pouvez-vous me renvoyer l'email de confirmation", True),
        ("j'ai 3 adresses mail, je sais plus laquelle", True),
        ("je veux retourner ma bague", False),
        ("mon courriel c'est marie@exemple.ca", False),
    ],
)
def test_a_lost_confirmation_email_is_recognised(message, lacks_confirmation):
    assert cues.lacks_the_confirmation(message) is lacks_confirmation


@pytest.mark.parametrize(
    ("message", "not_at_hand"),
    [("je ne l'ai pas", True), ("je n'ai PAS le numéro", True), ("non je l'ai plus", True),
     ("je sais pas", True), ("AZ104203", False), ("je l'ai pas reçue", False)],
)  # fmt: skip
def test_a_number_not_at_hand_is_recognised(message, not_at_hand):
    assert cues.number_not_at_hand(message) is not_at_hand


def run_while_asked(message: str, told_before: bool):
    said = {"event": "user", "text": message, "parse_data": {"text": message}}
    events = [TOLD, said] if told_before else [said]
    tracker = make_tracker(message, intent="out_of_scope", slots=ASKING, events=events)
    tracker.slots["requested_slot"] = "order_number"
    tracker.active_loop = {"name": "identification_form"}
    return run_action(ActionSwitchFlow(), tracker)


def test_the_first_time_the_number_is_lacking_says_where_to_find_it(shop):
    messages, events = run_while_asked("je ne l'ai pas", told_before=False)

    assert responses(messages) == ["utter_faq_order_number"]
    assert not any(e.get("event") == "active_loop" for e in events)  # the form asks again


def test_told_where_to_look_already_a_person_is_offered_and_the_form_ends(shop):
    messages, events = run_while_asked("Je ne l'ai pas. Y a-t-il une autre façon?", True)

    assert responses(messages) == ["utter_faq_order_number_deleted", "utter_offer_a_person"]
    assert slot_events(events)[slots.PENDING_CONFIRMATION] == "action_human_handoff"
    assert {"event": "active_loop", "name": None} in [
        {"event": e.get("event"), "name": e.get("name")} for e in events
    ]


def test_a_deleted_confirmation_email_gets_a_person_at_once(shop):
    messages, _ = run_while_asked("j'ai supprimé le mail de confirmation", told_before=False)

    assert responses(messages) == ["utter_faq_order_number_deleted", "utter_offer_a_person"]
