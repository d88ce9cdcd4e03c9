"""Bulk rendering on several processes, into a folder or a zip, from files or the database."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy.orm import Session

from forms_service.cases.models import User
from forms_service.cases.service import CaseService
from forms_service.cases.users import actor_of
from forms_service.cli import main
from forms_service.definitions.model import FormDefinition
from forms_service.definitions.registry import default_registry
from forms_service.documents.bulk import DocumentJob, JobResult, run_bulk
from forms_service.documents.case_jobs import case_form_jobs
from tests.documents.docx_helpers import all_text, open_docx

FIXTURES = Path(__file__).parent / "fixtures"
ANSWERS = Path(__file__).parents[1] / "fixtures" / "answers"


def _case_jobs(definition: FormDefinition, answers: dict[str, Any], n: int) -> list[DocumentJob]:
    jobs = []
    for i in range(n):
        params = {
            "definition_path": str(FIXTURES / "definitions" / "minidok" / "1.0.0.json"),
            "answers": answers | {"navn": f"Borger nummer {i}"},
            "case": {"reference": f"SP-{i:04d}", "municipality": "329 Ringsted"},
            "today": "2026-12-01",
        }
        jobs.append(DocumentJob(f"SP-{i:04d}", "case_form", params))
    return jobs


def test_bulk_into_a_zip_on_two_processes_reports_the_failing_case(
    tmp_path: Path, minidok: FormDefinition, minidok_answers: dict[str, Any]
) -> None:
    jobs = _case_jobs(minidok, minidok_answers, 12)
    broken = dict(jobs[5].params) | {"answers": {"ansoegningsdato": "ikke en dato"}}
    broken["definition_path"] = str(tmp_path / "findes_ikke.json")
    jobs[5] = DocumentJob(jobs[5].name, "case_form", broken)
    seen: list[tuple[str, int, int]] = []

    def progress(result: JobResult, done: int, total: int) -> None:
        seen.append((result.name, done, total))

    result = run_bulk(jobs, tmp_path / "ud.zip", workers=2, progress=progress, chunk_size=2)

    assert [r.name for r in result.failed] == ["SP-0005"]
    assert "findes_ikke.json" in (result.failed[0].error or "")
    assert len(result.done) == 11
    assert [s[1] for s in seen] == list(range(1, 13))
    assert {s[2] for s in seen} == {12}
    with zipfile.ZipFile(tmp_path / "ud.zip") as archive:
        names = sorted(archive.namelist())
        assert names == sorted(f"SP-{i:04d}.docx" for i in range(12) if i != 5)
        text = all_text(open_docx(archive.read("SP-0007.docx")))
    assert "Borger nummer 7" in text
    assert "SP-0007" in text


def test_bulk_into_a_folder_in_process(
    tmp_path: Path, minidok: FormDefinition, minidok_answers: dict[str, Any]
) -> None:
    result = run_bulk(_case_jobs(minidok, minidok_answers, 3), tmp_path / "ud", workers=1)
    assert not result.failed
    files = sorted(p.name for p in (tmp_path / "ud").iterdir())
    assert files == ["SP-0000.docx", "SP-0001.docx", "SP-0002.docx"]
    assert "Borger nummer 2" in all_text(open_docx((tmp_path / "ud" / "SP-0002.docx").read_bytes()))


def test_duplicate_file_names_are_refused_before_anything_runs(tmp_path: Path) -> None:
    jobs = [DocumentJob("a/b", "brochure"), DocumentJob("a_b", "brochure")]
    with pytest.raises(ValueError, match="samme filnavn"):
        run_bulk(jobs, tmp_path / "ud", workers=1)
    assert not (tmp_path / "ud").exists() or not any((tmp_path / "ud").iterdir())


def test_cli_bulk_from_a_jobs_file(tmp_path: Path) -> None:
    out = tmp_path / "dokumenter"
    result = CliRunner().invoke(
        main,
        [
            "documents",
            "bulk",
            "--jobs",
            str(FIXTURES / "jobs_with_one_bad.json"),
            "-o",
            str(out),
            "--workers",
            "2",
        ],
    )
    assert result.exit_code == 1, result.output
    assert "3 lavet, 1 fejlede" in result.output
    assert "FEJL ukendt_version" in result.output
    assert "9.9.9" in result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "blankt_v1.docx",
        "pjece.docx",
        "vejledning_v1.docx",
    ]
    guidance = all_text(open_docx((out / "vejledning_v1.docx").read_bytes()))
    assert "Sagsoplysningsskema – seniorpension, version 1.0.0" in guidance


def test_cli_pdf_without_libreoffice_says_so_clearly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH without soffice
    result = CliRunner().invoke(
        main, ["documents", "brochure", "-o", str(tmp_path / "pjece.docx"), "--pdf"]
    )
    assert result.exit_code == 1
    assert "PDF kræver LibreOffice" in result.output
    assert not (tmp_path / "pjece.docx").exists()


def test_cli_single_documents(tmp_path: Path) -> None:
    runner = CliRunner()
    answers = ANSWERS / "v1_complete.json"
    result = runner.invoke(
        main,
        [
            "documents",
            "case-form",
            "sagsoplysningsskema@1.0.0",
            "--answers",
            str(answers),
            "--with-completeness",
            "--today",
            "2025-06-01",
            "-o",
            str(tmp_path / "sag.docx"),
        ],
    )
    assert result.exit_code == 0, result.output
    text = all_text(open_docx((tmp_path / "sag.docx").read_bytes()))
    assert json.loads(answers.read_text("utf-8"))["navn"] in text
    assert "Er sagen tilstrækkeligt oplyst?" in text
    result = runner.invoke(main, ["documents", "check"])
    assert result.exit_code == 0
    assert "i orden" in result.output


# -- from the case database -----------------------------------------------------------------


def _service(session: Session, user: User) -> CaseService:
    actor = actor_of(session.get(User, user.id))
    return CaseService(
        session, actor, registry=default_registry(), today=lambda: dt.date(2025, 6, 1)
    )


def _submitted_case(session: Session, users: dict[str, User], number: str, code: int) -> int:
    sp = _service(session, users["sp"])
    case = sp.create_case(
        case_number=number,
        cpr="1508622402",
        citizen_name=f"Borger {number}",
        application_date=dt.date(2025, 3, 10),
        municipality_code=code,
        send_to_municipality=True,
        request_date=dt.date(2025, 3, 24),
    )
    name = "v1_complete.json" if case.form_version.startswith("1.") else "v2_complete.json"
    answers = json.loads((ANSWERS / name).read_text("utf-8"))
    worker = _service(session, users["kbh" if code == 101 else "ringsted"])
    worker.submit(case.id, answers, base_revision=case.revision)
    session.commit()
    return case.id


def test_jobs_for_the_submitted_cases_of_a_municipality(
    db_session: Session, users: dict[str, User], tmp_path: Path
) -> None:
    _submitted_case(db_session, users, "SP-2025-000001", 101)
    _submitted_case(db_session, users, "SP-2025-000002", 101)
    _submitted_case(db_session, users, "SP-2025-000003", 329)
    sp = _service(db_session, users["sp"])
    sp.create_case(  # received, never submitted: no document
        case_number="SP-2025-000004",
        cpr="1508622402",
        citizen_name="Ikke indsendt",
        application_date=dt.date(2025, 3, 10),
        municipality_code=101,
    )
    db_session.commit()

    jobs = case_form_jobs(db_session, municipality_code=101)
    assert [j.name for j in jobs] == ["SP-2025-000001", "SP-2025-000002"]

    result = run_bulk(jobs, tmp_path / "kbh.zip", workers=2)
    assert not result.failed, result.failed
    with zipfile.ZipFile(tmp_path / "kbh.zip") as archive:
        document = open_docx(archive.read("SP-2025-000002.docx"))
    text = all_text(document)
    assert "Borger SP-2025-000002" in text
    assert "101 København" in text
    assert "150862-2402" in text  # the case form goes to Seniorpension: full CPR
    assert "Er sagen tilstrækkeligt oplyst?" in text  # the stored report
    assert jobs[0].params["version"] in document.sections[0].footer.paragraphs[0].text


def test_cli_check_names_the_template_and_line_of_a_problem(tmp_path: Path) -> None:
    import shutil

    import docx

    from forms_service.documents.kinds import templates_dir

    for source in templates_dir().glob("*.docx"):
        shutil.copy(source, tmp_path / source.name)
    broken = docx.Document()
    broken.add_paragraph("{{ title }}")
    broken.add_paragraph("{{ ukendt_variabel }}")
    broken.save(tmp_path / "udfyldt_skema.docx")
    result = CliRunner().invoke(main, ["documents", "check", "--templates", str(tmp_path)])
    assert result.exit_code == 1
    assert "udfyldt_skema.docx (word/document.xml, linje 3): variablen 'ukendt_variabel'" in (
        result.output
    )
