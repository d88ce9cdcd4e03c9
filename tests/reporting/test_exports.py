"""Exports of answers and findings across versions: one column per field lineage (issue 19)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from click.testing import CliRunner
from sqlalchemy.orm import Session

from forms_service.cases.models import AnswerSet, User
from forms_service.cases.service import CaseService
from forms_service.cases.users import actor_of
from forms_service.cli import main
from forms_service.definitions.registry import (
    Registry,
    definitions_root,
)
from forms_service.reporting.exports import export_answers, export_findings
from forms_service.reporting.models import FIELD_EMPTY, CaseFinding

FORM = "sagsoplysningsskema"
HOURS = {"1.0.0": "arbejdsevne_timer", "1.2.0": "arbejdsevne_timer"}
HOURS |= {"2.0.0-pilot.1": "arbejdsevne_timer_pr_uge", "2.0.0-pilot.3": "arbejdsevne_timer_pr_uge"}


def _cases(session: Session, users: dict[str, User]) -> dict[str, int]:
    """One case per version, each with a stored answer set naming the hours its own way."""
    registry = Registry(definitions_root())
    sp = session.get(User, users["sp"].id)
    assert sp is not None
    service = CaseService(session, actor_of(sp), registry=registry)
    ids = {}
    for n, (version, field_id) in enumerate(HOURS.items()):
        case = service.create_case(
            case_number=f"SP-EXP-{n}",
            cpr="010160-1234",
            citizen_name="Karen Testesen",
            application_date=dt.date(2026, 3, 1) + dt.timedelta(days=n),
            municipality_code=101,
        )
        case.form_version = version
        session.add(
            AnswerSet(
                case_id=case.id,
                sequence=1,
                kind="submission",
                form=FORM,
                version=version,
                content_hash="0" * 64,
                answers={"cpr": "0101601234", "sagsnummer": f"SP-EXP-{n}", field_id: 20 + n},
                case_revision=case.revision,
                created_by_name="Test",
            )
        )
        session.add(CaseFinding(case_id=case.id, kind=FIELD_EMPTY, ref=field_id))
        ids[version] = case.id
    session.commit()
    return ids


def test_answers_of_four_versions_share_the_column_of_a_renamed_field(
    db_session: Session, users: dict[str, User]
) -> None:
    ids = _cases(db_session, users)
    export = export_answers(db_session, Registry(definitions_root()), FORM)
    assert "arbejdsevne_timer" in export.columns
    assert "arbejdsevne_timer_pr_uge" not in export.columns
    assert "cpr" not in export.columns  # no CPR number leaves through an export
    by_version = {row["form_version"]: row for row in export.rows}
    assert {v: by_version[v]["arbejdsevne_timer"] for v in HOURS} == {
        "1.0.0": 20,
        "1.2.0": 21,
        "2.0.0-pilot.1": 22,
        "2.0.0-pilot.3": 23,
    }
    assert by_version["2.0.0-pilot.3"]["case_id"] == ids["2.0.0-pilot.3"]
    parsed = list(csv.DictReader(io.StringIO(export.to_csv())))
    assert [r["arbejdsevne_timer"] for r in parsed] == ["20", "21", "22", "23"]
    assert "0101601234" not in export.to_csv() and "0101601234" not in export.to_json()
    only_pilot = export_answers(db_session, Registry(definitions_root()), FORM, ["2.0.0-pilot.1"])
    assert [r["form_version"] for r in only_pilot.rows] == ["2.0.0-pilot.1"]


def test_findings_carry_the_lineage_beside_their_own_field_id(
    db_session: Session, users: dict[str, User]
) -> None:
    _cases(db_session, users)
    export = export_findings(db_session, Registry(definitions_root()), FORM)
    pairs = {(r["form_version"], r["ref"], r["lineage_ref"]) for r in export.rows}
    assert ("2.0.0-pilot.3", "arbejdsevne_timer_pr_uge", "arbejdsevne_timer") in pairs
    assert ("1.0.0", "arbejdsevne_timer", "arbejdsevne_timer") in pairs


def test_the_export_command(db_url: str, db_session: Session, users: dict[str, User]) -> None:
    _cases(db_session, users)
    result = CliRunner().invoke(
        main, ["reporting", "export", "answers", "--format", "json", "--database-url", db_url]
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["rows"]
    assert sorted(r["arbejdsevne_timer"] for r in rows) == [20, 21, 22, 23]
    csv_result = CliRunner().invoke(
        main, ["reporting", "export", "findings", "--database-url", db_url]
    )
    assert csv_result.stdout.splitlines()[0] == "case_id,form_version,kind,ref,lineage_ref"
