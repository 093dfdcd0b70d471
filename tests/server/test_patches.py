"""The patches of Rasa's functions (server/patches.py) keep Rasa's behaviour, only faster or
more polite, and are pinned to the Rasa they were written for. The apology on a failed action
is tested end to end in tests/reliability."""

from __future__ import annotations

import inspect
import subprocess
import sys

import pytest
from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import ActionExecuted, Event
from rasa.utils.endpoints import EndpointConfig

from server.patches import (
    PATCHED,
    RASA_VERSION,
    action_timeout_s,
    mismatches,
    patched_function,
    remembering_event_classes,
    reply_checker,
    validating_with_one_validator,
)
from tools.model import PROJECT_ROOT

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


EVENTS_OF_EVERY_KIND = [
    {"event": "user", "text": "bonjour", "parse_data": {"intent": {"name": "greet"}}},
    {"event": "bot", "text": "Bonjour !", "data": {"buttons": []}, "metadata": {}},
    {"event": "action", "name": "action_listen", "policy": None, "confidence": 1.0},
    {"event": "slot", "name": "order_number", "value": None, "timestamp": None},
    {"event": "followup", "name": "identification_form"},
    {"event": "active_loop", "name": None},
    {"event": "action_execution_rejected", "name": "identification_form"},
    {"event": "session_started"},
    {"event": "restart"},
    {"event": "rewind"},
    {"event": "undo"},
    {"event": "pause"},
    {"event": "resume"},
]
INVALID_EVENTS = [
    {"event": "slot", "value": "AZ104203"},  # no name
    {"event": "user", "text": 42},
    {"event": "user", "parse_data": ["greet"]},
    {"event": "slot", "name": 3, "value": "AZ104203"},
    {"event": "action", "name": 7},
    {"event": "no_such_event"},
    {"event": ["slot"]},
    {"event": 5},
    {"name": "order_number"},  # no kind
    "slot",
    None,
]


@pytest.mark.parametrize(
    "reply",
    [
        {"events": EVENTS_OF_EVERY_KIND, "responses": [{"text": "Bonjour"}]},
        {"events": []},
        {},
        *({"events": [EVENTS_OF_EVERY_KIND[0], bad]} for bad in INVALID_EVENTS),
        {"events": None},
        {"events": EVENTS_OF_EVERY_KIND, "responses": "Bonjour"},
        [],
    ],
)
def test_checking_each_event_against_its_kind_agrees_with_rasas_whole_schema(reply):
    schema = RemoteAction.action_response_format_spec()
    checker = validator_for(schema)(schema)

    assert reply_checker(schema, validator_for)(reply) is checker.is_valid(reply)


@pytest.mark.parametrize(("value", "expected"), [("", 10.0), ("2.5", 2.5)])
def test_the_action_timeout_comes_from_the_environment(monkeypatch, value, expected):
    monkeypatch.setenv("ALLYZURE_ACTION_TIMEOUT_S", value)

    assert action_timeout_s() == expected


@pytest.mark.parametrize("type_name", ["user", "bot", "action", "slot", "session_started"])
def test_remembered_event_classes_are_the_ones_rasa_resolves(type_name):
    resolve = remembering_event_classes(Event.resolve_by_type)

    assert resolve(type_name) is resolve(type_name) is Event.resolve_by_type(type_name)


def test_an_unknown_event_name_still_gets_rasas_default_or_error():
    resolve = remembering_event_classes(Event.resolve_by_type)

    assert resolve("no_such_event", ActionExecuted) is ActionExecuted
    with pytest.raises(ValueError, match="Unknown event name"):
        resolve("no_such_event")


def test_the_patches_are_written_for_the_rasa_installed():
    import rasa

    assert rasa.__version__ == RASA_VERSION == "3.6.21"
    assert mismatches() == []


@pytest.mark.parametrize(("module", "owner", "name", "parameters"), PATCHED)
def test_each_patched_function_still_takes_the_parameters_the_patch_expects(
    module, owner, name, parameters
):
    function = patched_function(module, owner, name)

    assert function.__module__ == module
    assert tuple(inspect.signature(function).parameters) == parameters


@pytest.mark.slow  # a separate process or a spaCy model: make test only
def test_installing_the_patches_twice_wraps_rasa_once():
    """In a fresh process: install() is global, so it is not run inside the test session."""
    script = (
        "import rasa.core.run\n"
        "from server import patches\n"
        "patches.install()\n"
        "configure_app = rasa.core.run.configure_app\n"
        "patches.install()\n"
        "assert rasa.core.run.configure_app is configure_app\n"
        "assert configure_app.__wrapped__.__module__ == 'rasa.core.run'\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode == 0, result.stderr[-2000:]


@pytest.fixture(scope="module")
def agent(trained_model):
    from rasa.core.agent import Agent

    return Agent.load(str(trained_model))


def parses(agent, texts: list[str]) -> list[dict]:
    import asyncio

    async def parse_all() -> list[dict]:
        return [await agent.parse_message(text) for text in texts]

    return asyncio.run(parse_all())


def next_actions(agent, texts: list[str]) -> list[str]:
    """The dialogue's prediction after each message of one conversation."""
    import asyncio

    from rasa.core.channels.channel import UserMessage

    async def predict() -> list[str]:
        predicted = []
        for text in texts:
            tracker = await agent.processor.log_message(UserMessage(text, sender_id="same"))
            prediction = agent.processor.predict_next_with_tracker_if_should(tracker)
            predicted.append(prediction[0].name())
        return predicted

    return asyncio.run(predict())


def test_the_graph_run_in_order_gives_the_parse_and_prediction_dask_gives(agent, monkeypatch):
    from rasa.engine.runner.dask import DaskGraphRunner

    from server.patches import running_in_order
    from tools.nlu_eval import TEST_SET, load_examples

    texts = [example.text for example in load_examples(TEST_SET)][:150]
    conversation = ["bonjour", "où est ma commande ?", "AZ104201", "merci, au revoir"]
    by_dask = parses(agent, texts), next_actions(agent, conversation)

    monkeypatch.setattr(DaskGraphRunner, "run", running_in_order(DaskGraphRunner.run))

    assert (parses(agent, texts), next_actions(agent, conversation)) == by_dask
