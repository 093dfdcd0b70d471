"""Returns: eligibility per line with the exact deadline, then the RA number on confirmation.

Who pays the return shipping depends on why the item comes back (FAQ: the customer, unless
the item received is defective or incorrect): the reason is read from the customer's words,
or asked with the confirmation when they have not said.
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
    ask_confirmation,
    is_preview,
    note_the_wish_and_ask_again,
    order_flow,
    report_facts,
    verified_identity,
    wish_worded,
)
from actions.details import chosen_skus, stated_preference
from actions.faq import PAYER_RESPONSES
from actions.outcomes import (
    customer_reason,
    eligible_names,
    lines_to_decide,
    offer_the_other_flow,
    utter_excluded_lines,
    utter_refund_detail,
)
from actions.shop import shop_service
from actions.tracking import utter_order_state
from actions.values import agreement, day, enumeration, money
from backend.domain import RequestKind
from backend.policies.common import CustomerReason, Payer
from backend.policies.reasons import ReasonCode
from backend.policies.returns import ReturnDecision
from backend.services import ShopService

# Every outcome of check_return has its text (tests/bot/test_reason_texts.py).
RESPONSES = {
    ReasonCode.WITHIN_RETURN_WINDOW: "utter_return_eligible",
    ReasonCode.HOLIDAY_EXTENSION: "utter_return_eligible",
    ReasonCode.NOT_DELIVERED_YET: "utter_return_not_delivered",
    ReasonCode.RETURN_WINDOW_EXPIRED: "utter_return_window_expired",
    ReasonCode.NO_RETURNABLE_LINE: "utter_return_no_returnable_line",
    ReasonCode.ORDER_CANCELLED: "utter_return_order_cancelled",
}
LINE_RESPONSES = {
    ReasonCode.PERSONALISED_LINE: "utter_return_line_personalised",
    ReasonCode.GIFT_CARD: "utter_return_line_gift_card",
}
FLOW_INTENT = "return_item"
EXCHANGE_FLOW = "action_exchange_item"
# What the customer asked for, answered as the FAQ allows: the refund method « en fonction de
# plusieurs facteurs », an exchange or the same piece again through the exchange flow.
PREFERENCE_RESPONSES = {
    "refund": "utter_preference_refund_noted",
    "store_credit": "utter_preference_store_credit_noted",
    "exchange": "utter_preference_exchange_instead",
    "replacement": "utter_replacement_not_in_return",
}


def returned_lines(
    tracker: Tracker,
    service: ShopService,
    identity: Identity,
    reason: CustomerReason | None,
) -> tuple[list[str] | None, list[str]]:
    """(SKUs of the lines the customer named, or None for the whole order; the candidate
    line names when what they named fits several lines)."""
    every_line = service.check_return(
        identity.order_number, identity.email, reason or CustomerReason.CHANGED_MIND
    ).lines
    return chosen_skus(tracker, FLOW_INTENT, every_line)


def not_delivered_values(decision: ReturnDecision) -> dict[str, str]:
    return {
        "return_days": str(decision.return_days),
        "holiday_until": day(decision.holiday_return_until),
    }


def offer_the_exchange_instead(
    dispatcher: CollectingDispatcher,
    service: ShopService,
    identity: Identity,
    reason: CustomerReason | None,
    skus: list[str] | None,
) -> list[EventType]:
    """A personalised piece never comes back for a refund, but it is exchangeable for a
    manufacturing defect or our error (FAQ, exchanges): an engraved necklace that arrived broken
    is offered that exchange, return shipping at the shop's cost, rather than a bare refusal.
    The exchange flow checks it if the customer agrees."""
    if reason is None or not reason.shop_at_fault:
        return []
    exchange = service.check_exchange(identity.order_number, identity.email, reason, skus=skus)
    return offer_the_other_flow(
        dispatcher,
        exchange,
        "utter_return_exchange_instead",
        EXCHANGE_FLOW,
        deadline=day(exchange.deadline),
    )


class ActionReturnItem(OrderBoundAction):
    request_kind = RequestKind.RETURN

    def name(self) -> str:
        return "action_return_item"

    def respond(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        service: ShopService,
        identity: Identity,
    ) -> list[EventType]:
        reason = customer_reason(tracker, FLOW_INTENT)
        whole_order = service.check_return(
            identity.order_number, identity.email, reason or CustomerReason.CHANGED_MIND
        )
        skus, asked = lines_to_decide(
            dispatcher, tracker, FLOW_INTENT, identity.order_number, whole_order.lines
        )
        if asked is not None:
            return asked
        # Lines named: decided for those; none: the whole order's decision is the answer.
        decision = whole_order
        if skus is not None:
            decision = service.check_return(
                identity.order_number,
                identity.email,
                reason or CustomerReason.CHANGED_MIND,
                skus=skus,
            )
        report_facts(
            dispatcher,
            tracker,
            flow=self.name(),
            order_number=identity.order_number,
            reason=decision.reason.value,
            customer_reason=reason.value if reason else None,
            deadline=decision.deadline,
            refund=decision.refund_amount,
        )
        if not decision.eligible:
            # « le collier » named on an order whose other lines can come back
            others_returnable = skus is not None and any(
                line.eligible for line in whole_order.lines
            )
            refused = self._refuse(dispatcher, identity, decision, reason, others_returnable)
            if decision.reason is not ReasonCode.NO_RETURNABLE_LINE:
                return refused
            offer = offer_the_exchange_instead(dispatcher, service, identity, reason, skus)
            return [*refused, *offer]
        returnable = eligible_names(decision.lines)
        dispatcher.utter_message(
            response=RESPONSES[decision.reason],
            order_number=identity.order_number,
            delivered_on=day(decision.delivered_on),
            deadline=day(decision.deadline),
            items=enumeration(returnable),
            refund=money(decision.refund_amount, decision.currency),
        )
        utter_refund_detail(dispatcher, decision.refund, decision.currency, kind="return")
        if decision.reason is ReasonCode.HOLIDAY_EXTENSION:
            dispatcher.utter_message(response="utter_return_holiday_extension")
        utter_excluded_lines(dispatcher, decision.lines, LINE_RESPONSES)
        if wanted := stated_preference(tracker, FLOW_INTENT):
            dispatcher.utter_message(response=PREFERENCE_RESPONSES[wanted])
        if reason is None:
            dispatcher.utter_message(response="utter_return_shipping_unless_shop_fault")
            dispatcher.utter_message(response="utter_confirm_return_with_reason")
            return [SlotSet(slots.PENDING_CONFIRMATION, self.name())]
        dispatcher.utter_message(response=PAYER_RESPONSES[decision.return_shipping_paid_by])
        return ask_confirmation(dispatcher, "utter_confirm_return", self.name())

    def note_a_preference_while_offered(
        self, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> list[EventType] | None:
        """« je préférerais un remplacement, c'est possible ? » while « je crée le retour ? »
        waits: the answer to the wish (an exchange for the same piece, the refund method as
        the FAQ allows) and the question again; never the return written on the reason
        beside it."""
        if tracker.get_slot(slots.PENDING_CONFIRMATION) != self.name():
            return None
        wish = wish_worded(tracker)
        identity = verified_identity(tracker)
        exchange = order_flow(EXCHANGE_FLOW)
        if wish in ("exchange", "replacement") and identity and exchange:
            # the same piece again, or another one: the exchange is the request to offer
            dispatcher.utter_message(response="utter_exchange_instead_of_the_return")
            offered = exchange.answer_verified(dispatcher, tracker, identity)
            return [SlotSet(slots.PENDING_CONFIRMATION, None), *offered]
        return note_the_wish_and_ask_again(
            dispatcher, tracker, self.name(), PREFERENCE_RESPONSES, "utter_confirm_return"
        )

    def _refuse(
        self,
        dispatcher,
        identity,
        decision: ReturnDecision,
        reason: CustomerReason | None,
        others_returnable: bool = False,
    ) -> list[EventType]:
        values = {"order_number": identity.order_number}
        response = RESPONSES[decision.reason]
        if decision.reason is ReasonCode.NOT_DELIVERED_YET:
            values |= not_delivered_values(decision)
            if decision.cancellation_possible:
                response = "utter_return_not_delivered_cancel_possible"
            elif decision.holiday_return_until:
                response = "utter_return_not_delivered_holiday"
        elif decision.reason is ReasonCode.RETURN_WINDOW_EXPIRED:
            values |= {
                "deadline": day(decision.deadline),
                "delivered_on": day(decision.delivered_on),
            }
        elif decision.reason is ReasonCode.NO_RETURNABLE_LINE:
            values["items"] = enumeration(line.name for line in decision.lines)
            if others_returnable:  # not « votre commande ne contient que… »
                response = "utter_return_named_lines_not_returnable"
                values |= agreement(line.category for line in decision.lines)
        dispatcher.utter_message(response=response, **values)
        if decision.reason is ReasonCode.NOT_DELIVERED_YET:
            # « je veux être remboursée, j'ai toujours rien reçu ! »: where the parcel is
            summary = shop_service().order_summary(identity.order_number, identity.email)
            utter_order_state(dispatcher, summary)
        if decision.reason is ReasonCode.NOT_DELIVERED_YET and reason is not None:
            # « elles me plaisent plus » before delivery: who will pay the return, as decided
            # for that reason, rather than the same sentence again.
            dispatcher.utter_message(response=PAYER_RESPONSES[decision.return_shipping_paid_by])
        return []

    def confirm(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        service: ShopService,
        identity: Identity,
    ) -> list[EventType]:
        reason = customer_reason(tracker, FLOW_INTENT) or CustomerReason.CHANGED_MIND
        skus, _ = returned_lines(tracker, service, identity, reason)
        outcome = service.request_return(
            identity.order_number,
            identity.email,
            reason,
            skus=skus,
            preference=stated_preference(tracker, FLOW_INTENT),
            dry_run=is_preview(tracker),
        )
        events = announce_request(dispatcher, outcome, "utter_return_created")
        if outcome.request is not None:
            payer = Payer(outcome.request.payload.get("return_shipping_paid_by", "customer"))
            dispatcher.utter_message(response=PAYER_RESPONSES[payer])
        return events
