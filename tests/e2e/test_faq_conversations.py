"""Multi-turn conversations written from the FAQ and the demo data by someone who did not
write the assistant (tests/conversations/README.md), played over the real REST channel.

Each bot answer must match every `expect` pattern and none of the `forbid` patterns; both
sides are compared lower-case, without accents and with plain spaces, so that the writers'
patterns check facts (« 30 jours », « courriel de confirmation ») rather than typography.
Each set is scored as a whole, like the NLU's held-out set: at least 90 % of its
conversations must pass, and every failing turn is printed.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path

import pytest
import yaml
from support import plain

CONVERSATION_SETS = sorted(
    (Path(__file__).resolve().parents[1] / "conversations").glob("faq_conversations*.yml")
)
MIN_PASS_RATE = 0.90


def load_conversations(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as stream:
        return yaml.safe_load(stream)["conversations"]


def first_failure(assistant, conversation: dict) -> str | None:
    """The first turn whose answer misses a fact or says a forbidden thing, described."""
    sender = f"faq-{secrets.token_hex(6)}"
    for number, turn in enumerate(conversation["turns"], start=1):
        answer = plain("\n".join(assistant.texts(sender, turn["user"])))
        missing = [p for p in turn.get("expect") or [] if not re.search(plain(p), answer)]
        forbidden = [p for p in turn.get("forbid") or [] if re.search(plain(p), answer)]
        if missing or forbidden:
            return (
                f"{conversation['name']}: turn {number} « {turn['user']} » → {answer[:200]!r}"
                f" missing {missing} forbidden {forbidden}"
            )
    return None


@pytest.mark.parametrize("path", CONVERSATION_SETS, ids=lambda path: path.stem)
def test_each_independent_conversation_set_passes_at_90_percent(assistant, path):
    conversations = load_conversations(path)
    failures = [f for c in conversations if (f := first_failure(assistant, c)) is not None]
    rate = 1 - len(failures) / len(conversations)

    passed = len(conversations) - len(failures)
    print(f"\n{path.name}: {passed}/{len(conversations)} conversations pass")
    print("\n".join(failures))
    assert rate >= MIN_PASS_RATE, "\n".join(failures)
