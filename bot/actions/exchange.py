"""Exchanges: 30 days from the purchase date; engraved pieces only for a defect or our error.

The reason (changed mind, defect, damage, our error) comes from the customer's words or a
clicked button: it decides whether an engraved piece can be exchanged and who pays the return.
"""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import slots
from actions.base import (
    Identity,
    OrderBoundAction,
    announce_request,
    answered_in_the_previous_turn,
    ask_confirmation,
    is_preview,
    report_facts,
)
from actions.details import chosen_skus, stated_preference
from actions.outcomes import (
    customer_reason,
    eligible_names,
    lines_to_decide,
    utter_excluded_lines,
)
from actions.values import day, enumeration, money
from backend.domain import RequestKind
from backend.policies.common import CustomerReason
from backend.policies.exchange import MONEY_BACK, refund_instead_of_exchange
from backend.policies.reasons import ReasonCode
from backend.policies.returns import ReturnDecision
from backend.services import ShopService

# Every outcome of check_exchange has its text (tests/bot/test_reason_texts.py).
RESPONSES = {
    ReasonCode.WITHIN_EXCHANGE_WINDOW: "utter_exchange_eligible",
    ReasonCode.EXCHANGE_WINDOW_EXPIRED: "utter_exchange_window_expired",
    ReasonCode.NO_EXCHANGEABLE_LINE: "utter_exchange_no_exchangeable_line",
    ReasonCode.NOT_DELIVERED_YET: "utter_exchange_not_delivered",
    ReasonCode.ORDER_CANCELLED: "utter_order_cancelled",
}
LINE_RESPONSES = {
    ReasonCode.PERSONALISED_LINE: "utter_exchange_line_personalised",
    ReasonCode.GIFT_CARD: "utter_exchange_line_gift_card",
}
FLOW_INTENT = "exchange_item"
ASK_DEFECT = "utter_exchange_personalised_ask_defect"
# An engraved or personalised line's decisions: refused, or exchangeable for the defect said.
PERSONALISED = {ReasonCode.PERSONALISED_LINE, ReasonCode.DEFECT_OR_SHOP_ERROR}


def exchanged_lines(
    tracker: Tracker, service: ShopService, identity: Identity, reason: CustomerReason | None
) -> tuple[list[str] | None, list[str]]:
    every_line = service.check_exchange(
        identity.order_number, identity.email, reason or CustomerReason.CHANGED_MIND
    ).lines
    return chosen_skus(tracker, FLOW_INTENT, every_line)


# The return that gives what the customer asked for instead of another piece.
RETURN_INSTEAD = {
    "refund": "utter_exchange_refund_preferred",
    "store_credit": "utter_exchange_store_credit_preferred",
}


def offer_return_instead(
    dispatcher: CollectingDispatcher, refund: ReturnDecision, wanted: str
) -> list[EventType]:
    """The customer wants their money back, not another piece: the return that gives it, with
    its deadline and amount; its button says the lines and the outcome in words, which the
    return flow reads like any message (a customer channel takes no hand-made commands)."""
    returnable = eligible_names(refund.lines)
    dispatcher.utter_message(
        response=RETURN_INSTEAD[wanted],
        items=enumeration(returnable),
        return_items=" et ".join(returnable),
        deadline=day(refund.deadline),
        refund=money(refund.refund_amount, refund.currency),
    )
    return []


