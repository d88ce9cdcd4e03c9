"""Cases with a history at chosen dates, built through the real case service.

``history(person, decided=…, outcome=…)`` creates a case for one of the people in
``fixtures/people.json``, saves a draft, submits, marks it informed and decides it, each step
at the time given, so retention's limits can be tested on the day and the day after.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from forms_service.cases.lifecycle import Status
from forms_service.cases.models import Case, User
from forms_service.cases.service import CaseService
from forms_service.cases.users import actor_of
from forms_service.definitions.registry import Registry

HERE = Path(__file__).parent
CASE_FIXTURES = HERE.parent / "cases" / "fixtures"
PEOPLE: dict[str, Any] = json.loads((HERE / "fixtures" / "people.json").read_text("utf-8"))


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)


@pytest.fixture
def case_registry() -> Registry:
    return Registry(CASE_FIXTURES / "definitions")


def _answers(name: str) -> dict[str, Any]:
    return json.loads((CASE_FIXTURES / name).read_text("utf-8"))


@pytest.fixture
def history(
    db_session: Session, users: dict[str, User], case_registry: Registry
) -> Callable[..., Case]:
    numbers = itertools.count(1)

    def service(username: str, moment: dt.datetime) -> CaseService:
        user = db_session.get(User, users[username].id)
        assert user is not None
        return CaseService(
            db_session,
            actor_of(user),
            registry=case_registry,
            today=lambda: moment.date(),
            now=lambda: moment,
        )

    def make(
        person: str = "anna",
        *,
        applied: dt.date = dt.date(2019, 1, 10),
        drafted: dt.date | None = None,
        submitted: dt.date | None = None,
        decided: dt.date | None = None,
        outcome: str = "granted",
    ) -> Case:
        who = PEOPLE[person]
        sp = service("sp", at(applied))
        case = sp.create_case(
            case_number=f"SP-RET-{next(numbers):05d}",
            cpr=who["cpr"],
            citizen_name=who["citizen_name"],
            application_date=applied,
            municipality_code=who["municipality_code"],
            send_to_municipality=True,
        )
        revision = case.revision
        if drafted is not None:
            draft = service("kbh", at(drafted)).save_draft(
                case.id,
                _answers("answers_draft.json") | {"beskrivelse": PEOPLE["health_sentence"]},
                base_revision=revision,
            )
            revision = draft.case_revision
        if submitted is not None:
            answers = _answers("answers_complete.json") | {"beskrivelse": PEOPLE["health_sentence"]}
            submission = service("kbh", at(submitted)).submit(
                case.id, answers, base_revision=revision
            )
            revision = submission.case_revision
        if decided is not None:
            sp = service("sp", at(decided))
            if outcome == "withdrawn":
                sp.transition(
                    case.id, Status.DECIDED, outcome="withdrawn", reason="Borgeren trak ansøgningen"
                )
            else:
                sp.transition(case.id, Status.SUFFICIENTLY_INFORMED)
                sp.transition(case.id, Status.DECIDED, outcome=outcome, reason="Afgjort.")
        db_session.expire_all()
        found = db_session.get(Case, case.id)
        assert found is not None
        return found

    return make


@pytest.fixture
def attach(db_session: Session, db_engine: Any) -> Callable[..., str]:
    """``attach(case, content, filename)``: an uploaded health document on the case, its bytes
    in the database store (one copy when two cases share the file). Returns its sha256."""
    import hashlib
    import io

    from forms_service.attachments.models import AttachmentRow
    from forms_service.attachments.store import DatabaseStore

    store = DatabaseStore(db_engine)

    def make(case: Case, content: bytes, filename: str = "speciallæge.pdf") -> str:
        sha = hashlib.sha256(content).hexdigest()
        if not store.exists(db_session, sha):
            store.write(db_session, sha, io.BytesIO(content), len(content))
        db_session.add(
            AttachmentRow(
                case_id=case.id,
                path="helbredsdokumenter[0].dokument",
                filename=filename,
                content_type="application/pdf",
                size=len(content),
                sha256=sha,
                scan_status="not_scanned",
                uploaded_by_name="Test kbh",
            )
        )
        db_session.commit()
        return sha

    return make
