"""The labelled detail sets are well-formed and large enough: their shape only, no component.

Independent sets, each written by a different person blind to the components and to the sets
after it: those of bot/details/ are the detail classifiers' training examples; those of
tests/nlu/details/ (the fifteenth and sixteenth) are the test sets `make eval-nlu` scores.
These tests make sure every expectation they hold can be scored or learned at all, and that no
set repeats a message of an earlier one (the test set must not be learned).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import numpy
import pytest
from rapidfuzz.distance import Levenshtein
from rapidfuzz.process import cdist
from support import read_yaml

DETAILS_DIR = Path(__file__).parent / "details"
TRAINING_DIR = Path(__file__).parents[2] / "bot" / "details"
NEAR_IDENTICAL = 0.85  # Levenshtein similarity of two folded messages
DETAILS_SETS = [
    TRAINING_DIR / "details.yml",
    TRAINING_DIR / "details_second.yml",
    TRAINING_DIR / "details_third.yml",
    TRAINING_DIR / "details_fourth.yml",
    TRAINING_DIR / "details_seventh.yml",
    TRAINING_DIR / "details_eighth.yml",
    TRAINING_DIR / "details_ninth.yml",
    TRAINING_DIR / "details_tenth.yml",
    TRAINING_DIR / "details_eleventh.yml",
    TRAINING_DIR / "details_twelfth.yml",
    TRAINING_DIR / "details_thirteenth.yml",
    TRAINING_DIR / "details_fourteenth.yml",
    TRAINING_DIR / "details_fifth.yml",
    TRAINING_DIR / "details_sixth.yml",
    # The blind test sets were written before every set below: a near-duplicate shows the
    # later set's message, never theirs.
    DETAILS_DIR / "details_fifteenth.yml",
    DETAILS_DIR / "details_sixteenth.yml",
    TRAINING_DIR / "details_seventeenth.yml",
    TRAINING_DIR / "details_eighteenth.yml",
    TRAINING_DIR / "details_nineteenth.yml",
    TRAINING_DIR / "details_twentieth.yml",
    TRAINING_DIR / "details_twenty_first.yml",
    TRAINING_DIR / "details_twenty_second.yml",
    TRAINING_DIR / "details_twenty_third.yml",
    TRAINING_DIR / "details_twenty_fourth.yml",
    TRAINING_DIR / "details_twenty_fifth.yml",
    TRAINING_DIR / "details_twenty_sixth.yml",
    TRAINING_DIR / "details_twenty_seventh.yml",
    TRAINING_DIR / "details_twenty_eighth.yml",
    TRAINING_DIR / "details_twenty_ninth.yml",
    TRAINING_DIR / "details_thirtieth.yml",
    TRAINING_DIR / "details_thirty_first.yml",
    TRAINING_DIR / "dev" / "details_thirty_second.yml",
    TRAINING_DIR / "dev" / "details_thirty_third.yml",
    TRAINING_DIR / "dev" / "details_thirty_fourth.yml",
    TRAINING_DIR / "dev" / "details_thirty_fifth.yml",
    TRAINING_DIR / "dev" / "details_thirty_sixth.yml",
    TRAINING_DIR / "dev" / "details_thirty_seventh.yml",
]

MESSAGE_KEYS = {
    "text",
    "lines",
    "item",
    "reason",
    "warranty_cause",
    "negated",
    "address",
    "preference",
}
REASONS = {"defective", "damaged_on_arrival", "wrong_item", "changed_mind", "wrong_size", "none"}
CAUSES = {
    "defect",
    "loss",
    "normal_wear",
    "improper_use",
    "modification",
    "non_allyzure_item",
    "none",
}
PREFERENCES = {"refund", "replacement", "exchange", "store_credit", "none"}
ADDRESS_KEYS = {"street_number", "street", "city", "region", "postal_code", "country"}
REQUIRED_ADDRESS_KEYS = {"street_number", "street", "postal_code"}

# Canada Post: no D, F, I, O, Q, U anywhere, no W or Z as the first letter.
CANADIAN_POSTAL_CODE = re.compile(
    r"^[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] \d[ABCEGHJ-NPRSTV-Z]\d$"
)
US_ZIP = re.compile(r"^\d{5}(-\d{4})?$")
REGION_CODE = re.compile(r"^[A-Z]{2}$")
# First letter of a Canadian postal code for each province code the set uses.
PROVINCE_OF_FIRST_LETTER = {
    "A": "NL",
    "B": "NS",
    "C": "PE",
    "E": "NB",
    "G": "QC",
    "H": "QC",
    "J": "QC",
    "K": "ON",
    "L": "ON",
    "M": "ON",
    "N": "ON",
    "P": "ON",
    "R": "MB",
    "S": "SK",
    "T": "AB",
    "V": "BC",
    "X": "NT",
    "Y": "YT",
}

KIND_OF_WORD = {"bague": "ring", "alliance": "ring", "boucles": "earrings", "jonc": "bangle"}

MINIMUMS = {"item": 60, "reason": 50, "warranty_cause": 50, "address": 40, "preference": 30}


def load(path: Path) -> dict:
    return read_yaml(path)


@pytest.fixture(scope="module", params=DETAILS_SETS, ids=lambda path: path.stem)
def details_set(request) -> dict:
    return load(request.param)


@pytest.fixture(scope="module")
def messages(details_set) -> list[dict]:
    return details_set["messages"]


def folded(text: str) -> str:
    return " ".join(text.casefold().split())


def without_spaces(text: str) -> str:
    return "".join(text.upper().split())


def test_the_set_declares_its_version_and_its_order_line_sets(details_set):
    assert details_set["version"] == 1
    assert set(details_set) == {"version", "order_lines", "messages"}


def test_every_order_line_set_holds_two_to_four_distinct_jewelry_lines(details_set):
    for lines in details_set["order_lines"].values():
        assert 2 <= len(lines) <= 4
        assert len(set(lines)) == len(lines)
        assert not any("montre" in line.casefold() for line in lines)


def test_some_order_line_sets_hold_two_items_of_the_same_kind(details_set):
    def kinds(lines):
        return Counter(
            kind for line in lines for word, kind in KIND_OF_WORD.items() if word in line.casefold()
        )

    doubled = [
        lines
        for lines in details_set["order_lines"].values()
        if max(kinds(lines).values(), default=0) >= 2
    ]
    assert len(doubled) >= 3


def test_every_message_has_a_text_and_only_known_keys(messages):
    for message in messages:
        assert isinstance(message.get("text"), str) and message["text"].strip(), message
        assert set(message) <= MESSAGE_KEYS, message
        assert set(message) - {"text", "lines"}, f"nothing is scored for {message['text']!r}"


def near_identical(texts: list[str], others: list[str]) -> numpy.ndarray:
    """For each pair (text, other): whether their Levenshtein similarity reaches 0.85 (the
    score_cutoff lets rapidfuzz stop early on the pairs that cannot)."""
    similarity = cdist(
        texts, others, scorer=Levenshtein.normalized_similarity, score_cutoff=NEAR_IDENTICAL
    )
    return similarity >= NEAR_IDENTICAL


def test_no_two_messages_are_near_identical(messages):
    texts = [folded(message["text"]) for message in messages]
    above_the_diagonal = numpy.triu(near_identical(texts, texts), k=1)
    close = [(texts[first], texts[second]) for first, second in numpy.argwhere(above_the_diagonal)]

    assert close == []


@pytest.mark.parametrize("later", range(1, len(DETAILS_SETS)), ids=lambda i: DETAILS_SETS[i].stem)
def test_a_later_set_repeats_no_message_of_an_earlier_one(later):
    """A failure shows the later set's message and the name of the earlier set only: whoever
    writes a new set must not read the blind test sets' messages."""
    texts = [[folded(m["text"]) for m in load(path)["messages"]] for path in DETAILS_SETS]
    earlier = [
        (path.name, text)
        for path, texts_of_set in zip(DETAILS_SETS[:later], texts[:later], strict=True)
        for text in texts_of_set
    ]
    found = near_identical(texts[later], [text for _, text in earlier])
    close = [(texts[later][row], earlier[column][0]) for row, column in numpy.argwhere(found)]

    assert close == []


