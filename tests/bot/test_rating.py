"""The answer to « Cette conversation vous a-t-elle aidé ? » is recorded however it is typed
(bot/actions/conversation.py `rating_of`, `rating_typed`)."""

from __future__ import annotations

import pytest
from action_helpers import make_tracker, responses, run_action
from actions.conversation import ActionFallback, ActionThank, rating_of
from sqlalchemy import create_engine, text

ASKED = {"event": "bot", "text": "…", "metadata": {"utter_action": "utter_ask_csat"}}


def after_the_rating_question(message: str, intent: str):
    said = {"event": "user", "text": message, "parse_data": {"text": message}}
    return make_tracker(message, intent=intent, entities=[], events=[ASKED, said])


@pytest.mark.parametrize(
    ("message", "rating"),
    [
        ("5", 5), ("4/5", 4), ("je mets 4/5", 4), ("5 étoiles", 5), ("3 sur 5", 3),
        ("cinq", 5), ("deux sur cinq", 2), ("1", 1),
        ("bof", None), ("10/10", None), ("entre 3 et 4", None),
        ("est-ce que je peux avoir un autre rabais sur trois bagues ?", None),
    ],
)  # fmt: skip
def test_a_rating_is_read_from_what_is_typed(message, rating):
    assert rating_of(make_tracker(message, entities=[])) == rating


def ratings(database_url: str) -> list[int]:
    with create_engine(database_url).connect() as connection:
        return [row[0] for row in connection.execute(text("SELECT rating FROM csat_ratings"))]


@pytest.mark.parametrize(("message", "intent"), [("4/5", "out_of_scope"), ("5", "nlu_fallback")])
def test_a_rating_typed_after_the_question_is_recorded_whatever_it_is_read_as(
    shop, demo_database, message, intent
):
    before = ratings(demo_database)

    messages, _ = run_action(ActionFallback(), after_the_rating_question(message, intent))

    assert responses(messages) == ["utter_thanks_for_rating"]
    assert ratings(demo_database) == [*before, int(message[0])]


def test_thanks_with_a_rating_record_the_rating(shop, demo_database):
    before = ratings(demo_database)

    messages, _ = run_action(ActionThank(), after_the_rating_question("merci, 5/5", "thank"))

    assert responses(messages) == ["utter_thanks_for_rating"]
    assert ratings(demo_database) == [*before, 5]


def test_a_number_without_the_rating_question_is_no_rating(shop, demo_database):
    before = ratings(demo_database)
    tracker = make_tracker("5", intent="out_of_scope", entities=[])

    messages, _ = run_action(ActionFallback(), tracker)

    assert "utter_thanks_for_rating" not in responses(messages)
    assert ratings(demo_database) == before
