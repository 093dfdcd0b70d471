"""Negation scope in French messages, read from spaCy's morphology and dependency parse.

« je ne l'ai jamais échappé », « elle n'est pas perdue », « ni rayée ni tordue », « aucun
choc », « sans l'avoir fait tomber »: the word that names a cause is there, but denied. A word
is negated when a negator governs it in the parse (the negator is a child of the word or of
one of its heads inside the same clause), or, because the small model's parse of chat French
is not always right, when a negator stands just before it in the same clause segment.
Clauses end at punctuation and at « mais », « car », « parce que », « sauf que », « que »…,
so that « je ne l'ai pas perdue, la pierre s'est décrochée » and « ça n'empêche pas que le
plaqué est parti » keep the second clause positive (« sans que » keeps its scope).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Any

# Always negative, with or without « ne » (spoken French drops it).
NEGATORS = {
    "pas", "jamais", "aucun", "aucune", "ni", "sans", "nullement", "aucunement", "guere", "point",
    "rien",
}  # fmt: skip
# Negative only after « ne » / « n' » in the same segment (« en plus », « plus grande »).
NE_NEGATORS = {"plus", "personne"}
# Words that close a clause for negation scope.
SEGMENT_BREAKS = {
    ",", ";", ".", "!", "?", ":", "(", ")", "…", "-", "—",
    "mais", "car", "parce", "puisque", "sauf", "cependant", "pourtant", "toutefois",
    "et", "alors", "donc", "quand", "lorsque", "depuis", "apres", "maintenant",
    "pourquoi", "comment", "qui", "si", "que", "qu'",
}  # fmt: skip
# « sans que je tire dessus »: the clause after these stays under the negation.
KEEP_SCOPE = {"sans", "ni"}
ASSERTING_UNDER_NEGATION = ("empech", "nie", "doute")
# Dependency relations that start a new clause: a negation does not cross them upwards.
CLAUSE_RELATIONS = {"conj", "parataxis", "advcl", "ccomp", "acl:relcl", "acl", "ROOT", "xcomp"}
WINDOW = 6  # tokens before a word in which a bare negator still counts (« pas à cause d'un choc »)
# « Perdue ? Non. », « échappée ? jamais »: the answer after the question denies the word.
ANSWERED_NO = {"non", "jamais", "nope", "pantoute"}


# Ligatures Unicode does not decompose: « cœur » is typed « coeur » on most keyboards.
LIGATURES = str.maketrans({"œ": "oe", "æ": "ae"})
# « ne devrait pas perdre sa couleur », « n'est pas censée noircir »: a norm the customer
# says was broken, so the cue after it is what happened, not a denial.
NORMATIVE = {"devrait", "devraient", "doit", "doivent", "cense", "censee", "censes", "censees",
             "supposee", "suppose", "supposes", "supposees"}  # fmt: skip


@lru_cache(maxsize=100_000)
def plain(text: str) -> str:
    """Lower case without accents: how cue words are compared. Kept for the words and texts
    met most recently: the detail components ask it of the same words many times."""
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("’", "'").translate(LIGATURES))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=1_000)
def aligned_plain(text: str) -> str:
    """`plain`, one character for one, so that a position in it is a position in `text` (a
    spaCy token's `idx`). A character plain spells with several keeps the first (« … » is
    « . », « œ » is « o », « ½ » is « 1 »): with `plain`, every window after « ma sœur » or
    « … » was read one or two characters off. Kept, like `plain`: every reader of a message
    asks it of the same text, some once per word."""
    return "".join(plain(character)[:1] or character for character in text)


def segment_ids(doc: Any) -> list[int]:
    """The clause segment of each token (a number that grows at each break), read from the
    words alone: computed once per doc and kept on it (`doc.user_data`)."""
    kept = doc.user_data.get("allyzure_segments")
    if kept is None or len(kept) != len(doc):
        kept = doc.user_data["allyzure_segments"] = _segment_ids(doc)
    return kept


def _segment_ids(doc: Any) -> list[int]:
    ids, current = [], 0
    for token in doc:
        if plain(token.text) in SEGMENT_BREAKS and not _keeps_scope(token, doc):
            current += 1
            ids.append(-1)  # a break belongs to no segment
            continue
        ids.append(current)
    return ids


def _keeps_scope(token: Any, doc: Any) -> bool:
    """« sans que », « ni que », and « que » / « parce que » right after a negator (« ce n'est
    pas que… », « je pense pas que… », « pas parce que… ») stay under the negation; « ça
    n'empêche pas que… », « je ne nie pas que… » assert what follows."""
    before = [plain(t.text) for t in doc[max(0, token.i - 2) : token.i]]
    if plain(token.text) not in {"que", "qu'", "parce"} or not before:
        return False
    if before[-1] in KEEP_SCOPE:
        return True
    return before[-1] in NEGATORS and not before[0].startswith(ASSERTING_UNDER_NEGATION)


