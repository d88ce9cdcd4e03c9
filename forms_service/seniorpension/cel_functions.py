"""The domain functions available in form expressions (CEL), see docs/definition-language.md.

The CEL runtime hands over CEL values converted to Python: timestamps as aware ``datetime``
(midnight UTC), lists, dicts, ``None``. Results must convert back: ``float`` for double,
``int``, and timestamps as ``datetime`` with ``tzinfo=UTC`` (the binding cannot convert
``datetime.date``).

Incomplete rows are normal while a caseworker fills in the form, so the row readers never raise:
a row without a usable ``fra`` (or with a ``til`` that is not a date) is left out, unusable
hours count as unknown hours, and a missing or unknown ``ansaettelsestype`` is loenmodtager.
Only a missing or invalid date argument, where no result can be defined, raises ``ValueError``
(the expression then counts as not applicable).

One evaluation calls several employment functions on the same rows and reference date
(full-time years, the latest job's length, how far back it lies, its row), and the rows may
arrive freshly converted from CEL each time. So within one evaluation (``begin_evaluation`` …
``end_evaluation``, which ``answers.evaluate`` brackets) the periods read from the rows, and what
is computed from them, are memoised, keyed on the rows' values (with their types: ``1``, ``1.0``
and ``True`` read differently) and the reference date: the latest job is found once per
evaluation, not once per function. The memo ends with the evaluation, so nothing outlives it
and no lock is needed; outside an evaluation every call computes afresh. Rows holding
something unhashable are simply not memoised.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterable, Mapping
from contextvars import ContextVar, Token
from typing import Any

from forms_service.seniorpension import cpr, deadlines
from forms_service.seniorpension.deadlines import parse_iso_date
from forms_service.seniorpension.employment import (
    EmploymentKind,
    EmploymentPeriod,
)
from forms_service.seniorpension.employment import (
    fulltime_years as _fulltime_years,
)
from forms_service.seniorpension.latest_job import MIN_MONTHS, LatestJob, describes
from forms_service.seniorpension.latest_job import latest_job as _latest_job
from forms_service.seniorpension.pension_age import (
    application_earliest_date as _application_earliest_date,
)
from forms_service.seniorpension.pension_age import pension_age_date as _pension_age_date
from forms_service.seniorpension.pension_age import (
    seniorpension_earliest_date as _seniorpension_earliest_date,
)

_KINDS = {kind.value: kind for kind in EmploymentKind}


def to_date(value: Any) -> dt.date | None:
    """A CEL timestamp, ``date`` or ``"YYYY-MM-DD"`` string as a date; ``None`` if not one."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None and value.tzinfo is not dt.UTC:
            value = value.astimezone(dt.UTC)
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return parse_iso_date(value.strip())
        except ValueError:
            return None
    return None


def to_timestamp(value: dt.date) -> dt.datetime:
    """A date as the CEL timestamp for it: midnight UTC."""
    return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)


def _required_date(value: Any, name: str) -> dt.date:
    result = to_date(value)
    if result is None:
        raise ValueError(f"{name}: ikke en dato: {value!r}")
    return result


def _hours(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip().replace(",", "."))
        except ValueError:
            return None
    return None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def period_from_row(row: Any) -> EmploymentPeriod | None:
    """An employment row (sub-field ids ``fra``, ``til``, …) as a period; ``None`` if unusable."""
    if not isinstance(row, Mapping):
        return None
    start = to_date(row.get("fra"))
    if start is None:
        return None
    raw_end = row.get("til")
    end = to_date(raw_end)
    if end is None and raw_end not in (None, ""):
        return None  # an end given that is not a date: the row cannot be used
    kind_value = row.get("ansaettelsestype")
    kind = (
        _KINDS.get(kind_value, EmploymentKind.LOENMODTAGER)
        if isinstance(kind_value, str)
        else EmploymentKind.LOENMODTAGER
    )
    return EmploymentPeriod(
        start=start,
        end=end,
        hours_per_week=_hours(row.get("timer_pr_uge")),
        kind=kind,
        job_type=_text(row.get("jobtype")),
        employer=_text(row.get("arbejdsgiver")),
        abroad=row.get("udland") is True,
        title=_text(row.get("stilling")),
    )


def periods_from_rows(rows: Any) -> tuple[list[EmploymentPeriod], list[int]]:
    """The usable periods and, for each, its index in ``rows`` (unusable rows are skipped)."""
    periods: list[EmploymentPeriod] = []
    row_indices: list[int] = []
    if not isinstance(rows, Iterable) or isinstance(rows, str | bytes | Mapping):
        return periods, row_indices
    for index, row in enumerate(rows):
        period = period_from_row(row)
        if period is not None:
            periods.append(period)
            row_indices.append(index)
    return periods, row_indices


