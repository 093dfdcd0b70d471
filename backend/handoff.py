"""Handed-over conversations: the queue, who owns each one, the audit trail, opening hours and
the email sent when nobody is there to answer (issue 18; docs/handoff.md).

The assistant's handoff action creates a `handoff` service request (ShopService.create_handoff)
carrying the summary, the channel and the reason; while it is open, the conversation is in the
queue. An agent's takeover adds a `HandoffAssignment`; handing back or closing ends it and
completes the request. Every takeover, message, handback and close is an `AuditEntry` with
the agent's name.

`HelpDesk` is the one seam between the flows and whoever answers: the built-in workspace
(`WorkspaceDesk`) keeps the queue in this database; a connector to a help desk (Chatwoot's
agent-bot API) would implement the same three methods (docs/handoff.md).
"""

from __future__ import annotations

import logging
import os
import re
import smtplib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from email.message import EmailMessage
from typing import Protocol

from babel.dates import format_date
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from backend.agents import AgentView
from backend.db import begin_write, unit_of_work
from backend.domain import SHOP_TZ, RequestKind, RequestStatus
from backend.formatting import LOCALE, format_time_fr
from backend.models import AuditEntry, CsatRating, HandoffAssignment, ServiceRequest

logger = logging.getLogger(__name__)

HOURS_VARIABLE = "ALLYZURE_SUPPORT_HOURS"
DEFAULT_HOURS = "mon-fri 09:00-17:00"
SUPPORT_EMAIL_VARIABLE = "ALLYZURE_SUPPORT_EMAIL"
DEFAULT_SUPPORT_EMAIL = "support@allyzure.com"
SMTP_HOST_VARIABLE = "ALLYZURE_SMTP_HOST"
SMTP_PORT_VARIABLE = "ALLYZURE_SMTP_PORT"
MAIL_FROM_VARIABLE = "ALLYZURE_MAIL_FROM"
SMTP_TIMEOUT_S = 10.0

# Channels where an agent's message reaches the customer live (REST answers only the request).
LIVE_CHANNELS = frozenset({"socketio", "telegram", "callback"})
REASONS = ("asked", "misunderstood", "angry", "identification")
REASON_LABELS = {
    "asked": "demande du client",
    "misunderstood": "deux incompréhensions",
    "angry": "client mécontent",
    "identification": "identification impossible",
}
SUGGESTION_USES = ("as_is", "edited", "rejected", "none")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class NotYours(Exception):
    """Another agent owns this conversation."""


class NotQueued(Exception):
    """No open handoff for this conversation (never handed over, or already ended)."""


# --- Opening hours -------------------------------------------------------------------------


@dataclass(frozen=True)
class OpeningHours:
    """Weekly windows in the shop's time zone (Eastern time): weekday → [(open, close)]."""

    windows: Mapping[int, tuple[tuple[time, time], ...]]

    def is_open(self, now: datetime) -> bool:
        local = now.astimezone(SHOP_TZ)
        return any(
            start <= local.time() < end for start, end in self.windows.get(local.weekday(), ())
        )

    def next_opening(self, now: datetime) -> datetime | None:
        """The next moment a window opens after `now` (None if no window at all)."""
        local = now.astimezone(SHOP_TZ)
        for days_ahead in range(8):
            day = (local + timedelta(days=days_ahead)).date()
            for start, _end in sorted(self.windows.get(day.weekday(), ())):
                moment = datetime.combine(day, start, tzinfo=SHOP_TZ)
                if moment > local:
                    return moment
        return None


_RANGE = re.compile(r"^(\w{3})(?:-(\w{3}))?\s+(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")


def parse_opening_hours(text: str) -> OpeningHours:
    """« mon-fri 09:00-17:00; sat 10:00-14:00 » → OpeningHours; raises ValueError."""
    windows: dict[int, list[tuple[time, time]]] = {}
    for part in filter(None, (p.strip().lower() for p in text.split(";"))):
        match = _RANGE.match(part)
        if not match or match[1] not in DAYS or (match[2] and match[2] not in DAYS):
            raise ValueError(f"{HOURS_VARIABLE}: cannot read {part!r} (e.g. mon-fri 09:00-17:00)")
        first, last = DAYS.index(match[1]), DAYS.index(match[2] or match[1])
        start = time(int(match[3]), int(match[4]))
        end = time(int(match[5]), int(match[6]))
        if end <= start:
            raise ValueError(f"{HOURS_VARIABLE}: {part!r} closes before it opens")
        for day in range(first, last + 1):
            windows.setdefault(day, []).append((start, end))
    return OpeningHours({day: tuple(spans) for day, spans in windows.items()})


