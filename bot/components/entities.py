"""Find order numbers, emails and promo codes in what customers write, already normalised.

Customers write an order number as "AZ104233", "az-104233", "#104233", "commande 104233" or
just "104233"; a promo code in any case. The dialogue needs one canonical value ("AZ104233",
"BIENVENUE10"), so extraction is a deterministic pattern match here rather than a learned
span whose value would still need cleaning.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

_ORDER_PREFIXED = re.compile(r"(?<![\w@.])(?:az[\s-]?|#\s?)(\d{6})(?!\d)", re.IGNORECASE)
_ORDER_AFTER_WORD = re.compile(
    r"\b(?:commande|command|cmd|cde|order|num[ée]ro|no|n°|nº)\s*(?:n°|no|#|:)?\s*(\d{6})(?!\d)",
    re.IGNORECASE,
)
_ORDER_BARE = re.compile(r"(?<![\w@.#-])(\d{6})(?![\w@-])")
# « AZ-104-203 », « AZ 104 203 », « AZ1042O3 » (a letter O for a zero): the digits, cleaned.
_ORDER_LOOSE = re.compile(r"(?<![\w@.])az[\s-]?((?:[\dOo][ .-]?){5}[\dOo])(?![\w-])", re.I)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?![\w-])", re.IGNORECASE)
_PROMO_AFTER_CODE = re.compile(
    r"\bcodes?(?:\s+(?:promo(?:tionnel)?|rabais|r[ée]duction|de\s+r[ée]duction|cadeau))?"
    r"\s*(?:[:«\"']\s*)?([a-z][a-z0-9]{2,19}\d[a-z0-9]*|[a-z]+\d+)\b",
    re.IGNORECASE,
)
_PROMO_SHAPE = re.compile(r"\b([A-Z]{3,15}\d{1,4})\b")


@dataclass(frozen=True)
class Entity:
    entity: str
    value: str
    start: int
    end: int
    role: str | None = None


# Roles of the order numbers of a message that names several (Rasa fills the order_number slot
# only from entities without a role): the one the message is about keeps none.
TURNED_DOWN = "excluded"  # « c'est la AZ104201, pas la AZ104203 »
ALSO_NAMED = "also"  # « annuler AZ104201 et savoir où est AZ104203 »: the first is dealt with
# « …, pas la AZ104203 », « et non AZ104203 », « au lieu de la AZ104203 »; not « mon suivi
# marche pas AZ104202 », where « pas » ends the sentence before the number.
_TURNS_DOWN = re.compile(
    r"((^|[,;.!?]\s*|\bmais\s+)(pas|non)|\bet non|\bau lieu de|\bplut[oô]t que)\s+(pas\s+)?"
    r"(la |le |de la |la commande |celle |celle de )?$",
    re.I,
)


def order_number_value(digits: str) -> str:
    return f"AZ{digits}"


def _order_numbers(text: str) -> Iterator[Entity]:
    for pattern in (_ORDER_PREFIXED, _ORDER_AFTER_WORD, _ORDER_BARE):
        for match in pattern.finditer(text):
            start = match.start() if pattern is _ORDER_PREFIXED else match.start(1)
            yield Entity("order_number", order_number_value(match.group(1)), start, match.end(1))
    for match in _ORDER_LOOSE.finditer(text):
        digits = re.sub(r"[ .-]", "", match.group(1)).replace("O", "0").replace("o", "0")
        yield Entity("order_number", order_number_value(digits), match.start(), match.end(1))


# The shop's own addresses (support@, commandes@ in a pasted confirmation email) are never
# the customer's: each one tried counted a failed look-up towards the pause.
SHOP_DOMAIN = "@allyzure.com"


def _emails(text: str) -> Iterator[Entity]:
    for match in _EMAIL.finditer(text):
        email = match.group(0).lower()
        if not email.endswith(SHOP_DOMAIN):
            yield Entity("email", email, match.start(), match.end())


def _promo_codes(text: str) -> Iterator[Entity]:
    for pattern in (_PROMO_AFTER_CODE, _PROMO_SHAPE):
        for match in pattern.finditer(text):
            yield Entity("promo_code", match.group(1).upper(), match.start(1), match.end(1))


def _overlaps(entity: Entity, taken: list[Entity]) -> bool:
    return any(entity.start < other.end and other.start < entity.end for other in taken)


def extract_entities(text: str) -> list[Entity]:
    """Entities in reading order; the first (most specific) pattern wins an overlapping span."""
    found: list[Entity] = []
    for entity in [*_emails(text), *_order_numbers(text), *_promo_codes(text)]:
        if not _overlaps(entity, found):
            found.append(entity)
    return _order_roles(text, sorted(found, key=lambda e: e.start))


# What the customer asks to have done to an order (« annuler AZ104201 », « AZ104201 que je
# veux retourner »): of several order numbers, the one a request is written for is that one.
_ACTED_ON = re.compile(
    r"(?<!pas l')(?<!pas le )(?<!pas la )(?<!pas )\b(annul|retourn|renvo[iy]|[ée]chang|rembours"
    r"|modifi|chang)",
    re.I,
)
ACTED_ON_WINDOW = 25
_BY_ORDER = re.compile(
    _ACTED_ON.pattern
    + r"\w*\s+(?:la |le |l')?(?P<rank>premi[eè]re?|deuxi[eè]me|seconde?|derni[eè]re?)",
    re.I,
)


def _order_roles(text: str, entities: list[Entity]) -> list[Entity]:
    """An order number turned down gets TURNED_DOWN; of the others, the one a request is
    asked for (the only one next to a verb like « annuler ») or else the first keeps no role,
    and any other number ALSO_NAMED. Rasa's slot would otherwise take the last one."""
    numbers = [e for e in entities if e.entity == "order_number"]
    turned_down = {
        id(e) for e in numbers if _TURNS_DOWN.search(text[max(0, e.start - 25) : e.start])
    }
    candidates = [e for e in numbers if id(e) not in turned_down]
    acted_on = {e.value for e in candidates if _next_to_a_request(text, e, numbers)}
    if candidates and (ordinal := _BY_ORDER.search(text)):  # « annulez la première »
        acted_on = {
            candidates[0 if ordinal.group("rank").lower().startswith("premi") else -1].value
        }
    kept = acted_on.pop() if len(acted_on) == 1 else (candidates[0].value if candidates else None)
    roled = []
    for entity in entities:
        if id(entity) in turned_down:
            entity = replace(entity, role=TURNED_DOWN)
        elif entity.entity == "order_number" and entity.value != kept:
            entity = replace(entity, role=ALSO_NAMED)
        roled.append(entity)
    return roled


def _next_to_a_request(text: str, number: Entity, numbers: list[Entity]) -> bool:
    """A verb asking for something done within a few words of `number`, with no other order
    number in between."""
    before_start = max(
        [number.start - ACTED_ON_WINDOW, *(n.end for n in numbers if n.end <= number.start)]
    )
    after_end = min(
        [number.end + ACTED_ON_WINDOW, *(n.start for n in numbers if n.start >= number.end)]
    )
    after = re.split(r"[.!?]\s", text[number.end : after_end])[0]  # « AZ…. Je voudrais annuler »
    return bool(_ACTED_ON.search(text[before_start : number.start]) or _ACTED_ON.search(after))
