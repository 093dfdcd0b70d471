"""Turn backend facts into the French values the responses in domain.yml expect."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from babel import Locale

from backend.domain import ProductCategory
from backend.formatting import (
    format_count,
    format_date_fr,
    format_money,
    format_time_fr,
    status_label,
)

NBSP = "\u00a0"
# Shown in an agent-assist preview, where no reference is reserved.
PREVIEW_REFERENCE = "(aperçu)"


def day(value: date | datetime | None) -> str:
    return format_date_fr(value) if value else ""


def time_of_day(value: datetime | None) -> str:
    return format_time_fr(value) if value else ""


def money(amount: Decimal, currency: str) -> str:
    return format_money(amount, currency)


def status(value: str) -> str:
    return status_label(value)


def typographic(text: str) -> str:
    """Shop data is typed with straight apostrophes; customers read typographic ones."""
    return text.replace("'", "’")


def quoted(name: str) -> str:
    return f"«{NBSP}{typographic(name)}{NBSP}»"


def enumeration(items: Iterable[str], conjunction: str = "et", quote: bool = True) -> str:
    """« a », « b » et « c » (or « ou »); a, b et c for references, which need no quotes."""
    names = [quoted(item) if quote else item for item in items]
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} {conjunction} {names[-1]}"


def count(value: int) -> str:
    """« 1 250 » with a narrow no-break space."""
    return format_count(value)


# Gender and number of each product category's noun (la bague, les boucles d'oreilles…).
FEMININE = {ProductCategory.RING, ProductCategory.EARRINGS, ProductCategory.WATCH,
            ProductCategory.GIFT_CARD}  # fmt: skip
PLURAL = {ProductCategory.EARRINGS}


def agreement(categories: Iterable[ProductCategory | str]) -> dict[str, str]:
    """Values for a sentence whose subject is the listed items: « {items} {is} couvert{agreement} »,
    « {items} {cannot} pas être retourné{agreement} », « {items} {will_be} expédié{agreement} ».

    Several items, or one plural noun (boucles d'oreilles), take the plural; the feminine
    only when every item is feminine (French agreement).
    """
    kinds = [ProductCategory(category) for category in categories]
    plural = len(kinds) > 1 or any(kind in PLURAL for kind in kinds)
    feminine = bool(kinds) and all(kind in FEMININE for kind in kinds)
    return {
        "agreement": ("e" if feminine else "") + ("s" if plural else ""),
        "is": "sont" if plural else "est",
        "cannot": "ne peuvent" if plural else "ne peut",
        "will_be": "seront" if plural else "sera",
    }


PROVINCES = {
    "AB": "en Alberta",
    "BC": "en Colombie-Britannique",
    "MB": "au Manitoba",
    "NB": "au Nouveau-Brunswick",
    "NL": "à Terre-Neuve-et-Labrador",
    "NS": "en Nouvelle-Écosse",
    "NT": "dans les Territoires du Nord-Ouest",
    "NU": "au Nunavut",
    "ON": "en Ontario",
    "PE": "à l’Île-du-Prince-Édouard",
    "QC": "au Québec",
    "SK": "en Saskatchewan",
    "YT": "au Yukon",
}
STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "Californie",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "district de Columbia",
    "FL": "Floride", "GA": "Géorgie", "HI": "Hawaï", "ID": "Idaho", "IL": "Illinois",
    "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiane",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan",
    "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri", "MT": "Montana",
    "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire", "NJ": "New Jersey",
    "NM": "Nouveau-Mexique", "NY": "New York", "NC": "Caroline du Nord",
    "ND": "Dakota du Nord", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon",
    "PA": "Pennsylvanie", "RI": "Rhode Island", "SC": "Caroline du Sud",
    "SD": "Dakota du Sud", "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont",
    "VA": "Virginie", "WA": "Washington", "WV": "Virginie-Occidentale", "WI": "Wisconsin",
    "WY": "Wyoming",
}  # fmt: skip


def country_name(code: str) -> str:
    """« France », « États-Unis »: the CLDR French name, the code if unknown."""
    return Locale.parse("fr_CA").territories.get(code.upper(), code.upper())


def destination(country: str, region: str) -> str:
    """Where an order goes, after « livrée » or « à livrer »: « au Québec »,
    « dans l’État de New York », « à l’étranger (France) »."""
    country, region = country.upper(), region.upper()
    if country == "CA" and region in PROVINCES:
        return PROVINCES[region]
    if country == "US" and region in STATES:
        name = STATES[region]
        if name.startswith("district"):
            return f"dans le {name}"
        return f"dans l’État d’{name}" if name[0] in "AEIOUH" else f"dans l’État de {name}"
    return f"à l’étranger ({country_name(country)})"


AMOUNT = re.compile(
    r"(\d[\d\s\u00a0\u202f]*(?:[.,]\d{1,2})?)\s*(?:\$|dollars?\b|piasses?\b|piastres?\b|bucks\b)"
)


def cart_amount(text: str) -> Decimal | None:
    """An amount the customer gave (« mon panier fait 120 $ », « une bague à 249 $ »), if any."""
    match = AMOUNT.search(text)
    if not match:
        return None
    digits = re.sub(r"[\s\u00a0\u202f]", "", match.group(1)).replace(",", ".")
    try:
        return Decimal(digits)
    except ArithmeticError:
        return None
