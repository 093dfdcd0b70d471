"""Evaluate the French NLU on the held-out test set, beside a plain scikit-learn baseline.

`make eval-nlu` writes reports/nlu/: details.json and details_errors.json (the detail set;
one such pair per tests/nlu/details/details*.yml, tools/details_eval.py), metrics.json (per
intent precision/recall/F1, macro-F1, out-of-scope rejection, in-scope accuracy, entity F1,
in-process and HTTP parse latency, baseline figures), errors.json (every misclassified
message), confusion_matrix.png and confidence_histogram.png.
The pytest gate (tests/nlu/test_nlu_quality.py) uses the same functions.
`python -m tools.nlu_eval --latency-only` gives the HTTP parse latency alone (a minute, not
the whole evaluation), to compare a change before and after.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from tools.details_eval import evaluate_all_details, print_details, write_details_report
from tools.model import BOT_DIR, DEFAULT_MODELS_DIR, PROJECT_ROOT, ensure_model, rasa_environment

TEST_SET = PROJECT_ROOT / "tests" / "nlu" / "test_set.yml"
# Messages as real customers type them (situations, SMS, regional French), written blind to
# the training data: scored apart, so the typical set's figures do not hide them.
REALISTIC_SET = PROJECT_ROOT / "tests" / "nlu" / "realistic_set.yml"
TRAINING_DATA = BOT_DIR / "data" / "nlu.yml"
REPORT_DIR = PROJECT_ROOT / "reports" / "nlu"
OUT_OF_SCOPE = "out_of_scope"
FALLBACK = "nlu_fallback"
ENTITY_TYPES = ("order_number", "email", "promo_code")


@dataclass(frozen=True)
class Example:
    text: str
    intent: str
    entities: frozenset[tuple[str, str]] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Prediction:
    intent: str
    confidence: float
    entities: frozenset[tuple[str, str]] = field(default_factory=frozenset)


def normalise_entity(entity: str, surface: str) -> str:
    """Canonical value of an annotated span, as the extractor should return it."""
    if entity == "order_number":
        return "AZ" + "".join(ch for ch in surface if ch.isdigit())
    if entity == "email":
        return surface.lower()
    return surface.upper()


def load_examples(path: Path) -> list[Example]:
    """Intent examples of one NLU file, or of every NLU file under a folder."""
    from rasa.shared.data import is_nlu_file
    from rasa.shared.nlu.training_data.loading import load_data

    files = [path] if path.is_file() else [f for f in sorted(path.rglob("*.yml")) if is_nlu_file(f)]
    return [example for file in files for example in _file_examples(load_data(str(file)))]


def _file_examples(data) -> list[Example]:
    return [
        Example(
            text=message.get("text"),
            intent=message.get("intent"),
            entities=frozenset(
                (e["entity"], normalise_entity(e["entity"], e["value"]))
                for e in message.get("entities") or []
                if e["entity"] in ENTITY_TYPES
            ),
        )
        for message in data.intent_examples
    ]


def predict_with_model(model: Path, texts: list[str]) -> tuple[list[Prediction], list[float]]:
    """Parse every text with the trained Rasa model; also return each parse time in ms."""
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    logging.getLogger("rasa").setLevel(logging.WARNING)
    configure_structlog(logging.WARNING)
    if str(BOT_DIR) not in sys.path:  # the model refers to the bot's custom components
        sys.path.insert(0, str(BOT_DIR))
    agent = Agent.load(str(model))

    async def parse_all() -> tuple[list[Prediction], list[float]]:
        predictions, latencies = [], []
        for text in texts:
            started = time.perf_counter()
            parsed = await agent.parse_message(text)
            latencies.append((time.perf_counter() - started) * 1000)
            predictions.append(
                Prediction(
                    intent=parsed["intent"]["name"],
                    confidence=float(parsed["intent"]["confidence"]),
                    entities=frozenset(
                        (e["entity"], str(e["value"]))
                        for e in parsed.get("entities", [])
                        if e["entity"] in ENTITY_TYPES
                    ),
                )
            )
        return predictions, latencies

    return asyncio.run(parse_all())


def http_parse_latency(model: Path, texts: list[str], warm_up: int = 20) -> dict:
    """Sequential POST /model/parse against `rasa run --enable-api`: what a caller waits.

    The server runs from an empty folder with one of the project's channels (the REST one, no
    endpoints: parsing needs none), so that it is the product's server: the channel installs
    the changes made to Rasa's functions (server/patches.py) and the HTTP guard's checks, the
    rate limit off as in the benchmark. It is warmed up with a few messages, then gets every
    text once; it is stopped afterwards.
    """
    import tempfile

    from tools.launcher import Service, free_port

    port, token = free_port(), "nlu-eval"
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as workdir:
        credentials = Path(workdir) / "credentials.yml"
        credentials.write_text("server.channels.rest.RestInput:\n", encoding="utf-8")
        server = Service(
            name="rasa",
            command=[
                sys.executable,
                "-m",
                "rasa",
                "run",
                "--model",
                str(model.resolve()),
                "--enable-api",
                "--port",
                str(port),
                f"--auth-token={token}",
                "--credentials",
                str(credentials),
            ],
            health_url=f"{url}/status?token={token}",
            cwd=Path(workdir),
            env={**rasa_environment(), "ALLYZURE_RATE_LIMIT_PER_MINUTE": "0"},
            log=subprocess.DEVNULL,
        )
        server.start()
        try:
            server.wait_until_ready()
            latencies = _timed_parses(f"{url}/model/parse?token={token}", texts, warm_up)
        finally:
            server.stop()
    return {
        "p50": percentile(latencies, 50),
        "p95": percentile(latencies, 95),
        "p99": percentile(latencies, 99),
        "messages": len(latencies),
        "note": "rasa run --enable-api with the project's REST channel (its Rasa patches), "
        "POST /model/parse, one client, sequential",
    }


def _timed_parses(parse_url: str, texts: list[str], warm_up: int) -> list[float]:
    import requests

    latencies = []
    with requests.Session() as session:
        for index, text in enumerate([*texts[:warm_up], *texts]):
            started = time.perf_counter()
            session.post(parse_url, json={"text": text}, timeout=30).raise_for_status()
            if index >= warm_up:
                latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def baseline_predictions(train: list[Example], texts: list[str]) -> list[Prediction]:
    """TF-IDF (char 2–5 + word 1–2 n-grams) + logistic regression: the peer baseline."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    classifier = make_pipeline(
        make_union(
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
            TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True),
        ),
        LogisticRegression(max_iter=2000, C=10),
    )
    classifier.fit([e.text.lower() for e in train], [e.intent for e in train])
    probabilities = classifier.predict_proba([t.lower() for t in texts])
    labels = classifier.classes_
    return [
        Prediction(intent=labels[row.argmax()], confidence=float(row.max()))
        for row in probabilities
    ]


