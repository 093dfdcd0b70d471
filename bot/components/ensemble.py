"""Intent classifier that blends DIET with a TF-IDF logistic regression.

On this shop's French data a plain TF-IDF (character 2–5 and word 1–2 n-grams) + logistic
regression is as strong as DIET, and the two make different mistakes: DIET generalises
from spaCy features, the n-gram model is robust to typos and SMS spellings. Averaging their
probabilities beats both (see reports/nlu/metrics.json). The component runs after
DIETClassifier, reads its full intent ranking and replaces intent and ranking with the blend,
so the FallbackClassifier after it thresholds the blended confidence.
"""

from __future__ import annotations

import logging
import pickle
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline, make_union

logger = logging.getLogger(__name__)
MODEL_FILE = "ngram_logreg.pkl"


def build_ngram_classifier(c: float, seed: int) -> Pipeline:
    return make_pipeline(
        make_union(
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
            TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True),
        ),
        LogisticRegression(C=c, max_iter=3000, random_state=seed),
    )


def blend(
    ngram: dict[str, float], diet: dict[str, float], ngram_weight: float
) -> list[dict[str, Any]]:
    """Weighted mean of two probability distributions, as a ranking (best first)."""
    names = set(ngram) | set(diet)
    mixed = {
        name: ngram_weight * ngram.get(name, 0.0) + (1 - ngram_weight) * diet.get(name, 0.0)
        for name in names
    }
    return [
        {"name": name, "confidence": confidence}
        for name, confidence in sorted(mixed.items(), key=lambda item: -item[1])
    ]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class NgramDietEnsemble(GraphComponent, IntentClassifier):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"ngram_weight": 0.5, "C": 10.0, "random_seed": 42, "ranking_length": 10}

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        classifier: Pipeline | None = None,
    ) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.classifier = classifier

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> NgramDietEnsemble:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [e for e in training_data.intent_examples if e.get(TEXT) and e.get(INTENT)]
        classifier = build_ngram_classifier(self.config["C"], self.config["random_seed"])
        classifier.fit([e.get(TEXT).lower() for e in examples], [e.get(INTENT) for e in examples])
        self.classifier = classifier
        with self._model_storage.write_to(self._resource) as directory:
            (directory / MODEL_FILE).write_bytes(pickle.dumps(classifier))
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> NgramDietEnsemble:
        """Loads the classifier this project trained itself (a trusted pickle in its model)."""
        try:
            with model_storage.read_from(resource) as directory:
                classifier = pickle.loads((directory / MODEL_FILE).read_bytes())  # noqa: S301
        except (ValueError, FileNotFoundError):
            logger.warning("No n-gram classifier in the model: using DIET alone.")
            classifier = None
        return cls(config, model_storage, resource, classifier)

    def process(self, messages: list[Message]) -> list[Message]:
        if self.classifier is None:
            return messages
        texts = [(message.get(TEXT) or "").lower() for message in messages]
        probabilities = self.classifier.predict_proba(texts)
        labels = list(self.classifier.classes_)
        for message, row in zip(messages, probabilities, strict=True):
            diet = {i["name"]: i["confidence"] for i in message.get(INTENT_RANKING_KEY) or []}
            ngram = dict(zip(labels, (float(p) for p in row), strict=True))
            ranking = blend(ngram, diet, self.config["ngram_weight"])
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(
                INTENT_RANKING_KEY, ranking[: self.config["ranking_length"]], add_to_output=True
            )
        return messages
