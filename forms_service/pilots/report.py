"""The pilot report: one set of formatted figures for the web page, the API and Word.

``pilot_report(...)`` computes the comparison and formats every figure once (Danish numbers);
the page and the document both show these strings, and the charts are made from the same
comparison, so the two cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from forms_service.danish import date_long, datetime_long, number
from forms_service.pilots.comparison import MeasureComparison, PilotComparison, compare_pilot
from forms_service.pilots.measures import VersionMeasures
from forms_service.pilots.models import FEEDBACK_KINDS, NAMED, Pilot, PilotFeedback
from forms_service.pilots.service import feedback_for
from forms_service.reporting import charts
from forms_service.reporting.names import DefinitionNames
from forms_service.reporting.statistics import (
    format_p,
    histogram_mean,
    histogram_median,
    histogram_size,
    p_clause,
)
from forms_service.reporting.tables import COUNT, NUMBER, SHARE, Column, Table
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


def _value(row: MeasureComparison, value: float | None, median: float | None) -> str:
    if value is None:
        return "–"
    if row.kind == "proportion":
        return number(100 * value, 1) + " %"
    # "antal" names what is counted, not a unit: "gns. 0,3", not "gns. 0,3 antal"
    unit = "" if row.unit == "antal" else f" {row.unit}"
    text = f"gns. {number(value, 1)}{unit}"
    if median is not None and row.unit in ("dage", "minutter"):
        text += f", median {number(median, 0)} {row.unit}"
    return text


def _difference(row: MeasureComparison) -> tuple[str, str]:
    if row.difference is None:
        return "–", "–"
    if row.kind == "proportion":
        scale, unit = 100.0, " procentpoint"
    else:
        scale, unit = 1.0, "" if row.unit == "antal" else f" {row.unit}"
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
        # as a sentence writes it: "p < 0,001", "p = 0,075"
        "p_text": "p –" if row.p_value is None else p_clause(row.p_value),
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


def _definition_names(pilot: Pilot) -> DefinitionNames:
    return DefinitionNames(pilot.form, (pilot.candidate_version, pilot.comparison_version))


def pilot_facts(pilot: Pilot) -> dict[str, Any]:
    return {
        "name": pilot.name,
        "form": pilot.form,
        "form_title": _definition_names(pilot).form_title(pilot.form),
        "candidate": pilot.candidate_version,
        "comparison": pilot.comparison_version,
        "period": f"{date_long(pilot.start_date)} – {date_long(pilot.end_date)}",
        "municipalities": _names(pilot.pilot_codes),
        "comparison_group": _names(pilot.comparison_codes)
        if pilot.comparison_scope == NAMED
        else "Alle øvrige kommuner",
        "description": pilot.description or "",
        "candidate_label": f"Pilot ({pilot.candidate_version})",
        "comparison_label": f"Sammenligning ({pilot.comparison_version})",
    }


def _feedback_item(item: PilotFeedback, names: DefinitionNames) -> dict[str, str]:
    parts = (
        names.section(item.section_id) if item.section_id else None,
        names.field(item.field_id) if item.field_id else None,
    )
    where = " / ".join(p for p in parts if p) or "Hele skemaet"
    municipality = (
        municipality_by_code(item.municipality_code).name if item.municipality_code else ""
    )
    return {
        "where": where,
        "kind": FEEDBACK_KINDS.get(item.kind, item.kind),
        "text": item.text,
        "municipality": municipality,
        "author": item.author_name,
        "date": date_long(item.created_at.date()),
    }


def _detail_tables(comparison: PilotComparison, names: DefinitionNames) -> list[Table]:
    a, b = comparison.candidate, comparison.comparison
    criteria = _criteria_table(a, b, names)
    fields = _fields_table(a, b, names)
    tables = [_counts_table(a, b), criteria, fields]
    if a.section_seconds or b.section_seconds:
        tables.append(_section_table(comparison, names))
    return tables


def _criteria_table(a: VersionMeasures, b: VersionMeasures, names: DefinitionNames) -> Table:
    rows = []
    for ref in sorted(set(a.criteria) | set(b.criteria)):
        ca = a.criteria.get(ref, {"missing": 0, "insufficient": 0})
        cb = b.criteria.get(ref, {"missing": 0, "insufficient": 0})
        rows.append(
            {
                "criterion": names.criterion(ref),
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
    return Table(
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
        rows,
    )


def _fields_table(a: VersionMeasures, b: VersionMeasures, names: DefinitionNames) -> Table:
    rows = [
        {"version": group.label, "field": names.field(f), "empty": e, "failed": x}
        for group in (a, b)
        for f, e, x in group.fields
    ]
    return Table(
        "felter",
        "Felter, der oftest stod tomme eller ikke bestod et tjek",
        [
            Column("version", "Gruppe"),
            Column("field", "Felt"),
            Column("empty", "Tomt", COUNT),
            Column("failed", "Ikke bestået", COUNT),
        ],
        rows,
    )


def _counts_table(a: VersionMeasures, b: VersionMeasures) -> Table:
    rows = [
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
    return Table(
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
        rows,
    )


def _section_order(names: DefinitionNames, version: str, section_ids: Iterable[str]) -> list[str]:
    """The sections in the order the version shows them (ids it does not know last)."""
    order = next(
        ([s.id for s in d.sections] for d in names.definitions if d.version == version), []
    )
    return sorted(section_ids, key=lambda i: (order.index(i) if i in order else len(order), i))


def _section_table(comparison: PilotComparison, names: DefinitionNames) -> Table:
    rows = []
    for group in (comparison.candidate, comparison.comparison):
        for section_id in _section_order(names, group.version, group.section_seconds):
            histogram = group.section_seconds[section_id]
            median, mean = histogram_median(histogram), histogram_mean(histogram)
            rows.append(
                {
                    "group": group.label,
                    "section": names.section(section_id),
                    "cases": histogram_size(histogram),
                    "median": median / 60 if median is not None else None,
                    "mean": mean / 60 if mean is not None else None,
                }
            )
    return Table(
        "afsnit",
        "Tid med hvert afsnit i fokus (minutter pr. indsendt sag, målt i browseren)",
        [
            Column("group", "Gruppe"),
            Column("section", "Afsnit"),
            Column("cases", "Sager", COUNT),
            Column("median", "Median, minutter", NUMBER),
            Column("mean", "Gennemsnit, minutter", NUMBER),
        ],
        rows,
        note=(
            "Kun sager, hvor browseren målte tiden (JavaScript slået til); en pause uden "
            "tastetryk, klik eller fokusskift tæller højst 5 minutter."
        ),
    )


def pilot_report(session: Session, pilot: Pilot, *, as_of: dt.date) -> PilotReport:
    comparison = compare_pilot(session, pilot, as_of=as_of)
    a, b = comparison.candidate, comparison.comparison
    cases_line = (
        f"{number(a.received, 0)} sager med pilotversionen og "
        f"{number(b.received, 0)} sager med sammenligningsversionen i perioden."
    )
    apart = [
        f"{group} {number(n, 0)} {'sag' if n == 1 else 'sager'} med version {version}"
        for key, group in (
            ("candidate", "pilotkommunerne"),
            ("comparison", "sammenligningsgruppen"),
        )
        for version, n in comparison.others.get(key, {}).items()
    ]
    if apart:
        cases_line += (
            " Talt for sig og ikke med i målingerne (ikke pilotens registrerede versioner): "
            + "; ".join(apart)
            + "."
        )
    names = _definition_names(pilot)
    return PilotReport(
        pilot,
        comparison,
        pilot_facts(pilot),
        [format_row(r) for r in comparison.rows],
        _detail_tables(comparison, names),
        [_feedback_item(f, names) for f in feedback_for(session, pilot)],
        cases_line,
    )


def render_pilot_report(report: PilotReport, *, generated: dt.date) -> bytes:
    from forms_service.reporting.word import PILOT_REPORT, render_report, table_context

    def build(image: Any) -> dict[str, Any]:
        return {
            "title": f"Pilotrapport: {report.pilot.name}",
            "pilot": report.facts,
            "as_of": date_long(report.comparison.as_of),
            "generated": datetime_long(generated),
            "cases_line": report.cases_line,
            "rows": report.rows,
            "chart_shares": image(report.chart_shares()),
            "chart_days": image(report.chart_days()),
            "tables": [table_context(t) for t in report.tables],
            "feedback": report.feedback,
        }

    return render_report(PILOT_REPORT, PILOT_REPORT_KEYS, build)
