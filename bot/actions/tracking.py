"""Where is my order, tracking problems and missing parcels."""

from __future__ import annotations

import re

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import cues
from actions.base import (
    Identity,
    OrderBoundAction,
    announce_request,
    answered_in_the_previous_turn,
    ask_confirmation,
    is_preview,
    note_the_wish_and_ask_again,
    report_facts,
)
from actions.cues import words_of
from actions.details import flow_messages, stated_preference
from actions.outcomes import tell_the_order_lacks_it
from actions.values import day, status, time_of_day, typographic
from actions.yes_no import HANDOFF_ACTION
from backend.domain import OrderStatus, RequestKind
from backend.policies.reasons import ReasonCode
from backend.services import OrderSummary, ShopService

# The answers that tell where the order is (utter_order_state).
ORDER_STATES = {
    "utter_order_processing",
    "utter_order_cancelled",
    "utter_order_delivered",
    "utter_order_shipped",
}
# The missing-parcel case offered, with the checks to make first.
OFFER_THE_CASE = "utter_offer_missing_parcel_case"
MISSING_PARCEL_INTENT = "missing_parcel"
# If the parcel stays lost: money back, or the order sent again; noted with the case.
MISSING_PARCEL_PREFERENCES = {
    "refund": "utter_missing_parcel_preference_refund",
    "store_credit": "utter_missing_parcel_preference_store_credit",
    "replacement": "utter_missing_parcel_preference_resend",
}
OFFER_AFTER_CHECKS = "utter_offer_missing_parcel_case_after_checks"


def utter_last_event(dispatcher: CollectingDispatcher, summary: OrderSummary) -> None:
    event = summary.last_event
    if event is not None:
        dispatcher.utter_message(
            response="utter_last_tracking_event",
            description=typographic(event.description),
            location=event.location,
            date=day(event.at),
            time=time_of_day(event.at),
        )


def says_where_it_was_left(summary: OrderSummary) -> bool:
    """Whether the carrier's last scan says more than « Livré » (where it was left, who
    signed): the detail that finds most parcels marked delivered."""
    event = summary.last_event
    return event is not None and words_of(event.description).strip() not in {"livre", "livree"}


def utter_order_state(dispatcher: CollectingDispatcher, summary: OrderSummary) -> None:
    """The order's status in French with the facts that go with it."""
    shipment = summary.shipment
    values = {"order_number": summary.number, "status": status(summary.status)}
    if summary.status is OrderStatus.PROCESSING:
        dispatcher.utter_message(
            response="utter_order_processing", placed_on=day(summary.placed_at), **values
        )
    elif summary.status is OrderStatus.CANCELLED:
        dispatcher.utter_message(response="utter_order_cancelled", **values)
    elif summary.status is OrderStatus.DELIVERED and shipment is not None:
        dispatcher.utter_message(
            response="utter_order_delivered",
            carrier=shipment.carrier,
            tracking_number=shipment.tracking_number,
            delivered_on=day(shipment.delivered_at),
            delivered_time=time_of_day(shipment.delivered_at),
            **values,
        )
        if says_where_it_was_left(summary):
            utter_last_event(dispatcher, summary)  # « Livré — laissé à la réception »
    elif shipment is not None:
        dispatcher.utter_message(
            response="utter_order_shipped",
            carrier=shipment.carrier,
            tracking_number=shipment.tracking_number,
            shipped_on=day(shipment.shipped_at),
            estimated_delivery=day(shipment.estimated_delivery),
            **values,
        )
        utter_last_event(dispatcher, summary)


class ActionTrackOrder(OrderBoundAction):
    def name(self) -> str:
        return "action_track_order"

    def respond(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        service: ShopService,
        identity: Identity,
    ) -> list[EventType]:
        summary = service.order_summary(identity.order_number, identity.email)
        remaining = [line for line in summary.lines if not line.cancelled]
        if lacking := tell_the_order_lacks_it(
            dispatcher, tracker, self.topic(), summary.number, remaining
        ):
            return lacking  # « et ma commande avec les boucles d'oreilles ? » on a ring's order
        utter_order_state(dispatcher, summary)
        dispatcher.utter_message(response="utter_anything_else")
        report_facts(
            dispatcher,
            tracker,
            flow=self.name(),
            order_number=summary.number,
            status=summary.status.value,
        )
        return []


class ActionTrackingIssue(OrderBoundAction):
    """The FAQ's tracking troubleshooting, adapted to where the order really is."""

    def name(self) -> str:
        return "action_tracking_issue"

    def respond(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        service: ShopService,
        identity: Identity,
    ) -> list[EventType]:
        summary = service.order_summary(identity.order_number, identity.email)
        if (already := already_said_otherwise(dispatcher, tracker, summary)) is not None:
            return already
        if summary.status is OrderStatus.PROCESSING:
            dispatcher.utter_message(
                response="utter_tracking_not_available_yet", order_number=summary.number
            )
            return []
        utter_order_state(dispatcher, summary)
        if summary.status is OrderStatus.SHIPPED:
            dispatcher.utter_message(response="utter_tracking_issue_steps")
        elif summary.status is OrderStatus.DELIVERED:
            return ask_confirmation(dispatcher, OFFER_THE_CASE, "action_missing_parcel")
        return []