def is_negator(token: Any, doc: Any, segments: list[int]) -> bool:
    word = plain(token.text)
    if word in NEGATORS:
        return not _is_fixed_expression(token, doc)
    if word in NE_NEGATORS:
        return any(
            plain(doc[i].text) in {"ne", "n'", "n"}
            for i in range(token.i)
            if segments[i] == segments[token.i]
        )
    return False


def _is_fixed_expression(token: Any, doc: Any) -> bool:
    """Negators that negate nothing: « pas mal » (quite), « un rien trop court » (a little),
    « rien que » (only), and a negated norm (« ne devrait pas », « pas censée »), which
    asserts that the cue after it happened."""
    word = plain(token.text)
    following = plain(doc[token.i + 1].text) if token.i + 1 < len(doc) else ""
    previous = [plain(t.text) for t in doc[max(0, token.i - 2) : token.i]]
    if word == "pas" and following == "mal":
        return True
    if word == "rien" and (previous[-1:] == ["un"] or following == "que"):
        return True
    return bool(set(previous) & NORMATIVE) or following in NORMATIVE


def is_negated(token: Any, doc: Any, segments: list[int] | None = None) -> bool:
    """Is `token` inside the scope of a negation of its own clause?"""
    segments = segments if segments is not None else segment_ids(doc)
    if _answered_no(token, doc) or _dislocated(token, doc, segments):
        return True
    segment = segments[token.i]
    start = max(0, token.i - WINDOW)
    for i in range(start, token.i):
        if segments[i] == segment and is_negator(doc[i], doc, segments):
            return True
    if not doc.has_annotation("DEP"):
        return False
    node = token
    for _ in range(6):
        for child in node.children:
            if (
                child.i < token.i
                and segments[child.i] == segment
                and is_negator(child, doc, segments)
            ):
                return True
        if node.dep_ in CLAUSE_RELATIONS or node.head is node:
            return False
        node = node.head
    return False


def _answered_no(token: Any, doc: Any) -> bool:
    following = [plain(t.text) for t in doc[token.i + 1 : token.i + 4]]
    return bool(following) and following[0] == "?" and any(w in ANSWERED_NO for w in following)


PARTITIVES = {"de", "d'", "d", "du", "des"}


def _dislocated(token: Any, doc: Any, segments: list[int]) -> bool:
    """A word set apart by a comma from the negation it belongs to: « j'en veux pas, de
    remplacement » (the partitive after the comma is the negated object) and « un bon
    d'achat, non merci » (the « non » after the comma refuses what came before)."""
    segment = segments[token.i]
    members = [t for t in doc if segments[t.i] == segment]
    first, last = members[0], members[-1]
    if plain(first.text) in PARTITIVES and first.i >= 2:
        before = doc[first.i - 2]
        if plain(doc[first.i - 1].text) == "," and plain(before.text) in NEGATORS | NE_NEGATORS:
            return True
    after = [plain(t.text) for t in doc[last.i + 1 : last.i + 4]]
    return after[:2] == [",", "non"] and after[2:3] != ["?"]  # « …, non ? » asks, not refuses
