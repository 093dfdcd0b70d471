"""Bring the many ways customers spell French onto one form before classifying intents.

Customers write « où est ma cmd stp », « jsp pk ca marche pas », « Où est ma commande ? » or
« ou est ma commande » for the same thing. A classifier trained on a few thousand lines sees
these as different n-grams; spelling them one way lets the examples help each other:

- lower case, typographic apostrophes and dashes unified, accents removed;
- letters repeated three times or more squeezed (« merciiii » → « merci »);
- SMS / Québec abbreviations expanded (« slt » → « salut », « pk » → « pourquoi »), English
  words of Montréal French spelt in French (« refund » → « remboursement »), and
  « j » glued to a word that starts with a consonant (« jle », « jpeux ») spelt « je »;
- order numbers, emails and promo codes replaced by a placeholder word: their digits say
  nothing about the intent, the fact that one is there does.
"""

from __future__ import annotations

import re
import unicodedata

from components.entities import extract_entities

PLACEHOLDERS = {
    "order_number": "numcommande",
    "email": "adressecourriel",
    "promo_code": "codepromo",
}

# Abbreviations seen in chat French (France, Belgium, Switzerland, Québec), on accent-free
# lower-case words. Only unambiguous ones: « c » or « t » alone are left as they are.
ABBREVIATIONS = {
    "slt": "salut",
    "bjr": "bonjour",
    "bsr": "bonsoir",
    "cc": "coucou",
    "stp": "s'il te plait",
    "svp": "s'il vous plait",
    "sil": "s'il",
    "pk": "pourquoi",
    "pq": "pourquoi",
    "pkoi": "pourquoi",
    "pourkoi": "pourquoi",
    "koi": "quoi",
    "koa": "quoi",
    "kan": "quand",
    "qd": "quand",
    "kel": "quel",
    "kelle": "quelle",
    "cmd": "commande",
    "cde": "commande",
    "cmde": "commande",
    "jsp": "je sais pas",
    "chai": "je sais",
    "jai": "j'ai",
    "jais": "j'ai",
    "jveux": "je veux",
    "chu": "je suis",
    "chuis": "je suis",
    "jsuis": "je suis",
    "cest": "c'est",
    "ya": "il y a",
    "yen": "il y en",
    "bcp": "beaucoup",
    "tt": "tout",
    "ts": "tous",
    "tjs": "toujours",
    "tjrs": "toujours",
    "ds": "dans",
    "pr": "pour",
    "pcq": "parce que",
    "psk": "parce que",
    "mrc": "merci",
    "mci": "merci",
    "thx": "merci",
    "dac": "d'accord",
    "dacc": "d'accord",
    "dak": "d'accord",
    "ok": "d'accord",
    "oki": "d'accord",
    "okay": "d'accord",
    "pa": "pas",
    "mm": "meme",  # except after a number: « 30 mm » (expand_abbreviations)
    "trp": "trop",
    "tro": "trop",
    "tkt": "t'inquiete",
    "ct": "c'etait",
    "dla": "de la",
    "e": "est",  # « la bag é pa la bone »
    "msg": "message",
    "rdv": "rendez-vous",
    "asap": "rapidement",
    "infos": "informations",
    "info": "information",
    "pis": "puis",
    "pi": "puis",
    "ben": "bien",
    "bin": "bien",
    "oue": "ouais",
    "ouai": "ouais",
    "ouep": "ouais",
    "ouaip": "ouais",
    "wi": "oui",
    "ui": "oui",
    "nn": "non",
    "nan": "non",
}

# English words Montréal customers mix in (« la ring fit pas », « je veux un refund », « la
# chain est scratchée »), spelt in French so that they read as the French examples do. Only
# words French does not use otherwise.
ENGLISH = {
    "refund": "remboursement",
    "refunds": "remboursement",
    "exchange": "echange",
    "size": "taille",
    "small": "petite",
    "tight": "serree",
    "loose": "lache",
    "broken": "brisee",
    "broke": "brisee",
    "scratched": "rayee",
    "scratchee": "rayee",
    "scratche": "rayee",
    "scratch": "rayure",
    "damaged": "abimee",
    "wrong": "mauvaise",
    "ring": "bague",
    "necklace": "collier",
    "earring": "boucles",
    "earrings": "boucles",
    "chain": "chaine",
    "fit": "va",
    "fitte": "va",
    "fittent": "vont",
    "replacement": "remplacement",
    "store": "magasin",
    "gift": "cadeau",
    "card": "carte",
}

# Emojis said as the words they stand for: « 👍 » is an « ok » to a yes-or-no question, « 😡😡 »
# a frustrated customer, « 🙏 » thanks. Only the ones whose meaning is plain; the others stay
# tokens the classifier learns nothing from.
EMOJIS = {
    "👍": "ok",
    "👌": "ok",
    "🆗": "ok",
    "🙏": "merci",
    "❤": "merci",
    "😡": "fache",
    "😠": "fache",
    "🤬": "fache",
    "😤": "fache",
    "👎": "decu",
    "😞": "decu",
    "🙁": "decu",
    "☹": "decu",
    "😢": "decu",
    "😭": "decu",
    "❓": "?",
    "❔": "?",
}

# « cœur » and « nœud »: NFKD does not take the ligatures apart, and a tokenizer cuts at them.
# The emoji variation selector (« ❤️ » is « ❤ » and U+FE0F) says nothing.
_APOSTROPHES = str.maketrans(
    {"’": "'", "‘": "'", "`": "'", "´": "'", "–": "-", "—": "-", "œ": "oe", "Œ": "Oe", "æ": "ae",
     "\ufe0f": ""}
)  # fmt: skip
_REPEATED = re.compile(r"([a-z])\1{2,}")
_WORD = re.compile(r"[a-z0-9']+|[^a-z0-9'\s]")
# « jle renvoie », « jpeux-tu »: no French word starts with « j » and a consonant.
_GLUED_JE = re.compile(r"j([bcdfghjklmnpqrstvwxz][a-z']+)")


def mask_identifiers(text: str) -> str:
    """Replace order numbers, emails and promo codes by one placeholder word each."""
    pieces, position = [], 0
    for entity in extract_entities(text):
        pieces.extend([text[position : entity.start], f" {PLACEHOLDERS[entity.entity]} "])
        position = entity.end
    pieces.append(text[position:])
    return "".join(pieces)


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def expand_abbreviations(text: str) -> str:
    """Spell SMS words out; punctuation is kept as separate tokens for the word n-grams."""
    tokens = _WORD.findall(text)
    return " ".join(
        _spelt_out(token, tokens[at - 1] if at else "") for at, token in enumerate(tokens)
    )


def _spelt_out(token: str, previous: str) -> str:
    if token == "mm" and previous.isdigit():
        return token  # millimetres
    if token in ABBREVIATIONS:
        return ABBREVIATIONS[token]
    if token in ENGLISH:
        return ENGLISH[token]
    if token in EMOJIS:  # spelt as its word is (« ok » is « d'accord »)
        return ABBREVIATIONS.get(EMOJIS[token], EMOJIS[token])
    if glued := _GLUED_JE.fullmatch(token):
        return "je " + ABBREVIATIONS.get(glued.group(1), glued.group(1))
    return token


def normalise(text: str) -> str:
    """The one spelling the intent classifier is trained and run on."""
    text = mask_identifiers(text.translate(_APOSTROPHES))
    text = strip_accents(text.lower())
    text = _REPEATED.sub(r"\1", text)
    return expand_abbreviations(text)
