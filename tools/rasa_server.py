"""Start the Rasa server (`rasa run …`) with what Rasa 3.6 has no setting for.

1. **A failed custom action is never silence.** When the action server is down, answers an
   error, or does not answer within `ALLYZURE_ACTION_TIMEOUT_S`, Rasa 3.6 logs the exception and
   goes on without a word to the customer. Here the failed call is replaced by the
   `utter_service_unavailable` response, and the conversation goes on: the next message is
   handled normally once the action server is back. A call that timed out may still finish on
   the action server; every write the bot makes is an idempotent service request, so the
   customer's retry does not duplicate it.
2. **HTTP hardening hooks** (`tools.http_guard.register`) are added to the Sanic app that
   `rasa run` builds, before it serves, and every input channel hands its messages to the
   dialogue engine through `tools.customer_input` (no reserved metadata, no slash commands
   but the assistant's own buttons, the channel's own name as input channel).
3. **Action replies are validated with a validator built once**, not rebuilt per call, and
   the SQLite tracker store of the default profile runs in WAL mode over pooled connections;
   stored events are turned back into Rasa events without searching every event class, and
   saving a turn does not count the conversation's stored events again.

4. **No in-memory fallback for the conversations.** Rasa wraps every tracker store in its
   FailSafeTrackerStore, which answers a failed read with no tracker (the message is then
   handled as a new conversation) and sends a failed write to memory. A store that retries
   itself and reports a lasting failure (`replaces_fail_safe`, bot/conversation_store.py) is
   used as it is, and a message it cannot read or save gets the `utter_service_unavailable`
   apology instead of any other answer.

They are installed by wrapping the Rasa functions involved, in this one module, only when
the server is started through it (`python -m tools.rasa_server run …`, as tools/launcher.py
does); importing it changes nothing.
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import logging
import os
import sqlite3
import sys
from collections.abc import Awaitable, Callable
from typing import Any

logger = logging.getLogger(__name__)

SERVICE_UNAVAILABLE_RESPONSE = "utter_service_unavailable"
DEFAULT_ACTION_TIMEOUT_S = 10.0


def action_timeout_s() -> float:
    return float(os.environ.get("ALLYZURE_ACTION_TIMEOUT_S") or DEFAULT_ACTION_TIMEOUT_S)


def apologising(run: Callable[..., Awaitable[list]], timeout_s: float) -> Callable:
    """Wrap RemoteAction.run: failures and timeouts become a polite French answer."""
    from rasa.core.actions.action import ActionExecutionRejection
    from rasa.shared.exceptions import RasaException

    @functools.wraps(run)
    async def run_or_apologise(self: Any, output_channel, nlg, tracker, domain) -> list:
        try:
            return await asyncio.wait_for(
                run(self, output_channel, nlg, tracker, domain), timeout=timeout_s
            )
        except ActionExecutionRejection:
            raise  # a form rejecting its slot is normal dialogue, not a failure
        except (TimeoutError, RasaException) as error:
            logger.error("Custom action %s failed: %s", self.name(), type(error).__name__)
            return await _apology(nlg, tracker, output_channel)

    return run_or_apologise


async def _apology(nlg: Any, tracker: Any, output_channel: Any) -> list:
    """The apology, once per customer message: when the action server is down, the actions
    that follow a failed one in the same turn (the form's validation, then the flow it resumes)
    fail too, and the customer would read the same apology twice (issue 13, defect 4)."""
    from rasa.core.actions.action import create_bot_utterance

    if apologised_this_turn(tracker):
        return []
    message = await nlg.generate(SERVICE_UNAVAILABLE_RESPONSE, tracker, output_channel.name())
    if not message:
        return []
    message["utter_action"] = SERVICE_UNAVAILABLE_RESPONSE  # kept in the event's metadata
    return [create_bot_utterance(message)]


def apologised_this_turn(tracker: Any) -> bool:
    """The apology was already uttered since the customer's latest message."""
    from rasa.shared.core.events import BotUttered, UserUttered

    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return False
        if (
            isinstance(event, BotUttered)
            and (event.metadata or {}).get("utter_action") == SERVICE_UNAVAILABLE_RESPONSE
        ):
            return True
    return False


def with_http_guard(configure_app: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap rasa.core.run.configure_app so the app gets our request checks before serving."""
    from tools import http_guard

    @functools.wraps(configure_app)
    def configure_guarded_app(*args: Any, **kwargs: Any) -> Any:
        app = configure_app(*args, **kwargs)
        http_guard.register(app)
        return app

    return configure_guarded_app


def without_fail_safe_for_reliable_stores(create_tracker_store: Callable) -> Callable:
    """Wrap Agent._create_tracker_store: a store with `replaces_fail_safe` is used unwrapped."""

    @functools.wraps(create_tracker_store)
    def create(store: Any, domain: Any) -> Any:
        if getattr(store, "replaces_fail_safe", False):
            store.domain = domain
            return store
        return create_tracker_store(store, domain)

    return create


def apologising_when_the_store_fails(handle_message: Callable[..., Awaitable]) -> Callable:
    """Wrap Agent.handle_message: a message whose conversation cannot be read or saved gets
    the apology alone (what was collected for it is dropped, since it was not saved)."""
    from conversation_store import TrackerStoreUnavailable
    from rasa.core.channels.channel import CollectingOutputChannel
    from rasa.shared.core.trackers import DialogueStateTracker

    @functools.wraps(handle_message)
    async def handle_or_apologise(self: Any, message: Any) -> Any:
        try:
            return await handle_message(self, message)
        except TrackerStoreUnavailable as error:
            logger.error("Conversation store unavailable: %s", error.__cause__ or error)
            channel = message.output_channel
            if isinstance(channel, CollectingOutputChannel):
                channel.messages.clear()
            tracker = DialogueStateTracker(message.sender_id, self.domain.slots)
            apology = await self.processor.nlg.generate(
                SERVICE_UNAVAILABLE_RESPONSE, tracker, channel.name()
            )
            if apology:
                await channel.send_response(message.sender_id, apology)
            return channel.messages if isinstance(channel, CollectingOutputChannel) else None

    return handle_or_apologise


AUTH_TOKEN_VARIABLE = "RASA_AUTH_TOKEN"


def with_auth_token_from_environment(configure_app: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap rasa.core.run.configure_app: the HTTP API's token comes from `RASA_AUTH_TOKEN`.

    Rasa 3.6 reads it only from `--auth-token`, where every user of the machine sees it in
    `ps`; tools/launcher.py passes it in the environment instead. An API without any token
    would be open to anyone: the server refuses to start that way.
    """

    @functools.wraps(configure_app)
    def configure_with_token(*args: Any, **kwargs: Any) -> Any:
        arguments = list(args)
        given = arguments[2] if len(arguments) > 2 else kwargs.get("auth_token")
        token = given or os.environ.get(AUTH_TOKEN_VARIABLE) or None
        enable_api = arguments[3] if len(arguments) > 3 else kwargs.get("enable_api", True)
        if enable_api and not token and not kwargs.get("jwt_secret"):
            raise SystemExit(f"The HTTP API needs a token: set {AUTH_TOKEN_VARIABLE}.")
        if len(arguments) > 2:
            arguments[2] = token
        else:
            kwargs["auth_token"] = token
        return configure_app(*arguments, **kwargs)

    return configure_with_token


def validating_with_one_validator(validate_result: Callable) -> Callable:
    """Check action-server replies against Rasa's schema with a validator built once.

    Rasa 3.6 calls `jsonschema.validate` on every reply, which checks the large events schema
    itself and builds a new validator each time: ~150 ms per action call on this machine,
    a third of a turn (reports/bench/README.md). Same schema, same error on an invalid reply.
    """
    from jsonschema import ValidationError
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    validator = validator_for(schema)(schema)

    @functools.wraps(validate_result)
    def validate_once_built(self: Any, result: dict[str, Any]) -> bool:
        try:
            validator.validate(result)
        except ValidationError:
            return validate_result(self, result)  # Rasa's own message and exception
        return True

    return validate_once_built


def write_ahead_log_for_sqlite_tracker_store() -> None:
    """The default profile keeps conversations in SQLite: in WAL mode a turn's commit costs one
    sync of the log instead of the journal dance, and reads never wait for a writer."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    def use_write_ahead_log(dbapi_connection: Any, _record: Any) -> None:
        if isinstance(dbapi_connection, sqlite3.Connection):
            dbapi_connection.execute("PRAGMA journal_mode=WAL")

    event.listen(Engine, "connect", use_write_ahead_log)


def pooling_sqlite_connections(engine_kwargs: Callable[[Any], dict]) -> Callable[[Any], dict]:
    """Wrap rasa.core.tracker_store.create_engine_kwargs: keep SQLite connections open.

    SQLAlchemy 1.4 gives a file-based SQLite database no pool, so Rasa's tracker store opened
    and closed a connection for each read and each write of a turn, and closing the last
    connection of a WAL database checkpoints it: ~6 ms per turn (reports/bench). Connections
    are still used by one session at a time; they may be handed between threads.
    """
    from sqlalchemy.pool import QueuePool

    @functools.wraps(engine_kwargs)
    def with_sqlite_pool(url: Any) -> dict:
        if not str(url).startswith("sqlite"):
            return engine_kwargs(url)
        return {
            "poolclass": QueuePool,
            "pool_size": 2,
            "connect_args": {"check_same_thread": False},
        }

    return with_sqlite_pool


def hiding_parameters(engine_kwargs: Callable[[Any], dict]) -> Callable[[Any], dict]:
    """Wrap rasa.core.tracker_store.create_engine_kwargs: SQL errors never show parameters.

    A failed statement's exception (and any log of it) would otherwise carry its bound values:
    the conversation's events, with the customer's emails and addresses.
    """

    @functools.wraps(engine_kwargs)
    def without_parameters(url: Any) -> dict:
        return {**engine_kwargs(url), "hide_parameters": True}

    return without_parameters


STORED_EVENTS_ATTRIBUTE = "_allyzure_stored_events"


def counting_stored_events(store_class: type) -> None:
    """Let Rasa's SQLTrackerStore know how many of a tracker's events are already stored.

    To save a turn, Rasa 3.6 first counts the conversation's stored events with a query (about
    half of the save, reports/bench) to know which events are new. A tracker this store has
    just read holds exactly the stored events of its session, and the lock store keeps any
    other process from writing that conversation until it is saved; so the count is taken
    when the tracker is read and kept up to date on each save. A tracker the store did not
    read (a new conversation) is still counted by Rasa's query.
    """
    retrieve = store_class._retrieve
    additional_events = store_class._additional_events
    save = store_class.save

    @functools.wraps(retrieve)
    async def retrieve_and_count(self: Any, sender_id: str, fetch_events_from_all_sessions: bool):
        tracker = await retrieve(self, sender_id, fetch_events_from_all_sessions)
        if tracker is not None and not fetch_events_from_all_sessions:
            setattr(tracker, STORED_EVENTS_ATTRIBUTE, len(tracker.events))
        return tracker

    @functools.wraps(additional_events)
    def events_after_the_stored_ones(self: Any, session: Any, tracker: Any):
        stored = getattr(tracker, STORED_EVENTS_ATTRIBUTE, None)
        if stored is None:
            return additional_events(self, session, tracker)
        return itertools.islice(tracker.events, stored, None)

    @functools.wraps(save)
    async def save_and_count(self: Any, tracker: Any) -> None:
        await save(self, tracker)
        setattr(tracker, STORED_EVENTS_ATTRIBUTE, len(tracker.events))

    store_class._retrieve = retrieve_and_count
    store_class._additional_events = events_after_the_stored_ones
    store_class.save = save_and_count


def remembering_event_classes(resolve_by_type: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap rasa.shared.core.events.Event.resolve_by_type: remember each name's class.

    Rasa walks every subclass of Event for each stored event it reads back, so rebuilding a
    conversation from the tracker store cost ~2.5 ms per turn (cProfile, reports/bench).
    Event classes are all defined at import; unknown names still go to Rasa (default or
    ValueError), and only names Rasa itself resolved are remembered.
    """
    classes: dict[str, type] = {}

    @functools.wraps(resolve_by_type)
    def resolve_remembered(type_name: str, default: type | None = None) -> type | None:
        if type_name in classes:
            return classes[type_name]
        resolved = resolve_by_type(type_name, default)
        if resolved is not None and resolved is not default:
            classes[type_name] = resolved
        return resolved

    return resolve_remembered


@functools.cache
def install() -> None:
    """Install every addition once per process: a second call (the bench profiles both of its
    profiles in one process) must not wrap Rasa's functions twice, which would register the
    HTTP guard's middlewares twice."""
    import rasa.core.channels.channel
    import rasa.core.run
    import rasa.core.tracker_store
    from rasa.core.actions.action import RemoteAction
    from rasa.core.agent import Agent
    from rasa.shared.core.events import Event

    from tools import customer_input

    write_ahead_log_for_sqlite_tracker_store()
    counting_stored_events(rasa.core.tracker_store.SQLTrackerStore)
    Event.resolve_by_type = staticmethod(remembering_event_classes(Event.resolve_by_type))
    rasa.core.tracker_store.create_engine_kwargs = hiding_parameters(
        pooling_sqlite_connections(rasa.core.tracker_store.create_engine_kwargs)
    )

    RemoteAction.run = apologising(RemoteAction.run, action_timeout_s())
    RemoteAction._validate_action_result = validating_with_one_validator(
        RemoteAction._validate_action_result
    )
    rasa.core.run.configure_app = with_auth_token_from_environment(
        with_http_guard(rasa.core.run.configure_app)
    )
    Agent._create_tracker_store = staticmethod(
        without_fail_safe_for_reliable_stores(Agent._create_tracker_store)
    )
    Agent.handle_message = apologising_when_the_store_fails(Agent.handle_message)
    rasa.core.channels.channel.register = customer_input.register_customer_channels


def main() -> None:
    from rasa.__main__ import main as rasa_main

    install()
    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
