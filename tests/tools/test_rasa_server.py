"""The Rasa server's additions (tools/rasa_server.py) keep Rasa's behaviour, only faster or
more polite. The apology on a failed action is tested end to end in tests/reliability."""

from __future__ import annotations

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.utils.endpoints import EndpointConfig

from tools.rasa_server import action_timeout_s, validating_with_one_validator

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
