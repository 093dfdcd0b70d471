"""Choose the detail classifiers' C and threshold (bot/components/detail_classifier.py).

Trains on every labelled file of bot/details/ but one, scores the one left out, for each C and
threshold of the grid, and prints per-detail F1 (the scorer's counting: a `none` predicted
for a stated detail is a miss, a wrong label both a false positive and a miss). The NLU
examples of intents without details are the `none` examples, as in training. The blind test
sets of tests/nlu/details/ are never read.

    PYTHONPATH=.:bot python -m tools.detail_select [--hold-out details_third.yml]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from components.detail_classifier import (
    BOT_DIR,
    DETAILS,
    NONE,
    WITHOUT_DETAILS,
    example_files,
    labelled_examples,
    train_classifier,
)
from components.intent_classifier import CompiledClassifier, classifier_inputs
from rasa.shared.nlu.training_data.loading import load_data

GRID_C = (0.5, 1.0, 2.0)
GRID_THRESHOLD = (0.0, 0.3, 0.4, 0.5)


def f1(predicted: list[str], expected: list[str]) -> float:
    pairs = list(zip(predicted, expected, strict=True))
    hits = sum(p == e != NONE for p, e in pairs)
    false = sum(p != NONE and p != e for p, e in pairs)
    missed = sum(e != NONE and p != e for p, e in pairs)
    precision, recall = hits / max(1, hits + false), hits / max(1, hits + missed)
    return 2 * precision * recall / max(1e-9, precision + recall)


def labels_at(classifier: CompiledClassifier, texts: list[str], threshold: float) -> list[str]:
    rows = classifier.predict_proba([classifier_inputs(text) for text in texts])
    best = rows.argmax(axis=1)
    return [
        str(classifier.classes_[b]) if row[b] >= threshold else NONE
        for row, b in zip(rows, best, strict=True)
    ]


def negatives() -> list[str]:
    data = load_data(str(BOT_DIR / "data" / "nlu.yml"))
    return [m.get("text") for m in data.intent_examples if m.get("intent") in WITHOUT_DETAILS]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hold-out", default="details_third.yml")
    args = parser.parse_args(argv)
    files = example_files("details")
    held_out = [path for path in files if path.name == args.hold_out]
    training = [path for path in files if path.name != args.hold_out]
    if not held_out:
        parser.error(f"{args.hold_out} is not in {Path(BOT_DIR, 'details')}")
    nothing = negatives()
    print(f"train: {[p.name for p in training]}; scored: {args.hold_out}")
    for c in GRID_C:
        for detail in DETAILS:
            pipeline = train_classifier(labelled_examples(training, detail), nothing, c)
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
