"""Address changes: a best-effort request while processing; too late once shipped."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import slots
from actions.base import (
    AssistantAction,
    Identity,
    OrderBoundAction,
    announce_request,
    is_preview,
    report_facts,
    verified_identity,
)
from actions.shop import shop_service
from backend.domain import RequestKind
from backend.policies.reasons import ReasonCode
from backend.services import ShopService

ADDRESS_FORM = "address_form"
MAX_ADDRESS_LENGTH = 300


class ActionChangeAddress(OrderBoundAction):
    request_kind = RequestKind.ADDRESS_CHANGE

    def name(self) -> str:
        return "action_change_address"

    def respond(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        service: ShopService,
        identity: Identity,
    ) -> list[EventType]:
        decision = service.check_address_change(identity.order_number, identity.email)
        report_facts(
            dispatcher,
            tracker,
            flow=self.name(),
            order_number=identity.order_number,
            reason=decision.reason.value,
        )
        if decision.eligible:
            dispatcher.utter_message(response="utter_address_change_best_effort")
            return [SlotSet(slots.NEW_ADDRESS, None), FollowupAction(ADDRESS_FORM)]
        if decision.reason is ReasonCode.ALREADY_SHIPPED:
            dispatcher.utter_message(
                response="utter_address_change_too_late",
                order_number=identity.order_number,
                carrier=decision.carrier,
                tracking_number=decision.tracking_number,
            )
        else:
            dispatcher.utter_message(
                response="utter_order_cancelled", order_number=identity.order_number
            )
        return []


class ActionRecordAddressChange(AssistantAction):
    """Runs when the address form is complete: record the request, say it is best effort."""

    def name(self) -> str:
        return "action_record_address_change"

    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        identity = verified_identity(tracker)
        address = " ".join(str(tracker.get_slot(slots.NEW_ADDRESS) or "").split())
        if identity is None or not address:
            dispatcher.utter_message(response="utter_anything_else")
            return [SlotSet(slots.NEW_ADDRESS, None)]
        outcome = shop_service().request_address_change(
            identity.order_number,
            identity.email,
            address[:MAX_ADDRESS_LENGTH],
            dry_run=is_preview(tracker),
        )
        announce_request(dispatcher, outcome, "utter_address_change_recorded",
                         address=address[:MAX_ADDRESS_LENGTH])  # fmt: skip
        return [SlotSet(slots.NEW_ADDRESS, None)]
