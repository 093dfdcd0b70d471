"""Postal addresses in Canada and the United States, as customers type them in French.

« 55, rue Laurier Ouest, Montréal (Québec) H2T 2N6 », « 1200 av. McGill College app. 4,
Montréal QC H3B 4G7 », « 350 Fifth Avenue, New York, NY 10118 ». The maintained libraries
(usaddress, pyap) are trained on or written for English US addresses and miss the French
order « numéro, type de voie, nom »; the structure is regular enough for a small parser.
An address is valid with a civic number, a street (its type and name) and a postal code
(the city is kept when given; the postal code names it); a Canadian postal code also checks
the province (its first letter). When parts are missing, `missing` lists them, so that the
customer is told exactly what to add. The city, when no comma sets it apart, is the place
spaCy's entity recogniser finds (LOC) after the street (components/details.py passes it).
An address in Europe (« 14 rue du Lac, 1204 Genève, Suisse ») is refused as outside the
delivery area (`is_abroad`), not as one missing its postal code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from components.negation import plain

PROVINCES = {
    "QC": ("quebec", "qc", "qu", "que"),
    "ON": ("ontario", "on", "ont"),
    "BC": ("colombie-britannique", "colombie britannique", "british columbia", "bc", "c.-b.",
           "cb"),
    "AB": ("alberta", "ab", "alb"),
    "MB": ("manitoba", "mb", "man"),
    "SK": ("saskatchewan", "sk", "sask"),
    "NS": ("nouvelle-ecosse", "nouvelle ecosse", "nova scotia", "ns", "n.-e.", "ne"),
    "NB": ("nouveau-brunswick", "nouveau brunswick", "new brunswick", "nb", "n.-b."),
    "NL": ("terre-neuve-et-labrador", "terre-neuve", "terre neuve", "newfoundland", "nl",
           "t.-n.-l."),
    "PE": ("ile-du-prince-edouard", "ile du prince edouard", "prince edward island", "pe",
           "pei", "i.-p.-e."),
    "YT": ("yukon", "yt"),
    "NT": ("territoires du nord-ouest", "territoires du nord ouest", "nt", "t.n.-o."),
    "NU": ("nunavut", "nu"),
}  # fmt: skip
POSTAL_LETTER_PROVINCES = {
    "A": {"NL"}, "B": {"NS"}, "C": {"PE"}, "E": {"NB"}, "G": {"QC"}, "H": {"QC"}, "J": {"QC"},
    "K": {"ON"}, "L": {"ON"}, "M": {"ON"}, "N": {"ON"}, "P": {"ON"}, "R": {"MB"}, "S": {"SK"},
    "T": {"AB"}, "V": {"BC"}, "X": {"NT", "NU"}, "Y": {"YT"},
}  # fmt: skip
STATES = {
    "AL": "alabama", "AK": "alaska", "AZ": "arizona", "AR": "arkansas", "CA": "californie",
    "CO": "colorado", "CT": "connecticut", "DE": "delaware", "FL": "floride", "GA": "georgie",
    "HI": "hawai", "ID": "idaho", "IL": "illinois", "IN": "indiana", "IA": "iowa",
    "KS": "kansas", "KY": "kentucky", "LA": "louisiane", "ME": "maine", "MD": "maryland",
    "MA": "massachusetts", "MI": "michigan", "MN": "minnesota", "MS": "mississippi",
    "MO": "missouri", "MT": "montana", "NE": "nebraska", "NV": "nevada",
    "NH": "new hampshire", "NJ": "new jersey", "NM": "nouveau-mexique", "NY": "new york",
    "NC": "caroline du nord", "ND": "dakota du nord", "OH": "ohio", "OK": "oklahoma",
    "OR": "oregon", "PA": "pennsylvanie", "RI": "rhode island", "SC": "caroline du sud",
    "SD": "dakota du sud", "TN": "tennessee", "TX": "texas", "UT": "utah", "VT": "vermont",
    "VA": "virginie", "WA": "washington", "WV": "virginie-occidentale", "WI": "wisconsin",
    "WY": "wyoming", "DC": "district of columbia",
}  # fmt: skip
STATE_ENGLISH = {"california": "CA", "florida": "FL", "georgia": "GA", "hawaii": "HI",
                 "louisiana": "LA", "new mexico": "NM", "north carolina": "NC",
                 "north dakota": "ND", "pennsylvania": "PA", "south carolina": "SC",
                 "south dakota": "SD", "virginia": "VA", "west virginia": "WV"}  # fmt: skip
STREET_TYPES_FR = (
    "rue|avenue|av|ave|boulevard|boul|blvd|bd|chemin|ch|route|rte|rang|place|pl|montee|cote|"
    "allee|impasse|promenade|prom|croissant|terrasse|carre|square|ruelle|voie|autoroute|quai|"
    "cours|sentier|passage|rond-point|parc|cercle|circle|terr"
)
STREET_TYPES_EN = (
    "street|st|avenue|ave|road|rd|drive|dr|boulevard|blvd|lane|ln|court|ct|way|place|pl|"
    "crescent|cres|terrace|parkway|pkwy|highway|hwy|circle|cir|square|sq|trail|trl|loop|alley|"
    "row|plaza|path|pike|walk"
)
DIRECTIONS = r"(?:est|ouest|nord|sud|e|o|w|n|s|east|west|north|south|ne|nw|se|sw|no|so)"
CA_POSTAL = re.compile(
    r"\b([abceghj-nprstvxy]\d[abceghj-nprstv-z])\s?-?\s?(\d[abceghj-nprstv-z]\d)\b", re.I
)
US_ZIP = re.compile(r"(?<![\d-])(\d{5})(?:-(\d{4}))?(?![\d-])")
NUMBER_THEN_FR_STREET = re.compile(
    r"(?<![\w-])(?:(?:app(?:artement)?|apt|suite|bureau|unite|local)\.?\s*\w+\s*[,-]?\s*)?"
    r"(?:(\d{1,5})\s*-\s*)?(\d{1,6}[a-zA-Z]?)(?:\s*,)?\s+((?:" + STREET_TYPES_FR + r")\b\.?"
    r"(?:[ \t]+(?:de la|de l'|des|du|de|d'|la|le|l'))?[ \t]*[\w'’.-]+(?:[ \t]+(?!" + DIRECTIONS +
    r"\b)[A-Z0-9][\w'’.-]*)*(?:[ \t]+" + DIRECTIONS + r"\b\.?)?)",
)  # fmt: skip
NUMBER_THEN_EN_STREET = re.compile(
    r"(?<![\w-])(?:(\d{1,5})\s*-\s*)?(\d{1,6}[a-z]?)\s+((?:" + DIRECTIONS + r"\s+)?"
    r"(?:[\w'’.-]+\s+){1,3}(?:" + STREET_TYPES_EN + r")\b\.?(?:\s+" + DIRECTIONS + r"\b\.?)?)",
    re.I,
)  # fmt: skip
# « 2150 Kingsway, Vancouver », « 1010 Sherbrooke O. »: a street named without its type, taken
# only in a message that gives a postal code after it; capitalised name words, then a comma,
# a question mark, a full stop or the end.
NUMBER_THEN_NAME = re.compile(
    r"(?<![\w#-])(?:(\d{1,5})\s*-\s*)?(\d{1,6}[a-zA-Z]?)\s+"
    r"((?:(?:de la|de l'|du|des|de) ?)?[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?"
    r"(?:\s+(?i:" + DIRECTIONS + r")\b\.?)?)(?=\s*(?:[,?;!]|\.(?:\s|$)|$))"
)
# What an untyped street follows: the message's start, « au », « c'est », « adresse », a colon.
BEFORE_UNTYPED = re.compile(
    r"(^|\b(au|a|à|est|c|adresse|nouvelle|livrer|to|at|is)|[:,])\s*$", re.I
)  # « please ship to 15 Central Park W »
UNIT = re.compile(
    r"(?:\b(?P<kind>app(?:artement)?|apt|suite|bureau|unit[eé]?|local)\b|#)\.?\s*(\w+)", re.I
)
# How a unit is shown back: « bureau 1100 » stays an office, not « app. 1100 ».
UNIT_KINDS = {"bureau": "bureau", "suite": "suite", "local": "local", "unite": "unité"}
FLOOR = re.compile(r"\d{1,3}\s?(e|er|re|eme|ème|th|st|nd|rd)?\s+(étage|etage|floor)", re.I)
# Words that end a city typed in a sentence (« à Québec pis le code postal c'est … »).
AFTER_CITY = {"pis", "et", "puis", "le", "la", "les", "code", "postal", "c'est", "merci", "svp",
              "avec", "pour", "mais", "donc", "s'il", "si", "car", "parce"}  # fmt: skip


@dataclass
class Address:
    street_number: str | None = None
    street: str | None = None
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: str | None = None
    unit: str | None = None
    unit_kind: str | None = None  # « bureau », « suite »…; None for an apartment
    problems: list[str] = field(default_factory=list)

    @property
    def missing(self) -> list[str]:
        """The parts still needed, in the order an address is written: the city may be left
        out, the postal code names it."""
        needed = ["street_number", "street", "postal_code"]
        return [name for name in needed if not getattr(self, name)]

    @property
    def valid(self) -> bool:
        return not self.missing and not self.problems

    @property
    def found_anything(self) -> bool:
        outside = "outside_delivery_area" in self.problems
        return outside or any((self.street_number and self.street, self.postal_code, self.city))

    def as_dict(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in FIELDS if getattr(self, name)}

    def one_line(self) -> str:
        """« 55 rue Laurier Ouest, Montréal (QC) H2T 2N6, Canada »: how it is shown back."""
        street = f"{self.street_number} {self.street}"
        if self.unit:
            street = f"{street}, {self.unit_kind or 'app.'} {self.unit}"
        region = f" ({self.region})" if self.region else ""
        country = {"CA": "Canada", "US": "États-Unis"}.get(self.country or "", "")
        place = f"{self.city or ''}{region} {self.postal_code or ''}".strip()
        parts = [street, place, country]
        return ", ".join(part for part in parts if part)


# The parts of an address, in the order an address is written.
FIELDS = (
    "street_number", "street", "city", "region", "postal_code", "country", "unit", "unit_kind",
)  # fmt: skip


def combined_address(parts: list[dict[str, str]]) -> Address:
    """One address from the parts given over several messages, newest first: « 500 rue
    Sherbrooke Est à Montréal », then « H2L 1X5 ». A newer part's field replaces an older
    one's; the whole is checked as one address (the postal code against the province)."""
    address = Address()
    for part in reversed(parts):
        for name in FIELDS:
            if part.get(name):
                setattr(address, name, part[name])
    _check(address)
    return address


