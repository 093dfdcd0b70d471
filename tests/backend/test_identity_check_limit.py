"""Failed identity checks are limited per order number across conversations (policy.yml)."""

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from backend.clock import FixedClock
from backend.db import unit_of_work
from backend.fixtures import load_fixture_file
from backend.models import IdentityCheckFailure
from backend.policies import ReasonCode, identity_checks_paused
from tests.backend.builders import policy_config

EXAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "example.yml"
NOW = datetime.fromisoformat("2026-11-25T14:12:30-05:00")
MARIE = "marie.tremblay@exemple.ca"
LIMIT = 5
WINDOW = timedelta(minutes=15)


@pytest.fixture
def shop_at(session_factory, make_shop):
    """The example shop, with a clock stopped wherever the test says."""
    load_fixture_file(EXAMPLE, session_factory, FixedClock(NOW))
    return make_shop


def fail(shop, number: str, times: int) -> None:
    for attempt in range(times):
        assert shop.verify_identity(number, f"devine{attempt}@exemple.ca").verified is False


def stored_failures(session_factory) -> list[tuple[str, datetime]]:
    with unit_of_work(session_factory) as session:
        rows = session.query(IdentityCheckFailure).order_by(IdentityCheckFailure.id)
        return [(row.order_number, row.failed_at) for row in rows]


@pytest.mark.parametrize(("failures", "paused"), [(0, False), (4, False), (5, True), (9, True)])
def test_checks_pause_from_the_fifth_recent_failure(failures, paused):
    assert identity_checks_paused(failures, policy_config()) is paused


def test_four_failures_still_let_the_right_email_through(shop_at):
    shop = shop_at(NOW)
    fail(shop, "AZ104201", LIMIT - 1)

    assert shop.verify_identity("AZ104201", MARIE).verified is True


def test_after_five_failures_even_the_right_email_is_refused(shop_at):
    shop = shop_at(NOW)
    fail(shop, "AZ104201", LIMIT)

    check = shop.verify_identity("AZ104201", MARIE)

    assert (check.verified, check.reason) == (False, ReasonCode.IDENTITY_CHECKS_PAUSED)


def test_an_order_that_does_not_exist_is_paused_the_same_way(shop_at):
    shop = shop_at(NOW)
    fail(shop, "AZ104201", LIMIT)
    fail(shop, "AZ999999", LIMIT)

    existing = shop.verify_identity("AZ104201", MARIE)
    missing = shop.verify_identity("AZ999999", MARIE)

    assert (existing.verified, existing.reason) == (missing.verified, missing.reason)


def test_a_paused_order_number_leaves_the_other_orders_alone(shop_at):
    shop = shop_at(NOW)
    fail(shop, "AZ999999", LIMIT)

    assert shop.verify_identity("AZ104201", MARIE).verified is True


def test_checks_resume_once_the_oldest_failure_leaves_the_window(shop_at):
    fail(shop_at(NOW), "AZ104201", 1)
    fail(shop_at(NOW + timedelta(minutes=10)), "AZ104201", LIMIT - 1)

    still_paused = shop_at(NOW + WINDOW).verify_identity("AZ104201", MARIE)
    resumed = shop_at(NOW + WINDOW + timedelta(seconds=1)).verify_identity("AZ104201", MARIE)

    assert still_paused.reason is ReasonCode.IDENTITY_CHECKS_PAUSED
    assert resumed.verified is True


def test_a_refused_check_is_not_counted_so_the_pause_does_not_grow(shop_at, session_factory):
    shop = shop_at(NOW)
    fail(shop, "AZ104201", LIMIT)
    shop.verify_identity("AZ104201", "encore@exemple.ca")

    assert len(stored_failures(session_factory)) == LIMIT


def test_only_the_order_number_and_time_are_recorded_never_the_email(shop_at, session_factory):
    shop_at(NOW).verify_identity("az-104201", "intrus@exemple.ca")

    with unit_of_work(session_factory) as session:
        row = session.query(IdentityCheckFailure).one()
        columns = {column.name for column in IdentityCheckFailure.__table__.columns}
        assert (row.order_number, row.failed_at) == ("AZ104201", NOW)
    assert columns == {"id", "order_number", "failed_at"}


def test_failures_older_than_the_window_are_deleted_when_a_new_one_arrives(
    shop_at, session_factory
):
    fail(shop_at(NOW), "AZ999998", 2)
    later = NOW + WINDOW + timedelta(minutes=1)
    fail(shop_at(later), "AZ999999", 1)

    assert stored_failures(session_factory) == [("AZ999999", later)]


def test_malformed_input_and_successes_record_nothing(shop_at, session_factory):
    shop = shop_at(NOW)
    shop.verify_identity("AZ12", MARIE)
    shop.verify_identity("AZ104201", "marie")
    shop.verify_identity("AZ104201", MARIE)

    assert stored_failures(session_factory) == []


def test_a_dry_run_honours_the_pause_but_records_nothing(shop_at, session_factory):
    shop = shop_at(NOW)
    shop.verify_identity("AZ104201", "intrus@exemple.ca", dry_run=True)
    assert stored_failures(session_factory) == []

    fail(shop, "AZ104201", LIMIT)
    preview = shop.verify_identity("AZ104201", MARIE, dry_run=True)
    assert preview.reason is ReasonCode.IDENTITY_CHECKS_PAUSED
