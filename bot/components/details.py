"""Rasa graph component: the details of a message read from spaCy's analysis.

Needs the spaCy doc SpacyNLP (components/spacy_model.py) puts on each message: without it
there is nothing to read and no detail entity is added. Adds these entities:

- `item`: each jewellery the customer names, valued by its key words (components/items.py),
  with the role `excluded` for what they leave out, `every` for « les deux bagues », or the
  message's content words with the role `words` when it names no jewellery; the actions
  resolve them against the verified order's lines;
- `reason`: defective, damaged_on_arrival, wrong_item, wrong_size or changed_mind;
  `supposed_reason`: a reason the message only supposes (« si elle est trop grande… »), which
  the detail classifier never gives as the reason; `came_like_this`: the message says the
  piece was so when it came out of its parcel (« dès la sortie du sachet »), so a flaw the
  classifier reads as a defect came damaged;
- `warranty_cause`: defect, loss, normal_wear, improper_use, modification or
  non_allyzure_item; `denied_cause`: a cause the message negates (never a cause);
- `address`: the parsed address (a dict); the role `incomplete` when parts are missing, with
  the list under `missing`;
- `preference`: refund, replacement, exchange or store_credit; `denied_preference`: one the
  customer turns down (« un remplacement, pas un remboursement »), never the preference.

spaCy's tagger chain runs only on messages that may hold a detail (components/detail_filter.py),
the dependency parser only on messages with a jewellery noun or a cue near a negation, the
entity recogniser only on messages that look like an address (a postal code, a civic number
before a street type) when a place could change the address read (`PlacesOnDemand`):
components/spacy_model.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import SPACY_DOCS
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.nlu.utils.spacy_utils import SpacyModel, SpacyNLP
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from components.addresses import (
    CA_POSTAL,
    STREET_TYPES_EN,
    STREET_TYPES_FR,
    US_ZIP,
    is_abroad,
    parse_address,
)
from components.causes import (
    PREFERENCES,
    RETURN_REASONS,
    WARRANTY_CAUSES,
    came_like_this,
    find,
    preference,
    return_reason,
    warranty_cause,
)
from components.detail_filter import detail_filter
from components.items import has_item_noun, item_mentions
from components.negation import NE_NEGATORS, NEGATORS, aligned_plain, plain
from components.spacy_model import TAGGER_CHAIN, analyse_with

STREET_HINT = re.compile(
    r"\d+\s*,?\s+(" + STREET_TYPES_FR + r"|[\w'.-]+\s+(" + STREET_TYPES_EN + r"))\b", re.I
)


# « … pas de chez vous, mais le pendentif oui », « la médaille en argent oui », « c'est bien la
# vôtre »: a piece of the order beside the one from elsewhere
OURS_TOO = re.compile(
    r"\b(mais|par contre|alors que)\b[^.!?]{0,40}\b(oui|(est|sont) (bien )?"
    r"(de chez vous|a vous|la votre|le votre|les votres|d'allyzure))\b"
    r"|\bc'est bien (la|le|les) v[oô]tres?\b"
)


def needs_parse(doc: Any) -> bool:
    """Item modifiers and the negation scope of a cue need the dependency parse; a message
    with no jewellery noun, or no cue within reach of a negation, does not."""
    if has_item_noun(doc):
        return True
    words = {plain(token.text) for token in doc}
    if not words & (NEGATORS | NE_NEGATORS):
        return False
    return any(find(doc, tables) for tables in (WARRANTY_CAUSES, RETURN_REASONS, PREFERENCES))


def looks_like_an_address(text: str) -> bool:
    """A postal code or a civic number before a street: the entity recogniser may help."""
    return bool(
        CA_POSTAL.search(text) or STREET_HINT.search(text) or US_ZIP.search(text) or is_abroad(text)
    )


def places(doc: Any) -> list[tuple[int, int]]:
    return [(ent.start_char, ent.end_char) for ent in doc.ents if ent.label_ == "LOC"]


class PlacesOnDemand:
    """The places of a message for the address parser, the entity recogniser (~5 ms) run the
    first time the parser reads them: it reads them only where a place could change the
    address, which most addresses (« 55 rue Laurier, Montréal H2T 2N6 ») never need."""

    def __init__(self, doc: Any, nlp: Any | None) -> None:
        self.doc, self.nlp = doc, nlp
        self.found: list[tuple[int, int]] | None = None

    def __iter__(self) -> Iterator[tuple[int, int]]:
        if self.found is None:
            if self.nlp is not None:
                self.doc = analyse_with(self.nlp, self.doc, "ner")
            self.found = places(self.doc) if self.doc.has_annotation("ENT_IOB") else []
        return iter(self.found)


def details(doc: Any, nlp: Any | None = None) -> list[dict[str, Any]]:
    """The detail entities of one message, in Rasa's entity format.

    Given the spaCy model `nlp`, the pipes run as needed: none when no cue can match (then
    only the message's content words may name a line, and the cue tables are not searched).
    """
    text = doc.text
    cues = nlp is None or detail_filter(nlp).may_hold_detail(doc)
    if nlp is not None and cues:
        doc = analyse_with(nlp, doc, *TAGGER_CHAIN)
        if needs_parse(doc):
            doc = analyse_with(nlp, doc, "parser")
    found: list[dict[str, Any]] = []
    if cues:
        found.extend(_reasons_causes_and_preference(doc))
    # « ce collier ne vient pas de chez vous »: the piece is no line of the order, unless
    # another one is said to be the shop's (« la chaîne non, mais le pendentif oui »)
    bought_elsewhere = any(
        e["entity"] == "warranty_cause" and e["value"] == "non_allyzure_item" for e in found
    ) and not OURS_TOO.search(plain(text))
    for mention in [] if bought_elsewhere else item_mentions(doc):
        entity = _entity("item", mention.value, mention.start, mention.end)
        if mention.role:
            entity["role"] = mention.role
        found.append(entity)
    if looks_like_an_address(text):
        address = parse_address(text, PlacesOnDemand(doc, nlp))
        if address.valid:
            found.append(_entity("address", address.as_dict()))
        elif address.found_anything:
            incomplete = {
                **address.as_dict(),
                "missing": address.missing,
                "problems": address.problems,
            }
            found.append({**_entity("address", incomplete), "role": "incomplete"})
    return found


def _reasons_causes_and_preference(doc: Any) -> list[dict[str, Any]]:
    found = []
    reason, _, supposed = return_reason(doc)
    if reason:
        found.append(_entity("reason", reason))
    if reason == "damaged_on_arrival" and came_like_this(aligned_plain(doc.text)):
        found.append(_entity("came_like_this", True))
    found.extend(_entity("supposed_reason", value) for value in supposed)
    cause, denied = warranty_cause(doc)
    if cause:
        found.append(_entity("warranty_cause", cause))
    found.extend(_entity("denied_cause", value) for value in denied)
    wanted, turned_down = preference(doc)
    if wanted:
        found.append(_entity("preference", wanted))
    found.extend(_entity("denied_preference", value) for value in turned_down)
    return found


def _entity(name: str, value: Any, start: int = 0, end: int = 0) -> dict[str, Any]:
    return {"entity": name, "value": value, "start": start, "end": end, "confidence_entity": 1.0}


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False, model_from="LeanSpacyNLP"
)
class DetailExtractor(GraphComponent, EntityExtractorMixin):
    """Adds item, reason, warranty_cause, address and preference entities from spaCy's doc."""

    @classmethod
    def required_components(cls) -> list[type]:
        return [SpacyNLP]

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> DetailExtractor:
        return cls()

    def process(self, messages: list[Message], model: SpacyModel) -> list[Message]:
        nlp = model.model if model is not None else None
        for message in messages:
            doc = message.get(SPACY_DOCS[TEXT])
            if doc is None or not message.get(TEXT):
                continue
            found = self.add_extractor_name(details(doc, nlp))
            message.set(ENTITIES, [*message.get(ENTITIES, []), *found], add_to_output=True)
        return messages