def as_scope_label(intent: str) -> str:
    return OUT_OF_SCOPE if intent == FALLBACK else intent


def intent_metrics(gold: list[Example], predicted: list[Prediction]) -> dict:
    from sklearn.metrics import precision_recall_fscore_support

    y_true = [e.intent for e in gold]
    y_pred = [as_scope_label(p.intent) for p in predicted]
    labels = sorted(set(y_true))
    precision, recall, f1, support = precision_recall_fscore_support(
        y_true, y_pred, labels=labels, zero_division=0
    )
    out_of_scope = [p for e, p in zip(y_true, y_pred, strict=True) if e == OUT_OF_SCOPE]
    in_scope = [(e, p) for e, p in zip(y_true, y_pred, strict=True) if e != OUT_OF_SCOPE]
    return {
        "macro_f1": round(float(statistics.fmean(f1)), 4),
        "accuracy": round(
            sum(t == p for t, p in zip(y_true, y_pred, strict=True)) / len(y_true), 4
        ),
        "out_of_scope_rejection": round(
            sum(p == OUT_OF_SCOPE for p in out_of_scope) / max(1, len(out_of_scope)), 4
        ),
        "in_scope_accuracy": round(sum(t == p for t, p in in_scope) / max(1, len(in_scope)), 4),
        "in_scope_rejected": round(
            sum(p == OUT_OF_SCOPE for _, p in in_scope) / max(1, len(in_scope)), 4
        ),
        "per_intent": {
            label: {
                "precision": round(float(p), 4),
                "recall": round(float(r), 4),
                "f1": round(float(f), 4),
                "support": int(s),
            }
            for label, p, r, f, s in zip(labels, precision, recall, f1, support, strict=True)
        },
    }


