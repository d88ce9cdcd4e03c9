"""Moving a case to another form version (issue 7), on the two bundled versions."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from forms_service.answers.coerce import is_empty
from forms_service.cases.audit import entries_for_case
from forms_service.cases.errors import (
    AnswersInvalidError,
    CaseInputError,
    CaseLockedError,
    CaseNotFoundError,
    PermissionDeniedError,
    StaleRevisionError,
)
from forms_service.cases.lifecycle import Outcome, Status
from forms_service.cases.models import AnswerSet, Case, FormVersion, User
from forms_service.cases.service import CaseService
from forms_service.cases.users import actor_of
from forms_service.cases.version_move import (
    MOVE_ACTION,
    answer_migration_for_form,
    moves_of,
    recorded_answer_migration,
    value_at,
)
from forms_service.definitions.registry import Registry, definitions_root
from forms_service.pilots.models import Pilot
from forms_service.pilots.service import PilotInput, create_pilot

ANSWERS = Path(__file__).parents[1] / "fixtures" / "answers"
TODAY = dt.date(2026, 3, 2)
# V1: the current line's newest version, which new cases outside a pilot get
V1, V2 = "1.2.0", "2.0.0-pilot.1"
FORM = "sagsoplysningsskema"

ServiceAs = Callable[[str], CaseService]


def answers(name: str) -> dict[str, Any]:
    return json.loads((ANSWERS / name).read_text("utf-8"))


# What the bundled versions cannot carry over of the complete fixtures, exactly.
V2_TO_V1_LOST = [
    ("helbredsdokumenter[0].kilde_type", "Helbredsdokumenter, række 1: Dokumenttype"),
    (
        "helbredsdokumenter[0].dato",
        "Helbredsdokumenter, række 1: Dato for undersøgelse eller vurdering",
    ),
    ("helbredsdokumenter[0].konklusion", "Helbredsdokumenter, række 1: Lægens konklusion"),
    ("helbredsdokumenter[1].kilde_type", "Helbredsdokumenter, række 2: Dokumenttype"),
    ("helbredsdokumenter[1].konklusion", "Helbredsdokumenter, række 2: Lægens konklusion"),
    ("arbejdsevne_timer_pr_uge", "Aktuel arbejdsevne i seneste job, timer pr. uge"),
    ("dokumentcheckliste", "Dokumentcheckliste: hvilke dokumenter sendes med?"),
]
V1_TO_V2_LOST = [
    ("dokumentation_tilknytning", "Hvordan er tilknytningen dokumenteret?"),
    (
        "helbredsdokumenter[0].beskrivelse",
        "Helbredsoplysninger, række 1: Kort beskrivelse af indholdet",
    ),
    (
        "helbredsdokumenter[1].beskrivelse",
        "Helbredsoplysninger, række 2: Kort beskrivelse af indholdet",
    ),
    ("hjaelpemidler", "Hjælpemidler og arbejdsredskaber"),
]


def expected_lost(
    pairs: list[tuple[str, str]], source: dict[str, Any], to: str
) -> list[dict[str, Any]]:
    return [
        {
            "path": path,
            "label": label,
            "value": value_at(source, path),
            "reason": f"spørgsmålet findes ikke i {FORM}@{to}",
        }
        for path, label in pairs
    ]


@pytest.fixture
def registry() -> Registry:
    return Registry(definitions_root())  # the bundled 1.0.0 and 2.0.0-pilot.1


@pytest.fixture
def service_as(db_session: Session, users: dict[str, User], registry: Registry) -> ServiceAs:
    def make(username: str) -> CaseService:
        user = db_session.get(User, users[username].id)
        assert user is not None
        return CaseService(db_session, actor_of(user), registry=registry, today=lambda: TODAY)

    return make


@pytest.fixture
def pilot(db_session: Session, users: dict[str, User], registry: Registry) -> Pilot:
    """København pilots 2.0.0-pilot.1 until the end of February 2026."""
    editor = db_session.get(User, users["editor"].id)
    assert editor is not None
    return create_pilot(
        db_session,
        actor_of(editor),
        PilotInput(
            name="Forum-pilot",
            form=FORM,
            candidate_version=V2,
            comparison_version=V1,
            pilot_codes=(101,),
            start_date=dt.date(2025, 6, 1),
            end_date=dt.date(2026, 2, 28),
        ),
        registry,
    )


_numbers = iter(range(1, 10_000))


def make_case(service_as: ServiceAs, municipality: int = 101, *, send: bool = True) -> Case:
    return service_as("sp").create_case(
        case_number=f"SP-MOVE-{next(_numbers):04d}",
        cpr="010160-1234",
        citizen_name="Karen Testesen",
        application_date=dt.date(2026, 1, 15),
        municipality_code=municipality,
        send_to_municipality=send,
        request_date=dt.date(2026, 2, 1) if send else None,
    )


def drafted(service_as: ServiceAs, fixture: str, municipality: int = 101) -> Case:
    case = make_case(service_as, municipality)
    worker = "kbh" if municipality == 101 else "ringsted"
    service_as(worker).save_draft(case.id, answers(fixture), base_revision=case.revision)
    return case


def test_pilot_case_moves_to_v1_with_its_answers(
    pilot: Pilot, service_as: ServiceAs, db_session: Session, registry: Registry
) -> None:
    case = drafted(service_as, "v2_complete.json")
    assert case.form_version == V2
    revision = case.revision
    move = service_as("sp").move_to_version(
        case.id, V1, reason="Piloten er slut.", base_revision=revision
    )

    db_session.expire_all()
    case = db_session.get(Case, case.id)
    assert case is not None
    assert case.form_version == V1
    assert case.status == Status.DRAFT_IN_PROGRESS  # a move changes no status
    assert case.revision == revision + 1 == move.revision
    assert "Flyttet fra version 2.0.0-pilot.1 til 1.2.0: Piloten er slut." in (
        case.assignment_note or ""
    )
    registered = db_session.scalar(
        select(FormVersion).where(FormVersion.form == FORM, FormVersion.version == V1)
    )
    assert registered is not None
    assert registered.content_hash == registry.get(FORM, V1).content_hash

    source, draft = case.answer_sets[-2], case.answer_sets[-1]
    assert (source.version, draft.version) == (V2, V1)
    assert draft.kind == "draft" and draft.sequence == source.sequence + 1
    assert draft.content_hash == registry.get(FORM, V1).content_hash
    assert draft.case_revision == revision + 1
    assert move.draft_sequence == draft.sequence and move.source_sequence == source.sequence

    original = answers("v2_complete.json")
    # everything the old draft answered and v1 asks is carried, values unchanged
    dropped_top = {"arbejdsevne_timer_pr_uge", "dokumentcheckliste"}
    for key, value in original.items():
        if is_empty(value) or key in dropped_top or key == "helbredsdokumenter":
            continue
        assert draft.answers[key] == value, key
    assert not dropped_top & set(draft.answers)
    assert draft.answers["helbredsdokumenter"] == [
        {k: v for k, v in row.items() if k not in {"kilde_type", "dato", "konklusion"}}
        for row in original["helbredsdokumenter"]
    ]
    assert sorted(move.carried) == sorted(draft.answers)

    lost = expected_lost(V2_TO_V1_LOST, original, V1)
    assert [n.to_dict() for n in move.not_carried] == lost
    assert lost[5]["value"] == 10  # the pilot's hours question has no place in v1

    # the list survives: read back from the store, values from the immutable old answer set
    recorded = recorded_answer_migration(case, draft)
    assert recorded is not None
    assert [n.to_dict() for n in recorded.not_carried] == lost
    assert (recorded.from_ref, recorded.to_ref) == (f"{FORM}@{V2}", f"{FORM}@{V1}")
    assert recorded.answers == draft.answers
    assert answer_migration_for_form(case, draft, registry) is not None

    # the audit log has the move, without answer values (no CPR in the log)
    entry = [e for e in entries_for_case(db_session, case.id) if e.action == MOVE_ACTION]
    assert len(entry) == 1
    details = entry[0].details
    assert (details["from_version"], details["to_version"]) == (V2, V1)
    assert details["reason"] == "Piloten er slut."
    assert details["status"] == "draft_in_progress"
    assert details["not_carried"] == [
        {"path": p, "label": label, "reason": f"spørgsmålet findes ikke i {FORM}@{V1}"}
        for p, label in V2_TO_V1_LOST
    ]
    assert original["cpr"] not in json.dumps(details)
    assert entry[0].actor == "sp"
    assert [
        (m.from_version, m.to_version, m.not_carried_count) for m in moves_of(db_session, case.id)
    ] == [(V2, V1, 7)]


def test_notice_lasts_until_the_caseworker_saves(
    pilot: Pilot, service_as: ServiceAs, db_session: Session, registry: Registry
) -> None:
    case = drafted(service_as, "v2_complete.json")
    service_as("sp").move_to_version(case.id, V1, reason="Slut", base_revision=case.revision)
    db_session.expire_all()
    case = db_session.get(Case, case.id)
    assert case is not None
    latest = case.answer_sets[-1]
    assert recorded_answer_migration(case, latest) is not None

    saved = service_as("kbh").save_draft(case.id, dict(latest.answers), base_revision=case.revision)
    assert saved.version == V1
    db_session.expire_all()
    case = db_session.get(Case, case.id)
    assert case is not None
    assert recorded_answer_migration(case, case.answer_sets[-1]) is None
    assert answer_migration_for_form(case, case.answer_sets[-1], registry) is None


def test_v1_case_moves_to_the_pilot_version(service_as: ServiceAs, db_session: Session) -> None:
    case = drafted(service_as, "v1_complete.json", municipality=329)
    assert case.form_version == V1
    move = service_as("sp").move_to_version(
        case.id, V2, reason="Ringsted afprøver pilotskemaet.", base_revision=case.revision
    )
    original = answers("v1_complete.json")
    assert move.renamed == {"arbejdsevne_timer": "arbejdsevne_timer_pr_uge"}
    assert [n.to_dict() for n in move.not_carried] == expected_lost(V1_TO_V2_LOST, original, V2)

    draft = db_session.scalars(
        select(AnswerSet).where(AnswerSet.case_id == case.id).order_by(AnswerSet.sequence.desc())
    ).first()
    assert draft is not None and draft.version == V2
    assert draft.answers["arbejdsevne_timer_pr_uge"] == original["arbejdsevne_timer"]
    assert "arbejdsevne_timer" not in draft.answers
    assert "hjaelpemidler" not in draft.answers
    assert all("beskrivelse" not in row for row in draft.answers["helbredsdokumenter"])


def test_returned_case_moves_and_can_then_be_submitted_under_the_new_version(
    pilot: Pilot, service_as: ServiceAs, db_session: Session
) -> None:
    case = make_case(service_as)
    kbh, sp = service_as("kbh"), service_as("sp")
    submission = kbh.submit(case.id, answers("v2_complete.json"), base_revision=case.revision)
    assert submission.kind == "submission"
    sp.transition(
        case.id, Status.RETURNED, reason="Mangler lægeattest.", base_revision=case.revision
    )
    move = sp.move_to_version(case.id, V1, reason="Piloten er slut.", base_revision=case.revision)
    assert move.source_sequence == submission.sequence
    assert len(move.not_carried) == 7
    db_session.expire_all()
    case = db_session.get(Case, case.id)
    assert case is not None and case.status == Status.RETURNED and case.form_version == V1

    draft = case.answer_sets[-1]
    # v1 requires two answers the pilot version asked differently: they must be given again
    with pytest.raises(AnswersInvalidError) as raised:
        kbh.submit(case.id, dict(draft.answers), base_revision=case.revision)
    assert sorted(p.path for p in raised.value.problems) == [
        "arbejdsevne_timer",
        "dokumentation_tilknytning",
    ]
    completed = dict(draft.answers) | {
        "arbejdsevne_timer": 10,
        "dokumentation_tilknytning": ["atp"],
    }
    submitted = kbh.submit(case.id, completed, base_revision=case.revision)
    assert (submitted.version, submitted.kind) == (V1, "submission")
    assert case.status == Status.SUBMITTED


def test_case_without_answers_is_only_pinned(service_as: ServiceAs, db_session: Session) -> None:
    received = make_case(service_as, send=False)
    move = service_as("sp").move_to_version(
        received.id, V2, reason="Pilot", base_revision=received.revision
    )
    assert (move.draft_sequence, move.not_carried, move.carried) == (None, [], [])
    db_session.expire_all()
    case = db_session.get(Case, received.id)
    assert case is not None
    assert case.form_version == V2 and case.answer_sets == []
    assert case.status == Status.RECEIVED


@pytest.mark.parametrize("state", ["submitted", "sufficiently_informed", "decided"])
def test_handed_in_cases_keep_their_version(
    state: str, service_as: ServiceAs, db_session: Session
) -> None:
    case = make_case(service_as)
    kbh, sp = service_as("kbh"), service_as("sp")
    kbh.submit(case.id, answers("v1_complete.json"), base_revision=case.revision)
    if state in ("sufficiently_informed", "decided"):
        sp.transition(case.id, Status.SUFFICIENTLY_INFORMED, base_revision=case.revision)
    if state == "decided":
        sp.transition(case.id, Status.DECIDED, outcome=Outcome.GRANTED, base_revision=case.revision)
    revision = case.revision
    with pytest.raises(CaseLockedError) as raised:
        sp.move_to_version(case.id, V2, reason="Pilot", base_revision=revision)
    assert raised.value.status == 409
    assert "beholder skemaversion 1.2.0" in raised.value.message
    db_session.expire_all()
    case = db_session.get(Case, case.id)
    assert case is not None
    assert (case.form_version, case.revision, case.status) == (V1, revision, state)
    assert all(e.action != MOVE_ACTION for e in entries_for_case(db_session, case.id))


def test_only_seniorpension_moves_and_others_see_nothing(
    service_as: ServiceAs, db_session: Session
) -> None:
    case = drafted(service_as, "v1_complete.json")
    revision = case.revision
    with pytest.raises(PermissionDeniedError):
        service_as("kbh").move_to_version(case.id, V2, reason="x", base_revision=revision)
    with pytest.raises(CaseNotFoundError):  # another municipality: as if it did not exist
        service_as("ringsted").move_to_version(case.id, V2, reason="x", base_revision=revision)
    for role in ("editor", "analyst", "admin"):
        with pytest.raises(PermissionDeniedError):
            service_as(role).move_to_version(case.id, V2, reason="x", base_revision=revision)
    db_session.expire_all()
    case = db_session.get(Case, case.id)
    assert case is not None and case.form_version == V1 and case.revision == revision


def test_stale_revision_and_bad_input_change_nothing(
    service_as: ServiceAs, db_session: Session
) -> None:
    case = drafted(service_as, "v1_complete.json")
    sp = service_as("sp")
    stale = case.revision - 1
    with pytest.raises(StaleRevisionError) as raised:
        sp.move_to_version(case.id, V2, reason="x", base_revision=stale)
    assert raised.value.current_revision == case.revision
    with pytest.raises(CaseInputError, match=r"allerede version 1\.2\.0"):
        sp.move_to_version(case.id, V1, reason="x", base_revision=case.revision)
    with pytest.raises(CaseInputError, match=r"ingen version 9\.9\.9"):
        sp.move_to_version(case.id, "9.9.9", reason="x", base_revision=case.revision)
    with pytest.raises(CaseInputError, match="begrundelse"):
        sp.move_to_version(case.id, V2, reason="  ", base_revision=case.revision)
    db_session.expire_all()
    case = db_session.get(Case, case.id)
    assert case is not None and case.form_version == V1 and len(case.answer_sets) == 1
    assert moves_of(db_session, case.id) == []


def test_latest_answers_of_another_version_are_migrated_for_the_form(
    service_as: ServiceAs, db_session: Session, registry: Registry
) -> None:
    """A case re-pinned by other means: the form page gets the migrated answers, live."""
    case = drafted(service_as, "v1_complete.json")
    case.form_version = V2  # as a bulk correction outside the service would
    db_session.commit()
    latest = case.answer_sets[-1]
    migration = answer_migration_for_form(case, latest, registry)
    assert migration is not None
    assert migration.answers["arbejdsevne_timer_pr_uge"] == latest.answers["arbejdsevne_timer"]
    assert [n.path for n in migration.not_carried] == [p for p, _ in V1_TO_V2_LOST]


def test_value_at_paths() -> None:
    document = {"a": [{"b": 1}, {"b": [5, 6]}], "c": "x"}
    assert value_at(document, "c") == "x"
    assert value_at(document, "a[1].b[1]") == 6
    assert value_at(document, "a[0].b") == 1
    assert value_at(document, "a[2].b") is None
    assert value_at(document, "zz") is None