class ActionExchangeItem(OrderBoundAction):
    request_kind = RequestKind.EXCHANGE

    def name(self) -> str:
        return "action_exchange_item"

    def respond(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        service: ShopService,
        identity: Identity,
    ) -> list[EventType]:
        reason = customer_reason(tracker, FLOW_INTENT)
        whole_order = service.check_exchange(
            identity.order_number, identity.email, reason or CustomerReason.CHANGED_MIND
        )
        skus, asked = lines_to_decide(
            dispatcher, tracker, FLOW_INTENT, identity.order_number, whole_order.lines
        )
        if asked is not None:
            return asked
        if skus is None and answered_in_the_previous_turn(tracker, {ASK_DEFECT}):
            # the answer to « Est-ce le cas ? » is about the engraved pieces it named: decided
            # for them, never « vous pourrez l'échanger après réception » of the whole order
            skus = [line.sku for line in whole_order.lines if line.reason in PERSONALISED]
        wanted = stated_preference(tracker, FLOW_INTENT)
        if wanted in MONEY_BACK:
            refund = service.check_return(
                identity.order_number, identity.email, reason or CustomerReason.CHANGED_MIND, skus
            )
            if refund_instead_of_exchange(wanted, refund):
                return offer_return_instead(dispatcher, refund, wanted)
            if refund.reason is ReasonCode.NOT_DELIVERED_YET:
                # not « plus possible »: the return's 30 days start at the delivery
                dispatcher.utter_message(response="utter_exchange_refund_after_delivery")
            else:
                dispatcher.utter_message(response="utter_exchange_refund_not_possible")
        decision = whole_order
        if skus is not None:  # lines named: decided for those
            decision = service.check_exchange(
                identity.order_number, identity.email, reason or CustomerReason.CHANGED_MIND, skus
            )
        report_facts(
            dispatcher,
            tracker,
            flow=self.name(),
            order_number=identity.order_number,
            reason=decision.reason.value,
            customer_reason=reason.value if reason else None,
            deadline=decision.deadline,
        )
        values = {
            "order_number": identity.order_number,
            "deadline": day(decision.deadline),
            "exchange_days": str(decision.exchange_days),
        }
        personalised = [
            line for line in decision.lines if line.reason is ReasonCode.PERSONALISED_LINE
        ]
        if (
            decision.reason is ReasonCode.NO_EXCHANGEABLE_LINE
            and personalised
            and not answered_in_the_previous_turn(tracker, {ASK_DEFECT})
        ):
            # Refused only because nobody said the engraved piece is defective: ask (once; an
            # answer naming no defect, « non, c'est seulement la taille », gets the refusal).
            gift_cards = {ReasonCode.GIFT_CARD: LINE_RESPONSES[ReasonCode.GIFT_CARD]}
            utter_excluded_lines(dispatcher, decision.lines, gift_cards)
            dispatcher.utter_message(
                response=ASK_DEFECT,
                order_number=identity.order_number,
                items=enumeration(line.name for line in personalised),
            )
            return []
        if not decision.eligible:
            dispatcher.utter_message(response=RESPONSES[decision.reason], **values)
            if decision.reason is ReasonCode.NO_EXCHANGEABLE_LINE:
                utter_excluded_lines(dispatcher, decision.lines, LINE_RESPONSES)
            return []
        exchangeable = eligible_names(decision.lines)
        dispatcher.utter_message(
            response=RESPONSES[decision.reason], items=enumeration(exchangeable), **values
        )
        utter_excluded_lines(dispatcher, decision.lines, LINE_RESPONSES)
        for_defect = [
            line.name for line in decision.lines if line.reason is ReasonCode.DEFECT_OR_SHOP_ERROR
        ]
        if for_defect:
            dispatcher.utter_message(
                response="utter_exchange_defect_way_forward", items=enumeration(for_defect)
            )
        if reason is None:
            dispatcher.utter_message(response="utter_exchange_conditions_unless_shop_fault")
            dispatcher.utter_message(response="utter_confirm_exchange_with_reason")
            return [SlotSet(slots.PENDING_CONFIRMATION, self.name())]
        dispatcher.utter_message(
            response="utter_exchange_conditions_shop_pays"
            if reason.shop_at_fault
            else "utter_exchange_conditions"
        )
        return ask_confirmation(dispatcher, "utter_confirm_exchange", self.name())

    def confirm(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        service: ShopService,
        identity: Identity,
    ) -> list[EventType]:
        reason = customer_reason(tracker, FLOW_INTENT) or CustomerReason.CHANGED_MIND
        skus, _ = exchanged_lines(tracker, service, identity, reason)
        outcome = service.request_exchange(
            identity.order_number, identity.email, reason, skus=skus, dry_run=is_preview(tracker)
        )
        return announce_request(dispatcher, outcome, "utter_exchange_created")