def region_code(text: str) -> tuple[str, str] | None:
    """(code, country) of a province or state name or abbreviation, else None."""
    simple = plain(text).strip(" .()")
    upper = simple.upper()
    for code, names in PROVINCES.items():
        if simple in names:
            return code, "CA"
    if upper in STATES and len(simple) == 2:
        return upper, "US"
    for code, name in STATES.items():
        if simple == name:
            return code, "US"
    if simple in STATE_ENGLISH:
        return STATE_ENGLISH[simple], "US"
    return None


def parse_address(text: str, places: Iterable[tuple[int, int]] = ()) -> Address:
    """The address in `text` (fields left None when absent); `places` are character spans
    of locations the entity recogniser found, used to tell the city. They are read only where
    a place could change the address (a street running on without a comma, a city part that
    is not a name): `places` may find them on demand (components/details.py)."""
    address = Address()
    found = _street(text, address, places)
    number_start, tail_start = found if found else (None, None)
    tail_end = _postal_code(text, address)
    after = text[tail_start:] if tail_start is not None else text
    _region_and_city(text, after, tail_start or 0, tail_end, address, places)
    if address.city is None and tail_end is not None and address.street:
        address.city = _city_after_postal_code(text, tail_end)
    if address.city is None and number_start is not None and address.street:
        address.city = _city_before_street(text, number_start)
    if address.city:
        address.city = _without_country(address.city) or None
    _check(address)
    if "outside_delivery_area" not in address.problems and is_abroad(text, address):
        address.problems.append("outside_delivery_area")
    if address.country == "US" and not address.region and not address.problems:
        address.region = state_of_zip(address.postal_code or "")
    return address


