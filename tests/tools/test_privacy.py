"""Retention and erasure (`python -m tools.privacy`), on real stores: conversations saved by
Rasa's own SQLTrackerStore in SQLite and in a throw-away PostgreSQL, the shop database in
both too."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.engine import make_url
from support import load_demo_data

from backend.clock import FixedClock
from backend.db import make_engine, make_session_factory, unit_of_work
from backend.models import (
    AuditEntry,
    CsatRating,
    Customer,
    IdentityCheckFailure,
    Order,
    ServiceRequest,
)
from backend.services import ShopService
from tests.backend.builders import policy_config
from tools.launcher import free_port
from tools.model import PROJECT_ROOT
from tools.prod import postgres_bin_dir

pytestmark = pytest.mark.slow

NOW = datetime.fromisoformat("2026-11-25T12:00:00-05:00")
RETENTION = timedelta(days=90)  # backend/policy.yml retention.days
MARIE = "marie.tremblay@exemple.ca"
JEAN = "jdupont@exemple.fr"


@pytest.fixture(scope="module")
def postgres() -> Iterator[str]:
    """A throw-away PostgreSQL cluster on a free port: the server URL, without a database."""
    folder = Path(tempfile.mkdtemp(prefix="allyzure-privacy-"))
    folder.chmod(0o755)  # as root, PostgreSQL runs as `postgres`, who must enter it
    user = "postgres" if os.geteuid() == 0 else None
    data, port, bin_dir = folder / "db", free_port(), postgres_bin_dir()
    data.mkdir()
    if user:  # its data and its socket
        shutil.chown(data, user)
        shutil.chown(folder, user)
    run = {"check": True, "user": user, "stdout": subprocess.DEVNULL}
    subprocess.run([bin_dir / "initdb", "-D", data, "-U", "allyzure", "--auth=trust"], **run)
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1"
    subprocess.run([bin_dir / "pg_ctl", "-D", data, "-o", options, "-w", "start"], **run)
    try:
        for database in ("conversations", "shop"):
            createdb = [bin_dir / "createdb", "-h", "127.0.0.1", "-p", str(port)]
            subprocess.run([*createdb, "-U", "allyzure", database], **run)
        yield f"postgresql://allyzure@127.0.0.1:{port}"
    finally:
        subprocess.run([bin_dir / "pg_ctl", "-D", data, "-m", "fast", "stop"], **run)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def stores(request, tmp_path) -> tuple[str, str]:
    """(tracker store URL, shop database URL), both empty, both of the parameter's kind."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'tracker.db'}", f"sqlite:///{tmp_path / 'shop.db'}"
    server = request.getfixturevalue("postgres")
    for database in ("conversations", "shop"):
        engine = make_engine(f"{server}/{database}")
        with engine.begin() as connection:
            connection.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        engine.dispose()
    return f"{server}/conversations", f"{server}/shop"


def tracker_store(url: str) -> SQLTrackerStore:
    parts = make_url(url)
    if parts.get_backend_name() == "sqlite":
        return SQLTrackerStore(Domain.empty(), dialect="sqlite", db=parts.database)
    return SQLTrackerStore(
        Domain.empty(),
        dialect="postgresql",
        host=parts.host,
        port=parts.port,
        db=parts.database,
        username=parts.username,
    )


def save_conversation(store: SQLTrackerStore, sender: str, texts: list[str], *days_ago: int):
    """A conversation whose turns happened `days_ago` days before NOW (one turn per age)."""
    events = []
    for text, age in zip(texts, days_ago, strict=True):
        at = (NOW - timedelta(days=age)).timestamp()
        events += [
            ActionExecuted("action_listen", timestamp=at),
            UserUttered(text, {"name": "inform", "confidence": 1.0}, timestamp=at),
            BotUttered("Merci.", timestamp=at),
        ]
    email = MARIE if MARIE in " ".join(texts).lower() else None
    events.append(SlotSet("email", email, timestamp=at))
    asyncio.run(store.save(DialogueStateTracker.from_events(sender, events)))


def conversations(store: SQLTrackerStore) -> set[str]:
    return set(asyncio.run(store.keys()))


