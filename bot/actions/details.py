"""The details the NLU read in the customer's messages (bot/components/details.py), as the
flows use them: the latest message first, then the earlier messages of the same flow, so
that a detail given before identification (« je veux retourner seulement les boucles »,
then the order number, then the email) is still used.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from components.items import (
    CONTEXT,
    EVERY,
    ITEM_NOUNS,
    ONLY,
    WORDS,
    Resolution,
    key_words,
    resolve_items,
)
from rasa_sdk import Tracker

from actions import cues
from backend.policies.common import LineDecision

FLOW_LOOKBACK = 8  # user messages read back when the flow's first message is not found


def flow_messages(
    tracker: Tracker, intent: str, starts: int = 1, since_said: str | None = None
) -> Iterator[dict[str, Any]]:
    """Parse data of the user's messages, newest first, back to the latest with `intent` (the
    `starts`-th latest), or to the assistant's latest `since_said` response."""
    seen = starts_seen = 0
    for event in reversed(tracker.events):
        if since_said and said(event) == since_said:
            return
        if event.get("event") != "user":
            continue
        parse_data = event.get("parse_data") or {}
        yield parse_data
        seen += 1
        starts_seen += parse_data.get("intent", {}).get("name") == intent
        if starts_seen >= starts or seen >= FLOW_LOOKBACK:
            return


def said(event: dict[str, Any]) -> str | None:
    """The response an assistant's message was, if the event is one."""
    if event.get("event") != "bot":
        return None
    return (event.get("metadata") or {}).get("utter_action")


def entities(parse_data: dict[str, Any], name: str) -> list[dict[str, Any]]:
    return [e for e in parse_data.get("entities") or [] if e.get("entity") == name]


def detail(tracker: Tracker, intent: str, name: str, role: str | None = None) -> Any:
    """The newest value of entity `name` (with `role`) in the flow's messages, else None."""
    for parse_data in flow_messages(tracker, intent):
        for entity in entities(parse_data, name):
            if entity.get("role") == role:
                return entity.get("value")
    return None


# The customer's messages a detail said just before the flow began is still read from:
# « il y a un défaut, je ne l'ai pas fait tomber », then « je fais comment pour la garantie ? ».
RECENTLY = 3


def recent_messages(tracker: Tracker, count: int = RECENTLY) -> list[dict[str, Any]]:
    """Parse data of the customer's `count` latest messages, newest first."""
    said = [e.get("parse_data") or {} for e in reversed(tracker.events) if e.get("event") == "user"]
    return said[:count]


def detail_said_recently(tracker: Tracker, intent: str, name: str) -> Any:
    """The flow's `name` detail, else the newest one the customer gave in their latest
    messages (before the flow's intent was read): it was said, and asking it again ignores it."""
    value = detail(tracker, intent, name)
    if value is not None:
        return value
    for parse_data in recent_messages(tracker):
        for entity in entities(parse_data, name):
            if not entity.get("role"):
                return entity.get("value")
    return None


def stated_preference(tracker: Tracker, intent: str) -> str | None:
    """The newest preference of the flow's messages that the customer worded as a wish. The
    classifier also reads « remplacement » into bare defect descriptions (the labelled sets
    give some of those one), and « C'est noté : vous souhaitez un remplacement » to someone
    who asked for nothing is worse than asking: such a value is not taken."""
    for parse_data in flow_messages(tracker, intent):
        for entity in entities(parse_data, "preference"):
            if cues.says_what_is_wanted(parse_data.get("text") or ""):
                return entity.get("value")
    return None


def item_roles(parse_data: dict[str, Any]) -> list[tuple[str, str | None]]:
    return [(str(e.get("value")), e.get("role")) for e in entities(parse_data, "item")]


def item_mentions(tracker: Tracker, intent: str) -> list[tuple[str, str | None]]:
    """The items named (value, role) in the newest message of the flow that names any."""
    messages = [item_roles(parse_data) for parse_data in flow_messages(tracker, intent)]
    named = [found for found in messages if any(role != WORDS for _, role in found)]
    if not named:
        # « oui, elle ne me plaît pas » may classify as the flow's own intent: the piece named
        # when the flow started (« juste le pendentif ») still stands
        earlier = [item_roles(p) for p in flow_messages(tracker, intent, starts=2)]
        named = [found for found in earlier if any(role != WORDS for _, role in found)]
    loose = [found for found in messages if found]
    # A jewellery noun in an earlier message beats content words in a later one (the email).
    return (named or loose or [[]])[0]


