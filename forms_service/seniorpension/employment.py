"""Employment periods and labour-market attachment in full-time years (BEK § 2).

How a period counts, and why:

- At least 27 hours a week is full time: full ATP contribution starts there, and full ATP
  periods count as full-time work (BEK § 2, stk. 1). Fewer hours count proportionally,
  ``hours / 27`` (BEK § 2, stk. 3 lets the municipality convert part time this way).
- Flexjob (fleksjob) counts as full time whatever the hours.
- Wage subsidy (løntilskud) is employment and counts towards attachment like any other job;
  only the latest-job rule (BEK § 3, stk. 2) excludes it.
- Unknown hours count as full time. Attachment is normally documented with ATP statements, where
  full contribution is the default, and a caseworker who leaves the hours empty has not found
  part time; counting the period as 0 would silently drop documented work. The form asks for
  hours where part time matters.
- Work abroad counts like work in Denmark (foreign employers are documentation, BEK § 6).
- ``start`` and ``end`` are both working days (inclusive). Counting stops before
  ``ref_date`` (the state at the start of that day): an open end runs up to it, later days are
  cut off. So a job held since 1 January 2000 is exactly 20.0 years on 1 January 2020, the same
  as one with the end date 31 December 2019.
- Overlapping periods are not counted twice: each day counts once, at the highest full-time
  fraction of the periods covering it (so never more than 1.0 a day).
- Years are counted from anniversary to anniversary, as a caseworker counts them: 1 June 2000
  to 31 May 2015 is exactly 15.0 years, and days after the last anniversary are a fraction of
  the year that follows it (a 365.25-day year would give 24.9993 for 1995-2019 and fail a
  ``>= 25.0`` check). Sums are exact fractions, and rules compare the exact value.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from functools import lru_cache

FULL_TIME_HOURS = 27
_ONE_DAY = dt.timedelta(days=1)


class EmploymentKind(StrEnum):
    LOENMODTAGER = "loenmodtager"  # employee
    SELVSTAENDIG = "selvstaendig"  # self-employed
    FLEKSJOB = "fleksjob"  # flexjob
    LOENTILSKUD = "loentilskud"  # employment with wage subsidy

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    EmploymentKind.LOENMODTAGER: "Lønmodtager",
    EmploymentKind.SELVSTAENDIG: "Selvstændig erhvervsdrivende",
    EmploymentKind.FLEKSJOB: "Fleksjob",
    EmploymentKind.LOENTILSKUD: "Job med løntilskud",
}


def normalize_job_key(value: str | None) -> str | None:
    """Case- and white-space-insensitive key of a job type or title; ``None`` when blank."""
    if value is None:
        return None
    key = " ".join(str(value).split()).casefold()
    return key or None


@dataclass(frozen=True, slots=True)
class EmploymentPeriod:
    """One period of work. ``title`` (stilling) is the fallback when ``job_type`` is empty."""

    start: dt.date
    end: dt.date | None = None
    hours_per_week: float | None = None
    kind: EmploymentKind = EmploymentKind.LOENMODTAGER
    job_type: str | None = None
    employer: str | None = None
    abroad: bool = False
    title: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.kind, EmploymentKind):
            object.__setattr__(self, "kind", EmploymentKind(self.kind))

    @property
    def job_type_key(self) -> str | None:
        """The type of job for adding periods together (BEK § 3, stk. 2): job type, else title."""
        return normalize_job_key(self.job_type) or normalize_job_key(self.title)

    @property
    def fulltime_fraction(self) -> Fraction:
        """How much one day of this period counts, between 0 and 1 (see the module text)."""
        return _fulltime_fraction(self.kind, self.hours_per_week)

    def span(self, ref_date: dt.date) -> tuple[dt.date, dt.date] | None:
        """First and last counted day (inclusive), cut before ``ref_date``; ``None`` if empty."""
        before_ref = ref_date - _ONE_DAY
        last = before_ref if self.end is None else min(self.end, before_ref)
        if last < self.start:
            return None
        return self.start, last

    def is_ongoing(self, ref_date: dt.date) -> bool:
        return self.end is None or self.end >= ref_date


def _anniversary(first: dt.date, years: int) -> dt.date:
    """``add_years`` without the month arithmetic: the same day, 29 February → 28 February."""
    try:
        return first.replace(year=first.year + years)
    except ValueError:
        if first.month == 2 and first.day == 29:
            return dt.date(first.year + years, 2, 28)
        raise


def _calendar_parts(first: dt.date, after_last: dt.date) -> tuple[int, int, int]:
    """``calendar_years`` as integers: whole years, the days after the last anniversary and
    the length in days of the year those days belong to."""
    years = after_last.year - first.year
    anchor = _anniversary(first, years)
    while years > 0 and anchor > after_last:
        years -= 1
        anchor = _anniversary(first, years)
    next_anchor = _anniversary(first, years + 1)
    return years, (after_last - anchor).days, (next_anchor - anchor).days


def calendar_years(first: dt.date, after_last: dt.date) -> Fraction:
    """Years of the days ``first`` .. ``after_last`` (exclusive), counted by anniversaries.

    Whole years run from anniversary to anniversary, so 1 June 2000 – 31 May 2015 is exactly
    15 years, as a caseworker counts; the days after the last anniversary are a fraction of
    the year that follows it.
    """
    if after_last <= first:  # pragma: no mutate (`<` is equivalent: an empty span is 0 either way)
        return Fraction(0)
    years, days, year_days = _calendar_parts(first, after_last)
    return years + Fraction(days, year_days)


@lru_cache(maxsize=1024, typed=True)
def _day_fraction(kind: EmploymentKind, hours: float | None) -> tuple[int, int]:
    fraction = _fulltime_fraction(kind, hours)
    return fraction.numerator, fraction.denominator


def _fulltime_fraction(kind: EmploymentKind, hours: float | None) -> Fraction:
    if kind is EmploymentKind.FLEKSJOB or hours is None:
        return Fraction(1)
    return min(Fraction(1), max(Fraction(0), Fraction(str(hours)) / FULL_TIME_HOURS))


def _fulltime_ratio(periods: Iterable[EmploymentPeriod], ref_date: dt.date) -> tuple[int, int]:
    """Full-time years as an unreduced integer ratio ``(numerator, denominator)``.

    The same sum as adding ``fraction × calendar_years`` per elementary interval with
    ``Fraction``, but in integers: whole years and left-over days are summed per day fraction
    and year length, and only the final sum is put over one common denominator (a
    ``Fraction`` per interval normalises with a gcd at every step, which was most of the cost).
    """
    intervals: list[tuple[dt.date, dt.date, int, int]] = []
    for period in periods:
        num, den = _day_fraction(period.kind, period.hours_per_week)
        span = period.span(ref_date)
        if span is not None and num > 0:
            intervals.append((span[0], span[1] + _ONE_DAY, num, den))
    if not intervals:
        return 0, 1
    boundaries = sorted({b for first, after, _, _ in intervals for b in (first, after)})
    whole: dict[tuple[int, int], int] = {}  # day fraction -> whole years
    days: dict[tuple[int, int, int], int] = {}  # (day fraction, year length) -> days
    for left, right in itertools.pairwise(boundaries):
        best: tuple[int, int] | None = None
        for first, after, num, den in intervals:
            if first <= left and right <= after and (best is None or num * best[1] > best[0] * den):
                best = (num, den)
        if best is None:
            continue
        years, rest, year_days = _calendar_parts(left, right)
        if years:
            whole[best] = whole.get(best, 0) + years
        if rest:
            days[(*best, year_days)] = days.get((*best, year_days), 0) + rest
    terms = [(num * years, den) for (num, den), years in whole.items()]
    terms += [(num * count, den * year_days) for (num, den, year_days), count in days.items()]
    if not terms:
        return 0, 1
    denominator = math.lcm(*(den for _, den in terms))
    return sum(num * (denominator // den) for num, den in terms), denominator


def fulltime_years_exact(periods: Iterable[EmploymentPeriod], ref_date: dt.date) -> Fraction:
    """Full-time years as an exact fraction (see ``fulltime_years``).

    Each elementary interval between period boundaries counts once, at the highest day
    fraction of the periods covering it, in calendar years from its first day.
    """
    numerator, denominator = _fulltime_ratio(periods, ref_date)
    return Fraction(numerator, denominator)


def fulltime_years(periods: Iterable[EmploymentPeriod], ref_date: dt.date) -> float:
    """Labour-market attachment in full-time years before ``ref_date`` (BEK § 2)."""
    numerator, denominator = _fulltime_ratio(periods, ref_date)
    # int / int is correctly rounded, so this is float() of the exact fraction
    return numerator / denominator
