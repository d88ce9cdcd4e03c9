"""Status figures for the forum, computed in SQL on the small data set with known answers."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from forms_service.reporting.bulk import SimCase
from forms_service.reporting.status import StatusFilter, status_report, week_days


def _filter(expected: dict[str, Any], **changes: Any) -> StatusFilter:
    f = StatusFilter(
        dt.date.fromisoformat(expected["start"]),
        dt.date.fromisoformat(expected["end"]),
        dt.date.fromisoformat(expected["as_of"]),
    )
    return f.with_changes(**changes)


def _by(rows: list[dict[str, Any]], key: str) -> dict[str, dict[str, Any]]:
    return {row[key]: row for row in rows}


def test_status_tables_match_hand_counts(
    db_session: Session, small_history: list[SimCase], expected_status: dict[str, Any]
) -> None:
    report = status_report(db_session, _filter(expected_status))

    weekly = {w.isoformat(): n for w, n in report.weekly}
    assert weekly == expected_status["weekly"]
    assert [r["received"] for r in report.table("uger").rows] == list(
        expected_status["weekly"].values()
    )

    municipalities = _by(report.table("kommuner").rows, "municipality")
    assert set(municipalities) == set(expected_status["municipalities"])
    for name, values in expected_status["municipalities"].items():
        for key, value in values.items():
            assert municipalities[name][key] == value, (name, key)

    regions = _by(report.table("regioner").rows, "region")
    for name, values in expected_status["regions"].items():
        for key, value in values.items():
            assert regions[name][key] == pytest.approx(value), (name, key)

    patterns = _by(report.table("moenstre").rows, "group")
    for group, values in expected_status["patterns"].items():
        for key, value in values.items():
            assert patterns[group][key] == value, (group, key)

    criteria = _by(report.table("kriterier").rows, "criterion")
    for ref, values in expected_status["criteria"].items():
        for key, value in values.items():
            assert criteria[ref][key] == pytest.approx(value), (ref, key)

    buckets = {r["bucket"]: r["decided"] for r in report.table("afgoerelser").rows if r["decided"]}
    assert buckets == expected_status["decision_buckets"]

    versions = _by(report.table("versioner").rows, "version")
    for version, values in expected_status["versions"].items():
        for key, value in values.items():
            assert versions[version][key] == pytest.approx(value), (version, key)

    for key, value in expected_status["summary"].items():
        assert report.summary[key] == value, key


def test_filters_narrow_every_table(
    db_session: Session, small_history: list[SimCase], expected_status: dict[str, Any]
) -> None:
    region = status_report(db_session, _filter(expected_status, region_code=1085))
    assert [r["municipality"] for r in region.table("kommuner").rows] == ["Ringsted"]
    assert region.summary["received"] == 1

    one = status_report(db_session, _filter(expected_status, municipality_code=147))
    assert one.summary["received"] == 4 and one.summary["decided"] == 2

    version = status_report(db_session, _filter(expected_status, form_version="2.0.0-pilot.1"))
    assert version.summary["received"] == 4
    assert [r["version"] for r in version.table("versioner").rows] == ["2.0.0-pilot.1"]

    january = status_report(
        db_session, _filter(expected_status, start=dt.date(2026, 1, 1), end=dt.date(2026, 1, 31))
    )
    assert january.summary["received"] == 6  # A1 A2 B1 B2 B3 B5


def test_waiting_is_judged_on_the_reporting_date(
    db_session: Session, small_history: list[SimCase], expected_status: dict[str, Any]
) -> None:
    # On 1 February A1 (submitted that day) is in, A2 and A3 (asked 8 February) not yet.
    early = status_report(db_session, _filter(expected_status, as_of=dt.date(2026, 2, 1)))
    assert _by(early.table("kommuner").rows, "municipality")["København"]["waiting"] == 1


def test_quarter_filters() -> None:
    q1 = StatusFilter.quarter(2026, 1)
    assert (q1.start, q1.end, q1.as_of) == (
        dt.date(2026, 1, 1),
        dt.date(2026, 3, 31),
        dt.date(2026, 3, 31),
    )
    q4 = StatusFilter.quarter(2025, 4)
    assert (q4.start, q4.end) == (dt.date(2025, 10, 1), dt.date(2025, 12, 31))
    with pytest.raises(ValueError):
        StatusFilter.quarter(2025, 5)


def test_status_queries_never_touch_cpr_or_names(
    db_engine: Any,
    db_session: Session,
    small_history: list[SimCase],
    expected_status: dict[str, Any],
) -> None:
    statements: list[str] = []

    def capture(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement.lower())

    event.listen(db_engine, "before_cursor_execute", capture)
    try:
        report = status_report(db_session, _filter(expected_status))
    finally:
        event.remove(db_engine, "before_cursor_execute", capture)
    assert len(statements) >= 4
    assert not [s for s in statements if "cpr" in s or "citizen_name" in s]
    text = repr([t.to_dict() for t in report.tables]) + repr(report.summary)
    assert not [c.cpr for c in small_history if c.cpr in text]


def test_csv_export_uses_danish_conventions(
    db_session: Session, small_history: list[SimCase], expected_status: dict[str, Any]
) -> None:
    report = status_report(db_session, _filter(expected_status))
    csv_text = report.table("versioner").to_csv()
    lines = csv_text.splitlines()
    assert lines[0] == "Version;Modtaget;Indsendt;Tilstrækkeligt oplyst ved 1. indsendelse"
    assert lines[1] == "1.0.0;5;4;0,7500"


def test_partial_weeks_count_the_days_the_period_and_the_report_date_cover() -> None:
    q1 = StatusFilter.quarter(2026, 1)  # Thursday 1 January - Tuesday 31 March 2026
    assert week_days(q1, dt.date(2025, 12, 29)) == 4  # Thu-Sun of week 1
    assert week_days(q1, dt.date(2026, 1, 5)) == 7
    assert week_days(q1, dt.date(2026, 3, 30)) == 2  # Mon-Tue of week 14
    assert week_days(q1, dt.date(2026, 4, 6)) == 0
    # counted on Wednesday 11 February: that week has 3 days so far
    early = StatusFilter(q1.start, q1.end, dt.date(2026, 2, 11))
    assert week_days(early, dt.date(2026, 2, 9)) == 3
    assert week_days(early, dt.date(2026, 2, 16)) == 0


def test_weekly_chart_marks_partial_weeks_in_a_legend_and_names_weeks_in_danish() -> None:
    import matplotlib.pyplot as plt

    from forms_service.reporting import charts

    weeks = [(dt.date(2025, 12, 29), 3), (dt.date(2026, 1, 5), 9), (dt.date(2026, 1, 12), 2)]
    figure = charts.weekly_figure(weeks, {dt.date(2025, 12, 29), dt.date(2026, 1, 12)})
    try:
        axes = figure.axes[0]
        legend = axes.get_legend()
        assert legend is not None
        assert [t.get_text() for t in legend.get_texts()] == [
            "Hel uge",
            "Delvis uge (kun nogle af dagene er med)",
        ]
        whole, partial = axes.containers
        assert [round(b.get_height()) for b in whole] == [9]
        assert [round(b.get_height()) for b in partial] == [3, 2]
        assert all(b.get_hatch() == "///" for b in partial)
        figure.canvas.draw()
        labels = [t.get_text() for t in axes.get_xticklabels() if t.get_text()]
        assert labels and all(re.fullmatch(r"uge \d{1,2} 20\d\d", t) for t in labels), labels
    finally:
        plt.close(figure)
    # without partial weeks: no legend to explain
    plain = charts.weekly_figure(weeks)
    try:
        assert plain.axes[0].get_legend() is None
    finally:
        plt.close(plain)
