"""Keeping ``case_metrics`` and ``case_findings`` current as cases change.

A session listener looks at what a flush wrote (new cases, answer sets and case events) and
updates the metrics row of each case in the same transaction, so whatever writes through the
ORM (the case service, the API, the CLI) keeps the reporting facts right without knowing about
them. Bulk loaders (the demo history, the benchmark) write the metrics rows themselves, and
``rebuild_case_metrics`` recomputes everything from the source tables. The same listener keeps the daily roll-ups
of ``reporting.rollup`` in step (a case's contribution is taken out before the flush's
changes and put back after).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, and_, delete, event, insert, select, update
from sqlalchemy.orm import Session

from forms_service.cases.models import AnswerSet, Case, CaseEvent
from forms_service.completeness import current_shape, lifted_messages, sufficient_now
from forms_service.definitions.registry import UnknownFormError, default_registry
from forms_service.pilots.models import PILOT, Pilot, PilotMunicipality
from forms_service.reporting import rollup
from forms_service.reporting.models import (
    COPIED_COLUMNS,
    CRITERION_INSUFFICIENT,
    CRITERION_MISSING,
    FIELD_EMPTY,
    FIELD_FAILED,
    CaseFinding,
    CaseMetrics,
    days,
)

# Dates in the reports are Danish calendar dates, whatever the server's zone.
LOCAL_ZONE = ZoneInfo("Europe/Copenhagen")
KNOWN_CITIZEN_FIELD = "kendt_i_kommunen"

_metrics = CaseMetrics.__table__
_findings = CaseFinding.__table__


def local_date(moment: dt.datetime) -> dt.date:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(LOCAL_ZONE).date()


def findings_of(report: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    """(kind, ref) of every criterion and field a completeness report found lacking."""
    if not report:
        return []
    found: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()

    def add(kind: str, ref: str) -> None:
        if (kind, ref) not in seen:
            seen.add((kind, ref))
            found.append((kind, ref))

    for criterion in current_shape(report).get("criteria", []):
        status = criterion.get("status")
        if status == "missing":
            add(CRITERION_MISSING, criterion["id"])
        elif status == "insufficient":
            add(CRITERION_INSUFFICIENT, criterion["id"])
        for ref in [*criterion.get("missing_fields", []), *criterion.get("missing_documents", [])]:
            add(FIELD_EMPTY, ref["id"])
        for ref in criterion.get("review_fields", []):
            add(FIELD_FAILED, ref["id"])
    return found


def sufficient_at_submission(answer_set: AnswerSet) -> bool | None:
    """Was the submission sufficiently informed, in today's meaning (criteria alone)?

    A report stored before the split counted conditions too; it is read again with the
    eligibility checks its version states inside criteria set apart (completeness.stored).
    """
    report = answer_set.completeness
    if report is None:
        return None
    try:
        definition = default_registry().get(answer_set.form, answer_set.version)
        lifted = lifted_messages(definition.completeness)
    except (UnknownFormError, ValueError):
        lifted = frozenset()
    return sufficient_now(report, lifted)


def known_citizen(answers: Mapping[str, Any] | None) -> bool | None:
    value = (answers or {}).get(KNOWN_CITIZEN_FIELD)
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in {"ja", "true", "nej", "false"}:
        return value.strip().lower() in {"ja", "true"}
    return None


def pilot_id_for(
    connection: Connection, form: str, version: str, municipality_code: int, on: dt.date
) -> int | None:
    """The pilot that gives ``municipality_code`` this version on ``on``, if any."""
    query = (
        select(Pilot.id)
        .join(PilotMunicipality, PilotMunicipality.pilot_id == Pilot.id)
        .where(
            Pilot.form == form,
            Pilot.candidate_version == version,
            Pilot.start_date <= on,
            Pilot.end_date >= on,
            PilotMunicipality.municipality_code == municipality_code,
            PilotMunicipality.role == PILOT,
        )
        .order_by(Pilot.start_date.desc(), Pilot.id.desc())
        .limit(1)
    )
    return connection.scalar(query)


# --- the listener ---------------------------------------------------------------------------


def _ensure_row(connection: Connection, case_id: int) -> None:
    if connection.scalar(select(_metrics.c.case_id).where(_metrics.c.case_id == case_id)) is None:
        connection.execute(
            insert(_metrics).values(case_id=case_id, returns=0, drafts=0, submissions=0)
        )


def copied(case: Case) -> dict[str, Any]:
    """The case's columns that case_metrics carries for the reports."""
    return {name: getattr(case, name) for name in COPIED_COLUMNS}


