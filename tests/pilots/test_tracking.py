"""The pilot rule assigns versions to new cases, and the case's reporting facts follow its life.

Everything goes through the real case service on a real database: the metrics row is written
by the session listener, and ``rebuild_case_metrics`` from the source tables agrees with it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from forms_service.cases.lifecycle import Status
from forms_service.cases.service import CaseService
from forms_service.pilots.models import Pilot
from forms_service.pilots.tracking import rebuild_case_metrics
from forms_service.reporting.models import CaseFinding, CaseMetrics

SUFFICIENT = {"beskrivelse": "SOSU", "kendt_i_kommunen": True, "timer_pr_uge": 10, "helbred": "ok"}
LACKING = {"beskrivelse": "SOSU", "kendt_i_kommunen": False, "timer_pr_uge": 30}

Service = Callable[[str], CaseService]


def _case(service_as: Service, number: str, municipality: int, applied: dt.date) -> int:
    case = service_as("sp").create_case(
        case_number=number,
        cpr="010160-1234",
        citizen_name="Karen Testesen",
        application_date=applied,
        municipality_code=municipality,
        send_to_municipality=True,
        request_date=applied + dt.timedelta(days=7),
    )
    return case.id


def _metrics(db_session: Session, case_id: int) -> CaseMetrics:
    db_session.expire_all()
    row = db_session.get(CaseMetrics, case_id)
    assert row is not None
    return row


def test_pilot_municipality_gets_candidate_version_with_a_note(
    service_as: Service, forum_pilot: Pilot, db_session: Session
) -> None:
    in_pilot = service_as("sp").get_case(_case(service_as, "SP-1", 101, dt.date(2026, 2, 1)))
    other = service_as("sp").get_case(_case(service_as, "SP-2", 147, dt.date(2026, 2, 1)))
    before = service_as("sp").get_case(_case(service_as, "SP-3", 101, dt.date(2025, 12, 31)))

    assert in_pilot.form_version == "2.0.0-pilot.1"
    assert "Forum-pilot 2026" in (in_pilot.assignment_note or "")
    assert "pilotkommune" in (in_pilot.assignment_note or "")
    assert _metrics(db_session, in_pilot.id).pilot_id == forum_pilot.id

    assert other.form_version == "1.0.0"
    assert "sammenligningsgruppen" in (other.assignment_note or "")
    assert _metrics(db_session, other.id).pilot_id is None

    assert before.form_version == "1.0.0"  # applied for before the pilot started
    assert "ingen pilot" in (before.assignment_note or "")


def test_metrics_follow_submissions_returns_and_decision(
    service_as: Service, forum_pilot: Pilot, db_session: Session
) -> None:
    case_id = _case(service_as, "SP-10", 329, dt.date(2026, 3, 2))
    kbh_like = service_as("ringsted")
    draft = kbh_like.save_draft(
        case_id, {"beskrivelse": "udkast"}, base_revision=_rev(db_session, case_id)
    )
    assert draft.kind == "draft"
    kbh_like.submit(case_id, LACKING, base_revision=_rev(db_session, case_id))
    m = _metrics(db_session, case_id)
    assert (m.drafts, m.submissions, m.sufficient_at_submission, m.known_citizen) == (
        1,
        1,
        False,
        False,
    )
    assert m.first_submitted_on is not None

    sp = service_as("sp")
    sp.transition(case_id, Status.RETURNED, reason="Helbredsoplysninger mangler.")
    kbh_like.submit(case_id, SUFFICIENT, base_revision=_rev(db_session, case_id))
    sp.transition(case_id, Status.SUFFICIENTLY_INFORMED)
    sp.transition(case_id, Status.DECIDED, outcome="granted")

    m = _metrics(db_session, case_id)
    # the first submission decides "sufficient at submission"; later ones do not overwrite it
    assert (m.returns, m.submissions, m.sufficient_at_submission) == (1, 2, False)
    assert m.decided_on is not None
    assert (m.status, m.decision_outcome, m.form_version) == ("decided", "granted", "2.0.0-pilot.1")
    assert m.submission_days is not None and m.submission_days >= 0
    assert m.decision_days == (m.decided_on - dt.date(2026, 3, 2)).days
    findings = {
        (f.kind, f.ref)
        for f in db_session.scalars(select(CaseFinding).where(CaseFinding.case_id == case_id))
    }
    assert findings == {
        ("criterion_missing", "kriterie_3"),
        ("criterion_insufficient", "kriterie_4"),
        ("field_empty", "helbred"),
        ("field_failed", "timer_pr_uge"),
    }

    tracked = _snapshot(db_session, case_id)
    assert rebuild_case_metrics(db_session) >= 1
    db_session.commit()
    assert _snapshot(db_session, case_id) == tracked


def _rev(db_session: Session, case_id: int) -> int:
    from forms_service.cases.models import Case

    db_session.expire_all()
    case = db_session.get(Case, case_id)
    assert case is not None
    return case.revision


def _snapshot(db_session: Session, case_id: int) -> tuple[object, ...]:
    m = _metrics(db_session, case_id)
    findings = sorted(
        (f.kind, f.ref)
        for f in db_session.scalars(select(CaseFinding).where(CaseFinding.case_id == case_id))
    )
    return (
        m.pilot_id,
        m.first_submitted_on,
        m.sufficient_at_submission,
        m.known_citizen,
        m.returns,
        m.drafts,
        m.submissions,
        m.decided_on,
        m.submission_days,
        m.decision_days,
        m.status,
        m.decision_outcome,
        m.form_version,
        m.request_date,
        tuple(findings),
    )


def _rollup_rows(db_session: Session) -> list[tuple[object, ...]]:
    from forms_service.reporting.models import FindingDaily, StatusDaily

    status = db_session.execute(select(StatusDaily.__table__)).all()
    findings = db_session.execute(select(FindingDaily.__table__)).all()
    return sorted(tuple(r) for r in status) + sorted(tuple(r) for r in findings)


def test_listener_keeps_the_daily_rollups_equal_to_the_rows(
    service_as: Service, forum_pilot: Pilot, db_session: Session
) -> None:
    from forms_service.reporting import rollup
    from forms_service.reporting.status import ROWS, StatusFilter, status_report

    def same() -> None:
        db_session.expire_all()
        for as_of in (dt.date(2026, 3, 1), dt.date(2026, 6, 30), dt.date.today(), None):
            f = StatusFilter(
                dt.date(2026, 1, 1), dt.date(2026, 12, 31), as_of or dt.date(2030, 1, 1)
            )
            fast, slow = status_report(db_session, f), status_report(db_session, f, source=ROWS)
            assert (fast.summary, fast.tables) == (slow.summary, slow.tables), as_of

    first = _case(service_as, "SP-20", 329, dt.date(2026, 3, 2))
    _case(service_as, "SP-21", 147, dt.date(2026, 3, 2))
    _case(service_as, "SP-22", 147, dt.date(2026, 4, 9))
    same()
    ringsted = service_as("ringsted")
    ringsted.submit(first, LACKING, base_revision=_rev(db_session, first))
    same()
    sp = service_as("sp")
    sp.transition(first, Status.RETURNED, reason="Helbredsoplysninger mangler.")
    ringsted.submit(first, SUFFICIENT, base_revision=_rev(db_session, first))
    sp.transition(first, Status.SUFFICIENTLY_INFORMED)
    sp.transition(first, Status.DECIDED, outcome="granted")
    same()
    tracked = _rollup_rows(db_session)
    assert any(row[0] == dt.date(2026, 3, 2) for row in tracked)

    rollup.rebuild(db_session.connection())
    db_session.commit()
    assert _rollup_rows(db_session) == tracked
