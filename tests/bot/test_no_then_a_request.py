"""« Non, je veux que vous ouvriez une demande »: a « non » that goes on to ask something is
answered, not taken for a goodbye (bot/actions/conversation.py `request_after_a_no`)."""

from __future__ import annotations

import pytest
from action_helpers import make_tracker, responses, run_action, slot_events
from actions import cues, slots
from actions.conversation import ActionAnswerYesNo

SOPHIE = {slots.VERIFIED_ORDER: "AZ104204", slots.VERIFIED_EMAIL: "sophie.martin@exemple.com"}


@pytest.mark.parametrize(
    ("message", "goes_on"),
    [
        ("Non je veux que vous ouvriez une demande maintenant, ça fait 5 jours", True),
        ("non non je veux pas revenir dessus, je veux juste savoir le montant et quand", True),
        ("non, et pour la garantie, elle dure combien de temps ?", True),
        ("non, pouvez-vous plutôt me dire si vous livrez en Suisse", True),
        ("non merci, bonne journée", False),
        ("non", False),
        ("non merci c'est tout", False),
        ("non laissez tomber, je vais attendre", False),
        ("non, ça va aller", False),
    ],
)
def test_a_no_goes_on_to_a_request_only_when_it_asks_something(message, goes_on):
    assert cues.no_then_a_request(message) is goes_on


def test_a_no_then_a_question_gets_the_question_answered_not_a_goodbye(shop):
    tracker = make_tracker(
        "non, et pour la garantie, elle dure combien de temps ?",
        intent="deny",
        ranking=[("deny", 0.8), ("warranty_claim", 0.15), ("affirm", 0.05)],
    )

    messages, _ = run_action(ActionAnswerYesNo(), tracker)

    assert "utter_goodbye" not in responses(messages)
    assert responses(messages)[0] == "utter_faq_warranty_claim_duration"


def test_a_no_to_a_write_then_another_request_writes_nothing_and_answers_it(shop):
    tracker = make_tracker(
        "non, je voudrais plutôt savoir si vous livrez en Suisse",
        intent="deny",
        slots={slots.PENDING_CONFIRMATION: "action_return_item"},
        ranking=[("deny", 0.9), ("track_order", 0.08)],
    )

    messages, events = run_action(ActionAnswerYesNo(), tracker)

    assert responses(messages) == ["utter_confirmation_declined", "utter_faq_shipping"]
    assert slot_events(events)[slots.PENDING_CONFIRMATION] is None


def test_a_no_to_the_return_that_wishes_an_exchange_gets_the_exchange_offered(shop):
    tracker = make_tracker(
        "non, je voudrais plutôt faire un échange pour une autre taille",
        intent="deny",
        slots={slots.PENDING_CONFIRMATION: "action_return_item", **SOPHIE},
        entities=[{"entity": "preference", "value": "exchange"}],
    )

    messages, events = run_action(ActionAnswerYesNo(), tracker)

    assert responses(messages)[0] == "utter_exchange_instead_of_the_return"
    assert slot_events(events)[slots.PENDING_CONFIRMATION] == "action_exchange_item"


def test_a_request_after_a_no_that_cannot_be_placed_is_asked_again_not_closed(shop):
    tracker = make_tracker(
        "non je voudrais que vous regardiez autre chose pour moi svp",
        intent="deny",
        ranking=[("deny", 0.99)],
    )

    messages, _ = run_action(ActionAnswerYesNo(), tracker)

    assert responses(messages) == ["utter_please_rephrase"]


def test_a_plain_no_with_nothing_pending_still_says_goodbye(shop):
    tracker = make_tracker("non merci", intent="deny", ranking=[("deny", 0.99)])

    messages, _ = run_action(ActionAnswerYesNo(), tracker)

    assert responses(messages) == ["utter_goodbye"]


def test_no_to_the_person_offered_for_anger_takes_up_the_angry_request_here(shop):
    angry = "putain je veux annuler ma commande de merde passée ce matin"
    events = [
        {"event": "user", "text": angry,
         "parse_data": {"text": angry, "intent": {"name": "cancel_order"}}},
        {"event": "bot", "text": "…", "metadata": {"utter_action": "utter_sorry_angry"}},
    ]  # fmt: skip
    tracker = make_tracker(
        "Non, continuer ici",
        intent="deny",
        slots={slots.PENDING_CONFIRMATION: "action_human_handoff"},
        events=events,
    )
    tracker.events.append({"event": "user", "text": "Non, continuer ici", "parse_data": {}})

    messages, events = run_action(ActionAnswerYesNo(), tracker)

    said = responses(messages)
    assert said[:2] == ["utter_go_on_here", "utter_before_identification_cancel_order"]
    assert "utter_confirmation_declined" not in said
