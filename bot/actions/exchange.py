"""Exchanges: 30 days from the purchase date; engraved pieces only for a defect or our error."""

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
from actions.values import day, enumeration
from backend.policies.reasons import ReasonCode
from backend.services import ShopService

REFUSALS = {
    ReasonCode.EXCHANGE_WINDOW_EXPIRED: "utter_exchange_window_expired",
    ReasonCode.NO_EXCHANGEABLE_LINE: "utter_exchange_no_exchangeable_line",
    ReasonCode.NOT_SHIPPED_YET: "utter_exchange_not_shipped",
    ReasonCode.ORDER_CANCELLED: "utter_order_cancelled",
}


class ActionExchangeItem(OrderBoundAction):
    def name(self) -> str:
        return "action_exchange_item"

    def respond(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        service: ShopService,
        identity: Identity,
    ) -> list[EventType]:
        decision = service.check_exchange(identity.order_number, identity.email)
        report_facts(
            dispatcher,
            tracker,
            flow=self.name(),
            order_number=identity.order_number,
            reason=decision.reason.value,
            deadline=decision.deadline,
        )
        refused = [line.name for line in decision.lines if not line.eligible]
        values = {
            "order_number": identity.order_number,
            "deadline": day(decision.deadline),
            "items": enumeration(refused),
        }
        if not decision.eligible:
            response = REFUSALS.get(decision.reason, "utter_exchange_not_shipped")
            dispatcher.utter_message(response=response, **values)
            return []
        exchangeable = [line.name for line in decision.lines if line.eligible]
        dispatcher.utter_message(
            response="utter_exchange_eligible",
            order_number=identity.order_number,
            deadline=day(decision.deadline),
            items=enumeration(exchangeable),
        )
        if refused:
            dispatcher.utter_message(
                response="utter_exchange_lines_excluded", items=enumeration(refused)
            )
        dispatcher.utter_message(response="utter_exchange_conditions")
        return ask_confirmation(dispatcher, "utter_confirm_exchange", self.name())

    def confirm(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        service: ShopService,
        identity: Identity,
    ) -> list[EventType]:
        outcome = service.request_exchange(
            identity.order_number, identity.email, dry_run=is_preview(tracker)
        )
        return announce_request(dispatcher, outcome, "utter_exchange_created")
