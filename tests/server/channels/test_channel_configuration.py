"""bot/credentials.yml and the launcher agree: every ${VARIABLE} the channels use has a value
when the stack starts (Rasa refuses to start on an unset one), and the defaults are harmless."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest
import yaml
from rasa.core.channels.channel import InputChannel
from rasa.shared.utils.common import class_from_module_path

from tools.launcher import CHANNEL_DEFAULTS, Stack, StackConfig
from tools.model import BOT_DIR

CREDENTIALS = BOT_DIR / "credentials.yml"
CHANNEL_VARIABLES = sorted(set(re.findall(r"\$\{(\w+)\}", CREDENTIALS.read_text())))


def stack_environment(monkeypatch, **extra_env: str) -> dict[str, str]:
    for variable in CHANNEL_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    return Stack(StackConfig(model=Path("model.tar.gz"), extra_env=extra_env)).environment()


def test_credentials_declare_the_widget_callback_and_telegram_channels():
    channels = yaml.safe_load(CREDENTIALS.read_text())

    assert channels["server.channels.widget.LimitedSocketIOInput"] == {
        "user_message_evt": "user_uttered",
        "bot_message_evt": "bot_uttered",
        "session_persistence": True,
    }
    assert "server.channels.rest.RestInput" in channels
    assert channels["server.channels.callback.CallbackInput"] == {"url": "${CALLBACK_URL}"}
    assert set(channels["server.channels.telegram.TelegramInput"]) == {
        "bot_token",
        "secret_token",
        "api_url",
    }


@pytest.mark.parametrize("path", sorted(yaml.safe_load(CREDENTIALS.read_text())))
def test_every_channel_is_the_projects_own_so_that_building_it_prepares_the_server(path):
    """Rasa's own `rest` or `socketio` would be served without the request checks, the
    customer-input filter and the patches (server/channels/customer.py)."""
    channel = class_from_module_path(path)

    assert path.startswith("server.channels.")
    assert issubclass(channel, InputChannel)
    assert "prepare_rasa_process()" in inspect.getsource(channel.from_credentials)


@pytest.mark.parametrize("endpoints", ["endpoints.yml", "endpoints.prod.yml"])
def test_both_profiles_keep_the_conversations_in_the_projects_store(endpoints):
    tracker_store = yaml.safe_load((BOT_DIR / endpoints).read_text())["tracker_store"]

    assert tracker_store["type"] == "server.tracker_store.ConversationStore"
    assert class_from_module_path(tracker_store["type"]).replaces_fail_safe


@pytest.mark.parametrize("variable", CHANNEL_VARIABLES)
def test_every_channel_variable_has_a_value_when_nothing_is_set(monkeypatch, variable):
    environment = stack_environment(monkeypatch)

    assert variable in environment
    if variable in CHANNEL_DEFAULTS:
        assert environment[variable] == CHANNEL_DEFAULTS[variable]


def test_channel_variables_are_unquoted_so_that_rasa_substitutes_them():
    """Rasa expands ${VAR} in plain YAML scalars only: "${VAR}" would stay literal."""
    assert not re.search(r"""["']\$\{""", CREDENTIALS.read_text())


def test_telegram_is_disabled_and_refuses_everything_by_default(monkeypatch):
    environment = stack_environment(monkeypatch)

    assert environment["TELEGRAM_BOT_TOKEN"] == ""
    assert environment["TELEGRAM_SECRET_TOKEN"] == ""
    assert environment["TELEGRAM_API_URL"] == "https://api.telegram.org"


def test_the_shell_environment_and_the_stack_configuration_override_the_defaults(monkeypatch):
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "1:from-the-shell")
    environment = Stack(
        StackConfig(model=Path("model.tar.gz"), extra_env={"CALLBACK_URL": "http://r/cb"})
    ).environment()

    assert environment["TELEGRAM_BOT_TOKEN"] == "1:from-the-shell"
    assert environment["CALLBACK_URL"] == "http://r/cb"
