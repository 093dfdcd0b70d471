"""The conversation lock of the production profile (Redis, server/lock_store.py): a burst
of messages into one conversation over two Rasa servers is answered in full and in order, and
a Redis that is gone gets the apology, never an empty reply or a message handled unlocked."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor

from support import joined

from .test_faults import TECHNICAL_PROBLEM

BURST = 20
CODE = re.compile(r"\bESSAI\d{2}\b")


def burst_messages() -> list[str]:
    """Twenty questions whose answers each name their own (unknown) promo code."""
    return [f"le code ESSAI{index:02d} ne marche pas" for index in range(1, BURST + 1)]


def send_all_at_once(assistant, conversation_id: str, messages: list[str]) -> list[list[dict]]:
    start = threading.Barrier(len(messages))

    def send(message: str) -> list[dict]:
        start.wait(timeout=60)
        return assistant.send(conversation_id, message)

    with ThreadPoolExecutor(max_workers=len(messages)) as pool:
        return list(pool.map(send, messages))


def answered_code_after_each_user_message(events: list[dict]) -> list[tuple[str, str]]:
    """(code of the user message, code named by the bot) for every bot text, in stored order."""
    pairs, asked = [], ""
    for event in events:
        if event["event"] == "user":
            asked = CODE.search(event.get("text") or "")[0]
        elif event["event"] == "bot" and CODE.search(event.get("text") or ""):
            pairs.append((asked, CODE.search(event["text"])[0]))
    return pairs


def test_a_burst_of_twenty_messages_into_one_conversation_is_answered_in_full_and_in_order(
    production, conversation_id
):
    assistant = production.running
    messages = burst_messages()

    replies = send_all_at_once(assistant, conversation_id, messages)
    events = assistant.tracker(conversation_id)["events"]

    for message, reply in zip(messages, replies, strict=True):
        code = CODE.search(message)[0]
        assert f"code {code}" in joined([part.get("text", "") for part in reply]), message
    user_texts = [event["text"] for event in events if event["event"] == "user"]
    assert sorted(user_texts) == messages  # each reached the conversation once
    pairs = answered_code_after_each_user_message(events)
    assert len(pairs) == BURST
    assert all(asked == answered for asked, answered in pairs), pairs  # never interleaved


def test_redis_gone_gets_the_apology_and_nothing_is_handled_without_the_lock(
    production, conversation_id
):
    assistant, stack = production.running, production.stack
    before = joined(assistant.texts(conversation_id, "le code ESSAI01 ne marche pas"))
    stack.stop_services("redis")
    try:
        during = assistant.send(conversation_id, "le code ESSAI02 ne marche pas")
    finally:
        stack.start_services("redis")
    after = joined(assistant.texts(conversation_id, "le code ESSAI03 ne marche pas"))
    user_texts = [
        event["text"]
        for event in assistant.tracker(conversation_id)["events"]
        if event["event"] == "user"
    ]

    assert "ESSAI01" in before
    assert TECHNICAL_PROBLEM in joined([part.get("text", "") for part in during])
    assert "ESSAI03" in after
    assert user_texts == ["le code ESSAI01 ne marche pas", "le code ESSAI03 ne marche pas"]
