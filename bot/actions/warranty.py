"""Warranty claims: what happened, whether the 2-year warranty covers it, what to send."""

from __future__ import annotations

import re
import unicodedata
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
    verified_identity,
)
from actions.outcomes import utter_excluded_lines
from actions.shop import shop_service
from actions.values import agreement, day, enumeration
from backend.domain import RequestKind
from backend.policies.reasons import ReasonCode
from backend.policies.warranty import WarrantyCause
from backend.services import ShopService

WARRANTY_FORM = "warranty_form"

# Keywords (accents removed) that tell the cause when the customer types instead of clicking.
CAUSE_KEYWORDS = [
    (WarrantyCause.LOSS, r"perdu|egare|vole|perte"),
    (WarrantyCause.MODIFICATION, r"repar|modifi|bijoutier|agrandi|retreci|mise a taille"),
    (WarrantyCause.IMPROPER_USE, r"echappe|tombe par terre|choc|ecrase|chlore|piscine|produit"),
    (WarrantyCause.NORMAL_WEAR, r"rayure|raye|usure|\buse(e|s|es)?\b|egratign"),
    (WarrantyCause.NON_ALLYZURE_ITEM, r"pas achete chez|autre (bijouterie|magasin)"),
    (
        WarrantyCause.DEFECT,
        r"defaut|defectu|casse|brise|fermoir|pierre|soudure|terni|noirci|"
        r"decolle|plie|tombe|lache|fabrication",
    ),
]

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


def plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def cause_from_text(text: str) -> WarrantyCause | None:
    simplified = plain(text)
    for cause, pattern in CAUSE_KEYWORDS:
        if re.search(pattern, simplified):
            return cause
    return None


def claim_message(tracker: Tracker) -> str:
    """The customer's message that started the claim (identification may have followed)."""
    for event in reversed(tracker.events):
        parse_data = event.get("parse_data") or {}
        if event.get("event") == "user" and parse_data.get("intent", {}).get("name") == (
            "warranty_claim"
        ):
            return event.get("text") or ""
    return tracker.latest_message.get("text") or ""


class ActionWarrantyClaim(OrderBoundAction):
    request_kind = RequestKind.WARRANTY_CLAIM

    def name(self) -> str:
        return "action_warranty_claim"

    def respond(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        service: ShopService,
        identity: Identity,
    ) -> list[EventType]:
        decision = service.check_warranty(identity.order_number, identity.email)
        values = decision_values(decision, identity.order_number)
        if decision.reason in BEFORE_THE_CAUSE or decision.reason is ReasonCode.WARRANTY_EXPIRED:
            dispatcher.utter_message(response=RESPONSES[decision.reason], **values)
            return []
        cause = cause_from_text(claim_message(tracker))
        if cause is None:  # the customer may only be asking whether the piece is still covered
            dispatcher.utter_message(
                response="utter_warranty_covered_until",
                warranty_years=service.policy.warranty_years,
                **values,
            )
        return [SlotSet(slots.WARRANTY_CAUSE, cause.value if cause else None),
                FollowupAction(WARRANTY_FORM)]  # fmt: skip

    def confirm(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        service: ShopService,
        identity: Identity,
    ) -> list[EventType]:
        cause = WarrantyCause(tracker.get_slot(slots.WARRANTY_CAUSE) or WarrantyCause.DEFECT)
        outcome = service.open_warranty_claim(
            identity.order_number,
            identity.email,
            cause=cause,
            description=str(tracker.latest_message.get("text") or "")[:500],
            dry_run=is_preview(tracker),
        )
        return announce_request(dispatcher, outcome, "utter_warranty_claim_opened")


class ValidateWarrantyForm(FormValidationAction):
    def name(self) -> str:
        return "validate_warranty_form"

    async def extract_warranty_cause(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> dict[str, Any]:
        if tracker.get_slot("requested_slot") != slots.WARRANTY_CAUSE:
            return {}
        if next(tracker.get_latest_entity_values(slots.WARRANTY_CAUSE), None):
            return {}  # a button was clicked: its value wins over the wording
        cause = cause_from_text(tracker.latest_message.get("text") or "")
        return {slots.WARRANTY_CAUSE: cause.value} if cause else {}

    def validate_warranty_cause(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> dict[str, Any]:
        valid = {cause.value for cause in WarrantyCause}
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
        decision = shop_service().check_warranty(identity.order_number, identity.email, cause)
        values = decision_values(decision, identity.order_number)
        if not decision.eligible:
            dispatcher.utter_message(response=RESPONSES[decision.reason], **values)
            if decision.reason is ReasonCode.NO_COVERED_LINE:
                utter_excluded_lines(dispatcher, decision.lines, LINE_RESPONSES)
            return []
        covered = [line for line in decision.lines if line.eligible]
        dispatcher.utter_message(
            response=RESPONSES[decision.reason],
            **values,
            items=enumeration(line.name for line in covered),
            **agreement(line.category for line in covered),
        )
        utter_excluded_lines(dispatcher, decision.lines, LINE_RESPONSES)
        return ask_confirmation(dispatcher, "utter_confirm_warranty_claim", "action_warranty_claim")
