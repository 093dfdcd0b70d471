"""Intent classifier: TF-IDF n-grams of the normalised text → linear SVM.

Measured on a cross-validation of the training data (tools/nlu_select.py, which also holds
the candidates it lost to: spaCy tokens or lemmas as a third view, logistic regression,
sigmoid-calibrated SVMs), this is more accurate than DIET and than DIET blended with n-grams,
trains in seconds instead of minutes and classifies a message in well under a millisecond.
Views of a message:

- character n-grams (2–5, inside word boundaries) of the normalised text — robust to typos
  and to the many spellings of one word;
- word uni- and bigrams of the normalised text — « suivre ma commande » vs « annuler ma
  commande ».

The linear SVM's scores become probabilities through a softmax whose temperature is fitted on
out-of-fold scores of the training data (`SoftmaxSVC`): one model to evaluate per message,
where scikit-learn's CalibratedClassifierCV ran 3 SVMs and 3 × 24 sigmoid calibrators. Those
probabilities are the intent ranking; the FallbackClassifier after it thresholds the best one.

scikit-learn trains the pipeline; messages are scored by `CompiledClassifier`, the same
arithmetic without scikit-learn's per-call validation and FeatureUnion's joblib dispatch, which
cost about ten times the arithmetic itself for one short message.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from operator import itemgetter
from pathlib import Path
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.optimize import minimize_scalar
from scipy.special import log_softmax, softmax
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import FeatureUnion, Pipeline, make_pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.svm import LinearSVC

from components.normalise import normalise
from components.questions import after_the_opener, question_segments

logger = logging.getLogger(__name__)
MODEL_FILE = "intent_classifier.pkl"
# The parse's list of the questions of a message that asks several (components/questions.py).
QUESTIONS = "questions"
# The parse's part of a message after its opening thanks, greeting, yes or no.
REST = "after_the_opener"


def classifier_inputs(text: str) -> dict[str, str]:
    """What the classifier reads from one message, by view column: its normalised text."""
    return {"text": normalise(text)}


def _column(name: str) -> FunctionTransformer:
    return FunctionTransformer(_select, kw_args={"column": name})


def _select(inputs: list[dict[str, str]], column: str) -> list[str]:
    return [item[column] for item in inputs]


class SoftmaxSVC(ClassifierMixin, BaseEstimator):
    """Linear SVM whose scores become probabilities by a softmax with a fitted temperature.

    The temperature minimises the log-loss of out-of-fold scores (models that did not see the
    message), so that a confidence means the same on new messages as on the training ones: the
    SVM's scores on its own training examples are over-confident.
    """

    def __init__(self, C: float = 1.0, folds: int = 3, random_state: int = 42) -> None:
        self.C = C
        self.folds = folds
        self.random_state = random_state

    def _svm(self) -> LinearSVC:
        return LinearSVC(C=self.C, random_state=self.random_state)

    def fit(self, X, y) -> SoftmaxSVC:
        y = np.asarray(y)
        folds = StratifiedKFold(self.folds, shuffle=True, random_state=self.random_state)
        scores = cross_val_predict(self._svm(), X, y, cv=folds, method="decision_function")
        self.svm_ = self._svm().fit(X, y)
        self.classes_ = self.svm_.classes_
        self.temperature_ = fit_temperature(scores, np.searchsorted(self.classes_, y))
        return self

    def decision_function(self, X) -> np.ndarray:
        return self.svm_.decision_function(X)

    def predict_proba(self, X) -> np.ndarray:
        return softmax(self.decision_function(X) / self.temperature_, axis=1)

    def predict(self, X) -> np.ndarray:
        return self.classes_[self.decision_function(X).argmax(axis=1)]


def fit_temperature(scores: np.ndarray, truth: np.ndarray) -> float:
    """The softmax temperature giving the smallest log-loss of the true classes."""

    def log_loss(log_temperature: float) -> float:
        log_p = log_softmax(scores / np.exp(log_temperature), axis=1)
        return -float(log_p[np.arange(len(truth)), truth].mean())

    best = minimize_scalar(log_loss, bounds=(np.log(0.01), np.log(10.0)), method="bounded")
    return float(np.exp(best.x))


def text_views() -> list[tuple[str, Pipeline]]:
    """The TF-IDF views of the normalised text: character 2–5-grams and word 1–2-grams."""
    return [
        ("chars", tfidf_view("text", analyzer="char_wb", ngram_range=(2, 5))),
        ("words", tfidf_view("text", analyzer="word", ngram_range=(1, 2))),
    ]


def phrase_views() -> list[tuple[str, Pipeline]]:
    """Character 2–6-grams across word boundaries, and word 1–2-grams: « me va pas », « trop
    pour moi », « pas mon style » are read as the phrases they are, spellings and all. Why a
    customer returns a piece is said in such phrases more than in single words (the reason
    classifier, components/detail_classifier.py)."""
    return [
        ("phrase_chars", tfidf_view("text", analyzer="char", ngram_range=(2, 6))),
        ("words", tfidf_view("text", analyzer="word", ngram_range=(1, 2))),
    ]


def build_classifier(
    c: float = 1.0, seed: int = 42, views: Callable[[], list] = text_views
) -> Pipeline:
    """The text views side by side, then the softmax SVM."""
    return make_pipeline(FeatureUnion(views()), SoftmaxSVC(C=c, random_state=seed))


def tfidf_view(column: str, **tfidf: Any) -> Pipeline:
    """Sublinear TF-IDF of one input column (`classifier_inputs`)."""
    return make_pipeline(_column(column), TfidfVectorizer(sublinear_tf=True, **tfidf))


@dataclass(frozen=True)
class CompiledView:
    """One TF-IDF view: which input it reads, the numbering of its cut's n-grams, its columns
    and weights."""

    column: str
    grams: GramIndex
    columns: np.ndarray  # the view's column of each n-gram number, -1 where it has none
    idf: np.ndarray
    offset: int

    def features(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Column indices and TF-IDF values (sublinear tf, l2-normalised) of one text."""
        numbers, counts = self.grams.known(text)
        # n-grams numbered after this view was compiled are not its columns
        numbered = numbers < len(self.columns)
        columns = self.columns[numbers[numbered]]
        own = columns >= 0
        if not own.any():
            return np.empty(0, dtype=np.intp), np.empty(0)
        indices = columns[own]
        values = (1.0 + np.log(counts[numbered][own])) * self.idf[indices]
        return indices + self.offset, values / np.linalg.norm(values)


