"""The impact of a publish on the open cases of its line (issue 19), checked against what
moving the cases to the published version really does; a publish with impact waits for the
editor's acknowledgement, which is recorded with the change note."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy.orm import Session

from forms_service.answers import evaluate
from forms_service.answers.validate import validate_evaluation
from forms_service.cases.models import Case, User
from forms_service.cases.service import CaseService
from forms_service.cases.users import actor_of
from forms_service.completeness import evaluate_completeness_for
from forms_service.definitions.registry import Registry
from forms_service.editor.commands import editor as editor_cli
from forms_service.editor.errors import PublishRefusedError
from forms_service.editor.impact import compute_impact
from forms_service.editor.service import EditorService, definition_text

ANSWERS = Path(__file__).parents[1] / "fixtures" / "answers"
TODAY = dt.date(2026, 3, 2)
FORM = "sagsoplysningsskema"
FIXTURES = ("v1_complete.json", "v1_minimal_draft.json", "v1_selvstaendig.json")


def _service(db_session: Session, users: dict[str, User], registry: Registry, name: str) -> Any:
    user = db_session.get(User, users[name].id)
    assert user is not None
    if name == "editor":
        return EditorService(db_session, actor_of(user), registry, today=lambda: TODAY)
    return CaseService(db_session, actor_of(user), registry=registry, today=lambda: TODAY)


@pytest.fixture
def open_cases(db_session: Session, users: dict[str, User], registry: Registry) -> list[Case]:
    sp = _service(db_session, users, registry, "sp")
    cases = []
    for number, (fixture, municipality) in enumerate(
        [*((f, 101) for f in FIXTURES), ("v1_complete.json", 329)]
    ):
        case = sp.create_case(
            case_number=f"SP-IMPACT-{number:03d}",
            cpr="010160-1234",
            citizen_name="Karen Testesen",
            application_date=dt.date(2026, 1, 15),
            municipality_code=municipality,
            send_to_municipality=True,
            request_date=dt.date(2026, 2, 1),
        )
        worker = _service(db_session, users, registry, "kbh" if municipality == 101 else "ringsted")
        answers = json.loads((ANSWERS / fixture).read_text("utf-8"))
        worker.save_draft(case.id, answers, base_revision=case.revision)
        cases.append(case)
    # a case without answers is open too
    cases.append(
        sp.create_case(
            case_number="SP-IMPACT-900",
            cpr="010160-1234",
            citizen_name="Karen Testesen",
            application_date=dt.date(2026, 1, 15),
            municipality_code=101,
            send_to_municipality=True,
            request_date=dt.date(2026, 2, 1),
        )
    )
    return cases


def _changed(text: str) -> str:
    """Drop 'hjaelpemidler', add a required question that criterion 4 requires."""
    data = json.loads(text)
    for section in data["sections"]:
        ids = [f["id"] for f in section["fields"]]
        if "hjaelpemidler" in ids:
            section["fields"] = [f for f in section["fields"] if f["id"] != "hjaelpemidler"]
            section["fields"].append(
                {"id": "ny_oplysning", "type": "text", "label": "Ny oplysning", "required": True}
            )
    criterion = next(c for c in data["completeness"] if c["id"] == "kriterie_4")
    criterion["requires"] = [*criterion.get("requires", []), "ny_oplysning"]
    return definition_text(data)


def _statuses(evaluation: Any) -> dict[str, str]:
    report = evaluate_completeness_for(evaluation)
    return {item.id: item.status.value for item in (*report.criteria, *report.conditions)}


def _required(evaluation: Any) -> set[str]:
    return {
        p.path
        for p in validate_evaluation(evaluation, complete=True).problems
        if p.code in ("required", "min_rows")
    }


def test_the_impact_report_predicts_what_moving_the_cases_does(
    db_session: Session, users: dict[str, User], registry: Registry, open_cases: list[Case]
) -> None:
    version = open_cases[0].form_version
    editor = _service(db_session, users, registry, "editor")
    draft = editor.start_draft(FORM, version)
    editor.save_draft(draft.id, _changed(draft.content_text), base_revision=1)

    impact = editor.review(draft.id).impact
    assert impact is not None
    assert impact.checked == len(open_cases)
    predicted = {a.case.case_id: a.impact for a in impact.affected}
    assert set(predicted) == {c.id for c in open_cases}  # every case gains the question
    assert impact.losing_answers >= 1 and impact.changing_status >= 1
    # a municipality sees only its own cases
    kbh = compute_impact(
        db_session, registry, editor.state(draft).definition, today=TODAY, municipality_code=101
    )
    assert {a.case.municipality_code for a in kbh.affected} == {101}
    assert kbh.checked == len(open_cases) - 1

    # without the acknowledgement the publish is refused, and nothing is published
    with pytest.raises(PublishRefusedError) as refused:
        editor.publish(draft.id, note="Nyt spørgsmål", base_revision=2)
    assert any("Bekræft, at du har set virkningen" in r for r in refused.value.reasons)
    row = editor.publish(draft.id, note="Nyt spørgsmål", base_revision=2, acknowledge_impact=True)
    assert row.impact is not None
    assert row.impact["acknowledged"] is True
    assert row.impact["affected"] == len(open_cases)
    assert sorted(row.impact["case_numbers"]) == sorted(c.case_number for c in open_cases)

    # move every case for real: the report said what each move does
    sp = _service(db_session, users, registry, "sp")
    new_def = registry.get(FORM, draft.version)
    for case in open_cases:
        db_session.refresh(case)
        before = case.answer_sets[-1] if case.answer_sets else None
        old_def = registry.get(FORM, before.version if before else case.form_version)
        old_answers = dict(before.answers) if before else {}
        move = sp.move_to_version(
            case.id, draft.version, reason="Ny version udgivet.", base_revision=case.revision
        )
        expected = predicted[case.id]
        assert [n.path for n in move.not_carried] == [n.path for n in expected.lost], case
        db_session.expire_all()
        moved = db_session.get(Case, case.id)
        assert moved is not None and moved.form_version == draft.version
        new_answers = dict(moved.answer_sets[-1].answers) if moved.answer_sets else {}
        old_eval = evaluate(old_def, old_answers, today=TODAY)
        new_eval = evaluate(new_def, new_answers, today=TODAY)
        assert sorted(_required(new_eval) - _required(old_eval)) == sorted(expected.new_required)
        old_statuses, new_statuses = _statuses(old_eval), _statuses(new_eval)
        assert {c.id: (c.before, c.after) for c in expected.changes} == {
            key: (old_statuses.get(key), new_statuses.get(key))
            for key in {*old_statuses, *new_statuses}
            if old_statuses.get(key) != new_statuses.get(key)
        }
    assert "hjaelpemidler" in {n.path for a in impact.affected for n in a.impact.lost}


def test_a_draft_without_impact_publishes_without_acknowledgement(
    db_session: Session, users: dict[str, User], registry: Registry, open_cases: list[Case]
) -> None:
    editor = _service(db_session, users, registry, "editor")
    draft = editor.start_draft(FORM, open_cases[0].form_version)
    data = json.loads(draft.content_text)
    data["sections"][0]["fields"][0]["label"] += " (hos Seniorpension)"
    editor.save_draft(draft.id, definition_text(data), base_revision=1)
    impact = editor.review(draft.id).impact
    assert impact is not None and impact.checked == len(open_cases)
    assert not impact.has_impact
    row = editor.publish(draft.id, note="Tydeligere tekst", base_revision=2)
    assert row.impact is None


def test_the_cli_lists_the_affected_cases(
    db_session: Session,
    users: dict[str, User],
    registry: Registry,
    open_cases: list[Case],
    db_url: str,
) -> None:
    editor = _service(db_session, users, registry, "editor")
    draft = editor.start_draft(FORM, open_cases[0].form_version)
    editor.save_draft(draft.id, _changed(draft.content_text), base_revision=1)
    db_session.commit()
    runner = CliRunner()
    result = runner.invoke(editor_cli, ["impact", str(draft.id), "--database-url", db_url])
    assert result.exit_code == 0, result.output
    assert f"{len(open_cases)} åbne sager" in result.output
    assert f"{len(open_cases)} påvirkes" in result.output
    assert "SP-IMPACT-000" in result.output and "mister hjaelpemidler" in result.output
    as_json = runner.invoke(
        editor_cli, ["impact", str(draft.id), "--json", "--database-url", db_url]
    )
    report = json.loads(as_json.output)
    assert report["affected"] == len(open_cases)
    assert {c["case_number"] for c in report["cases"]} == {c.case_number for c in open_cases}
