"""The quarterly status report for the forum (Word) and the figures the dashboard shows.

The dashboard, the CSV export and the Word document all read the same ``StatusReport``;
figures are formatted once by ``forms_service.reporting.tables``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from forms_service.danish import date_long, datetime_long
from forms_service.reporting import charts
from forms_service.reporting.names import DefinitionNames
from forms_service.reporting.status import (
    SUMMARY_LABELS,
    StatusFilter,
    StatusReport,
    week_days,
)
from forms_service.reporting.tables import Table, format_value
from forms_service.seniorpension.municipalities import municipality_by_code, region_by_code

STATUS_REPORT_KEYS = frozenset(
    {
        "title",
        "period",
        "as_of",
        "generated",
        "filters",
        "summary_headings",
        "summary",
        "chart_weekly",
        "chart_regions",
        "chart_decisions",
        "tables",
    }
)
QUARTER_MONTHS = {1: "marts", 2: "juni", 3: "september", 4: "december"}


def summary_rows(report: StatusReport) -> list[list[str]]:
    return [
        [label, format_value(report.summary.get(key), kind)] for key, label, kind in SUMMARY_LABELS
    ]


def filter_text(f: StatusFilter) -> str:
    parts = []
    if f.municipality_code is not None:
        parts.append(municipality_by_code(f.municipality_code).name)
    elif f.region_code is not None:
        parts.append(region_by_code(f.region_code).name)
    else:
        parts.append("Hele landet")
    parts.append(f"version {f.form_version}" if f.form_version else "alle skemaversioner")
    return ", ".join(parts)


def report_title(f: StatusFilter) -> str:
    quarter = quarter_of(f)
    if quarter is not None:
        year, q = quarter
        return (
            f"Status for seniorpension, {q}. kvartal {year} (forummets møde i {QUARTER_MONTHS[q]})"
        )
    return "Status for seniorpension"


def quarter_of(f: StatusFilter) -> tuple[int, int] | None:
    for q in (1, 2, 3, 4):
        candidate = StatusFilter.quarter(f.start.year, q)
        if (candidate.start, candidate.end) == (f.start, f.end):
            return f.start.year, q
    return None


def chart_images(report: StatusReport) -> dict[str, bytes]:
    return {
        "weekly": charts.weekly_chart(
            report.weekly, {w for w, _ in report.weekly if week_days(report.filter, w) < 7}
        ),
        "regions": charts.region_deadline_chart(report.table("regioner").rows),
        "decisions": charts.decision_chart(report.table("afgoerelser").rows),
    }


def named_tables(tables: list[Table]) -> list[Table]:
    """The criterion table with the criteria's titles instead of their ids (page and Word;
    the CSV keeps the ids, which stay comparable across form versions)."""
    names = DefinitionNames("sagsoplysningsskema")
    result = []
    for table in tables:
        if any(c.key == "criterion" for c in table.columns):
            rows = [
                {**row, "criterion": names.criterion(str(row["criterion"]))} for row in table.rows
            ]
            table = dataclasses.replace(table, rows=rows)
        result.append(table)
    return result


def render_status_report(report: StatusReport, *, generated: dt.date) -> bytes:
    from forms_service.reporting.word import STATUS_REPORT, render_report, table_context

    f = report.filter
    images = chart_images(report)

    def build(image: Any) -> dict[str, Any]:
        return {
            "title": report_title(f),
            "period": f"{date_long(f.start)} – {date_long(f.end)} (ansøgningsdato)",
            "as_of": date_long(f.as_of),
            "generated": datetime_long(generated),
            "filters": filter_text(f),
            "summary_headings": ["Nøgletal", "Værdi"],
            "summary": summary_rows(report),
            "chart_weekly": image(images["weekly"]),
            "chart_regions": image(images["regions"]),
            "chart_decisions": image(images["decisions"]),
            "tables": [table_context(t) for t in named_tables(report.tables)],
        }

    return render_report(STATUS_REPORT, STATUS_REPORT_KEYS, build)
