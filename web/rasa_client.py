"""The web server's calls to the Rasa server: the customer's side of a handed-over conversation.

`RasaConversations` is the built-in `CustomerLine`: what the agent workspace needs to read a
conversation and to talk in it, through Rasa's HTTP API (token `RASA_AUTH_TOKEN`) and the
agent preview (token `AGENT_API_TOKEN`, bot/channels/agent_assist.py):

- silence the assistant: Rasa's `ConversationPaused` event (`{"event": "pause"}`); the
  dialogue engine then records the customer's messages and predicts nothing until a
  `ConversationResumed` (`{"event": "resume"}`);
- say something in the customer's channel: a `BotUttered` event appended with
  `output_channel=latest&execute_side_effects=true`, so Rasa sends it through the channel the
  customer last wrote from (widget socket.io room, Telegram Bot API, callback URL) and keeps it
  in the tracker with the agent's name in its metadata (the audit trail of the tracker);
- the French texts an agent's actions show the customer are the domain's responses
  (`utter_agent_joined`…), run with Rasa's `execute` endpoint after setting the `agent_name`
  slot they mention.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

REQUEST_TIMEOUT_S = 30.0
AGENT_NAME_SLOT = "agent_name"
HANDOFF_STATE_SLOT = "handoff_state"


class RasaUnavailable(Exception):
    """The Rasa server did not answer, or answered an error."""


@dataclass(frozen=True)
class RasaConversations:
    rasa_url: str
    auth_token: str
    agent_token: str

    def tracker(self, conversation_id: str) -> dict[str, Any]:
        return self._call("GET", self._conversation_path(conversation_id, "tracker"))

    def pause(self, conversation_id: str) -> None:
        """An agent owns the conversation: it no longer waits in the queue (the
        `handoff_state` slot, bot/components/handed_over.py) and the assistant is paused."""
        self._append(
            conversation_id,
            [{"event": "slot", "name": HANDOFF_STATE_SLOT, "value": None}, {"event": "pause"}],
        )

    def resume(self, conversation_id: str) -> None:
        self._append(conversation_id, [{"event": "resume"}])

    def say(self, conversation_id: str, text: str, agent: dict[str, str]) -> None:
        """An agent's message, delivered in the customer's channel and kept in the tracker."""
        self._append(
            conversation_id,
            [{"event": "bot", "text": text, "metadata": {"agent": agent}}],
            deliver=True,
        )

    def respond(self, conversation_id: str, response: str, agent_name: str) -> None:
        """One of the domain's responses (`utter_agent_…`), naming the agent."""
        self._append(
            conversation_id,
            [{"event": "slot", "name": AGENT_NAME_SLOT, "value": agent_name}],
        )
        self.execute(conversation_id, response)

    def execute(self, conversation_id: str, response: str) -> None:
        """Run one of the domain's responses in the customer's channel, then listen.

        Rasa's `execute` endpoint runs the action alone: without the `action_listen` the
        dialogue engine adds after its own actions, the customer's next message would follow
        the response directly and match no rule (the assistant would answer with a fallback).
        """
        self._call(
            "POST",
            self._conversation_path(conversation_id, "execute") + "&output_channel=latest",
            {"name": response},
        )
        self._append(conversation_id, [{"event": "action", "name": "action_listen"}])

    def suggestion(self, conversation_id: str) -> dict[str, Any]:
        """The assistant's dry-run answer to the customer's latest message, with its facts."""
        return self._call(
            "POST",
            "/webhooks/agent/suggestion",
            {"conversation_id": conversation_id},
            bearer=self.agent_token,
        )

    def _append(self, conversation_id: str, events: list[dict], deliver: bool = False) -> None:
        path = self._conversation_path(conversation_id, "tracker/events")
        if deliver:
            path += "&output_channel=latest&execute_side_effects=true"
        self._call("POST", path, events)

    def _conversation_path(self, conversation_id: str, tail: str) -> str:
        return f"/conversations/{quote(conversation_id, safe='')}/{tail}?token={self.auth_token}"

    def _call(
        self, method: str, path: str, body: Any = None, bearer: str | None = None
    ) -> dict[str, Any]:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"{self.rasa_url}{path}", data=data, method=method)
        request.add_header("Content-Type", "application/json")
        if bearer:
            request.add_header("Authorization", f"Bearer {bearer}")
        try:
            with urllib.request.urlopen(request, timeout=REQUEST_TIMEOUT_S) as response:
                return json.loads(response.read() or b"{}")
        except (urllib.error.URLError, OSError, ValueError) as error:
            raise RasaUnavailable(type(error).__name__) from error
