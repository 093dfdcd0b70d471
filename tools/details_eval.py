"""Score the details the trained model reads (item, reason, warranty cause, address,
preference) on every French detail test set `tests/nlu/details/details*.yml` (each scored
and reported apart: sets written by different people are not pooled). The labelled sets of
bot/details/ are the detail classifiers' training examples: `--set` scores one of them too,
but that is a fit, not a measure.

Each message goes through the trained Rasa model (the served pipeline, spaCy included);
items are resolved against the message's order lines with the function the actions use
(bot/components/items.py). A slot is scored only on the messages that give it. Per slot:
precision, recall and F1, where « none » is the negative class (predicting a value where the
set says none is a false positive; missing one, a false negative; a wrong value, both). Also:
negated causes taken as the cause (must be 0) and non-addresses accepted (must be 0).
`make eval-nlu` runs it and writes, per set, reports/nlu/<set>.json and <set>_errors.json
(details_fifteenth.json and details_fifteenth_errors.json for details_fifteenth.yml).
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tools.model import BOT_DIR, PROJECT_ROOT

DETAILS_DIR = PROJECT_ROOT / "tests" / "nlu" / "details"
DETAILS_SET = DETAILS_DIR / "details_fifteenth.yml"
LABEL_SLOTS = ("reason", "warranty_cause", "preference")
COUNTRIES = {"canada": "CA", "ca": "CA", "etats-unis": "US", "usa": "US", "us": "US",
             "etats unis": "US", "united states": "US"}  # fmt: skip


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    support: int = 0

    def add(self, tp: int = 0, fp: int = 0, fn: int = 0) -> None:
        self.tp, self.fp, self.fn = self.tp + tp, self.fp + fp, self.fn + fn

    def add_sets(self, expected: set[str], found: set[str]) -> None:
        """One message's order lines: each line found but not meant is a false positive,
        each line meant but not found a miss."""
        self.support += len(expected)
        self.add(len(expected & found), len(found - expected), len(expected - found))

    def scores(self) -> dict[str, float | int]:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "support": self.support,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


@dataclass
class Score:
    slots: dict[str, Counts] = field(default_factory=dict)
    negated_taken: int = 0
    negated_messages: int = 0
    non_addresses_accepted: int = 0
    non_addresses: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    def slot(self, name: str) -> Counts:
        return self.slots.setdefault(name, Counts())


def load_set(path: Path = DETAILS_SET) -> dict[str, Any]:
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8"))


def parse_all(model: Path, texts: list[str]) -> list[dict[str, Any]]:
    """The trained model's parse of each text (Rasa's Agent: the served pipeline)."""
    from rasa.core.agent import Agent

    if str(BOT_DIR) not in sys.path:
        sys.path.insert(0, str(BOT_DIR))
    agent = Agent.load(str(model))

    async def run() -> list[dict[str, Any]]:
        return [await agent.parse_message(text) for text in texts]

    return asyncio.run(run())


def predicted_details(parsed: dict[str, Any], lines: list[str] | None) -> dict[str, Any]:
    """What the scorer compares: one value per slot ("none" when absent)."""
    from components.items import resolve_items

    entities = parsed.get("entities") or []

    def first(name: str) -> Any:
        return next(
            (e["value"] for e in entities if e["entity"] == name and not e.get("role")), "none"
        )

    mentions = [(str(e["value"]), e.get("role")) for e in entities if e["entity"] == "item"]
    resolution = resolve_items(mentions, lines) if lines and mentions else None
    # A phrase fitting several lines names them all (the flows ask which one).
    items = (resolution.lines or resolution.ambiguous) if resolution else []
    return {
        "item": items,
        "reason": first("reason"),
        "warranty_cause": first("warranty_cause"),
        "preference": first("preference"),
        "address": first("address"),
    }


def _folded(text: Any) -> str:
    """Case-insensitive, whitespace folded: how the set compares streets and cities."""
    return " ".join(str(text or "").casefold().split())


def same_address(gold: dict[str, Any], predicted: dict[str, Any]) -> bool:
    """Every field the set gives matches: street and city case-insensitively with whitespace
    folded, region and country by their codes, postal code without spaces."""
    from components.addresses import region_code

    for name, value in gold.items():
        found = predicted.get(name)
        if name == "region":
            a, b = region_code(str(value or "")), region_code(str(found or ""))
            if (a or _folded(value)) != (b or _folded(found)):
                return False
        elif name == "country":
            if COUNTRIES.get(_folded(value), str(value).upper()) != COUNTRIES.get(
                _folded(found), str(found or "").upper()
            ):
                return False
        elif name == "postal_code":
            if _folded(value).replace(" ", "") != _folded(found).replace(" ", ""):
                return False
        elif _folded(value) != _folded(found):
            return False
    return True


def score(dataset: dict[str, Any], parses: list[dict[str, Any]]) -> Score:
    result = Score()
    line_sets = dataset.get("order_lines") or {}
    for message, parsed in zip(dataset["messages"], parses, strict=True):
        lines = line_sets.get(message.get("lines")) if message.get("lines") else None
        predicted = predicted_details(parsed, lines)
        wrong = {}
        for slot in LABEL_SLOTS:
            if slot in message:
                gold, found = str(message[slot]), str(predicted[slot])
                _score_label(result.slot(slot), gold, found)
                if gold != found:
                    wrong[slot] = {"expected": gold, "predicted": found}
        if "item" in message and lines:
            gold_items, found_items = set(message["item"] or []), set(predicted["item"])
            result.slot("item").add_sets(gold_items, found_items)
            if gold_items != found_items:
                wrong["item"] = {"expected": sorted(gold_items), "predicted": sorted(found_items)}
        if message.get("negated"):
            result.negated_messages += 1
            if predicted["warranty_cause"] in message["negated"]:
                result.negated_taken += 1
                wrong["negated"] = {
                    "never": message["negated"],
                    "predicted": predicted["warranty_cause"],
                }
        if "address" in message:
            _score_address(result, message["address"], predicted["address"], wrong)
        if wrong:
            result.errors.append({"text": message["text"], **wrong})
    return result


def _score_label(counts: Counts, gold: str, found: str) -> None:
    if gold != "none":
        counts.support += 1
    if gold == found:
        counts.add(tp=1 if gold != "none" else 0)
        return
    counts.add(fp=1 if found != "none" else 0, fn=1 if gold != "none" else 0)


def _score_address(result: Score, gold: Any, found: Any, wrong: dict) -> None:
    counts = result.slot("address")
    gold_is_address = isinstance(gold, dict)
    found_is_address = isinstance(found, dict)
    if not gold_is_address:
        result.non_addresses += 1
        if found_is_address:
            result.non_addresses_accepted += 1
            counts.add(fp=1)
            wrong["address"] = {"expected": "none", "predicted": found}
        return
    counts.support += 1
    if found_is_address and same_address(gold, found):
        counts.add(tp=1)
        return
    counts.add(fp=1 if found_is_address else 0, fn=1)
    wrong["address"] = {"expected": gold, "predicted": found}


def evaluate_details(model: Path, path: Path = DETAILS_SET) -> dict[str, Any] | None:
    """The per-slot figures, or None when the detail set is not there."""
    if not path.is_file():
        return None
    dataset = load_set(path)
    started = time.perf_counter()
    parses = parse_all(model, [m["text"] for m in dataset["messages"]])
    result = score(dataset, parses)
    return {
        "test_set": str(path.relative_to(PROJECT_ROOT)),
        "messages": len(dataset["messages"]),
        "slots": {name: counts.scores() for name, counts in sorted(result.slots.items())},
        "negated_causes_taken": result.negated_taken,
        "messages_with_negated_causes": result.negated_messages,
        "non_addresses_accepted": result.non_addresses_accepted,
        "non_addresses": result.non_addresses,
        "seconds": round(time.perf_counter() - started, 1),
        "_errors": result.errors,
    }


def detail_sets(folder: Path = DETAILS_DIR) -> list[Path]:
    """Every detail test set in the folder, the default one first."""
    first = DETAILS_SET.name
    return sorted(folder.glob("details*.yml"), key=lambda path: (path.name != first, path.name))


def evaluate_all_details(model: Path, folder: Path = DETAILS_DIR) -> list[dict[str, Any]]:
    """The figures of each detail set, in `detail_sets` order."""
    found = (evaluate_details(model, path) for path in detail_sets(folder))
    return [figures for figures in found if figures is not None]


def write_details_report(figures: dict[str, Any], report_dir: Path) -> None:
    """<set>.json and <set>_errors.json, named after the set's file."""
    report_dir.mkdir(parents=True, exist_ok=True)
    errors = figures.pop("_errors")
    name = Path(figures["test_set"]).stem
    (report_dir / f"{name}.json").write_text(
        json.dumps(figures, indent=2, ensure_ascii=False) + "\n"
    )
    (report_dir / f"{name}_errors.json").write_text(
        json.dumps(errors, indent=2, ensure_ascii=False) + "\n"
    )


