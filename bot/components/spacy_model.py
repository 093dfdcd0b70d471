"""spaCy's French model loaded with only the spaCy components the pipeline uses.

Rasa's SpacyNLP loads `fr_core_news_sm` without its dependency parser but still runs the
tagger chain and the named-entity recogniser on every message — most of the parse time.
Nothing here reads spaCy's entities (identifiers are found by pattern, components/entities.py)
or its parse. `keep` lists the spaCy components to run: the tagger chain
(tok2vec, morphologizer, attribute_ruler, lemmatizer) when the intent classifier should see
lemmas, nothing when it reads spaCy's French tokens only (elisions and hyphenated verbs split:
« j'ai » → « j' ai », « envoyez-la » → « envoyez -la »).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.utils.spacy_utils import SpacyModel, SpacyNLP

LEMMATISER_CHAIN = ["tok2vec", "morphologizer", "attribute_ruler", "lemmatizer"]


def load_french_spacy(model_name: str, keep: list[str]) -> SpacyModel:
    """Rasa's checked loading of the model, then every spaCy component not in `keep` removed.

    Rasa's model graph has two nodes for this component (the model provider and the
    featurizer) and creates each: loading once per process halves the spaCy part of the
    server's start (~4 s here). Both nodes only read the model.
    """
    return _loaded_once(model_name, tuple(keep))


@cache
def _loaded_once(model_name: str, keep: tuple[str, ...]) -> SpacyModel:
    model = SpacyNLP.load_model(model_name)
    for name in list(model.model.component_names):
        if name not in keep:
            model.model.remove_pipe(name)
    return model


@DefaultV1Recipe.register(
    [
        DefaultV1Recipe.ComponentType.MODEL_LOADER,
        DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER,
    ],
    is_trainable=False,
    model_from="LeanSpacyNLP",
)
class LeanSpacyNLP(SpacyNLP):
    """SpacyNLP running only the spaCy components listed in `keep`."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**SpacyNLP.get_default_config(), "keep": LEMMATISER_CHAIN}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LeanSpacyNLP:
        config = {**cls.get_default_config(), **config}
        model = load_french_spacy(config["model"], list(config["keep"]))
        cls.ensure_proper_language_model(model.model)
        return cls(model, config)
