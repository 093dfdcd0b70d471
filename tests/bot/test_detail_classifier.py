"""The learned details (components/detail_classifier.py): trained on labelled messages, they
replace the cue tables' reason, cause and preference, never keep a negated cause and stay
silent on messages about something else."""

from __future__ import annotations

import pytest
import yaml
from components.detail_classifier import (
    DetailClassifier,
    decided,
    detail_inputs,
    example_files,
    labelled_examples,
)
from components.intent_classifier import gram_index
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.feature_extraction.text import TfidfVectorizer

DAMAGED = [
    "la bague est arrivée cassée dans sa boîte",
    "le collier était brisé à l'ouverture du colis",
    "reçu le bracelet tout tordu, le carton était écrasé",
    "les boucles sont arrivées abîmées",
    "à la livraison la pierre était déjà fendue",
    "colis reçu ce matin, la chaîne est cassée en deux",
]
CHANGED_MIND = [
    "finalement je n'en veux plus",
    "elle ne me plaît plus, je la retourne",
    "j'ai changé d'avis pour le collier",
    "c'est pas mon style en fin de compte",
    "je regrette cet achat, je le renvoie",
    "je préfère garder mon argent",
]
WRONG_SIZE = [
    "la bague est trop petite pour mon doigt",
    "le bracelet est trop grand, il glisse",
    "je porte du 7 et j'ai pris du 6",
    "elle me serre beaucoup trop",
    "la chaîne est trop courte pour mon cou",
    "le jonc est trop large pour mon poignet",
]
UNRELATED = [
    "bonjour",
    "où est ma commande ?",
    "merci beaucoup",
    "c'est quoi les taxes en Ontario ?",
]


@pytest.fixture(scope="module")
def examples_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("details")
    messages = [
        *({"text": text, "reason": "damaged_on_arrival"} for text in DAMAGED),
        *({"text": text, "reason": "changed_mind"} for text in CHANGED_MIND),
        *({"text": text, "reason": "wrong_size"} for text in WRONG_SIZE),
        {"text": "la bague est très belle", "reason": "none"},
        {"text": "le collier a noirci", "warranty_cause": "normal_wear"},
        {"text": "je veux un remboursement", "preference": "refund"},
    ]
    (folder / "examples.yml").write_text(
        yaml.safe_dump({"version": 1, "messages": messages}, allow_unicode=True)
    )
    return folder


@pytest.fixture(scope="module")
def trained(examples_folder, tmp_path_factory):
    storage = LocalModelStorage(tmp_path_factory.mktemp("storage"))
    resource = Resource("detail_classifier")
    config = {"examples": str(examples_folder), "threshold": 0.0, "phrase_ngrams": ["reason"]}
    component = DetailClassifier.create(
        {**DetailClassifier.get_default_config(), **config}, storage, resource, None
    )
    negatives = [Message(data={"text": text, "intent": "greet"}) for text in UNRELATED * 3]
    component.train(TrainingData(training_examples=negatives))
    return DetailClassifier.load(
        {**DetailClassifier.get_default_config(), **config}, storage, resource, None
    )


def test_the_examples_of_a_detail_are_the_messages_that_state_it(examples_folder):
    files = example_files(str(examples_folder))

    reasons = labelled_examples(files, "reason")
    causes = labelled_examples(files, "warranty_cause")

    assert len(reasons) == len(DAMAGED) + len(CHANGED_MIND) + len(WRONG_SIZE) + 1
    assert causes == [("le collier a noirci", "normal_wear")]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("la bague est arrivée cassée", "damaged_on_arrival"),
        ("finalement elle ne me plaît plus", "changed_mind"),
        ("trop petite pour mon doigt", "wrong_size"),
    ],
)
def test_a_trained_classifier_reads_the_reason_of_new_words(trained, text, reason):
    assert trained.predict(text)["reason"] == reason


def test_the_trained_classifiers_survive_the_model_storage_and_say_nothing_of_a_greeting(trained):
    assert trained.predict("bonjour")["reason"] is None


def test_the_reason_is_read_in_character_n_grams_across_words_when_configured(trained):
    reason_chars = trained.classifiers["reason"].views[0].grams

    assert reason_chars is gram_index(TfidfVectorizer(analyzer="char", ngram_range=(2, 6)))
    assert reason_chars is not gram_index(TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5)))


def test_a_detail_with_too_few_examples_of_two_labels_gets_no_classifier(trained):
    assert set(trained.classifiers) == {"reason"}  # one cause, one preference: nothing to learn


def test_the_labelled_examples_are_part_of_the_fingerprint(examples_folder):
    before = DetailClassifier.fingerprint_addon({"examples": str(examples_folder)})
    extra = examples_folder / "more.yml"
    extra.write_text(yaml.safe_dump({"messages": [{"text": "trop grand", "reason": "wrong_size"}]}))
    try:
        assert DetailClassifier.fingerprint_addon({"examples": str(examples_folder)}) != before
    finally:
        extra.unlink()


def entity(name: str, value: str, role: str | None = None) -> dict:
    return {"entity": name, "value": value, **({"role": role} if role else {})}


