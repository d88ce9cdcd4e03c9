"""The pilot report: one set of formatted figures for the web page, the API and Word.

``pilot_report(...)`` computes the comparison and formats every figure once (Danish numbers);
the page and the document both show these strings, and the charts are made from the same
comparison, so the two cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from forms_service.danish import number
from forms_service.pilots.comparison import MeasureComparison, PilotComparison, compare_pilot
from forms_service.pilots.models import FEEDBACK_KINDS, NAMED, Pilot, PilotFeedback
from forms_service.pilots.service import feedback_for
from forms_service.pilots.statistics import format_p
from forms_service.reporting import charts
from forms_service.reporting.tables import COUNT, SHARE, Column, Table
from forms_service.seniorpension.municipalities import municipality_by_code

PILOT_REPORT_KEYS = frozenset(
    {
        "title",
        "pilot",
        "as_of",
        "generated",
        "cases_line",
        "rows",
        "chart_shares",
        "chart_days",
        "tables",
        "feedback",
    }
)


def _date(day: dt.date) -> str:
    return day.strftime("%d-%m-%Y")


def _value(row: MeasureComparison, value: float | None, median: float | None) -> str:
    if value is None:
        return "–"
    if row.kind == "proportion":
        return number(100 * value, 1) + " %"
    text = f"gns. {number(value, 1)} {row.unit}"
    if median is not None and row.unit == "dage":
        text += f", median {number(median, 0)}"
    return text


def _difference(row: MeasureComparison) -> tuple[str, str]:
    if row.difference is None:
        return "–", "–"
    if row.kind == "proportion":
        scale, unit = 100.0, " procentpoint"
    else:
        scale, unit = 1.0, f" {row.unit}"
    difference = _signed(scale * row.difference) + unit
    if row.ci_low is None or row.ci_high is None:
        return difference, "–"
    return difference, f"[{_signed(scale * row.ci_low)}; {_signed(scale * row.ci_high)}]"


def _signed(value: float) -> str:
    text = number(abs(value), 1)
    if round(value, 1) == 0:
        return text
    return ("+" if value > 0 else "−") + text


def format_row(row: MeasureComparison) -> dict[str, Any]:
    difference, ci = _difference(row)
    return {
        "key": row.key,
        "title": row.title,
        "candidate": _value(row, row.candidate, row.candidate_median),
        "comparison": _value(row, row.comparison, row.comparison_median),
        "n_candidate": number(row.n_candidate, 0),
        "n_comparison": number(row.n_comparison, 0),
        "difference": difference,
        "ci": ci,
        "p_value": "–" if row.p_value is None else format_p(row.p_value),
        "test": row.test,
        "sentence": row.sentence,
        "small": row.small,
    }


@dataclass(slots=True)
class PilotReport:
    pilot: Pilot
    comparison: PilotComparison
    facts: dict[str, Any]
    rows: list[dict[str, Any]]
    tables: list[Table]
    feedback: list[dict[str, str]]
    cases_line: str

    def chart_shares(self) -> bytes:
        return charts.comparison_shares_chart(
            self.comparison.rows, self.facts["candidate_label"], self.facts["comparison_label"]
        )

    def chart_days(self) -> bytes:
        return charts.comparison_days_chart(
            self.comparison.rows, self.facts["candidate_label"], self.facts["comparison_label"]
        )


def _names(codes: list[int]) -> str:
    return ", ".join(municipality_by_code(c).name for c in codes)


def pilot_facts(pilot: Pilot) -> dict[str, Any]:
    return {
        "name": pilot.name,
        "form": pilot.form,
        "candidate": pilot.candidate_version,
        "comparison": pilot.comparison_version,
        "period": f"{_date(pilot.start_date)} – {_date(pilot.end_date)}",
        "municipalities": _names(pilot.pilot_codes),
        "comparison_group": _names(pilot.comparison_codes)
        if pilot.comparison_scope == NAMED
        else "Alle øvrige kommuner",
        "description": pilot.description or "",
        "candidate_label": f"Pilot ({pilot.candidate_version})",
        "comparison_label": f"Sammenligning ({pilot.comparison_version})",
    }


def _feedback_item(item: PilotFeedback) -> dict[str, str]:
    where = " / ".join(p for p in (item.section_id, item.field_id) if p) or "Hele skemaet"
    municipality = (
        municipality_by_code(item.municipality_code).name if item.municipality_code else ""
    )
    return {
        "where": where,
        "kind": FEEDBACK_KINDS.get(item.kind, item.kind),
        "text": item.text,
        "municipality": municipality,
        "author": item.author_name,
        "date": _date(item.created_at.date()),
    }


def _detail_tables(comparison: PilotComparison) -> list[Table]:
    a, b = comparison.candidate, comparison.comparison
    criteria = sorted(set(a.criteria) | set(b.criteria))
    criteria_rows = []
    for ref in criteria:
        ca = a.criteria.get(ref, {"missing": 0, "insufficient": 0})
        cb = b.criteria.get(ref, {"missing": 0, "insufficient": 0})
        criteria_rows.append(
            {
                "criterion": ref,
                "a_missing": ca["missing"],
                "a_insufficient": ca["insufficient"],
                "a_share": (ca["missing"] + ca["insufficient"]) / a.submitted
                if a.submitted
                else None,
                "b_missing": cb["missing"],
                "b_insufficient": cb["insufficient"],
                "b_share": (cb["missing"] + cb["insufficient"]) / b.submitted
                if b.submitted
                else None,
            }
        )
    fields_rows = [
        {"version": a.label, "field": f, "empty": e, "failed": x} for f, e, x in a.fields
    ] + [{"version": b.label, "field": f, "empty": e, "failed": x} for f, e, x in b.fields]
    counts_rows = [
        {
            "group": m.label,
            "received": m.received,
            "submitted": m.submitted,
            "decided": m.decided,
            "with_drafts": m.with_drafts,
            "abandoned": m.drafts_abandoned,
        }
        for m in (a, b)
    ]
    return [
        Table(
            "antal",
            "Antal sager",
            [
                Column("group", "Gruppe"),
                Column("received", "Modtaget", COUNT),
                Column("submitted", "Indsendt", COUNT),
                Column("decided", "Afgjort", COUNT),
                Column("with_drafts", "Med kladde", COUNT),
                Column("abandoned", "Kladde opgivet", COUNT),
            ],
            counts_rows,
        ),
        Table(
            "kriterier",
            "Kriterier, der manglede eller var utilstrækkelige ved første indsendelse",
            [
                Column("criterion", "Kriterium"),
                Column("a_missing", "Pilot: mangler", COUNT),
                Column("a_insufficient", "Pilot: utilstrækkelig", COUNT),
                Column("a_share", "Pilot: andel", SHARE),
                Column("b_missing", "Sammenligning: mangler", COUNT),
                Column("b_insufficient", "Sammenligning: utilstrækkelig", COUNT),
                Column("b_share", "Sammenligning: andel", SHARE),
            ],
            criteria_rows,
        ),
        Table(
            "felter",
            "Felter, der oftest stod tomme eller ikke bestod et tjek",
            [
                Column("version", "Gruppe"),
                Column("field", "Felt"),
                Column("empty", "Tomt", COUNT),
                Column("failed", "Ikke bestået", COUNT),
            ],
            fields_rows,
        ),
    ]


def pilot_report(session: Session, pilot: Pilot, *, as_of: dt.date) -> PilotReport:
    comparison = compare_pilot(session, pilot, as_of=as_of)
    a, b = comparison.candidate, comparison.comparison
    cases_line = (
        f"{number(a.received, 0)} sager med pilotversionen og "
        f"{number(b.received, 0)} sager med sammenligningsversionen i perioden."
    )
    return PilotReport(
        pilot,
        comparison,
        pilot_facts(pilot),
        [format_row(r) for r in comparison.rows],
        _detail_tables(comparison),
        [_feedback_item(f) for f in feedback_for(session, pilot)],
        cases_line,
    )


def _table_context(table: Table) -> dict[str, Any]:
    return {
        "title": table.title,
        "headings": table.headings(),
        "rows": table.formatted_rows(),
        "note": table.note or "",
    }


def render_pilot_report(report: PilotReport, *, generated: dt.date) -> bytes:
    from forms_service.reporting.word import PILOT_REPORT, render_report

    def build(image: Any) -> dict[str, Any]:
        return {
            "title": f"Pilotrapport: {report.pilot.name}",
            "pilot": report.facts,
            "as_of": _date(report.comparison.as_of),
            "generated": _date(generated),
            "cases_line": report.cases_line,
            "rows": report.rows,
            "chart_shares": image(report.chart_shares()),
            "chart_days": image(report.chart_days()),
            "tables": [_table_context(t) for t in report.tables],
            "feedback": report.feedback,
        }

    return render_report(PILOT_REPORT, PILOT_REPORT_KEYS, build)