def opening_hours_from_environment(environ: Mapping[str, str] = os.environ) -> OpeningHours:
    return parse_opening_hours(environ.get(HOURS_VARIABLE) or DEFAULT_HOURS)


def format_opening_fr(moment: datetime) -> str:
    """« lundi 30 novembre 2026 à 9 h 00 » (shop time)."""
    local = moment.astimezone(SHOP_TZ)
    day = format_date(local.date(), format="EEEE d MMMM y", locale=LOCALE)
    if local.day == 1:
        day = day.replace(" 1 ", " 1er ", 1)
    return f"{day} à {format_time_fr(local)}"


DAY_NAMES_FR = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def describe_opening_hours_fr(hours: OpeningHours) -> str:
    """« du lundi au vendredi de 9 h à 17 h » (« ; le samedi de 10 h à 14 h » after): the
    days with the same windows grouped, for a customer who asks when the team answers."""
    groups: list[tuple[list[int], tuple[tuple[time, time], ...]]] = []
    for day in sorted(hours.windows):
        spans = tuple(sorted(hours.windows[day]))
        if groups and groups[-1][1] == spans and groups[-1][0][-1] == day - 1:
            groups[-1][0].append(day)
        else:
            groups.append(([day], spans))
    return " ; ".join(_days_fr(days) + " " + _spans_fr(spans) for days, spans in groups)


def _days_fr(days: list[int]) -> str:
    if len(days) <= 2:
        return " et ".join(f"le {DAY_NAMES_FR[day]}" for day in days)
    return f"du {DAY_NAMES_FR[days[0]]} au {DAY_NAMES_FR[days[-1]]}"


def _spans_fr(spans: tuple[tuple[time, time], ...]) -> str:
    return " et ".join(f"de {_hour_fr(start)} à {_hour_fr(end)}" for start, end in spans)


def _hour_fr(moment: time) -> str:
    """« 9 h », « 17 h 30 »."""
    return f"{moment.hour} h" + (f" {moment.minute:02d}" if moment.minute else "")


# --- Email to the support address ----------------------------------------------------------


@dataclass(frozen=True)
class MailSettings:
    host: str
    port: int
    sender: str
    support_address: str


def mail_settings_from_environment(environ: Mapping[str, str] = os.environ) -> MailSettings:
    return MailSettings(
        host=environ.get(SMTP_HOST_VARIABLE) or "localhost",
        port=int(environ.get(SMTP_PORT_VARIABLE) or 25),
        sender=environ.get(MAIL_FROM_VARIABLE) or "assistant@allyzure.com",
        support_address=environ.get(SUPPORT_EMAIL_VARIABLE) or DEFAULT_SUPPORT_EMAIL,
    )


@dataclass(frozen=True)
class Handoff:
    """What a help desk needs to pick a handed-over conversation up."""

    reference: str
    conversation_id: str
    channel: str | None
    reason: str
    summary: str
    order_number: str | None
    customer_email: str | None


def summary_email(handoff: Handoff, settings: MailSettings, next_opening: str) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = f"Conversation transmise hors des heures d’ouverture ({handoff.reference})"
    message["From"] = settings.sender
    message["To"] = settings.support_address
    if handoff.customer_email:
        message["Reply-To"] = handoff.customer_email
    message.set_content(
        "\n".join(
            [
                "Un client a demandé un conseiller en dehors des heures d’ouverture.",
                f"Référence : {handoff.reference}",
                f"Canal : {handoff.channel or 'inconnu'}",
                f"Conversation : {handoff.conversation_id}",
                f"Motif : {REASON_LABELS.get(handoff.reason, handoff.reason)}",
                f"Commande vérifiée : {handoff.order_number or 'aucune'}",
                f"Réponse promise au client : à partir du {next_opening}",
                "",
                "Résumé :",
                handoff.summary,
            ]
        )
    )
    return message


def send_summary_email(handoff: Handoff, settings: MailSettings, next_opening: str) -> bool:
    """Send through the configured SMTP server; a failure is logged, never raised (the
    handoff request is already stored and shown in the workspace queue)."""
    try:
        with smtplib.SMTP(settings.host, settings.port, timeout=SMTP_TIMEOUT_S) as smtp:
            smtp.send_message(summary_email(handoff, settings, next_opening))
        return True
    except (OSError, smtplib.SMTPException) as error:
        logger.error("Handoff email %s not sent: %s", handoff.reference, type(error).__name__)
        return False