@pytest.mark.parametrize(
    ("found", "predicted", "kept"),
    [
        (
            [entity("reason", "defective"), entity("item", "bague")],
            {"reason": "damaged_on_arrival", "warranty_cause": None, "preference": None},
            [("item", "bague"), ("reason", "damaged_on_arrival")],
        ),
        (
            [entity("denied_cause", "loss"), entity("warranty_cause", "defect")],
            {"reason": None, "warranty_cause": "loss", "preference": None},
            [("denied_cause", "loss"), ("warranty_cause", "defect")],
        ),
        (
            [entity("preference", "refund")],
            {"reason": None, "warranty_cause": None, "preference": None},
            [("preference", "refund")],
        ),
        (
            [entity("item", "collier", "excluded"), entity("address", "x", "incomplete")],
            {"reason": "changed_mind", "warranty_cause": None, "preference": "refund"},
            [
                ("item", "collier"),
                ("address", "x"),
                ("reason", "changed_mind"),
                ("preference", "refund"),
            ],
        ),
        (
            [entity("reason", "changed_mind"), entity("preference", "refund")],
            {"reason": "none", "warranty_cause": None, "preference": None},
            [("preference", "refund")],
        ),
        (
            [entity("supposed_reason", "changed_mind")],
            {"reason": "changed_mind", "warranty_cause": None, "preference": None},
            [("supposed_reason", "changed_mind")],
        ),
        (
            [entity("preference", "replacement"), entity("denied_preference", "refund")],
            {"reason": None, "warranty_cause": None, "preference": "refund"},
            [("preference", "replacement"), ("denied_preference", "refund")],
        ),
        (
            [entity("reason", "damaged_on_arrival"), entity("came_like_this", True)],
            {"reason": "defective", "warranty_cause": None, "preference": None},
            [("reason", "damaged_on_arrival"), ("came_like_this", True)],
        ),
    ],
    ids=[
        "the classifier's reason replaces the tables'",
        "a negated cause is never the cause: the tables' one stands",
        "unsure: the tables' value stands",
        "items and addresses are left alone",
        "sure that no reason is given: the tables' reason goes",
        "a reason only supposed (« si elle ne me plaît pas ») is never the reason",
        "an outcome turned down (« pas un remboursement ») is never the preference",
        "a flaw there at the opening (« dès la sortie du sachet ») came damaged",
    ],
)
def test_the_classifiers_details_replace_the_tables_ones(found, predicted, kept):
    assert [(e["entity"], e["value"]) for e in decided(found, predicted)] == kept


def test_a_value_both_read_in_the_words_and_classified_keeps_the_words_entity():
    found = [{**entity("warranty_cause", "defect"), "extractor": "DetailExtractor"}]
    predicted = {"reason": None, "warranty_cause": "defect", "preference": None}

    kept = decided(found, predicted)

    assert [(e["entity"], e["value"], e["extractor"]) for e in kept] == [
        ("warranty_cause", "defect", "DetailExtractor")
    ]


def test_a_threshold_may_be_given_per_detail(trained):
    def reason_with(threshold: float) -> str | None:
        component = DetailClassifier(
            {"threshold": {"reason": threshold, "warranty_cause": 0.0, "preference": 0.0}},
            trained._model_storage,
            trained._resource,
        )
        component.classifiers = trained.classifiers
        return component.predict("la bague est arrivée cassée")["reason"]

    assert reason_with(0.0) == "damaged_on_arrival"
    assert reason_with(1.01) is None  # no probability reaches it


def test_a_sure_none_is_told_apart_from_an_unsure_one(trained):
    def reason_with(none_threshold: float) -> str | None:
        component = DetailClassifier(
            {"none_threshold": {"reason": none_threshold}, "threshold": 0.5},
            trained._model_storage,
            trained._resource,
        )
        component.classifiers = trained.classifiers
        return component.predict("bonjour, quels sont vos délais de livraison ?")["reason"]

    assert reason_with(0.0) == "none"
    assert reason_with(1.01) is None  # never sure enough: the tables decide


def test_a_warranty_claim_that_is_no_return_neither_teaches_nor_scores_a_reason(tmp_path):
    labelled = tmp_path / "details_x.yml"
    labelled.write_text(
        "messages:\n"
        "  - text: j'ai perdu ma bague au chalet\n"
        "    reason: none\n"
        "    warranty_cause: loss\n"
        "  - text: le fermoir a lâché tout seul\n"
        "    reason: defective\n"
        "    warranty_cause: defect\n",
        encoding="utf-8",
    )
    assert [label for _, label in labelled_examples([labelled], "reason")] == ["defective"]
    assert [label for _, label in labelled_examples([labelled], "warranty_cause")] == [
        "loss",
        "defect",
    ]


def test_an_identifier_is_no_word_a_detail_classifier_reads():
    with_identifiers = detail_inputs("Cassée à l'arrivée, commande AZ104204, marie@exemple.ca")

    assert with_identifiers == detail_inputs("Cassée à l'arrivée, commande ,")