@cache
def state_of_zip(zip_code: str) -> str | None:
    """The state a ZIP code is in (« 10118 » → NY), from the zipcodes package's USPS data: a
    US address typed without its state was written without one (the team ships to a state).
    Imported on first use: the package reads its data when imported."""
    import zipcodes

    try:
        found = zipcodes.matching(zip_code[:5])
    except (TypeError, ValueError):
        return None
    return str(found[0]["state"]) if found else None


COUNTRY_WORDS = re.compile(
    r"[\s,]*\b(canada|usa|u\.s\.a\.?|etats-unis|états-unis|e\.-u\.|us)\.?\s*$", re.I
)


def _without_country(city: str) -> str:
    return COUNTRY_WORDS.sub("", city).strip(" ,.")


# Words of a sentence, not of a city name.
SENTENCE_WORDS = {"vous", "je", "j'", "il", "elle", "nous", "on", "lui", "leur", "me", "svp",
                  "stp", "merci", "pouvez", "peux", "pourriez", "envoyer", "livrer", "est",
                  "please", "thanks", "thank", "you", "bonjour", "salut", "allo", "bonsoir",
                  "hello", "hi", "chez", "ma", "mon", "mes"}  # fmt: skip


def _city_before_street(text: str, street_start: int) -> str | None:
    """« Calgary AB, 1305 17 Ave SW », « habite à San Francisco, 3150 18th Street »: a
    capitalised place of one to three words right before the street, after a comma, a colon
    or « à »."""
    before = text[:street_start].rstrip(" ,")
    part = re.split(r"[,:;\n(]|\s(?:à|a|au|in)\s", before)[-1].strip()
    found = _region_at_end(part, after_a_city=True) if part else None
    if found:
        part = part[: len(part) - len(found[0])].strip(" ,(")
    words = part.split()
    if not 1 <= len(words) <= 3 or any(not w[:1].isupper() or re.search(r"\d", w) for w in words):
        return None
    return None if set(plain(part).split()) & SENTENCE_WORDS else part


