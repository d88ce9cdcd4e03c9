"""/api/v1/cases/<id>/attachments with real files: round trips, refusals, scope, audit.

Each test runs with the database store and the folder store (``ATTACHMENT_DIR``).
"""

from __future__ import annotations

import hashlib
import io
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from forms_service.attachments.models import AttachmentRow, BlobRow, ChunkRow
from forms_service.cases.models import AuditEntry

MB = 1024 * 1024
HEALTH = "helbredsdokumenter[0].dokument"


@pytest.fixture(params=["database", "folder"])
def store_kind(request, app, tmp_path: Path) -> str:  # type: ignore[no-untyped-def]
    if request.param == "folder":
        app.config["ATTACHMENT_DIR"] = str(tmp_path / "dokumenter")
    return request.param


@pytest.fixture
def kbh(app, login):  # type: ignore[no-untyped-def]
    client = app.test_client()
    login(client, "kbh")
    return client


def _url(case_id: int, rest: str = "") -> str:
    return f"/api/v1/cases/{case_id}/attachments{rest}"


def upload(client, case_id: int, data: bytes, name: str, path: str = HEALTH):  # type: ignore[no-untyped-def]
    return client.post(
        _url(case_id),
        data={"file": (io.BytesIO(data), name), "path": path},
        content_type="multipart/form-data",
    )


def stored_count(app, tmp_path: Path) -> tuple[int, int, int, int]:  # type: ignore[no-untyped-def]
    """Attachment rows, blobs, chunks and files in the folder store: what an upload left."""
    session = app.extensions["forms_service.sessions"]()
    try:
        counts = tuple(
            session.scalar(select(func.count()).select_from(model))
            for model in (AttachmentRow, BlobRow, ChunkRow)
        )
    finally:
        session.close()
    folder = tmp_path / "dokumenter"
    files = sum(1 for p in folder.rglob("*") if p.is_file()) if folder.exists() else 0
    return (*counts, files)  # type: ignore[return-value]


@pytest.mark.parametrize("name", ["laegeattest.pdf", "roentgen.jpg"])
def test_pdf_and_jpeg_round_trip_byte_for_byte(
    app, kbh, case_factory, fixture_file, store_kind, tmp_path, name
) -> None:
    case_id = case_factory()
    data = fixture_file(name).read_bytes()
    response = upload(kbh, case_id, data, name)
    assert response.status_code == 201, response.json
    body = response.json
    digest = hashlib.sha256(data).hexdigest()
    assert body["sha256"] == digest
    assert body["size"] == len(data)
    assert body["path"] == HEALTH
    assert body["filename"] == (name if name.endswith(".pdf") else "roentgen.jpg")
    assert body["content_type"] == ("application/pdf" if name.endswith(".pdf") else "image/jpeg")
    assert body["scan_status"] == "not_scanned" and body["scan_label"] == "ikke scannet"

    listed = kbh.get(_url(case_id)).json
    assert [(a["id"], a["sha256"]) for a in listed] == [(body["id"], digest)]

    got = kbh.get(_url(case_id, f"/{body['id']}"))
    assert got.status_code == 200
    assert hashlib.sha256(got.data).hexdigest() == digest
    assert got.data == data
    assert got.headers["Content-Disposition"].startswith("attachment;")
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    assert got.headers["Content-Type"] == body["content_type"]
    rows, blobs, chunks, files = stored_count(app, tmp_path)
    assert rows == 1
    if store_kind == "folder":
        assert (blobs, files) == (0, 1)
        # encrypted at rest in the folder too (issue 18): the download above is the plain file
        stored = (tmp_path / "dokumenter" / digest[:2] / digest).read_bytes()
        assert stored.startswith(b"FSEF1") and data[:64] not in stored
    else:
        assert (blobs, chunks, files) == (1, 1, 0)