def entity_metrics(gold: list[Example], predicted: list[Prediction]) -> dict:
    """Exact-value F1 per entity type over (message, entity, value) triples."""
    result = {}
    for entity_type in ENTITY_TYPES:
        tp = fp = fn = 0
        for example, prediction in zip(gold, predicted, strict=True):
            expected = {e for e in example.entities if e[0] == entity_type}
            found = {e for e in prediction.entities if e[0] == entity_type}
            tp, fp, fn = (
                tp + len(expected & found),
                fp + len(found - expected),
                fn + len(expected - found),
            )
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        result[entity_type] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "support": tp + fn,
        }
    return result


def worst_confusions(gold: list[Example], predicted: list[Prediction], top: int = 10) -> list:
    pairs = Counter(
        (e.intent, as_scope_label(p.intent))
        for e, p in zip(gold, predicted, strict=True)
        if e.intent != as_scope_label(p.intent)
    )
    return [
        {
            "expected": expected,
            "predicted": got,
            "count": count,
            "examples": [
                e.text
                for e, p in zip(gold, predicted, strict=True)
                if e.intent == expected and as_scope_label(p.intent) == got
            ][:3],
        }
        for (expected, got), count in pairs.most_common(top)
    ]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return round(ordered[index], 2)


def plot_confusion_matrix(gold: list[Example], predicted: list[Prediction], target: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import ConfusionMatrixDisplay

    labels = sorted({e.intent for e in gold})
    figure, axes = plt.subplots(figsize=(14, 12))
    ConfusionMatrixDisplay.from_predictions(
        [e.intent for e in gold],
        [as_scope_label(p.intent) for p in predicted],
        labels=labels,
        ax=axes,
        xticks_rotation="vertical",
        colorbar=False,
    )
    axes.set_title("Matrice de confusion — jeu de test réservé")
    figure.tight_layout()
    figure.savefig(target, dpi=90)
    plt.close(figure)


def plot_confidence_histogram(
    gold: list[Example], predicted: list[Prediction], threshold: float, target: Path
) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    correct = [
        p.confidence
        for e, p in zip(gold, predicted, strict=True)
        if e.intent == as_scope_label(p.intent)
    ]
    wrong = [
        p.confidence
        for e, p in zip(gold, predicted, strict=True)
        if e.intent != as_scope_label(p.intent)
    ]
    figure, axes = plt.subplots(figsize=(9, 5))
    axes.hist([correct, wrong], bins=20, range=(0, 1), label=["correct", "erreur"], stacked=True)
    axes.axvline(threshold, color="black", linestyle="--", label=f"seuil de repli {threshold}")
    axes.set_xlabel("confiance de l’intention prédite")
    axes.set_ylabel("messages")
    axes.legend()
    figure.tight_layout()
    figure.savefig(target, dpi=90)
    plt.close(figure)


def fallback_threshold() -> float:
    import yaml

    config = yaml.safe_load((BOT_DIR / "config.yml").read_text())
    for component in config["pipeline"]:
        if component["name"] == "FallbackClassifier":
            return float(component["threshold"])
    return 0.0


def evaluate(model: Path, http_latency: bool = False) -> dict:
    train = load_examples(TRAINING_DATA)
    test = load_examples(TEST_SET)
    texts = [e.text for e in test]
    predicted, latencies = predict_with_model(model, texts)
    http = {"latency_http": http_parse_latency(model, texts)} if http_latency else {}
    started = time.perf_counter()
    baseline = baseline_predictions(train, texts)
    baseline_seconds = time.perf_counter() - started
    return {
        "model": model.name,
        "training_examples": len(train),
        "test_examples": len(test),
        "assistant": {
            **intent_metrics(test, predicted),
            "entities": entity_metrics(test, predicted),
            "parse_latency_ms": {
                "p50": percentile(latencies, 50),
                "p95": percentile(latencies, 95),
                "p99": percentile(latencies, 99),
                "note": "in-process Agent.parse_message, sequential",
            },
            **http,
            "worst_confusions": worst_confusions(test, predicted),
        },
        "baseline_tfidf_logreg": {
            **intent_metrics(test, baseline),
            "train_and_predict_seconds": round(baseline_seconds, 1),
        },
        "_predictions": (test, predicted),
    }


def misclassified(gold: list[Example], predicted: list[Prediction]) -> list[dict]:
    """The messages whose predicted intent (a fallback counting as out of scope) is wrong."""
    return [
        {
            "text": e.text,
            "expected": e.intent,
            "predicted": p.intent,
            "confidence": round(p.confidence, 3),
        }
        for e, p in zip(gold, predicted, strict=True)
        if e.intent != as_scope_label(p.intent)
    ]


def evaluate_realistic(model: Path, path: Path = REALISTIC_SET) -> dict:
    """Intent figures of the trained model on the realistic set; a message the assistant
    could not place (fallback) counts as out of scope, so as an error for an in-scope one."""
    test = load_examples(path)
    predicted, _ = predict_with_model(model, [e.text for e in test])
    errors = misclassified(test, predicted)
    return {
        "test_set": str(path.relative_to(PROJECT_ROOT)),
        "test_examples": len(test),
        **intent_metrics(test, predicted),
        "errors": errors,
    }


def cross_validate(folds: int, report_dir: Path) -> dict:
    """Rasa's own k-fold cross-validation of the NLU pipeline on the training data."""
    out = report_dir / "cross_validation"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "rasa",
            "test",
            "nlu",
            "--nlu",
            str(TRAINING_DATA),
            "--config",
            str(BOT_DIR / "config.yml"),
            "--cross-validation",
            "--folds",
            str(folds),
            "--out",
            str(out),
            "--no-plot",
        ],
        cwd=BOT_DIR,
        env=rasa_environment(),
        check=True,
    )
    report = json.loads((out / "intent_report.json").read_text())
    return {
        "folds": folds,
        "macro_f1": round(report["macro avg"]["f1-score"], 4),
        "accuracy": round(report.get("accuracy", 0.0), 4),
    }


