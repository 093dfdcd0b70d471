"""Which order lines the customer names: « les boucles », « la bague en or », « le pendentif
gravé », with or without accents, singular or plural.

The NLU side (`item_mentions`) finds jewellery nouns by their spaCy lemma and adds the words
the dependency parse attaches to them (adjectives, « en or », « d'oreilles », « à perles »);
a mention the customer excludes (« pas le collier », « sauf la bague », « je garde la
chaîne ») gets the role `excluded`. Each mention's value is its key: the words' plain
(accent-free) singular forms. The action side (`resolve_items`, no spaCy) keys the verified
order's line names the same way and matches: the noun must be in the line's name, the other
words narrow the choice; when several lines still match, the customer is asked which one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from components.negation import plain, segment_ids

ALL = "__all__"  # « tout », « les deux », « toute la commande »
EXCLUDED = "excluded"  # « sauf le collier », « je garde la bague »
EVERY = "every"  # « les deux bagues »: every line the noun fits, no question asked
WORDS = "words"  # the message's content words, when it names no jewellery noun
# Jewellery nouns (plain singular) and the names a line may use for the same thing.
ITEM_NOUNS: dict[str, set[str]] = {
    "bague": {"bague", "anneau", "alliance", "solitaire", "chevaliere"},
    "anneau": {"anneau", "bague", "alliance"},
    "alliance": {"alliance", "anneau", "bague"},
    "solitaire": {"solitaire", "bague"},
    "chevaliere": {"chevaliere", "bague"},
    "collier": {"collier", "chaine", "sautoir", "pendentif"},
    "chaine": {"chaine", "chainette", "collier"},
    "chainette": {"chainette", "chaine", "collier"},
    "sautoir": {"sautoir", "collier"},
    "pendentif": {"pendentif", "medaillon", "collier"},
    "medaillon": {"medaillon", "pendentif"},
    "boucle": {"boucle"},
    "puce": {"puce", "boucle"},
    "creole": {"creole", "boucle"},
    "dormeuse": {"dormeuse", "boucle"},
    "bracelet": {"bracelet", "jonc", "gourmette", "manchette"},
    "jonc": {"jonc", "bracelet"},
    "gourmette": {"gourmette", "bracelet"},
    "manchette": {"manchette", "bracelet"},
    "montre": {"montre"},
    "broche": {"broche"},
    "breloque": {"breloque", "charm"},
    "charm": {"charm", "breloque"},
    "carte": {"carte"},
    "parure": {"parure", "ensemble"},
    "piercing": {"piercing"},
    "epingle": {"epingle"},
}
# Words that do not tell one line from another.
STOPWORDS = {
    "le", "la", "les", "l", "un", "une", "des", "de", "du", "d", "en", "a", "au", "aux", "et",
    "avec", "pour", "mon", "ma", "mes", "ce", "cet", "cette", "ces", "son", "sa", "ses",
    "votre", "vos", "notre", "nos", "sur", "par", "qui", "que", "petit", "petite", "joli",
    "jolie", "beau", "belle", "nouveau", "nouvelle", "commande", "commandee", "recu", "recue",
    "deux", "autre", "meme", "seul", "seule", "seulement", "juste", "aussi", "lieu", "place",
}  # fmt: skip
ALL_PATTERNS = re.compile(
    r"\b(les deux|tous les deux|toutes les deux|tout retourner|tout renvoyer|tout annuler|"
    r"toute la commande|toute ma commande|la commande (au )?complete|la commande entiere|"
    r"tous les (articles|bijoux)|l'ensemble de (la|ma) commande|tout echanger|tout sauf|"
    r"^tout\b)"
)
EXCLUDING_WORDS = {"sauf", "excepte", "hormis", "part"}  # « à part »
KEEPING_STEMS = ("gard", "conserv")
ADJACENT_NEGATORS = {"pas", "ni", "non", "jamais", "aucun", "aucune"}
AFTER_WINDOW = 8
KEPT_AFTER = re.compile(
    r"\b(je |on )?(le|la|les|l') ?(garde|gardes|gardons|conserve|conserverai|garderai)"
)
FINE_AFTER = re.compile(
    r"^(,\s*)?(est|sont|etait|etaient|c'est|ca|va|vont)?\s*(tres |vraiment |super |bien )?"
    r"(parfait|parfaite|parfaits|parfaites|correct|correcte|corrects|correctes|impeccable|"
    r"impeccables|nickel|ok|beau|belle|beaux|belles|bien|conforme|conformes|top)\b"
)
# Words that name no line on their own when the message names no jewellery noun.
GENERIC_WORDS = {
    "argent",
    "or",
    "rose",
    "blanc",
    "blanche",
    "dore",
    "doree",
    "plaque",
    "carat",
    "commande",
    "article",
    "bijou",
    "piece",
    "taille",
    "couleur",
    "cadeau",
}
MODIFIER_RELATIONS = {"amod", "nmod", "compound", "flat:name", "appos", "acl", "nummod"}
MODIFIER_WINDOW = 4
LINKING_WORDS = {"en", "de", "d'", "d", "a", "au", "aux", "avec", "du", "des"}
STOP_POS = {"PUNCT", "CCONJ", "SCONJ", "PRON", "AUX"}


def singular(word: str) -> str:
    """A plain word's singular, enough for jewellery names: « boucles » → « boucle »,
    « bijoux » → « bijou », « métaux » → « metal »."""
    if len(word) > 4 and word.endswith("aux"):
        return word[:-3] + "al"
    if len(word) > 3 and word.endswith(("s", "x")) and not word.endswith(("ss", "us")):
        return word[:-1]
    return word


def key_words(text: str) -> list[str]:
    """The distinguishing words of a name or mention: plain, singular, stopwords out."""
    words = re.findall(r"[a-z0-9]+", plain(text))
    return [singular(w) for w in words if w not in STOPWORDS and singular(w) not in STOPWORDS]


# --- NLU side: mentions in a spaCy doc -------------------------------------------------------


@dataclass(frozen=True)
class Mention:
    value: str  # the key words, space-separated (the noun first), or ALL
    start: int
    end: int
    role: str | None = None  # EXCLUDED, EVERY (« les deux bagues »), WORDS, or None

    @property
    def excluded(self) -> bool:
        return self.role == EXCLUDED


def _noun_of(token: Any) -> str | None:
    for form in (plain(token.lemma_ or ""), plain(token.text)):
        if singular(form) in ITEM_NOUNS:
            return singular(form)
        if form.replace("-", " ").split(" ")[0] in ITEM_NOUNS:  # « carte-cadeau »
            return form.replace("-", " ").split(" ")[0]
    return None


def has_item_noun(doc: Any) -> bool:
    return any(_noun_of(token) for token in doc)


def item_mentions(doc: Any) -> list[Mention]:
    """The jewellery the message names, with the role `excluded` for what it leaves out."""
    segments = segment_ids(doc)
    mentions: list[Mention] = []
    every_at: set[int] = set()
    for match in ALL_PATTERNS.finditer(plain(doc.text)):
        following = [t for t in doc if t.idx >= match.end()][:1]
        if following and _noun_of(following[0]):  # « les deux bagues »: both rings only
            every_at.add(following[0].i)
            continue
        mentions.append(Mention(ALL, match.start(), match.end()))
    consumed: set[int] = set()
    for token in doc:
        noun = _noun_of(token)
        if noun is None or token.i in consumed:
            continue
        modifiers = _modifiers(token, doc, segments)
        consumed.update(t.i for t in modifiers)
        words = [noun, *[w for m in modifiers for w in key_words(m.text) if w != noun]]
        span = [token, *modifiers]
        start = min(t.idx for t in span)
        end = max(t.idx + len(t.text) for t in span)
        role = EXCLUDED if _excluded(token, doc) or _left_alone(token, doc) else None
        role = EVERY if token.i in every_at and role is None else role
        mentions.append(Mention(" ".join(dict.fromkeys(words)), start, end, role))
    if not mentions and (words := _content_words(doc)):
        mentions.append(Mention(" ".join(words), 0, len(doc.text), WORDS))
    return mentions


def _content_words(doc: Any) -> list[str]:
    """The message's words but spaCy's French stop words: « l'Éclat », « la solitaire » name a
    line without a jewellery noun. Read from the words alone, not their part of speech, so
    that a message spaCy's tagger does not see (components/detail_filter.py) gives the same
    words as with the analysis."""
    words = [
        word
        for token in doc
        if not (token.is_stop or token.is_punct)
        for word in key_words(token.text)
    ]
    return list(dict.fromkeys(w for w in words if len(w) > 3))


def _left_alone(token: Any, doc: Any) -> bool:
    """« le collier, je le garde », « la chaîne est parfaite »: said of the piece after it."""
    after = []
    for following in doc[token.i + 1 : token.i + 1 + AFTER_WINDOW]:
        if _noun_of(following) or plain(following.text) in {".", "!", "?", "mais", ";"}:
            break
        after.append(plain(following.text))
    text = " ".join(after)
    return bool(KEPT_AFTER.search(text) or FINE_AFTER.search(text))


def _modifiers(token: Any, doc: Any, segments: list[int]) -> list[Any]:
    """The words naming the noun further: adjectives the parse attaches to it, and what
    follows it in its phrase (« en or », « d'oreilles », « à perles », « gravé »), read on the
    words too because the small model often hangs « en or » on the verb."""
    found = [c for c in token.children if c.dep_ in MODIFIER_RELATIONS and c.pos_ == "ADJ"]
    for following in doc[token.i + 1 : token.i + 1 + MODIFIER_WINDOW]:
        word = plain(following.text)
        if segments[following.i] != segments[token.i] or following.pos_ in STOP_POS:
            break
        if following.pos_ == "VERB" and "Part" not in following.morph.get("VerbForm"):
            break
        if _noun_of(following) and not word.startswith("oreille"):
            previous = plain(doc[following.i - 1].text)
            if previous in {"a", "avec"}:  # « bracelet à breloques », « collier avec pendentif »
                found.append(following)
            break
        if word in LINKING_WORDS or following.pos_ == "DET":
            continue
        if following.pos_ in {"ADJ", "NOUN", "PROPN", "NUM", "VERB", "X"}:
            found.append(following)
    return [t for t in dict.fromkeys(found) if plain(t.text) not in STOPWORDS]


def _excluded(token: Any, doc: Any) -> bool:
    """« sauf le collier », « pas la bague », « ni le bracelet », « je garde la chaîne ».

    Only a negation right before the noun excludes it: « je n'ai pas reçu le collier » names
    the necklace. « au lieu du collier » names it too (the line that was wrong)."""
    before = []
    for i in range(token.i - 1, max(-1, token.i - 5), -1):
        if doc[i].pos_ == "PUNCT":
            break
        before.insert(0, doc[i])
    words = [plain(t.text) for t in before]
    if any(word in EXCLUDING_WORDS for word in words):
        return True
    adjacent = [plain(t.text) for t in before if t.pos_ not in {"DET", "ADP"}][-1:]
    if adjacent and adjacent[0] in ADJACENT_NEGATORS:
        return True
    head = token.head
    keeping = {plain(head.lemma_ or ""), plain(head.text)}
    return head.i < token.i and any(w.startswith(KEEPING_STEMS) for w in keeping)


# --- Action side: mentions against the verified order's lines ---------------------------------


@dataclass(frozen=True)
class Resolution:
    """The lines named (in the order's order), or the candidates when it is ambiguous."""

    lines: list[str] = field(default_factory=list)
    ambiguous: list[str] = field(default_factory=list)

    @property
    def named(self) -> bool:
        return bool(self.lines)


def _line_matches(mention: str, line: str) -> bool:
    noun, *_ = mention.split()
    line_words = set(key_words(line))
    if noun == "boucle":
        return "boucle" in line_words or bool({"puce", "creole", "dormeuse"} & line_words)
    return bool(ITEM_NOUNS.get(noun, {noun}) & line_words)


def _narrowed(mention: str, candidates: list[str]) -> list[str]:
    """Among lines of the same noun, those sharing the most of the mention's other words."""
    noun, *others = mention.split()
    if not others or len(candidates) < 2:
        return candidates
    scores = {line: len(set(others) & set(key_words(line))) for line in candidates}
    best = max(scores.values())
    return [line for line in candidates if scores[line] == best] if best else candidates


def _exact_noun(mention: str, candidates: list[str]) -> list[str]:
    """« la bague » among « Bague en or » and « Alliance » is the line named « bague »."""
    noun = mention.split()[0]
    exact = [line for line in candidates if noun in key_words(line)]
    return exact or candidates


def resolve_items(mentions: list[tuple[str, Any]], lines: list[str]) -> Resolution:
    """The lines the mentions (value, role) name among `lines` (the order's line names).

    Included mentions name lines; excluded ones remove lines (« tout sauf le collier »); a
    message that only excludes names every other line. A mention that fits several lines
    equally well is ambiguous, unless the customer said « les deux » (role `every`). Without
    any jewellery noun, the message's content words (role `words`) name the lines whose
    distinctive words they hold (« l'Éclat »). A role of True means `excluded`.
    """
    roles = [(value, EXCLUDED if role is True else (role or None)) for value, role in mentions]
    included = [(v, r) for v, r in roles if r in {None, EVERY}]
    excluded = [v for v, r in roles if r == EXCLUDED]
    removed = {line for value in excluded if value != ALL for line in _best(value, lines)}
    named: list[str] = []
    ambiguous: list[str] = []
    if any(v == ALL for v, _ in included) or (excluded and not any(v != ALL for v, _ in included)):
        named = [line for line in lines if line not in removed]
    for value, role in included:
        if value == ALL:
            continue
        found = [line for line in _best(value, lines) if line not in removed]
        if len(found) == 1 or role == EVERY:
            named.extend(found)
        elif len(found) > 1 and not set(found) <= set(named):
            ambiguous.extend(found)
    if not included and not excluded:
        named = [line for value, role in roles if role == WORDS for line in _by_words(value, lines)]
    chosen = [line for line in lines if line in named]
    if ambiguous and not chosen:
        return Resolution([], [line for line in lines if line in ambiguous])
    return Resolution(chosen, [])


def _by_words(value: str, lines: list[str]) -> list[str]:
    """Lines one of whose distinctive words (in no other line, not generic) the message has."""
    words = set(value.split()) - GENERIC_WORDS
    found = []
    for line in lines:
        others = {w for other in lines if other != line for w in key_words(other)}
        if words & (set(key_words(line)) - others - GENERIC_WORDS):
            found.append(line)
    return found


def _best(value: str, lines: list[str]) -> list[str]:
    candidates = [line for line in lines if _line_matches(value, line)]
    return _narrowed(value, _exact_noun(value, candidates))
