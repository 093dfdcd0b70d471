"""« Où en est ma demande RA-104204-01 ? »: the status of a request already written.

A customer coming back to a return, a claim or an address change asked how it stands and got
the flow's rule from the start, or an offer to write the request again (testers counted six
such conversations). The order's own requests answer it: what was asked, when, where it
stands, and what comes next.
"""

from __future__ import annotations

import re

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import cues, slots
from actions.details import recent_messages, said
from actions.values import day
from backend.domain import RequestKind, RequestStatus
from backend.services import RequestView, ShopService

# A request's reference as the customer types it, in the normalised words: « ra-104204-01 ».
_REFERENCE = re.compile(r"\b(ra|ga|ec|ad|cm|ae|an)-\d{6}-\d{2}\b")
# « RA-104204-01 … où en est-elle ? », « ma réclamation a-t-elle été acceptée ? », « des
# nouvelles de ma demande de retour ? »
_STATUS_ASKED = re.compile(
    _REFERENCE.pattern + r".{0,100}(\?|ou en est|ouvert|accept|nouvelles"
    r"|normal|avance|quand|trait|statut|rembours)"
    r"|\b(ou en est|des nouvelles|le statut|le suivi|ou ca en est) (de |d')?(ma|mon|la|le|notre)"
    r" (demande|reclamation|dossier|retour|echange|changement)"
    r"|\b(ma|la|mon|notre) (demande|reclamation|dossier)\b.{0,60}\b(accepte|toujours ouvert"
    r"|ete traite|avance|des nouvelles|ou en est|ete refuse)"
    r"|\b(deja (fait|ouvert|envoye|renvoye|fait une demande)|j'ai (ouvert|fait) une (demande"
    r"|reclamation))\b.{0,120}\b(ou en est|nouvelles|accepte|quand|normal|toujours)"
)
KIND_NAMES = {
    RequestKind.RETURN: "retour",
    RequestKind.EXCHANGE: "échange",
    RequestKind.WARRANTY_CLAIM: "réclamation de garantie",
    RequestKind.ADDRESS_CHANGE: "changement d’adresse",
    RequestKind.MISSING_PARCEL: "colis manquant",
    RequestKind.WRONG_ITEM: "article reçu par erreur",
    RequestKind.CANCELLATION: "annulation",
    RequestKind.HANDOFF: "demande de conseiller",
}
# What comes next for an open request of each kind (the responses said when it was written).
NEXT_FOR_KIND = {
    RequestKind.RETURN: "utter_next_return",
    RequestKind.EXCHANGE: "utter_next_exchange",
    RequestKind.WARRANTY_CLAIM: "utter_next_warranty_claim",
    RequestKind.MISSING_PARCEL: "utter_next_missing_parcel",
    RequestKind.WRONG_ITEM: "utter_next_wrong_item",
}
STATUS_RESPONSES = {
    RequestStatus.OPEN: "utter_request_status_open",
    RequestStatus.COMPLETED: "utter_request_status_completed",
    RequestStatus.REJECTED: "utter_request_status_rejected",
}
# How many of the customer's latest messages may hold the question (it may come before the
# order number and the email were asked).
ASKED_WITHIN = 3


def status_asked(tracker: Tracker) -> str | None:
    """The text of a recent message asking how a request stands, unless already answered."""
    if any(said(e) in STATUS_RESPONSES.values() for e in tracker.events[-8:]):
        return None
    for parse_data in recent_messages(tracker, ASKED_WITHIN):
        words = cues.words_of(parse_data.get("text") or "")
        if _STATUS_ASKED.search(words):
            return words
    latest = cues.words_of(tracker.latest_message.get("text") or "")
    return latest if _STATUS_ASKED.search(latest) else None


def tell_the_requests(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    service: ShopService,
    order_number: str,
    email: str,
) -> list[EventType] | None:
    """Where the requests the customer asks about stand; None when nothing asks it."""
    asked = status_asked(tracker)
    if asked is None:
        return None
    requests = service.order_summary(order_number, email).requests
    named = {m.group(0).upper() for m in _REFERENCE.finditer(asked)}
    chosen = [r for r in requests if r.reference in named] or [
        r for r in requests if r.status is RequestStatus.OPEN and r.kind is not RequestKind.HANDOFF
    ]
    if not chosen:
        dispatcher.utter_message(response="utter_no_request_to_tell", order_number=order_number)
        return [SlotSet(slots.PENDING_CONFIRMATION, None)]
    for request in chosen:
        tell_one(dispatcher, request)
    return [SlotSet(slots.PENDING_CONFIRMATION, None)]


def tell_one(dispatcher: CollectingDispatcher, request: RequestView) -> None:
    dispatcher.utter_message(
        response=STATUS_RESPONSES[request.status],
        reference=request.reference,
        kind=KIND_NAMES.get(request.kind, ""),
        date=day(request.created_at),
    )
    if request.status is RequestStatus.OPEN and request.kind in NEXT_FOR_KIND:
        dispatcher.utter_message(response=NEXT_FOR_KIND[request.kind])
