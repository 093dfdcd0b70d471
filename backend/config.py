"""Settings read from the environment (docs/design.md §3), only when asked for."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL_VARIABLE = "ALLYZURE_DATABASE_URL"
NOW_VARIABLE = "ALLYZURE_NOW"


def default_database_url() -> str:
    return f"sqlite:///{PROJECT_ROOT / 'var' / 'allyzure.db'}"


@dataclass(frozen=True)
class Settings:
    database_url: str
    now_override: datetime | None = None


def load_settings(environ: Mapping[str, str] = os.environ) -> Settings:
    """Build the settings from `environ`; raises ValueError on a malformed ALLYZURE_NOW."""
    return Settings(
        database_url=environ.get(DATABASE_URL_VARIABLE) or default_database_url(),
        now_override=_parse_now(environ.get(NOW_VARIABLE)),
    )


def _parse_now(raw: str | None) -> datetime | None:
    if not raw:
        return None
    try:
        moment = datetime.fromisoformat(raw.strip())
    except ValueError as error:
        raise ValueError(f"{NOW_VARIABLE}: not an ISO-8601 date-time: {raw!r}") from error
    if moment.tzinfo is None:
        raise ValueError(f"{NOW_VARIABLE}: the date-time needs a UTC offset: {raw!r}")
    return moment
