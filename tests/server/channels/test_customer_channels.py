"""What every project channel brings to the Rasa process (server/channels/customer.py): the
HTTP guard once per app, whatever the number of channels, and customer messages filtered
before the dialogue engine."""

from __future__ import annotations

import asyncio

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from sanic import Blueprint, Sanic

from server.channels.customer import customer_blueprint, guard


def test_the_guard_is_registered_once_per_app_whatever_the_number_of_channels():
    app = Sanic("guarded_once")
    before = len(app.request_middleware)

    guard(app)
    after_one = len(app.request_middleware)
    guard(app)

    assert after_one > before
    assert len(app.request_middleware) == after_one


def test_a_customer_channel_hands_rasa_a_filtered_message():
    received: list[UserMessage] = []

    async def rasa_handler(message: UserMessage) -> None:
        received.append(message)

    handlers = []

    def build(on_new_message) -> Blueprint:
        handlers.append(on_new_message)
        return Blueprint("fake_channel")

    customer_blueprint("rest", rasa_handler, build)
    message = UserMessage(
        "/restart",
        CollectingOutputChannel(),
        "client-1",
        input_channel="agent",
        metadata={"dry_run": True, "page": "accueil"},
    )
    asyncio.run(handlers[0](message))

    assert received[0].text == "restart"  # words for the NLU, not a command
    assert received[0].input_channel == "rest"
    assert received[0].metadata == {"page": "accueil"}
