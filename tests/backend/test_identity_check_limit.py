"""Failed identity checks are limited per order number across conversations (policy.yml)."""

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from backend.clock import FixedClock
from backend.db import unit_of_work
from backend.fixtures import load_fixture_file
from backend.identity import failure_digest
from backend.models import IdentityCheckFailure
from backend.policies import (
    ReasonCode,
    RecentFailures,
    identity_check_refused,
    identity_checks_paused,
)
from tests.backend.builders import policy_config

EXAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "example.yml"
DEMO = Path(__file__).resolve().parents[2] / "backend" / "fixture_data" / "demo.yml"
NOW = datetime.fromisoformat("2026-11-25T14:12:30-05:00")
MARIE = "marie.tremblay@exemple.ca"
LIMIT = 5
WINDOW = timedelta(minutes=15)
EMAIL_WINDOW = CLIENT_WINDOW = timedelta(minutes=60)
EMAIL_LIMIT, CLIENT_LIMIT = 5, 20
JEAN = "jdupont@exemple.fr"


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


def test_the_email_is_never_recorded_only_a_digest(shop_at, session_factory):
    shop_at(NOW).verify_identity("az-104201", "intrus@exemple.ca", client="client-a")

    with unit_of_work(session_factory) as session:
        row = session.query(IdentityCheckFailure).one()
        stored = [str(getattr(row, column.name)) for column in row.__table__.columns]
        assert (row.order_number, row.failed_at) == ("AZ104201", NOW)
    assert not any("intrus" in value or "client-a" in value for value in stored)
    assert row.email_digest == failure_digest("email", "intrus@exemple.ca")
    assert row.client_digest == failure_digest("client", "client-a")


def test_failures_older_than_the_window_are_deleted_when_a_new_one_arrives(
    shop_at, session_factory
):
    fail(shop_at(NOW), "AZ999998", 2)
    later = NOW + EMAIL_WINDOW + timedelta(minutes=1)  # the longest window
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


# Per email and per client (issue 13, defect 6)


@pytest.fixture
def demo_shop_at(session_factory, make_shop):
    """The demo shop of `make run`, where the issue's sweep was run."""
    load_fixture_file(DEMO, session_factory, FixedClock(NOW))
    return make_shop


def sweep(shop, email: str, numbers: range, client: str | None = None) -> list[str]:
    """Try `email` with each order number, as new conversations would; the numbers verified."""
    found = []
    for number in numbers:
        if shop.verify_identity(f"AZ{number}", email, client=client).verified:
            found.append(f"AZ{number}")
    return found


def test_the_issue_sweep_of_az104195_to_az104210_with_one_known_email_finds_nothing(
    demo_shop_at,
):
    """Before: « sweeping AZ104195–AZ104210 found both of that customer's orders »."""
    shop = demo_shop_at(NOW)

    found = sweep(shop, JEAN, range(104195, 104211))

    assert found == []
    assert shop.verify_identity("AZ104206", JEAN).reason is ReasonCode.IDENTITY_CHECKS_PAUSED


def test_the_sweep_stops_at_the_email_limit_whatever_the_clients(demo_shop_at):
    shop = demo_shop_at(NOW)
    for attempt, number in enumerate(range(104190, 104190 + EMAIL_LIMIT)):
        shop.verify_identity(f"AZ{number}", JEAN, client=f"client-{attempt}")

    check = shop.verify_identity("AZ104206", JEAN, client="client-new")

    assert check.reason is ReasonCode.IDENTITY_CHECKS_PAUSED


def test_four_email_failures_still_let_the_right_order_through(demo_shop_at):
    shop = demo_shop_at(NOW)
    sweep(shop, JEAN, range(104190, 104190 + EMAIL_LIMIT - 1))

    assert shop.verify_identity("AZ104206", JEAN).verified is True


def test_a_paused_email_leaves_other_customers_alone(demo_shop_at):
    shop = demo_shop_at(NOW)
    sweep(shop, JEAN, range(104190, 104200))

    assert shop.verify_identity("AZ104201", MARIE).verified is True


def test_a_success_does_not_buy_new_tries_for_the_email(demo_shop_at):
    shop = demo_shop_at(NOW)
    sweep(shop, JEAN, range(104190, 104190 + EMAIL_LIMIT - 1))
    assert shop.verify_identity("AZ104206", JEAN).verified is True
    sweep(shop, JEAN, range(104180, 104181))

    assert shop.verify_identity("AZ104206", JEAN).reason is ReasonCode.IDENTITY_CHECKS_PAUSED


def test_the_email_is_counted_as_normalised(demo_shop_at):
    shop = demo_shop_at(NOW)
    for number, spelling in zip(
        range(104190, 104195), ["JDupont@Exemple.fr", " jdupont@exemple.fr "] * 3, strict=False
    ):
        shop.verify_identity(f"AZ{number}", spelling)

    assert shop.verify_identity("AZ104206", JEAN).reason is ReasonCode.IDENTITY_CHECKS_PAUSED


def test_email_checks_resume_once_the_failures_leave_the_hour(demo_shop_at):
    sweep(demo_shop_at(NOW), JEAN, range(104190, 104190 + EMAIL_LIMIT))

    still_paused = demo_shop_at(NOW + EMAIL_WINDOW).verify_identity("AZ104206", JEAN)
    resumed = demo_shop_at(NOW + EMAIL_WINDOW + timedelta(seconds=1)).verify_identity(
        "AZ104206", JEAN
    )

    assert still_paused.reason is ReasonCode.IDENTITY_CHECKS_PAUSED
    assert resumed.verified is True


def test_one_client_trying_many_pairs_is_paused_at_its_limit(demo_shop_at):
    shop = demo_shop_at(NOW)
    for attempt in range(CLIENT_LIMIT):  # each pair new: no order or email limit is reached
        shop.verify_identity(f"AZ9{attempt:05d}", f"devine{attempt}@exemple.ca", client="1.2.3.4")

    same_client = shop.verify_identity("AZ104206", JEAN, client="1.2.3.4")
    other_client = shop.verify_identity("AZ104206", JEAN, client="5.6.7.8")

    assert same_client.reason is ReasonCode.IDENTITY_CHECKS_PAUSED
    assert other_client.verified is True


def test_a_check_without_a_client_is_limited_by_order_and_email_only(demo_shop_at):
    shop = demo_shop_at(NOW)
    for attempt in range(CLIENT_LIMIT):
        shop.verify_identity(f"AZ9{attempt:05d}", f"devine{attempt}@exemple.ca")

    assert shop.verify_identity("AZ104206", JEAN).verified is True


@pytest.mark.parametrize(
    ("order", "email", "client", "refused"),
    [(4, 4, 19, False), (5, 0, 0, True), (0, 5, 0, True), (0, 0, 20, True)],
)
def test_a_check_is_refused_when_any_count_is_at_its_limit(order, email, client, refused):
    recent = RecentFailures(order_number=order, email=email, client=client)

    assert identity_check_refused(recent, policy_config()) is refused
