"""What makes a message's details cheaper to read gives the same details: the cue tables
scanned once per message and shared by every question, the lemmatizer's index in sets, its
suffix rules looked up by suffix, the entity recogniser run only where a place could change
the address read."""

from __future__ import annotations

import pytest
from components.addresses import parse_address
from components.causes import (
    DAMAGE_CUES,
    DEFECT_CUES,
    PREFERENCES,
    RETURN_REASONS,
    WARRANTY_CAUSES,
    cue_scan,
    find,
)
from components.detail_filter import DetailFilter
from components.details import PlacesOnDemand, details, places
from components.items import misspelt_noun
from components.negation import plain
from components.spacy_model import TAGGER_CHAIN, analyse_with, load_french_spacy

QUESTIONS = [
    WARRANTY_CAUSES,
    RETURN_REASONS,
    [*RETURN_REASONS, ("damage", DAMAGE_CUES), ("defect", DEFECT_CUES)],
    PREFERENCES,
]
MESSAGES = [
    "Je ne l'ai pas perdue, la pierre s'est décrochée",
    "je veux pas de remplacement, je veux être remboursée",
    "ma bague est arrivée cassée et elle est trop petite",
    "c'est pas la taille qui m'embête, je l'ai échappée mais elle n'a rien eu",
    "je ne l'ai pas fait tomber, le fermoir ne ferme plus",
]


@pytest.fixture(scope="module")
def nlp():
    return load_french_spacy("fr_core_news_sm").model


@pytest.mark.parametrize("text", MESSAGES)
def test_one_scan_shared_by_every_question_finds_what_each_question_alone_finds(nlp, text):
    shared = analyse_with(nlp, nlp(text), "parser")

    for tables in QUESTIONS:
        alone = analyse_with(nlp, nlp(text), "parser")
        assert find(shared, tables) == find(alone, tables)


def test_a_message_is_scanned_once_while_its_analysis_stays_the_same(nlp):
    doc = analyse_with(nlp, nlp("je ne l'ai pas fait tomber"), *TAGGER_CHAIN)
    scan = cue_scan(doc)

    find(doc, WARRANTY_CAUSES)
    find(doc, PREFERENCES)
    assert cue_scan(doc) is scan
    analyse_with(nlp, doc, "parser")
    assert cue_scan(doc) is not scan  # the negations may now read the parse


def test_the_lemma_index_is_kept_in_sets_and_the_lemmas_are_the_packages(nlp):
    index = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
    doc = analyse_with(nlp, nlp("elle pliait, je perds mes anneaux décrochés"), *TAGGER_CHAIN)

    assert all(isinstance(words, frozenset) for words in index.values())
    assert [token.lemma_ for token in doc] == [
        "lui", "plier", ",", "je", "perdre", "mon", "anneau", "décroché",
    ]  # fmt: skip


@pytest.mark.parametrize("word", ["pliait", "anneaux", "perds", "décrochées", "a", "échappé"])
def test_every_suffix_rule_of_the_lemmatizer_gives_its_lemma_to_the_filter(nlp, word):
    tables = nlp.get_pipe("lemmatizer").lookups
    rules = tables.get_table("lemma_rules")
    by_rule = {
        plain(word[: len(word) - len(old)] + new)
        for pos in rules
        for old, new in rules[pos]
        if word.endswith(old) and word[: len(word) - len(old)] + new
    }

    assert by_rule <= DetailFilter(tables).lemmas.of(word)


@pytest.mark.parametrize(
    ("text", "recognised"),
    [
        ("55 rue Laurier, Montréal H2T 2N6", False),  # the street is its name alone
        ("mon code postal est H2T 2N6", False),  # no street for a place to end
        ("900 rue Wellington Ottawa Ontario K1A 0A6", True),  # where does the street end?
    ],
)
def test_the_entity_recogniser_runs_only_where_a_place_could_change_the_address(
    nlp, text, recognised
):
    doc = nlp(text)
    details(doc, nlp)

    assert ("ner" in doc.user_data.get("allyzure_pipes", set())) is recognised


@pytest.mark.parametrize(
    "text",
    [
        "55 rue Laurier, Montréal H2T 2N6",
        "900 rue Wellington Ottawa Ontario K1A 0A6",
        "45 rue Saint-Jean Québec G1R1N9",
        "Je passe l'hiver en Floride : 2600 S Ocean Blvd, app. 304, Pompano Beach, Floride 33062",
    ],
)
def test_the_places_found_on_demand_read_the_address_every_place_reads(nlp, text):
    every_place = places(analyse_with(nlp, nlp(text), "ner"))

    assert parse_address(text, PlacesOnDemand(nlp(text), nlp)) == parse_address(text, every_place)


def test_the_street_cut_by_a_place_needs_the_recogniser(nlp):
    address = parse_address("900 rue Wellington Ottawa Ontario K1A 0A6", PlacesOnDemand(
        nlp("900 rue Wellington Ottawa Ontario K1A 0A6"), nlp))  # fmt: skip

    assert (address.street, address.city) == ("rue Wellington", "Ottawa")


@pytest.mark.parametrize(
    ("typed", "noun"),
    [("colier", "collier"), ("braclet", "bracelet"), ("pendantif", "pendentif"), ("bague", None)],
)
def test_a_jewellery_noun_typed_one_letter_off_is_recognised(typed, noun):
    assert misspelt_noun(typed) == noun
