"""Wrong item received: apology, shop-paid return, expedited replacement, a case on confirmation."""

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
from backend.domain import RequestKind
from backend.services import ShopService


class ActionWrongItem(OrderBoundAction):
    request_kind = RequestKind.WRONG_ITEM

    def name(self) -> str:
        return "action_wrong_item"

    def respond(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        service: ShopService,
        identity: Identity,
    ) -> list[EventType]:
        decision = service.check_wrong_item(identity.order_number, identity.email)
        report_facts(
            dispatcher,
            tracker,
            flow=self.name(),
            order_number=identity.order_number,
            reason=decision.reason.value,
        )
        if not decision.eligible:
            dispatcher.utter_message(
                response="utter_wrong_item_not_shipped", order_number=identity.order_number
            )
            return []
        dispatcher.utter_message(
            response="utter_wrong_item_apology", order_number=identity.order_number
        )
        return ask_confirmation(dispatcher, "utter_confirm_wrong_item_case", self.name())

    def confirm(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        service: ShopService,
        identity: Identity,
    ) -> list[EventType]:
        outcome = service.open_wrong_item_case(
            identity.order_number, identity.email, dry_run=is_preview(tracker)
        )
        return announce_request(dispatcher, outcome, "utter_wrong_item_case_opened")
