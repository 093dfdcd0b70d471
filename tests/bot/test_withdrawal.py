"""A request for a person taken back right after it was made (bot/actions/withdrawal.py)."""

from __future__ import annotations

import pytest
from action_helpers import make_tracker, responses, run_action
from actions import cues, slots
from actions.cancellation import ActionCancelOrder
from actions.conversation import ActionAnswerYesNo, ActionFallback, ActionHumanHandoff
from actions.shop import help_desk
from actions.tracking import ActionTrackOrder

from backend.policies.common import CustomerReason

CHANGED_MIND = CustomerReason.CHANGED_MIND


def after_the_handoff(text: str, intent: str):
    """The conversation of a customer who asked for a person, then writes `text`."""
    asked = make_tracker("je veux parler à un humain", intent="human_handoff")
    messages, _ = run_action(ActionHumanHandoff(), asked)
    [announced] = responses(messages)
    events = [
        *asked.events,
        {"event": "bot", "text": "…", "metadata": {"utter_action": announced}},
        {"event": "user", "text": text, "parse_data": {"text": text}},
    ]
    return make_tracker(text, intent=intent, events=events)


@pytest.mark.parametrize(
    ("action", "intent", "text"),
    [
        (ActionCancelOrder, "cancel_order", "ah non finalement annulez, j'ai trouvé ma réponse"),
        (ActionAnswerYesNo, "deny", "non finalement laissez tomber"),
        (ActionHumanHandoff, "human_handoff", "annulez ma demande de conseiller svp"),
        (ActionCancelOrder, "cancel_order", "bon laissez faire, j'attendrai. annulez la demande"),
    ],
)
def test_taking_back_the_request_for_a_person_withdraws_it(own_shop, action, intent, text):
    tracker = after_the_handoff(text, intent)

    messages, _ = run_action(action(), tracker)

    assert responses(messages) == ["utter_handoff_withdrawn"]
    assert messages[0]["reference"].startswith("AG-")
    assert help_desk().open_handoff(tracker.sender_id) is None


def test_cancelling_the_order_right_after_the_handoff_is_no_withdrawal(own_shop):
    tracker = after_the_handoff("et annulez ma commande AZ104201 aussi", "cancel_order")

    messages, _ = run_action(ActionCancelOrder(), tracker)

    assert "utter_handoff_withdrawn" not in responses(messages)
    assert help_desk().open_handoff(tracker.sender_id) is not None


@pytest.mark.parametrize(
    ("text", "takes_back"),
    [
        ("ah non finalement annulez", True),
        ("laissez tomber, c'est réglé", True),
        ("oubliez ça, j'ai trouvé ma réponse sur le site", True),
        ("non finalement pas besoin", True),
        ("annulez ma commande", False),
        ("annulez le collier", False),
        ("annulez ma demande d'échange", False),
        ("merci beaucoup", False),
    ],
)
def test_taking_back_the_request_for_a_person_is_recognised(text, takes_back):
    assert cues.takes_back_the_request_for_a_person(text) is takes_back


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("vous pouvez annuler ma demande ? finalement je garde les boucles", cues.ANY_REQUEST),
        ("Vous pouvez annuler ma demande de colis manquant ?", "missing_parcel"),
        ("annulez la demande RA-104204-01 svp", "return"),
        ("annulez le dossier CM-104204-01", "missing_parcel"),
        ("annuler le retour", "return"),
        ("je veux annuler ma commande", None),
        ("annulez ma demande d'annulation", None),
    ],
)
def test_a_request_to_cancel_names_its_kind_or_any(message, kind):
    assert cues.request_to_cancel(message) == kind


def test_cancelling_my_request_names_every_open_one_and_offers_a_person(own_shop):
    sophie = {slots.VERIFIED_ORDER: "AZ104204", slots.VERIFIED_EMAIL: "sophie.martin@exemple.com"}
    opened = own_shop.request_return("AZ104204", "sophie.martin@exemple.com", CHANGED_MIND)
    tracker = make_tracker("vous pouvez annuler ma demande ?", intent="cancel_order", slots=sophie)

    messages, events = run_action(ActionCancelOrder(), tracker)

    assert responses(messages) == ["utter_withdraw_request_by_a_person"]
    assert opened.request.reference in messages[0]["reference"]
    assert own_shop.order_summary("AZ104204", "sophie.martin@exemple.com").status.value != (
        "cancelled"
    )


