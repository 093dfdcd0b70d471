"""The handoff queue: ownership, audit trail, opening hours and the after-hours email, sent
through a real SMTP server (aiosmtpd) started by the test."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from backend.agents import AgentAccounts
from backend.domain import SHOP_TZ
from backend.handoff import (
    Handoff,
    MailSettings,
    NotQueued,
    NotYours,
    WorkspaceDesk,
    describe_opening_hours_fr,
    parse_opening_hours,
)

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=SHOP_TZ)  # a Wednesday, noon
SATURDAY = datetime(2026, 11, 28, 12, 0, tzinfo=SHOP_TZ)
HOURS = parse_opening_hours("mon-fri 09:00-17:00")


def desk_on(session_factory, port: int = 1) -> WorkspaceDesk:
    mail = MailSettings("127.0.0.1", port, "assistant@allyzure.com", "support@allyzure.com")
    return WorkspaceDesk(session_factory, HOURS, mail)


def handoff(reference: str = "AG-1") -> Handoff:
    return Handoff(reference, "conv-1", "socketio", "angry", "Intentions : cancel", None, None)


@pytest.fixture
def agents(session_factory):
    accounts = AgentAccounts(session_factory)
    now = datetime.now(UTC)
    return (
        accounts.create("sophie", "Sophie", "mot-de-passe-1", "agent", now),
        accounts.create("marc", "Marc", "mot-de-passe-2", "agent", now),
    )


def test_opening_hours_are_read_in_eastern_time_and_know_the_next_opening():
    assert HOURS.is_open(NOW)
    assert not HOURS.is_open(SATURDAY)
    assert HOURS.next_opening(SATURDAY) == datetime(2026, 11, 30, 9, 0, tzinfo=SHOP_TZ)


@pytest.mark.parametrize("text", ["lundi 9-17", "mon-fri 17:00-09:00", "xyz-fri 09:00-17:00"])
def test_unreadable_opening_hours_are_refused(text):
    with pytest.raises(ValueError):
        parse_opening_hours(text)


def test_a_handoff_during_opening_hours_on_the_widget_is_live_and_sends_no_email(
    session_factory, mailbox
):
    availability = desk_on(session_factory, mailbox.port).handed_over(handoff(), NOW)

    assert availability.live
    assert mailbox.messages == []


def test_a_handoff_outside_opening_hours_emails_the_summary_to_support(session_factory, mailbox):
    availability = desk_on(session_factory, mailbox.port).handed_over(handoff("AG-42"), SATURDAY)

    assert not availability.live
    assert availability.next_opening == "lundi 30 novembre 2026 à 9\u00a0h\u00a000"
    [message] = mailbox.messages
    assert message["To"] == "support@allyzure.com"
    assert "AG-42" in message["Subject"]
    assert "Intentions : cancel" in message.get_payload()
    assert "client mécontent" in message.get_payload()


def test_an_unreachable_smtp_server_does_not_break_the_handoff(session_factory):
    availability = desk_on(session_factory, port=1).handed_over(handoff(), SATURDAY)

    assert not availability.live


def test_only_the_agent_who_took_a_conversation_may_write_in_it_or_release_it(
    make_shop, session_factory, agents
):
    sophie, marc = agents
    now = datetime.now(UTC)
    make_shop(NOW).create_handoff(
        "résumé", conversation_id="conv-1", channel="socketio", queued_at=now
    )
    desk = desk_on(session_factory)

    assert desk.queue()[0].state == "queued"
    assert desk.queue()[0].queued_at == now  # real waiting time, whatever the shop's clock
    desk.take("conv-1", sophie, now)
    with pytest.raises(NotYours):
        desk.take("conv-1", marc, now)
    with pytest.raises(NotYours):
        desk.record_message(marc, "conv-1", "Bonjour", "none", now)
    desk.record_message(sophie, "conv-1", "Bonjour", "edited", now)
    desk.release("conv-1", sophie, now, close=False)

    assert desk.queue() == []
    assert [(e.agent_name, e.action) for e in desk.audit("conv-1")] == [
        ("Sophie", "takeover"),
        ("Sophie", "message"),
        ("Sophie", "handback"),
    ]
    with pytest.raises(NotQueued):
        desk.take("conv-1", sophie, now)


def test_a_customer_who_goes_back_to_the_assistant_leaves_the_queue_unless_an_agent_has_it(
    make_shop, session_factory, agents
):
    sophie, _ = agents
    now = datetime.now(UTC)
    shop = make_shop(NOW)
    waiting = shop.create_handoff("résumé", conversation_id="waiting", channel="socketio")
    shop.create_handoff("résumé", conversation_id="taken", channel="socketio")
    desk = desk_on(session_factory)
    desk.take("taken", sophie, now)

    assert desk.withdraw("waiting", now) == waiting.request.reference
    assert desk.withdraw("taken", now) is None
    with pytest.raises(NotQueued):
        desk.withdraw("never-handed-over", now)
    assert [item.conversation_id for item in desk.queue()] == ["taken"]


@pytest.mark.parametrize(
    ("hours", "described"),
    [
        ("mon-fri 09:00-17:00", "du lundi au vendredi de 9\u00a0h à 17\u00a0h"),
        ("mon-fri 09:00-17:00; sat 10:00-14:30",
         "du lundi au vendredi de 9\u00a0h à 17\u00a0h\u202f; "
         "le samedi de 10\u00a0h à 14\u00a0h\u00a030"),
        ("mon 09:00-12:00; mon 13:00-17:00; tue 09:00-12:00; tue 13:00-17:00",
         "le lundi et le mardi de 9\u00a0h à 12\u00a0h et de 13\u00a0h à 17\u00a0h"),
        ("mon 09:00-17:00; wed 09:00-17:00",
         "le lundi de 9\u00a0h à 17\u00a0h\u202f; le mercredi de 9\u00a0h à 17\u00a0h"),
    ],
)  # fmt: skip
def test_opening_hours_are_described_in_french_with_days_grouped(hours, described):
    assert describe_opening_hours_fr(parse_opening_hours(hours)) == described
