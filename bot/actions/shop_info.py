"""Taxes, promotions, promo codes and loyalty: general answers, personalised when identified."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import cues, slots
from actions.base import (
    AssistantAction,
    Identity,
    OrderBoundAction,
    mentioned_order,
    verified_identity,
)
from actions.faq import (
    answer_generally,
    aspect_of,
    follow_up_on_topic,
    region_in,
    tell_the_promotions_on_now,
    unstated_practice_asked,
)
from actions.opening_hours import hours_and_a_person_offered
from actions.outcomes import plain
from actions.shop import shop_service
from actions.values import (
    NBSP,
    cart_amount,
    count,
    country_name,
    day,
    destination,
    money,
    time_of_day,
)
from actions.yes_no import HANDOFF_ACTION, ask_confirmation
from backend.domain import OrderStatus, PromotionKind
from backend.formatting import format_percent
from backend.policies.reasons import ReasonCode
from backend.services import ShopService

# Every outcome of the tax policy has its text (tests/bot/test_reason_texts.py).
TAX_RESPONSES = {
    ReasonCode.TAXES_APPLY: "utter_tax_breakdown",
    ReasonCode.INTERNATIONAL_DUTIES: "utter_tax_international",
    ReasonCode.NO_TAX_RATES: "utter_tax_no_rates",
}


class ActionTaxInfo(OrderBoundAction):
    """The tax breakdown of the customer's order; the general rule when no order is given."""

    def name(self) -> str:
        return "action_tax_info"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        text = tracker.latest_message.get("text") or ""
        general = verified_identity(tracker) is None and mentioned_order(tracker) is None
        if general or region_in(text):  # no order, or a region other than theirs
            aspect = aspect_of(self.topic(), text)
            return answer_generally(dispatcher, tracker, shop_service(), self.topic(), aspect)
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
        values = {
            "order_number": identity.order_number,
            "delivery": "livrée" if summary.status is OrderStatus.DELIVERED else "à livrer",
            "destination": destination(breakdown.country, breakdown.region),
            "country": country_name(breakdown.country),
        }
        if breakdown.reason is ReasonCode.TAXES_APPLY:
            components = "\n".join(
                f"- {c.name[:1].upper()}{c.name[1:]} {format_percent(c.rate)}{NBSP}: "
                f"{money(c.amount, summary.currency)}"
                for c in breakdown.components
            )
            dispatcher.utter_message(
                response=TAX_RESPONSES[breakdown.reason],
                taxable=money(breakdown.taxable_amount, summary.currency),
                components=components,
                total=money(breakdown.total_amount, summary.currency),
                **values,
            )
            if breakdown.international:
                dispatcher.utter_message(response="utter_tax_international_duties", **values)
        else:
            dispatcher.utter_message(response=TAX_RESPONSES[breakdown.reason], **values)
        return []


class ActionPromotions(AssistantAction):
    def name(self) -> str:
        return "action_promotions"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        text = tracker.latest_message.get("text") or ""
        if cues.asks_opening_hours(text):
            # « quelqu'un de chez vous est en ligne en ce moment ? » is no promotion on now
            return hours_and_a_person_offered(dispatcher, text)
        if (practice := unstated_practice_asked(text)) is not None:
            # « comment me désinscrire de l'infolettre ? », « rembourser la différence ? »
            dispatcher.utter_message(response=practice)
            return []
        answered = follow_up_on_topic(dispatcher, tracker, shop_service(), "promotions")
        if answered is not None:
            return answered
        if (aspect := aspect_of("promotions", text)) is not None:
            events = answer_generally(dispatcher, tracker, shop_service(), "promotions", aspect)
            if aspect == "flash":
                tell_the_flash_sales_on_now(dispatcher)
            return events
        tell_the_promotions_on_now(dispatcher, shop_service(), "utter_active_promotions")
        return [SlotSet(slots.TOPIC, "promotions")]


