"""The callback channel: bad bodies are refused, an unreachable receiver is not a 500."""

from __future__ import annotations

import asyncio
import json
import logging

import pytest
import requests
from hardening_client import new_client, new_sender
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rasa.utils.endpoints import EndpointConfig

from server.channels.callback import CallbackInput, CallbackOutput
from tools.launcher import free_port


def unreachable_endpoint() -> EndpointConfig:
    return EndpointConfig(url=f"http://127.0.0.1:{free_port()}/bot")


def test_a_reply_to_an_unreachable_receiver_is_logged_not_raised(caplog):
    output = CallbackOutput(unreachable_endpoint())

    with caplog.at_level(logging.ERROR, logger="channels.callback"):
        asyncio.run(output.send_text_message("client-1", "Bonjour marie@exemple.ca"))

    assert output.messages == [{"recipient_id": "client-1", "text": "Bonjour marie@exemple.ca"}]
    assert "Callback reply not delivered: ClientConnectorError" in caplog.text
    assert "marie" not in caplog.text


def test_the_input_channel_keeps_rasas_name_and_setting():
    channel = CallbackInput.from_credentials({"url": "http://localhost:5034/bot"})

    assert channel.name() == "callback"
    assert isinstance(channel.get_output_channel(), CallbackOutput)


def callback_url(assistant) -> str:
    return f"{assistant.rasa_url}/webhooks/callback/webhook"


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    body=st.one_of(
        st.fixed_dictionaries({"sender": st.none() | st.integers() | st.just("")}),
        st.fixed_dictionaries(
            {"sender": st.just("a"), "message": st.none() | st.integers() | st.lists(st.text())}
        ),
        st.lists(st.integers()),
        st.just("x" * 2001).map(lambda text: {"sender": "a", "message": text}),
    )
)
def test_malformed_callback_messages_are_refused_with_a_clear_4xx(assistant, body):
    response = requests.post(
        callback_url(assistant), data=json.dumps(body), headers=new_client(), timeout=30
    )

    assert response.status_code in (400, 413)
    assert response.json()["code"] in (
        "not_a_string",
        "missing_field",
        "missing_sender",
        "not_an_object",
        "message_too_long",
    )
    assert response.json()["error"].startswith(("Le ", "La ", "Les "))


@pytest.mark.slow
def test_a_message_is_accepted_even_when_the_receiver_is_down(assistant):
    # The suite's stack posts replies to the launcher's default CALLBACK_URL, where nothing
    # listens.
    response = requests.post(
        callback_url(assistant),
        json={"sender": new_sender(), "message": "Bonjour"},
        headers=new_client(),
        timeout=60,
    )

    assert response.status_code == 200
    assert response.text == "success"
