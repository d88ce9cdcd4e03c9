"""Creating pilots, reading them, and caseworkers' feedback on a pilot version.

Plain functions over a session and an ``Actor``; errors are ``PilotError`` with a Danish
message (shown on the page or returned by the API) and an HTTP status.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from forms_service.cases.roles import Actor, Role
from forms_service.pilots.models import (
    ALL_OTHERS,
    COMPARISON,
    FEEDBACK_KINDS,
    NAMED,
    PILOT,
    Pilot,
    PilotFeedback,
    PilotMunicipality,
)
from forms_service.pilots.permissions import MANAGE_PILOTS
from forms_service.seniorpension.municipalities import municipality_by_code

MAX_FEEDBACK_TEXT = 4000


class PilotError(Exception):
    status = 400

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status


class VersionSource(Protocol):
    """What creating a pilot needs of the definitions registry."""

    def versions(self, form: str) -> list[str]: ...


@dataclass(frozen=True, slots=True)
class PilotInput:
    name: str
    form: str
    candidate_version: str
    comparison_version: str
    pilot_codes: tuple[int, ...]
    start_date: dt.date
    end_date: dt.date
    comparison_codes: tuple[int, ...] = ()  # empty: all other municipalities
    description: str | None = None


def _codes(values: Iterable[int | str], what: str) -> list[int]:
    codes: list[int] = []
    for value in values:
        try:
            code = municipality_by_code(value).code
        except (KeyError, ValueError):
            raise PilotError(f"Ukendt kommunekode i {what}: {value}.") from None
        if code not in codes:
            codes.append(code)
    return codes


def create_pilot(
    session: Session, actor: Actor, data: PilotInput, registry: VersionSource
) -> Pilot:
    if not MANAGE_PILOTS.allows(actor):
        raise PilotError("Kun skemaredaktører kan oprette piloter.", status=403)
    name = (data.name or "").strip()
    if not name:
        raise PilotError("Angiv pilotens navn.")
    try:
        versions = registry.versions(data.form)
    except LookupError:
        raise PilotError(f"Ukendt skema: {data.form}.") from None
    for version in (data.candidate_version, data.comparison_version):
        if version not in versions:
            raise PilotError(f"{data.form} har ingen version {version}.")
    if data.candidate_version == data.comparison_version:
        raise PilotError("Pilotversionen og sammenligningsversionen skal være forskellige.")
    if data.end_date < data.start_date:
        raise PilotError("Slutdatoen ligger før startdatoen.")
    pilot_codes = _codes(data.pilot_codes, "pilotkommunerne")
    if not pilot_codes:
        raise PilotError("Vælg mindst én pilotkommune.")
    comparison_codes = _codes(data.comparison_codes, "sammenligningsgruppen")
    overlap = set(pilot_codes) & set(comparison_codes)
    if overlap:
        names = ", ".join(municipality_by_code(c).name for c in sorted(overlap))
        raise PilotError(f"En kommune kan ikke være både pilot og sammenligning: {names}.")
    if session.scalar(select(Pilot.id).where(Pilot.name == name)):
        raise PilotError(f"Der findes allerede en pilot med navnet »{name}«.")
    clash = _overlapping(session, data.form, pilot_codes, data.start_date, data.end_date)
    if clash:
        raise PilotError(
            f"{municipality_by_code(clash[1]).name} er allerede pilotkommune i »{clash[0]}« "
            "i en del af perioden."
        )

    pilot = Pilot(
        name=name,
        form=data.form,
        candidate_version=data.candidate_version,
        comparison_version=data.comparison_version,
        comparison_scope=NAMED if comparison_codes else ALL_OTHERS,
        start_date=data.start_date,
        end_date=data.end_date,
        description=(data.description or "").strip() or None,
        created_by=actor.username,
    )
    pilot.municipalities = [PilotMunicipality(municipality_code=c, role=PILOT) for c in pilot_codes]
    pilot.municipalities += [
        PilotMunicipality(municipality_code=c, role=COMPARISON) for c in comparison_codes
    ]
    session.add(pilot)
    session.commit()
    return pilot


def _overlapping(
    session: Session, form: str, codes: list[int], start: dt.date, end: dt.date
) -> tuple[str, int] | None:
    query = (
        select(Pilot.name, PilotMunicipality.municipality_code)
        .join(PilotMunicipality, PilotMunicipality.pilot_id == Pilot.id)
        .where(
            Pilot.form == form,
            Pilot.start_date <= end,
            Pilot.end_date >= start,
            PilotMunicipality.role == PILOT,
            PilotMunicipality.municipality_code.in_(codes),
        )
        .limit(1)
    )
    row = session.execute(query).first()
    return (row[0], row[1]) if row else None


def list_pilots(session: Session) -> list[Pilot]:
    query = (
        select(Pilot)
        .options(selectinload(Pilot.municipalities))
        .order_by(Pilot.start_date.desc(), Pilot.id.desc())
    )
    return list(session.scalars(query))


def get_pilot(session: Session, pilot_id: int) -> Pilot:
    pilot = session.scalar(
        select(Pilot).options(selectinload(Pilot.municipalities)).where(Pilot.id == pilot_id)
    )
    if pilot is None:
        raise PilotError("Piloten findes ikke.", status=404)
    return pilot


# --- feedback -------------------------------------------------------------------------------


def may_give_feedback(actor: Actor, pilot: Pilot) -> bool:
    return actor.role is Role.MUNICIPAL_CASEWORKER and actor.municipality_code in pilot.pilot_codes


def add_feedback(
    session: Session,
    actor: Actor,
    pilot: Pilot,
    *,
    kind: str,
    text: str,
    section_id: str | None = None,
    field_id: str | None = None,
    known_sections: dict[str, list[str]] | None = None,
) -> PilotFeedback:
    """Feedback from a caseworker of a pilot municipality on a section or field of the version.

    ``known_sections`` ({section id: [field ids]}) of the candidate version, when given, is used
    to refuse references to sections or fields the version does not have.
    """
    if not may_give_feedback(actor, pilot):
        raise PilotError(
            "Kun sagsbehandlere i pilotkommunerne kan give tilbagemelding på piloten.", status=403
        )
    if kind not in FEEDBACK_KINDS:
        raise PilotError(f"Vælg en type: {', '.join(FEEDBACK_KINDS.values())}.")
    text = (text or "").strip()
    if not text:
        raise PilotError("Skriv din tilbagemelding.")
    if len(text) > MAX_FEEDBACK_TEXT:
        raise PilotError(f"Tilbagemeldingen må højst være {MAX_FEEDBACK_TEXT} tegn.")
    section_id = (section_id or "").strip() or None
    field_id = (field_id or "").strip() or None
    if section_id is None and field_id is None:
        raise PilotError("Vælg det afsnit eller felt, tilbagemeldingen gælder.")
    if known_sections is not None:
        if section_id is not None and section_id not in known_sections:
            raise PilotError(
                f"Afsnittet {section_id} findes ikke i version {pilot.candidate_version}."
            )
        if field_id is not None:
            owners = [s for s, fields in known_sections.items() if field_id in fields]
            if not owners or (section_id is not None and section_id not in owners):
                raise PilotError(
                    f"Feltet {field_id} findes ikke i version {pilot.candidate_version}."
                )
            section_id = section_id or owners[0]
    feedback = PilotFeedback(
        pilot_id=pilot.id,
        form=pilot.form,
        version=pilot.candidate_version,
        section_id=section_id,
        field_id=field_id,
        kind=kind,
        text=text,
        municipality_code=actor.municipality_code,
        author_id=actor.id,
        author_name=actor.name,
    )
    session.add(feedback)
    session.commit()
    return feedback


def feedback_for(session: Session, pilot: Pilot) -> list[PilotFeedback]:
    query = (
        select(PilotFeedback)
        .where(PilotFeedback.pilot_id == pilot.id)
        .order_by(PilotFeedback.section_id, PilotFeedback.field_id, PilotFeedback.id)
    )
    return list(session.scalars(query))


def feedback_counts(
    session: Session, pilot: Pilot
) -> dict[tuple[str | None, str | None, str], int]:
    """{(section, field, kind): count} — for the summary beside the version diff."""
    query = (
        select(PilotFeedback.section_id, PilotFeedback.field_id, PilotFeedback.kind, func.count())
        .where(PilotFeedback.pilot_id == pilot.id)
        .group_by(PilotFeedback.section_id, PilotFeedback.field_id, PilotFeedback.kind)
    )
    return {(s, f, k): n for s, f, k, n in session.execute(query)}
