"""The databases and secrets under var/ are readable by their owner only (issue 13, defect 9:
var/allyzure.db and var/tracker.db were 0644)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from backend.db import make_engine

pytestmark = pytest.mark.slow


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_running_stacks_databases_are_owner_only(assistant):
    assistant.send("file-modes", "Bonjour")  # both databases written to
    shop = Path(assistant.database_url.removeprefix("sqlite:///"))
    tracker = assistant.stack.config.tracker_db

    files = [
        path
        for db in (shop, tracker)
        for path in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm"))
        if path.exists()
    ]
    assert shop in files and tracker in files
    assert {str(path): mode(path) for path in files} == {str(path): 0o600 for path in files}


def test_an_existing_world_readable_database_is_narrowed(tmp_path):
    database = tmp_path / "allyzure.db"
    database.touch(mode=0o644)
    database.chmod(0o644)

    make_engine(f"sqlite:///{database}")

    assert mode(database) == 0o600
