"""Ending a pilot: its open cases move to the version the forum chose (issue 7 and 8).

Every case of a pilot municipality still on the pilot's candidate version that the municipality
has not handed in moves with ``forms_service.cases.version_move`` (its answers carried over by
field id, the rest listed for the caseworker). Submitted, sufficiently informed and decided
cases keep the version they were judged under. Running it again moves nothing new: a moved
case is no longer on the candidate version. One case failing (e.g. saved at that very moment)
does not stop the others; run again to move it.

A pilot is ended after its end date: until then, new cases of the pilot municipalities still
get the candidate version, so moving its cases would not end it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from forms_service.cases import audit
from forms_service.cases.errors import CaseError
from forms_service.cases.form_versions import DefinitionSource
from forms_service.cases.models import Case, utcnow
from forms_service.cases.roles import Actor
from forms_service.cases.service import CaseService
from forms_service.cases.version_move import (
    MOVABLE_STATES,
    PILOT_ENDING_ACTOR,
    VersionMove,
    move_case_to_version,
)
from forms_service.danish import date_short
from forms_service.pilots.models import Pilot
from forms_service.pilots.move_impact import MovePrediction, predict_pilot_ending
from forms_service.pilots.permissions import END_PILOTS
from forms_service.pilots.service import PilotError, get_pilot

END_ACTION = "pilot.end"


@dataclass(frozen=True)
class PilotEnding:
    pilot_id: int
    pilot_name: str
    from_version: str
    to_version: str
    moved: list[VersionMove] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (case number, message)
    kept: int = 0  # cases on the candidate version that are handed in: they keep it
    predicted: MovePrediction | None = None  # what the move was predicted to do, beforehand

    def to_dict(self) -> dict[str, Any]:
        return {
            "pilot_id": self.pilot_id,
            "pilot_name": self.pilot_name,
            "from_version": self.from_version,
            "to_version": self.to_version,
            "moved": [m.to_dict() for m in self.moved],
            "failed": [{"case_number": n, "message": m} for n, m in self.failed],
            "kept": self.kept,
            "predicted": self.predicted.summary() if self.predicted else None,
        }


def end_pilot(
    session: Session,
    pilot_id: int,
    version: str,
    *,
    started_by: Actor,
    registry: DefinitionSource,
    today: dt.date | None = None,
    now: Callable[[], dt.datetime] = utcnow,
) -> PilotEnding:
    """Move the pilot's open cases to ``version``; raises ``PilotError`` when it cannot start."""
    if not END_PILOTS.allows(started_by):
        raise PilotError("Kun skemaredaktører og Seniorpension kan afslutte en pilot.", status=403)
    pilot = get_pilot(session, pilot_id)
    version = (version or "").strip()
    today = today or dt.date.today()
    _check_can_end(pilot, version, registry, today)

    rows = _candidate_cases(session, pilot)
    open_values = {s.value for s in MOVABLE_STATES}
    kept = sum(1 for r in rows if r.status not in open_values)
    service = CaseService(session, PILOT_ENDING_ACTOR, registry=registry, now=now)
    reason = (
        f"Piloten »{pilot.name}« (nr. {pilot.id}) er afsluttet; sagen bruger nu version {version}."
    )
    details = {"pilot_id": pilot.id, "started_by": started_by.username}
    # the same prediction the pilot page showed before confirming, recorded with each move
    predicted = predict_pilot_ending(
        session, registry, pilot.form, pilot.candidate_version, version, pilot.pilot_codes,
        today=today,
    )  # fmt: skip
    moved, failed = _move_open_cases(
        session,
        service,
        [row for row in rows if row.status in open_values],
        version,
        reason=reason,
        details=details,
        predicted=predicted,
    )
    result = PilotEnding(
        pilot.id, pilot.name, pilot.candidate_version, version, moved, failed, kept, predicted
    )
    audit.record(
        session,
        started_by,
        END_ACTION,
        details={
            "pilot_id": pilot.id,
            "from_version": pilot.candidate_version,
            "to_version": version,
            "moved": [m.case_id for m in moved],
            "not_carried": sum(len(m.not_carried) for m in moved),
            "failed": [number for number, _ in failed],
            "kept": kept,
            "predicted": predicted.summary(),
        },
        at=now(),
    )
    session.commit()
    return result


def _check_can_end(pilot: Pilot, version: str, registry: DefinitionSource, today: dt.date) -> None:
    if version == pilot.candidate_version:
        raise PilotError(
            f"Sagerne bruger allerede pilotversionen {version}; vælg den version, de skal flyttes til."
        )
    try:
        registry.get(pilot.form, version)
    except LookupError:
        raise PilotError(f"{pilot.form} har ingen version {version}.") from None
    if today <= pilot.end_date:
        raise PilotError(
            f"Piloten »{pilot.name}« løber til {date_short(pilot.end_date)}; indtil da får nye sager "
            f"i pilotkommunerne stadig version {pilot.candidate_version}. Afslut den efter "
            "slutdatoen."
        )


def _candidate_cases(session: Session, pilot: Pilot) -> list[Row[Any]]:
    """Every case of the pilot's municipalities on its candidate version, handed in or not."""
    base = select(Case.id, Case.revision, Case.case_number, Case.status).where(
        Case.form == pilot.form,
        Case.form_version == pilot.candidate_version,
        Case.municipality_code.in_(pilot.pilot_codes),
    )
    return list(session.execute(base.order_by(Case.id)).all())


def _move_open_cases(
    session: Session,
    service: CaseService,
    rows: list[Row[Any]],
    version: str,
    *,
    reason: str,
    details: dict[str, Any],
    predicted: MovePrediction,
) -> tuple[list[VersionMove], list[tuple[str, str]]]:
    """Move each case; one failing is rolled back and listed, the others go on."""
    moved: list[VersionMove] = []
    failed: list[tuple[str, str]] = []
    for row in rows:
        try:
            moved.append(
                move_case_to_version(
                    service,
                    row.id,
                    version,
                    reason=reason,
                    base_revision=row.revision,
                    details=details | {"predicted": predicted.for_case(row.id)},
                )
            )
        except CaseError as error:
            session.rollback()
            failed.append((row.case_number, error.message))
    return moved, failed
