"""Building EmploymentPeriod objects from the JSON fixtures."""

from __future__ import annotations

import datetime as dt
from typing import Any

from forms_service.seniorpension import EmploymentKind, EmploymentPeriod


def _date(value: str | None) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value)


def period(data: dict[str, Any]) -> EmploymentPeriod:
    start = _date(data["start"])
    assert start is not None
    return EmploymentPeriod(
        start=start,
        end=_date(data.get("end")),
        hours_per_week=data.get("hours"),
        kind=EmploymentKind(data.get("kind", "loenmodtager")),
        job_type=data.get("job_type"),
        employer=data.get("employer"),
        abroad=data.get("abroad", False),
        title=data.get("title"),
    )


def periods(rows: list[dict[str, Any]]) -> list[EmploymentPeriod]:
    return [period(row) for row in rows]
