"""Warranty claims: what happened, whether the 2-year warranty covers it, what to send."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import slots
from actions.base import (
    AssistantAction,
    Identity,
    OrderBoundAction,
    announce_request,
    ask_confirmation,
    is_preview,
    note_the_wish_and_ask_again,
    tell_the_open_request,
    verified_identity,
)
from actions.cues import is_leaving_the_form, words_of
from actions.details import (
    detail_said_recently,
    entities,
    flow_messages,
    named_lines,
    recent_messages,
    skus_of,
    stated_preference,
)
from actions.outcomes import offer_the_other_flow, tell_the_order_lacks_it, utter_excluded_lines
from actions.shop import shop_service
from actions.values import agreement, day, enumeration
from backend.domain import RequestKind
from backend.policies.common import CustomerReason
from backend.policies.reasons import ReasonCode
from backend.policies.warranty import WarrantyCause
from backend.services import RequestView, ShopService

WARRANTY_FORM = "warranty_form"
FLOW_INTENT = "warranty_claim"
RETURN_FLOW = "action_return_item"
# FAQ: Allyzure refunds or replaces « à sa discrétion »: a wish is noted, never promised.
PREFERENCE_RESPONSES = {
    "refund": "utter_warranty_preference_refund",
    "replacement": "utter_warranty_preference_replacement",
}

CLAIM_OFFER = "action_warranty_claim"
# « jusqu'à quand ma bague est-elle garantie ? », « elle est encore couverte ? »
UNTIL_WHEN = re.compile(
    r"jusqu'a quand|combien de temps|(finit|termine|expire)\w*|date de fin"
    r"|encore (couverte?s?|garantie?s?)"
)


def only_asks_until_when(tracker: Tracker) -> bool:
    """The flow's messages ask how long the piece is covered and describe no problem."""
    said = list(flow_messages(tracker, FLOW_INTENT))
    asks = any(UNTIL_WHEN.search(words_of(data.get("text") or "")) for data in said)
    problem = any(
        entity.get("entity") in {"warranty_cause", "reason"}
        for data in said
        for entity in data.get("entities") or []
    )
    return asks and not problem


def preference_stated_while_offered(
    dispatcher: CollectingDispatcher, tracker: Tracker
) -> list[EventType] | None:
    """« je préférerais un remboursement » while « j'ouvre la réclamation ? » waits: the wish
    is noted (it goes with the claim) and the question asked again, instead of the general
    rule on refunds and replacements."""
    return note_the_wish_and_ask_again(
        dispatcher, tracker, CLAIM_OFFER, PREFERENCE_RESPONSES, "utter_confirm_warranty_claim"
    )


def cause_ruled_out_while_offered(
    dispatcher: CollectingDispatcher, tracker: Tracker
) -> list[EventType] | None:
    """« non je l'ai pas fait modifier, c'est cassé tout seul » to « j'ouvre la réclamation ? »:
    the « non » answers whether it was modified, not whether to open the claim."""
    if tracker.get_slot(slots.PENDING_CONFIRMATION) != CLAIM_OFFER:
        return None
    text = tracker.latest_message.get("text") or ""
    denied = any(
        entity.get("entity") == "denied_cause"
        for entity in tracker.latest_message.get("entities") or []
    )
    if not denied or is_leaving_the_form(text):
        return None
    dispatcher.utter_message(response="utter_cause_ruled_out_noted")
    return ask_to_open_the_claim(dispatcher)


def open_claim(service: ShopService, identity: Identity) -> RequestView | None:
    return service.open_request(identity.order_number, identity.email, RequestKind.WARRANTY_CLAIM)


def ask_to_open_the_claim(dispatcher: CollectingDispatcher) -> list[EventType]:
    return ask_confirmation(dispatcher, "utter_confirm_warranty_claim", CLAIM_OFFER)


# Every outcome of check_warranty has its text (tests/bot/test_reason_texts.py).
RESPONSES = {
    ReasonCode.WITHIN_WARRANTY: "utter_warranty_covered",
    ReasonCode.COVERED_DEFECT: "utter_warranty_covered",
    ReasonCode.WARRANTY_EXPIRED: "utter_warranty_expired",
    ReasonCode.NO_COVERED_LINE: "utter_warranty_no_covered_line",
    ReasonCode.EXCLUDED_LOSS: "utter_warranty_excluded_loss",
    ReasonCode.EXCLUDED_NORMAL_WEAR: "utter_warranty_excluded_wear",
    ReasonCode.EXCLUDED_IMPROPER_USE: "utter_warranty_excluded_improper_use",
    ReasonCode.EXCLUDED_MODIFICATION: "utter_warranty_excluded_modification",
    ReasonCode.EXCLUDED_NON_ALLYZURE_ITEM: "utter_warranty_excluded_non_allyzure",
    ReasonCode.NOT_DELIVERED_YET: "utter_warranty_not_delivered",
    ReasonCode.ORDER_CANCELLED: "utter_order_cancelled",
}
LINE_RESPONSES = {
    ReasonCode.WARRANTY_EXCLUDED_PRODUCT: "utter_warranty_line_promotional",
    ReasonCode.GIFT_CARD: "utter_warranty_line_gift_card",
}
# Refusals that do not depend on what happened to the piece: answered before asking.
BEFORE_THE_CAUSE = {ReasonCode.NOT_DELIVERED_YET, ReasonCode.ORDER_CANCELLED}


