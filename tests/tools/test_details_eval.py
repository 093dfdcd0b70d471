"""The detail scorer of `make eval-nlu`: per-slot precision and recall, negated causes and
non-addresses counted, items resolved against the message's order lines."""

from __future__ import annotations

import json

from tools.details_eval import detail_sets, same_address, score, write_details_report

LINES = {"two": ["Bague Éclat or 14 carats", "Bracelet jonc plaqué or"]}
ADDRESS = {
    "street_number": "55",
    "street": "avenue Laurier Ouest",
    "city": "Montréal",
    "region": "Québec",
    "postal_code": "H2T2N6",
    "country": "Canada",
}


def parsed(*entities: tuple) -> dict:
    return {
        "entities": [
            {"entity": name, "value": value, **({"role": role} if role else {})}
            for name, value, role in entities
        ]
    }


def test_a_right_label_is_a_true_positive_and_a_wrong_one_counts_twice():
    dataset = {
        "messages": [
            {"text": "a", "reason": "defective"},
            {"text": "b", "reason": "wrong_item"},
            {"text": "c", "reason": "none"},
        ]
    }
    parses = [
        parsed(("reason", "defective", None)),
        parsed(("reason", "changed_mind", None)),
        parsed(("reason", "wrong_size", None)),
    ]

    reason = score(dataset, parses).slots["reason"].scores()

    assert (reason["tp"], reason["fp"], reason["fn"], reason["support"]) == (1, 2, 1, 2)


def test_items_are_resolved_against_the_lines_of_the_message():
    dataset = {
        "order_lines": LINES,
        "messages": [{"text": "le bracelet", "lines": "two", "item": ["Bracelet jonc plaqué or"]}],
    }

    result = score(dataset, [parsed(("item", "bracelet", None))])

    assert result.slots["item"].scores()["f1"] == 1.0
    assert result.errors == []


def test_a_negated_cause_taken_as_the_cause_is_counted():
    dataset = {"messages": [{"text": "pas perdue", "negated": ["loss"]}]}

    result = score(dataset, [parsed(("warranty_cause", "loss", None))])

    assert result.negated_taken == 1


def test_an_address_found_where_there_is_none_is_a_non_address_accepted():
    dataset = {"messages": [{"text": "oui", "address": "none"}]}

    result = score(dataset, [parsed(("address", {"street_number": "1"}, None))])

    assert result.non_addresses_accepted == 1


def test_an_incomplete_address_entity_is_not_an_accepted_address():
    dataset = {"messages": [{"text": "55 rue Laurier", "address": "none"}]}

    result = score(dataset, [parsed(("address", {"street_number": "55"}, "incomplete"))])

    assert result.non_addresses_accepted == 0


def test_addresses_compare_streets_and_cities_without_case_or_extra_spaces():
    found = {
        "street_number": "55",
        "street": "AVENUE  Laurier Ouest",
        "city": "MONTRÉAL",
        "region": "QC",
        "postal_code": "H2T 2N6",
        "country": "CA",
    }

    assert same_address(ADDRESS, found)
    assert not same_address(ADDRESS, {**found, "street": "av. Laurier Ouest"})
    assert not same_address(ADDRESS, {**found, "street_number": "56"})


def test_every_detail_set_of_the_folder_is_scored_the_first_one_first(tmp_path):
    for name in ("details_second.yml", "details.yml", "other.yml"):
        (tmp_path / name).write_text("version: 1\nmessages: []\n")

    assert [path.name for path in detail_sets(tmp_path)] == ["details.yml", "details_second.yml"]


def test_each_set_is_reported_in_files_named_after_it(tmp_path):
    figures = {"test_set": "tests/nlu/details/details_second.yml", "messages": 1, "_errors": []}

    write_details_report(figures, tmp_path)

    assert json.loads((tmp_path / "details_second.json").read_text())["messages"] == 1
    assert json.loads((tmp_path / "details_second_errors.json").read_text()) == []
