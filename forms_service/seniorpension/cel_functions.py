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
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
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
from forms_service.seniorpension.latest_job import LatestJob
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
        if value.tzinfo is not None:
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
    end = None if raw_end in (None, "") else to_date(raw_end)
    if raw_end not in (None, "") and end is None:
        return None
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


def fulltime_years(rows: Any, ref_date: Any) -> float:
    ref = _required_date(ref_date, "fulltime_years")
    periods, _ = periods_from_rows(rows)
    return _fulltime_years(periods, ref)


def _latest(rows: Any, ref_date: Any, name: str) -> tuple[LatestJob | None, list[int]]:
    ref = _required_date(ref_date, name)
    periods, row_indices = periods_from_rows(rows)
    return _latest_job(periods, ref), row_indices


def latest_job_months(rows: Any, ref_date: Any) -> float:
    job, _ = _latest(rows, ref_date, "latest_job_months")
    return 0.0 if job is None else float(job.months)


def latest_job_years_back(rows: Any, ref_date: Any) -> float:
    job, _ = _latest(rows, ref_date, "latest_job_years_back")
    return -1.0 if job is None else float(job.years_back)


def latest_job_index(rows: Any, ref_date: Any) -> int:
    job, row_indices = _latest(rows, ref_date, "latest_job_index")
    return -1 if job is None else row_indices[job.index]


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


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "fulltime_years": fulltime_years,
    "latest_job_months": latest_job_months,
    "latest_job_years_back": latest_job_years_back,
    "latest_job_index": latest_job_index,
    "pension_age_date": pension_age_date,
    "seniorpension_earliest_date": seniorpension_earliest_date,
    "application_earliest_date": application_earliest_date,
    "birth_date_from_cpr": birth_date_from_cpr,
    "months_between": months_between,
    "add_months": add_months,
}
"""CEL name → implementation; register each with ``cel.Context.add_function``."""


def register(context: Any) -> None:
    """Add every domain function to a ``cel.Context``."""
    for name, function in FUNCTIONS.items():
        context.add_function(name, function)
