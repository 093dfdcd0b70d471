"""Agent-assist preview: what the assistant would answer, without sending or changing anything.

Registered in ``credentials.yml`` as ``server.channels.agent_assist.AgentAssistInput``; Rasa serves
``POST /webhooks/agent/preview`` with ``{"conversation_id": …, "message": …}`` and the header
``Authorization: Bearer <AGENT_API_TOKEN>``. The customer's conversation is copied into a
throw-away conversation ("preview-…"), kept in memory for this request only, and the
message is played there with the metadata ``dry_run``: the actions answer as usual but
every service runs as a dry run, so nothing is cancelled, no RA number is reserved and no
request is created. The customer's own tracker is only read.

``POST /webhooks/agent/suggestion`` with ``{"conversation_id": …}`` (the agent workspace,
web/workspace.py) previews the customer's latest message instead, played on the conversation
as it was just before it — and as if the assistant were neither paused nor waiting for an agent
(a handed-over conversation waits in the queue, then is paused while an agent owns it).
Actions add the facts behind their answer (order, decision, reason code) as
``{"agent_facts": …}`` custom messages, returned here apart from the suggested replies.
"""

from __future__ import annotations

import copy as copying
import hmac
import logging
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.events import ConversationResumed, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from server.channels.customer import prepare_rasa_process, serving
from server.refusals import refusal

logger = logging.getLogger(__name__)

MAX_MESSAGE_LENGTH = 5000
PREVIEW_PREFIX = "preview-"
FACT_KEY = "agent_facts"
# Set while a conversation waits for an agent (bot/components/handed_over.py).
HANDOFF_STATE_SLOT = "handoff_state"


def authorised(expected: str, header: str | None) -> bool:
    """Constant-time token check; an unset token refuses every request."""
    if not expected or not header or not header.startswith("Bearer "):
        return False
    return hmac.compare_digest(expected.encode(), header.removeprefix("Bearer ").encode())


def split_messages(messages: list[dict[str, Any]]) -> tuple[list[dict], list[dict]]:
    """(replies the customer would get, facts for the agent)."""
    replies, facts = [], []
    for message in messages:
        custom = message.get("custom")
        if isinstance(custom, dict) and FACT_KEY in custom:
            facts.append(custom[FACT_KEY])
        else:
            replies.append(
                {key: message[key] for key in ("text", "buttons", "image") if message.get(key)}
            )
    return replies, facts


class AgentAssistInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "agent"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> AgentAssistInput:
        prepare_rasa_process()
        return cls((credentials or {}).get("token") or "")

    def __init__(self, token: str) -> None:
        self.token = token

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = Blueprint("agent_assist", __name__)

        @blueprint.route("/preview", methods=["POST"])
        async def preview(request: Request) -> HTTPResponse:
            if not authorised(self.token, request.headers.get("Authorization")):
                return response.json(refusal("unauthorized"), 401)
            body = request.json if isinstance(request.json, dict) else None
            message = body.get("message") if body else None
            conversation_id = body.get("conversation_id") if body else None
            if not isinstance(message, str) or not message.strip():
                return response.json(refusal("invalid_message"), 400)
            if conversation_id is not None and not isinstance(conversation_id, str):
                return response.json(refusal("not_a_string", field="conversation_id"), 400)
            result = await self._preview(
                request.app.ctx.agent, conversation_id, message[:MAX_MESSAGE_LENGTH]
            )
            return response.json(result)

        @blueprint.route("/suggestion", methods=["POST"])
        async def suggestion(request: Request) -> HTTPResponse:
            if not authorised(self.token, request.headers.get("Authorization")):
                return response.json(refusal("unauthorized"), 401)
            body = request.json if isinstance(request.json, dict) else {}
            conversation_id = body.get("conversation_id")
            if not isinstance(conversation_id, str) or not conversation_id:
                return response.json(refusal("not_a_string", field="conversation_id"), 400)
            return response.json(await self._preview_latest(request.app.ctx.agent, conversation_id))

        return serving(blueprint)

    async def _preview_latest(self, agent: Any, conversation_id: str) -> dict:
        """The suggestion for the customer's latest message (empty when there is none)."""
        original = await agent.tracker_store.retrieve(conversation_id)
        events = list(original.events) if original else []
        latest = next(
            (i for i in range(len(events) - 1, -1, -1) if isinstance(events[i], UserUttered)), None
        )
        if latest is None or not events[latest].text:
            return {"conversation_id": conversation_id, "suggested_replies": [], "facts": []}
        before = [*events[:latest], SlotSet(HANDOFF_STATE_SLOT, None), ConversationResumed()]
        return await self._preview(agent, conversation_id, events[latest].text, before)

    async def _preview(
        self,
        agent: Any,
        conversation_id: str | None,
        text: str,
        events: list[Event] | None = None,
    ) -> dict:
        preview_id = f"{PREVIEW_PREFIX}{secrets.token_hex(8)}"
        # The copy lives in memory for this request only: nothing is left in the tracker store.
        store = InMemoryTrackerStore(agent.domain)
        processor = copying.copy(agent.processor)
        processor.tracker_store = store
        if events is not None:
            await store.save(
                DialogueStateTracker.from_events(preview_id, events, slots=agent.domain.slots)
            )
        else:
            await self._copy_conversation(agent, conversation_id, preview_id, store)
        parsed = await agent.parse_message(text)
        collector = CollectingOutputChannel()
        await processor.handle_message(
            UserMessage(
                text, collector, preview_id, input_channel=self.name(), metadata={"dry_run": True}
            )
        )
        replies, facts = split_messages(collector.messages)
        tracker = await store.retrieve(preview_id)
        slots = tracker.current_slot_values() if tracker else {}
        return {
            "conversation_id": conversation_id,
            "message": text,
            "suggested_replies": replies,
            "intent": parsed.get("intent"),
            "entities": [
                {key: e.get(key) for key in ("entity", "value", "start", "end")}
                for e in parsed.get("entities", [])
            ],
            "facts": facts,
            "verified_order": slots.get("verified_order"),
            "awaiting_confirmation": slots.get("pending_confirmation"),
        }

    @staticmethod
    async def _copy_conversation(
        agent: Any, conversation_id: str | None, preview_id: str, store: InMemoryTrackerStore
    ) -> None:
        """Start the preview from the customer's state; the original is only read."""
        if not conversation_id:
            return
        original = await agent.tracker_store.retrieve(conversation_id)
        if original is None:
            return
        copy = DialogueStateTracker.from_events(
            preview_id, list(original.events), slots=agent.domain.slots
        )
        await store.save(copy)