def decision_values(decision, order_number: str) -> dict[str, str]:
    return {
        "order_number": order_number,
        "deadline": day(decision.deadline),
        "purchase_date": day(decision.purchase_date),
    }


def stated_cause(tracker: Tracker) -> WarrantyCause | None:
    """What happened to the piece, as the NLU read it in the flow's messages (a negated cause,
    « je ne l'ai pas perdue », is never one: bot/components/causes.py)."""
    value = detail_said_recently(tracker, FLOW_INTENT, slots.WARRANTY_CAUSE)
    if (fact := fact_about_the_piece(tracker)) is not None:
        value = fact
    return WarrantyCause(value) if value in {cause.value for cause in WarrantyCause} else None


# What was done to the piece, or where it comes from, stays true whatever is said after it:
# « je l'ai fait agrandir chez un bijoutier », then « mais la fissure est un défaut du métal ».
FACTS_ABOUT_THE_PIECE = ("modification", "non_allyzure_item")


def fact_about_the_piece(tracker: Tracker) -> str | None:
    """A modification elsewhere or a piece bought elsewhere, said in the flow or just
    before it: the FAQ excludes it from the warranty, whatever the damage."""
    said = [*flow_messages(tracker, FLOW_INTENT), *recent_messages(tracker)]
    return next(
        (
            entity.get("value")
            for parse_data in said
            for entity in entities(parse_data, slots.WARRANTY_CAUSE)
            if entity.get("value") in FACTS_ABOUT_THE_PIECE and not entity.get("role")
        ),
        None,
    )


def problem_description(tracker: Tracker) -> str:
    """What the customer wrote about the problem, for the agent who reads the claim: the newest
    message of the flow that states a cause, else the flow's first one — never the « oui »
    that confirmed the claim."""
    messages = [m for m in flow_messages(tracker, FLOW_INTENT) if m.get("text")]
    typed = [m for m in messages if not str(m["text"]).startswith("/")]  # not a button
    said_before = [m for m in recent_messages(tracker) if m.get("text")]
    stated = [m for m in [*typed, *said_before] if entities(m, slots.WARRANTY_CAUSE)]
    chosen = stated[0] if stated else (typed[-1] if typed else {})
    return str(chosen.get("text") or "")


def claimed_skus(tracker: Tracker, lines) -> list[str] | None:
    """The lines the customer named (None: every covered line)."""
    resolution = named_lines(tracker, FLOW_INTENT, lines)
    return skus_of(lines, resolution.lines) if resolution.named else None


