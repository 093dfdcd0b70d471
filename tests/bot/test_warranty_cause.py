"""What happened to the piece, read from the customer's words or from a clicked button."""

from __future__ import annotations

import pytest
from actions.warranty import cause_from_text


@pytest.mark.parametrize(
    ("text", "cause"),
    [
        ("le fermoir s'est brisé tout seul", "defect"),
        ("une pierre est tombée de ma bague", "defect"),
        ("elle est toute usée", "normal_wear"),
        ("ma bague est rayée", "normal_wear"),
        ("j'ai perdu mon collier", "loss"),
        ("un bijoutier l'a agrandie", "modification"),
    ],
)
def test_the_cause_is_read_from_the_customer_words(text, cause):
    assert cause_from_text(text).value == cause


def test_a_clicked_warranty_button_is_not_read_as_words():
    assert cause_from_text('/inform{"warranty_cause":"loss"}') is None