def _new_case(connection: Connection, case: Case) -> None:
    pilot_id = pilot_id_for(
        connection, case.form, case.form_version, case.municipality_code, case.application_date
    )
    connection.execute(
        insert(_metrics).values(
            case_id=case.id, pilot_id=pilot_id, returns=0, drafts=0, submissions=0, **copied(case)
        )
    )


def _sync(connection: Connection, case: Case) -> None:
    """Copy the case's columns and recompute the day counts after this flush's changes."""
    row = connection.execute(
        select(_metrics.c.first_submitted_on, _metrics.c.decided_on).where(
            _metrics.c.case_id == case.id
        )
    ).first()
    if row is None:
        return
    connection.execute(
        update(_metrics)
        .where(_metrics.c.case_id == case.id)
        .values(
            **copied(case),
            submission_days=days(row.first_submitted_on, case.request_date),
            decision_days=days(row.decided_on, case.application_date),
        )
    )


def _new_answer_set(connection: Connection, answer_set: AnswerSet) -> None:
    _ensure_row(connection, answer_set.case_id)
    row = _metrics.c
    if answer_set.kind != "submission":
        connection.execute(
            update(_metrics).where(row.case_id == answer_set.case_id).values(drafts=row.drafts + 1)
        )
        return
    connection.execute(
        update(_metrics)
        .where(row.case_id == answer_set.case_id)
        .values(submissions=row.submissions + 1)
    )
    report = answer_set.completeness
    first = connection.execute(
        update(_metrics)
        .where(and_(row.case_id == answer_set.case_id, row.first_submitted_on.is_(None)))
        .values(
            first_submitted_on=local_date(answer_set.created_at or dt.datetime.now(dt.UTC)),
            sufficient_at_submission=sufficient_at_submission(answer_set),
            known_citizen=known_citizen(answer_set.answers),
        )
    )
    if first.rowcount == 1:
        rows = [
            {"case_id": answer_set.case_id, "kind": kind, "ref": ref}
            for kind, ref in findings_of(report)
        ]
        if rows:
            connection.execute(insert(_findings), rows)


def _new_event(connection: Connection, case_event: CaseEvent) -> None:
    _ensure_row(connection, case_event.case_id)
    row = _metrics.c
    if case_event.to_status == "returned":
        connection.execute(
            update(_metrics)
            .where(row.case_id == case_event.case_id)
            .values(returns=row.returns + 1)
        )
    elif case_event.to_status == "decided":
        connection.execute(
            update(_metrics)
            .where(row.case_id == case_event.case_id)
            .values(decided_on=local_date(case_event.at or dt.datetime.now(dt.UTC)))
        )


def _of_type(objects: Iterable[object], kind: type) -> list[Any]:
    return [o for o in objects if isinstance(o, kind)]


