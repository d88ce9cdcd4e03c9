"""One definition source: a case pinned to a version published in the editor (stored in the
database, not a file) gets its documents from the CLI and from the job worker, and the CLI
commands that take FORM@VERSION find that version."""

from __future__ import annotations

import datetime as dt
import io
import json
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session

from forms_service.cases import db as cases_db
from forms_service.cases.models import Case, User
from forms_service.cases.service import CaseService
from forms_service.cases.users import actor_of
from forms_service.cli import main
from forms_service.definitions.registry import DATABASE_STORE, Registry, definitions_root
from forms_service.documents.case_jobs import case_form_jobs
from forms_service.documents.jobs import job_output, job_status, submit_bulk
from forms_service.editor.service import EditorService, definition_text
from forms_service.editor.store import published_store
from tests.documents.docx_helpers import all_text, open_docx

FORM = "sagsoplysningsskema"
PUBLISHED = "1.1.7"  # no file of this number: it lives in the database only
TITLE = "Sagsoplysningsskema – udgivet i redigeringen"
ANSWERS = Path(__file__).parents[1] / "fixtures" / "answers" / "v1_complete.json"


def _private_registry(engine: Engine) -> Registry:
    # never the process-wide registry: what the commands see must come from the database
    registry = Registry(definitions_root())
    registry.attach(DATABASE_STORE, published_store(cases_db.make_session_factory(engine)))
    return registry


@pytest.fixture
def published_case(db_engine: Engine, users: dict[str, User]) -> str:
    """A submitted case of municipality 101 pinned to the editor-published version."""
    data = json.loads((definitions_root() / FORM / "1.1.0.json").read_text("utf-8"))
    data |= {"version": PUBLISHED, "title": TITLE}
    registry = _private_registry(db_engine)
    with cases_db.make_session_factory(db_engine)() as session:
        editor = EditorService(session, actor_of(session.get(User, users["editor"].id)), registry)
        editor.import_text(definition_text(data), filename=f"{FORM}/{PUBLISHED}.json")
        sp = CaseService(session, actor_of(session.get(User, users["sp"].id)), registry=registry)
        case = sp.create_case(
            case_number="SP-PUB-1",
            cpr="010160-1234",
            citizen_name="Karen Testesen",
            application_date=dt.date.today() - dt.timedelta(days=30),
            municipality_code=101,
            send_to_municipality=True,
        )
        session.execute(update(Case).where(Case.id == case.id).values(form_version=PUBLISHED))
        session.commit()
        kbh = CaseService(session, actor_of(session.get(User, users["kbh"].id)), registry=registry)
        answers: dict[str, Any] = json.loads(ANSWERS.read_text("utf-8"))
        submitted = kbh.submit(case.id, answers, base_revision=kbh.get_case(case.id).revision)
        assert (submitted.form, submitted.version) == (FORM, PUBLISHED)
    return "SP-PUB-1"


def _document_text(archive_bytes: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(archive_bytes)) as archive:
        return all_text(open_docx(archive.read(name)))


@pytest.mark.parametrize("workers", ["1", "2"])
def test_cli_bulk_documents_for_a_case_on_a_published_version(
    db_url: str, published_case: str, tmp_path: Path, workers: str
) -> None:
    out = tmp_path / "dokumenter.zip"
    result = CliRunner().invoke(
        main,
        [
            *("documents", "bulk", "--municipality", "101", "--database-url", db_url),
            *("-o", str(out), "--workers", workers),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "1 lavet, 0 fejlede" in result.output
    assert TITLE in _document_text(out.read_bytes(), f"{published_case}.docx")


def test_worker_path_renders_a_case_on_a_published_version(
    db_url: str, db_engine: Engine, published_case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FORMS_SERVICE_REDIS_URL", raising=False)
    # the jobs as the web app builds them (its registry reads the same database) ...
    with Session(db_engine) as session:
        jobs = case_form_jobs(session, municipality_code=101, registry=_private_registry(db_engine))
    # ... worked in processes from a fork server, which never saw that registry
    job_id = submit_bulk(jobs, title="Udgivet version", database_url=db_url, workers=2)
    for _ in range(600):
        status = job_status(job_id, database_url=db_url)
        assert status is not None
        if status.finished:
            break
        time.sleep(0.1)
    assert (status.state, status.done, status.failed) == ("finished", 1, 0), status
    output = job_output(job_id, database_url=db_url)
    assert output is not None
    assert TITLE in _document_text(output, f"{published_case}.docx")


def test_form_version_commands_see_published_versions(
    db_url: str, published_case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(cases_db.ENV_DATABASE_URL, db_url)
    runner = CliRunner()
    ref = f"{FORM}@{PUBLISHED}"

    shown = runner.invoke(main, ["definitions", "show", ref])
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.output)["title"] == TITLE

    listed = runner.invoke(main, ["definitions", "list", "--json"])
    assert listed.exit_code == 0, listed.output
    assert PUBLISHED in listed.output

    guidance = tmp_path / "vejledning.docx"
    made = runner.invoke(main, ["documents", "guidance", ref, "-o", str(guidance)])
    assert made.exit_code == 0, made.output
    assert TITLE in all_text(open_docx(guidance.read_bytes()))

    report = runner.invoke(main, ["completeness", ref, str(ANSWERS), "--today", "2026-03-02"])
    assert report.exit_code == 0, report.output
    assert json.loads(report.output)["version"] == PUBLISHED
