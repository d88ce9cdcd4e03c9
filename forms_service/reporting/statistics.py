"""Comparing two form versions: tests, confidence intervals and a sentence saying what they mean.

Plain Python (``math``), no SciPy at run time. Durations and counts arrive as histograms
({value: number of cases}), which is what the SQL queries return: the rank test only needs
the ranks of the distinct values and how many cases share each, so nothing is expanded to
one value per case.

- Proportions: the difference p₁ − p₂ with a 95% Wald interval, and the two-proportion z-test
  (pooled standard error), two-sided.
- Durations and counts: the Mann–Whitney U test with the normal approximation, tie correction
  and continuity correction (as ``scipy.stats.mannwhitneyu(method="asymptotic")``), two-sided;
  the difference of means with a 95% normal (Welch) interval and both medians.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from forms_service.danish import number

Z_95 = 1.959963984540054  # the 97.5% quantile of the standard normal distribution
ALPHA = 0.05
SMALL_N = 30  # fewer cases than this in a group: the numbers are called small


def normal_sf(z: float) -> float:
    """P(Z > z) for a standard normal Z."""
    return 0.5 * math.erfc(z / math.sqrt(2.0))


def two_sided_p(z: float) -> float:
    return min(1.0, 2.0 * normal_sf(abs(z)))


@dataclass(frozen=True, slots=True)
class ProportionComparison:
    x1: int
    n1: int
    x2: int
    n2: int
    p1: float | None
    p2: float | None
    difference: float | None  # p1 - p2
    ci_low: float | None
    ci_high: float | None
    z: float | None
    p_value: float | None

    @property
    def small(self) -> bool:
        return min(self.n1, self.n2) < SMALL_N


def compare_proportions(x1: int, n1: int, x2: int, n2: int) -> ProportionComparison:
    """Group 1 (x1 of n1) against group 2 (x2 of n2)."""
    if n1 <= 0 or n2 <= 0:
        p1 = x1 / n1 if n1 > 0 else None
        p2 = x2 / n2 if n2 > 0 else None
        return ProportionComparison(x1, n1, x2, n2, p1, p2, None, None, None, None, None)
    p1, p2 = x1 / n1, x2 / n2
    difference = p1 - p2
    se_unpooled = math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
    ci_low, ci_high = difference - Z_95 * se_unpooled, difference + Z_95 * se_unpooled
    pooled = (x1 + x2) / (n1 + n2)
    se_pooled = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se_pooled == 0:
        # every case in both groups alike: no evidence of any difference
        z, p_value = 0.0, 1.0
    else:
        z = difference / se_pooled
        p_value = two_sided_p(z)
    return ProportionComparison(x1, n1, x2, n2, p1, p2, difference, ci_low, ci_high, z, p_value)


# --- histograms -----------------------------------------------------------------------------


def _clean(histogram: Mapping[float, int]) -> dict[float, int]:
    return {float(v): int(c) for v, c in histogram.items() if v is not None and c > 0}


def histogram_size(histogram: Mapping[float, int]) -> int:
    return sum(_clean(histogram).values())


def histogram_mean(histogram: Mapping[float, int]) -> float | None:
    h = _clean(histogram)
    n = sum(h.values())
    return sum(v * c for v, c in h.items()) / n if n else None


def histogram_variance(histogram: Mapping[float, int]) -> float | None:
    """Sample variance (n − 1 in the denominator)."""
    h = _clean(histogram)
    n = sum(h.values())
    if n < 2:
        return None
    mean = sum(v * c for v, c in h.items()) / n
    return sum(c * (v - mean) ** 2 for v, c in h.items()) / (n - 1)


def histogram_quantile(histogram: Mapping[float, int], q: float) -> float | None:
    """The q-quantile with linear interpolation between order statistics (NumPy's default)."""
    h = sorted(_clean(histogram).items())
    n = sum(c for _, c in h)
    if n == 0:
        return None
    position = q * (n - 1)
    lower_index = math.floor(position)
    fraction = position - lower_index

    def value_at(index: int) -> float:
        seen = 0
        for value, count in h:
            seen += count
            if index < seen:
                return value
        return h[-1][0]

    low = value_at(lower_index)
    if fraction == 0:
        return low
    return low + fraction * (value_at(lower_index + 1) - low)


def histogram_median(histogram: Mapping[float, int]) -> float | None:
    return histogram_quantile(histogram, 0.5)


@dataclass(frozen=True, slots=True)
class DistributionComparison:
    n1: int
    n2: int
    mean1: float | None
    mean2: float | None
    median1: float | None
    median2: float | None
    difference: float | None  # mean1 - mean2
    ci_low: float | None
    ci_high: float | None
    u: float | None  # U of group 1
    z: float | None
    p_value: float | None

    @property
    def small(self) -> bool:
        return min(self.n1, self.n2) < SMALL_N


def mann_whitney(
    histogram1: Mapping[float, int], histogram2: Mapping[float, int], *, continuity: bool = True
) -> tuple[float, float, float]:
    """(U₁, z, two-sided p) of the Mann–Whitney U test, normal approximation with ties."""
    h1, h2 = _clean(histogram1), _clean(histogram2)
    n1, n2 = sum(h1.values()), sum(h2.values())
    if n1 == 0 or n2 == 0:
        raise ValueError("both groups need at least one value")
    n = n1 + n2
    rank_sum_1 = 0.0
    tie_term = 0.0
    below = 0
    for value in sorted(set(h1) | set(h2)):
        c1, c2 = h1.get(value, 0), h2.get(value, 0)
        t = c1 + c2
        mid_rank = below + (t + 1) / 2.0  # the average rank of a block of ties
        rank_sum_1 += c1 * mid_rank
        tie_term += t**3 - t
        below += t
    u1 = rank_sum_1 - n1 * (n1 + 1) / 2.0
    mu = n1 * n2 / 2.0
    variance = n1 * n2 / 12.0 * ((n + 1) - tie_term / (n * (n - 1))) if n > 1 else 0.0
    if variance <= 0:
        return u1, 0.0, 1.0
    u = max(u1, n1 * n2 - u1)
    z = (u - mu - (0.5 if continuity else 0.0)) / math.sqrt(variance)
    return u1, z, min(1.0, 2.0 * normal_sf(z))


def compare_distributions(
    histogram1: Mapping[float, int], histogram2: Mapping[float, int]
) -> DistributionComparison:
    n1, n2 = histogram_size(histogram1), histogram_size(histogram2)
    mean1, mean2 = histogram_mean(histogram1), histogram_mean(histogram2)
    median1, median2 = histogram_median(histogram1), histogram_median(histogram2)
    difference = ci_low = ci_high = u = z = p_value = None
    if n1 and n2:
        assert mean1 is not None and mean2 is not None
        difference = mean1 - mean2
        var1, var2 = histogram_variance(histogram1), histogram_variance(histogram2)
        if var1 is not None and var2 is not None:
            se = math.sqrt(var1 / n1 + var2 / n2)
            ci_low, ci_high = difference - Z_95 * se, difference + Z_95 * se
        u, z, p_value = mann_whitney(histogram1, histogram2)
    return DistributionComparison(
        n1, n2, mean1, mean2, median1, median2, difference, ci_low, ci_high, u, z, p_value
    )


# --- words ----------------------------------------------------------------------------------


def verdict(p_value: float | None, n1: int, n2: int) -> str:
    """A plain Danish sentence on whether the difference is clear yet."""
    if p_value is None:
        return "Der er endnu ingen sager at sammenligne i den ene eller begge grupper."
    small = min(n1, n2) < SMALL_N
    if p_value < ALPHA:
        sentence = (
            "Forskellen er tydelig: så stor en forskel ville sjældent opstå ved en tilfældighed "
            f"({p_clause(p_value)})."
        )
    else:
        sentence = (
            "Forskellen er endnu ikke tydelig: den kan skyldes tilfældigheder "
            f"({p_clause(p_value)})."
        )
    if small:
        sentence += (
            f" Antallet af sager er lille ({n1} og {n2}; under {SMALL_N} i en gruppe), "
            "så resultatet er usikkert."
        )
    return sentence


def p_clause(p_value: float) -> str:
    """``p < 0,001`` or ``p = 0,075``: the p-value as it is written in a sentence."""
    text = format_p(p_value)
    return f"p {text}" if text.startswith("<") else f"p = {text}"


def format_p(p_value: float) -> str:
    if p_value < 0.001:
        return "< 0,001"
    return number(p_value, 3)
