"""Rasa's own consistency checks of the domain, rules, stories and NLU data."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tools.model import BOT_DIR, rasa_environment


@pytest.mark.slow  # a separate process or a spaCy model: make test only
def test_rasa_data_validate_passes():
    result = subprocess.run(
        [sys.executable, "-m", "rasa", "data", "validate", "--max-history", "5"],
        cwd=BOT_DIR,
        env=rasa_environment(),
        capture_output=True,
        text=True,
        timeout=600,
    )

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "conflict" not in result.stdout.lower().replace("no story structure conflicts", "")