def _city_after_postal_code(text: str, postal_start: int) -> str | None:
    """« 55 rue Laurier, H2T 2N6 Montréal »: the city written after the postal code."""
    match = CA_POSTAL.match(text, postal_start) or US_ZIP.match(text, postal_start)
    rest = text[match.end() :] if match else ""
    words = re.match(r"[\s,]*([A-Za-zÀ-ÿ' .-]+)", rest)
    if not words:
        return None
    city = _without_country(_city_words(words.group(1))).strip(" ,.")
    if set(plain(city).split()) & SENTENCE_WORDS:
        return None  # « …, CA 94110, vous pouvez lui envoyer directement »
    found = _region_at_end(city) if city else None
    if found:
        city = city[: len(city) - len(found[0])].strip(" ,(")
    return city if city and len(city) <= 40 else None


def _street(
    text: str, address: Address, places: Iterable[tuple[int, int]] = ()
) -> tuple[int, int] | None:
    """Fills the street number, street and unit; gives where the civic number starts and where
    the street ends. The new address comes last (« l'ancienne était …, la nouvelle c'est … »)."""
    matches = (
        list(NUMBER_THEN_FR_STREET.finditer(text))
        or list(NUMBER_THEN_EN_STREET.finditer(text))
        or _untyped_streets(text)
    )
    match = matches[-1] if matches else None
    if not match or US_ZIP.fullmatch(match.group(2)) and not match.group(3):
        return None
    unit, number, street = match.group(1), match.group(2), match.group(3)
    start = match.start(3)
    street = _before_a_place(text, start, street, places)
    street = _strip_end(re.sub(r"\s+", " ", street))
    address.street_number = number
    address.street = _trim_street(street, text[start + len(street) :])
    address.street = _without_a_city(address.street, text[start + len(address.street) :])
    unit_match = UNIT.search(text[: match.end()]) or UNIT.search(text[match.end() :])
    address.unit = unit or (unit_match.group(2) if unit_match else None)
    if not unit and unit_match and unit_match.group("kind"):
        kind = unit_match.group("kind").lower().replace("é", "e")
        address.unit_kind = UNIT_KINDS.get(kind)
    return match.start(2), start + len(address.street)


def _untyped_streets(text: str) -> list[re.Match[str]]:
    """Streets without a type, in a message with a postal code after them."""
    postal = CA_POSTAL.search(text) or US_ZIP.search(text)
    if postal is None:
        return []
    return [m for m in NUMBER_THEN_NAME.finditer(text) if m.end() <= postal.start()
            and not US_ZIP.fullmatch(m.group(2))
            and BEFORE_UNTYPED.search(text[: m.start()])]  # fmt: skip


# A French street's name: its type, particles, then the name words.
FR_STREET_NAME = re.compile(
    r"^(?:" + STREET_TYPES_FR + r")\.?(?:\s+(?:de la|de l'|des|du|de|d'|la|le|l'))?\s*(.+)$", re.I
)