# --- The seam between the flows and whoever answers -----------------------------------------


@dataclass(frozen=True)
class Availability:
    """`live`: an agent may answer in this chat now; else `next_opening` (French text)."""

    live: bool
    next_opening: str | None = None


class HelpDesk(Protocol):
    """Whoever answers handed-over conversations (built-in workspace or a help desk)."""

    def handed_over(self, handoff: Handoff, now: datetime) -> Availability:
        """Queue the conversation; say whether a human can answer it live."""

    def take(self, conversation_id: str, agent: AgentView, now: datetime) -> QueueItem:
        """An agent owns the conversation: the assistant stays silent."""

    def release(self, conversation_id: str, agent: AgentView, now: datetime, close: bool) -> None:
        """The agent hands the conversation back to the assistant, or closes it."""

    def withdraw(self, conversation_id: str, now: datetime) -> str | None:
        """The customer went back to the assistant before an agent took the conversation:
        the reference of the handoff taken out of the queue, None when an agent has it;
        NotQueued when there is no open handoff."""

    def open_handoff(self, conversation_id: str) -> QueueItem | None:
        """The conversation's handoff still open (waiting or taken), if any."""


# --- The built-in workspace's queue ---------------------------------------------------------


@dataclass(frozen=True)
class QueueItem:
    reference: str
    conversation_id: str
    channel: str | None
    reason: str
    summary: str
    order_number: str | None
    queued_at: datetime
    agent_id: int | None
    agent_name: str | None

    @property
    def state(self) -> str:
        return "queued" if self.agent_id is None else "taken"


@dataclass(frozen=True)
class AuditView:
    at: datetime
    agent_name: str
    action: str
    text: str | None
    suggestion_use: str | None


def _item(request: ServiceRequest, assignment: HandoffAssignment | None) -> QueueItem:
    payload = request.payload
    live = assignment is not None and assignment.state == "taken"
    return QueueItem(
        reference=request.reference,
        conversation_id=request.conversation_id,
        channel=payload.get("channel"),
        reason=payload.get("reason") or "asked",
        summary=payload.get("summary") or "",
        order_number=request.order_number,
        queued_at=_queued_at(payload.get("queued_at")) or request.created_at,
        agent_id=assignment.agent_id if live and assignment else None,
        agent_name=assignment.agent.display_name if live and assignment else None,
    )


def _queued_at(raw: object) -> datetime | None:
    try:
        return datetime.fromisoformat(raw) if isinstance(raw, str) else None
    except ValueError:
        return None