def tell_the_flash_sales_on_now(dispatcher: CollectingDispatcher) -> None:
    """« c'est quoi la vente éclair ? », « elle finit quand ? »: the one on now, and its end."""
    for promotion in shop_service().active_promotions():
        if promotion.kind is PromotionKind.FLASH_SALE:
            dispatcher.utter_message(
                response="utter_flash_sale_now",
                title=promotion.title,
                ends_on=day(promotion.ends_at),
                ends_at=time_of_day(promotion.ends_at),
            )


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
            text = tracker.latest_message.get("text") or ""
            if (practice := unstated_practice_asked(text)) is not None:
                dispatcher.utter_message(response=practice)
                return []
            if cues.misses_the_gift_card(text):  # « elle a pas reçu le code de la carte-cadeau »
                return ask_confirmation(dispatcher, "utter_e_gift_card_by_email", HANDOFF_ACTION)
            if (aspect := aspect_of("promotions", text)) in ("several_codes", "codes"):
                return answer_generally(dispatcher, tracker, shop_service(), "promotions", aspect)
            dispatcher.utter_message(response="utter_promo_code_general")
            return [SlotSet(slots.TOPIC, "promotions")]
        return answer_promo_code(dispatcher, tracker, code)


def promo_code_follow_up(dispatcher: CollectingDispatcher, tracker: Tracker) -> list | None:
    """« ok et BIENVENUE10 ? » (read as a yes) checks that code; « c'est pas ma première
    commande » right after a code was checked checks it again with that said."""
    text = tracker.latest_message.get("text") or ""
    code = next(tracker.get_latest_entity_values(slots.PROMO_CODE), None)
    after_a_code = tracker.get_slot(slots.TOPIC) == "promotions"
    if code is None and after_a_code and ALREADY_ORDERED.search(plain(text)):
        code = tracker.get_slot(slots.PROMO_CODE)
    return answer_promo_code(dispatcher, tracker, code) if code else None


def answer_promo_code(dispatcher: CollectingDispatcher, tracker: Tracker, code: str) -> list:
    """Whether `code` works, with the conditions the customer's words did not let us check."""
    identity = verified_identity(tracker)
    text = tracker.latest_message.get("text") or ""
    subtotal = cart_amount(text)
    said_has_orders = True if ALREADY_ORDERED.search(plain(text)) else None
    decision = shop_service().check_promo_code(
        code,
        email=identity.email if identity else None,
        order_number=identity.order_number if identity else None,
        subtotal=subtotal,
        said_has_orders=said_has_orders,
        codes_in_order=list(dict.fromkeys(tracker.get_latest_entity_values(slots.PROMO_CODE))),
    )
    promotion = decision.promotion
    values = {
        "code": decision.code,
        "title": promotion.title if promotion else "",
        "starts_on": day(promotion.starts_at) if promotion else "",
        "ends_on": day(promotion.ends_at) if promotion else "",
        "minimum": money(promotion.min_subtotal, "CAD") if promotion else "",
    }
    dispatcher.utter_message(response=PROMO_RESPONSES[decision.reason], **values)
    if decision.reason is ReasonCode.PROMO_VALID and promotion is not None:
        # Conditions the customer's words did not let us check: state them.
        if promotion.first_order_only and not identity and said_has_orders is None:
            dispatcher.utter_message(response="utter_promo_condition_first_order")
        if promotion.min_subtotal and subtotal is None:
            dispatcher.utter_message(response="utter_promo_condition_minimum", **values)
    if decision.reason is not ReasonCode.PROMO_ONE_PER_ORDER:
        dispatcher.utter_message(response="utter_promo_one_code_per_order")
    return [SlotSet(slots.TOPIC, "promotions"), SlotSet(slots.PROMO_CODE, decision.code)]


# « j'ai déjà commandé », « ce n'est pas ma première commande » (lower case, no accents).
ALREADY_ORDERED = re.compile(
    r"deja (commande|passe (une |des )?commande|achete|client)|"
    r"pas (ma|mon) premi[e]re? (commande|achat)|deja une commande"
)


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
            dispatcher.utter_message(
                response="utter_loyalty_balance", points=count(decision.points)
            )
        else:
            dispatcher.utter_message(response="utter_loyalty_not_member", email=identity.email)
        return []