def _without_a_city(street: str, after: str) -> str:
    """« 550 av. Royale Beauport Qc G1E 1Y3 », « 310 boul des Laurentides Laval h7g2t9 »: a
    French street run straight into a province or a postal code ends with the city (its last
    word), when no comma sets it apart (and the entity recogniser did not end the street
    before)."""
    name = FR_STREET_NAME.match(street)
    if name is None:
        return street
    words = name.group(1).split()
    if len([w for w in words if not re.fullmatch(DIRECTIONS + r"\.?", w, re.I)]) < 2:
        return street
    if re.fullmatch(DIRECTIONS + r"\.?", words[-1], re.I) or not words[-1][:1].isalpha():
        return street
    following = after.lstrip(" ")
    first = following.split(" ", 1)[0].strip(" ,.()") if following else ""
    runs_into = bool(CA_POSTAL.match(following) or US_ZIP.match(following)) or bool(
        first and region_code(first)
    )
    return street[: street.rfind(" ")].rstrip() if runs_into else street


def _strip_end(street: str) -> str:
    """Spaces and commas off; a final dot too, unless it ends an abbreviation (« O. »)."""
    street = street.strip(" ,")
    last = street.rsplit(" ", 1)[-1]
    return street[:-1] if street.endswith(".") and len(last) > 3 else street


def _before_a_place(text: str, start: int, street: str, places: Iterable[tuple[int, int]]) -> str:
    """« 55 rue Laurier Montréal … » without a comma: the street ends where a place the entity
    recogniser found begins, unless that place is the street's own name (« rue Laurier »)."""
    first_words = re.match(r"\S+\.?\s+(?:(?:de la|de l'|des|du|de|d'|la|le|l')\s*)?\S+", street)
    name_end = start + (first_words.end() if first_words else len(street))
    if name_end >= start + len(street):  # the street is its name alone: no place can end it
        return street
    for place_start, _ in sorted(places):
        if name_end <= place_start < start + len(street):
            return text[start:place_start]
    return street


def _trim_street(street: str, after: str = "") -> str:
    """A street name ends before a province, a state or a postal code typed without comma
    (a two-letter code in any case right before the postal code: « Royale Qc G1E 1Y3 »)."""
    words = street.split(" ")
    for i in range(2, len(words)):
        rest = " ".join(words[i:])
        before_postal = bool(CA_POSTAL.match((" ".join(words[i + 1 :]) + after).lstrip(" ,")))
        region = region_code(words[i]) and (len(words[i]) > 2 or words[i].isupper()
                                            or before_postal)  # fmt: skip
        if region or CA_POSTAL.match(rest):
            return " ".join(words[:i])
    return street


def _postal_code(text: str, address: Address) -> int | None:
    if match := CA_POSTAL.search(text):
        address.postal_code = f"{match.group(1)} {match.group(2)}".upper()
        address.country = "CA"
        return match.start()
    for match in US_ZIP.finditer(text):
        if match.group(1) != address.street_number:
            address.postal_code = match.group(0)
            address.country = "US"
            return match.start()
    return None


def _region_and_city(
    text: str,
    after: str,
    offset: int,
    postal_start: int | None,
    address: Address,
    places: Iterable[tuple[int, int]],
) -> None:
    end = postal_start - offset if postal_start is not None and postal_start > offset else None
    tail = after[:end] if end is not None else after
    parts = [p.strip() for p in re.split(r"[,\n;]|\s\(|\)|\s-\s", tail) if p.strip()]
    if parts and address.street and parts[0].startswith(address.street):
        parts = [parts[0][len(address.street) :].strip(" ,."), *parts[1:]]
    parts = [re.sub(r"^(a|à|au|dans|,)\s+", "", p, flags=re.I) for p in parts]
    parts = [re.sub(r"^\s*" + UNIT.pattern + r"[\s,]*", "", p, flags=re.I) for p in parts]
    parts = [p for p in parts if not FLOOR.fullmatch(p)]  # « 24e étage »
    parts = [_city_words(p) for p in parts]
    parts = [p.strip(" ?!") for p in parts]
    parts = [p for p in parts if re.search(r"[^\W\d_]", p) and not UNIT.fullmatch(p)]
    if parts and (found := _region_at_end(parts[-1], after_a_city=len(parts) > 1)):
        name, (code, country) = found
        address.region, address.country = code, address.country or country
        parts[-1] = parts[-1][: len(parts[-1]) - len(name)].strip(" ,(")
        parts = [p for p in parts if p]
    if parts and address.street_number:
        city = parts[-1] if len(parts) == 1 or not address.street else parts[0]
        address.city = _city_from_places(text, city, places)
    if address.country == "CA" and not address.region and address.postal_code:
        provinces = POSTAL_LETTER_PROVINCES.get(address.postal_code[0], set())
        if len(provinces) == 1:
            address.region = next(iter(provinces))


