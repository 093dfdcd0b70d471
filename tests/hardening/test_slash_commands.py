"""Customer channels cannot drive the dialogue with Rasa's slash commands (issue 13, defect 6).

`/restart` reset the three-failure stop of a conversation (then AZ104206 + jdupont@exemple.fr
was verified), and `/intent{…}` sets intents and entities without the NLU. A message starting
with "/" is a command only when it is exactly the payload of one of the assistant's own buttons
(server/customer_input.py); anything else reaches the NLU as plain words.
"""

from __future__ import annotations

import secrets

import pytest
import requests
from hardening_client import new_client, new_sender, rest_send, texts

from server.customer_input import as_customer_message, domain_button_payloads, plain_text

pytestmark = pytest.mark.slow

JDUPONT = "jdupont@exemple.fr"


def unknown_order_number() -> str:
    return f"AZ9{secrets.randbelow(100_000):05d}"


def tracker(assistant, sender: str) -> dict:
    return requests.get(
        f"{assistant.rasa_url}/conversations/{sender}/tracker",
        params={"token": assistant.auth_token},
        timeout=30,
    ).json()


def say(assistant, sender: str, client: dict, message: str) -> str:
    return " ".join(texts(rest_send(assistant, sender, message, client)))


@pytest.mark.parametrize("command", ["/restart", " /restart", "/session_start", "//restart"])
def test_restart_does_not_reset_the_three_failure_stop(assistant, command):
    sender, client = new_sender(), new_client()
    number = unknown_order_number()
    say(assistant, sender, client, f"où est ma commande {number} ?")
    for attempt in range(3):
        locked = say(assistant, sender, client, f"{number} devine{attempt}-{sender}@exemple.ca")
    assert "trois tentatives" in locked

    say(assistant, sender, client, command)
    after = say(assistant, sender, client, f"où est ma commande AZ104206 ? {JDUPONT}")

    assert "trois tentatives" in after
    assert "France" not in after and "Expédié" not in after
    events = [event["event"] for event in tracker(assistant, sender)["events"]]
    assert "restart" not in events


def test_an_intent_command_with_entities_is_read_as_plain_words(assistant):
    sender, client = new_sender(), new_client()

    say(
        assistant, sender, client, '/inform{"order_number": "AZ104206", "email": "' + JDUPONT + '"}'
    )

    latest = tracker(assistant, sender)["latest_message"]
    assert latest["text"].startswith("inform{")
    assert latest["intent"]["name"] != "inform" or latest["intent"].get("confidence", 0) < 1


def test_the_assistants_own_buttons_still_work(assistant):
    sender, client = new_sender(), new_client()

    say(assistant, sender, client, "/track_order")
    latest = tracker(assistant, sender)["latest_message"]

    assert latest["text"] == "/track_order"
    assert latest["intent"] == {"name": "track_order", "confidence": 1.0}


def test_plain_text_keeps_allowed_payloads_and_words():
    allowed = frozenset({"/affirm", '/inform{"warranty_cause":"loss"}'})

    assert plain_text("/affirm", allowed) == "/affirm"
    assert plain_text(' /inform{"warranty_cause":"loss"} ', allowed).strip().startswith("/")
    assert plain_text("/restart", allowed) == "restart"
    assert plain_text("/", allowed) == "?"
    assert plain_text('/affirm{"x": 1}', allowed) == 'affirm{"x": 1}'
    assert plain_text("où est /ma commande", allowed) == "où est /ma commande"


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ('/return_item{"item":"bague eclat or 14 carat"}', True),  # « which one? » button
        ('/return_item{"item":"bague","role":"every"}', False),  # another entity
        ('/restart{"item":"bague"}', False),  # a command the assistant never offers
        ('/return_item{"item":"<b>"}', False),  # not plain key words
    ],
)
def test_a_line_chosen_among_several_goes_through_only_as_the_actions_button(text, kept):
    allowed = frozenset({"/return_item"})

    assert (plain_text(text, allowed) == text) is kept


def test_the_domain_button_payloads_are_found():
    responses = {
        "utter_a": [{"text": "t", "buttons": [{"title": "x", "payload": "/deny"}]}],
        "utter_b": [{"text": "u"}],
    }

    assert domain_button_payloads(responses) == frozenset({"/deny"})


def test_a_customer_message_cannot_claim_the_agent_channel_or_a_dry_run():
    class Message:
        text = "Bonjour"
        input_channel = "agent"
        metadata = {"dry_run": True, "language": "fr"}

    message = as_customer_message(Message(), "rest", frozenset())

    assert message.input_channel == "rest"
    assert message.metadata == {"language": "fr"}


def test_the_actions_yes_no_buttons_are_allowed_commands():
    from actions.yes_no import YES_NO_BUTTONS

    from server.customer_input import ACTION_BUTTON_PAYLOADS

    assert {button["payload"] for button in YES_NO_BUTTONS} <= ACTION_BUTTON_PAYLOADS
