"""The Rasa server's additions (tools/rasa_server.py) keep Rasa's behaviour, only faster or
more polite. The apology on a failed action is tested end to end in tests/reliability."""

from __future__ import annotations

import asyncio
import subprocess
import sys

import pytest
import rasa.core.tracker_store
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig
from sqlalchemy import event
from sqlalchemy.pool import QueuePool

from tools.model import PROJECT_ROOT
from tools.rasa_server import (
    action_timeout_s,
    counting_stored_events,
    pooling_sqlite_connections,
    remembering_event_classes,
    validating_with_one_validator,
)

VALID_REPLY = {
    "events": [{"event": "slot", "name": "order_number", "value": "AZ104203"}],
    "responses": [{"response": "utter_greet"}],
}


@pytest.fixture
def action() -> RemoteAction:
    return RemoteAction("action_track_order", EndpointConfig("http://127.0.0.1:1/webhook"))


def test_a_valid_action_reply_passes_the_prebuilt_validator(action):
    validate = validating_with_one_validator(RemoteAction._validate_action_result)

    assert validate(action, VALID_REPLY) is True


@pytest.mark.parametrize(
    "reply",
    [
        {"events": [{"event": "no_such_event"}]},
        {"events": "not a list"},
        {"responses": [42]},
    ],
)
def test_an_invalid_action_reply_raises_rasas_own_error(action, reply):
    validate = validating_with_one_validator(RemoteAction._validate_action_result)

    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        validate(action, reply)


@pytest.mark.parametrize(("value", "expected"), [("", 10.0), ("2.5", 2.5)])
def test_the_action_timeout_comes_from_the_environment(monkeypatch, value, expected):
    monkeypatch.setenv("ALLYZURE_ACTION_TIMEOUT_S", value)

    assert action_timeout_s() == expected


@pytest.fixture
def pooled_sqlite(monkeypatch):
    monkeypatch.setattr(
        rasa.core.tracker_store,
        "create_engine_kwargs",
        pooling_sqlite_connections(rasa.core.tracker_store.create_engine_kwargs),
    )


def sqlite_store(path) -> SQLTrackerStore:
    domain = Domain.from_dict({"slots": {"order_number": {"type": "text", "mappings": []}}})
    return SQLTrackerStore(domain=domain, dialect="sqlite", db=str(path))


@pytest.mark.usefixtures("pooled_sqlite")
def test_the_sqlite_tracker_store_keeps_its_connections_in_a_pool(tmp_path):
    store = sqlite_store(tmp_path / "tracker.db")

    assert isinstance(store.engine.pool, QueuePool)


@pytest.mark.usefixtures("pooled_sqlite")
def test_a_conversation_saved_over_pooled_connections_is_read_back_by_a_new_server(tmp_path):
    tracker = DialogueStateTracker.from_events(
        "customer-1",
        [UserUttered("bonjour"), SlotSet("order_number", "AZ104203")],
        slots=sqlite_store(tmp_path / "tracker.db").domain.slots,
    )
    asyncio.run(sqlite_store(tmp_path / "tracker.db").save(tracker))

    restored = asyncio.run(sqlite_store(tmp_path / "tracker.db").retrieve("customer-1"))

    assert restored.get_slot("order_number") == "AZ104203"
    assert restored.latest_message.text == "bonjour"


def test_other_databases_keep_rasas_engine_settings(monkeypatch):
    wrapped = pooling_sqlite_connections(lambda url: {"pool_size": 50})

    assert wrapped("postgresql://rasa@localhost/conversations") == {"pool_size": 50}


@pytest.mark.parametrize("type_name", ["user", "bot", "action", "slot", "session_started"])
def test_remembered_event_classes_are_the_ones_rasa_resolves(type_name):
    resolve = remembering_event_classes(Event.resolve_by_type)

    assert resolve(type_name) is resolve(type_name) is Event.resolve_by_type(type_name)


def test_an_unknown_event_name_still_gets_rasas_default_or_error():
    resolve = remembering_event_classes(Event.resolve_by_type)

    assert resolve("no_such_event", ActionExecuted) is ActionExecuted
    with pytest.raises(ValueError, match="Unknown event name"):
        resolve("no_such_event")


class CountingTrackerStore(SQLTrackerStore):
    """Rasa's SQL tracker store with the stored-event count, on a subclass of its own."""


counting_stored_events(CountingTrackerStore)


def counting_store(path) -> CountingTrackerStore:
    return CountingTrackerStore(domain=sqlite_store(path).domain, dialect="sqlite", db=str(path))


async def play_turns(store: SQLTrackerStore, sender: str, turns: int) -> None:
    for turn in range(turns):
        tracker = await store.get_or_create_tracker(sender)
        tracker.update(UserUttered(f"message {turn}"))
        tracker.update(ActionExecuted("action_listen"))
        await store.save(tracker)


def test_counted_saves_store_each_event_once(tmp_path):
    store = counting_store(tmp_path / "tracker.db")

    asyncio.run(play_turns(store, "customer-1", turns=3))

    texts = [
        e.text for e in asyncio.run(store.retrieve("customer-1")).events if e.type_name == "user"
    ]
    assert texts == ["message 0", "message 1", "message 2"]


def test_saving_a_tracker_it_has_read_does_not_count_the_stored_events(tmp_path):
    store = counting_store(tmp_path / "tracker.db")
    asyncio.run(play_turns(store, "customer-1", turns=1))
    statements: list[str] = []
    event.listen(store.engine, "before_cursor_execute",
                 lambda _c, _cur, statement, *_: statements.append(statement))  # fmt: skip

    asyncio.run(play_turns(store, "customer-1", turns=1))

    assert any(statement.startswith("INSERT") for statement in statements)
    assert not any("count(" in statement.lower() for statement in statements)


def test_installing_the_additions_twice_wraps_rasa_once():
    """In a fresh process: install() is global, so it is not run inside the test session."""
    script = (
        "import rasa.core.run\n"
        "from tools import rasa_server\n"
        "rasa_server.install()\n"
        "configure_app = rasa.core.run.configure_app\n"
        "rasa_server.install()\n"
        "assert rasa.core.run.configure_app is configure_app\n"
        "assert configure_app.__wrapped__.__module__ == 'rasa.core.run'\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT_ROOT, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr[-2000:]
