"""The agent workspace's HTTP API (`/agent/api/…`), served by the web server (web/server.py).

Agents sign in with their named account (backend/agents.py); the session lives in an
HttpOnly, SameSite=Strict cookie scoped to /agent. Every state-changing call is a POST with a
JSON body (a cross-site form cannot send one without a CORS preflight, which this server never
grants) carrying the session's CSRF token in the `X-CSRF-Token` header; login has no session
yet, so it is guarded by the JSON body and by the Origin check that every POST gets.

What an agent may do to a conversation: see it while it is queued or their own; take it while
it is queued; write in it, hand it back or close it while it is theirs. Anything else is a
French refusal with a stable code, never a trace. The queue, ownership and audit trail live in
the shop database (backend/handoff.py), the conversation itself in Rasa (web/rasa_client.py).
"""

from __future__ import annotations

import difflib
import json
import logging
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any

from sqlalchemy.engine import Engine

from backend.agents import AgentAccounts, LoginRefused, SignedIn
from backend.config import load_settings
from backend.db import make_engine, make_session_factory
from backend.formatting import format_date_fr, format_money, format_time_fr, status_label
from backend.handoff import (
    REASON_LABELS,
    NotQueued,
    NotYours,
    WorkspaceDesk,
    mail_settings_from_environment,
    opening_hours_from_environment,
)
from backend.services import ShopService, build_shop_service
from backend.services.views import OrderSummary
from backend.stats import stats_csv, stats_plot, support_stats, tracker_url_from_environment
from web.rasa_client import RasaConversations, RasaUnavailable

logger = logging.getLogger(__name__)

COOKIE_NAME = "allyzure_agent"
QUEUE_STREAM = "/agent/api/queue/stream"
# The queue is read once per QUEUE_CHECK_S by the web server for every agent at once (handoffs
# are created by the action server); each open workspace gets it pushed when it changes, and
# again after STREAM_REFRESH_S at the latest (which also ends the streams of signed-out agents).
QUEUE_CHECK_S = 0.5
STREAM_REFRESH_S = 15.0
STATS_FORMATS = ("/agent/api/stats", "/agent/api/stats.csv", "/agent/api/stats.png")
CSRF_HEADER = "X-CSRF-Token"
MAX_AGENT_MESSAGE = 4000
# A suggestion the agent kept at least this much of counts as "edited", else "rejected".
EDITED_SIMILARITY = 0.5

REFUSALS = {
    "unauthenticated": (HTTPStatus.UNAUTHORIZED, "Veuillez vous connecter."),
    "login_refused": (HTTPStatus.UNAUTHORIZED, "Nom d’utilisateur ou mot de passe incorrect."),
    "locked": (
        HTTPStatus.TOO_MANY_REQUESTS,
        "Trop d’essais infructueux : ce compte est bloqué pour quelques minutes.",
    ),
    "csrf": (HTTPStatus.FORBIDDEN, "Requête refusée : jeton anti-falsification absent ou erroné."),
    "origin": (HTTPStatus.FORBIDDEN, "Requête refusée : elle ne vient pas de l’espace agent."),
    "not_yours": (HTTPStatus.FORBIDDEN, "Cette conversation est suivie par un autre agent."),
    "not_queued": (HTTPStatus.NOT_FOUND, "Aucune demande de conseiller ouverte ici."),
    "lead_only": (HTTPStatus.FORBIDDEN, "Cette page est réservée aux responsables du support."),
    "invalid_message": (HTTPStatus.BAD_REQUEST, "Le message est vide ou trop long."),
    "invalid_request": (HTTPStatus.BAD_REQUEST, "Requête illisible : un objet JSON est attendu."),
    "rasa_unavailable": (
        HTTPStatus.BAD_GATEWAY,
        "L’assistant ne répond pas pour le moment ; réessayez dans un instant.",
    ),
    "not_found": (HTTPStatus.NOT_FOUND, "Page introuvable."),
}  # fmt: skip


