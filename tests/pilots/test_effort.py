"""Effort measures on seeded history: minutes from opening to submission, refused submissions,
fields corrected, per version, with the comparison's statistics (issue 19)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from forms_service.cases.effort import (
    FIELD_ERROR,
    FORM_OPENED,
    SECTION_TIME,
    SUBMIT_REFUSED,
    SUBMITTED,
    record,
)
from forms_service.cases.models import EffortEvent
from forms_service.pilots.comparison import compare_pilot
from forms_service.pilots.effort import effort
from forms_service.pilots.measures import Cohort
from forms_service.pilots.models import Pilot
from forms_service.reporting.models import CaseMetrics
from tests.pilots.conftest import TODAY


def _seed_effort(session: Session, pilot: Pilot) -> dict[str, list[int]]:
    """For each seeded submitted case: opened some minutes before its first submission (the
    pilot's quicker); every other pilot case refused once on two fields before going through."""
    submitted = session.execute(
        select(CaseMetrics.case_id, CaseMetrics.form_version, CaseMetrics.first_submitted_on)
        .where(CaseMetrics.first_submitted_on.is_not(None))
        .order_by(CaseMetrics.case_id)
    ).all()
    by_version: dict[str, list[int]] = {}
    form = "sagsoplysningsskema"
    for n, (case_id, version, day) in enumerate(submitted):
        sent = dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)
        candidate = version == pilot.candidate_version
        minutes = 30 + n % 3 * 10 if candidate else 70 + n % 3 * 10
        opened = sent - dt.timedelta(minutes=minutes)
        record(session, case_id, form, version, FORM_OPENED, at=opened)
        if candidate and n % 2 == 0:
            at = opened + dt.timedelta(minutes=5)
            record(session, case_id, form, version, SUBMIT_REFUSED, at=at)
            for field_id in ("atp_aar", "seneste_job_fra"):
                record(session, case_id, form, version, FIELD_ERROR, field_id=field_id, at=at)
        record(session, case_id, form, version, SUBMITTED, at=sent)
        by_version.setdefault(version, []).append(minutes)
    session.commit()
    return by_version


def test_effort_per_version_on_seeded_history(
    db_session: Session, forum_pilot: Pilot, small_history: dict[str, Any]
) -> None:
    minutes = _seed_effort(db_session, forum_pilot)
    assert minutes[forum_pilot.candidate_version] and minutes[forum_pilot.comparison_version]
    cohort = Cohort("sagsoplysningsskema", forum_pilot.candidate_version)
    spent = effort(db_session, cohort)
    assert spent.submitted == len(minutes[forum_pilot.candidate_version])
    assert sum(spent.open_minutes.values()) == spent.submitted
    assert sorted(k for k, v in spent.open_minutes.items() for _ in range(v)) == sorted(
        minutes[forum_pilot.candidate_version]
    )
    assert spent.refused_cases > 0
    assert spent.fields_corrected.get(2) == spent.refused_cases
    comparison = compare_pilot(db_session, forum_pilot, as_of=TODAY)
    refused = comparison.row("submit_refused")
    assert refused.n_candidate == spent.submitted and refused.comparison == 0
    opened = comparison.row("open_minutes")
    assert opened.candidate_median is not None and opened.comparison_median is not None
    assert opened.candidate_median < opened.comparison_median  # the seeded pilot is quicker
    assert comparison.row("fields_corrected").n_comparison == comparison.comparison.submitted
    # no personal data in the events: ids and kinds only
    columns = set(EffortEvent.__table__.columns.keys())
    assert columns == {"id", "case_id", "form", "form_version", "kind", "section_id",
                       "field_id", "seconds", "at"}  # fmt: skip


