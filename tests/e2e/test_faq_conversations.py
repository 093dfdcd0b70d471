"""Multi-turn conversations written from the FAQ and the demo data by someone who did not
write the assistant (tests/conversations/README.md), played over the real REST channel.

Each bot answer must match every `expect` pattern and none of the `forbid` patterns; both
sides are compared lower-case, without accents and with plain spaces, so that the writers'
patterns check facts (« 30 jours », « courriel de confirmation ») rather than typography.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
import yaml

CONVERSATIONS = Path(__file__).resolve().parents[1] / "conversations" / "faq_conversations.yml"


def comparable(text: str) -> str:
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("’", "'").lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def load_conversations() -> list[dict]:
    with open(CONVERSATIONS, encoding="utf-8") as stream:
        return yaml.safe_load(stream)["conversations"]


@pytest.mark.parametrize(
    "conversation", load_conversations(), ids=lambda conversation: conversation["name"]
)
def test_the_assistant_answers_every_turn_of_the_conversation(assistant, sender_id, conversation):
    for number, turn in enumerate(conversation["turns"], start=1):
        answer = comparable("\n".join(assistant.texts(sender_id, turn["user"])))
        missing = [p for p in turn.get("expect") or [] if not re.search(comparable(p), answer)]
        forbidden = [p for p in turn.get("forbid") or [] if re.search(comparable(p), answer)]

        assert not missing and not forbidden, (
            f"turn {number} « {turn['user']} » → {answer!r}\n"
            f"missing: {missing}\nforbidden: {forbidden}"
        )
