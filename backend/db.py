"""Engine and session factories, and the unit of work used by the services."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.engine import create_engine as sqlalchemy_create_engine
from sqlalchemy.orm import Session, sessionmaker


def make_engine(url: str, **options) -> Engine:
    """Create an engine; a SQLite file's directory is created and foreign keys are enforced."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        _ensure_sqlite_directory(parsed.database)
        engine = sqlalchemy_create_engine(url, future=True, **options)
        event.listen(engine, "connect", _enable_sqlite_foreign_keys)
        return engine
    return sqlalchemy_create_engine(url, future=True, pool_pre_ping=True, **options)


def make_session_factory(engine: Engine) -> sessionmaker:
    # expire_on_commit=False: results built inside a unit of work stay readable after it.
    return sessionmaker(bind=engine, future=True, expire_on_commit=False)


@contextmanager
def unit_of_work(session_factory: sessionmaker) -> Iterator[Session]:
    """One transaction: committed when the block succeeds, rolled back when it raises."""
    session = session_factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def _ensure_sqlite_directory(database: str | None) -> None:
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).parent.mkdir(parents=True, exist_ok=True)


def _enable_sqlite_foreign_keys(dbapi_connection, _connection_record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
