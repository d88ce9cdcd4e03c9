"""The latest job ("seneste job", BEK § 3, stk. 2).

BEK § 3, stk. 2: the latest job is the job of about 12 months or longer the person held most
recently. If that job lies more than five years back, several periods with jobs of the same
type may be added together to make up the latest job. It can be employment, self-employment or
flexjob; a job with wage subsidy (løntilskud) can never be the latest job.

The rule as implemented (the caseworker still judges "about" 12 months; this finds the
candidate and says how it was found):

1. Wage-subsidy periods are left out; periods are cut before ``ref_date`` (an open end runs up
   to it), as for full-time years.
2. Rows that continue one job are one job: same employer (non-empty, case-insensitive), same
   type of job and same kind, the next row starting at the latest the day after the previous
   one ends. (A job is often split into rows when the hours change.)
3. A job's length is whole calendar months from its first day to the day after its last day,
   plus the remaining days as a fraction of the next month: 2020-01-01..2020-12-31 is 12.0,
   2020-01-01..2020-11-30 is 11.0, 2020-01-01..2020-12-30 is 11.97. At least ``min_months``
   (12) qualifies.
4. The single latest job is the qualifying job that ended most recently (ties: the longer one,
   then the first row).
5. Five years back is ``ref_date`` minus 60 calendar months. If the single latest job ended
   before that day (more than five years back) or there is none, periods of the same type of
   job (``job_type``, falling back to the title ``stilling``; case-insensitive, independent of
   the employer) that end on or after that day are added together: their days (overlaps
   counted once) measured as in 3. A type reaching ``min_months`` is the latest job
   (``aggregated=True``); of several, the one that ended most recently, then the longer.
   Periods without a job type or title cannot be added together. When no type reaches
   ``min_months``, the old single job stays the latest job.

   "No single job at all" is read like "more than five years back": a person whose recent
   work is several shorter periods of the same kind of work has a latest job of that kind.

   This one test, the last day before ``ref_date`` minus 60 months, is what "more than five
   years back" means everywhere: for adding periods together here, and for the form's
   question and attention note (``beyond_five_years``, the CEL function
   ``latest_job_five_year_rule``). ``years_back`` (days / 365.25) is for display only: a job
   whose last day is five years and one day back shows as 5.0 years.
6. A job described in the form is the latest job when its last day (an open or later end
   counted up to the day before ``ref_date``, as above) lies within one calendar month of the
   latest job's, and its first day within one month of the start of the job or of one of
   its rows (``describes``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from forms_service.seniorpension.deadlines import add_months, months_between
from forms_service.seniorpension.employment import (
    EmploymentKind,
    EmploymentPeriod,
    normalize_job_key,
)

MIN_MONTHS = 12
AGGREGATION_AFTER_MONTHS = 60  # "mere end fem år tilbage"
_ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class LatestJob:
    indices: tuple[int, ...]  # the rows (indices into the given periods) that make it up
    months: float
    start: dt.date
    end: dt.date  # last counted day, at the latest the day before ref_date
    ongoing: bool  # the last row has no end or ends on or after ref_date
    years_back: float  # from the day after ``end`` to ref_date in 365.25-day years; 0.0 if ongoing
    aggregated: bool  # True when periods of the same type were added together (5-year rule)
    job_type: str | None = None  # normalised job type key
    # no single job of at least min_months ended on or after ref_date minus 60 months: the
    # five-year rule applies (periods were added together, or could not be)
    beyond_five_years: bool = False

    @property
    def index(self) -> int:
        """The row to point at: the last-ending row of the latest job."""
        return self.indices[-1]


def _months_general(first: dt.date, after: dt.date) -> float:
    whole = months_between(first, after)
    rest_start = add_months(first, whole)
    rest_days = (after - rest_start).days
    if rest_days <= 0:  # pragma: no mutate (`< 0` is equivalent: 0 days add 0.0)
        return float(whole)
    month_days = (add_months(rest_start, 1) - rest_start).days
    return whole + rest_days / month_days


def span_months(first: dt.date, last: dt.date) -> float:
    """Months from ``first`` to ``last`` inclusive (rule 3 above)."""
    after = last + _ONE_DAY
    if after < first:  # not a span; the general calendar arithmetic answers as before
        return _months_general(first, after)
    # whole calendar months (deadlines.months_between): one month fewer when the day of the
    # month has not been reached
    whole = (after.year - first.year) * 12 + (after.month - first.month)
    rest_start = add_months(first, whole)
    if rest_start > after:
        whole -= 1
        rest_start = add_months(first, whole)
    rest_days = (after - rest_start).days
    if rest_days <= 0:
        return float(whole)
    month_days = (add_months(rest_start, 1) - rest_start).days
    return whole + rest_days / month_days


@dataclass(slots=True)
class _Job:
    indices: list[int]
    first: dt.date
    last: dt.date
    employer: str | None
    job_key: str | None
    kind: EmploymentKind
    ongoing: bool
    months: float = 0.0  # set once the rows are merged


def _eligible(
    periods: Sequence[EmploymentPeriod], ref_date: dt.date
) -> list[tuple[int, EmploymentPeriod, dt.date, dt.date]]:
    rows = []
    for index, period in enumerate(periods):
        if period.kind is EmploymentKind.LOENTILSKUD:
            continue
        span = period.span(ref_date)
        if span is not None:
            rows.append((index, period, span[0], span[1]))
    rows.sort(key=lambda row: (row[2], row[0]))
    return rows


def _continuous_jobs(
    rows: list[tuple[int, EmploymentPeriod, dt.date, dt.date]], ref_date: dt.date
) -> list[_Job]:
    jobs: list[_Job] = []
    for index, period, first, last in rows:
        employer = normalize_job_key(period.employer)
        key = period.job_type_key
        for job in jobs:
            if (
                employer is not None
                and job.employer == employer
                and job.job_key == key
                and job.kind is period.kind
                and first <= job.last + _ONE_DAY
            ):
                job.indices.append(index)
                job.last = max(job.last, last)
                job.ongoing = job.ongoing or period.is_ongoing(ref_date)
                break
        else:
            jobs.append(
                _Job([index], first, last, employer, key, period.kind, period.is_ongoing(ref_date))
            )
    return jobs


def _union_months(spans: list[tuple[dt.date, dt.date]]) -> float:
    merged: list[list[dt.date]] = []
    for first, last in sorted(spans):
        if merged and first <= merged[-1][1] + _ONE_DAY:
            merged[-1][1] = max(merged[-1][1], last)
        else:
            merged.append([first, last])
    return sum(span_months(first, last) for first, last in merged)


def _years_back(last: dt.date, ref_date: dt.date) -> float:
    return max(0, (ref_date - last - _ONE_DAY).days) / 365.25


def latest_job(
    periods: Sequence[EmploymentPeriod], ref_date: dt.date, *, min_months: int = MIN_MONTHS
) -> LatestJob | None:
    """The latest job at ``ref_date`` (see the module text), or ``None`` if there is none."""
    rows = _eligible(periods, ref_date)
    jobs = _continuous_jobs(rows, ref_date)
    for job in jobs:
        job.months = span_months(job.first, job.last)
    qualifying = [job for job in jobs if job.months >= min_months]
    single = max(
        qualifying,
        key=lambda job: (job.last, job.months, -min(job.indices)),
        default=None,
    )
    window_start = add_months(ref_date, -AGGREGATION_AFTER_MONTHS)
    beyond_five_years = single is None or single.last < window_start
    if beyond_five_years:
        aggregate = _aggregate(rows, window_start, ref_date, min_months)
        if aggregate is not None:
            return aggregate
    if single is None:
        return None
    last_day = {index: last for index, _, _, last in rows}
    indices = tuple(sorted(single.indices, key=lambda i: (last_day[i], i)))
    return LatestJob(
        indices=indices,
        months=single.months,
        start=single.first,
        end=single.last,
        ongoing=single.ongoing,
        years_back=_years_back(single.last, ref_date),
        aggregated=False,
        job_type=single.job_key,
        beyond_five_years=beyond_five_years,
    )


def _aggregate(
    rows: list[tuple[int, EmploymentPeriod, dt.date, dt.date]],
    window_start: dt.date,
    ref_date: dt.date,
    min_months: int,
) -> LatestJob | None:
    by_type: dict[str, list[tuple[int, dt.date, dt.date]]] = {}
    ongoing_rows = set()
    for index, period, first, last in rows:
        key = period.job_type_key
        if key is not None and last >= window_start:
            by_type.setdefault(key, []).append((index, first, last))
            if period.is_ongoing(ref_date):
                ongoing_rows.add(index)
    best: LatestJob | None = None
    for key, members in sorted(by_type.items()):
        months = _union_months([(first, last) for _, first, last in members])
        if months < min_months:
            continue
        # by end; rows come ordered by (start, index), and the sort keeps that order in a tie
        members.sort(key=lambda m: m[2])
        last = members[-1][2]
        candidate = LatestJob(
            indices=tuple(index for index, _, _ in members),
            months=months,
            start=min(first for _, first, _ in members),
            end=last,
            ongoing=any(index in ongoing_rows for index, _, _ in members),
            years_back=_years_back(last, ref_date),
            aggregated=True,
            job_type=key,
            beyond_five_years=True,
        )
        if best is None or (candidate.end, candidate.months) > (best.end, best.months):
            best = candidate
    return best


MATCH_TOLERANCE_MONTHS = 1


def describes(
    job: LatestJob,
    periods: Sequence[EmploymentPeriod],
    first: dt.date,
    last: dt.date | None,
    ref_date: dt.date,
    *,
    tolerance_months: int = MATCH_TOLERANCE_MONTHS,
) -> bool:
    """Whether a job described as ``first`` .. ``last`` (``None``: still held) is ``job``
    (found in ``periods``).

    The end is compared as the rule counts it: an open end, or one on or after ``ref_date``,
    is the day before ``ref_date``. The start may be the job's start or the start of any of
    its rows: a job split into rows when the hours or the title changed is still that job
    from its last row, and so is one of the periods added together under the five-year
    rule. Each may differ by up to ``tolerance_months`` calendar months (a caseworker may
    write the month, or the last payslip's date, rather than the exact day).
    """
    before_ref = ref_date - _ONE_DAY
    described_end = before_ref if last is None else min(last, before_ref)
    if not _within(described_end, job.end, tolerance_months):
        return False
    starts = {job.start, *(periods[i].start for i in job.indices)}
    return any(_within(first, start, tolerance_months) for start in starts)


def _within(day: dt.date, target: dt.date, months: int) -> bool:
    return add_months(target, -months) <= day <= add_months(target, months)
