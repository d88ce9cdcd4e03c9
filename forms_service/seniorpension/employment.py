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
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from forms_service.seniorpension.deadlines import add_years

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
        if self.kind is EmploymentKind.FLEKSJOB or self.hours_per_week is None:
            return Fraction(1)
        hours = Fraction(str(self.hours_per_week))
        if hours <= 0:
            return Fraction(0)
        return min(Fraction(1), hours / FULL_TIME_HOURS)

    def span(self, ref_date: dt.date) -> tuple[dt.date, dt.date] | None:
        """First and last counted day (inclusive), cut before ``ref_date``; ``None`` if empty."""
        before_ref = ref_date - _ONE_DAY
        last = before_ref if self.end is None else min(self.end, before_ref)
        if last < self.start:
            return None
        return self.start, last

    def is_ongoing(self, ref_date: dt.date) -> bool:
        return self.end is None or self.end >= ref_date


def calendar_years(first: dt.date, after_last: dt.date) -> Fraction:
    """Years of the days ``first`` .. ``after_last`` (exclusive), counted by anniversaries.

    Whole years run from anniversary to anniversary, so 1 June 2000 – 31 May 2015 is exactly
    15 years, as a caseworker counts; the days after the last anniversary are a fraction of
    the year that follows it.
    """
    if after_last <= first:
        return Fraction(0)
    years = after_last.year - first.year
    while years > 0 and add_years(first, years) > after_last:
        years -= 1
    anchor = add_years(first, years)
    next_anchor = add_years(first, years + 1)
    return years + Fraction((after_last - anchor).days, (next_anchor - anchor).days)


def fulltime_years_exact(periods: Iterable[EmploymentPeriod], ref_date: dt.date) -> Fraction:
    """Full-time years as an exact fraction (see ``fulltime_years``)."""
    # Sweep over the boundaries; each elementary interval counts once at its highest fraction.
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


def fulltime_years(periods: Iterable[EmploymentPeriod], ref_date: dt.date) -> float:
    """Labour-market attachment in full-time years before ``ref_date`` (BEK § 2)."""
    return float(fulltime_years_exact(periods, ref_date))
