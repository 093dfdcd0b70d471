from datetime import date, datetime

import pytest

from backend.clock import FixedClock, SystemClock, clock_from_settings
from backend.config import PROJECT_ROOT, Settings, load_settings
from backend.domain import SHOP_TZ


def test_default_database_is_a_sqlite_file_under_var():
    settings = load_settings({})

    assert settings.database_url == f"sqlite:///{PROJECT_ROOT / 'var' / 'allyzure.db'}"
    assert settings.now_override is None


def test_environment_sets_database_and_now():
    settings = load_settings(
        {
            "ALLYZURE_DATABASE_URL": "postgresql://shop@db/allyzure",
            "ALLYZURE_NOW": "2025-01-31T23:30:00-05:00",
        }
    )

    assert settings.database_url == "postgresql://shop@db/allyzure"
    assert settings.now_override == datetime.fromisoformat("2025-01-31T23:30:00-05:00")


@pytest.mark.parametrize("raw", ["2025-01-31T23:30:00", "demain", "2025-13-01T00:00:00Z"])
def test_now_without_offset_or_unparseable_is_refused(raw):
    with pytest.raises(ValueError, match="ALLYZURE_NOW"):
        load_settings({"ALLYZURE_NOW": raw})


def test_fixed_clock_gives_the_local_shop_date():
    # 03:00 UTC on 1 February is still 31 January in Toronto.
    clock = clock_from_settings(
        Settings("sqlite://", datetime.fromisoformat("2025-02-01T03:00:00+00:00"))
    )

    assert isinstance(clock, FixedClock)
    assert clock.today() == date(2025, 1, 31)
    assert clock.now().tzinfo == SHOP_TZ


def test_system_clock_is_used_without_override():
    clock = clock_from_settings(Settings("sqlite://"))

    assert isinstance(clock, SystemClock)
    assert clock.now().tzinfo is not None