class ActionWarrantyClaim(OrderBoundAction):
    request_kind = RequestKind.WARRANTY_CLAIM

    def name(self) -> str:
        return "action_warranty_claim"

    def note_a_preference_while_offered(
        self, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> list[EventType] | None:
        return preference_stated_while_offered(dispatcher, tracker)

    def respond(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        service: ShopService,
        identity: Identity,
    ) -> list[EventType]:
        claim = open_claim(service, identity)
        if claim is not None and stated_cause(tracker) is None:
            # « où en est ma réclamation ? »: one is open per order, and asking what happened
            # again would look like a new claim (a new problem still gets its verdict)
            tell_the_open_request(dispatcher, claim)
            return []
        decision = service.check_warranty(identity.order_number, identity.email)
        order_number = identity.order_number
        if lacking := tell_the_order_lacks_it(
            dispatcher, tracker, FLOW_INTENT, order_number, decision.lines
        ):
            return lacking
        values = decision_values(decision, identity.order_number)
        if decision.reason in BEFORE_THE_CAUSE or decision.reason is ReasonCode.WARRANTY_EXPIRED:
            dispatcher.utter_message(response=RESPONSES[decision.reason], **values)
            return []
        cause = stated_cause(tracker)
        if decision.reason is ReasonCode.NO_COVERED_LINE:  # nothing to ask: no line is covered
            dispatcher.utter_message(response=RESPONSES[decision.reason], **values)
            utter_excluded_lines(dispatcher, decision.lines, LINE_RESPONSES)
            return offer_a_defective_return(dispatcher, service, identity, cause, None)
        if cause is None:  # the customer may only be asking whether the piece is still covered
            dispatcher.utter_message(response="utter_warranty_covered_until", **values)
            if only_asks_until_when(tracker):
                # « jusqu'à quand ma bague est-elle garantie ? »: answered; no « que s'est-il
                # passé ? » about a problem nobody mentioned
                dispatcher.utter_message(response="utter_warranty_claim_when_needed")
                return []
        return [
            SlotSet(slots.WARRANTY_CAUSE, cause.value if cause else None),
            FollowupAction(WARRANTY_FORM),
        ]

    def confirm(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        service: ShopService,
        identity: Identity,
    ) -> list[EventType]:
        cause = WarrantyCause(tracker.get_slot(slots.WARRANTY_CAUSE) or WarrantyCause.DEFECT)
        every_line = service.check_warranty(identity.order_number, identity.email, cause).lines
        outcome = service.open_warranty_claim(
            identity.order_number,
            identity.email,
            cause=cause,
            skus=claimed_skus(tracker, every_line),
            preference=stated_preference(tracker, FLOW_INTENT),
            description=problem_description(tracker)[:500],
            dry_run=is_preview(tracker),
        )
        return announce_request(dispatcher, outcome, "utter_warranty_claim_opened")


def offer_a_defective_return(
    dispatcher: CollectingDispatcher,
    service: ShopService,
    identity: Identity,
    cause: WarrantyCause | None,
    skus: list[str] | None,
) -> list[EventType]:
    """A defect on pieces the warranty does not cover (a promotional item) that arrived within
    the return window: they can still come back as defective, return shipping at the shop's
    cost (FAQ, returns). The refusal alone would leave the customer with less than the shop
    offers; the return flow checks it if they agree."""
    if cause is not WarrantyCause.DEFECT:
        return []
    decision = service.check_return(
        identity.order_number, identity.email, CustomerReason.DEFECTIVE, skus
    )
    return offer_the_other_flow(
        dispatcher,
        decision,
        "utter_warranty_return_instead",
        RETURN_FLOW,
        delivered_on=day(decision.delivered_on),
        deadline=day(decision.deadline),
    )


class ValidateWarrantyForm(FormValidationAction):
    def name(self) -> str:
        return "validate_warranty_form"

    def validate_warranty_cause(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> dict[str, Any]:
        valid = {cause.value for cause in WarrantyCause}
        if value != WarrantyCause.MODIFICATION.value and (fact := fact_about_the_piece(tracker)):
            # the form reads the latest message's cause (« c'est le métal qui est défectueux »)
            # over the modification said before it: the fact stands
            return {slots.WARRANTY_CAUSE: fact}
        return {slots.WARRANTY_CAUSE: value if value in valid else None}


class ActionDecideWarranty(AssistantAction):
    """Runs when the warranty form is complete: decide coverage and offer to open a claim."""

    def name(self) -> str:
        return "action_decide_warranty"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        identity = verified_identity(tracker)
        if identity is None:
            dispatcher.utter_message(response="utter_anything_else")
            return []
        cause = WarrantyCause(tracker.get_slot(slots.WARRANTY_CAUSE) or WarrantyCause.DEFECT)
        service = shop_service()
        whole_order = service.check_warranty(identity.order_number, identity.email, cause)
        skus = claimed_skus(tracker, whole_order.lines)
        decision = whole_order
        if skus is not None:  # lines named: decided for those
            decision = service.check_warranty(identity.order_number, identity.email, cause, skus)
        values = decision_values(decision, identity.order_number)
        if not decision.eligible:
            dispatcher.utter_message(response=RESPONSES[decision.reason], **values)
            if decision.reason is not ReasonCode.NO_COVERED_LINE:
                return []
            utter_excluded_lines(dispatcher, decision.lines, LINE_RESPONSES)
            return offer_a_defective_return(dispatcher, service, identity, cause, skus)
        covered = [line for line in decision.lines if line.eligible]
        dispatcher.utter_message(
            response=RESPONSES[decision.reason],
            **values,
            items=enumeration(line.name for line in covered),
            **agreement(line.category for line in covered),
        )
        utter_excluded_lines(dispatcher, decision.lines, LINE_RESPONSES)
        if (claim := open_claim(service, identity)) is not None:
            tell_the_open_request(dispatcher, claim)  # not offered twice, not « ouverte » again
            return []
        if (wanted := stated_preference(tracker, FLOW_INTENT)) in PREFERENCE_RESPONSES:
            dispatcher.utter_message(response=PREFERENCE_RESPONSES[wanted])
        return ask_to_open_the_claim(dispatcher)