def print_details(figures: dict[str, Any]) -> None:
    print(f"{Path(figures['test_set']).name} ({figures['messages']} messages):")
    for name, scores in figures["slots"].items():
        print(
            f"  {name:15} P {scores['precision']:.3f}  R {scores['recall']:.3f}  "
            f"F1 {scores['f1']:.3f}  (support {scores['support']})"
        )
    print(
        f"  negated causes taken: {figures['negated_causes_taken']}"
        f" / {figures['messages_with_negated_causes']};"
        f" non-addresses accepted: {figures['non_addresses_accepted']}"
        f" / {figures['non_addresses']}"
    )


def main(argv: list[str] | None = None) -> int:
    import argparse

    from tools.model import DEFAULT_MODELS_DIR, ensure_model
    from tools.nlu_eval import REPORT_DIR

    parser = argparse.ArgumentParser(description="Score the detail extraction.")
    parser.add_argument("--set", type=Path, help="one set (default: every details*.yml)")
    parser.add_argument("--report-dir", type=Path, default=REPORT_DIR)
    args = parser.parse_args(argv)
    model = ensure_model(DEFAULT_MODELS_DIR)
    if args.set:
        one = evaluate_details(model, args.set.resolve())
        sets = [one] if one is not None else []
    else:
        sets = evaluate_all_details(model)
    if not sets:
        print(f"No detail test set at {args.set or DETAILS_DIR}")
        return 1
    for figures in sets:
        snapshot = {**figures}
        write_details_report(figures, args.report_dir)
        print_details(snapshot)
    return 0


if __name__ == "__main__":
    sys.exit(main())