def _track(session: Session, _context: object) -> None:
    new = list(session.new)
    dirty_cases = _of_type(session.dirty, Case)
    if not new and not dirty_cases:
        return
    cases = _of_type(new, Case)
    answer_sets = sorted(_of_type(new, AnswerSet), key=lambda a: (a.case_id, a.sequence))
    case_events = sorted(_of_type(new, CaseEvent), key=lambda e: e.id)
    if not (cases or answer_sets or case_events or dirty_cases):
        return
    connection = session.connection()
    # the roll-ups: take the touched cases out before their facts change, put them back after
    touched_ids = (
        {a.case_id for a in answer_sets}
        | {e.case_id for e in case_events}
        | {c.id for c in dirty_cases}
        | {c.id for c in cases}
    )
    old_days = rollup.withdraw(connection, touched_ids)
    for case in cases:
        _new_case(connection, case)
    for answer_set in answer_sets:
        _new_answer_set(connection, answer_set)
    for case_event in case_events:
        _new_event(connection, case_event)
    touched = {a.case_id for a in answer_sets} | {e.case_id for e in case_events}
    for case in {*cases, *_of_type(session.dirty, Case)}:
        touched.discard(case.id)
        _sync(connection, case)
    for case_id in touched:
        case = session.get(Case, case_id)
        if case is not None:
            _sync(connection, case)
    rollup.contribute(connection, touched_ids, old_days)


def install(target: Any = Session) -> None:
    """Keep case_metrics and the roll-ups current on every flush of ``target``'s sessions.

    Called by the app factory and the CLI (``forms_service.wiring``), never on import: a
    process that only reads definitions or renders a document writes no reporting rows.
    """
    if not event.contains(target, "after_flush", _track):
        event.listen(target, "after_flush", _track)


# --- rebuilding -----------------------------------------------------------------------------


def rebuild_case_metrics(session: Session, case_ids: Iterable[int] | None = None) -> int:
    """Recompute the metrics and findings of the cases (all when ``case_ids`` is None).

    Reads each case's events and answer sets through the ORM: meant for repairs and tests,
    not for the hot path.
    """
    # A case whose personal data a retention run removed keeps its metrics as they were: its
    # answer sets are gone, and the figures must not move (forms_service.privacy).
    query = select(Case).where(Case.anonymised_at.is_(None)).order_by(Case.id)
    if case_ids is not None:
        query = query.where(Case.id.in_(list(case_ids)))
    count = 0
    connection = session.connection()
    ids = None
    if case_ids is not None:
        ids = set(session.scalars(select(Case.id).where(query.whereclause)))  # type: ignore[arg-type]
    old_days = rollup.withdraw(connection, ids) if ids is not None else set()
    for case in session.scalars(query):
        # drafts are only ever added, except by retention removing a never-submitted case's
        # drafts: the count before the rebuild is the floor
        drafts_before = connection.scalar(
            select(_metrics.c.drafts).where(_metrics.c.case_id == case.id)
        )
        connection.execute(delete(_findings).where(_findings.c.case_id == case.id))
        connection.execute(delete(_metrics).where(_metrics.c.case_id == case.id))
        values: dict[str, Any] = copied(case) | {
            "case_id": case.id,
            "pilot_id": pilot_id_for(
                connection,
                case.form,
                case.form_version,
                case.municipality_code,
                case.application_date,
            )
            if case.assignment_note
            else None,
            "returns": sum(1 for e in case.events if e.to_status == "returned"),
            "drafts": max(
                drafts_before or 0, sum(1 for a in case.answer_sets if a.kind == "draft")
            ),
            "submissions": sum(1 for a in case.answer_sets if a.kind == "submission"),
            "decided_on": next(
                (local_date(e.at) for e in reversed(case.events) if e.to_status == "decided"),
                None,
            ),
        }
        first = next((a for a in case.answer_sets if a.kind == "submission"), None)
        if first is not None:
            values["first_submitted_on"] = local_date(first.created_at)
            values["sufficient_at_submission"] = sufficient_at_submission(first)
            values["known_citizen"] = known_citizen(first.answers)
        values["submission_days"] = days(values.get("first_submitted_on"), case.request_date)
        values["decision_days"] = days(values["decided_on"], case.application_date)
        connection.execute(insert(_metrics).values(**values))
        rows = [
            {"case_id": case.id, "kind": k, "ref": r}
            for k, r in findings_of(first and first.completeness)
        ]
        if rows:
            connection.execute(insert(_findings), rows)
        count += 1
    if ids is None:
        rollup.rebuild(connection)
    else:
        rollup.contribute(connection, ids, old_days)
    return count
