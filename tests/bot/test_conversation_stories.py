"""Rasa's conversation tests (bot/tests/) pass with --fail-on-prediction-errors."""

from __future__ import annotations

import subprocess
import sys

from tools.model import BOT_DIR, rasa_environment


def test_conversation_stories_are_predicted_without_error(trained_model, tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "rasa",
            "test",
            "core",
            "--model",
            str(trained_model),
            "--stories",
            str(BOT_DIR / "tests"),
            "--fail-on-prediction-errors",
            "--out",
            str(tmp_path),
            "--no-plot",
        ],
        cwd=BOT_DIR,
        env=rasa_environment(),
        capture_output=True,
        text=True,
        timeout=900,
    )

    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