class _Employment:
    """The periods of one set of rows, and what the functions compute from them at one date
    (each value computed on first use)."""

    __slots__ = ("_fulltime", "_latest", "_latest_min", "periods", "ref", "row_indices")

    def __init__(self, rows: Any, ref: dt.date) -> None:
        periods, row_indices = periods_from_rows(rows)
        self.periods = tuple(periods)
        self.row_indices = tuple(row_indices)
        self.ref = ref
        self._fulltime: float | None = None
        self._latest: tuple[LatestJob | None] | None = None
        self._latest_min: dict[float, LatestJob | None] = {}

    @property
    def fulltime_years(self) -> float:
        if self._fulltime is None:
            self._fulltime = _fulltime_years(self.periods, self.ref)
        return self._fulltime

    @property
    def latest(self) -> LatestJob | None:
        if self._latest is None:
            self._latest = (_latest_job(self.periods, self.ref),)
        return self._latest[0]

    def latest_with(self, min_months: float) -> LatestJob | None:
        """The latest job when jobs of at least ``min_months`` count (12: ``latest``)."""
        if min_months == MIN_MONTHS:
            return self.latest
        if min_months not in self._latest_min:
            self._latest_min[min_months] = _latest_job(
                self.periods, self.ref, min_months=min_months
            )
        return self._latest_min[min_months]


def _rows_key(rows: Any) -> Hashable | None:
    """The rows' values as a hashable key; ``None`` when they cannot be one."""
    if not isinstance(rows, list | tuple):
        return None
    try:
        # CEL hands maps over in no fixed key order, hence the set of items; the types are
        # part of the key because 1, 1.0 and True are equal but read differently
        key = tuple(
            [
                (frozenset(row.items()), tuple(row), tuple(map(type, row.values())))
                if type(row) is dict
                else (type(row), row)
                for row in rows
            ]
        )
        hash(key)
    except TypeError:
        return None
    return key


class _Memo:
    """What one evaluation has computed from its rows.

    ``keys`` maps a row list's id to the list and its key: the evaluation does not change the
    lists it hands over, so each list's key is computed once (holding the list keeps its id from
    being reused). ``results`` maps (rows key, reference date) to the computed employment.
    """

    __slots__ = ("keys", "results")

    def __init__(self) -> None:
        self.keys: dict[int, tuple[Any, Hashable | None]] = {}
        self.results: dict[tuple[Hashable, dt.date], _Employment] = {}

    def key_of(self, rows: Any) -> Hashable | None:
        entry = self.keys.get(id(rows))
        if entry is not None and entry[0] is rows:
            return entry[1]
        key = _rows_key(rows)
        self.keys[id(rows)] = (rows, key)
        return key


_memo: ContextVar[_Memo | None] = ContextVar("employment_memo", default=None)


def begin_evaluation() -> Token[_Memo | None]:
    """Start one evaluation's memo (this thread or task) until ``end_evaluation(token)``.

    The caller promises not to change the row lists it passes to the employment functions
    meanwhile; ``answers.evaluate`` does this around each evaluation.
    """
    return _memo.set(_Memo())


def end_evaluation(token: Token[_Memo | None]) -> None:
    """End the evaluation begun with ``token``; its memo is dropped."""
    _memo.reset(token)


def _employment(rows: Any, ref_date: Any, name: str) -> _Employment:
    ref = _required_date(ref_date, name)
    memo = _memo.get()
    if memo is None:
        return _Employment(rows, ref)
    rows_key = memo.key_of(rows)
    if rows_key is None:
        return _Employment(rows, ref)
    key = (rows_key, ref)
    found = memo.results.get(key)
    if found is None:
        found = memo.results[key] = _Employment(rows, ref)
    return found


def fulltime_years(rows: Any, ref_date: Any) -> float:
    return _employment(rows, ref_date, "fulltime_years").fulltime_years


def latest_job_months(rows: Any, ref_date: Any) -> float:
    job = _employment(rows, ref_date, "latest_job_months").latest
    return 0.0 if job is None else float(job.months)


def latest_job_years_back(rows: Any, ref_date: Any) -> float:
    job = _employment(rows, ref_date, "latest_job_years_back").latest
    return -1.0 if job is None else float(job.years_back)


def latest_job_index(rows: Any, ref_date: Any) -> int:
    employment = _employment(rows, ref_date, "latest_job_index")
    job = employment.latest
    return -1 if job is None else employment.row_indices[job.index]


def latest_job_aggregated(rows: Any, ref_date: Any) -> bool:
    job = _employment(rows, ref_date, "latest_job_aggregated").latest
    return job is not None and job.aggregated


def latest_job_five_year_rule(rows: Any, ref_date: Any) -> bool:
    job = _employment(rows, ref_date, "latest_job_five_year_rule").latest
    return job is not None and job.beyond_five_years


