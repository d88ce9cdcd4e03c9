"""The filled-in Word form lists the uploaded documents; the bulk package can carry the files
and the receipt (read back from the zip byte for byte)."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

import docx
import pytest

from forms_service.attachments.package import add_case_files
from forms_service.documents.bulk import run_bulk
from forms_service.documents.case_jobs import case_form_jobs

ANSWERS = Path(__file__).parents[1] / "fixtures" / "answers"


@pytest.fixture
def kbh(app, login):  # type: ignore[no-untyped-def]
    client = app.test_client()
    login(client, "kbh")
    return client


def _docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _submitted_case_with_files(app, kbh, case_factory, fixture_file) -> tuple[int, dict, dict]:  # type: ignore[no-untyped-def]
    case_id = case_factory()
    uploaded = {}
    for name, path in (
        ("laegeattest.pdf", "helbredsdokumenter[0].dokument"),
        ("roentgen.jpg", "helbredsdokumenter[1].dokument"),
    ):
        response = kbh.post(
            f"/api/v1/cases/{case_id}/attachments",
            data={"file": (io.BytesIO(fixture_file(name).read_bytes()), name), "path": path},
            content_type="multipart/form-data",
        )
        assert response.status_code == 201
        uploaded[name] = response.json
    revision = kbh.get(f"/api/v1/cases/{case_id}/answers").json["revision"]
    answers = json.loads((ANSWERS / "v1_complete.json").read_text("utf-8"))
    submitted = kbh.post(
        f"/api/v1/cases/{case_id}/answers/submit",
        json={"base_revision": revision, "answers": answers},
    )
    assert submitted.status_code == 200, submitted.json
    return case_id, uploaded, answers


def test_word_form_lists_name_type_size_and_sha256(app, kbh, case_factory, fixture_file) -> None:
    case_id, uploaded, _ = _submitted_case_with_files(app, kbh, case_factory, fixture_file)
    response = kbh.get(f"/api/v1/documents/cases/{case_id}/form.docx")
    assert response.status_code == 200
    text = _docx_text(response.data)
    assert "Dokumenter" in text
    for body in uploaded.values():
        assert body["filename"] in text and body["sha256"] in text
    assert "application/pdf" in text and "image/jpeg" in text
    assert "88 kB" in text or "86 kB" in text  # roentgen.jpg, 87,555 bytes


def test_bulk_package_includes_the_files_and_the_receipt(
    app, kbh, case_factory, fixture_file, tmp_path
) -> None:
    case_id, uploaded, _ = _submitted_case_with_files(app, kbh, case_factory, fixture_file)
    from forms_service.http.attachments import blob_store

    session = app.extensions["forms_service.sessions"]()
    try:
        jobs = case_form_jobs(session, case_ids=[case_id])
        output = tmp_path / "pakke.zip"
        assert len(run_bulk(jobs, output, workers=1).done) == 1
        with app.app_context():
            added = add_case_files(output, session, blob_store(), [case_id])
    finally:
        session.close()
    assert added == 3
    with zipfile.ZipFile(output) as archive:
        names = archive.namelist()
        case_number = jobs[0].name
        assert f"{case_number}.docx" in names
        docs = {n: archive.read(n) for n in names if "/dokumenter/" in n}
        assert {hashlib.sha256(d).hexdigest() for d in docs.values()} == {
            b["sha256"] for b in uploaded.values()
        }
        assert f"{case_number}/dokumenter/helbredsdokumenter-0-dokument_laegeattest.pdf" in names
        receipt = archive.read(f"{case_number}/kvittering_1.pdf")
        assert receipt.startswith(b"%PDF-")
        listed = kbh.get(f"/api/v1/cases/{case_id}/submissions").json
        assert hashlib.sha256(receipt).hexdigest() == listed[0]["sha256"]
        # the Word document in the package lists the documents too
        text = _docx_text(archive.read(f"{case_number}.docx"))
        assert uploaded["laegeattest.pdf"]["sha256"] in text
