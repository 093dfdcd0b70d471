"""What the order flows share to tell a decision truly: the customer's reason for sending an
item back, the excluded lines each with the reason that applies to it, and the refund's parts.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.values import agreement, enumeration, money
from backend.policies.common import CustomerReason, LineDecision
from backend.policies.reasons import ReasonCode
from backend.policies.taxes import Refund

REASON_ENTITY = "return_reason"

# Keywords (lower case, accents removed), checked in this order.
REASON_KEYWORDS = [
    (CustomerReason.DEFECTIVE, r"defectu|defaut|fabrication|ne fonctionne plus|fermoir"),
    (
        CustomerReason.WRONG_ITEM,
        r"mauvais (article|produit|bijou|modele|colis)|pas (le bon|la bonne)|"
        r"pas (ce|celui|celle) que j.ai commande|pas l.article commande|"
        r"erreur de (votre part|commande)",
    ),
    (CustomerReason.DAMAGED, r"cass|bris|abime|endommag|ecrase|tordu|fissur"),
    (
        CustomerReason.CHANGED_MIND,
        r"change d.avis|plus envie|ne me plai|ne me va pas|ne (me )?convient pas|"
        r"trop (grand|petit|large|serre)|pas a mon gout|pas ma taille|deçu|decu",
    ),
]


def plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def reason_from_text(text: str) -> CustomerReason | None:
    if text.startswith("/"):
        return None  # a clicked button: its entity says it
    simplified = plain(text)
    for reason, pattern in REASON_KEYWORDS:
        if re.search(pattern, simplified):
            return reason
    return None


def reason_in(parse_data: dict, text: str) -> CustomerReason | None:
    """The reason of one message: a clicked button's entity, else the words."""
    for entity in parse_data.get("entities") or []:
        if entity.get("entity") == REASON_ENTITY:
            value = entity.get("value")
            if value in {reason.value for reason in CustomerReason}:
                return CustomerReason(value)
    return reason_from_text(text or "")


def customer_reason(tracker: Tracker, intent: str) -> CustomerReason | None:
    """Why the customer sends the item back: said in their latest message, or in the latest
    message of the flow's `intent` (identification may have followed it); else None."""
    latest = reason_in(tracker.latest_message, tracker.latest_message.get("text") or "")
    if latest is not None:
        return latest
    for event in reversed(tracker.events):
        parse_data = event.get("parse_data") or {}
        if event.get("event") == "user" and parse_data.get("intent", {}).get("name") == intent:
            return reason_in(parse_data, event.get("text") or "")
    return None


def utter_excluded_lines(
    dispatcher: CollectingDispatcher,
    lines: Iterable[LineDecision],
    responses: Mapping[ReasonCode, str],
    **values: str,
) -> None:
    """One message per reason a line is left out, naming its lines with the right agreement."""
    excluded = [line for line in lines if not line.eligible]
    for reason, response in responses.items():
        group = [line for line in excluded if line.reason is reason]
        if group:
            dispatcher.utter_message(
                response=response,
                items=enumeration(line.name for line in group),
                **agreement(line.category for line in group),
                **values,
            )


REFUND_TAX_RESPONSES = {
    "return": "utter_refund_taxes_return",
    "cancel_whole": "utter_refund_taxes_cancel_whole",
    "cancel_partial": "utter_refund_taxes_cancel_partial",
}


def utter_refund_detail(
    dispatcher: CollectingDispatcher, refund: Refund, currency: str, *, kind: str
) -> None:
    """What the refund amount holds: taxes always, shipping as the policy says.

    `kind`: "return" (shipping never refunded), "cancel_whole" (shipping refunded, nothing
    ships), "cancel_partial" (the rest of the order ships).
    """
    if not refund.taxes_known:
        dispatcher.utter_message(response="utter_refund_taxes_unknown")
    elif refund.taxes:
        dispatcher.utter_message(
            response=REFUND_TAX_RESPONSES[kind],
            refund_taxes=money(refund.taxes, currency),
            shipping=money(refund.shipping, currency),
        )
    if kind == "return" and (not refund.taxes or not refund.taxes_known):
        dispatcher.utter_message(response="utter_refund_shipping_not_refunded")
