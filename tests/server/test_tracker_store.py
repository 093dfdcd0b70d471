"""The conversation store (server/tracker_store.py) stores what Rasa's SQL store stores, over
pooled WAL connections, without counting the stored events again at each save. Dropped
PostgreSQL connections are tested in tests/reliability/test_tracker_store_connections.py."""

from __future__ import annotations

import asyncio

import pytest
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import QueuePool

from server.tracker_store import ConversationStore, engine_kwargs

DOMAIN = Domain.from_dict({"slots": {"order_number": {"type": "text", "mappings": []}}})


def sqlite_store(path) -> ConversationStore:
    return ConversationStore(domain=DOMAIN, dialect="sqlite", db=str(path))


def test_the_sqlite_conversation_store_keeps_its_connections_in_a_pool(tmp_path):
    store = sqlite_store(tmp_path / "tracker.db")

    assert isinstance(store.engine.pool, QueuePool)


def test_the_sqlite_conversation_store_writes_ahead_to_a_log(tmp_path):
    store = sqlite_store(tmp_path / "tracker.db")

    with store.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_the_sqlite_conversation_store_commits_without_waiting_for_the_disk(tmp_path):
    store = sqlite_store(tmp_path / "tracker.db")

    with store.engine.connect() as connection:
        assert connection.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL


def test_a_conversation_saved_over_pooled_connections_is_read_back_by_a_new_server(tmp_path):
    tracker = DialogueStateTracker.from_events(
        "customer-1",
        [UserUttered("bonjour"), SlotSet("order_number", "AZ104203")],
        slots=DOMAIN.slots,
    )
    asyncio.run(sqlite_store(tmp_path / "tracker.db").save(tracker))

    restored = asyncio.run(sqlite_store(tmp_path / "tracker.db").retrieve("customer-1"))

    assert restored.get_slot("order_number") == "AZ104203"
    assert restored.latest_message.text == "bonjour"


@pytest.mark.parametrize("url", ["sqlite:////tmp/tracker.db", "postgresql://rasa@h/conversations"])
def test_every_engine_hides_its_parameters(url):
    assert engine_kwargs(make_url(url))["hide_parameters"] is True


def test_postgresql_connections_are_checked_before_use_and_keep_rasas_pool_settings():
    url = make_url("postgresql://rasa@localhost/conversations")
    kwargs = engine_kwargs(url)

    assert kwargs["pool_pre_ping"] is True
    assert kwargs["pool_size"] == create_engine_kwargs(url)["pool_size"]
    assert "poolclass" not in kwargs


async def play_turns(store: ConversationStore, sender: str, turns: int) -> None:
    for turn in range(turns):
        tracker = await store.get_or_create_tracker(sender)
        tracker.update(UserUttered(f"message {turn}"))
        tracker.update(ActionExecuted("action_listen"))
        await store.save(tracker)


def test_counted_saves_store_each_event_once(tmp_path):
    store = sqlite_store(tmp_path / "tracker.db")

    asyncio.run(play_turns(store, "customer-1", turns=3))

    texts = [
        e.text for e in asyncio.run(store.retrieve("customer-1")).events if e.type_name == "user"
    ]
    assert texts == ["message 0", "message 1", "message 2"]


def test_saving_a_tracker_it_has_read_does_not_count_the_stored_events(tmp_path):
    store = sqlite_store(tmp_path / "tracker.db")
    asyncio.run(play_turns(store, "customer-1", turns=1))
    statements: list[str] = []
    event.listen(
        store.engine,
        "before_cursor_execute",
        lambda _c, _cur, statement, *_: statements.append(statement),
    )

    asyncio.run(play_turns(store, "customer-1", turns=1))

    assert any(statement.startswith("INSERT") for statement in statements)
    assert not any("count(" in statement.lower() for statement in statements)


def test_the_store_replaces_rasas_in_memory_fallback():
    assert ConversationStore.replaces_fail_safe is True


def conversation(sender: str) -> DialogueStateTracker:
    return DialogueStateTracker.from_events(
        sender,
        [
            ActionExecuted("action_listen"),
            UserUttered("où est ma commande", {"name": "track_order", "confidence": 0.9}),
            SlotSet("order_number", "AZ104203"),
            ActionExecuted("action_track_order"),
            ActionExecuted("action_listen"),
        ],
        slots=DOMAIN.slots,
    )


def stored_rows(store: SQLTrackerStore) -> list[tuple]:
    with store.engine.connect() as connection:
        query = "SELECT sender_id, type_name, timestamp, intent_name, action_name, data FROM events"
        return [tuple(row) for row in connection.execute(text(query + " ORDER BY id"))]


def test_the_rows_stored_and_the_conversation_read_back_are_rasas_own(tmp_path):
    rasas = SQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(tmp_path / "rasa.db"))
    ours = sqlite_store(tmp_path / "ours.db")
    tracker = conversation("customer-1")
    asyncio.run(rasas.save(tracker))
    asyncio.run(ours.save(tracker))

    read_by_rasa = asyncio.run(SQLTrackerStore.retrieve(rasas, "customer-1"))
    read_by_us = asyncio.run(ours.retrieve("customer-1"))

    assert stored_rows(ours) == stored_rows(rasas)
    assert [e.as_dict() for e in read_by_us.events] == [e.as_dict() for e in read_by_rasa.events]
    assert read_by_us.latest_message.intent["name"] == "track_order"
    assert asyncio.run(ours.retrieve("customer-2")) is None