def _city_words(part: str) -> str:
    """The words of a part up to the first that cannot belong to a city name."""
    kept = []
    for word in part.split():
        if plain(word) in AFTER_CITY and word not in STATES:  # « New Orleans LA »: Louisiana
            break
        kept.append(word)
    return " ".join(kept).strip(" ,.")


def _region_at_end(part: str, after_a_city: bool = False) -> tuple[str, tuple[str, str]] | None:
    """The province or state ending a part; « New York » or « Québec » alone is the city,
    unless a city part came before it (« New York, New York 10003 »)."""
    words = part.split()
    for size in (4, 3, 2, 1):
        if len(words) >= size:
            name = " ".join(words[-size:])
            if (found := region_code(name)) and (len(words) > size or size > 0):
                if len(words) == size and address_word_is_city(name) and not after_a_city:
                    return None
                return name, found
    return None


def address_word_is_city(name: str) -> bool:
    """« Québec » alone after a street is the city (Québec City), not only the province."""
    return plain(name) in {"quebec", "new york", "washington"}


def _city_from_places(text: str, city: str, places: Iterable[tuple[int, int]]) -> str | None:
    city = city.strip(" .,")
    if not city or re.search(r"\d", city) or len(city) > 40:
        for start, end in places:
            place = text[start:end]
            if place in city:
                return place
        return None
    return city


# « 14 rue du Lac, 1204 Genève, Suisse », « Avenue Louise 54, 1050 Bruxelles »: an address in
# Europe, where no Canadian postal code nor ZIP code is to be found; told as such, not as an
# address without a postal code.
EUROPEAN_COUNTRY = re.compile(
    r"\b(suisse|belgique|france|luxembourg|allemagne|italie|espagne|portugal|monaco|"
    r"pays-bas|royaume-uni)\b"
)
EUROPEAN_CITY = re.compile(
    r"\b(paris|lyon|marseille|toulouse|nice|nantes|strasbourg|montpellier|bordeaux|"
    r"lille|rennes|geneve|lausanne|fribourg|neuchatel|sion|berne|zurich|bale|lugano|"
    r"bruxelles|ixelles|uccle|liege|namur|charleroi|mons|anvers|gand|luxembourg)\b"
)
EUROPEAN_POSTAL_CODE = re.compile(r"(?<![\d-])\d{4,5}(?![\d-])")


def is_abroad(text: str, address: Address | None = None) -> bool:
    """The message gives an address in Europe: a European country or city beside a postal
    code of four or five digits (not the civic number), and neither a Canadian postal code nor
    a province or state (« Paris, Texas »)."""
    simple = plain(text)
    if CA_POSTAL.search(text) or (address is not None and address.region):
        return False
    number = address.street_number if address is not None else None
    codes = [code for code in EUROPEAN_POSTAL_CODE.findall(simple) if code != number]
    return bool(codes) and bool(EUROPEAN_CITY.search(simple) or EUROPEAN_COUNTRY.search(simple))


# Street types only French streets have: « 8 rue de Rivoli, 75004 Paris » is in France.
FRENCH_ONLY_STREET = re.compile(
    r"^(rue|chemin|ch|route|rte|rang|montee|allee|impasse|quai|cours|ruelle|voie|sentier|"
    r"passage|rond-point)\b\.?",
    re.I,
)


def _check(address: Address) -> None:
    """A Canadian postal code names its province by its first letter; a ZIP code is American:
    five digits after a French-only street type, without a state, are a European postal code
    (the shop delivers in Canada and the United States only)."""
    street = plain(address.street or "")
    if address.country == "US" and not address.region and FRENCH_ONLY_STREET.match(street):
        address.problems.append("outside_delivery_area")
    if address.country == "CA" and address.region and address.postal_code:
        provinces = POSTAL_LETTER_PROVINCES.get(address.postal_code[0], set())
        if address.region not in provinces:
            address.problems.append("postal_code_region")
    if address.region and address.postal_code:
        region = region_code(address.region)
        postal_country = "CA" if CA_POSTAL.search(address.postal_code) else "US"
        if region and region[1] != postal_country:
            address.problems.append("postal_code_region")
