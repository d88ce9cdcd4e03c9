"""Two years of simulated history for the status dashboard and the pilot comparison.

About 300 applications a week in all 98 municipalities (≈ 31,000 cases), each with its
status history and reporting facts, and a pilot of the case-information form's new version in
the five forum municipalities during the last year. The pilot version is built to work better
(more cases sufficiently informed at the first submission, fewer returns, a little faster), so
the comparison shows a clear difference.

Fast and deterministic: a seeded ``random.Random`` and bulk inserts (``reporting.bulk``), no
case service; the simulated cases carry no answers documents, only the facts the reports read.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, insert, select
from sqlalchemy.orm import Session

from forms_service.cases.effort import (
    FIELD_ERROR,
    FORM_OPENED,
    SECTION_TIME,
    SUBMIT_REFUSED,
    SUBMITTED,
)
from forms_service.cases.models import Case, EffortEvent
from forms_service.pilots.models import PILOT, Pilot, PilotMunicipality
from forms_service.reporting.bulk import SimCase, bulk_insert
from forms_service.reporting.models import (
    CRITERION_INSUFFICIENT,
    CRITERION_MISSING,
    FIELD_EMPTY,
    FIELD_FAILED,
    CaseMetrics,
)
from forms_service.seniorpension.deadlines import municipality_deadline
from forms_service.seniorpension.municipalities import (
    FORUM_MUNICIPALITY_CODES,
    all_municipalities,
)

FORM = "sagsoplysningsskema"
CURRENT = "1.0.0"
CANDIDATE = "2.0.0-pilot.1"
PILOT_NAME = "Forumpilot: sagsoplysningsskema 2.0"
PER_WEEK = 300
WEEKS = 104

# criterion → (fields that are typically empty, fields that typically fail a check)
CRITERIA: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "kriterie_1": (("ansaettelser", "atp_aar"), ("konkret_vurdering",)),
    "kriterie_2": (("arbejdsfunktioner", "seneste_job_titel"), ("seneste_job_fra",)),
    "kriterie_3": (("helbredsdokumenter", "ressourcer_udfordringer"), ("funktionsbeskrivelse",)),
    "kriterie_4": (("faglig_forklaring",), ("arbejdsevne_timer",)),
}
CRITERION_WEIGHTS = (0.2, 0.15, 0.4, 0.25)


@dataclass(frozen=True, slots=True)
class HistoryResult:
    cases: int
    pilot_id: int | None
    skipped: bool = False

    def summary(self) -> str:
        if self.skipped:
            return "Den simulerede historik findes allerede; intet ændret."
        return f"{self.cases} simulerede sager over to år og piloten »{PILOT_NAME}« oprettet."


def _weights(rng: random.Random) -> dict[int, float]:
    # Big municipalities get more applications; København most of all.
    weights = {m.code: rng.uniform(0.4, 2.2) for m in all_municipalities()}
    weights[101] = 9.0
    for code in (751, 851, 561, 461):  # Aarhus, Aalborg, Esbjerg, Odense
        weights[code] = 4.0
    return weights


def _cpr(rng: random.Random, sequence: int) -> str:
    born = dt.date(1958, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 8))
    return f"{born:%d%m%y}{sequence % 10000:04d}"


def _findings(rng: random.Random) -> list[tuple[str, str]]:
    chosen = set(rng.choices(list(CRITERIA), weights=CRITERION_WEIGHTS, k=rng.choice((1, 1, 2))))
    found: list[tuple[str, str]] = []
    for criterion in sorted(chosen):
        empty, failing = CRITERIA[criterion]
        if rng.random() < 0.6:
            found.append((CRITERION_MISSING, criterion))
            found.append((FIELD_EMPTY, rng.choice(empty)))
        else:
            found.append((CRITERION_INSUFFICIENT, criterion))
            found.append((FIELD_FAILED, rng.choice(failing)))
    return found


def simulate_case(
    rng: random.Random,
    sequence: int,
    code: int,
    applied: dt.date,
    today: dt.date,
    *,
    pilot_id: int | None,
) -> SimCase:
    in_pilot = pilot_id is not None
    known = rng.random() < 0.6
    case = SimCase(
        case_number=f"SIM-{applied.year}-{sequence:06d}",
        cpr=_cpr(rng, sequence),
        application_date=applied,
        municipality_code=code,
        form_version=CANDIDATE if in_pilot else CURRENT,
        status="received",
        citizen_name="Simuleret borger",
        pilot_id=pilot_id,
        assignment_note=(
            f"Pilot »{PILOT_NAME}«: pilotkommune, så nye sager får version {CANDIDATE}."
            if in_pilot
            else f"Gældende version {CURRENT}."
        ),
    )
    request = applied + dt.timedelta(days=rng.randint(2, 14))
    if request > today:
        return case
    case.request_date, case.status = request, "sent_to_municipality"
    drafts = rng.choice((0, 1, 1, 2, 3))
    # The pilot version's clearer guidance: a little faster, more often complete.
    mean_days = (48 if in_pilot else 58) + (0 if known else 12)
    submitted = request + dt.timedelta(days=max(5, int(rng.gauss(mean_days, 22))))
    abandoned = drafts and rng.random() < 0.04
    if abandoned or submitted > today:
        case.drafts = drafts
        if drafts:
            case.status = "draft_in_progress"
        if abandoned and municipality_deadline(request) + dt.timedelta(days=30) <= today:
            case.status, case.outcome = "decided", "withdrawn"
            case.decided_on = municipality_deadline(request) + dt.timedelta(days=30)
        return case
    case.drafts = drafts
    case.first_submitted_on = submitted
    case.known_citizen = known
    p_sufficient = (0.74 if in_pilot else 0.56) + (0.08 if known else -0.08)
    case.sufficient_at_submission = rng.random() < p_sufficient
    case.submissions = 1
    last = submitted
    if not case.sufficient_at_submission:
        case.findings = _findings(rng)
        case.returns = 1 if rng.random() < 0.85 else 0
        if case.returns and rng.random() < 0.2:
            case.returns = 2
        case.submissions += case.returns
        last = submitted + dt.timedelta(days=21 * case.returns)
    case.status = "submitted"
    if last > today:
        case.status = "returned"
        return case
    decided = last + dt.timedelta(days=rng.randint(7, 60))
    if decided > today:
        case.status = "sufficiently_informed" if rng.random() < 0.5 else "submitted"
        return case
    case.status = "decided"
    case.outcome = "granted" if rng.random() < 0.62 else "refused"
    case.decided_on = decided
    return case


def ensure_pilot(session: Session, today: dt.date) -> Pilot:
    """The demo's forum pilot, created once. ``seed_demo`` asks for it before it creates its
    cases, so a case of a pilot municipality applied for in the pilot's period gets the pilot
    version, as the pilot page says (a case made before the pilot existed said "ingen pilot for
    København" while the pilot page listed København)."""
    existing = session.scalar(select(Pilot).where(Pilot.name == PILOT_NAME))
    if existing is not None:
        return existing
    pilot = Pilot(
        name=PILOT_NAME,
        form=FORM,
        candidate_version=CANDIDATE,
        comparison_version=CURRENT,
        comparison_scope="all_others",
        start_date=today - dt.timedelta(weeks=52),
        end_date=today + dt.timedelta(weeks=13),
        description=(
            "Forummets pilot af den nye opdeling efter de fire kriterier i pensionslovens "
            "§ 26 c, stk. 1, med skarpere vejledning om helbredsoplysninger."
        ),
        created_by="demo",
    )
    pilot.municipalities = [
        PilotMunicipality(municipality_code=c, role=PILOT) for c in FORUM_MUNICIPALITY_CODES
    ]
    session.add(pilot)
    session.commit()
    return pilot


def seed_history(
    engine: Engine,
    *,
    today: dt.date | None = None,
    weeks: int = WEEKS,
    per_week: int = PER_WEEK,
    seed: int = 8,
    with_events: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> HistoryResult:
    """Seed the history once (a second call finds its simulated cases and does nothing).

    ``progress(weeks_done, weeks)`` is called as each simulated week is written, so a first
    start can say how far it is instead of being silent for minutes.
    """
    today = today or dt.date.today()
    with Session(engine) as session:
        if session.scalar(select(Case.id).where(Case.case_number.like("SIM-%")).limit(1)):
            return HistoryResult(0, None, skipped=True)
        pilot = ensure_pilot(session, today)
        pilot_id, pilot_start, pilot_end = pilot.id, pilot.start_date, pilot.end_date

    rng = random.Random(seed)
    weights = _weights(rng)
    codes = list(weights)
    code_weights = [weights[c] for c in codes]
    forum = set(FORUM_MUNICIPALITY_CODES)
    start = today - dt.timedelta(weeks=weeks)

    def cases():  # type: ignore[no-untyped-def]
        sequence = 0
        for week in range(weeks):
            monday = start + dt.timedelta(weeks=week)
            count = max(0, int(rng.gauss(per_week, 25)))
            for code in rng.choices(codes, weights=code_weights, k=count):
                applied = monday + dt.timedelta(days=rng.randrange(7))
                if applied > today:
                    continue
                sequence += 1
                piloted = code in forum and pilot_start <= applied <= pilot_end
                yield simulate_case(
                    rng, sequence, code, applied, today, pilot_id=pilot_id if piloted else None
                )
            if progress is not None:
                progress(week + 1, weeks)

    with engine.begin() as connection:
        count = bulk_insert(connection, cases(), with_events=with_events)
        # a generator of its own: the cases above stay what this seed always gave
        seed_effort(connection, random.Random(seed + 1))
    return HistoryResult(count, pilot_id)


EFFORT_FIELDS = (
    "atp_aar",
    "seneste_job_fra",
    "seneste_job_til",
    "arbejdsevne_timer",
    "ansaettelser",
)


# the section each field above is in: the 1.x versions' and the pilot's (by major version)
EFFORT_SECTIONS: dict[str, dict[str, str]] = {
    "1": {
        "atp_aar": "tilknytning",
        "ansaettelser": "tilknytning",
        "seneste_job_fra": "seneste_job",
        "seneste_job_til": "seneste_job",
        "arbejdsevne_timer": "arbejdsevne",
    },
    "2": {
        "atp_aar": "kriterie_1",
        "ansaettelser": "kriterie_1",
        "seneste_job_fra": "kriterie_2",
        "seneste_job_til": "kriterie_2",
        "arbejdsevne_timer": "kriterie_4",
    },
}
# each section's share of the time in the form (the criteria sections take the most)
SECTION_WEIGHTS: dict[str, dict[str, float]] = {
    "1": {"sagen": 0.03, "borgeren": 0.05, "tilknytning": 0.2, "seneste_job": 0.17,
          "ressourcer": 0.22, "arbejdsevne": 0.18, "udtaleret": 0.1, "kontakt": 0.05},
    "2": {"sagen": 0.03, "borgeren": 0.05, "kriterie_1": 0.2, "kriterie_2": 0.17,
          "kriterie_3": 0.27, "kriterie_4": 0.23, "kontakt": 0.05},
}  # fmt: skip
# the share of cases whose section times the browser measured (JavaScript on, forms.js sent)
MEASURED_SHARE = 0.3


def seed_effort(connection: Connection, rng: random.Random) -> int:
    """Plausible effort of the simulated submissions (no personal data): the form first opened
    some minutes before the first submission, the pilot version a little quicker and refused
    less often; a refusal names one to three fields and their sections; for some cases the
    seconds each section held the focus."""
    query = (
        select(Case.id, Case.form, Case.form_version, CaseMetrics.first_submitted_on)
        .join(CaseMetrics, CaseMetrics.case_id == Case.id)
        .where(Case.case_number.like("SIM-%"), CaseMetrics.first_submitted_on.is_not(None))
        .order_by(Case.id)
    )
    rows: list[dict[str, object]] = []
    for case_id, form, version, day in connection.execute(query):
        pilot = version == CANDIDATE
        sent = dt.datetime.combine(day, dt.time(11), tzinfo=dt.UTC) + dt.timedelta(
            minutes=rng.randrange(0, 300)
        )
        minutes = max(8, int(rng.gauss(38 if pilot else 52, 14)))
        opened = sent - dt.timedelta(minutes=minutes)
        # every row the same keys: one executemany
        base = {"case_id": case_id, "form": form, "form_version": version, "section_id": None,
                "seconds": None}  # fmt: skip
        rows.append({**base, "kind": FORM_OPENED, "field_id": None, "at": opened})
        if rng.random() < (0.22 if pilot else 0.35):
            at = opened + dt.timedelta(minutes=rng.randrange(1, minutes))
            rows.append({**base, "kind": SUBMIT_REFUSED, "field_id": None, "at": at})
            sections = EFFORT_SECTIONS[version.split(".", 1)[0]]
            for field_id in rng.sample(EFFORT_FIELDS, rng.choice((1, 1, 2, 3))):
                rows.append(
                    {**base, "kind": FIELD_ERROR, "field_id": field_id,
                     "section_id": sections[field_id], "at": at}
                )  # fmt: skip
        if rng.random() < MEASURED_SHARE:
            rows += _section_times(base, version, minutes, sent, rng)
        rows.append({**base, "kind": SUBMITTED, "field_id": None, "at": sent})
    for start in range(0, len(rows), 5000):
        connection.execute(insert(EffortEvent.__table__), rows[start : start + 5000])
    return len(rows)


def _section_times(
    base: dict[str, object], version: str, minutes: int, sent: dt.datetime, rng: random.Random
) -> list[dict[str, object]]:
    """One event per section: most of the minutes the form was open, split by the weights."""
    focused = 60 * minutes * rng.uniform(0.6, 0.9)
    return [
        {**base, "kind": SECTION_TIME, "field_id": None, "section_id": section_id,
         "seconds": max(1, min(3600, int(focused * weight * rng.uniform(0.7, 1.3)))),
         "at": sent}
        for section_id, weight in SECTION_WEIGHTS[version.split(".", 1)[0]].items()
    ]  # fmt: skip
