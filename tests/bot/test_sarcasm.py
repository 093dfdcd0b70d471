"""Praise said of a let-down (« bravo le service client 👏 ») is a complaint: an apology and a
person offered, never thanks back nor a request for a person opened unasked."""

from __future__ import annotations

import pytest
from action_helpers import make_tracker, responses, run_action, slot_events
from actions import cues
from actions.conversation import ActionFallback, ActionHumanHandoff, ActionThank
from components.handoff_state import HANDOFF_STATE_SLOT


@pytest.mark.parametrize(
    ("message", "sarcastic"),
    [
        ("génial, pas de téléphone, bravo le service client 👏", True),
        ("super, encore un délai, bravo", True),
        ("donc personne avant lundi ? bravo", True),
        ("quel service...", True),
        # praise meant
        ("bravo pour la rapidité, merci !", False),
        ("super, merci, je n'ai besoin de rien d'autre", False),
        ("génial merci beaucoup", False),
        ("parfait, c'est noté", False),
    ],
)
def test_praise_of_a_let_down_is_read_as_sarcasm(message, sarcastic):
    assert cues.is_sarcastic(message) is sarcastic


@pytest.mark.parametrize(
    ("action", "intent"),
    [
        (ActionHumanHandoff(), "human_handoff"),
        (ActionThank(), "thank"),
    ],
)
def test_sarcasm_gets_an_apology_and_the_offer_of_a_person_not_a_request(shop, action, intent):
    tracker = make_tracker("génial, pas de téléphone, bravo le service client 👏", intent=intent)

    messages, events = run_action(action, tracker)

    assert responses(messages) == ["utter_sorry_not_helped"]
    assert slot_events(events).get(HANDOFF_STATE_SLOT) is None  # no request handed over


def test_sarcasm_not_understood_gets_an_apology(shop):
    tracker = make_tracker("super, encore un délai, bravo", intent="nlu_fallback")

    messages, _ = run_action(ActionFallback(), tracker)

    assert responses(messages) == ["utter_sorry_frustrated"]
