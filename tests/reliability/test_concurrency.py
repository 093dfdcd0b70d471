"""Fifty customers at once on two Rasa servers: each answer reaches its own conversation,
with that customer's order only; no message is lost and nothing deadlocks."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor

from .conftest import CROWD_SIZE, crowd_order

ORDER_NUMBER = re.compile(r"AZ\d{6}")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _converse(assistant, index: int, start: threading.Barrier) -> tuple[str, str, dict]:
    number, email = crowd_order(index)
    sender = f"crowd-{index:02d}"
    start.wait(timeout=60)
    assistant.texts(sender, f"Bonjour, où en est ma commande {number} ?")
    answer = "\n".join(assistant.texts(sender, email))
    return sender, answer, assistant.tracker(sender)


def test_fifty_simultaneous_customers_each_get_their_own_order_and_nothing_is_lost(production):
    assistant = production.running
    start = threading.Barrier(CROWD_SIZE)
    with ThreadPoolExecutor(max_workers=CROWD_SIZE) as pool:
        futures = [
            pool.submit(_converse, assistant, index, start) for index in range(1, CROWD_SIZE + 1)
        ]
        results = [future.result(timeout=600) for future in futures]

    for index, (sender, answer, tracker) in enumerate(results, start=1):
        number, email = crowd_order(index)
        user_messages = [e["text"] for e in tracker["events"] if e["event"] == "user"]
        assert set(ORDER_NUMBER.findall(answer)) == {number}, sender
        assert "Livré" in answer, sender
        assert set(EMAIL.findall(answer)) <= {email, "support@allyzure.com"}, sender
        assert user_messages == [f"Bonjour, où en est ma commande {number} ?", email], sender