def test_large_file_is_stored_in_chunks_and_read_back(
    app, kbh, case_factory, make_pdf, store_kind, tmp_path
) -> None:
    case_id = case_factory()
    data = make_pdf(int(4.5 * MB))
    body = upload(kbh, case_id, data, "scanning.pdf").json
    got = kbh.get(_url(case_id, f"/{body['id']}"))
    assert got.data == data
    if store_kind == "database":
        assert stored_count(app, tmp_path)[2] == 5  # 1 MB chunks


@pytest.mark.parametrize(
    ("maker", "name", "message"),
    [
        ("elf", "laegeattest.pdf", "indholdet er et program (ELF)"),
        ("html", "side.pdf", "indholdet er en HTML-side"),
        ("encrypted", "attest.pdf", "krypteret"),
    ],
)
def test_refused_types_are_415_and_leave_nothing(
    app, kbh, case_factory, fixture_file, store_kind, tmp_path, maker, name, message
) -> None:
    data = {
        "elf": lambda: Path(shutil.which("true") or "/bin/true").read_bytes(),
        "html": lambda: fixture_file("side.html.pdf").read_bytes(),
        "encrypted": lambda: fixture_file("krypteret.pdf").read_bytes(),
    }[maker]()
    case_id = case_factory()
    response = upload(kbh, case_id, data, name)
    assert response.status_code == 415
    assert message in response.json["message"]
    assert kbh.get(_url(case_id)).json == []
    assert stored_count(app, tmp_path) == (0, 0, 0, 0)


def test_a_21_mb_file_is_413_and_leaves_nothing(
    app, kbh, case_factory, make_pdf, store_kind, tmp_path
) -> None:
    case_id = case_factory()
    response = upload(kbh, case_id, make_pdf(21 * MB), "stor.pdf")
    assert response.status_code == 413
    assert "en fil må højst fylde 20 MB" in response.json["message"]
    assert "ikke gemt" in response.json["message"]
    assert stored_count(app, tmp_path) == (0, 0, 0, 0)


def test_just_over_20_mb_names_the_file(app, kbh, case_factory, make_pdf, store_kind) -> None:
    # under the request limit (20 MB + form overhead), so the service itself measures it
    response = upload(kbh, case_factory(), make_pdf(20 * MB + 100 * 1024), "lidt-for-stor.pdf")
    assert response.status_code == 413
    assert "»lidt-for-stor.pdf« fylder 20,1 MB" in response.json["message"]


def test_a_file_pushing_the_case_over_100_mb_is_413_and_leaves_nothing(
    app, kbh, case_factory, make_pdf, tmp_path
) -> None:
    case_id = case_factory()
    for index in range(5):
        response = upload(kbh, case_id, make_pdf(int(19.5 * MB)), f"del{index}.pdf")
        assert response.status_code == 201, response.json
    before = stored_count(app, tmp_path)
    response = upload(kbh, case_id, make_pdf(3 * MB), "en-til.pdf")
    assert response.status_code == 413
    message = response.json["message"]
    assert "fylde højst 100 MB" in message and "»en-til.pdf«" in message
    assert stored_count(app, tmp_path) == before
    assert len(kbh.get(_url(case_id)).json) == 5


def test_another_municipality_gets_404_for_list_and_bytes(
    app, login, kbh, case_factory, fixture_file
) -> None:
    case_id = case_factory()
    body = upload(kbh, case_id, fixture_file("laegeattest.pdf").read_bytes(), "a.pdf").json
    ringsted = app.test_client()
    login(ringsted, "ringsted")
    assert ringsted.get(_url(case_id)).status_code == 404
    assert ringsted.get(_url(case_id, f"/{body['id']}")).status_code == 404
    pdf = fixture_file("laegeattest.pdf").read_bytes()
    assert upload(ringsted, case_id, pdf, "a.pdf").status_code == 404
    # an attachment id of another case is not found through this case either
    other = case_factory()
    assert kbh.get(_url(other, f"/{body['id']}")).status_code == 404