def privacy(tracker_url: str, shop_url: str, *arguments: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "ALLYZURE_DATABASE_URL": shop_url, "ALLYZURE_NOW": NOW.isoformat()}
    return subprocess.run(
        [sys.executable, "-m", "tools.privacy", "--tracker-url", tracker_url, *arguments],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def shop_at(shop_url: str, moment: datetime) -> ShopService:
    return ShopService(
        make_session_factory(make_engine(shop_url)), FixedClock(moment), policy_config()
    )


def payloads(shop_url: str) -> dict[str, dict]:
    with unit_of_work(make_session_factory(make_engine(shop_url))) as session:
        requests = session.query(ServiceRequest).all()
        return {
            request.conversation_id or request.reference: request.payload for request in requests
        }


def agent_wrote(shop_url: str, conversation_id: str, text: str, at: datetime) -> None:
    """What the agent workspace keeps of an agent's message, and the customer's rating."""
    with unit_of_work(make_session_factory(make_engine(shop_url))) as session:
        session.add(
            AuditEntry(
                at=at,
                agent_name="Léa",
                conversation_id=conversation_id,
                action="message",
                text=text,
            )
        )
        session.add(CsatRating(conversation_id=conversation_id, rating=5, at=at))


def audit_texts(shop_url: str) -> dict[str, str | None]:
    with unit_of_work(make_session_factory(make_engine(shop_url))) as session:
        return {entry.conversation_id: entry.text for entry in session.query(AuditEntry)}


def test_purge_deletes_the_conversations_idle_longer_than_the_retention(stores):
    tracker_url, shop_url = stores
    load_demo_data(shop_url)
    store = tracker_store(tracker_url)
    save_conversation(store, "old", ["où est ma commande AZ104203 ?", MARIE], 120, 100)
    save_conversation(store, "long", ["Bonjour", "et mes points ?"], 150, 10)
    save_conversation(store, "recent", ["Bonjour"], 1)

    result = privacy(tracker_url, shop_url, "purge-expired")

    assert result.returncode == 0, result.stderr
    assert "1 conversation(s) deleted" in result.stdout
    assert conversations(tracker_store(tracker_url)) == {"long", "recent"}


def test_purge_blanks_the_free_text_of_old_service_requests_and_keeps_the_requests(stores):
    tracker_url, shop_url = stores
    load_demo_data(shop_url)
    old = shop_at(shop_url, NOW - RETENTION - timedelta(days=1))
    old.create_handoff("Ma bague est abîmée, 12 rue Test", email=MARIE, conversation_id="old")
    recent = shop_at(shop_url, NOW - timedelta(days=3))
    recent.create_handoff("Le fermoir est cassé", email=JEAN, conversation_id="recent")
    agent_wrote(shop_url, "old", "Je renvoie la bague au 12 rue Test", NOW - timedelta(days=91))
    agent_wrote(shop_url, "recent", "Je m’en occupe", NOW - timedelta(days=3))

    result = privacy(tracker_url, shop_url, "purge-expired")
    again = privacy(tracker_url, shop_url, "purge-expired")
    kept = payloads(shop_url)

    assert result.returncode == 0, result.stderr
    assert "free text removed from 1 service request(s)" in result.stdout
    assert "free text removed from 0 service request(s)" in again.stdout
    assert (kept["old"]["summary"], kept["old"]["email"]) == (None, None)
    assert kept["old"]["free_text_purged"] is True
    assert kept["recent"]["summary"] == "Le fermoir est cassé"
    assert kept["recent"]["email"] == JEAN
    assert audit_texts(shop_url) == {"old": None, "recent": "Je m’en occupe"}


def test_erase_deletes_everything_about_one_customer_and_nothing_else(stores):
    tracker_url, shop_url = stores
    load_demo_data(shop_url)
    shop = shop_at(shop_url, NOW)
    shop.create_handoff(
        "Je veux parler à quelqu’un",
        order_number="AZ104203",
        email=MARIE,
        conversation_id="handoff",
    )
    shop.create_handoff("Question", email=MARIE.upper(), conversation_id="unverified")
    shop.create_handoff("Autre question", email=JEAN, conversation_id="jean")
    shop.verify_identity("AZ104195", MARIE)  # a failed check made with her email
    agent_wrote(shop_url, "handoff", "Bonjour Marie", NOW)
    agent_wrote(shop_url, "hers", "Votre commande arrive", NOW)
    agent_wrote(shop_url, "someone-else", "Bonjour Jean", NOW)
    store = tracker_store(tracker_url)
    save_conversation(store, "hers", ["AZ104203 Marie.Tremblay@Exemple.CA"], 2)
    save_conversation(store, "handoff", ["je veux parler à un humain"], 2)
    save_conversation(store, "someone-else", [f"AZ104206 {JEAN}"], 2)

    result = privacy(tracker_url, shop_url, "erase", "Marie.Tremblay@exemple.ca")

    assert result.returncode == 0, result.stderr
    with unit_of_work(make_session_factory(make_engine(shop_url))) as session:
        customers = {customer.email for customer in session.query(Customer)}
        owners = {order.customer.email for order in session.query(Order)}
        failures = session.query(IdentityCheckFailure).count()
    assert MARIE not in customers and JEAN in customers
    assert MARIE not in owners and JEAN in owners
    assert set(payloads(shop_url)) == {"jean"}
    assert failures == 0
    assert conversations(tracker_store(tracker_url)) == {"someone-else"}
    assert audit_texts(shop_url) == {"someone-else": "Bonjour Jean"}
    assert "1 customer" in result.stdout and "2 service request(s)" in result.stdout


def test_erase_refuses_what_is_not_an_email(tmp_path):
    result = privacy(
        f"sqlite:///{tmp_path / 't.db'}", f"sqlite:///{tmp_path / 's.db'}", "erase", "marie"
    )

    assert result.returncode == 2
    assert "not an email address" in result.stderr
