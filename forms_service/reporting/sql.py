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


class day_after(FunctionElement[Any]):
    """The date one day later."""

    type = Date()
    inherit_cache = True
    name = "day_after"


@compiles(day_after)
def _day_after_default(element: day_after, compiler: Any, **kw: Any) -> str:
    (day,) = list(element.clauses)
    return f"({compiler.process(day, **kw)} + 1)"


@compiles(day_after, "sqlite")
def _day_after_sqlite(element: day_after, compiler: Any, **kw: Any) -> str:
    (day,) = list(element.clauses)
    return f"date({compiler.process(day, **kw)}, '+1 day')"


class latest(FunctionElement[Any]):
    """The greatest of non-NULL dates (SQLite's many-argument ``max``, PostgreSQL's GREATEST)."""

    type = Date()
    inherit_cache = True
    name = "latest"


@compiles(latest)
def _latest_default(element: latest, compiler: Any, **kw: Any) -> str:
    return f"GREATEST({compiler.process(element.clauses, **kw)})"


@compiles(latest, "sqlite")
def _latest_sqlite(element: latest, compiler: Any, **kw: Any) -> str:
    # SQLite's max() is NULL when any argument is: callers pass no NULLs (COALESCE them)
    return f"max({compiler.process(element.clauses, **kw)})"


class unindexed(FunctionElement[Any]):
    """A column the planner must not pick an index for (SQLite's unary ``+``).

    SQLite without range statistics takes a two-sided date range for the most selective
    condition even when the whole table matches; ``+column`` points it to the better index.
    """

    inherit_cache = True
    name = "unindexed"

    def __init__(self, column: Any) -> None:
        super().__init__(column)
        self.type = column.type


@compiles(unindexed)
def _unindexed_default(element: unindexed, compiler: Any, **kw: Any) -> str:
    (column,) = list(element.clauses)
    return compiler.process(column, **kw)


@compiles(unindexed, "sqlite")
def _unindexed_sqlite(element: unindexed, compiler: Any, **kw: Any) -> str:
    (column,) = list(element.clauses)
    return f"+{compiler.process(column, **kw)}"
