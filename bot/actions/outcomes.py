"""What the order flows share to tell a decision truly: the customer's reason for sending an
item back, the excluded lines each with the reason that applies to it, and the refund's parts.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Protocol

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import cues, slots
from actions.details import (
    chosen_skus,
    flow_messages,
    names_what_the_order_lacks,
    which_line_buttons,
)
from actions.faq import PERSONALISE_PREFIX
from actions.shop import shop_service
from actions.values import agreement, enumeration, money
from actions.yes_no import HANDOFF_ACTION, ask_confirmation
from backend.domain import RequestKind
from backend.policies.common import CustomerReason, LineDecision
from backend.policies.exchange import ExchangeDecision
from backend.policies.reasons import ReasonCode
from backend.policies.returns import ReturnDecision
from backend.policies.taxes import Refund
from backend.services import OrderSummary

REASON_ENTITY = "return_reason"  # a clicked button's
DETAIL_ENTITY = "reason"  # read by the NLU in the words (bot/components/details.py)
CLASSIFIER = "DetailClassifier"  # the extractor name of bot/components/detail_classifier.py
# The NLU's reasons as the policies know them: damaged on arrival is the shop's, like a
# defect; a size that does not fit is the customer's choice, like a change of mind.
DETAIL_REASONS = {
    "defective": CustomerReason.DEFECTIVE,
    "damaged_on_arrival": CustomerReason.DAMAGED,
    "wrong_item": CustomerReason.WRONG_ITEM,
    "wrong_size": CustomerReason.WRONG_SIZE,
    "changed_mind": CustomerReason.CHANGED_MIND,
}


def plain(text: str) -> str:
    """Lower case without accents (the shop-information answers compare words so)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def reason_in(parse_data: dict) -> CustomerReason | None:
    """The reason of one message: a clicked button's entity, else what the NLU read."""
    values = {reason.value for reason in CustomerReason}
    for entity in parse_data.get("entities") or []:
        if entity.get("entity") == REASON_ENTITY and entity.get("value") in values:
            return CustomerReason(entity["value"])
    for entity in parse_data.get("entities") or []:
        if entity.get("entity") == DETAIL_ENTITY and entity.get("value") in DETAIL_REASONS:
            reason = DETAIL_REASONS[entity["value"]]
            if not reason.shop_at_fault and names_a_defect_too(parse_data):
                return CustomerReason.DEFECTIVE
            return reason
    return None


_NEVER_SAID = re.compile(r"\b(jamais|pas) dit (qu|que)\b")


def names_a_defect_too(parse_data: dict) -> bool:
    """« elle les trouve trop grosses, et elles sont arrivées avec un fermoir abîmé »: one
    reason is read, but a defect said beside it makes the return the shop's fault (the FAQ:
    return shipping is ours when the item received is defective)."""
    entities = parse_data.get("entities") or []
    denied = {e.get("value") for e in entities if e.get("entity") == "denied_cause"}
    if _NEVER_SAID.search(plain(parse_data.get("text") or "")):
        return False  # « j'ai jamais dit qu'elle était défectueuse, j'ai changé d'idée »
    # the words' defect (the cue tables), not the classifier's guess: it reads a defect into
    # « elles sont un peu trop grosses pour moi » beside a preference for store credit
    return "defect" not in denied and any(
        e.get("entity") == "warranty_cause"
        and e.get("value") == "defect"
        and e.get("extractor") != CLASSIFIER
        for e in entities
    )


def customer_reason(tracker: Tracker, intent: str) -> CustomerReason | None:
    """Why the customer sends the item back: said in their latest message, or in an earlier
    message of the flow of `intent` (identification may have followed it); else None."""
    for parse_data in flow_messages(tracker, intent):
        if (reason := reason_in(parse_data)) is not None:
            return reason
    return None


def eligible_names(lines: Iterable[LineDecision]) -> list[str]:
    """The names of the lines the policy lets through, in the order's order."""
    return [line.name for line in lines if line.eligible]


def offer_the_other_flow(
    dispatcher: CollectingDispatcher,
    decision: ReturnDecision | ExchangeDecision,
    response: str,
    flow: str,
    **values: str,
) -> list[EventType]:
    """Offer, by `response`, the other flow whose `decision` lets lines through (an exchange
    where a return is refused, a return where the warranty is): « oui » starts it."""
    names = eligible_names(decision.lines)
    if not decision.eligible or not names:
        return []
    return ask_confirmation(
        dispatcher, response, f"{PERSONALISE_PREFIX}{flow}", items=enumeration(names), **values
    )


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


def ask_which_line(
    dispatcher: CollectingDispatcher, intent: str, candidates: list[str]
) -> list[EventType]:
    """What the customer named fits several lines: ask which, one button per line."""
    dispatcher.utter_message(
        response="utter_which_item",
        items=enumeration(candidates, conjunction="ou"),
        buttons=which_line_buttons(intent, candidates),
    )
    return [SlotSet(slots.PENDING_CONFIRMATION, None)]


class Named(Protocol):
    """An order line, decided or not: only its name counts here."""

    @property
    def name(self) -> str: ...


