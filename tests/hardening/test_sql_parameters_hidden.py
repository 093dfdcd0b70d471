"""A failed SQL statement never carries the customer's data into an error or a log (issue 13,
defect 8: a street address was logged at ERROR when a write failed, in SQLAlchemy's
"[parameters: …]" part of the exception)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from backend.db import make_engine
from server.tracker_store import engine_kwargs

ADDRESS = "4500 rue Saint-Denis, Montréal QC H2J 2L3"


def failed_insert(engine: sa.engine.Engine) -> str:
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE t (address TEXT UNIQUE)"))
        connection.execute(sa.text("INSERT INTO t VALUES (:a)"), {"a": ADDRESS})
    with pytest.raises(sa.exc.IntegrityError) as error, engine.begin() as connection:
        connection.execute(sa.text("INSERT INTO t VALUES (:a)"), {"a": ADDRESS})
    return str(error.value)


def test_the_shop_database_engine_hides_the_parameters_of_a_failed_write(tmp_path):
    message = failed_insert(make_engine(f"sqlite:///{tmp_path / 'shop.db'}"))

    assert "UNIQUE" in message  # the error itself is still explained
    assert ADDRESS not in message and "Saint-Denis" not in message


def test_a_conversation_store_engine_hides_a_failed_write(tmp_path):
    url = sa.engine.make_url(f"sqlite:///{tmp_path / 'tracker.db'}")

    message = failed_insert(sa.create_engine(url, **engine_kwargs(url)))

    assert "UNIQUE" in message
    assert ADDRESS not in message
