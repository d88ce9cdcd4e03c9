"""Date arithmetic that SQLite and PostgreSQL spell differently, as SQL expressions.

SQLite stores dates as ``YYYY-MM-DD`` text and has ``julianday``/``date`` modifiers;
PostgreSQL has a real ``date`` type (``date - date`` is an integer number of days).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Date, Integer
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement


class days_between(FunctionElement[int]):
    """``days_between(later, earlier)``: whole days from ``earlier`` to ``later``."""

    type = Integer()
    inherit_cache = True
    name = "days_between"


@compiles(days_between)
def _days_default(element: days_between, compiler: Any, **kw: Any) -> str:
    later, earlier = list(element.clauses)
    return f"({compiler.process(later, **kw)} - {compiler.process(earlier, **kw)})"


@compiles(days_between, "sqlite")
def _days_sqlite(element: days_between, compiler: Any, **kw: Any) -> str:
    later, earlier = list(element.clauses)
    return (
        f"CAST(julianday({compiler.process(later, **kw)}) - "
        f"julianday({compiler.process(earlier, **kw)}) AS INTEGER)"
    )


class week_start(FunctionElement[Any]):
    """The Monday of the ISO week a date falls in."""

    type = Date()
    inherit_cache = True
    name = "week_start"


@compiles(week_start)
def _week_default(element: week_start, compiler: Any, **kw: Any) -> str:
    (day,) = list(element.clauses)
    return f"CAST(date_trunc('week', {compiler.process(day, **kw)}) AS DATE)"


@compiles(week_start, "sqlite")
def _week_sqlite(element: week_start, compiler: Any, **kw: Any) -> str:
    (day,) = list(element.clauses)
    # 'weekday 0' moves forward to the next Sunday (or stays on one); six days back is Monday
    return f"date({compiler.process(day, **kw)}, 'weekday 0', '-6 days')"


def as_int(value: Any) -> int:
    return int(value or 0)


def as_date_value(value: Any) -> Any:
    """SQLite returns ``week_start`` as text; PostgreSQL as a date."""
    if isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value
