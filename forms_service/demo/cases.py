"""A demo installation: municipalities, a user of every role and cases in every state.

Cases are replayed through the real ``CaseService`` with a simulated clock, so their events,
answers, deadlines and audit entries look like history: an application, Seniorpension's request
some days later, the municipality's drafts and submission, sometimes a return for more
information, then "sufficiently informed" and a decision. The random seed is fixed, so the same
parameters give the same demo.

``seed_demo(session, weeks=..., cases_per_week=..., municipalities=...)`` is the entry point; a
longer history (e.g. two years for the statistics) is a matter of the parameters.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from forms_service.cases.errors import AnswersInvalidError, CaseError
from forms_service.cases.form_versions import DefinitionSource
from forms_service.cases.lifecycle import Outcome, Status
from forms_service.cases.models import Case, User
from forms_service.cases.roles import Actor, Role
from forms_service.cases.service import CaseService
from forms_service.cases.users import actor_of, create_user, hash_password
from forms_service.seniorpension.municipalities import (
    FORUM_MUNICIPALITY_CODES,
    municipality_by_code,
)

# The five forum municipalities plus a handful of others of different size and region.
DEMO_MUNICIPALITIES: tuple[int, ...] = (*FORUM_MUNICIPALITY_CODES, 147, 751, 851, 461, 157)


@dataclass(frozen=True, slots=True)
class DemoUser:
    username: str
    role: Role
    display_name: str
    password: str
    municipality_code: int | None = None


# Demo passwords are printed on purpose: this is a demo installation, never production.
DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("kbh", Role.MUNICIPAL_CASEWORKER, "Mette Holm (København)", "demo-kbh-2026", 101),
    DemoUser(
        "ringsted", Role.MUNICIPAL_CASEWORKER, "Lars Bech (Ringsted)", "demo-ringsted-2026", 329
    ),
    DemoUser(
        "hedensted", Role.MUNICIPAL_CASEWORKER, "Anne Dahl (Hedensted)", "demo-hedensted-2026", 766
    ),
    DemoUser("esbjerg", Role.MUNICIPAL_CASEWORKER, "Ole Friis (Esbjerg)", "demo-esbjerg-2026", 561),
    DemoUser(
        "bronderslev",
        Role.MUNICIPAL_CASEWORKER,
        "Sanne Krogh (Brønderslev)",
        "demo-bronderslev-2026",
        810,
    ),
    DemoUser("sp", Role.SENIORPENSION_CASEWORKER, "Karen Vinther (Seniorpension)", "demo-sp-2026"),
    DemoUser("redaktoer", Role.FORM_EDITOR, "Jonas Berg (skemaredaktør)", "demo-redaktoer-2026"),
    DemoUser("analytiker", Role.ANALYST, "Ida Lund (analytiker)", "demo-analytiker-2026"),
    DemoUser(
        "kommunikation",
        Role.COMMUNICATIONS,
        "Maja Dahl (kommunikation)",
        "demo-kommunikation-2026",
    ),
    DemoUser("admin", Role.ADMIN, "Administrator", "demo-admin-2026"),
)

_FIRST = [
    "Anne",
    "Birgit",
    "Bente",
    "Hanne",
    "Lone",
    "Susanne",
    "Jette",
    "Kirsten",
    "Jens",
    "Peter",
    "Lars",
    "Henrik",
    "Søren",
    "Niels",
    "Michael",
    "Ole",
]
_LAST = [
    "Jensen",
    "Nielsen",
    "Hansen",
    "Pedersen",
    "Andersen",
    "Christensen",
    "Larsen",
    "Sørensen",
    "Rasmussen",
    "Jørgensen",
    "Petersen",
    "Madsen",
]


@dataclass
class DemoResult:
    users: list[DemoUser] = field(default_factory=list)
    cases: int = 0
    by_status: dict[str, int] = field(default_factory=dict)


def seed_demo(
    session: Session,
    *,
    weeks: int = 26,
    cases_per_week: int = 12,
    municipalities: Sequence[int] = DEMO_MUNICIPALITIES,
    today: dt.date | None = None,
    seed: int = 2026,
    registry: DefinitionSource | None = None,
    users: Sequence[DemoUser] = DEMO_USERS,
) -> DemoResult:
    """Create the demo users (if missing) and ``weeks * cases_per_week`` cases up to ``today``."""
    today = today or dt.date.today()
    rng = random.Random(seed)
    result = DemoResult()
    result.users = _ensure_users(session, users)
    sp = _actor(session, "sp")
    municipal = {
        u.municipality_code: _actor(session, u.username)
        for u in users
        if u.role is Role.MUNICIPAL_CASEWORKER
    }
    # Municipalities without a demo user still get cases; a stand-in caseworker answers them.
    for code in municipalities:
        if code not in municipal:
            name = f"demo-{code}"
            if session.scalar(select(User.id).where(User.username == name)) is None:
                create_user(
                    session,
                    name,
                    role=Role.MUNICIPAL_CASEWORKER,
                    password_hash=_UNUSABLE,
                    display_name=f"Sagsbehandler, {municipality_by_code(code).name}",
                    municipality_code=code,
                )
                session.commit()
            municipal[code] = _actor(session, name)

    # the forum pilot first: a case of a pilot municipality in the pilot's period gets its
    # version, as the pilot page (and the history seeded after these cases) says
    from forms_service.demo.history import ensure_pilot

    ensure_pilot(session, today)
    start = today - dt.timedelta(weeks=weeks)
    sequence = (session.scalar(select(func.count()).select_from(Case)) or 0) + 1
    weights = [
        4 if code == 101 else 2 if code in FORUM_MUNICIPALITY_CODES else 1
        for code in municipalities
    ]
    for week in range(weeks):
        for _ in range(cases_per_week):
            application = start + dt.timedelta(days=7 * week + rng.randrange(7))
            if application > today:
                continue
            code = rng.choices(list(municipalities), weights)[0]
            status = _replay_case(
                session, rng, sp, municipal[code], code, application, today, sequence, registry
            )
            result.by_status[status] = result.by_status.get(status, 0) + 1
            result.cases += 1
            sequence += 1
    return result


_UNUSABLE = "!"  # not a werkzeug hash: nobody can log in as a stand-in user


def _ensure_users(session: Session, users: Sequence[DemoUser]) -> list[DemoUser]:
    for user in users:
        if session.scalar(select(User.id).where(User.username == user.username)) is None:
            create_user(
                session,
                user.username,
                role=user.role,
                password_hash=hash_password(user.password),
                display_name=user.display_name,
                municipality_code=user.municipality_code,
            )
    session.commit()
    return list(users)


def _actor(session: Session, username: str) -> Actor:
    user = session.scalar(select(User).where(User.username == username))
    assert user is not None
    return actor_of(user)


def _moment(day: dt.date, rng: random.Random) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(8 + rng.randrange(8), rng.randrange(60)), dt.UTC)


def _cpr(rng: random.Random, application: dt.date) -> str:
    # Applicants are some years below the state pension age: born 1958-1966.
    born = dt.date(1958, 1, 1) + dt.timedelta(days=rng.randrange(9 * 365))
    serial = f"{rng.randrange(4)}{rng.randrange(1000):03d}"  # 7th digit 0-3: born 1900-1999
    return f"{born:%d%m%y}{serial}"


def _answers(version: str) -> dict[str, Any]:
    text = resources.files("forms_service.demo").joinpath(f"answers/{version}.json")
    if not text.is_file():
        text = resources.files("forms_service.demo").joinpath("answers/1.0.0.json")
    return json.loads(text.read_text("utf-8"))  # type: ignore[no-any-return]


@dataclass
class _Replay:
    """The simulated clock of one case and the services that act at its moment."""

    session: Session
    rng: random.Random
    registry: DefinitionSource | None
    today: dt.date
    day: dt.date

    def service(self, actor: Actor) -> CaseService:
        return CaseService(
            self.session,
            actor,
            registry=self.registry,
            today=lambda: min(self.day, self.today),
            now=lambda: _moment(min(self.day, self.today), self.rng),
        )

    def advance(self, low: int, high: int) -> bool:
        """Move the clock; False when that would pass today (the case stops here)."""
        day = self.day + dt.timedelta(days=self.rng.randint(low, high))
        if day > self.today:
            return False
        self.day = day
        return True


def _replay_case(
    session: Session,
    rng: random.Random,
    sp: Actor,
    municipal: Actor,
    code: int,
    application: dt.date,
    today: dt.date,
    number: int,
    registry: DefinitionSource | None,
) -> str:
    replay = _Replay(
        session, rng, registry, today, day=application + dt.timedelta(days=rng.randrange(3))
    )
    name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
    cpr = _cpr(rng, application)
    case = replay.service(sp).create_case(
        case_number=f"SP-{application.year}-{number:06d}",
        cpr=cpr,
        citizen_name=name,
        application_date=application,
        municipality_code=code,
    )
    if not replay.advance(2, 12):
        return case.status
    case = replay.service(sp).transition(case.id, Status.SENT_TO_MUNICIPALITY)
    if rng.random() < 0.03 and replay.advance(1, 30):
        return _withdraw(replay.service(sp), case.id)

    answers = _personal_answers(case, name, cpr, code)
    partial = {k: answers[k] for k in list(answers)[: len(answers) // 3]}
    if not replay.advance(3, 25):
        return case.status
    revision = replay.service(municipal).save_draft(case.id, partial, base_revision=case.revision)
    if not replay.advance(5, 40):
        return Status.DRAFT_IN_PROGRESS.value

    stopped = _submit_rounds(replay, sp, municipal, case.id, answers, revision.case_revision)
    if stopped is not None:
        return stopped
    return _decide(replay, sp, case.id)


_RETURN_REASONS = [
    "Helbredsoplysninger fra egen læge mangler.",
    "Beskrivelsen af arbejdsfunktionerne i seneste job er for kort.",
    "Dokumentation for beskæftigelse før 2005 mangler.",
]


def _submit_rounds(
    replay: _Replay,
    sp: Actor,
    municipal: Actor,
    case_id: int,
    answers: dict[str, Any],
    revision_no: int,
) -> str | None:
    """Submit, sometimes returned once for more information and submitted again.

    The status the case stops at, or None when its submission stands and it goes on.
    """
    rng = replay.rng
    rounds = 0
    while True:
        answers["partshoering_dato"] = (replay.day - dt.timedelta(days=3)).isoformat()
        try:
            submitted = replay.service(municipal).submit(
                case_id, answers, base_revision=revision_no
            )
        except AnswersInvalidError:
            # A demo answer set that does not fit the assigned version stays a draft.
            return Status.DRAFT_IN_PROGRESS.value
        revision_no = submitted.case_revision
        if not replay.advance(2, 20):
            return Status.SUBMITTED.value
        if rounds == 0 and rng.random() < 0.2:
            rounds += 1
            case = replay.service(sp).transition(
                case_id, Status.RETURNED, reason=rng.choice(_RETURN_REASONS)
            )
            revision_no = case.revision
            if not replay.advance(5, 30):
                return Status.RETURNED.value
            answers["borgers_bemaerkninger"] = "Supplerende oplysninger er indhentet."
            continue
        return None


def _decide(replay: _Replay, sp: Actor, case_id: int) -> str:
    case = replay.service(sp).transition(case_id, Status.SUFFICIENTLY_INFORMED)
    if not replay.advance(5, 45):
        return case.status
    outcome = replay.rng.choices(
        [Outcome.GRANTED, Outcome.REFUSED, Outcome.WITHDRAWN], weights=[70, 25, 5]
    )[0]
    replay.service(sp).transition(
        case_id,
        Status.DECIDED,
        outcome=outcome,
        reason="Ansøgningen er trukket tilbage." if outcome is Outcome.WITHDRAWN else None,
    )
    return f"decided:{outcome.value}"


def _withdraw(service: CaseService, case_id: int) -> str:
    try:
        service.transition(
            case_id,
            Status.DECIDED,
            outcome=Outcome.WITHDRAWN,
            reason="Borgeren har trukket ansøgningen.",
        )
    except CaseError:
        return Status.SENT_TO_MUNICIPALITY.value
    return "decided:withdrawn"


def _personal_answers(case: Case, name: str, cpr: str, code: int) -> dict[str, Any]:
    answers = copy.deepcopy(_answers(case.form_version))
    municipality = municipality_by_code(code)
    answers.update(
        {
            "sagsnummer": case.case_number,
            "ansoegningsdato": case.application_date.isoformat(),
            "anmodningsdato": case.request_date.isoformat() if case.request_date else None,
            "cpr": cpr,
            "navn": name,
            "kommune": f"{municipality.name} Kommune",
        }
    )
    return answers
