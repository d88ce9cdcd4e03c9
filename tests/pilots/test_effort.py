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
