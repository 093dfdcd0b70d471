"""tools/detail_select scores the detail classifiers the way the served pipeline trains them."""

from __future__ import annotations

from tools.detail_select import f1, phrase_details


def test_the_phrase_ngram_details_are_those_the_served_config_names():
    assert phrase_details() == {"reason", "preference"}


def test_a_none_predicted_for_a_stated_detail_is_a_miss_and_a_wrong_label_counts_twice():
    assert f1(["refund", "none"], ["refund", "refund"]) == 2 * 0.5 * 1 / 1.5
    assert f1(["exchange"], ["refund"]) == 0.0
