"""/api/v1/documents: .docx downloads with content type and file name; bulk jobs (202)."""

from __future__ import annotations

import io
import json
import time
import zipfile
from pathlib import Path

import docx
import pytest

from forms_service.cases.models import User
from forms_service.cases.service import CaseService
from forms_service.cases.users import actor_of

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ANSWERS = Path(__file__).parents[1] / "fixtures" / "answers"


def _submit(app, users, case_id: int) -> None:  # type: ignore[no-untyped-def]
    """Submit the example answers of the case's version as the Copenhagen caseworker."""
    session = app.extensions["forms_service.sessions"]()
    try:
        service = CaseService(
            session,
            actor_of(session.get(User, users["kbh"].id)),
            registry=app.extensions["forms_service.registry"],
        )
        case = service.get_case(case_id, audit_read=False)
        name = "v1_complete.json" if case.form_version.startswith("1.") else "v2_complete.json"
        service.submit(
            case_id, json.loads((ANSWERS / name).read_text("utf-8")), base_revision=case.revision
        )
        session.commit()
    finally:
        session.close()


@pytest.fixture(autouse=True)
def _no_redis(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FORMS_SERVICE_REDIS_URL", raising=False)


def test_api_downloads_need_login(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/documents/forms/sagsoplysningsskema/1.0.0/guidance.docx")
    assert response.status_code == 401


def test_api_guidance_blank_and_brochure(app, client, login) -> None:  # type: ignore[no-untyped-def]
    login(client, "analyst")
    base = "/api/v1/documents/forms/sagsoplysningsskema/1.0.0"
    for path, name in (
        (f"{base}/guidance.docx", "Vejledning_sagsoplysningsskema_1.0.0.docx"),
        (f"{base}/blank.docx", "Blankt_skema_sagsoplysningsskema_1.0.0.docx"),
        ("/api/v1/documents/brochure/1.0.0.docx", "Pjece_seniorpension_1.0.0.docx"),
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.mimetype == DOCX
        assert f"filename={name}" in response.headers["Content-Disposition"]
        document = docx.Document(io.BytesIO(response.data))
        assert document.paragraphs[0].text
    missing = client.get("/api/v1/documents/forms/sagsoplysningsskema/0.0.0/guidance.docx")
    assert missing.status_code == 404


def test_api_case_form_scope(app, client, login, users, case_factory) -> None:  # type: ignore[no-untyped-def]
    case_id = case_factory(municipality_code=101, case_number="SP-API-1")
    _submit(app, users, case_id)
    login(client, "ringsted")
    assert client.get(f"/api/v1/documents/cases/{case_id}/form.docx").status_code == 404
    client = app.test_client()
    login(client, "kbh")
    response = client.get(f"/api/v1/documents/cases/{case_id}/form.docx")
    assert response.status_code == 200 and response.mimetype == DOCX
    assert "SP-API-1" in response.headers["Content-Disposition"]


def test_api_bulk_job(app, client, login, users, case_factory) -> None:  # type: ignore[no-untyped-def]
    _submit(app, users, case_factory(municipality_code=101, case_number="SP-API-BULK"))
    login(client, "sp")
    response = client.post("/api/v1/documents/bulk", json={"municipality_code": 101})
    assert response.status_code == 202
    body = response.get_json()
    assert body["total"] == 1 and body["state"] in ("queued", "running", "finished")
    location = response.headers["Location"]
    assert location.endswith(f"/api/v1/documents/jobs/{body['id']}")
    deadline = time.monotonic() + 120
    while not body["finished"] and time.monotonic() < deadline:
        time.sleep(0.2)
        body = client.get(location).get_json()
    assert body["state"] == "finished" and body["done"] == 1
    archive = client.get(body["download_url"])
    assert archive.status_code == 200
    with zipfile.ZipFile(io.BytesIO(archive.data)) as zipped:
        assert zipped.namelist() == ["SP-API-BULK.docx"]
    bad = client.post("/api/v1/documents/bulk", json={"municipality_code": "x"})
    assert bad.status_code == 422
