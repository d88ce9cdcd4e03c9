from __future__ import annotations

import itertools
from decimal import Decimal

import pytest

from forms_service.seniorpension import CONTRIBUTION_RATES, contribution_rate


@pytest.mark.parametrize(
    ("year", "rate"),
    [
        (1999, "0"),
        (2019, "0"),
        (2020, "0.3"),
        (2021, "0.6"),
        (2022, "0.9"),
        (2023, "1.2"),
        (2024, "1.5"),
        (2025, "1.8"),
        (2026, "2.1"),
        (2027, "2.4"),
        (2028, "2.7"),
        (2029, "3.0"),
        (2030, "3.3"),
        (2045, "3.3"),
    ],
)
def test_contribution_rate_by_year(year: int, rate: str) -> None:
    assert contribution_rate(year) == Decimal(rate)


def test_rates_rise_by_0_3_points_a_year_and_cannot_be_changed() -> None:
    years = sorted(CONTRIBUTION_RATES)
    steps = {CONTRIBUTION_RATES[b] - CONTRIBUTION_RATES[a] for a, b in itertools.pairwise(years)}

    assert steps == {Decimal("0.3")}
    with pytest.raises(TypeError):
        CONTRIBUTION_RATES[2031] = Decimal("9")  # type: ignore[index]
