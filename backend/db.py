"""Engine and session factories, and the unit of work used by the services.

Write transactions (`begin_write`) are serialised per order by the services: they lock the
order's row with SELECT … FOR UPDATE, which PostgreSQL honours. SQLite has no row locks and
ignores FOR UPDATE, so there a write transaction starts with BEGIN IMMEDIATE: it takes the
database's single writer lock before its first read, and a second writer waits (busy
timeout) until the first has committed, then reads what the first wrote. Other
transactions keep the driver's default deferred BEGIN.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.engine import create_engine as sqlalchemy_create_engine
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

# Execution option marking a connection whose transaction will write (see begin_write).
WRITE_TRANSACTION = "allyzure_write_transaction"
# Connections kept open to a SQLite file, and how many more a burst may open (closed after).
SQLITE_POOL_SIZE = 5
SQLITE_POOL_OVERFLOW = 10


def make_engine(url: str, **options) -> Engine:
    """Create an engine; a SQLite file's directory is created and foreign keys are enforced.

    SQL errors never carry their parameters (`hide_parameters`): a failed write's exception,
    logged, would show the customer's address or email.
    """
    options.setdefault("hide_parameters", True)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        _ensure_sqlite_directory(parsed.database)
        if _is_sqlite_file(parsed.database):
            options = {**sqlite_file_pool_options(), **options}
        engine = sqlalchemy_create_engine(url, future=True, **options)
        event.listen(engine, "connect", _enable_sqlite_foreign_keys)
        event.listen(engine, "begin", _begin_sqlite_writers_immediately)
        return engine
    return sqlalchemy_create_engine(url, future=True, pool_pre_ping=True, **options)


def make_session_factory(engine: Engine) -> sessionmaker:
    # expire_on_commit=False: results built inside a unit of work stay readable after it.
    return sessionmaker(bind=engine, future=True, expire_on_commit=False)


def begin_write(session: Session) -> None:
    """Start `session`'s transaction as a writer; call it before the session's first query.

    On SQLite the transaction begins with BEGIN IMMEDIATE (see the module docstring); on
    PostgreSQL it is an ordinary transaction, whose row locks do the serialising.
    """
    if session.in_transaction():
        raise RuntimeError("begin_write() must start the session's transaction")
    session.connection(execution_options={WRITE_TRANSACTION: True})


@contextmanager
def unit_of_work(
    session_factory: sessionmaker, *, write: bool = False, dry_run: bool = False
) -> Iterator[Session]:
    """One transaction: committed when the block succeeds, rolled back when it raises.

    `write`: begun as a writer (`begin_write`), for a block that decides and then writes.
    `dry_run`: always rolled back, whatever the block did (the agent preview's use cases).
    """
    session = session_factory()
    try:
        if write:
            begin_write(session)
        yield session
        if dry_run:
            session.rollback()
        else:
            session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def sqlite_file_pool_options() -> dict[str, Any]:
    """Pooled connections for a SQLite file, which SQLAlchemy 1.4 opens and closes per unit
    of work (NullPool): each look-up then paid the connection, its PRAGMA and SQLite's
    reading of the schema again (about half a look-up's CPU time). A pooled connection is
    used by one session at a time, in whichever thread the action server runs it; the pool
    resets (rolls back) it when the session gives it back."""
    return {
        "poolclass": QueuePool,
        "pool_size": SQLITE_POOL_SIZE,
        "max_overflow": SQLITE_POOL_OVERFLOW,
        "connect_args": {"check_same_thread": False},
    }


def _is_sqlite_file(database: str | None) -> bool:
    return bool(database) and database != ":memory:" and not str(database).startswith("file:")


def _ensure_sqlite_directory(database: str | None) -> None:
    if database and _is_sqlite_file(database):
        Path(database).parent.mkdir(parents=True, exist_ok=True)
        private_sqlite_file(Path(database))


def private_sqlite_file(path: Path) -> None:
    """The database file (and its journals) readable by its owner only: it holds customers'
    names, emails and addresses. Created that way, or narrowed if it already exists; SQLite
    gives its -wal and -shm files the database file's mode."""
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    for file in (path, *(path.with_name(path.name + s) for s in ("-wal", "-shm", "-journal"))):
        if file.exists() and file.stat().st_mode & 0o077:
            file.chmod(0o600)


def _enable_sqlite_foreign_keys(dbapi_connection, _connection_record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _begin_sqlite_writers_immediately(connection) -> None:
    """SQLite: a write transaction takes the writer lock at BEGIN, not at its first write.

    pysqlite (legacy transaction control) only begins implicitly before a data-changing
    statement and never once a transaction is open, so an explicit BEGIN IMMEDIATE here
    opens the transaction that SQLAlchemy then commits or rolls back. Deferred transactions
    are left to the driver, as before.
    """
    if connection.get_execution_options().get(WRITE_TRANSACTION):
        connection.exec_driver_sql("BEGIN IMMEDIATE")
