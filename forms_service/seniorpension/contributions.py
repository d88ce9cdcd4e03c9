"""The obligatory pension contribution the municipality pays on senior pension, % by year.

Phased in from 2020 in steps of 0.3 percentage points up to 3.3 % from 2030; none before 2020.
Decimal, because these are rates applied to amounts of money.
"""

from __future__ import annotations

from decimal import Decimal
from types import MappingProxyType

FIRST_YEAR = 2020
FINAL_YEAR = 2030
FINAL_RATE = Decimal("3.3")

CONTRIBUTION_RATES: MappingProxyType[int, Decimal] = MappingProxyType(
    {
        2020: Decimal("0.3"),
        2021: Decimal("0.6"),
        2022: Decimal("0.9"),
        2023: Decimal("1.2"),
        2024: Decimal("1.5"),
        2025: Decimal("1.8"),
        2026: Decimal("2.1"),
        2027: Decimal("2.4"),
        2028: Decimal("2.7"),
        2029: Decimal("3.0"),
        2030: FINAL_RATE,
    }
)


def contribution_rate(year: int) -> Decimal:
    """The contribution in percent for ``year``: 0 before 2020, 3.3 from 2030."""
    if year < FIRST_YEAR:
        return Decimal(0)
    return CONTRIBUTION_RATES[min(year, FINAL_YEAR)]
