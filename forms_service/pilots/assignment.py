"""Which form version a new case gets: the pilot rule.

A case of a pilot municipality whose application date lies in a pilot's period gets the
pilot's candidate version; every other case gets the version in force, except a comparison group
the editor has pinned to the pilot's recorded version at a publish (``pilots.versions``). The
rule that applied is written on the case as a Danish note, so a caseworker and an analyst can
see why the case has its version.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from forms_service.danish import date_short
from forms_service.pilots.models import NAMED, Pilot
from forms_service.pilots.versions import comparison_pinned
from forms_service.seniorpension.municipalities import municipality_by_code


@dataclass(frozen=True, slots=True)
class Assignment:
    version: str
    note: str
    pilot_id: int | None


def _active_pilots(session: Session, form: str, on: dt.date) -> list[Pilot]:
    query = (
        select(Pilot)
        .where(Pilot.form == form, Pilot.start_date <= on, Pilot.end_date >= on)
        .order_by(Pilot.start_date.desc(), Pilot.id.desc())
    )
    return list(session.scalars(query))


def assign(
    session: Session, form: str, current_version: str, municipality_code: int, on: dt.date
) -> Assignment:
    """The version and the rule for a new case of ``municipality_code`` applied for ``on``."""
    name = municipality_by_code(municipality_code).name
    pilots = _active_pilots(session, form, on)
    for pilot in pilots:
        if municipality_code in pilot.pilot_codes:
            return Assignment(
                pilot.candidate_version,
                f"Pilot »{pilot.name}« (nr. {pilot.id}): {name} er pilotkommune "
                f"{date_short(pilot.start_date)}–{date_short(pilot.end_date)}, så nye sager får "
                f"version {pilot.candidate_version} (sammenlignes med "
                f"{pilot.comparison_version}).",
                pilot.id,
            )
    for pilot in pilots:
        in_group = (
            municipality_code in pilot.comparison_codes if pilot.comparison_scope == NAMED else True
        )
        if in_group and comparison_pinned(session, pilot):
            return Assignment(
                pilot.comparison_version,
                f"Pilot »{pilot.name}« (nr. {pilot.id}): {name} er i sammenligningsgruppen, "
                f"som beholder version {pilot.comparison_version} mens piloten kører.",
                None,
            )
        if in_group:
            return Assignment(
                current_version,
                f"Gældende version {current_version}: {name} er i sammenligningsgruppen for "
                f"pilot »{pilot.name}« (nr. {pilot.id}).",
                None,
            )
    # the pilot page may list the municipality for another period: name the date that counted
    return Assignment(
        current_version,
        f"Gældende version {current_version} (ingen pilot for {name} på ansøgningsdatoen "
        f"{date_short(on)}).",
        None,
    )
