"""Documents on the case form through the test client: a plain file input (no JavaScript)
stores the file with the draft, refusals keep the page and store nothing, remove while a draft,
the upload URL the script uses, the case page's list and the receipt of a submission."""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from forms_service.attachments.models import AttachmentRow
from tests.web.test_forms import answer_sets

ANSWERS = Path(__file__).parents[1] / "fixtures" / "answers"
FILE_INPUT = "helbredsdokumenter-0-dokument-file"


@pytest.fixture
def kbh(app, login):  # type: ignore[no-untyped-def]
    client = app.test_client()
    login(client, "kbh")
    return client


def _rows(app, case_id: int) -> list[AttachmentRow]:  # type: ignore[no-untyped-def]
    with app.extensions["forms_service.sessions"]() as session:
        rows = session.scalars(select(AttachmentRow).where(AttachmentRow.case_id == case_id)).all()
        for row in rows:
            session.expunge(row)
        return list(rows)


def _revision(client, case_id: int) -> int:  # type: ignore[no-untyped-def]
    html = client.get(f"/cases/{case_id}/form").get_data(as_text=True)
    return int(re.search(r'name="base_revision" value="(\d+)"', html).group(1))  # type: ignore[union-attr]


def _post(client, case_id: int, fields: dict, files: dict | None = None):  # type: ignore[no-untyped-def]
    data = dict(fields)
    for name, (content, filename) in (files or {}).items():
        data[name] = (io.BytesIO(content), filename)
    return client.post(f"/cases/{case_id}/form", data=data, content_type="multipart/form-data")


def _with_row(client, case_id: int) -> dict:  # type: ignore[no-untyped-def]
    """The form with one health-document row, as the browser would post it."""
    return {
        "base_revision": str(_revision(client, case_id)),
        "navn": "Karin Holm Madsen",
        "helbredsdokumenter-0-dokument-title": "",
        "helbredsdokumenter-0-dokument-source": "egen_laege",
        "helbredsdokumenter-0-beskrivelse": "Attest om knæ",
    }


def test_the_form_is_multipart_with_a_file_input_per_attachment_row(kbh, case_factory) -> None:
    case_id = case_factory()
    html = _post(
        kbh, case_id, {"base_revision": "1", "action": "add_row:helbredsdokumenter"}
    ).get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in html
    assert (
        f'<input type="file" class="form-file-input" id="{FILE_INPUT}" name="{FILE_INPUT}"' in html
    )
    assert "PDF, JPEG-billede, PNG-billede og Word-dokument (DOCX); højst 20 MB pr. fil." in html
    assert "attachments/upload.js" in html and "<script>" not in html


def test_a_file_chosen_without_javascript_is_stored_with_the_draft(
    app, kbh, case_factory, fixture_file
) -> None:
    case_id = case_factory()
    pdf = fixture_file("laegeattest.pdf").read_bytes()
    fields = _with_row(kbh, case_id) | {"action": "draft"}
    response = _post(kbh, case_id, fields, {FILE_INPUT: (pdf, "Lægeattest 2025.pdf")})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]

    [row] = _rows(app, case_id)
    assert (row.path, row.filename, row.size) == (
        "helbredsdokumenter[0].dokument",
        "Lægeattest 2025.pdf",
        len(pdf),
    )
    # the empty title took the file's name, so the row counts as answered
    [draft] = answer_sets(app, case_id)
    assert draft.answers["helbredsdokumenter"][0]["dokument"]["title"] == "Lægeattest 2025"

    html = kbh.get(f"/cases/{case_id}/form").get_data(as_text=True)
    listed = html[html.index('id="helbredsdokumenter-0-dokument-files"') :][:3000]
    assert "Lægeattest 2025.pdf" in listed
    assert "PDF · 6 kB · Test kbh" in listed
    assert "ikke scannet" in listed
    assert f'value="remove_attachment:{row.id}"' in listed
    download = kbh.get(f"/cases/{case_id}/attachments/{row.id}")
    assert download.data == pdf
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["X-Content-Type-Options"] == "nosniff"


def test_a_refused_file_keeps_the_page_and_stores_nothing(
    app, kbh, case_factory, fixture_file
) -> None:
    case_id = case_factory()
    elf = Path(shutil.which("true") or "/bin/true").read_bytes()
    fields = _with_row(kbh, case_id) | {"action": "draft"}
    response = _post(kbh, case_id, fields, {FILE_INPUT: (elf, "attest.pdf")})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "indholdet er et program (ELF)" in html
    assert f'href="#{FILE_INPUT}"' in html  # the error summary links to the file input
    assert 'value="Attest om knæ"' in html or "Attest om knæ" in html  # nothing typed is lost
    assert _rows(app, case_id) == []
    assert answer_sets(app, case_id) == []


