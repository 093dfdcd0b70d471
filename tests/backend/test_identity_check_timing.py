"""A failed identity check takes the same work whether the number or the email was wrong.

Issue 13, defect 3: the action server's timing told whether an order number exists (median
3.38 ms for a wrong email against 2.58 ms for a wrong number): a wrong email loaded the whole
order, a wrong number nothing. The check now runs the same statements for both kinds of
failure and compares the emails in constant time. Statements are counted, not timed, so the
test does not depend on the machine's load.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import event

from backend.clock import FixedClock
from backend.fixtures import load_fixture_file

EXAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "example.yml"
NOW = datetime.fromisoformat("2026-11-25T14:12:30-05:00")
MARIE = "marie.tremblay@exemple.ca"


@pytest.fixture
def shop(session_factory, make_shop):
    load_fixture_file(EXAMPLE, session_factory, FixedClock(NOW))
    return make_shop(NOW)


def statements_of(engine, check) -> list[str]:
    """The SQL statements (without their parameters) that `check()` ran."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, _parameters, _context, _executemany) -> None:
        seen.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", record)
    try:
        check()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return seen


def test_a_wrong_number_and_a_wrong_email_run_the_same_statements(shop, engine):
    wrong_email = statements_of(engine, lambda: shop.verify_identity("AZ104201", "x@exemple.ca"))
    wrong_number = statements_of(engine, lambda: shop.verify_identity("AZ999991", MARIE))

    assert wrong_email == wrong_number
    assert not shop.verify_identity("AZ104201", "x@exemple.ca").verified


def test_the_right_pair_still_verifies_and_case_does_not_matter(shop):
    assert shop.verify_identity("AZ104201", MARIE).verified
    assert shop.verify_identity("az-104201", " Marie.Tremblay@Exemple.CA ").verified
