"""Rasa graph component: which of the pieces a message names it is about.

A customer names more pieces than the ones the request is for: « le pendentif ange était pour
ma mère, c'est le bracelet figaro qui est cassé », « la chaîne sans le pendentif », « la
chevalière, c'était pour mon père, il l'adore ». The item reader (components/items.py) marks
the pieces it knows are set aside (« je garde… », « sauf… », praise beside a complaint); the
others all count, and the flow then acts on lines nobody asked about. Leave-one-set-out over
the labelled sets, a piece named beside another was not meant in a third of the cases.

So each piece a message names beside others gets a probability of being meant, from a
logistic regression over where it sits in spaCy's analysis: its dependency relation and the
verb that governs it, the words around it and in its sentence, its place among the pieces.
It is trained on the labelled messages of `bot/details/` (a piece is meant when it fits one
of the lines the label names) and the pieces far less likely than the likeliest one
(`margin`) get the role `aside`: they count only when nothing else is named, as the pieces
of a story of what arrived (`resolve_items`). The margin was chosen leave-one-set-out
(docs/nlu.md); a message naming one piece is left as it is.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import yaml
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import SPACY_DOCS
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.nlu.utils.spacy_utils import SpacyModel, SpacyNLP
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline

from components.detail_classifier import example_files, labelled_files_digest
from components.details import details
from components.intent_classifier import read_pickled, write_pickled
from components.items import ALL, ASIDE, BOTH, EVERY, ONLY, PRAISED, RECEIVED, best_lines
from components.spacy_model import analyse_with

logger = logging.getLogger(__name__)
MODEL_FILE = "item_focus.pkl"
# The pieces whose focus is weighed: named plainly, as all of their kind, or focused on.
WEIGHED_ROLES = {None, EVERY, ONLY}
# The pieces whose focus the labels tell, to learn from: also the praised and the received.
LEARNED_ROLES = {*WEIGHED_ROLES, PRAISED, RECEIVED}
NEGATORS = {"pas", "jamais", "ne", "plus", "rien"}
WINDOW = 4
ANCESTORS = 6


def item_entities(entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for e in entities if e.get("entity") == "item"]


def weighed(mentions: list[dict[str, Any]]) -> list[int]:
    """Indexes of the pieces whose focus is weighed (not « tout », not « les deux »)."""
    return [
        i
        for i, mention in enumerate(mentions)
        if mention.get("role") in WEIGHED_ROLES and mention["value"] not in {ALL, BOTH}
    ]


def mention_features(doc: Any, mentions: list[dict[str, Any]], at: int, others: list[int]) -> dict:
    """Where the piece `at` sits in the parsed doc, as sparse features."""
    mention = mentions[at]
    start, end = mention["start"], mention["end"]
    inside = [t for t in doc if start <= t.idx < end] or [
        min(doc, key=lambda t: abs(t.idx - start))
    ]
    indexes = {t.i for t in inside}
    head = next((t for t in inside if t.head.i not in indexes), inside[0])
    governor = head.head
    features: dict[str, float] = {
        f"role={mention.get('role')}": 1,
        f"dep={head.dep_}": 1,
        f"gov={governor.lemma_.lower()}": 1,
        f"govpos={governor.pos_}": 1,
        f"dep+gov={head.dep_}{governor.lemma_.lower()}": 1,
    }
    ancestor = governor
    for _ in range(ANCESTORS):
        if ancestor.head.i == ancestor.i:
            break
        ancestor = ancestor.head
        features[f"anc={ancestor.lemma_.lower()}"] = 1
    if any(child.lemma_.lower() in NEGATORS for child in governor.children):
        features["govneg"] = 1
    first, last = min(indexes), max(indexes)
    for offset in range(1, WINDOW + 1):
        if first - offset >= 0:
            lemma = doc[first - offset].lemma_.lower()
            features[f"b{offset}={lemma}"] = features[f"bb={lemma}"] = 1
        if last + offset < len(doc):
            lemma = doc[last + offset].lemma_.lower()
            features[f"a{offset}={lemma}"] = features[f"aa={lemma}"] = 1
    sentences = list(doc.sents)
    sentence = head.sent
    for token in sentence:
        lemma = token.lemma_.lower()
        features[f"S={lemma}"] = 1
        features[f"{'Sb' if token.idx < start else 'Sa'}={lemma}"] = 1
    features["first"] = float(others[0] == at)
    features["last"] = float(others[-1] == at)
    place = next(i for i, s in enumerate(sentences) if s.start == sentence.start)
    features[f"sentidx={min(place, 3)}"] = 1
    features[f"nsent={min(len(sentences), 4)}"] = 1
    features[f"ncand={min(len(others), 4)}"] = 1
    features["relpos"] = start / max(1, len(doc.text))
    return features


def set_aside(mentions: list[dict[str, Any]], meant: dict[int, float], margin: float) -> list:
    """The mentions, those far less likely meant than the likeliest one with the role aside."""
    if len(meant) < 2:
        return mentions
    likeliest = max(meant.values())
    return [
        {**mention, "role": ASIDE} if meant.get(i, likeliest) < likeliest - margin else mention
        for i, mention in enumerate(mentions)
    ]


# --- training --------------------------------------------------------------------------------


def labelled_messages(files: list[Path]) -> list[tuple[str, list[str], set[str]]]:
    """(text, order lines, lines meant) of every labelled message that names its items."""
    found = []
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        line_sets = data.get("order_lines") or {}
        for message in data["messages"]:
            lines = message.get("lines")
            if "item" not in message or not lines:
                continue
            lines = line_sets[lines] if isinstance(lines, str) else lines
            found.append((message["text"], lines, set(message["item"] or [])))
    return found


def learned_pieces(
    mentions: list[dict[str, Any]], lines: list[str], meant: set[str]
) -> list[tuple[int, int]]:
    """(index, 1 if meant else 0) of the pieces whose focus the label tells: each fits lines,
    and the pieces named fit at least two different sets of lines (else none is set aside)."""
    fits = {}
    for i, mention in enumerate(mentions):
        if mention.get("role") in LEARNED_ROLES and mention["value"] not in {ALL, BOTH}:
            fitting = best_lines(mention["value"], lines, mention.get("role") == EVERY)
            if fitting:
                fits[i] = frozenset(fitting)
    if len(set(fits.values())) < 2:
        return []
    return [(i, int(bool(fitting & meant))) for i, fitting in fits.items()]


def told(text: str, lines: list[str], meant: set[str], nlp: Any) -> tuple[Any, list, list, list]:
    """(the analysed doc, the item mentions as served, the features and the labels of the
    pieces whose focus the label tells) of one labelled message."""
    doc = nlp.make_doc(text)
    mentions = item_entities(details(doc, nlp))
    learned = learned_pieces(mentions, lines, meant)
    if learned or len(weighed(mentions)) > 1:
        doc = analyse_with(nlp, doc, "parser")
    others, told_at = weighed(mentions), [i for i, _ in learned]
    rows = [mention_features(doc, mentions, i, others if i in others else told_at) for i in told_at]
    return doc, mentions, rows, [label for _, label in learned]


def training_rows(
    messages: list[tuple[str, list[str], set[str]]], nlp: Any
) -> tuple[list[dict], list[int]]:
    rows, labels = [], []
    for text, lines, meant in messages:
        _, _, message_rows, message_labels = told(text, lines, meant, nlp)
        rows.extend(message_rows)
        labels.extend(message_labels)
    return rows, labels


def train_focus(rows: list[dict], labels: list[int], c: float) -> Pipeline | None:
    """The logistic regression of « meant », or None when the labels teach only one class."""
    if len(set(labels)) < 2:
        return None
    model = make_pipeline(DictVectorizer(), LogisticRegression(C=c, max_iter=3000))
    return model.fit(rows, labels)


def meant_probabilities(
    pipeline: Pipeline | None, doc: Any, mentions: list[dict[str, Any]]
) -> dict[int, float]:
    """The probability that each weighed piece is meant, when two or more are named."""
    others = weighed(mentions)
    if pipeline is None or len(others) < 2:
        return {}
    rows = [mention_features(doc, mentions, i, others) for i in others]
    column = list(pipeline.classes_).index(1)
    return dict(zip(others, pipeline.predict_proba(rows)[:, column], strict=True))


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True, model_from="LeanSpacyNLP"
)
class ItemFocus(GraphComponent, EntityExtractorMixin):
    """Sets aside the pieces a message names but is unlikely to be about."""

    @classmethod
    def required_components(cls) -> list[type]:
        return [SpacyNLP]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"examples": "details", "C": 0.1, "margin": 0.2}

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        return labelled_files_digest(config.get("examples", cls.get_default_config()["examples"]))

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        pipeline: Pipeline | None = None,
    ) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.pipeline = pipeline

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ItemFocus:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData, model: SpacyModel) -> Resource:
        messages = labelled_messages(example_files(self.config["examples"]))
        self.pipeline = train_focus(*training_rows(messages, model.model), self.config["C"])
        write_pickled(self._model_storage, self._resource, MODEL_FILE, self.pipeline)
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> ItemFocus:
        pipeline = read_pickled(model_storage, resource, MODEL_FILE)
        if pipeline is None:
            logger.warning("No item focus model: every piece named counts.")
        return cls(config, model_storage, resource, pipeline)

    def process(self, messages: list[Message], model: SpacyModel) -> list[Message]:
        for message in messages:
            doc = message.get(SPACY_DOCS[TEXT])
            entities = message.get(ENTITIES) or []
            mentions = item_entities(entities)
            if doc is None or len(weighed(mentions)) < 2 or self.pipeline is None:
                continue
            doc = analyse_with(model.model, doc, "parser")
            focused = iter(
                set_aside(
                    mentions,
                    meant_probabilities(self.pipeline, doc, mentions),
                    self.config["margin"],
                )
            )
            message.set(
                ENTITIES,
                [next(focused) if e.get("entity") == "item" else e for e in entities],
                add_to_output=True,
            )
        return messages
