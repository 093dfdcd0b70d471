"""Write the rules that follow from the flow registry (bot/actions/intents.py).

Each intent the registry names gets its rule outside a form, and each form one rule per
aside it answers before asking again and per intent that stops it: about sixty rules of the
same four shapes, which by hand drifted apart. bot/data/rules.yml keeps the rules written
for one case each. `make rules` rewrites bot/data/intent_rules.yml; a test checks that the
committed file is what this module writes.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

import yaml
from actions.intents import ANSWERS, FORM_ASIDES, FORM_STOPS, ORDER_FLOWS

from tools.model import BOT_DIR

GENERATED_RULES = BOT_DIR / "data" / "intent_rules.yml"
HEADER = (
    "# Written by tools/rules.py from bot/actions/intents.py (`make rules`): edit the registry,\n"
    "# not this file. tests/tools/test_rules.py checks that the two agree.\n"
)
Rule = dict[str, Any]


def answer(intent: str, action: str) -> Rule:
    return {"rule": f"Answer {intent}", "steps": [{"intent": intent}, {"action": action}]}


def aside(form: str, intent: str, action: str) -> Rule:
    """An intent the form does not take as a slot value: answered, then the form asks again."""
    return {
        "rule": f"Answer {intent} during {form}, then ask again",
        "condition": [{"active_loop": form}],
        "steps": [
            {"intent": intent},
            {"action": action},
            {"action": form},
            {"active_loop": form},
        ],
    }


def stop(form: str, intent: str, action: str) -> Rule:
    """An intent that ends the form: its questions stop and `action` answers instead."""
    return {
        "rule": f"Stop {form} on {intent}",
        "condition": [{"active_loop": form}],
        "steps": [
            {"intent": intent},
            {"action": "action_deactivate_loop"},
            {"active_loop": None},
            {"slot_was_set": [{"requested_slot": None}]},
            {"action": action},
        ],
    }


def intent_rules() -> list[Rule]:
    rules = [answer(intent, action) for intent, action in {**ANSWERS, **ORDER_FLOWS}.items()]
    for form, asides in FORM_ASIDES.items():
        rules += [stop(form, intent, action) for intent, action in FORM_STOPS.items()]
        rules += [aside(form, intent, action) for intent, action in asides.items()]
    return rules


def render() -> str:
    body = yaml.safe_dump(
        {"version": "3.1", "rules": intent_rules()},
        allow_unicode=True,
        sort_keys=False,
        width=100,
    )
    return HEADER + body


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the file is stale")
    args = parser.parse_args(argv)
    if args.check:
        stale = GENERATED_RULES.read_text() != render()
        if stale:
            print(f"{GENERATED_RULES.name} is stale: run `make rules`", file=sys.stderr)
        return int(stale)
    GENERATED_RULES.write_text(render())
    return 0


if __name__ == "__main__":
    sys.exit(main())
