"""Taxes, promotions, promo codes and loyalty: general answers, personalised when identified."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import slots
from actions.base import (
    AssistantAction,
    Identity,
    OrderBoundAction,
    mentioned_order,
    verified_identity,
)
from actions.shop import shop_service
from actions.values import NBSP, day, money
from backend.formatting import format_percent
from backend.policies.reasons import ReasonCode
from backend.services import ShopService


class ActionTaxInfo(OrderBoundAction):
    """The tax breakdown of the customer's order; the general rule when no order is given."""

    def name(self) -> str:
        return "action_tax_info"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if verified_identity(tracker) is None and mentioned_order(tracker) is None:
            dispatcher.utter_message(response="utter_tax_general")
            return []
        return super().act(dispatcher, tracker, domain)

    def respond(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        service: ShopService,
        identity: Identity,
    ) -> list[EventType]:
        breakdown = service.check_taxes(identity.order_number, identity.email)
        summary = service.order_summary(identity.order_number, identity.email)
        if breakdown.reason is ReasonCode.TAXES_APPLY:
            components = "\n".join(
                f"- {c.name} {format_percent(c.rate)}{NBSP}: {money(c.amount, summary.currency)}"
                for c in breakdown.components
            )
            dispatcher.utter_message(
                response="utter_tax_breakdown",
                order_number=identity.order_number,
                region=breakdown.region,
                taxable=money(breakdown.taxable_amount, summary.currency),
                components=components,
                total=money(breakdown.total_amount, summary.currency),
            )
        elif breakdown.international:
            dispatcher.utter_message(
                response="utter_tax_international",
                order_number=identity.order_number,
                country=breakdown.country,
            )
        else:
            dispatcher.utter_message(response="utter_tax_general")
        return []


class ActionPromotions(AssistantAction):
    def name(self) -> str:
        return "action_promotions"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        promotions = shop_service().active_promotions()
        if not promotions:
            dispatcher.utter_message(response="utter_no_active_promotions")
            return []
        listing = "\n".join(
            f"- {p.title}"
            + (f" — code {p.code}" if p.code else "")
            + f", jusqu’au {day(p.ends_at)}"
            for p in promotions
        )
        dispatcher.utter_message(response="utter_active_promotions", promotions=listing)
        return []


PROMO_RESPONSES = {
    ReasonCode.PROMO_VALID: "utter_promo_code_valid",
    ReasonCode.PROMO_UNKNOWN: "utter_promo_code_unknown",
    ReasonCode.PROMO_EXPIRED: "utter_promo_code_expired",
    ReasonCode.PROMO_NOT_STARTED: "utter_promo_code_not_started",
    ReasonCode.PROMO_BELOW_MINIMUM: "utter_promo_code_below_minimum",
    ReasonCode.PROMO_FIRST_ORDER_ONLY: "utter_promo_code_first_order_only",
    ReasonCode.PROMO_ONE_PER_ORDER: "utter_promo_code_one_per_order",
}


class ActionPromoCode(AssistantAction):
    def name(self) -> str:
        return "action_promo_code"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        code = next(tracker.get_latest_entity_values(slots.PROMO_CODE), None)
        if not code:
            dispatcher.utter_message(response="utter_promo_code_general")
            return []
        identity = verified_identity(tracker)
        decision = shop_service().check_promo_code(
            code,
            email=identity.email if identity else None,
            order_number=identity.order_number if identity else None,
        )
        promotion = decision.promotion
        dispatcher.utter_message(
            response=PROMO_RESPONSES.get(decision.reason, "utter_promo_code_unknown"),
            code=decision.code,
            title=promotion.title if promotion else "",
            starts_on=day(promotion.starts_at) if promotion else "",
            ends_on=day(promotion.ends_at) if promotion else "",
            minimum=money(promotion.min_subtotal, "CAD") if promotion else "",
        )
        dispatcher.utter_message(response="utter_promo_one_code_per_order")
        return []


class ActionLoyaltyBalance(OrderBoundAction):
    def name(self) -> str:
        return "action_loyalty_balance"

    def respond(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        service: ShopService,
        identity: Identity,
    ) -> list[EventType]:
        decision = service.loyalty_balance(identity.email, identity.order_number)
        if decision.eligible:
            dispatcher.utter_message(response="utter_loyalty_balance", points=decision.points)
        else:
            dispatcher.utter_message(response="utter_loyalty_not_member")
        return []
