"""The model is retrained only when what shapes it changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tools import model
from tools.model import BOT_DIR, ensure_model, fingerprint, model_path


@pytest.fixture
def bot_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "bot"
    shutil.copytree(BOT_DIR, copy, ignore=shutil.ignore_patterns("__pycache__", ".rasa"))
    return copy


def test_fingerprint_is_stable_when_nothing_changed(bot_copy):
    assert fingerprint(bot_copy) == fingerprint(bot_copy)
    assert fingerprint(bot_copy) == fingerprint(BOT_DIR)


@pytest.mark.parametrize("changed_file", ["config.yml", "domain.yml", "data/rules.yml"])
def test_fingerprint_changes_when_training_inputs_change(bot_copy, changed_file):
    before = fingerprint(bot_copy)
    with (bot_copy / changed_file).open("a") as handle:
        handle.write("\n# changed\n")

    assert fingerprint(bot_copy) != before


def test_fingerprint_ignores_files_that_do_not_shape_the_model(bot_copy):
    before = fingerprint(bot_copy)
    (bot_copy / "actions" / "notes.txt").write_text("not a training input")

    assert fingerprint(bot_copy) == before


def test_existing_model_is_reused_without_training(bot_copy, tmp_path, monkeypatch):
    models_dir = tmp_path / "models"
    existing = model_path(models_dir, bot_copy)
    existing.parent.mkdir(parents=True)
    existing.write_bytes(b"model")

    def fail_if_called(*args, **kwargs):
        raise AssertionError("the model was retrained although nothing changed")

    monkeypatch.setattr(model, "train", fail_if_called)

    assert ensure_model(models_dir, bot_copy) == existing
    assert existing.read_bytes() == b"model"


def test_the_session_model_is_reused_by_a_second_run(trained_model):
    modified_before = trained_model.stat().st_mtime_ns

    assert ensure_model(trained_model.parent) == trained_model
    assert trained_model.stat().st_mtime_ns == modified_before
