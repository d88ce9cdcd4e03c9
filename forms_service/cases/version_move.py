"""Moving an open case to another version of its form, e.g. when a pilot ends (issue 7).

A move pins the case to the new version, carries the latest answers over by field id with
``forms_service.answers.migration.migrate_answers`` and stores them as a new draft under the new
version. What could not be carried over is never dropped silently: the audit entry of the move
records each lost answer's path, label and reason, and the old value stays in the earlier
answer set (answer sets are never changed), from which it is read back for display. The list is
shown to the caseworker on the case page and at the top of the form until they next save.

Why the audit log and not a case event: a case event is a status transition here (reporting
counts ``to_status`` values, e.g. every event to ``returned`` is one more return), and a move
changes no status. Why no values in the audit entry: the log must hold no CPR numbers, and an
answer may be one; the stored answer set already keeps the value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from forms_service.answers.migration import MigrationResult, NotCarried, migrate_answers
from forms_service.cases import audit, observers
from forms_service.cases.errors import CaseInputError, CaseLockedError, PermissionDeniedError
from forms_service.cases.lifecycle import Status
from forms_service.cases.models import AnswerSet, AuditEntry, Case
from forms_service.cases.permissions import MOVE_VERSION
from forms_service.cases.roles import Actor, Role
from forms_service.seniorpension.cpr import mask_text

if TYPE_CHECKING:
    from forms_service.cases.form_versions import DefinitionSource
    from forms_service.cases.service import CaseService
    from forms_service.definitions.model import FormDefinition

MOVE_ACTION = "case.move_version"
# The municipality has not handed the case in (or Seniorpension has handed it back): its form
# may still change. A submitted, sufficiently informed or decided case keeps the version its
# answers were judged under.
MOVABLE_STATES: frozenset[Status] = frozenset(
    {Status.RECEIVED, Status.SENT_TO_MUNICIPALITY, Status.DRAFT_IN_PROGRESS, Status.RETURNED}
)
# Written on the case's assignment note by every move: a case without it was never moved, so
# the form page need not look in the audit log (the case row is read anyway).
MOVE_NOTE_PREFIX = "Flyttet fra version"
# The actor of the pilot-ending job (CLI or pilot page); whoever started it is in the details.
PILOT_ENDING_ACTOR = Actor(
    id=None, username="pilot-ending", role=Role.ADMIN, display_name="Afslutning af pilot"
)


@dataclass(frozen=True)
class VersionMove:
    """What one move did: the versions, the new draft and what could not be carried over."""

    case_id: int
    case_number: str
    from_version: str
    to_version: str
    revision: int  # the case's revision after the move
    answers_version: str | None = None  # the version the migrated answers were given under
    source_sequence: int | None = None  # the answer set migrated
    draft_sequence: int | None = None  # the draft stored under the new version
    carried: list[str] = field(default_factory=list)
    not_carried: list[NotCarried] = field(default_factory=list)
    renamed: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "case_id": self.case_id,
            "case_number": self.case_number,
            "from_version": self.from_version,
            "to_version": self.to_version,
            "revision": self.revision,
            "answers_version": self.answers_version,
            "source_sequence": self.source_sequence,
            "draft_sequence": self.draft_sequence,
            "carried": list(self.carried),
            "not_carried": [n.to_dict() for n in self.not_carried],
            "renamed": dict(self.renamed),
        }


def may_move(actor: Actor) -> bool:
    return MOVE_VERSION.allows(actor) or actor == PILOT_ENDING_ACTOR


def movable(case: Case) -> bool:
    return Status(case.status) in MOVABLE_STATES


def move_case_to_version(
    service: CaseService,
    case_id: int,
    version: str,
    *,
    reason: str,
    base_revision: int,
    details: Mapping[str, Any] | None = None,
) -> VersionMove:
    """Pin the case to ``version`` and carry its latest answers over; one commit.

    ``details`` are extra audit details (the pilot-ending job names its pilot and who started
    it). Raises ``CaseError`` subclasses like every other change of a case: 404 outside the
    actor's scope, 403 for a role that may not move cases, 409 for a stale ``base_revision``
    or a case that is no longer open for the municipality's answers, 422 for bad input.
    """
    case, status, reason, new_def = _checked_move(
        service, case_id, version, reason=reason, base_revision=base_revision
    )
    from forms_service.cases.form_versions import register_form_version

    register_form_version(service.session, new_def)
    latest = case.answer_sets[-1] if case.answer_sets else None
    result = _answer_migration(service._registry(), latest, new_def)

    old_version = case.form_version
    now = service.now()
    actor = service.actor
    with service.session.no_autoflush:
        case.form_version = new_def.version
        note = f"{MOVE_NOTE_PREFIX} {old_version} til {new_def.version}: {reason}"
        case.assignment_note = f"{case.assignment_note}\n{note}" if case.assignment_note else note
        case.updated_at = now  # one UPDATE ... WHERE revision = base_revision
        draft_sequence = None
        if result is not None and latest is not None:
            draft_sequence = latest.sequence + 1
            case.answer_sets.append(
                AnswerSet(
                    case_id=case.id,
                    sequence=draft_sequence,
                    kind="draft",
                    form=new_def.form,
                    version=new_def.version,
                    content_hash=new_def.content_hash,
                    answers=result.answers,
                    completeness=None,
                    case_revision=base_revision + 1,
                    created_by=actor.id,
                    created_by_name=actor.name,
                    created_at=now,
                )
            )
        move = VersionMove(
            case_id=case.id,
            case_number=case.case_number,
            from_version=old_version,
            to_version=new_def.version,
            revision=base_revision + 1,
            answers_version=latest.version if latest is not None else None,
            source_sequence=latest.sequence if latest is not None else None,
            draft_sequence=draft_sequence,
            carried=list(result.carried) if result else [],
            not_carried=list(result.not_carried) if result else [],
            renamed=dict(result.renamed) if result else {},
        )
        observers.version_moved(service.session, case, old_version, new_def.version, at=now)
        audit.record(
            service.session,
            actor,
            MOVE_ACTION,
            case_id=case.id,
            details=_audit_details(move, reason, status, dict(details or {}))
            | {"actor_name": actor.name},
            at=now,
        )
    service._commit_or_stale(case.id, base_revision)
    return move


def _checked_move(
    service: CaseService, case_id: int, version: str, *, reason: str, base_revision: int
) -> tuple[Case, Status, str, FormDefinition]:
    """The case (locked), its status, the reason and the new version, or the refusal."""
    if not may_move(service.actor):
        # a municipal caseworker learns nothing about cases outside their municipality
        service._load(case_id)
        raise PermissionDeniedError(
            "Kun Seniorpension kan flytte en sag til en anden skemaversion."
        )
    reason = (reason or "").strip()
    if not reason:
        raise CaseInputError("Angiv en begrundelse for at flytte sagen.")
    case = service._load(case_id, for_update=True)
    if base_revision != case.revision:
        service._raise_stale(case, base_revision)
    status = Status(case.status)
    if status not in MOVABLE_STATES:
        raise CaseLockedError(
            f"Sagen har status »{status.label}« og beholder skemaversion {case.form_version}: "
            "svarene er vurderet efter den version."
        )
    version = (version or "").strip()
    if version == case.form_version:
        raise CaseInputError(f"Sagen bruger allerede version {version}.")
    try:
        new_def = service._registry().get(case.form, version)
    except LookupError:
        raise CaseInputError(f"{case.form} har ingen version {version}.") from None
    return case, status, reason, new_def


def _answer_migration(
    registry: DefinitionSource, latest: AnswerSet | None, new_def: FormDefinition
) -> MigrationResult | None:
    """The answer migration of the latest answers to the new version (None: no answers)."""
    if latest is None:
        return None
    try:
        old_def = registry.get(latest.form, latest.version)
    except LookupError:
        raise CaseInputError(
            f"De seneste svar er givet i {latest.form}@{latest.version}, som ikke kendes; "
            "de kan ikke føres over."
        ) from None
    return migrate_answers(old_def, new_def, dict(latest.answers))


def _audit_details(
    move: VersionMove, reason: str, status: Status, extra: dict[str, Any]
) -> dict[str, Any]:
    return extra | {
        "from_version": move.from_version,
        "to_version": move.to_version,
        "status": status.value,
        "reason": mask_text(reason),
        "revision": move.revision,
        "answers_version": move.answers_version,
        "source_sequence": move.source_sequence,
        "draft_sequence": move.draft_sequence,
        "carried": move.carried,
        "renamed": move.renamed,
        # no values: they stay in the source answer set (see the module docstring)
        "not_carried": [
            {"path": n.path, "label": mask_text(n.label), "reason": mask_text(n.reason)}
            for n in move.not_carried
        ],
    }


# --- reading moves back -----------------------------------------------------------------------


@dataclass(frozen=True)
class MoveRecord:
    """A move as the audit log keeps it, for the case page."""

    at: Any
    actor: str
    from_version: str
    to_version: str
    reason: str
    draft_sequence: int | None
    not_carried_count: int


def moves_of(session: Session, case_id: int) -> list[MoveRecord]:
    """Every version move of the case, oldest first."""
    query = (
        select(AuditEntry)
        .where(AuditEntry.case_id == case_id, AuditEntry.action == MOVE_ACTION)
        .order_by(AuditEntry.id)
    )
    return [
        MoveRecord(
            at=entry.at,
            actor=entry.details.get("actor_name") or entry.actor,
            from_version=entry.details.get("from_version", ""),
            to_version=entry.details.get("to_version", ""),
            reason=entry.details.get("reason", ""),
            draft_sequence=entry.details.get("draft_sequence"),
            not_carried_count=len(entry.details.get("not_carried", [])),
        )
        for entry in session.scalars(query)
    ]


def _last_move(session: Session, case_id: int) -> AuditEntry | None:
    query = (
        select(AuditEntry)
        .where(AuditEntry.case_id == case_id, AuditEntry.action == MOVE_ACTION)
        .order_by(AuditEntry.id.desc())
        .limit(1)
    )
    return session.scalar(query)


def recorded_answer_migration(case: Case, latest: AnswerSet | None) -> MigrationResult | None:
    """The last move's result while its draft is still the latest answers (else None).

    Once the caseworker saves (or submits), a newer answer set exists and the notice is done.
    """
    if latest is None or latest.kind != "draft" or latest.version != case.form_version:
        return None
    if MOVE_NOTE_PREFIX not in (case.assignment_note or ""):
        return None
    session = object_session(case)
    if session is None:
        return None
    entry = _last_move(session, case.id)
    if entry is None or entry.details.get("draft_sequence") != latest.sequence:
        return None
    details = entry.details
    source = next(
        (a for a in case.answer_sets if a.sequence == details.get("source_sequence")), None
    )
    old_answers = dict(source.answers) if source is not None else {}
    not_carried = [
        NotCarried(item["path"], item["label"], value_at(old_answers, item["path"]), item["reason"])
        for item in details.get("not_carried", [])
    ]
    answers_version = details.get("answers_version") or details.get("from_version", "")
    return MigrationResult(
        answers=dict(latest.answers),
        carried=list(details.get("carried", [])),
        not_carried=not_carried,
        from_ref=f"{case.form}@{answers_version}",
        to_ref=f"{case.form}@{details.get('to_version', case.form_version)}",
        renamed=dict(details.get("renamed", {})),
    )


def answer_migration_for_form(
    case: Case, latest: AnswerSet | None, registry: DefinitionSource
) -> MigrationResult | None:
    """For the form page: the answers to show and what was not carried over, or None.

    - latest answers of another version than the case's (moved by other means): migrated now,
      nothing stored until the caseworker saves;
    - the draft of a recorded move, not yet saved over: the recorded list.
    """
    if latest is None:
        return None
    if latest.version != case.form_version:
        try:
            old_def = registry.get(latest.form, latest.version)
            new_def = registry.get(case.form, case.form_version)
        except LookupError:
            return None
        return migrate_answers(old_def, new_def, dict(latest.answers))
    return recorded_answer_migration(case, latest)


_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def value_at(document: Any, path: str) -> Any:
    """The value at an answers path such as ``rows[1].field`` (None when it is not there)."""
    value = document
    for match in _STEP.finditer(path):
        key, index = match.groups()
        if key is not None:
            if not isinstance(value, Mapping) or key not in value:
                return None
            value = value[key]
        else:
            position = int(index)
            if not isinstance(value, list) or position >= len(value):
                return None
            value = value[position]
    return value
