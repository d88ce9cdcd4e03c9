"""The statistics against values computed independently with SciPy (test extra only)."""

from __future__ import annotations

import json
import math
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from scipy import stats

from forms_service.reporting.statistics import (
    Z_95,
    compare_distributions,
    compare_proportions,
    histogram_median,
    histogram_quantile,
    mann_whitney,
    verdict,
)

CASES = json.loads((Path(__file__).parent / "fixtures" / "statistics_cases.json").read_text())


@pytest.mark.parametrize("case", CASES["proportions"])
def test_two_proportion_z_test_against_scipy(case: dict[str, int]) -> None:
    x1, n1, x2, n2 = case["x1"], case["n1"], case["x2"], case["n2"]
    result = compare_proportions(x1, n1, x2, n2)
    # Independent: the pooled z-test is the chi-square test without continuity correction.
    table = [[x1, n1 - x1], [x2, n2 - x2]]
    chi2, p, _, _ = stats.chi2_contingency(table, correction=False)
    assert result.p_value == pytest.approx(p, rel=1e-9)
    assert result.z is not None and result.z**2 == pytest.approx(chi2, rel=1e-9)
    p1, p2 = x1 / n1, x2 / n2
    se = math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
    z = stats.norm.ppf(0.975)
    assert abs(Z_95 - z) < 1e-12
    assert result.difference == pytest.approx(p1 - p2)
    assert result.ci_low == pytest.approx(p1 - p2 - z * se)
    assert result.ci_high == pytest.approx(p1 - p2 + z * se)


def test_identical_all_or_nothing_groups_are_no_evidence() -> None:
    result = compare_proportions(10, 10, 20, 20)
    assert (result.difference, result.p_value) == (0.0, 1.0)
    assert compare_proportions(0, 0, 3, 5).p_value is None


@pytest.mark.parametrize("case", CASES["distributions"])
def test_mann_whitney_with_ties_against_scipy(case: dict[str, list[int]]) -> None:
    a, b = case["a"], case["b"]
    u1, _z, p = mann_whitney(Counter(a), Counter(b))
    expected = stats.mannwhitneyu(a, b, alternative="two-sided", method="asymptotic")
    assert u1 == pytest.approx(expected.statistic)
    assert p == pytest.approx(expected.pvalue, rel=1e-9)


@pytest.mark.parametrize("case", CASES["distributions"])
def test_mean_difference_interval_and_medians(case: dict[str, Any]) -> None:
    import statistics

    a, b = case["a"], case["b"]
    result = compare_distributions(Counter(a), Counter(b))
    diff = statistics.mean(a) - statistics.mean(b)
    se = math.sqrt(statistics.variance(a) / len(a) + statistics.variance(b) / len(b))
    assert result.difference == pytest.approx(diff)
    assert result.ci_low == pytest.approx(diff - stats.norm.ppf(0.975) * se)
    assert result.ci_high == pytest.approx(diff + stats.norm.ppf(0.975) * se)
    assert result.median1 == pytest.approx(statistics.median(a))
    assert result.median2 == pytest.approx(statistics.median(b))
    assert (result.n1, result.n2) == (len(a), len(b))


def test_quantiles_interpolate_like_numpy() -> None:
    import numpy

    values = [3, 1, 4, 1, 5, 9, 2, 6]
    for q in (0.1, 0.25, 0.5, 0.9):
        assert histogram_quantile(Counter(values), q) == pytest.approx(numpy.quantile(values, q))
    assert histogram_median({}) is None


def test_verdict_sentences() -> None:
    assert verdict(0.001, 500, 600).startswith("Forskellen er tydelig")
    assert verdict(0.4, 500, 600).startswith("Forskellen er endnu ikke tydelig")
    small = verdict(0.01, 12, 600)
    assert "Forskellen er tydelig" in small and "lille" in small and "12" in small
    assert "ingen sager" in verdict(None, 0, 10)