class WorkspaceDesk:
    """The built-in HelpDesk: queue and ownership in the shop database."""

    def __init__(
        self,
        session_factory: sessionmaker,
        hours: OpeningHours,
        mail: MailSettings,
    ) -> None:
        self.session_factory = session_factory
        self._hours = hours
        self._mail = mail

    def handed_over(self, handoff: Handoff, now: datetime) -> Availability:
        """The request is already the queue entry; outside opening hours (or on a channel an
        agent cannot write to) the summary goes to the support address by email."""
        if self._hours.is_open(now):
            return Availability(live=handoff.channel in LIVE_CHANNELS)
        opening = self._hours.next_opening(now)
        next_opening = format_opening_fr(opening) if opening else None
        send_summary_email(handoff, self._mail, next_opening or "prochain jour ouvrable")
        return Availability(live=False, next_opening=next_opening)

    def queue(self) -> list[QueueItem]:
        """Every open handoff of a conversation, oldest first: queued and taken."""
        with unit_of_work(self.session_factory) as session:
            rows = session.execute(
                select(ServiceRequest, HandoffAssignment)
                .outerjoin(HandoffAssignment, HandoffAssignment.request_id == ServiceRequest.id)
                .where(
                    ServiceRequest.kind == RequestKind.HANDOFF,
                    ServiceRequest.status == RequestStatus.OPEN,
                    ServiceRequest.conversation_id.is_not(None),
                )
                .order_by(ServiceRequest.created_at, ServiceRequest.id)
            ).all()
            return [_item(request, assignment) for request, assignment in rows]

    def open_handoff(self, conversation_id: str) -> QueueItem | None:
        return next((i for i in self.queue() if i.conversation_id == conversation_id), None)

    def take(self, conversation_id: str, agent: AgentView, now: datetime) -> QueueItem:
        with unit_of_work(self.session_factory) as session:
            begin_write(session)
            request = self._open_request(session, conversation_id)
            assignment = session.scalar(
                select(HandoffAssignment).where(HandoffAssignment.request_id == request.id)
            )
            if assignment is not None and assignment.agent_id != agent.id:
                raise NotYours()
            if assignment is None:
                assignment = HandoffAssignment(
                    request_id=request.id,
                    conversation_id=conversation_id,
                    agent_id=agent.id,
                    state="taken",
                    taken_at=now,
                )
                session.add(assignment)
                session.add(_audit(agent, conversation_id, request, "takeover", now))
            session.flush()
            return _item(request, assignment)

    def owner(self, conversation_id: str) -> int | None:
        item = self.open_handoff(conversation_id)
        return item.agent_id if item else None

    def release(self, conversation_id: str, agent: AgentView, now: datetime, close: bool) -> None:
        with unit_of_work(self.session_factory) as session:
            begin_write(session)
            request = self._open_request(session, conversation_id)
            assignment = session.scalar(
                select(HandoffAssignment).where(HandoffAssignment.request_id == request.id)
            )
            if assignment is None or assignment.agent_id != agent.id:
                raise NotYours()
            assignment.state, assignment.ended_at = ("closed" if close else "returned"), now
            request.status, request.updated_at = RequestStatus.COMPLETED, now
            session.add(
                _audit(agent, conversation_id, request, "close" if close else "handback", now)
            )

    def withdraw(self, conversation_id: str, now: datetime) -> str | None:
        """Out of the queue, unless an agent took it meanwhile (then the agent answers)."""
        with unit_of_work(self.session_factory) as session:
            begin_write(session)
            request = self._open_request(session, conversation_id)
            taken = session.scalar(
                select(HandoffAssignment).where(HandoffAssignment.request_id == request.id)
            )
            if taken is not None:
                return None
            request.payload = {**request.payload, "withdrawn_at": now.isoformat()}
            request.status, request.updated_at = RequestStatus.COMPLETED, now
            return request.reference

    def record_message(
        self,
        agent: AgentView,
        conversation_id: str,
        text: str,
        suggestion_use: str,
        now: datetime,
    ) -> None:
        """The audit entry of a message the agent sent (only by the owner: checked here)."""
        with unit_of_work(self.session_factory) as session:
            begin_write(session)
            request = self._open_request(session, conversation_id)
            assignment = session.scalar(
                select(HandoffAssignment).where(HandoffAssignment.request_id == request.id)
            )
            if assignment is None or assignment.agent_id != agent.id:
                raise NotYours()
            use = suggestion_use if suggestion_use in SUGGESTION_USES else "none"
            session.add(_audit(agent, conversation_id, request, "message", now, text, use))

    def audit(self, conversation_id: str) -> list[AuditView]:
        with unit_of_work(self.session_factory) as session:
            entries = session.scalars(
                select(AuditEntry)
                .where(AuditEntry.conversation_id == conversation_id)
                .order_by(AuditEntry.at, AuditEntry.id)
            ).all()
            return [
                AuditView(e.at, e.agent_name, e.action, e.text, e.suggestion_use) for e in entries
            ]

    def rate(self, conversation_id: str, channel: str | None, rating: int, now: datetime) -> None:
        if not 1 <= rating <= 5:
            raise ValueError("a rating is 1 to 5")
        with unit_of_work(self.session_factory) as session:
            session.add(
                CsatRating(conversation_id=conversation_id, channel=channel, rating=rating, at=now)
            )

    @staticmethod
    def _open_request(session, conversation_id: str) -> ServiceRequest:
        request = session.scalar(
            select(ServiceRequest)
            .where(
                ServiceRequest.kind == RequestKind.HANDOFF,
                ServiceRequest.status == RequestStatus.OPEN,
                ServiceRequest.conversation_id == conversation_id,
            )
            .order_by(ServiceRequest.id.desc())
        )
        if request is None:
            raise NotQueued()
        return request


def _audit(
    agent: AgentView,
    conversation_id: str,
    request: ServiceRequest,
    action: str,
    now: datetime,
    text: str | None = None,
    suggestion_use: str | None = None,
) -> AuditEntry:
    return AuditEntry(
        at=now,
        agent_id=agent.id,
        agent_name=agent.display_name,
        conversation_id=conversation_id,
        channel=request.payload.get("channel"),
        action=action,
        text=text,
        suggestion_use=suggestion_use,
    )
