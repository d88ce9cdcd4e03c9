"""Tables as plain data: one shape for the web page, the CSV export and the Word report.

A table is a title, columns (key, Danish heading, kind) and rows of plain values; formatting
to Danish text happens once here, so the page, the CSV and the document show the same figures.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from forms_service.danish import date_short, days, number

# Column kinds: how a value is shown. DAYS: a number of days, whole unless it is not
# (a median of 106 days reads "106", of 106.5 days "106,5").
TEXT, COUNT, SHARE, NUMBER, DATE, DAYS = "text", "count", "share", "number", "date", "days"


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    heading: str
    kind: str = TEXT


@dataclass(slots=True)
class Table:
    id: str
    title: str
    columns: list[Column]
    rows: list[dict[str, Any]] = field(default_factory=list)
    note: str | None = None

    def formatted_rows(self) -> list[list[str]]:
        return [[format_value(row.get(c.key), c.kind) for c in self.columns] for row in self.rows]

    def headings(self) -> list[str]:
        return [c.heading for c in self.columns]

    def to_csv(self) -> str:
        """Semicolon-separated with decimal commas, as Danish spreadsheets expect."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerow(self.headings())
        for row in self.rows:
            writer.writerow([csv_value(row.get(c.key), c.kind) for c in self.columns])
        return buffer.getvalue()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "columns": [{"key": c.key, "heading": c.heading, "kind": c.kind} for c in self.columns],
            "rows": [{k: _json(v) for k, v in row.items()} for row in self.rows],
            "note": self.note,
        }


def _json(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def format_value(value: Any, kind: str) -> str:
    if value is None:
        return "–"
    if kind == COUNT:
        return number(float(value), 0)
    if kind == SHARE:
        return number(100.0 * float(value), 1) + " %"
    if kind == NUMBER:
        return number(float(value), 1)
    if kind == DAYS:
        return days(value)
    if kind == DATE and isinstance(value, dt.date):
        return date_short(value)
    return str(value)


def csv_value(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind == COUNT:
        return str(int(value))
    if kind in (SHARE, NUMBER, DAYS):
        return f"{float(value):.4f}".replace(".", ",")
    if kind == DATE and isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def share(x: int | None, n: int | None) -> float | None:
    return (x or 0) / n if n else None


def find(tables: Sequence[Table], table_id: str) -> Table:
    for table in tables:
        if table.id == table_id:
            return table
    raise KeyError(table_id)
