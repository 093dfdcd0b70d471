"""A message the assistant could not place with confidence, but that leans towards one or two
subjects, gets those subjects as buttons instead of a bare « reformulez »."""

from __future__ import annotations

import pytest
from action_helpers import make_tracker, responses, run_action
from actions.conversation import CLARIFY_OPTIONS, ActionFallback
from support import read_yaml

from tools.model import BOT_DIR

SOCIAL_INTENTS = {"greet", "goodbye", "thank", "affirm", "deny", "inform", "bot_challenge"}


@pytest.fixture(scope="module")
def domain() -> dict:
    return read_yaml(BOT_DIR / "domain.yml")


def not_understood(text: str, ranking: list[tuple[str, float]], **kwargs):
    tracker = make_tracker(text, intent="nlu_fallback", **kwargs)
    tracker.latest_message["intent_ranking"] = [
        {"name": "nlu_fallback", "confidence": 0.64},
        *({"name": name, "confidence": confidence} for name, confidence in ranking),
    ]
    return tracker


def payloads(message: dict) -> list[str]:
    return [button["payload"] for button in message.get("buttons") or []]


@pytest.mark.parametrize(
    ("ranking", "offered"),
    [
        ([("missing_parcel", 0.27), ("return_item", 0.18)], ["/missing_parcel"]),
        ([("track_order", 0.41), ("missing_parcel", 0.33)], ["/track_order", "/missing_parcel"]),
        (
            [("return_item", 0.3), ("exchange_item", 0.25), ("warranty_claim", 0.21)],
            ["/return_item", "/exchange_item"],
        ),
        ([("goodbye", 0.45), ("tax_info", 0.22)], ["/tax_info"]),  # social intents aren't subjects
    ],
)
def test_the_subjects_the_message_leans_towards_are_offered_most_likely_first(
    shop, domain, ranking, offered
):
    messages, _ = run_action(ActionFallback(), not_understood("zut alors", ranking), domain)

    assert responses(messages) == ["utter_clarify"]
    assert payloads(messages[0]) == offered


def test_a_message_leaning_nowhere_is_asked_to_be_rephrased(shop, domain):
    ranking = [("return_item", 0.17), ("goodbye", 0.13)]

    messages, _ = run_action(ActionFallback(), not_understood("blablabla", ranking), domain)

    assert responses(messages) == ["utter_please_rephrase"]
    assert payloads(messages[0]) == []


def test_a_second_misunderstanding_after_the_choices_offers_a_human(shop, domain):
    leaning = {"intent": {"name": "nlu_fallback"}}
    events = [
        {"event": "user", "text": "toujours rien", "parse_data": leaning},
        {"event": "bot", "text": "…", "metadata": {"utter_action": "utter_clarify"}},
        {"event": "user", "text": "ben non", "parse_data": leaning},
    ]
    tracker = not_understood("ben non", [("missing_parcel", 0.3)], events=events)

    messages, _ = run_action(ActionFallback(), tracker, domain)

    assert responses(messages) == ["utter_offer_handoff"]


def test_every_subject_the_assistant_handles_can_be_offered(domain):
    catalogue = domain["responses"][CLARIFY_OPTIONS][0]["buttons"]
    offered = {button["payload"].removeprefix("/") for button in catalogue}
    subjects = set(domain["intents"]) - SOCIAL_INTENTS - {"out_of_scope", "nlu_fallback"}

    assert offered == subjects


def test_a_second_question_outside_the_shop_offers_a_person_without_a_misunderstanding(
    shop, domain
):
    outside = {"intent": {"name": "out_of_scope"}}
    events = [
        {"event": "user", "text": "Quelle est la capitale de l'Australie ?", "parse_data": outside},
        {"event": "bot", "text": "…", "metadata": {"utter_action": "utter_out_of_scope"}},
        {"event": "user", "text": "Et vous réparez les montres ?", "parse_data": outside},
    ]
    tracker = make_tracker("Et vous réparez les montres ?", intent="out_of_scope", events=events)

    messages, _ = run_action(ActionFallback(), tracker, domain)

    assert responses(messages) == ["utter_offer_handoff_out_of_scope"]