def test_download_is_in_the_audit_log(app, login, kbh, case_factory, fixture_file) -> None:
    case_id = case_factory()
    body = upload(kbh, case_id, fixture_file("roentgen.jpg").read_bytes(), "foto.jpg").json
    sp = app.test_client()
    login(sp, "sp")
    assert sp.get(_url(case_id, f"/{body['id']}")).status_code == 200
    session = app.extensions["forms_service.sessions"]()
    try:
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.case_id == case_id).order_by(AuditEntry.id)
        ).all()
    finally:
        session.close()
    actions = [(e.action, e.actor) for e in entries]
    assert ("attachment.upload", "kbh") in actions
    download = [e for e in entries if e.action == "attachment.download"]
    assert [(e.actor, e.details["attachment_id"], e.details["sha256"]) for e in download] == [
        ("sp", body["id"], body["sha256"])
    ]


def test_seniorpension_reads_but_does_not_upload(app, login, kbh, case_factory, fixture_file):  # type: ignore[no-untyped-def]
    case_id = case_factory()
    pdf = fixture_file("laegeattest.pdf").read_bytes()
    upload(kbh, case_id, pdf, "a.pdf")
    sp = app.test_client()
    login(sp, "sp")
    assert len(sp.get(_url(case_id)).json) == 1
    assert upload(sp, case_id, pdf, "b.pdf").status_code == 403


def test_path_must_be_an_attachment_field(kbh, case_factory, fixture_file) -> None:
    pdf = fixture_file("laegeattest.pdf").read_bytes()
    for path in ("navn", "helbredsdokumenter[0].beskrivelse", "findes_ikke", "", "x[0]"):
        response = upload(kbh, case_factory(), pdf, "a.pdf", path=path)
        assert response.status_code == 422, path
        assert "er ikke et dokumentfelt" in response.json["message"]


def test_missing_file_is_422(kbh, case_factory) -> None:
    response = kbh.post(_url(case_factory()), data={"path": HEALTH})
    assert response.status_code == 422
    assert "file" in response.json["message"]


def test_endpoints_are_in_the_openapi_description(kbh) -> None:
    spec = kbh.get("/api/v1/openapi.json").json
    paths = spec["paths"]
    upload_op = paths["/api/v1/cases/{case_id}/attachments"]["post"]
    assert "multipart/form-data" in upload_op["requestBody"]["content"]
    assert {"201", "413", "415"} <= set(upload_op["responses"])
    assert "get" in paths["/api/v1/cases/{case_id}/attachments"]
    assert "get" in paths["/api/v1/cases/{case_id}/attachments/{attachment_id}"]
    assert "get" in paths["/api/v1/cases/{case_id}/submissions/latest/pdf"]
    assert "get" in paths["/api/v1/cases/{case_id}/submissions/{number}/pdf"]


def test_an_uploaded_document_answers_its_row_for_submission_and_completeness(
    kbh, case_factory, fixture_file
) -> None:
    import json

    case_id = case_factory()
    upload(kbh, case_id, fixture_file("laegeattest.pdf").read_bytes(), "Lægeattest.pdf")
    answers = json.loads(
        (Path(__file__).parents[1] / "fixtures/answers/v1_complete.json").read_text("utf-8")
    )
    answers["helbredsdokumenter"] = [
        {"dokument": {"source": "egen_laege"}, "beskrivelse": "Lægeattest om knæ og ryg"}
    ]
    revision = kbh.get(f"/api/v1/cases/{case_id}/answers").json["revision"]
    response = kbh.post(
        f"/api/v1/cases/{case_id}/answers/submit",
        json={"base_revision": revision, "answers": answers},
    )
    assert response.status_code == 200, response.json
    saved = response.json["saved"]["answers"]
    assert saved["helbredsdokumenter"][0]["dokument"]["title"] == "Lægeattest"
    report = kbh.get(f"/api/v1/cases/{case_id}/completeness").json["report"]
    health = next(c for c in report["criteria"] if "helbred" in c["title"].lower())
    assert health["status_label"] == "Tilstrækkeligt oplyst", health