def named_lines(tracker: Tracker, intent: str, lines: Sequence[LineDecision]) -> Resolution:
    """The order lines the customer named in this flow, or the candidates if ambiguous."""
    mentions = item_mentions(tracker, intent)
    if not mentions:
        return Resolution()
    return resolve_items(mentions, [line.name for line in lines])


def chosen_skus(
    tracker: Tracker, intent: str, lines: Sequence[LineDecision]
) -> tuple[list[str] | None, list[str]]:
    """(SKUs of the lines the customer named, None for the whole order; the candidate line
    names when what they named fits several lines)."""
    resolution = named_lines(tracker, intent, lines)
    if resolution.ambiguous:
        return None, resolution.ambiguous
    return (skus_of(lines, resolution.lines) if resolution.named else None), []


def names_what_the_order_lacks(tracker: Tracker, intent: str, line_names: Sequence[str]) -> bool:
    """The customer named jewellery (« ma bague ») and no line of the order is of that kind:
    answering about the order's other lines would answer a question nobody asked."""
    mentions = item_mentions(tracker, intent)
    nouns = {
        value.split()[0]
        for value, role in mentions
        if role in (None, ONLY, EVERY) and value.split() and value.split()[0] in ITEM_NOUNS
    }
    if not nouns or not line_names:
        return False
    found = resolve_items([(noun, None) for noun in nouns], list(line_names))
    return not found.named and not found.ambiguous


def names_lines_unclearly(tracker: Tracker, intent: str, line_names: Sequence[str]) -> bool:
    """The customer named jewellery the order lacks, or a phrase that fits several of its
    lines: the flow must ask which before writing anything."""
    if names_what_the_order_lacks(tracker, intent, line_names):
        return True
    mentions = item_mentions(tracker, intent)
    return bool(mentions) and bool(resolve_items(mentions, list(line_names)).ambiguous)


def skus_of(lines: Sequence[LineDecision], names: Sequence[str]) -> list[str]:
    return [line.sku for line in lines if line.name in names]


# « le collier », « juste les boucles svp », « celle en or »: longer messages say more than
# which jewellery.
ONLY_AN_ITEM_MAX_WORDS = 6


def names_only_an_item(parse_data: dict[str, Any]) -> bool:
    """The message names jewellery and nothing else the NLU reads (no reason, cause,
    preference, address or identifier) and asks nothing: it answers « which one? » or says
    which line the conversation's request is about, whatever intent its words classify as."""
    found = parse_data.get("entities") or []
    text = parse_data.get("text") or ""
    return (
        any(e.get("entity") == "item" and e.get("role") != WORDS for e in found)
        and all(e.get("entity") == "item" for e in found)
        and len(text.split()) <= ONLY_AN_ITEM_MAX_WORDS
        and "?" not in text
    )


# What a message may add to a flow about lines without starting anything else: which line, why,
# the cause, what the customer wants (and the causes they deny).
FLOW_DETAILS = {"item", "reason", "warranty_cause", "denied_cause", "preference"}


def names_a_piece(parse_data: dict[str, Any]) -> bool:
    """The message names jewellery, not just content words."""
    return any(
        e.get("entity") == "item" and e.get("role") not in (WORDS, CONTEXT)
        for e in parse_data.get("entities") or []
    )


def gives_only_flow_details(parse_data: dict[str, Any]) -> bool:
    """The message names a line or says why or what the customer wants, and nothing else the
    NLU reads (no identifier, no address), and asks nothing: « ma blonde aime pas le collier »
    during a return tells which piece and why, even when its words classify as nothing."""
    found = parse_data.get("entities") or []
    text = parse_data.get("text") or ""
    says_something = names_a_piece(parse_data) or any(e.get("entity") != "item" for e in found)
    return (
        says_something and all(e.get("entity") in FLOW_DETAILS for e in found) and "?" not in text
    )


def which_line_buttons(intent: str, names: Sequence[str]) -> list[dict[str, str]]:
    """One button per candidate line; its payload names the line by its key words."""
    return [
        {"title": name, "payload": f'/{intent}{{"item":"{" ".join(key_words(name))}"}}'}
        for name in names
    ]
