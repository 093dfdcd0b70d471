"""The intent-classifier candidates of the selection tool (tools/nlu_select.py): each one the
tool compares trains and ranks intents, spaCy's words included."""

from __future__ import annotations

import numpy as np
import pytest

from tools.nlu_select import CANDIDATES, Candidate, candidate_inputs, make_model, spacy_docs

TRAINING = {
    "track_order": ["où est ma commande", "suivre mon colis", "ma commande arrive quand", "suivi"],
    "cancel_order": ["annuler ma commande", "je veux annuler", "annulez mon achat", "annulation"],
    "greet": ["bonjour", "salut", "bonsoir", "coucou"],
}
TEXTS = [text for lines in TRAINING.values() for text in lines]
INTENTS = np.array([intent for intent, lines in TRAINING.items() for _ in lines])


class Words:
    """A stand-in for a spaCy doc: tokens with a text and a lemma."""

    def __init__(self, text: str) -> None:
        self.tokens = [_Token(word) for word in text.split()]

    def __iter__(self):
        return iter(self.tokens)


class _Token:
    def __init__(self, word: str) -> None:
        self.text = self.lemma_ = word
        self.is_space = False


@pytest.mark.parametrize(
    "candidate",
    list({(c.model, bool(c.spacy), c.use_normaliser): c for c in CANDIDATES}.values()),
    ids=lambda candidate: candidate.name,
)
def test_every_kind_of_candidate_trains_and_ranks_the_intents(candidate: Candidate):
    inputs = [
        candidate_inputs(text, Words(text) if candidate.spacy else None, candidate.use_normaliser)
        for text in TEXTS
    ]

    model = make_model(candidate).fit(inputs, INTENTS)
    probabilities = model.predict_proba([candidate_inputs("annuler svp", Words("annuler svp"))])

    assert probabilities.sum() == pytest.approx(1.0)
    assert model.classes_[probabilities.argmax()] == "cancel_order"


@pytest.mark.slow  # a spaCy model: make test only
def test_spacy_words_are_lemmas_or_the_tokens_as_spacy_cuts_them():
    docs = spacy_docs(["livrez-la chez moi", "j'ai reçu"])

    assert candidate_inputs("", docs["lemmas"][0])["spacy_words"].split()[0] == "livrer"
    assert candidate_inputs("", docs["tokens"][1])["spacy_words"] == "j' ai recu"
