"""The conversation store's connections are terminated mid-conversation: the conversation
goes on where it was, with its identification, and nothing is written out of order."""

from __future__ import annotations

from sqlalchemy import create_engine, text
from support import joined

from tools.prod import TRACKER_DB

from .conftest import crowd_order


def terminate_tracker_store_connections(production) -> int:
    """pg_terminate_backend on every connection the Rasa servers hold to their store."""
    engine = create_engine(production.running.database_url)  # the shop database, directly
    try:
        with engine.begin() as connection:
            return len(
                connection.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = :database AND pid <> pg_backend_pid()"
                    ),
                    {"database": TRACKER_DB},
                ).all()
            )
    finally:
        engine.dispose()


def test_terminated_store_connections_keep_the_conversation_and_its_identification(
    production, conversation_id
):
    assistant = production.running
    number, email = crowd_order(5)
    status = joined(assistant.texts(conversation_id, f"où en est ma commande {number} ? {email}"))

    terminated = [terminate_tracker_store_connections(production)]
    offer = joined(assistant.texts(conversation_id, "je veux retourner ma commande"))
    terminated.append(terminate_tracker_store_connections(production))
    created = joined(assistant.texts(conversation_id, "oui"))
    events = assistant.tracker(conversation_id)["events"]

    assert "Livré" in status
    assert all(count >= 1 for count in terminated), terminated
    assert number in offer and "Souhaitez-vous" in offer  # no new identification asked
    assert f"RA-{number[2:]}" in created
    assert [event["event"] for event in events].count("session_started") == 1
    user_texts = [event.get("text") for event in events if event["event"] == "user"]
    assert user_texts[-2:] == ["je veux retourner ma commande", "oui"]
