"""Conversations live in PostgreSQL: restarting every Rasa server loses none of them."""

from __future__ import annotations

from .conftest import crowd_order


def test_identification_in_progress_survives_a_restart_of_every_rasa_server(
    production, conversation_id
):
    assistant = production.running
    number, email = crowd_order(1)
    asked = " ".join(assistant.texts(conversation_id, f"où en est ma commande {number} ?"))

    production.stack.restart("rasa-1", "rasa-2")
    answer = " ".join(assistant.texts(conversation_id, email))

    assert "courriel" in asked
    assert number in answer
    assert "Livré" in answer