class Refused(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass
class Reply:
    status: int
    body: Any
    headers: dict[str, str]
    content_type: str = "application/json"


def refusal(code: str) -> Reply:
    status, message = REFUSALS[code]
    return Reply(int(status), {"error": message, "code": code}, {})


def suggestion_use(suggestion: str, sent: str) -> str:
    """How the agent used the assistant's suggestion: as_is, edited, rejected, or none."""
    suggestion, sent = suggestion.strip(), sent.strip()
    if not suggestion:
        return "none"
    if suggestion == sent:
        return "as_is"
    ratio = difflib.SequenceMatcher(None, suggestion, sent).ratio()
    return "edited" if ratio >= EDITED_SIMILARITY else "rejected"


def wall_clock() -> datetime:
    """Sessions, lockouts, waiting times and the audit trail use the real time, never
    ALLYZURE_NOW (a frozen shop clock would never end a lockout)."""
    return datetime.now(UTC)


class QueueWatch:
    """Tells the workspace's queue streams when the queue changed.

    One thread reads the queue every QUEUE_CHECK_S (the action server creates and withdraws
    handoffs in the shop database, another process); the web server's own takeovers and
    releases say so at once (`changed`). Started by the first stream.
    """

    def __init__(self, desk: WorkspaceDesk, interval_s: float = QUEUE_CHECK_S) -> None:
        self._desk = desk
        self._interval_s = interval_s
        self._condition = threading.Condition()
        self._version = 0
        self._started = False

    def changed(self) -> None:
        with self._condition:
            self._version += 1
            self._condition.notify_all()

    def version(self) -> int:
        self._start_once()
        with self._condition:
            return self._version

    def wait(self, version: int, timeout_s: float) -> int:
        """The version after a change from `version`, or after `timeout_s`."""
        with self._condition:
            self._condition.wait_for(lambda: self._version != version, timeout_s)
            return self._version

    def _start_once(self) -> None:
        with self._condition:
            if self._started:
                return
            self._started = True
        threading.Thread(target=self._watch, name="queue-watch", daemon=True).start()

    def _watch(self) -> None:
        seen: object = None
        while True:
            try:
                current = [(i.reference, i.agent_id) for i in self._desk.queue()]
            except Exception as error:  # noqa: BLE001 - a database hiccup must not stop the watch
                logger.error("Queue watch: %s", type(error).__name__)
                current = seen
            if current != seen:
                seen = current
                self.changed()
            time.sleep(self._interval_s)


class Workspace:
    def __init__(
        self,
        accounts: AgentAccounts,
        desk: WorkspaceDesk,
        shop: ShopService,
        rasa: RasaConversations,
        tracker_engine: Engine | None = None,
    ) -> None:
        self.accounts = accounts
        self.desk = desk
        self.shop = shop
        self.rasa = rasa
        self.tracker_engine = tracker_engine
        self.queue_watch = QueueWatch(desk)

    def queue_stream(self, cookie: str | None) -> Iterator[bytes]:
        """Server-sent events of the signed-in agent's queue and own conversations: one now,
        one at each change. Raises Refused before any event when nobody is signed in."""
        signed_in = self._signed_in(cookie)
        watch = self.queue_watch

        def events() -> Iterator[bytes]:
            version = watch.version()
            while self.accounts.session(cookie, wall_clock()) is not None:
                body = json.dumps(self._queue(signed_in), ensure_ascii=False)
                yield f"data: {body}\n\n".encode()
                version = watch.wait(version, STREAM_REFRESH_S)

        return events()

    # --- Requests ------------------------------------------------------------------------

    def get(self, path: str, query: dict[str, str], cookie: str | None) -> Reply:
        try:
            signed_in = self._signed_in(cookie)
            if path == "/agent/api/session":
                return self._json(self._session_body(signed_in))
            if path == "/agent/api/queue":
                return self._json(self._queue(signed_in))
            if path == "/agent/api/conversation":
                return self._json(self._conversation(signed_in, query.get("id", "")))
            if path == "/agent/api/suggestion":
                return self._json(self._suggestion(signed_in, query.get("id", "")))
            if path in STATS_FORMATS:
                return self._stats(signed_in, path)
            return refusal("not_found")
        except Refused as refused:
            return refusal(refused.code)
        except RasaUnavailable:
            return refusal("rasa_unavailable")

    def post(
        self, path: str, body: Any, cookie: str | None, csrf: str | None, origin_ok: bool
    ) -> Reply:
        if not origin_ok:
            return refusal("origin")
        if not isinstance(body, dict):
            return refusal("invalid_request")
        try:
            if path == "/agent/api/login":
                return self._login(body)
            signed_in = self._signed_in(cookie)
            if not csrf or csrf != signed_in.csrf_token:
                raise Refused("csrf")
            if path == "/agent/api/logout":
                self.accounts.sign_out(cookie)
                return Reply(200, {"ok": True}, {"Set-Cookie": _cookie("", expire=True)})
            conversation_id = body.get("conversation_id")
            if not isinstance(conversation_id, str) or not conversation_id:
                raise Refused("invalid_request")
            actions = {
                "/agent/api/take": self._take,
                "/agent/api/send": self._send,
                "/agent/api/handback": self._handback,
                "/agent/api/close": self._close,
            }
            if path not in actions:
                return refusal("not_found")
            reply = self._json(actions[path](signed_in, conversation_id, body))
            self.queue_watch.changed()
            return reply
        except Refused as refused:
            return refusal(refused.code)
        except NotYours:
            return refusal("not_yours")
        except NotQueued:
            return refusal("not_queued")
        except RasaUnavailable:
            return refusal("rasa_unavailable")

    # --- Sessions ------------------------------------------------------------------------

    def _signed_in(self, cookie: str | None) -> SignedIn:
        signed_in = self.accounts.session(cookie, wall_clock())
        if signed_in is None:
            raise Refused("unauthenticated")
        return signed_in

    @staticmethod
    def _session_body(signed_in: SignedIn) -> dict:
        agent = signed_in.agent
        return {
            "agent": {"name": agent.display_name, "username": agent.username, "role": agent.role},
            "csrf": signed_in.csrf_token,
        }

    def _login(self, body: dict) -> Reply:
        username, password = body.get("username"), body.get("password")
        if not isinstance(username, str) or not isinstance(password, str):
            return refusal("login_refused")
        try:
            token, signed_in = self.accounts.sign_in(username, password, wall_clock())
        except LoginRefused as refused:
            return refusal("locked" if refused.locked else "login_refused")
        return Reply(200, self._session_body(signed_in), {"Set-Cookie": _cookie(token)})

    # --- Queue and conversations ---------------------------------------------------------

    def _queue(self, signed_in: SignedIn) -> dict:
        now = wall_clock()
        items = [self._queue_entry(item, now) for item in self.desk.queue()]
        me = signed_in.agent.id
        return {
            "queue": [i for i in items if i["state"] == "queued"],
            "mine": [i for i in items if i["agent_id"] == me],
        }

    @staticmethod
    def _queue_entry(item: Any, now: datetime) -> dict:
        return {
            "reference": item.reference,
            "conversation_id": item.conversation_id,
            "channel": item.channel or "inconnu",
            "reason": REASON_LABELS.get(item.reason, item.reason),
            "summary": item.summary,
            "order_number": item.order_number,
            "waiting_s": max(0, int((now - item.queued_at).total_seconds())),
            "state": item.state,
            "agent_id": item.agent_id,
            "agent_name": item.agent_name,
        }

    def _visible(self, signed_in: SignedIn, conversation_id: str) -> Any:
        """The open handoff, if this agent may look at it (queued, or theirs)."""
        item = self.desk.open_handoff(conversation_id)
        if item is None:
            raise Refused("not_queued")
        if item.agent_id is not None and item.agent_id != signed_in.agent.id:
            raise Refused("not_yours")
        return item

    def _conversation(self, signed_in: SignedIn, conversation_id: str) -> dict:
        item = self._visible(signed_in, conversation_id)
        tracker = self.rasa.tracker(conversation_id)
        slots = tracker.get("slots") or {}
        return {
            "handoff": self._queue_entry(item, wall_clock()),
            "transcript": transcript(tracker.get("events") or []),
            "paused": bool(tracker.get("paused")),
            "order": self._order_panel(slots.get("verified_order"), slots.get("verified_email")),
        }

    def _order_panel(self, number: Any, email: Any) -> dict | None:
        if not isinstance(number, str) or not isinstance(email, str):
            return None
        try:
            return order_panel(self.shop.order_summary(number, email))
        except Exception as error:  # noqa: BLE001 - the panel is optional, the page is not
            logger.error("Order panel unavailable: %s", type(error).__name__)
            return None

    def _suggestion(self, signed_in: SignedIn, conversation_id: str) -> dict:
        self._visible(signed_in, conversation_id)
        preview = self.rasa.suggestion(conversation_id)
        replies = preview.get("suggested_replies") or []
        return {
            "message": preview.get("message"),
            "text": "\n\n".join(r.get("text", "") for r in replies if r.get("text")),
            "intent": preview.get("intent"),
            "entities": preview.get("entities") or [],
            "facts": preview.get("facts") or [],
        }

    # --- Actions ---------------------------------------------------------------------------

    def _take(self, signed_in: SignedIn, conversation_id: str, _body: dict) -> dict:
        agent = signed_in.agent
        self.desk.take(conversation_id, agent, wall_clock())
        self.rasa.pause(conversation_id)
        self.rasa.respond(conversation_id, "utter_agent_joined", agent.display_name)
        return {"ok": True}

    def _send(self, signed_in: SignedIn, conversation_id: str, body: dict) -> dict:
        text = body.get("text")
        if not isinstance(text, str) or not text.strip() or len(text) > MAX_AGENT_MESSAGE:
            raise Refused("invalid_message")
        suggestion = body.get("suggestion") if isinstance(body.get("suggestion"), str) else ""
        agent = signed_in.agent
        use = suggestion_use(suggestion, text)
        self.desk.record_message(agent, conversation_id, text.strip(), use, wall_clock())
        self.rasa.say(
            conversation_id,
            text.strip(),
            {"name": agent.display_name, "username": agent.username, "suggestion_use": use},
        )
        return {"ok": True, "suggestion_use": use}

    def _handback(self, signed_in: SignedIn, conversation_id: str, _body: dict) -> dict:
        agent = signed_in.agent
        self.desk.release(conversation_id, agent, wall_clock(), close=False)
        self.rasa.resume(conversation_id)
        self.rasa.respond(conversation_id, "utter_agent_left", agent.display_name)
        return {"ok": True}

    def _close(self, signed_in: SignedIn, conversation_id: str, _body: dict) -> dict:
        agent = signed_in.agent
        self.desk.release(conversation_id, agent, wall_clock(), close=True)
        self.rasa.resume(conversation_id)
        self.rasa.respond(conversation_id, "utter_agent_closed", agent.display_name)
        self.rasa.execute(conversation_id, "utter_ask_csat")
        return {"ok": True}

    # --- Support lead --------------------------------------------------------------------

    def _stats(self, signed_in: SignedIn, path: str) -> Reply:
        if not signed_in.agent.is_lead:
            raise Refused("lead_only")
        rows = support_stats(self.tracker_engine, self.desk.session_factory, wall_clock())
        if path.endswith(".csv"):
            headers = {"Content-Disposition": 'attachment; filename="allyzure-statistiques.csv"'}
            return Reply(200, stats_csv(rows).encode(), headers, "text/csv; charset=utf-8")
        if path.endswith(".png"):
            return Reply(200, stats_plot(rows), {}, "image/png")
        return self._json({"rows": [r.as_dict() for r in rows]})

    @staticmethod
    def _json(body: dict) -> Reply:
        return Reply(200, body, {})


def _cookie(token: str, expire: bool = False) -> str:
    """HttpOnly: no script reads it; SameSite=Strict: no other site's page sends it; Path=/agent:
    the shop page and the widget never carry it."""
    cookie = f"{COOKIE_NAME}={token}; HttpOnly; SameSite=Strict; Path=/agent"
    if os.environ.get("ALLYZURE_SECURE_COOKIES") == "1":
        cookie += "; Secure"
    return cookie + ("; Max-Age=0" if expire else "")


def transcript(events: list[dict]) -> list[dict]:
    """Customer, assistant and agent messages with their times, in order."""
    lines = []
    for event in events:
        kind = event.get("event")
        if kind not in ("user", "bot") or not event.get("text"):
            continue
        agent = (event.get("metadata") or {}).get("agent") if kind == "bot" else None
        at = datetime.fromtimestamp(event.get("timestamp") or 0, UTC)
        lines.append(
            {
                "from": "customer" if kind == "user" else ("agent" if agent else "assistant"),
                "agent_name": agent.get("name") if isinstance(agent, dict) else None,
                "text": event["text"],
                "at": at.isoformat(),
                "time": f"{format_date_fr(at)}, {format_time_fr(at)}",
            }
        )
    return lines


REQUEST_KINDS = {
    "return": "retour",
    "cancellation": "annulation",
    "address_change": "changement d’adresse",
    "exchange": "échange",
    "warranty_claim": "garantie",
    "missing_parcel": "colis manquant",
    "wrong_item": "mauvais article",
    "handoff": "transfert à un conseiller",
}
REQUEST_STATUSES = {"open": "ouverte", "completed": "terminée", "rejected": "refusée"}


def order_panel(summary: OrderSummary) -> dict:
    """The verified order as the agent reads it: status, lines, shipment, requests made."""
    shipment = summary.shipment
    last = shipment.last_event if shipment else None
    return {
        "number": summary.number,
        "status": status_label(summary.status),
        "placed_on": format_date_fr(summary.placed_at),
        "customer": summary.customer_first_name,
        "total": format_money(summary.total, summary.currency),
        "lines": [
            {
                "quantity": line.quantity,
                "name": line.name,
                "sku": line.sku,
                "price": format_money(line.unit_price, summary.currency),
                "cancelled": line.cancelled,
                "personalised": line.personalised,
            }
            for line in summary.lines
        ],
        "shipment": None
        if shipment is None
        else {
            "carrier": shipment.carrier,
            "tracking_number": shipment.tracking_number,
            "last_event": f"{format_date_fr(last.at)} — {last.location} : {last.description}"
            if last
            else None,
        },
        "requests": [
            {
                "reference": r.reference,
                "kind": REQUEST_KINDS.get(r.kind.value, r.kind.value),
                "status": REQUEST_STATUSES.get(r.status.value, r.status.value),
            }
            for r in summary.requests
        ],
    }


def workspace_from_environment(rasa_url: str) -> Workspace:
    """Built when the web server starts (never at import)."""
    settings = load_settings()
    session_factory = make_session_factory(make_engine(settings.database_url))
    tracker_url = tracker_url_from_environment()
    return Workspace(
        accounts=AgentAccounts(session_factory),
        desk=WorkspaceDesk(
            session_factory, opening_hours_from_environment(), mail_settings_from_environment()
        ),
        shop=build_shop_service(settings),
        rasa=RasaConversations(
            rasa_url=rasa_url,
            auth_token=os.environ.get("RASA_AUTH_TOKEN", ""),
            agent_token=os.environ.get("AGENT_API_TOKEN", ""),
        ),
        tracker_engine=make_engine(tracker_url) if tracker_url else None,
    )
