"""What a support lead reads on /agent/stats: per day and channel, conversations, containment,
handovers by reason, top intents, fallback rate, suggestions used, CSAT (issue 18).

Numbers come from the real stores: Rasa's tracker store (its `events` table: every customer
message with its intent and channel, every action the assistant ran) and the shop database
(handoff requests with their reason, the agents' audit trail, CSAT ratings). A conversation
counts on the day (shop time) and in the channel of its first customer message; it is
"contained" when the assistant never ran the handoff action in it. The fallback rate is the
share of customer messages the NLU could not place (`nlu_fallback`).
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from backend.db import unit_of_work
from backend.domain import SHOP_TZ, RequestKind
from backend.models import AuditEntry, CsatRating, ServiceRequest

HANDOFF_ACTION = "action_human_handoff"
FALLBACK_INTENT = "nlu_fallback"
TOP_INTENTS = 3

# Rasa 3.6's SQLTrackerStore table, as far as these statistics read it.
_EVENTS = Table(
    "events",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255)),
    Column("type_name", String(255)),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)


def tracker_url_from_environment(environ: Mapping[str, str] = os.environ) -> str | None:
    """The tracker store's database, as bot/endpoints*.yml configure it for Rasa."""
    if environ.get("TRACKER_PG_HOST"):
        user = environ.get("TRACKER_PG_USER") or "postgres"
        host, port = environ["TRACKER_PG_HOST"], environ.get("TRACKER_PG_PORT") or "5432"
        return f"postgresql://{user}@{host}:{port}/{environ.get('TRACKER_PG_DB') or 'rasa'}"
    if environ.get("TRACKER_DB_PATH"):
        return f"sqlite:///{environ['TRACKER_DB_PATH']}"
    return None


@dataclass
class DayChannel:
    day: date
    channel: str
    conversations: int = 0
    handed_over: int = 0
    reasons: Counter = field(default_factory=Counter)
    messages: int = 0
    fallbacks: int = 0
    intents: Counter = field(default_factory=Counter)
    suggestions: Counter = field(default_factory=Counter)
    ratings: list[int] = field(default_factory=list)

    @property
    def contained(self) -> int:
        return self.conversations - self.handed_over

    @property
    def containment(self) -> float | None:
        return self.contained / self.conversations if self.conversations else None

    @property
    def fallback_rate(self) -> float | None:
        return self.fallbacks / self.messages if self.messages else None

    @property
    def csat(self) -> float | None:
        return sum(self.ratings) / len(self.ratings) if self.ratings else None

    def as_dict(self) -> dict:
        return {
            "day": self.day.isoformat(),
            "channel": self.channel,
            "conversations": self.conversations,
            "contained": self.contained,
            "containment": self.containment,
            "handed_over": self.handed_over,
            "handovers_by_reason": dict(self.reasons),
            "messages": self.messages,
            "fallback_rate": self.fallback_rate,
            "top_intents": self.intents.most_common(TOP_INTENTS),
            "suggestions": {use: self.suggestions[use] for use in ("as_is", "edited", "rejected")},
            "csat_count": len(self.ratings),
            "csat_average": self.csat,
        }


def _day(moment: datetime | float) -> date:
    if isinstance(moment, float | int):
        moment = datetime.fromtimestamp(moment, SHOP_TZ)
    return moment.astimezone(SHOP_TZ).date()


def support_stats(
    tracker_engine: Engine | None, session_factory: sessionmaker, now: datetime, days: int = 14
) -> list[DayChannel]:
    """One row per (day, channel) with any activity in the last `days` days, newest first."""
    since = now - timedelta(days=days)
    rows: dict[tuple[date, str], DayChannel] = {}

    def row(day: date, channel: str | None) -> DayChannel:
        key = (day, channel or "inconnu")
        return rows.setdefault(key, DayChannel(*key))

    first_seen: dict[str, tuple[date, str]] = {}
    if tracker_engine is not None:
        first_seen = _conversations(tracker_engine, since, row)
    with unit_of_work(session_factory) as session:
        handoffs = session.scalars(
            select(ServiceRequest).where(
                ServiceRequest.kind == RequestKind.HANDOFF,
                ServiceRequest.conversation_id.in_(list(first_seen) or [""]),
            )
        ).all()
        for request in handoffs:
            day, channel = first_seen[request.conversation_id]
            row(day, channel).reasons[request.payload.get("reason") or "asked"] += 1
        for entry in session.scalars(
            select(AuditEntry).where(AuditEntry.action == "message", AuditEntry.at >= since)
        ):
            row(_day(entry.at), entry.channel).suggestions[entry.suggestion_use or "none"] += 1
        for rating in session.scalars(select(CsatRating).where(CsatRating.at >= since)):
            row(_day(rating.at), rating.channel).ratings.append(rating.rating)
    return sorted(rows.values(), key=lambda r: (r.day, r.channel), reverse=True)


