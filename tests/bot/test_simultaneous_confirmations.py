"""Twenty conversations say « oui » to the same cancellation at the same instant.

The real action answers each of them from a demo shop of its own (a SQLite file): one
customer is told the cancellation is done, the nineteen others that it already was, with
its reference and refund, never that the order holds only personalised articles.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
from action_helpers import make_tracker, run_action
from actions.cancellation import ActionCancelOrder
from actions.conversation import ActionAnswerYesNo

CONVERSATIONS = 20


def yes_to_cancellation(order_number: str, email: str):
    return make_tracker(
        "oui",
        intent="affirm",
        slots={
            "verified_order": order_number,
            "verified_email": email,
            "pending_confirmation": ActionCancelOrder().name(),
        },
    )


def all_say_yes(order_number: str, email: str) -> list[list[dict]]:
    barrier = Barrier(CONVERSATIONS)

    def conversation(_: int) -> list[dict]:
        tracker = yes_to_cancellation(order_number, email)
        barrier.wait()
        messages, _events = run_action(ActionAnswerYesNo(), tracker)
        return messages

    with ThreadPoolExecutor(max_workers=CONVERSATIONS) as pool:
        return list(pool.map(conversation, range(CONVERSATIONS)))


# (order, email, response of the one served first, response of the others)
ORDERS = {
    "mixed order": (
        "AZ104201", "marie.tremblay@exemple.ca",
        "utter_cancel_done_partial", "utter_cancel_already_done_partial",
    ),
}  # fmt: skip


@pytest.mark.parametrize(("number", "email", "done", "already"), ORDERS.values(), ids=ORDERS)
def test_one_conversation_cancels_and_the_others_hear_it_is_already_done(
    own_shop, number, email, done, already
):
    answers = all_say_yes(number, email)

    first = [messages[0] for messages in answers if messages[0]["response"] == done]
    others = [messages[0] for messages in answers if messages[0]["response"] == already]
    cancellation = own_shop.order_summary(number, email).requests[0]
    assert (len(first), len(others)) == (1, CONVERSATIONS - 1)
    assert {message["reference"] for message in others} == {cancellation.reference}
    assert {message["refund"] for message in others} == {first[0]["refund"]}
