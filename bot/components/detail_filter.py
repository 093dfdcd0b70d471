"""Which messages need spaCy's analysis: a test of their words against the detail cues.

spaCy's tagger chain (tok2vec, morphologizer, attribute_ruler, lemmatizer) costs ~4 ms of CPU
per message, more than the rest of the NLU together, and most messages (« bonjour », « où est
ma commande AZ104203 ? », an email address) hold no detail: nothing in them can match a cue.
`DetailFilter.may_hold_detail` says, from spaCy's tokens alone, whether a detail component
could find something; only those messages get the analysis (components/details.py).

It never says no where the analysis would find a detail, because it asks what the components
ask, with every lemma the analysis could give:
- a cue word (components/causes.py), a jewellery noun (misspelt too: « colier ») or a
  pronoun standing for one (« celle en argent », components/items.py) is matched on the
  token's lemma or on the word. Before the analysis the lemma is unknown, so each word is
  tried with every lemma spaCy's French lemmatizer could give it under any part of speech:
  its lookup table, its exceptions and its suffix rules (« perds » → « perdre », « pliait » →
  « plier », « anneaux » → « anneau »), from the model's own tables;
- a cue phrase or scene, « les deux », « tout sauf… », a descriptor after a determiner
  (« la verte », « les perles »), « l'autre » or « la première » (items.ALL_PATTERNS,
  BOTH_PATTERNS, DESCRIBED_PATTERN, OTHER_PATTERN, ORDINAL_PATTERN), is the same regular
  expression on the same plain text.
tests/bot/test_detail_filter.py checks that the details found with the filter equal those of
a full analysis on the detail and held-out test sets. An address needs no tagger, only the
entity recogniser (components/details.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, lru_cache
from typing import Any

from components.causes import (
    DAMAGE_CUES,
    DEFECT_CUES,
    PREFERENCES,
    RETURN_REASONS,
    WARRANTY_CAUSES,
    Cues,
)
from components.items import (
    ALL_PATTERNS,
    BOTH_PATTERNS,
    DESCRIBED_PATTERN,
    ITEM_NOUNS,
    ORDINAL_PATTERN,
    OTHER_PATTERN,
    PRONOUNS,
    misspelt_noun,
    singular,
)
from components.negation import aligned_plain, plain

# Every cue table the detail components read (tests/bot/test_detail_filter.py checks that no
# table of components.causes is missing).
CUE_TABLES: tuple[Cues, ...] = (
    *(cues for _, cues in WARRANTY_CAUSES),
    *(cues for _, cues in RETURN_REASONS),
    *(cues for _, cues in PREFERENCES),
    DAMAGE_CUES,
    DEFECT_CUES,
)
KNOWN_WORDS = 50_000  # distinct words whose answer is kept


class DetailFilter:
    """The detail cues, and the lemmatizer tables of one spaCy model."""

    def __init__(self, lemmatizer_tables: Any = None) -> None:
        words = [word for cues in CUE_TABLES for word in cues.words]
        self.exact = frozenset(word for word in words if not word.endswith("*"))
        self.prefixes = tuple(word[:-1] for word in words if word.endswith("*"))
        # One pattern each: five times faster than their alternation in one pattern.
        phrases = [
            re.compile(phrase) for cues in CUE_TABLES for phrase in (*cues.phrases, *cues.scene)
        ]
        self.phrases = (
            *phrases,
            ALL_PATTERNS,
            BOTH_PATTERNS,
            DESCRIBED_PATTERN,
            OTHER_PATTERN,
            ORDINAL_PATTERN,
        )
        self.lemmas = _LemmaCandidates(lemmatizer_tables)
        self.word_may_match = lru_cache(maxsize=KNOWN_WORDS)(self._word_may_match)

    def may_hold_detail(self, doc: Any) -> bool:
        """Could a detail component find an item, a reason, a cause or a preference in `doc`
        (spaCy's tokens, with or without the analysis)? False only when none can."""
        if any(self.word_may_match(token.text) for token in doc):
            return True
        simple = aligned_plain(doc.text)
        return any(phrase.search(simple) for phrase in self.phrases)

    def _word_may_match(self, word: str) -> bool:
        if misspelt_noun(singular(plain(word))):  # « colier », whatever its part of speech
            return True
        return any(
            form in self.exact
            or form.startswith(self.prefixes)
            or _jewellery_noun(form)
            or form in PRONOUNS
            for form in self.lemmas.of(word)
        )


def _jewellery_noun(form: str) -> bool:
    """What items.py takes for a jewellery noun: a plain singular form, or the first part of a
    hyphenated one (« carte-cadeau »)."""
    return singular(form) in ITEM_NOUNS or form.replace("-", " ").split(" ")[0] in ITEM_NOUNS


class _LemmaCandidates:
    """Every lemma spaCy's French rule lemmatizer could give a word, whatever its part of
    speech (spacy/lang/fr/lemmatizer.py): the word, its lookup-table lemma, its exceptions
    and the outputs of every suffix rule; plain (lower case, no accents)."""

    def __init__(self, tables: Any = None) -> None:
        self.lookup = tables.get_table("lemma_lookup", {}) if tables is not None else {}
        exceptions = tables.get_table("lemma_exc", {}) if tables is not None else {}
        rules = tables.get_table("lemma_rules", {}) if tables is not None else {}
        self.exceptions = [exceptions[pos] for pos in exceptions]
        # The suffix rules by the suffix they replace: a word looks up its own suffixes.
        self.rules: dict[str, set[str]] = {}
        for pos in rules:
            for old, new in rules[pos]:
                self.rules.setdefault(old, set()).add(new)
        self.suffix_lengths = sorted({len(old) for old in self.rules})

    def of(self, word: str) -> set[str]:
        lower = word.lower()
        forms = {word, lower}
        for key in (word, lower):
            forms.update(_as_list(self.lookup.get(key, [])))
        for table in self.exceptions:
            forms.update(table.get(lower, []))
        for length in self.suffix_lengths:
            if length > len(lower):
                break
            stem, suffix = lower[: len(lower) - length], lower[len(lower) - length :]
            forms.update(stem + new for new in self.rules.get(suffix, ()))
        return {plain(form) for form in forms if form}


def _as_list(value: str | Iterable[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


@cache
def detail_filter(nlp: Any) -> DetailFilter:
    """The filter for one loaded spaCy model (built once: it compiles the cues)."""
    lemmatizer = nlp.get_pipe("lemmatizer") if "lemmatizer" in nlp.component_names else None
    return DetailFilter(lemmatizer.lookups if lemmatizer is not None else None)
