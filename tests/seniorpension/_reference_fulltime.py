"""The straightforward full-time-years sum with ``Fraction`` per interval (the implementation
before the integer version in employment.py), kept as the reference the fast one must equal."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable
from fractions import Fraction

from forms_service.seniorpension import EmploymentPeriod, add_years

_ONE_DAY = dt.timedelta(days=1)


def calendar_years(first: dt.date, after_last: dt.date) -> Fraction:
    if after_last <= first:
        return Fraction(0)
    years = after_last.year - first.year
    while years > 0 and add_years(first, years) > after_last:
        years -= 1
    anchor = add_years(first, years)
    next_anchor = add_years(first, years + 1)
    return years + Fraction((after_last - anchor).days, (next_anchor - anchor).days)


def fulltime_years_exact(periods: Iterable[EmploymentPeriod], ref_date: dt.date) -> Fraction:
    intervals: list[tuple[dt.date, dt.date, Fraction]] = []
    for period in periods:
        span = period.span(ref_date)
        fraction = period.fulltime_fraction
        if span is None or fraction <= 0:
            continue
        intervals.append((span[0], span[1] + _ONE_DAY, fraction))
    if not intervals:
        return Fraction(0)
    boundaries = sorted({b for first, after, _ in intervals for b in (first, after)})
    total = Fraction(0)
    for left, right in itertools.pairwise(boundaries):
        best = max(
            (f for first, after, f in intervals if first <= left and right <= after),
            default=Fraction(0),
        )
        if best:
            total += best * calendar_years(left, right)
    return total