def tell_the_order_lacks_it(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    intent: str,
    order_number: str,
    lines: Sequence[Named],
) -> list[EventType] | None:
    """« ma bague » on an order holding only a bracelet: say what the order holds and ask
    whether another order is meant, instead of deciding for lines the customer did not name.
    None when what was named is in the order (or nothing was named)."""
    names = [line.name for line in lines]
    if not names_what_the_order_lacks(tracker, intent, names):
        return None
    summary = verified_summary(tracker, order_number)
    cancelled = cancelled_names(summary) if summary else []
    if cancelled and not names_what_the_order_lacks(tracker, intent, [*names, *cancelled]):
        if summary and asks_about_the_money(tracker.latest_message.get("text") or ""):
            # « j'ai annulé le bracelet, je vais voir le remboursement quand ? combien ? »
            return tell_the_cancellation_refund(dispatcher, summary)
        said = cues.words_of(tracker.latest_message.get("text") or "")
        if _RESTORE.search(said):
            # « remettez le bracelet » just after cancelling it: the piece is there, cancelled
            return ask_confirmation(
                dispatcher,
                "utter_item_already_cancelled",
                HANDOFF_ACTION,
                order_number=order_number,
                items=enumeration(cancelled),
            )
        if intent == "cancel_order" or "annul" in said:
            dispatcher.utter_message(
                response="utter_item_cancelled_before",
                order_number=order_number,
                items=enumeration(cancelled),
            )
            return [SlotSet(slots.PENDING_CONFIRMATION, None)]
        return None  # « je préfère un bracelet » in an exchange: a wish, not that line
    dispatcher.utter_message(
        response="utter_item_not_in_order", order_number=order_number, items=enumeration(names)
    )
    return [SlotSet(slots.PENDING_CONFIRMATION, None)]


# « remettez le bracelet », « je peux le ravoir ? »: a cancelled piece wanted back.
_RESTORE = re.compile(
    r"\bremet|\brajout|\bravoir|\breactiv|\bretabl|\breprendre|\brevenir sur"
    r"|\bfinalement je (le|la|les) (veux|garde|voudrais)|\bannuler l'annulation"
)
_THE_MONEY = re.compile(r"rembours|montant|combien|argent|\bcredit|\bremis\b")


def asks_about_the_money(text: str) -> bool:
    return bool(_THE_MONEY.search(plain(text)))


def cancellation_refund_asked(
    dispatcher: CollectingDispatcher, tracker: Tracker
) -> list[EventType] | None:
    """« j'ai annulé le bracelet, je vais voir le remboursement quand ? » from the customer
    whose order has lines cancelled: their refund, whatever flow the words classify as."""
    order_number = tracker.get_slot(slots.VERIFIED_ORDER)
    text = tracker.latest_message.get("text") or ""
    if not order_number or "annul" not in plain(text) or not asks_about_the_money(text):
        return None
    summary = verified_summary(tracker, order_number)
    if summary is None or not cancelled_names(summary):
        return None
    return tell_the_cancellation_refund(dispatcher, summary)


def tell_the_cancellation_refund(
    dispatcher: CollectingDispatcher, summary: OrderSummary
) -> list[EventType]:
    """The refund of the lines cancelled, as the cancellation recorded it, and when to expect
    it; not the offer of a person to undo a cancellation nobody wants undone. Nothing when
    the order holds no cancellation."""
    done = [r for r in summary.requests if r.kind is RequestKind.CANCELLATION]
    if not done:
        return []
    payload = done[-1].payload
    dispatcher.utter_message(
        response="utter_cancel_refund_of",
        items=enumeration(cancelled_names(summary)),
        reference=done[-1].reference,
        refund=money(Decimal(payload["refund_amount"]), payload["currency"]),
    )
    return [SlotSet(slots.PENDING_CONFIRMATION, None), SlotSet(slots.TOPIC, "cancel_order")]


def verified_summary(tracker: Tracker, order_number: str) -> OrderSummary | None:
    """The order, when it is the one the conversation verified."""
    email = tracker.get_slot(slots.VERIFIED_EMAIL)
    if not email or tracker.get_slot(slots.VERIFIED_ORDER) != order_number:
        return None
    return shop_service().order_summary(order_number, email)


def cancelled_names(summary: OrderSummary) -> list[str]:
    return [line.name for line in summary.lines if line.cancelled]


def cancelled_lines(tracker: Tracker, order_number: str) -> list[str]:
    """The names of the verified order's cancelled lines."""
    summary = verified_summary(tracker, order_number)
    return cancelled_names(summary) if summary else []


def lines_to_decide(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    intent: str,
    order_number: str,
    lines: Sequence[LineDecision],
) -> tuple[list[str] | None, list[EventType] | None]:
    """(the SKUs the customer named, None for the whole order; None) — or (None, the events of
    a question) when the flow must ask first: jewellery the order lacks, or several lines fit
    what was named."""
    if lacking := tell_the_order_lacks_it(dispatcher, tracker, intent, order_number, lines):
        return None, lacking
    skus, candidates = chosen_skus(tracker, intent, lines)
    if candidates:
        return None, ask_which_line(dispatcher, intent, candidates)
    return skus, None