class CompiledClassifier:
    """The trained pipeline's arithmetic for one message at a time, with plain numpy.

    Equal to `pipeline.predict_proba` (tests/bot/test_nlu_components.py checks it) for the
    pipeline `build_classifier` makes: TF-IDF views side by side, scores X·Wᵀ + b, then a
    softmax with SoftmaxSVC's temperature.
    """

    def __init__(self, pipeline: Pipeline) -> None:
        union, estimator = pipeline.steps[0][1], pipeline.steps[-1][1]
        self.classes_ = estimator.classes_
        self.views = _compiled_views(union)
        self.weights = np.ascontiguousarray(estimator.svm_.coef_.T)
        self.bias = estimator.svm_.intercept_
        self.temperature = estimator.temperature_

    def scores(self, inputs: dict[str, str]) -> np.ndarray:
        features = [view.features(inputs[view.column]) for view in self.views]
        indices = np.concatenate([found for found, _ in features])
        values = np.concatenate([value for _, value in features])
        return values @ self.weights[indices] + self.bias

    def predict_proba(self, inputs: list[dict[str, str]]) -> np.ndarray:
        scaled = np.array([self.scores(item) for item in inputs]) / self.temperature
        # scipy's softmax, written out: its argument checks cost more than the arithmetic here
        exponentials = np.exp(scaled - scaled.max(axis=1, keepdims=True))
        return exponentials / exponentials.sum(axis=1, keepdims=True)


# The n-grams of a text depend only on how they are cut: the intent classifier and the three
# detail classifiers (components/detail_classifier.py) cut the same normalised message the same
# way, so each cut is made, counted and looked up once per message, not once per classifier.
_CUT_PARAMETERS = ("analyzer", "ngram_range")


