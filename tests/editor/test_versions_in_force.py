"""Publishing with effective dates, and publishing while a pilot runs (issue 19)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from forms_service.cases.models import AuditEntry, User
from forms_service.cases.service import CaseService
from forms_service.cases.users import actor_of
from forms_service.definitions.registry import Registry
from forms_service.editor.errors import EditorError, PublishRefusedError
from forms_service.editor.models import PublishedVersion
from forms_service.editor.service import EditorService, InForce, definition_text
from forms_service.pilots.models import COMPARISON, KEEP, PILOT, SWITCH, Pilot, PilotVersionChoice
from forms_service.pilots.service import PilotInput, create_pilot

FORM = "sagsoplysningsskema"
TODAY = dt.date(2026, 12, 6)
START = dt.date(2027, 1, 4)
FORUM = (147,)  # Frederiksberg: the pilot municipality
KBH = 101  # in the comparison group (all others)


def _service(session: Session, users: dict[str, User], registry: Registry, today: dt.date) -> Any:
    user = session.get(User, users["editor"].id)
    assert user is not None
    return EditorService(session, actor_of(user), registry, today=lambda: today)


def _draft(service: EditorService, base: str = "1.2.0", kind: str = "minor") -> Any:
    draft = service.start_draft(FORM, base, kind=kind)
    data = json.loads(draft.content_text)
    data["sections"][0]["fields"][0]["label"] = "Sagsnummer hos Seniorpension"
    service.save_draft(draft.id, definition_text(data), base_revision=1)
    return draft


def _new_case(
    session: Session,
    users: dict[str, User],
    registry: Registry,
    today: dt.date,
    municipality: int = KBH,
    applied: dt.date | None = None,
) -> Any:
    user = session.get(User, users["sp"].id)
    assert user is not None
    service = CaseService(session, actor_of(user), registry=registry, today=lambda: today)
    case = service.create_case(
        case_number=f"SP-{today:%Y%m%d}-{municipality}-{applied or today:%m%d}",
        cpr="010160-1234",
        citizen_name="Karen Testesen",
        application_date=applied or today,
        municipality_code=municipality,
    )
    session.commit()
    return case


def test_publish_with_a_date_schedules_the_version(
    db_session: Session, users: dict[str, User], registry: Registry
) -> None:
    service = _service(db_session, users, registry, TODAY)
    draft = _draft(service)
    row = service.publish(
        draft.id, note="Ny bekendtgørelse", base_revision=2, in_force=InForce(START)
    )
    assert row.version == "1.3.0"
    statuses = service.version_statuses(FORM)
    assert statuses["1.3.0"][0] == "scheduled"
    assert statuses["1.2.0"][0] == "current"
    assert _new_case(db_session, users, registry, TODAY).form_version == "1.2.0"
    # on the date, nobody acting, the next case gets 1.3.0
    assert _new_case(db_session, users, registry, START).form_version == "1.3.0"
    assert _service(db_session, users, registry, START).version_statuses(FORM)["1.3.0"][0] == (
        "current"
    )
    published = db_session.scalars(
        select(AuditEntry).where(AuditEntry.action == "editor.publish")
    ).one()
    assert published.details["in_force"]["in_force_from"] == "2027-01-04"


def test_the_date_changes_only_while_the_version_is_not_in_force(
    db_session: Session, users: dict[str, User], registry: Registry
) -> None:
    service = _service(db_session, users, registry, TODAY)
    draft = _draft(service)
    service.publish(draft.id, note="Ny", base_revision=2, in_force=InForce(START))
    later = START + dt.timedelta(days=7)
    service.reschedule(FORM, "1.3.0", InForce(later))
    assert service.version_statuses(FORM)["1.3.0"][1].in_force_from == later
    actions = db_session.scalars(
        select(AuditEntry.action).where(AuditEntry.action == "definitions.schedule")
    ).all()
    assert len(actions) == 2  # at publishing, and the change
    in_force = _service(db_session, users, registry, later)
    with pytest.raises(EditorError, match="allerede trådt i kraft"):
        in_force.reschedule(FORM, "1.3.0", InForce(later + dt.timedelta(days=7)))
    with pytest.raises(EditorError, match="in-force"):
        service.reschedule(FORM, "1.2.0", InForce(later))


def test_a_date_in_the_past_refuses_the_publish_and_stores_nothing(
    db_session: Session, users: dict[str, User], registry: Registry
) -> None:
    service = _service(db_session, users, registry, TODAY)
    draft = _draft(service)
    with pytest.raises(PublishRefusedError) as refused:
        service.publish(
            draft.id, note="Ny", base_revision=2, in_force=InForce(TODAY - dt.timedelta(days=1))
        )
    assert any("bagud" in r for r in refused.value.reasons)
    assert db_session.scalars(select(PublishedVersion)).all() == []


@pytest.fixture
def running_pilot(db_session: Session, users: dict[str, User], registry: Registry) -> Pilot:
    editor = db_session.get(User, users["editor"].id)
    assert editor is not None
    return create_pilot(
        db_session,
        actor_of(editor),
        PilotInput(
            name="Forum-pilot",
            form=FORM,
            candidate_version="2.0.0-pilot.3",
            comparison_version="1.2.0",
            pilot_codes=FORUM,
            start_date=dt.date(2026, 11, 1),
            end_date=dt.date(2027, 4, 30),
        ),
        registry,
    )


def test_a_publish_during_a_running_pilot_is_refused_without_a_choice(
    db_session: Session, users: dict[str, User], registry: Registry, running_pilot: Pilot
) -> None:
    service = _service(db_session, users, registry, TODAY)
    draft = _draft(service)
    questions = service.pilot_questions(draft)
    assert [(q.group, q.recorded_version, q.new_version) for q in questions] == [
        (COMPARISON, "1.2.0", "1.3.0")
    ]
    with pytest.raises(PublishRefusedError) as refused:
        service.publish(draft.id, note="Ny", base_revision=2)
    assert any("Forum-pilot" in r and "sammenligningsgruppen" in r for r in refused.value.reasons)
    with pytest.raises(PublishRefusedError):
        service.publish(draft.id, note="Ny", base_revision=2, pilot_choices={questions[0].key: "?"})
    assert db_session.scalars(select(PublishedVersion)).all() == []

    # keep: the comparison group goes on getting the pilot's recorded 1.2.0
    service.publish(draft.id, note="Ny", base_revision=2, pilot_choices={questions[0].key: KEEP})
    choice = db_session.scalars(select(PilotVersionChoice)).one()
    assert (choice.group, choice.choice, choice.previous_version) == (COMPARISON, KEEP, "1.2.0")
    case = _new_case(db_session, users, registry, TODAY)
    assert case.form_version == "1.2.0"
    assert "beholder version 1.2.0" in case.assignment_note
    assert _new_case(db_session, users, registry, TODAY, FORUM[0]).form_version == "2.0.0-pilot.3"
    audited = db_session.scalars(
        select(AuditEntry).where(AuditEntry.action == "pilot.version_choice")
    ).one()
    assert audited.details["choice"] == KEEP


def test_switching_the_pilot_group_to_a_new_pilot_version(
    db_session: Session, users: dict[str, User], registry: Registry, running_pilot: Pilot
) -> None:
    service = _service(db_session, users, registry, TODAY)
    draft = _draft(service, base="2.0.0-pilot.3", kind="pilot")
    assert draft.version == "2.0.0-pilot.4"
    (question,) = service.pilot_questions(draft)
    assert question.group == PILOT
    service.publish(draft.id, note="Pilot 3", base_revision=2, pilot_choices={question.key: SWITCH})
    db_session.refresh(running_pilot)
    assert running_pilot.candidate_version == "2.0.0-pilot.4"
    assert _new_case(db_session, users, registry, TODAY, FORUM[0]).form_version == "2.0.0-pilot.4"


def test_no_question_when_no_pilot_runs(
    db_session: Session, users: dict[str, User], registry: Registry, running_pilot: Pilot
) -> None:
    after = running_pilot.end_date + dt.timedelta(days=1)
    service = _service(db_session, users, registry, after)
    draft = _draft(service)
    assert service.pilot_questions(draft) == []
    service.publish(draft.id, note="Ny", base_revision=2)


def test_switching_the_comparison_group_counts_the_former_version_apart(
    db_session: Session, users: dict[str, User], registry: Registry, running_pilot: Pilot
) -> None:
    from forms_service.pilots.comparison import compare_pilot
    from forms_service.pilots.report import pilot_report

    before = _new_case(db_session, users, registry, TODAY)
    assert before.form_version == "1.2.0"
    service = _service(db_session, users, registry, TODAY)
    draft = _draft(service)
    (question,) = service.pilot_questions(draft)
    service.publish(draft.id, note="Ny", base_revision=2, pilot_choices={question.key: SWITCH})
    db_session.refresh(running_pilot)
    assert running_pilot.comparison_version == "1.3.0"
    after = _new_case(db_session, users, registry, TODAY, applied=TODAY - dt.timedelta(days=1))
    assert after.form_version == "1.3.0"  # the group gets its recorded version, now 1.3.0
    comparison = compare_pilot(db_session, running_pilot, as_of=TODAY)
    assert comparison.comparison.received == 1  # only the case on the recorded version
    assert comparison.others == {"candidate": {}, "comparison": {"1.2.0": 1}}
    assert comparison.to_dict()["others"]["comparison"] == {"1.2.0": 1}
    line = pilot_report(db_session, running_pilot, as_of=TODAY).cases_line
    assert "sammenligningsgruppen 1 sag med version 1.2.0" in line
