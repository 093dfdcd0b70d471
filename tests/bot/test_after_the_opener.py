"""« Merci ! Et vous livrez au Yukon ? », « Bonjour, livrez-vous en Belgique ? »: the request
after the opener is answered, not swallowed by the thanks or the greeting
(bot/actions/conversation.py `answer_after_the_opener`)."""

from __future__ import annotations

import pytest
from action_helpers import make_tracker, responses, run_action
from actions.conversation import ActionGreet, ActionThank


@pytest.mark.parametrize(
    ("action", "intent", "message", "rest", "answer"),
    [
        (ActionGreet(), "greet", "Bonjour, livrez-vous en Belgique ?",
         ("livrez-vous en Belgique ?", "out_of_scope", 0.5), "utter_faq_shipping"),
        (ActionThank(), "thank", "Merci beaucoup ! Et vous livrez au Yukon ?",
         ("Et vous livrez au Yukon ?", "track_order", 0.3), "utter_faq_shipping_home"),
        (ActionThank(), "thank", "ok merci. et le délai de retour c'est combien ?",
         ("et le délai de retour c'est combien ?", "return_item", 0.9),
         "utter_faq_return_item_window"),
        (ActionGreet(), "greet", "Salut! vous avez des promos en ce moment ?",
         ("vous avez des promos en ce moment ?", "promotions", 0.95),
         "utter_faq_promotions_on_now"),
    ],
)  # fmt: skip
def test_the_request_after_thanks_or_a_greeting_is_answered(
    shop, action, intent, message, rest, answer
):
    tracker = make_tracker(message, intent=intent, after_the_opener=rest)

    messages, _ = run_action(action, tracker)

    assert responses(messages)[0] in (answer, "utter_no_active_promotions")
    assert not {"utter_greet", "utter_you_are_welcome"} & set(responses(messages))


@pytest.mark.parametrize(
    ("action", "intent", "message", "rest", "answer"),
    [
        (ActionGreet(), "greet", "bonjour", None, "utter_greet"),
        (ActionGreet(), "greet", "Coucou, ça va toi ?", ("ça va toi ?", "out_of_scope", 0.6),
         "utter_greet"),
        (ActionThank(), "thank", "merci beaucoup", None, "utter_you_are_welcome"),
        (ActionThank(), "thank", "merci pour tout, c'est gentil",
         ("pour tout, c'est gentil", "thank", 0.9), "utter_you_are_welcome"),
    ],
)  # fmt: skip
def test_bare_thanks_and_greetings_get_their_usual_answer(
    shop, action, intent, message, rest, answer
):
    tracker = make_tracker(message, intent=intent, after_the_opener=rest)

    messages, _ = run_action(action, tracker)

    assert responses(messages) == [answer]


@pytest.mark.parametrize("message", ["merci pour rien", "Merci quand même..."])
def test_thanks_for_nothing_get_an_apology_and_a_person_not_avec_plaisir(shop, message):
    messages, _ = run_action(ActionThank(), make_tracker(message, intent="thank"))

    assert responses(messages) == ["utter_sorry_not_helped"]
