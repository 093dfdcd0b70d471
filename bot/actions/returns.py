"""Returns: eligibility per line with the exact deadline, then the RA number on confirmation."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.base import (
    Identity,
    OrderBoundAction,
    announce_request,
    ask_confirmation,
    is_preview,
    report_facts,
)
from actions.values import day, enumeration, money
from backend.policies.common import Payer
from backend.policies.reasons import ReasonCode
from backend.services import ShopService

PAYER_RESPONSES = {
    Payer.CUSTOMER: "utter_return_shipping_paid_by_customer",
    Payer.SHOP: "utter_return_shipping_paid_by_shop",
}


class ActionReturnItem(OrderBoundAction):
    def name(self) -> str:
        return "action_return_item"

    def respond(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        service: ShopService,
        identity: Identity,
    ) -> list[EventType]:
        decision = service.check_return(identity.order_number, identity.email)
        report_facts(
            dispatcher,
            tracker,
            flow=self.name(),
            order_number=identity.order_number,
            reason=decision.reason.value,
            deadline=decision.deadline,
            refund=decision.refund_amount,
        )
        refused = [line.name for line in decision.lines if not line.eligible]
        if not decision.eligible:
            return self._refuse(dispatcher, identity, decision, refused)
        returnable = [line.name for line in decision.lines if line.eligible]
        dispatcher.utter_message(
            response="utter_return_eligible",
            order_number=identity.order_number,
            delivered_on=day(decision.delivered_on),
            deadline=day(decision.deadline),
            items=enumeration(returnable),
            refund=money(decision.refund_amount, decision.currency),
        )
        if decision.reason is ReasonCode.HOLIDAY_EXTENSION:
            dispatcher.utter_message(response="utter_return_holiday_extension")
        if refused:
            dispatcher.utter_message(
                response="utter_return_lines_excluded", items=enumeration(refused)
            )
        dispatcher.utter_message(response=PAYER_RESPONSES[decision.return_shipping_paid_by])
        return ask_confirmation(dispatcher, "utter_confirm_return", self.name())

    def _refuse(self, dispatcher, identity, decision, refused) -> list[EventType]:
        values = {"order_number": identity.order_number}
        if decision.reason is ReasonCode.NOT_DELIVERED_YET:
            response = (
                "utter_return_not_delivered_cancel_possible"
                if decision.cancellation_possible
                else "utter_return_not_delivered"
            )
        elif decision.reason is ReasonCode.RETURN_WINDOW_EXPIRED:
            response = "utter_return_window_expired"
            values |= {
                "deadline": day(decision.deadline),
                "delivered_on": day(decision.delivered_on),
            }
        elif decision.reason is ReasonCode.NO_RETURNABLE_LINE:
            response, values["items"] = "utter_return_no_returnable_line", enumeration(refused)
        else:
            response = "utter_return_order_cancelled"
        dispatcher.utter_message(response=response, **values)
        return []

    def confirm(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        service: ShopService,
        identity: Identity,
    ) -> list[EventType]:
        outcome = service.request_return(
            identity.order_number, identity.email, dry_run=is_preview(tracker)
        )
        return announce_request(
            dispatcher, outcome, "utter_return_created", deadline=day(outcome.decision.deadline)
        )