def test_the_effort_rows_reach_the_word_report(
    db_session: Session, forum_pilot: Pilot, small_history: dict[str, Any]
) -> None:
    import io

    import docx

    from forms_service.pilots.report import pilot_report, render_pilot_report

    _seed_effort(db_session, forum_pilot)
    report = pilot_report(db_session, forum_pilot, as_of=TODAY)
    document = docx.Document(io.BytesIO(render_pilot_report(report, generated=TODAY)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Minutter fra skemaet første gang åbnes til indsendelse" in text
    assert "Indsendelse afvist for fejl mindst én gang" in text


def _seed_sections(session: Session, pilot: Pilot) -> dict[str, dict[str, list[int]]]:
    """Section times for every submitted case (pilot: about 60 s in kriterie_1 sent in two
    batches, 150 s in kriterie_2; comparison: about 120 s in tilknytning) and, for every third case, a refusal
    on two fields of one section and one of another."""
    submitted = session.execute(
        select(CaseMetrics.case_id, CaseMetrics.form_version, CaseMetrics.first_submitted_on)
        .where(CaseMetrics.first_submitted_on.is_not(None))
        .order_by(CaseMetrics.case_id)
    ).all()
    form = "sagsoplysningsskema"
    seconds: dict[str, dict[str, list[int]]] = {}
    for n, (case_id, version, day) in enumerate(submitted):
        at = dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC)
        candidate = version == pilot.candidate_version
        batches = (
            [("kriterie_1", 25 + n % 5), ("kriterie_1", 35), ("kriterie_2", 150)]
            if candidate
            else [("tilknytning", 120 + n % 7)]
        )
        for section_id, s in batches:
            record(session, case_id, form, version, SECTION_TIME,
                   section_id=section_id, seconds=s, at=at)  # fmt: skip
        totals: dict[str, int] = {}
        for section_id, s in batches:
            totals[section_id] = totals.get(section_id, 0) + s
        for section_id, total in totals.items():
            seconds.setdefault(version, {}).setdefault(section_id, []).append(total)
        if n % 3 == 0:
            record(session, case_id, form, version, SUBMIT_REFUSED, at=at)
            for field_id, section_id in (("a", "s1"), ("b", "s1"), ("c", "s2")):
                record(session, case_id, form, version, FIELD_ERROR,
                       field_id=field_id, section_id=section_id, at=at)  # fmt: skip
        record(session, case_id, form, version, SUBMITTED, at=at + dt.timedelta(hours=1))
    session.commit()
    return seconds


def test_time_per_section_and_sections_reopened_on_seeded_history(
    db_session: Session, forum_pilot: Pilot, small_history: dict[str, Any]
) -> None:
    seconds = _seed_sections(db_session, forum_pilot)
    candidate = seconds[forum_pilot.candidate_version]
    spent = effort(db_session, Cohort("sagsoplysningsskema", forum_pilot.candidate_version))
    # two batches of one section in one case add up: one figure per case and section
    assert {
        section: sorted(k for k, v in histogram.items() for _ in range(v))
        for section, histogram in spent.section_seconds.items()
    } == {section: sorted(values) for section, values in candidate.items()}
    assert sum(spent.section_minutes.values()) == spent.submitted
    assert set(spent.section_minutes) == {3}  # 210–214 s in all
    refused = spent.refused_cases
    assert refused == len(range(0, spent.submitted, 3))  # every third case
    assert spent.sections_reopened.get(2) == refused  # two sections for three fields
    assert spent.sections_reopened.get(0) == spent.submitted - refused

    comparison = compare_pilot(db_session, forum_pilot, as_of=TODAY)
    focused = comparison.row("section_minutes")
    assert focused.candidate_median is not None and focused.comparison_median is not None
    assert (focused.candidate_median, focused.comparison_median) == (3, 2)
    reopened = comparison.row("sections_reopened")
    assert reopened.n_candidate == comparison.candidate.submitted
    assert reopened.n_comparison == comparison.comparison.submitted


def test_time_per_section_reaches_the_page_and_the_word_report(
    db_session: Session, forum_pilot: Pilot, small_history: dict[str, Any]
) -> None:
    import io

    import docx

    from forms_service.pilots.report import pilot_report, render_pilot_report

    _seed_sections(db_session, forum_pilot)
    report = pilot_report(db_session, forum_pilot, as_of=TODAY)
    table = next(t for t in report.tables if t.id == "afsnit")
    cells = table.formatted_rows()
    # the pilot's sections in the version's order, with their titles; median of whole minutes
    pilot_rows = [row for row in cells if row[0].startswith("Pilot")]
    assert [row[1] for row in pilot_rows][:2] != ["kriterie_1", "kriterie_2"]
    assert pilot_rows[1][3] == "2,5"  # kriterie_2: 150 s in every case
    assert [row[1] for row in cells if row[0].startswith("Sammenligning")] != ["tilknytning"]
    rows = {r["key"]: r for r in report.rows}
    assert "sections_reopened" in rows
    assert rows["section_minutes"]["candidate"] == "gns. 3,0 minutter, median 3 minutter"
    assert rows["section_minutes"]["comparison"] == "gns. 2,0 minutter, median 2 minutter"
    document = docx.Document(io.BytesIO(render_pilot_report(report, generated=TODAY)))
    text = "\n".join(p.text for p in document.paragraphs)
    table_text = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "Afsnit genåbnet efter en afvist indsendelse" in text + table_text
    assert "Tid med hvert afsnit i fokus" in text + table_text
    assert pilot_rows[0][1] in table_text
