"""Train the Rasa model only when its inputs changed.

The model file is named after a fingerprint of everything that shapes it (config, domain,
training data, custom NLU components and the locked dependencies), so an unchanged project
reuses the file it already has and `make run` starts in seconds instead of retraining.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BOT_DIR = PROJECT_ROOT / "bot"
DEFAULT_MODELS_DIR = PROJECT_ROOT / "var" / "models"
MODEL_PREFIX = "allyzure-"
# Full logs of `make run` / `make run-prod` (training, every server): the terminal shows only
# what the person starting the assistant needs.
LOG_DIR = PROJECT_ROOT / "var" / "log"
TRAIN_LOG = LOG_DIR / "train.log"
FAILURE_TAIL_LINES = 40

# Warnings every start printed that say nothing about this project (~200 lines at the first
# start, issue 19): deprecations inside Rasa's dependencies (TensorFlow, sanic-cors,
# pkg_resources, pyparsing, apscheduler), SQLAlchemy 1.4's notice about 2.0 (Rasa pins 1.4),
# and Rasa's training-data notes about responses that the custom actions send (they are in
# no story or rule by design) and about the entities that our own extractor finds. Rasa and
# sanic put some of them back inside their own processes (`once` filters set at import), so
# `rasa train` and `rasa run` still write a few to their log files, never to the terminal.
KNOWN_WARNINGS = (
    "ignore::DeprecationWarning",
    "ignore::PendingDeprecationWarning",
    "ignore:The utterance:UserWarning",
    "ignore:You have defined training data consisting of entity examples:UserWarning",
)


def model_inputs(bot_dir: Path = BOT_DIR) -> list[Path]:
    """Files whose content decides the trained model, in a stable order."""
    fixed = [bot_dir / "config.yml", bot_dir / "domain.yml", PROJECT_ROOT / "uv.lock"]
    # bot/details/dev/ holds a development set of the rules, not training examples
    data = sorted((bot_dir / "data").rglob("*.yml")) + sorted((bot_dir / "details").glob("*.yml"))
    components = sorted((bot_dir / "components").rglob("*.py"))
    return [path for path in [*fixed, *data, *components] if path.is_file()]


def fingerprint(bot_dir: Path = BOT_DIR) -> str:
    digest = hashlib.sha256()
    for path in model_inputs(bot_dir):
        name = path.relative_to(bot_dir) if path.is_relative_to(bot_dir) else path.name
        digest.update(str(name).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def model_path(models_dir: Path = DEFAULT_MODELS_DIR, bot_dir: Path = BOT_DIR) -> Path:
    return models_dir / f"{MODEL_PREFIX}{fingerprint(bot_dir)}.tar.gz"


def rasa_environment() -> dict[str, str]:
    """Environment for every Rasa process: no telemetry, custom components importable."""
    env = dict(os.environ)
    env["RASA_TELEMETRY_ENABLED"] = "false"
    env["TF_CPP_MIN_LOG_LEVEL"] = env.get("TF_CPP_MIN_LOG_LEVEL", "2")
    env.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    env["PYTHONWARNINGS"] = ",".join(filter(None, [*KNOWN_WARNINGS, env.get("PYTHONWARNINGS")]))
    python_path = [str(PROJECT_ROOT), str(BOT_DIR)]
    if env.get("PYTHONPATH"):
        python_path.append(env["PYTHONPATH"])
    env["PYTHONPATH"] = os.pathsep.join(python_path)
    return env


def train(target: Path, bot_dir: Path = BOT_DIR) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable,
        "-m",
        "rasa",
        "train",
        "--config",
        str(bot_dir / "config.yml"),
        "--domain",
        str(bot_dir / "domain.yml"),
        "--data",
        str(bot_dir / "data"),
        "--out",
        str(target.parent),
        "--fixed-model-name",
        target.name.removesuffix(".tar.gz"),
    ]
    TRAIN_LOG.parent.mkdir(parents=True, exist_ok=True)
    with TRAIN_LOG.open("w") as log:
        result = subprocess.run(
            command, cwd=bot_dir, env=rasa_environment(), stdout=log, stderr=subprocess.STDOUT
        )
    if result.returncode != 0:
        tail = TRAIN_LOG.read_text(errors="replace").splitlines()[-FAILURE_TAIL_LINES:]
        print("\n".join(tail), file=sys.stderr)
        print(f"L’entraînement a échoué : journal complet dans {TRAIN_LOG}", file=sys.stderr)
        raise subprocess.CalledProcessError(result.returncode, command)
    if not target.is_file():
        raise RuntimeError(f"rasa train finished without writing {target} (see {TRAIN_LOG})")


def ensure_model(models_dir: Path = DEFAULT_MODELS_DIR, bot_dir: Path = BOT_DIR) -> Path:
    """Return the model for the current inputs, training it only if it does not exist yet."""
    target = model_path(models_dir, bot_dir)
    if target.is_file():
        print(f"Modèle à jour, réutilisé : {target}", flush=True)
        return target
    print(
        "Les données ou la configuration ont changé : entraînement du modèle "
        f"(journal dans {TRAIN_LOG})…",
        flush=True,
    )
    train(target, bot_dir)
    print(f"Modèle entraîné : {target}", flush=True)
    _remove_stale_models(models_dir, keep=target)
    return target


def _remove_stale_models(models_dir: Path, keep: Path, keep_count: int = 3) -> None:
    """Keep the few newest models (handy when switching branches), delete older ones."""
    models = sorted(models_dir.glob(f"{MODEL_PREFIX}*.tar.gz"), key=lambda p: p.stat().st_mtime)
    for old in [m for m in models if m != keep][: max(0, len(models) - keep_count)]:
        old.unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Train the Rasa model if it is stale.")
    parser.add_argument("--models-dir", type=Path, default=DEFAULT_MODELS_DIR)
    parser.add_argument("--print-path", action="store_true", help="print the path, train nothing")
    args = parser.parse_args(argv)
    if args.print_path:
        print(model_path(args.models_dir))
        return 0
    ensure_model(args.models_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