def write_report(result: dict, report_dir: Path, threshold: float) -> None:
    report_dir.mkdir(parents=True, exist_ok=True)
    test, predicted = result.pop("_predictions")
    errors = misclassified(test, predicted)
    (report_dir / "metrics.json").write_text(
        json.dumps(result, indent=2, ensure_ascii=False) + "\n"
    )
    (report_dir / "errors.json").write_text(json.dumps(errors, indent=2, ensure_ascii=False) + "\n")
    plot_confusion_matrix(test, predicted, report_dir / "confusion_matrix.png")
    plot_confidence_histogram(test, predicted, threshold, report_dir / "confidence_histogram.png")


def print_summary(result: dict) -> None:
    rows = [("assistant", result["assistant"]), ("baseline", result["baseline_tfidf_logreg"])]
    print(f"{'':10} {'macro-F1':>9} {'OOS rej.':>9} {'in-scope':>9}")
    for name, metrics in rows:
        print(
            f"{name:10} {metrics['macro_f1']:>9.3f} {metrics['out_of_scope_rejection']:>9.3f} "
            f"{metrics['in_scope_accuracy']:>9.3f}"
        )
    print("entities:", json.dumps(result["assistant"]["entities"]))
    print("parse latency:", json.dumps(result["assistant"]["parse_latency_ms"]))
    print("HTTP /model/parse latency:", json.dumps(result["assistant"]["latency_http"]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Evaluate the NLU on the held-out test set.")
    parser.add_argument("--report-dir", type=Path, default=REPORT_DIR)
    parser.add_argument("--cv-folds", type=int, default=5, help="0 skips cross-validation")
    parser.add_argument(
        "--latency-only",
        action="store_true",
        help="only time POST /model/parse on the held-out messages (the report's HTTP figures); "
        "nothing is written",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    model = ensure_model(DEFAULT_MODELS_DIR)
    if args.latency_only:
        texts = [example.text for example in load_examples(TEST_SET)]
        print("HTTP /model/parse latency:", json.dumps(http_parse_latency(model, texts)))
        return 0
    result = evaluate(model, http_latency=True)
    if args.cv_folds:
        result["cross_validation"] = cross_validate(args.cv_folds, args.report_dir)
    detail_sets = evaluate_all_details(model)
    realistic = evaluate_realistic(model)
    result["evaluation_seconds"] = round(time.perf_counter() - started, 1)
    write_report(result, args.report_dir, fallback_threshold())
    (args.report_dir / "realistic.json").write_text(
        json.dumps(realistic, indent=2, ensure_ascii=False) + "\n"
    )
    print_summary(result)
    print(
        f"realistic set ({realistic['test_examples']} messages): macro-F1 "
        f"{realistic['macro_f1']:.3f}, OOS rejection {realistic['out_of_scope_rejection']:.3f}, "
        f"in-scope rejected {realistic['in_scope_rejected']:.3f}"
    )
    for details in detail_sets:
        shown = {key: value for key, value in details.items() if key != "_errors"}
        write_details_report(details, args.report_dir)
        print_details(shown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