@pytest.mark.parametrize(
    "text",
    [
        "je veux plus parler à un agent, annulez la demande {reference}",
        "annulez ma demande de conseiller",
        "la demande pour parler à un conseiller {reference}, je la retire",
        "vous avez pas retiré la demande de conseiller. Je n'en veux plus, svp fermez-la.",
    ],
)
def test_the_request_for_a_person_named_later_on_is_withdrawn(own_shop, text):
    asked = after_the_handoff("merci", "thank")
    reference = help_desk().open_handoff(asked.sender_id).reference
    later = [
        *asked.events,
        {"event": "bot", "text": "…", "metadata": {"utter_action": "utter_you_are_welcome"}},
    ]
    message = text.format(reference=reference)
    tracker = make_tracker(
        message, intent="human_handoff", events=[*later, {"event": "user", "text": message}]
    )

    messages, _ = run_action(ActionHumanHandoff(), tracker)

    assert responses(messages) == ["utter_handoff_withdrawn"]


def test_withdrawing_a_cancellation_done_says_it_is_done_and_offers_a_person(own_shop):
    marie = {slots.VERIFIED_ORDER: "AZ104201", slots.VERIFIED_EMAIL: "marie.tremblay@exemple.ca"}
    lines = own_shop.check_cancellation("AZ104201", "marie.tremblay@exemple.ca").lines
    bracelet = next(line.sku for line in lines if "Bracelet" in line.name)
    done = own_shop.cancel_order("AZ104201", "marie.tremblay@exemple.ca", skus=[bracelet])
    text = f"annulez ma demande {done.request.reference} svp, je veux garder le bracelet"
    tracker = make_tracker(text, intent="cancel_order", slots=marie)

    messages, _ = run_action(ActionCancelOrder(), tracker)

    assert responses(messages) == ["utter_item_already_cancelled"]
    assert "Bracelet" in messages[0]["items"]


def test_cancelling_the_request_later_with_only_a_person_asked_withdraws_that(own_shop):
    marie = {slots.VERIFIED_ORDER: "AZ104203", slots.VERIFIED_EMAIL: "marie.tremblay@exemple.ca"}
    asked = after_the_handoff("merci", "thank")
    later = [
        *asked.events,
        {"event": "bot", "text": "…", "metadata": {"utter_action": "utter_you_are_welcome"}},
        {"event": "user", "text": "annulez la demande svp"},
    ]
    tracker = make_tracker("annulez la demande svp", intent="cancel_order", slots=marie,
                           events=later)  # fmt: skip

    messages, _ = run_action(ActionCancelOrder(), tracker)

    assert responses(messages) == ["utter_handoff_withdrawn"]


@pytest.mark.parametrize(
    ("action", "intent", "text"),
    [
        (ActionTrackOrder, "track_order",
         "Dans ce cas laissez tomber le conseiller, dites-moi plutôt où en est le colis."),
        (ActionCancelOrder, "cancel_order",
         "Et ma demande de conseiller, elle est annulée du coup ?"),
    ],
)  # fmt: skip
def test_the_request_for_a_person_dropped_in_any_flow_is_withdrawn(own_shop, action, intent, text):
    tracker = after_the_handoff(text, intent)

    messages, _ = run_action(action(), tracker)

    assert responses(messages) == ["utter_handoff_withdrawn"]


@pytest.mark.parametrize(
    ("action", "intent"),
    [(ActionFallback, "nlu_fallback"), (ActionCancelOrder, "cancel_order")],
)
def test_a_withdrawal_with_a_question_withdraws_and_answers_whatever_its_intent(
    own_shop, action, intent
):
    tracker = after_the_handoff(
        "Ah ben finalement laissez faire, annulez ça. Juste une question : vous êtes ouverts "
        "quelles heures la semaine?",
        intent,
    )

    messages, _ = run_action(action(), tracker)

    said = responses(messages)
    assert said[0] == "utter_handoff_withdrawn"
    assert said[1].startswith("utter_opening_hours")
