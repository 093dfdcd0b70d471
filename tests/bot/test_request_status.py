"""A customer coming back to a request already written is told how it stands."""

from __future__ import annotations

import pytest
from action_helpers import make_tracker, responses, run_action
from actions import slots
from actions.returns import ActionReturnItem
from actions.warranty import ActionWarrantyClaim

from backend.policies.common import CustomerReason

SOPHIE = {slots.VERIFIED_ORDER: "AZ104204", slots.VERIFIED_EMAIL: "sophie.martin@exemple.com"}


@pytest.mark.parametrize(
    "message",
    [
        "J'ai déjà le numéro {reference}. Pouvez-vous vérifier où en est ma demande?",
        "J'ai renvoyé les boucles, numéro {reference}, quand est-ce que je serai remboursée?",
        "ma demande de retour a-t-elle été acceptée ?",
    ],
)
def test_a_request_asked_about_is_told_with_its_status_and_what_comes_next(own_shop, message):
    written = own_shop.request_return(
        "AZ104204", "sophie.martin@exemple.com", CustomerReason.CHANGED_MIND
    )
    text = message.format(reference=written.request.reference)
    tracker = make_tracker(text, intent="return_item", slots=SOPHIE)

    messages, _ = run_action(ActionReturnItem(), tracker)

    assert responses(messages) == ["utter_request_status_open", "utter_next_return"]
    assert messages[0]["reference"] == written.request.reference
    assert messages[0]["kind"] == "retour"


def test_no_request_open_is_said_so(own_shop):
    tracker = make_tracker(
        "j'ai ouvert une réclamation la semaine passée, où en est ma demande ?",
        intent="warranty_claim",
        slots=SOPHIE,
    )

    messages, _ = run_action(ActionWarrantyClaim(), tracker)

    assert responses(messages) == ["utter_no_request_to_tell"]


def test_a_request_not_asked_about_leaves_the_flow_its_answer(own_shop):
    tracker = make_tracker("je veux retourner les boucles", intent="return_item", slots=SOPHIE)

    messages, _ = run_action(ActionReturnItem(), tracker)

    assert not any(r.startswith("utter_request_status") for r in responses(messages))
