"""Pilots that stay clean: what a running pilot's groups get when a new version is published.

A pilot records the versions it compares (``candidate_version``, ``comparison_version``).
Publishing a new version of the pilot's form while it runs is refused until the editor says,
for the group the new version concerns, whether the group keeps its recorded version or switches
to the new one: a pilot pre-release concerns the pilot municipalities, a release the comparison
group. The answer is recorded (``pilot_version_choices``, audited as ``pilot.version_choice``):

- keep: the group goes on getting its recorded version, whatever is in force meanwhile;
- switch: the new version becomes the group's recorded version (the measures count it from
  now; cases on the former version are shown apart).

A comparison group no answer has been recorded for gets the version in force, as before.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from forms_service.cases import audit
from forms_service.cases.roles import Actor
from forms_service.definitions.registry import is_prerelease
from forms_service.pilots.models import (
    CHOICES,
    COMPARISON,
    KEEP,
    PILOT,
    SWITCH,
    Pilot,
    PilotVersionChoice,
)

GROUP_TEXT = {PILOT: "pilotkommunerne", COMPARISON: "sammenligningsgruppen"}


@dataclass(frozen=True, slots=True)
class PilotQuestion:
    """What the editor must answer before publishing ``new_version``."""

    pilot_id: int
    pilot_name: str
    group: str  # PILOT | COMPARISON
    recorded_version: str
    new_version: str

    @property
    def key(self) -> str:
        return f"pilot-{self.pilot_id}-{self.group}"

    @property
    def text(self) -> str:
        return (
            f"Pilot »{self.pilot_name}« (nr. {self.pilot_id}) kører: {GROUP_TEXT[self.group]} "
            f"får version {self.recorded_version}. Skal de beholde den eller skifte til "
            f"{self.new_version}?"
        )

    @property
    def options(self) -> dict[str, str]:
        return {
            KEEP: f"Behold {self.recorded_version}",
            SWITCH: f"Skift til {self.new_version}",
        }


def running_pilots(session: Session, form: str, today: dt.date) -> list[Pilot]:
    query = (
        select(Pilot)
        .options(selectinload(Pilot.municipalities))
        .where(Pilot.form == form, Pilot.start_date <= today, Pilot.end_date >= today)
        .order_by(Pilot.id)
    )
    return list(session.scalars(query))


def questions(session: Session, form: str, version: str, today: dt.date) -> list[PilotQuestion]:
    """One question per running pilot of ``form``, for the group ``version`` concerns."""
    group = PILOT if is_prerelease(version) else COMPARISON
    out = []
    for pilot in running_pilots(session, form, today):
        recorded = pilot.candidate_version if group == PILOT else pilot.comparison_version
        if recorded != version:
            out.append(PilotQuestion(pilot.id, pilot.name, group, recorded, version))
    return out


def unanswered(
    session: Session, form: str, version: str, today: dt.date, choices: Mapping[str, str]
) -> list[str]:
    """Danish reasons for each question without a valid answer in ``choices``."""
    reasons = []
    for question in questions(session, form, version, today):
        if choices.get(question.key) not in CHOICES:
            reasons.append(f"{question.text} Vælg, før versionen udgives.")
        elif choices[question.key] == SWITCH:
            pilot = session.get(Pilot, question.pilot_id)
            assert pilot is not None
            other = pilot.comparison_version if question.group == PILOT else pilot.candidate_version
            if other == version:
                reasons.append(
                    f"Pilot »{pilot.name}«: begge grupper ville få {version}; så er der intet at "
                    "sammenligne."
                )
    return reasons


def apply_choices(
    session: Session,
    actor: Actor,
    form: str,
    version: str,
    today: dt.date,
    choices: Mapping[str, str],
) -> list[PilotVersionChoice]:
    """Record the answers (the caller has checked ``unanswered``; the caller commits)."""
    rows = []
    for question in questions(session, form, version, today):
        choice = choices[question.key]
        pilot = session.get(Pilot, question.pilot_id)
        assert pilot is not None
        row = PilotVersionChoice(
            pilot_id=pilot.id,
            published_version=version,
            group=question.group,
            choice=choice,
            previous_version=question.recorded_version,
            decided_by_name=actor.name,
        )
        session.add(row)
        rows.append(row)
        if choice == SWITCH:
            if question.group == PILOT:
                pilot.candidate_version = version
            else:
                pilot.comparison_version = version
        audit.record(
            session,
            actor,
            "pilot.version_choice",
            details={
                "pilot_id": pilot.id,
                "form": form,
                "published_version": version,
                "group": question.group,
                "choice": choice,
                "previous_version": question.recorded_version,
            },
        )
    return rows


def comparison_pinned(session: Session, pilot: Pilot) -> bool:
    """Whether the editor has said what the comparison group gets (then it gets its recorded
    version, not whatever is in force)."""
    return (
        session.scalar(
            select(PilotVersionChoice.id)
            .where(PilotVersionChoice.pilot_id == pilot.id, PilotVersionChoice.group == COMPARISON)
            .limit(1)
        )
        is not None
    )


def choices_of(session: Session, pilot: Pilot) -> list[PilotVersionChoice]:
    query = (
        select(PilotVersionChoice)
        .where(PilotVersionChoice.pilot_id == pilot.id)
        .order_by(PilotVersionChoice.id)
    )
    return list(session.scalars(query))


class PilotPublishGuard:
    """The editor's publish hook (installed by ``forms_service.wiring``)."""

    def questions(
        self, session: Session, form: str, version: str, today: dt.date
    ) -> list[PilotQuestion]:
        return questions(session, form, version, today)

    def unanswered(
        self, session: Session, form: str, version: str, today: dt.date, choices: Mapping[str, str]
    ) -> list[str]:
        return unanswered(session, form, version, today, choices)

    def apply(
        self,
        session: Session,
        actor: Actor,
        form: str,
        version: str,
        today: dt.date,
        choices: Mapping[str, str],
    ) -> None:
        apply_choices(session, actor, form, version, today, choices)
