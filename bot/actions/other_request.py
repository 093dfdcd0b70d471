"""A second request in the customer's message, offered once the first one is answered.

« je veux retourner les boucles et aussi savoir mon solde de points »: the classifier gives the
message one intent, and the other request was lost without a word. A human agent answers one
and then says « vous vouliez aussi retourner les boucles : je m'en occupe ? ». So when a flow
has answered without a question pending, the message that asked for it is read for another
request joined to it (« et », « aussi », « pis »…) that an order flow answers, and that flow
is offered once, with the general offers' « oui » (`PERSONALISE_PREFIX`): the order is
already verified, so a yes runs it at once.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import slots
from actions.cues import words_of
from actions.faq import PERSONALISE_PREFIX, answer_generally, aspect_of, is_general_question
from actions.intents import ORDER_FLOWS
from actions.shop import shop_service
from actions.yes_no import ask_confirmation

# The requests a message can add, by the words that ask for them (accents folded).
REQUEST_WORDS = (
    ("return_item", re.compile(r"\b(retourner|renvoyer|faire un retour)\b")),
    ("exchange_item", re.compile(r"\b(echanger|faire un echange)\b")),
    ("cancel_order", re.compile(r"\bannul(er|ez|ation)\b")),
    (
        "change_address",
        re.compile(r"\b(changer|modifier|corriger)\b[^.?!]{0,25}\badresse\b|\bnouvelle adresse\b"),
    ),
    ("warranty_claim", re.compile(r"\bgarantie\b")),
    ("loyalty_balance", re.compile(r"\b(mes points|solde|points? (de )?fidelite)\b")),
    ("track_order", re.compile(r"\b(ou est|ou en est)\b|\bsuivre (ma|mon)\b")),
)
# Words that join a second request to the first.
JOINED = re.compile(r"\b(et|aussi|pis|puis|egalement|en plus|ensuite)\b")
# Requests one flow already answers together: a missing parcel is tracked, a wrong item returned.
SAME_REQUEST = (
    {"track_order", "tracking_issue", "missing_parcel"},
    {"return_item", "wrong_item"},
)
# Messages that answer the assistant rather than ask for something.
NOT_REQUESTS = {"inform", "affirm", "deny", "greet", "thank", "goodbye", "nlu_fallback"}
OFFER_PREFIX = "utter_offer_also_"
# The announce of a question of the same message answered in general.
ANSWERED_PREFIX = "utter_also_asked"


def request_message(tracker: Tracker) -> int | None:
    """Index in the tracker's events of the newest message that asked for something."""
    for index in range(len(tracker.events) - 1, -1, -1):
        event = tracker.events[index]
        if event.get("event") != "user":
            continue
        intent = (event.get("parse_data") or {}).get("intent", {}).get("name")
        if intent not in NOT_REQUESTS:
            return index
    return None


def _same_request(topic: str, other: str) -> bool:
    return topic == other or any({topic, other} <= family for family in SAME_REQUEST)


def other_request(text: str, handled: str) -> str | None:
    """The request of `text` joined to the `handled` one that another flow answers."""
    found = _other_request_and_words(text, handled)
    return found[0] if found else None


def _other_request_and_words(text: str, handled: str) -> tuple[str, str] | None:
    """(the other request's topic, its words: from the word that joins it on)."""
    words = words_of(text)
    handled_at = [m.start() for t, p in REQUEST_WORDS if t == handled for m in p.finditer(words)]
    for topic, pattern in REQUEST_WORDS:
        if _same_request(topic, handled):
            continue
        for match in pattern.finditer(words):
            low, high = (
                (min(handled_at[0], match.start()), max(handled_at[0], match.start()))
                if handled_at
                else (0, match.start())
            )
            joins = list(JOINED.finditer(words, low, high))
            if joins:
                start = joins[-1].start() if match.start() > low or not handled_at else low
                return topic, words[min(start, match.start()) :]
    return None


def asks_to_cancel(text: str) -> bool:
    """« je veux juste annuler », « …et aussi annuler la commande »: a cancellation asked."""
    return any(topic == "cancel_order" and p.search(words_of(text)) for topic, p in REQUEST_WORDS)


def _offered_since(tracker: Tracker, index: int) -> bool:
    """The other request was offered, or answered in general, since the message asked it."""
    return any(
        event.get("event") == "bot"
        and ((event.get("metadata") or {}).get("utter_action") or "").startswith(
            (OFFER_PREFIX, ANSWERED_PREFIX)
        )
        for event in tracker.events[index:]
    )


def asks_something(events: list[EventType]) -> bool:
    """The answer ends with a question or hands over to a form or another action."""
    pending = [e.get("value") for e in events if e.get("name") == slots.PENDING_CONFIRMATION]
    moves = any(e.get("event") in {"followup", "active_loop"} for e in events)
    return moves or bool(pending and pending[-1])


def then_the_other_request(
    dispatcher: CollectingDispatcher, tracker: Tracker, events: list[EventType], handled: str
) -> list[EventType]:
    """`events`, and the offer of the message's other request when there is one to make."""
    if asks_something(events):
        return events
    index = request_message(tracker)
    if index is None or _offered_since(tracker, index):
        return events
    text: Any = tracker.events[index].get("text") or ""
    found = _other_request_and_words(text, handled)
    if found is None:
        return events
    topic, words = found
    aspect = aspect_of(topic, words)
    if aspect is not None and is_general_question(words, topic):
        # « …et est-ce que la garantie couvre la perte ? »: a question, answered at once
        dispatcher.utter_message(response="utter_also_asked")
        return [*events, *answer_generally(dispatcher, tracker, shop_service(), topic, aspect)]
    flow = ORDER_FLOWS[topic]
    return [*events, *ask_confirmation(dispatcher, OFFER_PREFIX + topic, PERSONALISE_PREFIX + flow)]