# « je n'ai jamais reçu ma carte-cadeau électronique »: no parcel carries it. Read in the
# messages since the flow began (the identification came in between).
E_GIFT_CARD = re.compile(r"\bcartes?[- ]cadeaux?\b")
FLOW_INTENT = "missing_parcel"


def about_the_e_gift_card(tracker: Tracker, summary: OrderSummary) -> bool:
    """The customer misses the order's e-gift card, which comes by email, not in the parcel:
    the carrier's delivery and a missing-parcel case answer a question nobody asked."""
    said = (words_of(data.get("text") or "") for data in flow_messages(tracker, FLOW_INTENT))
    about_it = any(E_GIFT_CARD.search(text) for text in said)
    return about_it and any(line.gift_card for line in summary.lines)


def checks_already_done(tracker: Tracker) -> bool:
    """« j'ai vérifié chez les voisins, rien » right after the case was offered with the checks
    to make: the customer has followed the advice, repeating it would not listen."""
    text = tracker.latest_message.get("text") or ""
    return answered_in_the_previous_turn(
        tracker, {OFFER_THE_CASE, OFFER_AFTER_CHECKS}
    ) and cues.reports_checks_done(text)


def already_said_otherwise(
    dispatcher: CollectingDispatcher, tracker: Tracker, summary: OrderSummary
) -> list[EventType] | None:
    """The answer when the customer already said what the carrier's would ignore: the checks
    done right after they were suggested (the case offered again, without them), or an e-gift
    card missing (it comes by email: a person who can send it again)."""
    if checks_already_done(tracker):
        return ask_confirmation(dispatcher, OFFER_AFTER_CHECKS, "action_missing_parcel")
    if about_the_e_gift_card(tracker, summary):
        return ask_confirmation(dispatcher, "utter_e_gift_card_by_email", HANDOFF_ACTION)
    return None


class ActionMissingParcel(OrderBoundAction):
    request_kind = RequestKind.MISSING_PARCEL

    def name(self) -> str:
        return "action_missing_parcel"

    def respond(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        service: ShopService,
        identity: Identity,
    ) -> list[EventType]:
        summary = service.order_summary(identity.order_number, identity.email)
        if (already := already_said_otherwise(dispatcher, tracker, summary)) is not None:
            return already
        decision = service.check_missing_parcel(identity.order_number, identity.email)
        report_facts(
            dispatcher,
            tracker,
            flow=self.name(),
            order_number=identity.order_number,
            reason=decision.reason.value,
        )
        if decision.reason is ReasonCode.MARKED_DELIVERED:
            dispatcher.utter_message(
                response="utter_missing_parcel_marked_delivered",
                carrier=decision.carrier,
                delivered_on=day(decision.delivered_at),
                delivered_time=time_of_day(decision.delivered_at),
            )
            return ask_confirmation(dispatcher, OFFER_THE_CASE, self.name())
        if decision.reason is ReasonCode.DELIVERY_LATE:
            dispatcher.utter_message(
                response="utter_missing_parcel_late",
                carrier=decision.carrier,
                tracking_number=decision.tracking_number,
                estimated_delivery=day(decision.estimated_delivery),
            )
            return ask_confirmation(dispatcher, OFFER_THE_CASE, self.name())
        state_just_given = answered_in_the_previous_turn(tracker, ORDER_STATES)
        if not state_just_given:
            utter_order_state(dispatcher, summary)  # « c'est normal ? » right after it: once
        if decision.reason is ReasonCode.IN_TRANSIT:
            dispatcher.utter_message(response="utter_missing_parcel_in_transit")
        elif decision.reason is ReasonCode.NOT_SHIPPED_YET and state_just_given:
            # « c'est normal que ça prenne plus d'une journée ? »: never an empty reply
            dispatcher.utter_message(response="utter_missing_parcel_not_shipped_yet")
        return []

    def confirm(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        service: ShopService,
        identity: Identity,
    ) -> list[EventType]:
        wanted = stated_preference(tracker, MISSING_PARCEL_INTENT)
        outcome = service.open_missing_parcel_case(
            identity.order_number,
            identity.email,
            preference=wanted if wanted in MISSING_PARCEL_PREFERENCES else None,
            dry_run=is_preview(tracker),
        )
        return announce_request(dispatcher, outcome, "utter_missing_parcel_case_opened")

    def note_a_preference_while_offered(
        self, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> list[EventType] | None:
        # « je veux être remboursée » to « j'ouvre un dossier de colis manquant ? »: not a
        # return of a parcel never received
        return note_the_wish_and_ask_again(
            dispatcher, tracker, self.name(), MISSING_PARCEL_PREFERENCES, OFFER_THE_CASE
        )
