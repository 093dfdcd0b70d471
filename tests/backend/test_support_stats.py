"""The support lead's numbers, computed from a tracker store's events table and the shop
database: containment, handovers by reason, fallback rate, suggestions, CSAT, CSV."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, insert

from backend.agents import AgentAccounts
from backend.handoff import MailSettings, WorkspaceDesk, parse_opening_hours
from backend.stats import _EVENTS, stats_csv, stats_plot, support_stats

NOW = datetime(2026, 11, 25, 17, 0, tzinfo=UTC)  # noon in Toronto


@pytest.fixture
def tracker(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'tracker.db'}")
    _EVENTS.metadata.create_all(engine)
    at = NOW.timestamp()

    def user(sender, intent, channel="socketio"):
        return {
            "sender_id": sender,
            "type_name": "user",
            "timestamp": at,
            "intent_name": intent,
            "action_name": None,
            "data": json.dumps({"input_channel": channel}),
        }

    def action(sender, name):
        return {
            "sender_id": sender,
            "type_name": "action",
            "timestamp": at,
            "intent_name": None,
            "action_name": name,
            "data": "{}",
        }

    with engine.begin() as connection:
        connection.execute(
            insert(_EVENTS),
            [
                user("web-1", "track_order"),
                action("web-1", "action_track_order"),
                user("web-1", "nlu_fallback"),
                user("web-2", "human_handoff"),
                action("web-2", "action_human_handoff"),
                user("telegram-3", "greet", channel="telegram"),
            ],
        )
    return engine


def test_numbers_per_day_and_channel_come_from_both_stores(tracker, make_shop, session_factory):
    make_shop(NOW).create_handoff(
        "résumé", conversation_id="web-2", channel="socketio", reason="angry"
    )
    agent = AgentAccounts(session_factory).create(
        "sophie", "Sophie", "mot-de-passe-1", "agent", NOW
    )
    desk = WorkspaceDesk(
        session_factory, parse_opening_hours("mon-fri 09:00-17:00"), MailSettings("", 1, "", "")
    )
    desk.take("web-2", agent, NOW)
    desk.record_message(agent, "web-2", "Bonjour", "edited", NOW)
    desk.rate("web-1", "socketio", 4, NOW)
    desk.rate("web-2", "socketio", 2, NOW)

    rows = support_stats(tracker, session_factory, NOW + timedelta(hours=1))

    by_channel = {row.channel: row.as_dict() for row in rows}
    web = by_channel["socketio"]
    assert web["day"] == "2026-11-25"
    assert (web["conversations"], web["contained"], web["handed_over"]) == (2, 1, 1)
    assert web["handovers_by_reason"] == {"angry": 1}
    assert web["fallback_rate"] == pytest.approx(1 / 3)
    assert web["suggestions"] == {"as_is": 0, "edited": 1, "rejected": 0}
    assert (web["csat_count"], web["csat_average"]) == (2, 3.0)
    assert by_channel["telegram"]["containment"] == 1.0
    header, *lines = stats_csv(rows).splitlines()
    assert header.startswith("jour,canal,conversations,sans_conseiller")
    assert len(lines) == 2
    assert stats_plot(rows).startswith(b"\x89PNG")
