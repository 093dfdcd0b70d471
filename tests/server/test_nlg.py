"""Every response may quote the policy's numbers (server/nlg.py): from the PolicyConfig the
server read, whether a rule or an action utters it; an action's own value wins."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from server.nlg import PolicyResponses
from tests.backend.builders import policy_config

DOMAIN = Domain.from_dict(
    {
        "responses": {
            "utter_return_window": [{"text": "Vous avez {return_days} jours."}],
            "utter_cancel_window": [{"text": "Annulation dans les {cancel_hours} heures."}],
            "utter_holidays": [{"text": "Jusqu’au {holiday_return_until}."}],
            "utter_goodbye": [{"text": "Au revoir, {farewell} !"}],
        }
    }
)


def text_of(nlg: PolicyResponses, response: str, **kwargs) -> str:
    tracker = DialogueStateTracker("customer-1", DOMAIN.slots)
    return asyncio.run(nlg.generate(response, tracker, "rest", **kwargs))["text"]


def test_a_response_quotes_the_return_window_of_the_policy():
    nlg = PolicyResponses(domain=DOMAIN, policy=policy_config(return_days=45))

    assert text_of(nlg, "utter_return_window") == "Vous avez 45 jours."


def test_the_cancellation_window_is_quoted_in_hours():
    nlg = PolicyResponses(
        domain=DOMAIN, policy=policy_config(cancellation_window=timedelta(hours=48))
    )

    assert text_of(nlg, "utter_cancel_window") == "Annulation dans les 48 heures."


def test_holiday_dates_are_written_in_french():
    nlg = PolicyResponses(domain=DOMAIN, policy=policy_config())

    assert text_of(nlg, "utter_holidays") == "Jusqu’au 31 janvier 2025."


def test_a_value_the_action_passes_wins():
    nlg = PolicyResponses(domain=DOMAIN, policy=policy_config())

    assert text_of(nlg, "utter_return_window", return_days=60) == "Vous avez 60 jours."


def test_without_a_policy_the_server_reads_backend_policy_yml():
    from backend.policies import load_policy

    nlg = PolicyResponses(domain=DOMAIN)

    assert text_of(nlg, "utter_return_window") == f"Vous avez {load_policy().return_days} jours."


@pytest.mark.parametrize(
    ("said", "farewell"),
    [
        ("merci, bonne soirée", "bonne soirée"),
        ("bonsoir et merci", "bonne soirée"),
        ("merci bonne nuit", "bonne soirée"),
        ("merci, bonne journée", "bonne journée"),
        ("au revoir", "bonne journée"),
    ],
)
def test_the_goodbye_wishes_back_what_the_customer_wished(said, farewell):
    nlg = PolicyResponses(domain=DOMAIN, policy=policy_config())
    tracker = DialogueStateTracker("customer-1", DOMAIN.slots)
    tracker.update(UserUttered(said))

    text = asyncio.run(nlg.generate("utter_goodbye", tracker, "rest"))["text"]

    assert text == f"Au revoir, {farewell} !"


def test_the_farewell_is_filled_in_responses_set_once_the_model_is_loaded():
    nlg = PolicyResponses(policy=policy_config())  # Rasa builds it before loading a model
    nlg.responses = DOMAIN.responses  # then sets the model's responses (rasa.core.agent)
    tracker = DialogueStateTracker("customer-1", DOMAIN.slots)
    tracker.update(UserUttered("merci, bonne soirée"))

    text = asyncio.run(nlg.generate("utter_goodbye", tracker, "rest"))["text"]

    assert text == "Au revoir, bonne soirée !"
