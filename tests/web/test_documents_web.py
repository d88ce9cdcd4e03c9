"""Word documents on the web: case page panel, downloads, bulk runs with a progress page."""

from __future__ import annotations

import io
import json
import time
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from sqlalchemy import select

from forms_service.cases.models import AuditEntry, User
from forms_service.cases.service import CaseService
from forms_service.cases.users import actor_of

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ANSWERS = Path(__file__).parents[1] / "fixtures" / "answers"


def _text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    lines += [c.text for t in document.tables for r in t.rows for c in r.cells]
    lines += [p.text for s in document.sections for p in s.footer.paragraphs]
    return "\n".join(lines)


def _submit(app, users, case_id: int, username: str = "kbh") -> dict[str, Any]:  # type: ignore[no-untyped-def]
    session = app.extensions["forms_service.sessions"]()
    try:
        service = CaseService(
            session,
            actor_of(session.get(User, users[username].id)),
            registry=app.extensions["forms_service.registry"],
        )
        case = service.get_case(case_id, audit_read=False)
        name = "v1_complete.json" if case.form_version.startswith("1.") else "v2_complete.json"
        answers = json.loads((ANSWERS / name).read_text("utf-8"))
        service.submit(case_id, answers, base_revision=case.revision)
        session.commit()
        return answers
    finally:
        session.close()


@pytest.fixture(autouse=True)
def _no_redis(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FORMS_SERVICE_REDIS_URL", raising=False)


def test_case_page_offers_the_filled_in_form_as_word(
    app, client, login, users, case_factory
) -> None:  # type: ignore[no-untyped-def]
    case_id = case_factory(municipality_code=101, case_number="SP-DOK-1")
    login(client, "kbh")
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Det udfyldte skema kan hentes, når kommunen har gemt svar." in page
    assert client.get(f"/documents/cases/{case_id}/form.docx").status_code == 404

    answers = _submit(app, users, case_id)
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert f'href="/documents/cases/{case_id}/form.docx"' in page

    response = client.get(f"/documents/cases/{case_id}/form.docx")
    assert response.status_code == 200
    assert response.mimetype == DOCX
    assert "Sagsoplysningsskema_SP-DOK-1.docx" in response.headers["Content-Disposition"]
    text = _text(response.data)
    assert answers["faglig_forklaring"] in text
    assert "SP-DOK-1" in text
    assert "Er sagen tilstrækkeligt oplyst?" in text

    with app.extensions["forms_service.sessions"]() as session:
        actions = session.scalars(
            select(AuditEntry.action).where(AuditEntry.case_id == case_id)
        ).all()
    assert "documents.case_form" in actions


def test_other_municipality_cannot_download_the_case_form(
    app, client, login, users, case_factory
) -> None:  # type: ignore[no-untyped-def]
    case_id = case_factory(municipality_code=101)
    _submit(app, users, case_id)
    login(client, "ringsted")
    assert client.get(f"/documents/cases/{case_id}/form.docx").status_code == 404
    client = app.test_client()
    login(client, "sp")
    assert client.get(f"/documents/cases/{case_id}/form.docx").status_code == 200


def test_guidance_blank_form_and_brochure_downloads(app, client, login) -> None:  # type: ignore[no-untyped-def]
    login(client, "editor")
    index = client.get("/documents/").get_data(as_text=True)
    href = "/documents/forms/sagsoplysningsskema/1.0.0/guidance.docx"
    assert href in index
    assert "/documents/brochure/1.0.0.docx" in index
    assert 'id="bulk-form"' not in index  # an editor does not run case exports

    response = client.get(href)
    assert response.status_code == 200 and response.mimetype == DOCX
    assert "Vejledning_sagsoplysningsskema_1.0.0.docx" in response.headers["Content-Disposition"]
    definition = app.extensions["forms_service.registry"].get("sagsoplysningsskema", "1.0.0")
    text = _text(response.data)
    assert definition.content_hash in text
    assert all(section.title in text for section in definition.sections)

    blank = client.get("/documents/forms/sagsoplysningsskema/1.0.0/blank.docx")
    assert blank.status_code == 200 and "Blankt_skema" in blank.headers["Content-Disposition"]
    brochure = client.get("/documents/brochure/1.0.0.docx")
    assert brochure.status_code == 200 and "2030 og frem" in _text(brochure.data)
    assert client.get("/documents/forms/sagsoplysningsskema/9.9.9/guidance.docx").status_code == 404
    assert client.get("/documents/brochure/..%2F1.0.0.docx").status_code == 404


def _wait(client, job_id: str) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        status = client.get(f"/documents/jobs/{job_id}/status").get_json()
        if status["finished"]:
            return status
        time.sleep(0.2)
    raise AssertionError(status)


def test_bulk_run_in_the_background_with_progress_page(
    app, client, login, users, case_factory
) -> None:  # type: ignore[no-untyped-def]
    numbers = ["SP-BULK-1", "SP-BULK-2"]
    for number in numbers:
        _submit(app, users, case_factory(municipality_code=101, case_number=number))
    _submit(app, users, case_factory(municipality_code=329, case_number="SP-ANDEN"), "ringsted")
    case_factory(municipality_code=101, case_number="SP-IKKE-INDSENDT")

    login(client, "sp")
    response = client.post("/documents/bulk", data={"municipality_code": "101"})
    assert response.status_code == 303
    job_url = response.headers["Location"]
    job_id = job_url.rstrip("/").rsplit("/", 1)[-1]
    page = client.get(job_url).get_data(as_text=True)
    assert "København (2 sager)" in page

    status = _wait(client, job_id)
    assert (status["state"], status["done"], status["failed"]) == ("finished", 2, 0)
    page = client.get(job_url).get_data(as_text=True)
    assert 'id="job-download"' in page and "http-equiv" not in page
    download = client.get(f"/documents/jobs/{job_id}/download")
    assert download.status_code == 200 and download.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(download.data)) as archive:
        assert sorted(archive.namelist()) == [f"{n}.docx" for n in numbers]
        assert "SP-BULK-2" in _text(archive.read("SP-BULK-2.docx"))

    # a job is its starter's: another user gets the same 404 as for no job at all
    client = app.test_client()
    login(client, "kbh")
    assert client.get(job_url).status_code == 404
    assert client.get(f"/documents/jobs/{job_id}/download").status_code == 404


def test_municipality_can_only_export_its_own_cases(app, client, login) -> None:  # type: ignore[no-untyped-def]
    login(client, "kbh")
    index = client.get("/documents/").get_data(as_text=True)
    assert 'value="101"' in index and 'value="329"' not in index
    assert client.post("/documents/bulk", data={"municipality_code": "329"}).status_code == 404
    client = app.test_client()
    login(client, "analyst")
    assert client.post("/documents/bulk", data={"municipality_code": "101"}).status_code == 403