def test_remove_while_a_draft_and_not_after_submission(app, kbh, case_factory, fixture_file):  # type: ignore[no-untyped-def]
    case_id = case_factory()
    jpeg = fixture_file("roentgen.jpg").read_bytes()
    fields = _with_row(kbh, case_id) | {"action": "draft"}
    _post(kbh, case_id, fields, {FILE_INPUT: (jpeg, "foto.jpg")})
    [row] = _rows(app, case_id)
    fields = _with_row(kbh, case_id) | {"action": f"remove_attachment:{row.id}"}
    html = _post(kbh, case_id, fields).get_data(as_text=True)
    assert _rows(app, case_id) == []
    assert "foto.jpg" not in html

    # submitted: the documents are locked with the answers
    _post(
        kbh, case_id, _with_row(kbh, case_id) | {"action": "draft"}, {FILE_INPUT: (jpeg, "f.jpg")}
    )
    [row] = _rows(app, case_id)
    answers = json.loads((ANSWERS / "v1_complete.json").read_text("utf-8"))
    response = kbh.post(
        f"/api/v1/cases/{case_id}/answers/submit",
        json={"base_revision": _revision(kbh, case_id), "answers": answers},
    )
    assert response.status_code == 200, response.json
    removal = kbh.post(
        f"/cases/{case_id}/form",
        data={"action": f"remove_attachment:{row.id}", "base_revision": "99"},
    )
    assert removal.status_code == 409
    assert len(_rows(app, case_id)) == 1


def test_upload_url_for_the_script_answers_json(app, kbh, case_factory, fixture_file) -> None:
    case_id = case_factory()
    png = fixture_file("skanning.png").read_bytes()
    response = kbh.post(
        f"/cases/{case_id}/attachments",
        data={"file": (io.BytesIO(png), "skanning.png"), "path": "helbredsdokumenter[2].dokument"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 201
    assert response.json["filename"] == "skanning.png"
    assert response.json["type"] == "PNG-billede"
    refused = kbh.post(
        f"/cases/{case_id}/attachments",
        data={
            "file": (io.BytesIO(b"<svg></svg>"), "x.png"),
            "path": "helbredsdokumenter[2].dokument",
        },
        content_type="multipart/form-data",
    )
    assert refused.status_code == 415
    assert "SVG-tegning" in refused.json["message"]


def test_case_page_lists_documents_and_the_receipt(app, login, kbh, case_factory, fixture_file):  # type: ignore[no-untyped-def]
    case_id = case_factory()
    pdf = fixture_file("laegeattest.pdf").read_bytes()
    _post(kbh, case_id, _with_row(kbh, case_id) | {"action": "draft"}, {FILE_INPUT: (pdf, "a.pdf")})
    answers = json.loads((ANSWERS / "v1_complete.json").read_text("utf-8"))
    kbh.post(
        f"/api/v1/cases/{case_id}/answers/submit",
        json={"base_revision": _revision(kbh, case_id), "answers": answers},
    )
    sp = app.test_client()
    login(sp, "sp")
    html = sp.get(f"/cases/{case_id}").get_data(as_text=True)
    assert 'id="case-documents"' in html and "a.pdf" in html and "ikke scannet" in html
    receipt = re.search(r'href="(/cases/\d+/submissions/1/kvittering.pdf)"', html)
    assert receipt is not None
    response = sp.get(receipt.group(1))
    assert response.status_code == 200 and response.data.startswith(b"%PDF-")
    assert response.headers["Content-Disposition"].startswith("attachment;")

    ringsted = app.test_client()
    login(ringsted, "ringsted")
    assert ringsted.get(receipt.group(1)).status_code == 404
    [row] = _rows(app, case_id)
    assert ringsted.get(f"/cases/{case_id}/attachments/{row.id}").status_code == 404


def test_removing_a_row_takes_its_documents_and_moves_the_next_up(
    app, kbh, case_factory, fixture_file
) -> None:
    case_id = case_factory()
    fields = _with_row(kbh, case_id) | {
        "helbredsdokumenter-1-dokument-title": "Epikrise",
        "helbredsdokumenter-1-dokument-source": "speciallaege",
        "action": "draft",
    }
    pdf = fixture_file("laegeattest.pdf").read_bytes()
    jpeg = fixture_file("roentgen.jpg").read_bytes()
    response = _post(
        kbh,
        case_id,
        fields,
        {FILE_INPUT: (pdf, "attest.pdf"), "helbredsdokumenter-1-dokument-file": (jpeg, "epi.jpg")},
    )
    assert response.status_code == 302
    assert sorted((r.path, r.filename) for r in _rows(app, case_id)) == [
        ("helbredsdokumenter[0].dokument", "attest.pdf"),
        ("helbredsdokumenter[1].dokument", "epi.jpg"),
    ]
    fields = fields | {
        "base_revision": str(_revision(kbh, case_id)),
        "action": "remove_row:helbredsdokumenter:0",
    }
    html = _post(kbh, case_id, fields).get_data(as_text=True)
    assert [(r.path, r.filename) for r in _rows(app, case_id)] == [
        ("helbredsdokumenter[0].dokument", "epi.jpg")
    ]
    listed = html[html.index('id="helbredsdokumenter-0-dokument-files"') :][:2000]
    assert "epi.jpg" in listed and "attest.pdf" not in html