def latest_job_matches(rows: Any, ref_date: Any, fra: Any, til: Any) -> bool:
    first = _required_date(fra, "latest_job_matches")
    last = None if til in (None, "") else _required_date(til, "latest_job_matches")
    employment = _employment(rows, ref_date, "latest_job_matches")
    job = employment.latest
    return job is not None and describes(job, employment.periods, first, last, employment.ref)


def _min_months(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < 1e9:
        raise ValueError(f"{name}: ugyldigt antal måneder: {value!r}")
    return float(value)


def latest_job_months_min(rows: Any, ref_date: Any, min_months: Any) -> float:
    months = _min_months(min_months, "latest_job_months_min")
    job = _employment(rows, ref_date, "latest_job_months_min").latest_with(months)
    return 0.0 if job is None else float(job.months)


# The same rules with a version's own "ca. 12 måneder" (BEK § 3, stk. 2): a definition that
# states its tolerance uses these for every latest-job value, so the notes never contradict
# the rule's result.


def latest_job_aggregated_min(rows: Any, ref_date: Any, min_months: Any) -> bool:
    months = _min_months(min_months, "latest_job_aggregated_min")
    job = _employment(rows, ref_date, "latest_job_aggregated_min").latest_with(months)
    return job is not None and job.aggregated


def latest_job_five_year_rule_min(rows: Any, ref_date: Any, min_months: Any) -> bool:
    months = _min_months(min_months, "latest_job_five_year_rule_min")
    job = _employment(rows, ref_date, "latest_job_five_year_rule_min").latest_with(months)
    return job is not None and job.beyond_five_years


def latest_job_matches_min(rows: Any, ref_date: Any, fra: Any, til: Any, min_months: Any) -> bool:
    months = _min_months(min_months, "latest_job_matches_min")
    first = _required_date(fra, "latest_job_matches_min")
    last = None if til in (None, "") else _required_date(til, "latest_job_matches_min")
    employment = _employment(rows, ref_date, "latest_job_matches_min")
    job = employment.latest_with(months)
    return job is not None and describes(job, employment.periods, first, last, employment.ref)


def pension_age_date(birth_date: Any) -> dt.datetime:
    return to_timestamp(_pension_age_date(_required_date(birth_date, "pension_age_date")))


def seniorpension_earliest_date(birth_date: Any) -> dt.datetime:
    birth = _required_date(birth_date, "seniorpension_earliest_date")
    return to_timestamp(_seniorpension_earliest_date(birth))


def application_earliest_date(birth_date: Any) -> dt.datetime:
    birth = _required_date(birth_date, "application_earliest_date")
    return to_timestamp(_application_earliest_date(birth))


def birth_date_from_cpr(value: Any) -> dt.datetime:
    if not isinstance(value, str):
        raise ValueError("birth_date_from_cpr: CPR-nummeret mangler")
    return to_timestamp(cpr.birth_date_from_cpr(value))


def months_between(a: Any, b: Any) -> int:
    return deadlines.months_between(
        _required_date(a, "months_between"), _required_date(b, "months_between")
    )


def add_months(date: Any, n: Any) -> dt.datetime:
    start = _required_date(date, "add_months")
    if isinstance(n, bool) or not isinstance(n, int | float) or int(n) != n:
        raise ValueError(f"add_months: antal måneder skal være et helt tal: {n!r}")
    return to_timestamp(deadlines.add_months(start, int(n)))


def municipality_deadline(request_date: Any) -> dt.datetime:
    return to_timestamp(
        deadlines.municipality_deadline(_required_date(request_date, "municipality_deadline"))
    )


def decision_deadline(application_date: Any) -> dt.datetime:
    return to_timestamp(
        deadlines.decision_deadline(_required_date(application_date, "decision_deadline"))
    )


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "fulltime_years": fulltime_years,
    "latest_job_months": latest_job_months,
    "latest_job_years_back": latest_job_years_back,
    "latest_job_index": latest_job_index,
    "latest_job_aggregated": latest_job_aggregated,
    "latest_job_five_year_rule": latest_job_five_year_rule,
    "latest_job_matches": latest_job_matches,
    "latest_job_months_min": latest_job_months_min,
    "latest_job_aggregated_min": latest_job_aggregated_min,
    "latest_job_five_year_rule_min": latest_job_five_year_rule_min,
    "latest_job_matches_min": latest_job_matches_min,
    "pension_age_date": pension_age_date,
    "seniorpension_earliest_date": seniorpension_earliest_date,
    "application_earliest_date": application_earliest_date,
    "birth_date_from_cpr": birth_date_from_cpr,
    "months_between": months_between,
    "add_months": add_months,
    "municipality_deadline": municipality_deadline,
    "decision_deadline": decision_deadline,
}
"""CEL name → implementation; register each with ``cel.Context.add_function``."""


def register(context: Any) -> None:
    """Add every domain function to a ``cel.Context``."""
    for name, function in FUNCTIONS.items():
        context.add_function(name, function)