def _conversations(engine: Engine, since: datetime, row) -> dict[str, tuple[date, str]]:
    """Count conversations, messages, intents, fallbacks and handovers from the tracker."""
    query = (
        select(
            _EVENTS.c.sender_id,
            _EVENTS.c.type_name,
            _EVENTS.c.timestamp,
            _EVENTS.c.intent_name,
            _EVENTS.c.action_name,
            _EVENTS.c.data,
        )
        .where(_EVENTS.c.timestamp >= since.timestamp())
        .where(_EVENTS.c.type_name.in_(("user", "action")))
        .order_by(_EVENTS.c.timestamp, _EVENTS.c.id)
    )
    first_seen: dict[str, tuple[date, str]] = {}
    handed_over: set[str] = set()
    with engine.connect() as connection:
        for sender, kind, timestamp, intent, action, data in connection.execute(query):
            if kind == "user":
                if sender not in first_seen:
                    channel = (json.loads(data or "{}") or {}).get("input_channel") or "inconnu"
                    first_seen[sender] = (_day(timestamp), channel)
                    row(*first_seen[sender]).conversations += 1
                stats = row(*first_seen[sender])
                stats.messages += 1
                if intent:
                    stats.intents[intent] += 1
                if intent == FALLBACK_INTENT:
                    stats.fallbacks += 1
            elif action == HANDOFF_ACTION and sender in first_seen and sender not in handed_over:
                handed_over.add(sender)
                row(*first_seen[sender]).handed_over += 1
    return first_seen


CSV_COLUMNS = (
    "jour", "canal", "conversations", "sans_conseiller", "taux_sans_conseiller",
    "transferts", "transferts_demande", "transferts_incomprehension", "transferts_colere",
    "transferts_identification", "messages", "taux_fallback", "intentions_principales",
    "suggestions_telles_quelles", "suggestions_modifiees", "suggestions_rejetees",
    "csat_reponses", "csat_moyenne",
)  # fmt: skip


def stats_csv(rows: list[DayChannel]) -> str:
    """The rows as CSV (comma-separated, decimal point: what spreadsheets import as-is)."""
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        writer.writerow(
            [
                r.day.isoformat(), r.channel, r.conversations, r.contained,
                _ratio(r.containment), r.handed_over, r.reasons["asked"],
                r.reasons["misunderstood"], r.reasons["angry"], r.reasons["identification"],
                r.messages, _ratio(r.fallback_rate),
                " ".join(f"{name}:{count}" for name, count in r.intents.most_common(TOP_INTENTS)),
                r.suggestions["as_is"], r.suggestions["edited"], r.suggestions["rejected"],
                len(r.ratings), _ratio(r.csat),
            ]
        )  # fmt: skip
    return output.getvalue()


def _ratio(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"


def stats_plot(rows: list[DayChannel]) -> bytes:
    """A PNG: conversations per day, contained vs handed over, and the day's CSAT."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    by_day: dict[date, list[DayChannel]] = defaultdict(list)
    for r in rows:
        by_day[r.day].append(r)
    days = sorted(by_day)
    contained = [sum(r.contained for r in by_day[d]) for d in days]
    handed = [sum(r.handed_over for r in by_day[d]) for d in days]
    ratings = [[x for r in by_day[d] for x in r.ratings] for d in days]
    labels = [d.strftime("%d/%m") for d in days]
    figure, axis = pyplot.subplots(figsize=(8, 3.6), dpi=100)
    axis.bar(labels, contained, color="#7a4b12", label="Sans conseiller")
    axis.bar(labels, handed, bottom=contained, color="#e0b36b", label="Transférées")
    axis.set_ylabel("Conversations")
    axis.legend(loc="upper left")
    csat_axis = axis.twinx()
    csat_axis.set_ylim(1, 5)
    csat_axis.set_ylabel("CSAT moyen (1 à 5)")
    points = [(label, sum(r) / len(r)) for label, r in zip(labels, ratings, strict=True) if r]
    if points:
        csat_axis.plot(*zip(*points, strict=True), color="#1a5fb4", marker="o", label="CSAT")
        csat_axis.legend(loc="upper right")
    axis.set_title("Conversations par jour et satisfaction")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    pyplot.close(figure)
    return buffer.getvalue()