class GramIndex:
    """The n-grams of one cut that some compiled view knows, each numbered once.

    A message's n-grams are looked up in this one table; each view then turns the numbers into
    its own columns with an array (`CompiledView.columns`). Looking them up in every view's
    vocabulary was most of the four classifiers' time (about 1 ms per message)."""

    def __init__(self, analyse: Callable[[str], Sequence[str]]) -> None:
        self.analyse = analyse
        self.numbers: dict[str, int] = {}
        self.known = lru_cache(maxsize=64)(self._known)

    def columns_of(self, vocabulary: dict[str, int]) -> np.ndarray:
        """Number the vocabulary's n-grams; the vocabulary's column of every number so far."""
        for gram in vocabulary:
            self.numbers.setdefault(gram, len(self.numbers))
        columns = np.full(len(self.numbers), -1, dtype=np.intp)
        columns[[self.numbers[gram] for gram in vocabulary]] = list(vocabulary.values())
        self.known.cache_clear()  # texts cut before may hold n-grams numbered just now
        return columns

    def _known(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """The numbers of the text's n-grams that some view knows, and how often each occurs."""
        counts = Counter(self.analyse(text))
        number_of = self.numbers.get
        found = [
            (number, n) for gram, n in counts.items() if (number := number_of(gram)) is not None
        ]
        numbers = np.fromiter((number for number, _ in found), dtype=np.intp, count=len(found))
        return numbers, np.fromiter((n for _, n in found), dtype=float, count=len(found))


@cache
def _shared_index(analyzer: str, ngram_range: tuple[int, int]) -> GramIndex:
    return GramIndex(TfidfVectorizer(analyzer=analyzer, ngram_range=ngram_range).build_analyzer())


def gram_index(vectorizer: TfidfVectorizer) -> GramIndex:
    """The shared index of the vectorizer's cut when it cuts n-grams with only the analyzer and
    ngram_range set (what `tfidf_view` builds), else an index of its own analyser."""
    params = vectorizer.get_params()
    defaults = TfidfVectorizer().get_params()
    if any(params[k] != defaults[k] for k in params if k not in (*_CUT_PARAMETERS, "sublinear_tf")):
        return GramIndex(vectorizer.build_analyzer())
    return _shared_index(params["analyzer"], tuple(params["ngram_range"]))


def _compiled_views(union: FeatureUnion) -> list[CompiledView]:
    views, offset = [], 0
    for _, view in union.transformer_list:
        select, vectorizer = view.steps[0][1], view.steps[-1][1]
        grams = gram_index(vectorizer)
        views.append(
            CompiledView(
                column=select.kw_args["column"],
                grams=grams,
                columns=grams.columns_of(vectorizer.vocabulary_),
                idf=vectorizer.idf_,
                offset=offset,
            )
        )
        offset += len(vectorizer.vocabulary_)
    return views


def components_source_digest(folder: Path | None = None) -> str:
    """A digest of this package's code. Rasa's training cache keys a trained component on its
    config and training data only: without the code in its fingerprint, a change to the
    normalisation or the features would restore the component trained by the old code."""
    digest = hashlib.sha256()
    for path in sorted((folder or Path(__file__).parent).glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class NgramIntentClassifier(GraphComponent, IntentClassifier):
    """Rasa wrapper of `build_classifier`: trains on the intent examples, ranks intents."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"C": 1.0, "random_seed": 42, "ranking_length": 10}

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        return components_source_digest()

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
        self.classifier = CompiledClassifier(classifier) if classifier is not None else None

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> NgramIntentClassifier:
        return cls(config, model_storage, resource)

    def _inputs(self, message: Message) -> dict[str, str]:
        return classifier_inputs(message.get(TEXT) or "")

    def train(self, training_data: TrainingData) -> Resource:
        examples = [e for e in training_data.intent_examples if e.get(TEXT) and e.get(INTENT)]
        classifier = build_classifier(c=self.config["C"], seed=self.config["random_seed"])
        intents = np.array([e.get(INTENT) for e in examples])
        classifier.fit([self._inputs(e) for e in examples], intents)
        self.classifier = CompiledClassifier(classifier)
        write_pickled(self._model_storage, self._resource, MODEL_FILE, classifier)
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> NgramIntentClassifier:
        classifier = read_pickled(model_storage, resource, MODEL_FILE)
        if classifier is None:
            logger.warning("No intent classifier in the model: every message is nlu_fallback.")
        return cls(config, model_storage, resource, classifier)

    def process(self, messages: list[Message]) -> list[Message]:
        if self.classifier is None:
            return messages
        probabilities = self.classifier.predict_proba([self._inputs(m) for m in messages])
        labels = list(self.classifier.classes_)
        for message, row in zip(messages, probabilities, strict=True):
            ranking = rank(labels, row)
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(
                INTENT_RANKING_KEY, ranking[: self.config["ranking_length"]], add_to_output=True
            )
            text = message.get(TEXT) or ""
            if questions := self.classify_each_question(text):
                message.set(QUESTIONS, questions, add_to_output=True)
            if (rest := after_the_opener(text)) is not None:
                message.set(REST, self.classify_apart(rest), add_to_output=True)
        return messages

    def classify_apart(self, text: str) -> dict[str, Any]:
        """One part of a message with its own best intent."""
        assert self.classifier is not None
        row = self.classifier.predict_proba([classifier_inputs(text)])[0]
        return {"text": text, **rank(list(self.classifier.classes_), row)[0]}

    def classify_each_question(self, text: str) -> list[dict[str, Any]]:
        """Each question of a message that asks several, with its own best intent."""
        assert self.classifier is not None
        segments = question_segments(text)
        if not segments:
            return []
        return [self.classify_apart(segment) for segment in segments]


def write_pickled(storage: ModelStorage, resource: Resource, name: str, value: Any) -> None:
    with storage.write_to(resource) as directory:
        (directory / name).write_bytes(pickle.dumps(value))


def read_pickled(storage: ModelStorage, resource: Resource, name: str) -> Any:
    """What this project's own training pickled into its model (a trusted file), or None when
    the model holds none."""
    try:
        with storage.read_from(resource) as directory:
            return pickle.loads((directory / name).read_bytes())  # noqa: S301
    except (ValueError, FileNotFoundError):
        return None


def rank(labels: list[str], probabilities) -> list[dict[str, Any]]:
    """Intent ranking, best first, in Rasa's format."""
    pairs = sorted(zip(labels, (float(p) for p in probabilities), strict=True), key=itemgetter(1))
    return [{"name": name, "confidence": confidence} for name, confidence in reversed(pairs)]
