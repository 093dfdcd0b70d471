"""The only changes made to Rasa's own functions, for what Rasa 3.6 has no extension point.

Everything else that runs in the Rasa process uses Rasa's extension points: the conversation
store is a custom tracker store (server/tracker_store.py, named in bot/endpoints*.yml), the
request checks and customer-input filtering come with the project's own input channels
(server/channels/, named in bot/credentials.yml). Those channels call `install()` when Rasa
builds them from credentials.yml, before it builds its web app: a plain `rasa run` with the
project's configuration gets every protection, and refuses to start when the Rasa installed is
not the one these patches were written for (`RASA_VERSION`, and the parameters of every
patched function, `PATCHED`; tests/server/test_patches.py checks the same table).

1. **A failed custom action is never silence** (`RemoteAction.run`). When the action server
   is down, answers an error, or does not answer within `ALLYZURE_ACTION_TIMEOUT_S`, Rasa 3.6
   logs the exception and goes on without a word to the customer. Here the failed call is
   replaced by the `utter_service_unavailable` response, which asks for the message again,
   and the message is undone (`UserUtteranceReverted`): sent again once the action server is
   back, it continues where the conversation was. A call that timed out may
   still finish on the action server; every write the bot makes is an idempotent service
   request, so the customer's retry does not duplicate it.
2. **No in-memory fallback for the conversations** (`Agent._create_tracker_store`,
   `Agent.handle_message`). Rasa wraps every tracker store in its FailSafeTrackerStore, which
   answers a failed read with no tracker (the message is then handled as a new conversation)
   and sends a failed write to memory. A store that retries itself and reports a lasting
   failure (`replaces_fail_safe`, server/tracker_store.py) is used as it is, and a message it
   cannot read or save gets the `utter_service_unavailable` apology instead of any other answer;
   so does a message whose conversation lock cannot be had because the lock store (Redis) is
   down, while one that waited too long behind the conversation's earlier messages is asked to
   be sent again (`utter_conversation_busy`, server/lock_store.py). Never an empty reply.
3. **The HTTP API's token from the environment** (`rasa.core.run.configure_app`): Rasa 3.6
   reads it only from `--auth-token`, where every user of the machine sees it in `ps`.
4. **Faster, same behaviour**: action replies are validated with validators built once, each
   event against the schema of its own kind (`RemoteAction._validate_action_result`), and
   stored events are turned back into Rasa events without searching every event class
   (`Event.resolve_by_type`).
5. **The model's graph run in order, without dask** (`DaskGraphRunner.run`). For every
   message Rasa 3.6 works out the nodes the targets need, builds a dask graph of them and
   has dask's synchronous scheduler run it: ~2.5 ms per parse of the ~7 ms the whole NLU takes
   (p50; p95 20.8 → 15 ms in process, held-out messages). The same nodes are called in one
   dependency order, computed once per set of targets, with the same inputs: the same parse
   (tests/server/test_patches.py compares both on the held-out messages).

Importing this module changes nothing; `install()` does, once per process.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import logging
import os
from collections.abc import Awaitable, Callable
from typing import Any

logger = logging.getLogger(__name__)

SERVICE_UNAVAILABLE_RESPONSE = "utter_service_unavailable"
BUSY_RESPONSE = "utter_conversation_busy"
# Rasa names a form's slot-validation action `validate_<form name>`.
VALIDATION_PREFIX = "validate_"
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
            return await _apology(nlg, tracker, output_channel, self.name())

    return run_or_apologise


async def _apology(nlg: Any, tracker: Any, output_channel: Any, action_name: str) -> list:
    """The apology, as if the customer's message had not been handled at all.

    The apology asks the customer to send the message again, so the message is undone
    (`UserUtteranceReverted`, as Rasa's own fallback does): the slots, the active form and the
    question pending before it are back, and the same message sent again continues the flow
    it belonged to (issue 19, defect 5: after a timeout, the pending return was dropped).
    What the turn's earlier actions said is not sent either. The turn's writes, if any landed,
    are idempotent service requests: sending the message again finds them. When the failed
    action is a form's slot validation (`validate_<form>`), the form is told the validation
    rejected its run (`ActionExecutionRejected`), the one way Rasa's FormAction stops without
    asking its next question: the form stays as it was before the message.
    """
    from rasa.core.actions.action import create_bot_utterance
    from rasa.core.channels.channel import CollectingOutputChannel
    from rasa.shared.core.constants import ACTION_LISTEN_NAME
    from rasa.shared.core.events import (
        ActionExecutionRejected,
        FollowupAction,
        UserUtteranceReverted,
    )

    message = await nlg.generate(SERVICE_UNAVAILABLE_RESPONSE, tracker, output_channel.name())
    apology = [create_bot_utterance(message)] if message else []
    if not _message_in_this_turn(tracker):
        return apology  # an action run through the HTTP API: no message to undo
    if isinstance(output_channel, CollectingOutputChannel):
        output_channel.messages.clear()
    events = [UserUtteranceReverted(), *apology]
    form = action_name.removeprefix(VALIDATION_PREFIX)
    if action_name.startswith(VALIDATION_PREFIX) and tracker.active_loop_name == form:
        events.append(ActionExecutionRejected(form))
    # Then listen: a rejected form would otherwise bring Rasa's fallback, whose own undo
    # would take back the previous message too.
    return [*events, FollowupAction(ACTION_LISTEN_NAME)]


def _message_in_this_turn(tracker: Any) -> bool:
    """The tracker's latest user message came after its latest `action_listen`."""
    from rasa.shared.core.constants import ACTION_LISTEN_NAME
    from rasa.shared.core.events import ActionExecuted, UserUttered

    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return True
        if isinstance(event, ActionExecuted) and event.action_name == ACTION_LISTEN_NAME:
            return False
    return False


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
    """Wrap Agent.handle_message: a message whose conversation cannot be read or saved, or
    whose turn cannot be had from the lock store, gets a French answer alone (what was
    collected for it is dropped, since it was not saved): the apology when a store is down,
    a request to send it again when it waited too long behind the conversation's earlier
    messages (server/lock_store.py). Never an empty reply."""
    from rasa.core.channels.channel import CollectingOutputChannel
    from rasa.core.lock_store import LockError
    from rasa.shared.core.trackers import DialogueStateTracker

    from server.lock_store import ConversationBusy
    from server.tracker_store import TrackerStoreUnavailable

    @functools.wraps(handle_message)
    async def handle_or_apologise(self: Any, message: Any) -> Any:
        try:
            return await handle_message(self, message)
        except (TrackerStoreUnavailable, LockError) as error:
            logger.error("Message not handled: %s", error.__cause__ or error)
            # Rasa's own lock stores raise a bare LockError when a message's turn expired.
            busy = isinstance(error, ConversationBusy) or type(error) is LockError
            channel = message.output_channel
            if isinstance(channel, CollectingOutputChannel):
                channel.messages.clear()
            tracker = DialogueStateTracker(message.sender_id, self.domain.slots)
            apology = await self.processor.nlg.generate(
                BUSY_RESPONSE if busy else SERVICE_UNAVAILABLE_RESPONSE, tracker, channel.name()
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
    """Check action-server replies against Rasa's schema with validators built once.

    Rasa 3.6 calls `jsonschema.validate` on every reply, which checks the large events schema
    itself and builds a new validator each time: ~150 ms per action call on this machine,
    a third of a turn (reports/bench/README.md). Same schema, same error on an invalid reply:
    a reply these validators do not find valid goes to Rasa's own validation.
    """
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    valid = reply_checker(RemoteAction.action_response_format_spec(), validator_for)

    @functools.wraps(validate_result)
    def validate_once_built(self: Any, result: dict[str, Any]) -> bool:
        if valid(result):
            return True
        return validate_result(self, result)  # Rasa's own message and exception

    return validate_once_built


def reply_checker(schema: dict[str, Any], validator_for: Callable) -> Callable[[Any], bool]:
    """Whether a reply is valid under `schema`, each event checked against its own kind only.

    Rasa's events schema is one `oneOf` of 23 kinds, each with its own constant `event` name:
    jsonschema tries every kind on every event, to find that the one of the same name is the
    only match. An event is valid under that `oneOf` exactly when it is valid under the kind
    its name selects (the others fail on the name), so that one is the only one tried here.
    """
    events = schema["properties"]["events"]
    items = events["items"]
    common = {key: value for key, value in items.items() if key != "oneOf"}
    kinds = {
        kind["properties"]["event"]["const"]: _built(validator_for, {**common, "allOf": [kind]})
        for kind in items["oneOf"]
    }
    envelope_schema = {
        **schema,
        "properties": {**schema["properties"], "events": {**events, "items": {}}},
    }
    envelope = _built(validator_for, envelope_schema)

    def valid(reply: Any) -> bool:
        if not envelope.is_valid(reply):
            return False
        for event in reply.get("events") or ():
            name = event.get("event") if isinstance(event, dict) else None
            kind = kinds.get(name) if isinstance(name, str) else None
            if kind is None or not kind.is_valid(event):
                return False
        return True

    return valid


def _built(validator_for: Callable, schema: dict[str, Any]) -> Any:
    return validator_for(schema)(schema)


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


RASA_VERSION = "3.6.21"
# (module, owner or None for a module function, name, its parameters in this Rasa version)
PATCHED: tuple[tuple[str, str | None, str, tuple[str, ...]], ...] = (
    (
        "rasa.core.actions.action",
        "RemoteAction",
        "run",
        ("self", "output_channel", "nlg", "tracker", "domain"),
    ),
    ("rasa.core.actions.action", "RemoteAction", "_validate_action_result", ("self", "result")),
    ("rasa.core.agent", "Agent", "_create_tracker_store", ("store", "domain")),
    ("rasa.core.agent", "Agent", "handle_message", ("self", "message")),
    (
        "rasa.core.run",
        None,
        "configure_app",
        (
            "input_channels",
            "cors",
            "auth_token",
            "enable_api",
            "response_timeout",
            "jwt_secret",
            "jwt_private_key",
            "jwt_method",
            "route",
            "port",
            "endpoints",
            "log_file",
            "conversation_id",
            "use_syslog",
            "syslog_address",
            "syslog_port",
            "syslog_protocol",
            "request_timeout",
            "server_listeners",
            "use_uvloop",
            "keep_alive_timeout",
        ),
    ),
    ("rasa.shared.core.events", "Event", "resolve_by_type", ("type_name", "default")),
    ("rasa.engine.runner.dask", "DaskGraphRunner", "run", ("self", "inputs", "targets")),
)


def running_in_order(run: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
    """`DaskGraphRunner.run` (`run`, kept only as what it replaces) without dask."""
    from rasa.engine.exceptions import GraphRunError

    @functools.wraps(run)
    def run_in_order(
        self: Any, inputs: dict[str, Any] | None = None, targets: list[str] | None = None
    ) -> dict[str, Any]:
        """Each node the targets need, after the nodes it needs, given their `(name, output)`
        results as dask would; the order is kept per runner and set of targets. A node's
        failure is reported as `DaskGraphRunner.run` reports it."""
        wanted = tuple(targets or self._graph_schema.target_names)
        orders = self.__dict__.setdefault("_allyzure_orders", {})
        if wanted not in orders:
            schema = self._graph_schema.minimal_graph_schema(list(wanted))
            orders[wanted] = _dependency_order(schema)
        results = {name: (name, value) for name, value in (inputs or {}).items()}
        try:
            for name, needs in orders[wanted]:
                node = self._instantiated_nodes[name]
                results[name] = node(*(results[need] for need in needs))
        except RuntimeError as error:  # as DaskGraphRunner.run reports it
            raise GraphRunError("Error running runner.") from error
        return dict(results[target] for target in wanted)

    return run_in_order


def _dependency_order(schema: Any) -> list[tuple[str, tuple[str, ...]]]:
    """The schema's nodes, each after those it needs, with the names it needs."""
    order: list[tuple[str, tuple[str, ...]]] = []
    placed: set[str] = set()

    def place(name: str) -> None:
        if name in placed or name not in schema.nodes:
            return  # placed already, or an input of the run
        placed.add(name)
        needs = tuple(schema.nodes[name].needs.values())
        for need in needs:
            place(need)
        order.append((name, needs))

    for name in schema.nodes:
        place(name)
    return order


def patched_function(module: str, owner: str | None, name: str) -> Callable[..., Any]:
    """The function as Rasa defines it (under any wrapper of ours)."""
    import importlib

    target: Any = importlib.import_module(module)
    if owner is not None:
        target = getattr(target, owner)
    return inspect.unwrap(getattr(target, name))


def mismatches() -> list[str]:
    """What differs from the Rasa these patches were written for (empty when nothing does)."""
    import rasa

    found = [] if rasa.__version__ == RASA_VERSION else [f"Rasa {rasa.__version__}"]
    for module, owner, name, parameters in PATCHED:
        actual = tuple(inspect.signature(patched_function(module, owner, name)).parameters)
        if actual != parameters:
            found.append(f"{module}.{owner or ''}.{name}{actual}")
    return found


@functools.cache
def install() -> None:
    """Install every patch once per process (the bench loads both of its profiles in one
    process: wrapping twice would apologise twice). Refuses to start on another Rasa."""
    import rasa.core.run
    from rasa.core.actions.action import RemoteAction
    from rasa.core.agent import Agent
    from rasa.engine.runner.dask import DaskGraphRunner
    from rasa.shared.core.events import Event

    if found := mismatches():
        raise SystemExit(
            f"server/patches.py was written for Rasa {RASA_VERSION}; this one differs: "
            + ", ".join(found)
        )
    Event.resolve_by_type = staticmethod(remembering_event_classes(Event.resolve_by_type))
    RemoteAction.run = apologising(RemoteAction.run, action_timeout_s())
    RemoteAction._validate_action_result = validating_with_one_validator(
        RemoteAction._validate_action_result
    )
    rasa.core.run.configure_app = with_auth_token_from_environment(rasa.core.run.configure_app)
    Agent._create_tracker_store = staticmethod(
        without_fail_safe_for_reliable_stores(Agent._create_tracker_store)
    )
    Agent.handle_message = apologising_when_the_store_fails(Agent.handle_message)
    DaskGraphRunner.run = running_in_order(DaskGraphRunner.run)
