"""The case service on a real database: scope, lifecycle, drafts, submissions, stale saves."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from forms_service.cases.errors import (
    AnswersInvalidError,
    CaseInputError,
    CaseLockedError,
    CaseNotFoundError,
    FormVersionConflictError,
    PermissionDeniedError,
    StaleRevisionError,
    TransitionRefusedError,
)
from forms_service.cases.form_versions import register_form_version
from forms_service.cases.lifecycle import Status
from forms_service.cases.models import AnswerSet, Case, EffortEvent, FormVersion
from forms_service.cases.service import CaseFilter, CaseService
from forms_service.definitions.registry import Registry

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = dt.date(2026, 3, 2)  # the date the service_for fixture runs on

ServiceFor = Callable[[str], CaseService]


def _answers(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_text("utf-8"))


def _sent_case(service_for: ServiceFor, new_case: dict[str, Any], **changes: Any) -> Case:
    return service_for("sp").create_case(
        **(new_case | changes), send_to_municipality=True, request_date=dt.date(2026, 2, 1)
    )


def test_create_pins_latest_version_and_derives_deadlines(
    service_for: ServiceFor, new_case: dict[str, Any], db_session: Session
) -> None:
    case = service_for("sp").create_case(**new_case)
    assert case.status == Status.RECEIVED
    assert (case.form, case.form_version) == ("sagsoplysningsskema", "1.1.0")
    assert case.decision_deadline == dt.date(2026, 7, 15)
    assert case.municipality_deadline is None
    assert case.cpr == "0101601234"
    assert case.revision == 1
    row = db_session.scalars(select(FormVersion)).one()
    assert (row.form, row.version) == ("sagsoplysningsskema", "1.1.0")

    sent = service_for("sp").transition(case.id, Status.SENT_TO_MUNICIPALITY)
    assert sent.request_date == TODAY
    assert sent.municipality_deadline == dt.date(2026, 6, 2)
    assert [e.to_status for e in sent.events] == ["received", "sent_to_municipality"]
    assert sent.events[-1].actor_name == "Test sp"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"cpr": "123"}, "CPR"),
        ({"municipality_code": 999}, "kommunekode"),
        ({"case_number": " "}, "sagsnummer"),
        ({"application_date": dt.date(2027, 1, 1)}, "fremtiden"),
    ],
)
def test_create_refuses_bad_input(
    service_for: ServiceFor, new_case: dict[str, Any], change: dict[str, Any], message: str
) -> None:
    with pytest.raises(CaseInputError, match=message):
        service_for("sp").create_case(**(new_case | change))


def test_duplicate_case_number_refused(service_for: ServiceFor, new_case: dict[str, Any]) -> None:
    service_for("sp").create_case(**new_case)
    with pytest.raises(CaseInputError, match="findes allerede"):
        service_for("sp").create_case(**new_case)


@pytest.mark.parametrize("username", ["kbh", "editor", "analyst", "admin"])
def test_only_seniorpension_creates(
    service_for: ServiceFor, new_case: dict[str, Any], username: str
) -> None:
    with pytest.raises(PermissionDeniedError):
        service_for(username).create_case(**new_case)


def test_municipal_caseworker_sees_only_own_municipality(
    service_for: ServiceFor, new_case: dict[str, Any]
) -> None:
    kbh_case = _sent_case(service_for, new_case)
    ringsted_case = _sent_case(service_for, new_case, case_number="SP-2", municipality_code=329)
    unsent = service_for("sp").create_case(**(new_case | {"case_number": "SP-3"}))

    kbh = service_for("kbh")
    assert kbh.get_case(kbh_case.id).id == kbh_case.id
    for hidden in (ringsted_case.id, unsent.id, 999999):
        with pytest.raises(CaseNotFoundError):
            kbh.get_case(hidden)
    assert [c.id for c in kbh.list_cases().items] == [kbh_case.id]
    # a municipality filter cannot widen a municipal caseworker's scope
    assert kbh.list_cases(CaseFilter(municipality_code=329)).total == 1
    with pytest.raises(CaseNotFoundError):
        service_for("ringsted").transition(kbh_case.id, Status.DRAFT_IN_PROGRESS)

    assert service_for("sp").list_cases().total == 3
    assert service_for("sp").list_cases(CaseFilter(municipality_code=329)).total == 1


@pytest.mark.parametrize("username", ["editor", "analyst"])
def test_non_case_roles_cannot_read(
    service_for: ServiceFor, new_case: dict[str, Any], username: str
) -> None:
    case = _sent_case(service_for, new_case)
    with pytest.raises(PermissionDeniedError):
        service_for(username).get_case(case.id)
    with pytest.raises(PermissionDeniedError):
        service_for(username).list_cases()


def test_full_lifecycle_with_return_and_resubmission(
    service_for: ServiceFor, new_case: dict[str, Any], db_session: Session
) -> None:
    case = _sent_case(service_for, new_case)
    kbh, sp = service_for("kbh"), service_for("sp")

    draft = kbh.save_draft(case.id, _answers("answers_draft.json"), base_revision=case.revision)
    assert draft.kind == "draft"
    assert kbh.get_case(case.id).status == Status.DRAFT_IN_PROGRESS

    first = kbh.submit(
        case.id, _answers("answers_complete.json"), base_revision=draft.case_revision
    )
    assert first.kind == "submission"
    assert draft.completeness is None
    assert isinstance(first.completeness, dict)  # the completeness report, stored with it
    assert (first.form, first.version) == ("sagsoplysningsskema", "1.1.0")
    assert (
        first.content_hash
        == Registry(FIXTURES / "definitions").get("sagsoplysningsskema", "1.1.0").content_hash
    )

    with pytest.raises(CaseLockedError):
        kbh.save_draft(case.id, {}, base_revision=first.case_revision)
    with pytest.raises(TransitionRefusedError, match="begrundelse"):
        sp.transition(case.id, Status.RETURNED)
    sp.transition(case.id, Status.RETURNED, reason="Helbredsoplysninger mangler.")

    changed = _answers("answers_complete.json") | {"beskrivelse": "Suppleret med lægeerklæring."}
    second = kbh.submit(case.id, changed, base_revision=kbh.get_case(case.id).revision)
    sp.transition(case.id, Status.SUFFICIENTLY_INFORMED)
    decided = sp.transition(case.id, Status.DECIDED, outcome="granted")
    assert decided.decision_outcome == "granted"

    history = sp.history(case.id)
    assert [e.to_status for e in history.events] == [
        "received",
        "sent_to_municipality",
        "draft_in_progress",
        "submitted",
        "returned",
        "submitted",
        "sufficiently_informed",
        "decided",
    ]
    assert history.events[4].reason == "Helbredsoplysninger mangler."
    # every save is kept: the first submission was not overwritten by the second
    assert [(a.sequence, a.kind) for a in history.answer_sets] == [
        (1, "draft"),
        (2, "submission"),
        (3, "submission"),
    ]
    assert history.answer_sets[1].answers == _answers("answers_complete.json")
    assert history.answer_sets[2].answers == changed
    assert second.sequence == 3


def test_municipality_cannot_use_seniorpension_actions(
    service_for: ServiceFor, new_case: dict[str, Any]
) -> None:
    case = _sent_case(service_for, new_case)
    kbh = service_for("kbh")
    for target in (Status.SUBMITTED, Status.DRAFT_IN_PROGRESS, Status.DECIDED, Status.RETURNED):
        with pytest.raises(TransitionRefusedError):
            kbh.transition(case.id, target, reason="x", outcome="withdrawn")
    with pytest.raises(PermissionDeniedError):
        service_for("sp").save_draft(case.id, {}, base_revision=case.revision)


def test_every_illegal_transition_refused_through_service(
    service_for: ServiceFor, new_case: dict[str, Any], db_session: Session
) -> None:
    case = _sent_case(service_for, new_case)  # sent_to_municipality
    sp = service_for("sp")
    for target in Status:
        if target is Status.DECIDED:
            continue  # withdrawal is legal from here
        revision = sp.get_case(case.id).revision
        with pytest.raises(TransitionRefusedError):
            sp.transition(case.id, target, reason="x")
        db_session.expire_all()
        stored = db_session.get(Case, case.id)
        assert stored is not None
        assert (stored.status, stored.revision) == ("sent_to_municipality", revision)


def test_withdrawal_from_open_state(service_for: ServiceFor, new_case: dict[str, Any]) -> None:
    case = _sent_case(service_for, new_case)
    sp = service_for("sp")
    with pytest.raises(TransitionRefusedError):
        sp.transition(case.id, Status.DECIDED, outcome="granted", reason="x")
    decided = sp.transition(case.id, Status.DECIDED, outcome="withdrawn", reason="Borgeren trak")
    assert (decided.status, decided.decision_outcome) == ("decided", "withdrawn")


def test_invalid_submission_stores_nothing(
    service_for: ServiceFor, new_case: dict[str, Any], db_session: Session
) -> None:
    case = _sent_case(service_for, new_case)
    with pytest.raises(AnswersInvalidError) as info:
        service_for("kbh").submit(case.id, {"timer_pr_uge": 200}, base_revision=case.revision)
    codes = {(p.path, p.code) for p in info.value.problems}
    assert ("beskrivelse", "required") in codes
    assert ("timer_pr_uge", "max") in codes
    db_session.expire_all()
    assert db_session.scalar(select(func.count()).select_from(AnswerSet)) == 0
    assert db_session.get(Case, case.id).status == "sent_to_municipality"  # type: ignore[union-attr]
    # the effort it cost is kept: the refusal and its fields, ids only
    events = db_session.execute(
        select(EffortEvent.kind, EffortEvent.field_id)
        .where(EffortEvent.case_id == case.id)
        .order_by(EffortEvent.id)
    ).all()
    assert events[0] == ("submit_refused", None)
    assert {f for k, f in events[1:] if k == "field_error"} >= {"beskrivelse", "timer_pr_uge"}


def test_stale_save_refused_and_newer_answers_survive(
    service_for: ServiceFor, new_case: dict[str, Any], db_session: Session
) -> None:
    case = _sent_case(service_for, new_case)
    base = case.revision
    alice, bob = service_for("kbh"), service_for("kbh")

    newer = {"beskrivelse": "Alice gemte først", "timer_pr_uge": 10}
    saved = alice.save_draft(case.id, newer, base_revision=base)
    with pytest.raises(StaleRevisionError) as info:
        bob.save_draft(case.id, {"beskrivelse": "Bob var for sent"}, base_revision=base)
    error = info.value
    assert error.current_revision == saved.case_revision
    assert error.current_answers == newer
    assert "ikke gemt" in error.message

    db_session.expire_all()
    stored = db_session.scalars(select(AnswerSet)).all()
    assert [a.answers for a in stored] == [newer]
    # the submission path is guarded the same way
    with pytest.raises(StaleRevisionError):
        bob.submit(case.id, _answers("answers_complete.json"), base_revision=base)


def test_concurrent_write_between_read_and_commit_is_stale(
    db_engine, service_for: ServiceFor, new_case: dict[str, Any], users, case_registry
) -> None:  # type: ignore[no-untyped-def]
    """Two sessions read revision N; the second commit is refused by the revision check."""
    from forms_service.cases.db import make_session_factory
    from forms_service.cases.models import User
    from forms_service.cases.users import actor_of

    case = _sent_case(service_for, new_case)
    factory = make_session_factory(db_engine)
    first, second = factory(), factory()
    try:
        actor = actor_of(first.get(User, users["kbh"].id))  # type: ignore[arg-type]
        one = CaseService(first, actor, registry=case_registry, today=lambda: TODAY)
        two = CaseService(second, actor, registry=case_registry, today=lambda: TODAY)
        # both load the case at the same revision before either writes
        one.get_case(case.id, audit_read=False)
        two.get_case(case.id, audit_read=False)
        one.save_draft(case.id, {"beskrivelse": "først"}, base_revision=case.revision)
        with pytest.raises(StaleRevisionError) as info:
            two.save_draft(case.id, {"beskrivelse": "sidst"}, base_revision=case.revision)
        assert info.value.current_answers == {"beskrivelse": "først"}
    finally:
        first.close()
        second.close()


def test_list_filters_and_pagination(service_for: ServiceFor, new_case: dict[str, Any]) -> None:
    sp = service_for("sp")
    for i in range(7):
        sp.create_case(
            **(
                new_case | {"case_number": f"SP-L-{i}", "application_date": dt.date(2025, 9, 1 + i)}
            ),
            send_to_municipality=True,
            request_date=dt.date(2025, 11, 20 + i),
        )
    kbh = service_for("kbh")
    page = kbh.list_cases(CaseFilter(per_page=3, page=2))
    assert (page.total, page.pages, len(page.items)) == (7, 3, 3)
    deadlines = [c.municipality_deadline for c in kbh.list_cases().items]
    assert deadlines == sorted(deadlines)
    # municipality deadlines 2026-02-20 … 2026-02-26 are overdue on TODAY (2026-03-02)
    assert kbh.list_cases(CaseFilter(deadline="overdue")).total == 7
    assert kbh.list_cases(CaseFilter(deadline="soon")).total == 0
    # Seniorpension's view: decision deadlines 2026-03-01 (overdue) and 03-02 … 03-07 (soon)
    assert sp.list_cases(CaseFilter(deadline="overdue")).total == 1
    assert sp.list_cases(CaseFilter(deadline="soon")).total == 6
    assert sp.list_cases(CaseFilter(search="SP-L-3")).total == 1
    assert sp.list_cases(CaseFilter(search="SP-L")).total == 7
    assert sp.list_cases(CaseFilter(search="%")).total == 0
    assert kbh.list_cases(CaseFilter(status="submitted")).total == 0
    with pytest.raises(CaseInputError):
        kbh.list_cases(CaseFilter(status="nonsense"))


def test_form_version_is_immutable(db_session: Session, case_registry: Registry) -> None:
    definition = case_registry.get("sagsoplysningsskema", "1.0.0")
    register_form_version(db_session, definition)
    register_form_version(db_session, definition)  # same hash: fine
    from dataclasses import replace

    changed = replace(definition, content_hash="0" * 64)
    with pytest.raises(FormVersionConflictError, match="ny version"):
        register_form_version(db_session, changed)
    assert db_session.scalar(select(func.count()).select_from(FormVersion)) == 1


def test_which_answer_set_a_reader_sees(service_for: ServiceFor, new_case: dict[str, Any]) -> None:
    case = _sent_case(service_for, new_case)
    kbh, sp = service_for("kbh"), service_for("sp")
    assert sp.answers_to_read(sp.get_case(case.id)) is None

    draft = kbh.save_draft(case.id, _answers("answers_draft.json"), base_revision=case.revision)
    # before anything is sent, everyone reads the work in progress
    assert kbh.answers_to_read(kbh.get_case(case.id)).sequence == draft.sequence
    assert sp.answers_to_read(sp.get_case(case.id)).sequence == draft.sequence

    first = kbh.submit(
        case.id, _answers("answers_complete.json"), base_revision=draft.case_revision
    )
    sp.transition(case.id, Status.RETURNED, reason="Helbredsoplysninger mangler.")
    again = kbh.save_draft(
        case.id, _answers("answers_draft.json"), base_revision=kbh.get_case(case.id).revision
    )
    # the municipality goes on from its newest draft; Seniorpension reads what it received
    assert kbh.answers_to_read(kbh.get_case(case.id)).sequence == again.sequence
    assert sp.answers_to_read(sp.get_case(case.id)).sequence == first.sequence
