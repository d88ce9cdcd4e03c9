"""Ending a pilot: its open cases move to the chosen version (issue 7), service and CLI."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from forms_service.cases.audit import entries_for_case
from forms_service.cases.lifecycle import Status
from forms_service.cases.models import AuditEntry, Case, User
from forms_service.cases.service import CaseService
from forms_service.cases.users import actor_of
from forms_service.cases.version_move import MOVE_ACTION, recorded_answer_migration
from forms_service.cli import main
from forms_service.definitions.registry import Registry, definitions_root
from forms_service.pilots.ending import END_ACTION, end_pilot
from forms_service.pilots.models import Pilot
from forms_service.pilots.service import PilotError, PilotInput, create_pilot

ANSWERS = Path(__file__).parents[1] / "fixtures" / "answers"
# V1: the current line's newest version, which new cases outside a pilot get
V1, V2 = "1.2.0", "2.0.0-pilot.1"
FORM = "sagsoplysningsskema"
V2_TO_V1_LOST_PATHS = [
    "helbredsdokumenter[0].kilde_type",
    "helbredsdokumenter[0].dato",
    "helbredsdokumenter[0].konklusion",
    "helbredsdokumenter[1].kilde_type",
    "helbredsdokumenter[1].konklusion",
    "arbejdsevne_timer_pr_uge",
    "dokumentcheckliste",
]


def answers(name: str) -> dict[str, Any]:
    return json.loads((ANSWERS / name).read_text("utf-8"))


@pytest.fixture
def bundled() -> Registry:
    return Registry(definitions_root())


def _actor(db_session: Session, users: dict[str, User], name: str) -> Any:
    user = db_session.get(User, users[name].id)
    assert user is not None
    return actor_of(user)


def _history(
    db_session: Session, users: dict[str, User], registry: Registry, period: tuple[dt.date, dt.date]
) -> tuple[Pilot, dict[str, int]]:
    """A pilot in København and Ringsted, and cases in every situation the ending meets."""
    start, end = period
    pilot = create_pilot(
        db_session,
        _actor(db_session, users, "editor"),
        PilotInput(
            name="Forum-pilot",
            form=FORM,
            candidate_version=V2,
            comparison_version=V1,
            pilot_codes=(101, 329),
            start_date=start,
            end_date=end,
        ),
        registry,
    )
    during = start + (end - start) / 2

    def service(name: str) -> CaseService:
        return CaseService(
            db_session, _actor(db_session, users, name), registry=registry, today=lambda: end
        )

    def case(label: str, municipality: int) -> Case:
        return service("sp").create_case(
            case_number=f"SP-END-{label}",
            cpr="010160-1234",
            citizen_name="Karen Testesen",
            application_date=during,
            municipality_code=municipality,
            send_to_municipality=True,
            request_date=during,
        )

    drafted = case("DRAFT", 101)
    service("kbh").save_draft(
        drafted.id, answers("v2_complete.json"), base_revision=drafted.revision
    )
    empty = case("EMPTY", 329)
    submitted = case("SUBMITTED", 101)
    service("kbh").submit(
        submitted.id, answers("v2_complete.json"), base_revision=submitted.revision
    )
    returned = case("RETURNED", 101)
    service("kbh").submit(returned.id, answers("v2_complete.json"), base_revision=returned.revision)
    service("sp").transition(
        returned.id, Status.RETURNED, reason="Mangler lægeattest.", base_revision=returned.revision
    )
    other = case("OTHER", 766)  # not a pilot municipality: the current version
    ids = {
        "draft": drafted.id,
        "empty": empty.id,
        "submitted": submitted.id,
        "returned": returned.id,
        "other": other.id,
    }
    assert [db_session.get(Case, i).form_version for i in ids.values()] == [V2] * 4 + [V1]  # type: ignore[union-attr]
    return pilot, ids


PERIOD = (dt.date(2025, 6, 1), dt.date(2026, 2, 28))
AFTER = dt.date(2026, 3, 2)


def test_ending_moves_open_cases_and_reports_what_was_not_carried(
    db_session: Session, users: dict[str, User], bundled: Registry
) -> None:
    pilot, ids = _history(db_session, users, bundled, PERIOD)
    editor = _actor(db_session, users, "editor")
    result = end_pilot(db_session, pilot.id, V1, started_by=editor, registry=bundled, today=AFTER)

    by_number = {m.case_number: m for m in result.moved}
    assert sorted(by_number) == ["SP-END-DRAFT", "SP-END-EMPTY", "SP-END-RETURNED"]
    assert result.kept == 1 and result.failed == []
    assert [n.path for n in by_number["SP-END-DRAFT"].not_carried] == V2_TO_V1_LOST_PATHS
    assert [n.path for n in by_number["SP-END-RETURNED"].not_carried] == V2_TO_V1_LOST_PATHS
    assert by_number["SP-END-EMPTY"].not_carried == []
    assert by_number["SP-END-EMPTY"].draft_sequence is None

    db_session.expire_all()
    versions = {name: db_session.get(Case, i).form_version for name, i in ids.items()}  # type: ignore[union-attr]
    assert versions == {
        "draft": V1,
        "empty": V1,
        "submitted": V2,  # handed in: keeps the version it was judged under
        "returned": V1,
        "other": V1,
    }
    drafted = db_session.get(Case, ids["draft"])
    assert drafted is not None and drafted.status == Status.DRAFT_IN_PROGRESS
    notice = recorded_answer_migration(drafted, drafted.answer_sets[-1])
    assert notice is not None
    assert notice.not_carried[5].value == 10  # arbejdsevne_timer_pr_uge, read back

    moves = [e for e in entries_for_case(db_session, ids["draft"]) if e.action == MOVE_ACTION]
    assert len(moves) == 1
    assert moves[0].actor == "pilot-ending"
    assert moves[0].details["pilot_id"] == pilot.id
    assert moves[0].details["started_by"] == "editor"
    assert "Forum-pilot" in moves[0].details["reason"]
    assert not [e for e in entries_for_case(db_session, ids["other"]) if e.action == MOVE_ACTION]

    ended = db_session.scalars(select(AuditEntry).where(AuditEntry.action == END_ACTION)).all()
    assert len(ended) == 1 and ended[0].actor == "editor"
    assert ended[0].details["moved"] == [ids["draft"], ids["empty"], ids["returned"]]
    assert ended[0].details["not_carried"] == 14 and ended[0].details["kept"] == 1

    # idempotent: nothing left to move, nothing moved twice
    again = end_pilot(db_session, pilot.id, V1, started_by=editor, registry=bundled, today=AFTER)
    assert (again.moved, again.failed, again.kept) == ([], [], 1)
    assert (
        len([e for e in entries_for_case(db_session, ids["draft"]) if e.action == MOVE_ACTION]) == 1
    )
    drafted = db_session.get(Case, ids["draft"])
    assert drafted is not None and len(drafted.answer_sets) == 2


def test_ending_refuses_what_it_cannot_do(
    db_session: Session, users: dict[str, User], bundled: Registry
) -> None:
    pilot, ids = _history(db_session, users, bundled, PERIOD)
    editor = _actor(db_session, users, "editor")

    def end(version: str = V1, *, by: Any = editor, today: dt.date = AFTER, pid: int = 0) -> Any:
        return end_pilot(
            db_session, pid or pilot.id, version, started_by=by, registry=bundled, today=today
        )

    with pytest.raises(PilotError, match=r"løber til 28\.02\.2026") as raised:
        end(today=PERIOD[1])
    assert raised.value.status == 400
    with pytest.raises(PilotError, match="allerede pilotversionen"):
        end(V2)
    with pytest.raises(PilotError, match="ingen version 3"):
        end("3.0.0")
    for name in ("kbh", "analyst"):
        with pytest.raises(PilotError) as raised:
            end(by=_actor(db_session, users, name))
        assert raised.value.status == 403
    with pytest.raises(PilotError) as raised:
        end(pid=pilot.id + 100)
    assert raised.value.status == 404

    db_session.expire_all()
    assert db_session.get(Case, ids["draft"]).form_version == V2  # type: ignore[union-attr]
    assert not db_session.scalars(select(AuditEntry).where(AuditEntry.action == END_ACTION)).all()


def test_cli_ends_a_pilot_and_reports_per_case(
    db_url: str, db_session: Session, users: dict[str, User]
) -> None:
    from forms_service.definitions.registry import default_registry

    today = dt.date.today()
    pilot, ids = _history(
        db_session,
        users,
        default_registry(),  # what the command reads
        (today - dt.timedelta(days=200), today - dt.timedelta(days=10)),
    )
    runner = CliRunner()
    args = ["pilots", "end", str(pilot.id), "--move-to", V1, "--database-url", db_url]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "3 sager flyttet fra version 2.0.0-pilot.1 til 1.2.0; 1 indsendte" in result.output
    assert "SP-END-DRAFT: 7 svar ikke ført over:" in result.output
    assert (
        "    - helbredsdokumenter[0].kilde_type (Helbredsdokumenter, række 1: Dokumenttype): "
        "spørgsmålet findes ikke i sagsoplysningsskema@1.2.0"
    ) in result.output
    assert "SP-END-EMPTY: alle svar ført over." in result.output
    assert "Forudsagt før flytningen (3 åbne sager): 2 mister svar" in result.output
    assert "1508622402" not in result.output  # no answer values (a CPR) on the terminal

    db_session.expire_all()
    assert db_session.get(Case, ids["draft"]).form_version == V1  # type: ignore[union-attr]

    again = runner.invoke(main, args)
    assert again.exit_code == 0, again.output
    assert "0 sager flyttet" in again.output

    refused = runner.invoke(
        main, ["pilots", "end", str(pilot.id), "--move-to", V2, "--database-url", db_url]
    )
    assert refused.exit_code != 0 and "allerede pilotversionen" in refused.output
