"""Every question of the FAQ coverage table (docs/faq-coverage.md) asked over the real REST
channel in a new conversation: the answer holds the row's fact, and no general question is
met with the order-number prompt."""

from __future__ import annotations

import re
import secrets
from pathlib import Path

import pytest
from support import plain

TABLE = Path(__file__).resolve().parents[2] / "docs" / "faq-coverage.md"
# What the identification form says when it asks for the order number.
ORDER_NUMBER_PROMPTS = ("j'ai besoin de son numero", "quel est votre numero de commande")


def table_rows() -> list[tuple[str, str, str]]:
    """(FAQ question, test question, fact pattern) of each row of the coverage table."""
    rows = []
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        cells = [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        if len(cells) == 4 and not cells[0].startswith(("FAQ section", "---")):
            rows.append((cells[0], cells[2], cells[3].strip("`")))
    return rows


def test_the_table_covers_the_faq_questions_and_three_more():
    assert len(table_rows()) == 57


@pytest.mark.parametrize(
    ("faq", "question", "fact"), table_rows(), ids=[r[0] for r in table_rows()]
)
def test_each_faq_question_is_answered_without_an_order_number(assistant, faq, question, fact):
    answer = plain("\n".join(assistant.texts(f"cov-{secrets.token_hex(6)}", question)))

    assert re.search(fact, answer), (faq, question, answer[:300])
    assert not any(prompt in answer for prompt in ORDER_NUMBER_PROMPTS), (question, answer[:300])
