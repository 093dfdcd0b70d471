"""A new session forgets the verified order (bot/actions/session.py), over HTTP."""

from __future__ import annotations

import requests
from support import Conversation


def start_a_new_session(assistant, sender: str) -> None:
    """What Rasa does on the first message after `session_expiration_time` of silence."""
    response = requests.post(
        f"{assistant.rasa_url}/conversations/{sender}/execute",
        params={"token": assistant.auth_token},
        json={"name": "action_session_start"},
        timeout=60,
    )
    response.raise_for_status()


def test_a_new_session_asks_for_the_order_again_and_reveals_nothing(assistant, sender_id):
    chat = Conversation(assistant, sender_id)
    chat.say("Où est ma commande AZ104203 ?")
    assert "Montréal" in chat.say("marie.tremblay@exemple.ca")

    start_a_new_session(assistant, sender_id)
    answer = chat.say("et ma commande, elle est où ?")

    assert "numéro de commande" in answer
    assert "AZ104203" not in answer and "Montréal" not in answer
