"""The demo's two-year history: the size asked for, deterministic, and a pilot that shows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from forms_service.cases import db as cases_db
from forms_service.cases.models import Case
from forms_service.demo.history import PILOT_NAME, seed_history
from forms_service.pilots.comparison import compare_pilot
from forms_service.pilots.models import Pilot
from forms_service.reporting.models import CaseMetrics

TODAY = dt.date(2026, 11, 23)


def _fingerprint(engine: Engine) -> list[tuple[object, ...]]:
    with engine.connect() as connection:
        query = (
            select(
                Case.case_number,
                Case.municipality_code,
                Case.form_version,
                Case.status,
                CaseMetrics.first_submitted_on,
                CaseMetrics.sufficient_at_submission,
                CaseMetrics.returns,
                CaseMetrics.decided_on,
            )
            .join(CaseMetrics, CaseMetrics.case_id == Case.id)
            .order_by(Case.case_number)
        )
        return [tuple(row) for row in connection.execute(query)]


def _engine(path: Path) -> Engine:
    engine = cases_db.make_engine(f"sqlite:///{path}")
    cases_db.upgrade(engine)
    return engine


def test_same_seed_same_history(tmp_path: Path) -> None:
    first, second = _engine(tmp_path / "a.sqlite3"), _engine(tmp_path / "b.sqlite3")
    try:
        seed_history(first, today=TODAY, weeks=10, per_week=40)
        seed_history(second, today=TODAY, weeks=10, per_week=40)
        assert _fingerprint(first) == _fingerprint(second)
        assert 300 < len(_fingerprint(first)) < 500
    finally:
        first.dispose()
        second.dispose()


def test_seeding_reports_its_progress_week_by_week(tmp_path: Path) -> None:
    engine = _engine(tmp_path / "progress.sqlite3")
    reported: list[tuple[int, int]] = []
    try:
        seed_history(
            engine, today=TODAY, weeks=4, per_week=10, progress=lambda *p: reported.append(p)
        )
    finally:
        engine.dispose()
    assert reported == [(1, 4), (2, 4), (3, 4), (4, 4)]


def test_full_history_has_the_size_and_a_clear_pilot_difference(db_engine: Engine) -> None:
    result = seed_history(db_engine, today=TODAY)
    assert 29_000 < result.cases < 33_500  # two years at about 300 a week
    with Session(db_engine) as session:
        municipalities = session.scalar(select(func.count(func.distinct(Case.municipality_code))))
        assert municipalities == 98
        pilot = session.scalar(select(Pilot).where(Pilot.name == PILOT_NAME))
        assert pilot is not None and sorted(pilot.pilot_codes) == [101, 329, 561, 766, 810]
        comparison = compare_pilot(session, pilot, as_of=TODAY)
    sufficient = comparison.row("sufficient")
    assert sufficient.candidate is not None and sufficient.comparison is not None
    assert sufficient.candidate > sufficient.comparison + 0.1
    assert sufficient.sentence.startswith("Forskellen er tydelig")
    returns = comparison.row("returns")
    assert returns.candidate is not None and returns.comparison is not None
    assert returns.candidate < returns.comparison and returns.p_value is not None
    assert returns.p_value < 0.05
    # the seeded effort: the pilot version opened-to-submitted quicker, refused less often
    minutes = comparison.row("open_minutes")
    assert minutes.candidate_median is not None and minutes.comparison_median is not None
    assert minutes.candidate_median < minutes.comparison_median
    assert minutes.n_candidate == comparison.candidate.submitted
    refused = comparison.row("submit_refused")
    assert refused.candidate is not None and refused.comparison is not None
    assert refused.candidate < refused.comparison
    # sections reopened after a refusal: every submitted case counted, fewer for the pilot
    reopened = comparison.row("sections_reopened")
    assert reopened.n_candidate == comparison.candidate.submitted
    assert reopened.candidate is not None and reopened.comparison is not None
    assert 0 < reopened.candidate < reopened.comparison
    # time in the sections, measured for some of the cases: the pilot quicker
    focused = comparison.row("section_minutes")
    assert 0 < focused.n_candidate < comparison.candidate.submitted
    assert focused.candidate_median is not None and focused.comparison_median is not None
    assert focused.candidate_median < focused.comparison_median
    assert set(comparison.candidate.section_seconds) == {
        "sagen", "borgeren", "kriterie_1", "kriterie_2", "kriterie_3", "kriterie_4", "kontakt"
    }  # fmt: skip
    assert "tilknytning" in comparison.comparison.section_seconds
    assert seed_history(db_engine, today=TODAY).skipped  # a second run changes nothing


def test_demo_cases_of_a_pilot_municipality_follow_the_pilot_the_pilot_page_lists(
    tmp_path: Path,
) -> None:
    """The demo's København cases said "ingen pilot for København" while the pilot page
    listed København: the cases were made before the history created the pilot."""
    from forms_service import wiring
    from forms_service.demo.cases import seed_demo
    from forms_service.demo.history import CANDIDATE

    wiring.install()  # the pilots' version rule, as 'forms-service demo' and 'run' have it
    engine = _engine(tmp_path / "demo.sqlite3")
    try:
        with Session(engine) as session:
            seed_demo(session, weeks=3, cases_per_week=4, municipalities=(101, 751), today=TODAY)
            session.commit()
            cases = session.execute(
                select(Case.municipality_code, Case.form_version, Case.assignment_note)
            ).all()
        assert {code for code, _, _ in cases} == {101, 751}
        for code, version, note in cases:
            if code == 101:
                assert version == CANDIDATE, note
                assert note.startswith(f"Pilot »{PILOT_NAME}«"), note
            else:
                assert "sammenligningsgruppen" in note, note
            assert "ingen pilot" not in note
        # the history after them still comes, and finds the pilot it belongs to
        result = seed_history(engine, today=TODAY, weeks=2, per_week=20)
        assert not result.skipped and result.cases > 0
        with Session(engine) as session:
            assert session.scalar(select(func.count()).select_from(Pilot)) == 1
        assert seed_history(engine, today=TODAY, weeks=2, per_week=20).skipped
    finally:
        engine.dispose()
