"""Latency percentiles are computed like NumPy's default and reported in milliseconds."""

import math

import pytest

from bench.stats import latency_summary, percentile


def test_the_median_of_an_even_count_interpolates_between_the_middle_values():
    assert percentile([4.0, 1.0, 3.0, 2.0], 0.5) == 2.5


def test_p95_of_a_hundred_values_lies_between_the_95th_and_96th():
    values = [float(value) for value in range(1, 101)]

    assert percentile(values, 0.95) == pytest.approx(95.05)


def test_the_extreme_quantiles_are_the_minimum_and_the_maximum():
    assert percentile([3.0, 9.0, 5.0], 0.0) == 3.0
    assert percentile([3.0, 9.0, 5.0], 1.0) == 9.0


def test_no_values_give_nan_rather_than_a_made_up_zero():
    assert math.isnan(percentile([], 0.5))


def test_a_fraction_outside_zero_to_one_is_refused():
    with pytest.raises(ValueError):
        percentile([1.0], 95)


def test_the_summary_is_in_milliseconds():
    summary = latency_summary([0.010, 0.020, 0.030])

    assert summary["p50_ms"] == 20.0
    assert summary["max_ms"] == 30.0
    assert summary["mean_ms"] == 20.0