def test_reasons_causes_and_preferences_come_from_their_vocabularies(messages):
    for message in messages:
        assert message.get("reason", "none") in REASONS, message
        assert message.get("warranty_cause", "none") in CAUSES, message
        assert message.get("preference", "none") in PREFERENCES, message


def test_negated_causes_are_real_causes_never_the_expected_one(messages):
    for message in messages:
        negated = message.get("negated")
        if negated is None:
            continue
        assert negated, message
        assert len(set(negated)) == len(negated), message
        assert set(negated) <= CAUSES - {"none"}, message
        assert message.get("warranty_cause") not in negated, message


def test_named_items_are_lines_of_the_referenced_order(details_set, messages):
    order_lines = details_set["order_lines"]
    for message in messages:
        if "lines" in message:
            assert message["lines"] in order_lines, message
        if "item" in message:
            assert "lines" in message, message
            item = message["item"]
            assert isinstance(item, list), message
            assert len(set(item)) == len(item), message
            assert set(item) <= set(order_lines[message["lines"]]), message


def test_usable_addresses_have_a_number_a_street_and_a_well_formed_postal_code(messages):
    for message in messages:
        address = message.get("address")
        if address is None or address == "none":
            continue
        assert isinstance(address, dict), message
        assert set(address) <= ADDRESS_KEYS, message
        assert set(address) >= REQUIRED_ADDRESS_KEYS, message
        assert re.fullmatch(r"\d+[A-Z]?", address["street_number"]), message
        postal_code = address["postal_code"]
        if address.get("country") == "US":
            assert US_ZIP.match(postal_code), message
        else:
            assert address.get("country") == "CA", message
            assert CANADIAN_POSTAL_CODE.match(postal_code), message
            if "region" in address:
                assert PROVINCE_OF_FIRST_LETTER[postal_code[0]] == address["region"], message
        if "region" in address:
            assert REGION_CODE.match(address["region"]), message


def test_expected_address_parts_are_written_in_the_message(messages):
    """Only the parts the customer really gives are expected; the region is a code, so it is
    the one part that may be spelled differently (« Québec », « Floride »)."""
    for message in messages:
        address = message.get("address")
        if not isinstance(address, dict):
            continue
        text = folded(message["text"])
        for key in ("street_number", "street", "city"):
            if key in address:
                assert folded(address[key]) in text, (key, message)
        assert without_spaces(address["postal_code"]) in without_spaces(message["text"]), message


def test_the_set_reaches_the_coverage_minimums(messages):
    counts = Counter(key for message in messages for key in message)
    reasons = Counter(message["reason"] for message in messages if "reason" in message)
    addresses = Counter(
        "refused" if message["address"] == "none" else "usable"
        for message in messages
        if "address" in message
    )

    assert len(messages) >= 200
    assert all(counts[key] >= minimum for key, minimum in MINIMUMS.items()), counts
    assert all(reasons[reason] >= 8 for reason in REASONS - {"none"}), reasons
    assert counts["negated"] >= 20
    assert addresses["usable"] >= 20 and addresses["refused"] >= 20, addresses


def test_item_expectations_cover_several_lines_and_no_line(messages):
    sizes = Counter(min(len(message["item"]), 2) for message in messages if "item" in message)

    assert sizes[0] >= 3
    assert sizes[2] >= 10
