"""A customer who said they have no order gets the rules, never the order number asked
(bot/actions/faq.py `said_to_have_no_order`)."""

from __future__ import annotations

import pytest
from action_helpers import make_tracker, responses, run_action
from actions.returns import ActionReturnItem


def said(text: str) -> dict:
    return {"event": "user", "text": text, "parse_data": {"text": text}}


@pytest.mark.parametrize(
    "question",
    [
        "ok mais le remboursement, il arrive sur ma carte de crédit?",
        "et le remboursement d'un retour, il arrive comment ? Sur ma carte ?",
        "je veux savoir pour le remboursement",
    ],
)
def test_after_saying_there_is_no_order_a_question_gets_the_rule(shop, question):
    earlier = [said("Je n'ai pas de commande en cours, c'est une question générale.")]
    tracker = make_tracker(question, intent="return_item", events=[*earlier, said(question)])

    messages, events = run_action(ActionReturnItem(), tracker)

    assert responses(messages)[0].startswith("utter_faq_return_item")
    assert not any(e.get("name") == "identification_form" for e in events)


def test_without_saying_so_a_request_about_the_own_order_asks_for_it(shop):
    question = "je veux retourner ma bague"
    tracker = make_tracker(question, intent="return_item")

    _, events = run_action(ActionReturnItem(), tracker)

    assert any(e.get("name") == "identification_form" for e in events)
