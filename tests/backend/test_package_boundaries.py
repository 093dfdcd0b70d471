import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow  # a separate process or a spaCy model: make test only
def test_backend_imports_neither_rasa_nor_creates_anything_at_import_time(tmp_path):
    script = (
        "import sys, backend.services, backend.fixtures, backend.formatting, backend.__main__\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('rasa', 'rasa_sdk'))\n"
        "print(loaded)\n"
    )
    database = tmp_path / "never.db"
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=PROJECT_ROOT,
        env={"ALLYZURE_DATABASE_URL": f"sqlite:///{database}", "PATH": ""},
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
    assert not database.exists()
