"""The archival PDF of a submission, read back: PDF/A-3b identification in the XMP metadata,
the embedded answers equal to the stored ones, the citizen's answers in the text, the sha256
stored with the submission, earlier submissions unchanged, and the case's scope."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from forms_service.archive.models import SubmissionArchive
from forms_service.cases.models import AnswerSet, AuditEntry

ANSWERS = Path(__file__).parents[1] / "fixtures" / "answers"
HEALTH = "helbredsdokumenter[0].dokument"


def example(name: str) -> dict:
    return json.loads((ANSWERS / name).read_text(encoding="utf-8"))


@pytest.fixture
def kbh(app, login):  # type: ignore[no-untyped-def]
    client = app.test_client()
    login(client, "kbh")
    return client


@pytest.fixture
def sp(app, login):  # type: ignore[no-untyped-def]
    client = app.test_client()
    login(client, "sp")
    return client


def _revision(client, case_id: int) -> int:  # type: ignore[no-untyped-def]
    return client.get(f"/api/v1/cases/{case_id}/answers").json["revision"]


def submit(client, case_id: int, answers: dict) -> dict:  # type: ignore[no-untyped-def]
    response = client.post(
        f"/api/v1/cases/{case_id}/answers/submit",
        json={"base_revision": _revision(client, case_id), "answers": answers},
    )
    assert response.status_code == 200, response.json
    return response.json


def _stored(app, case_id: int) -> list[tuple[AnswerSet, SubmissionArchive]]:  # type: ignore[no-untyped-def]
    session = app.extensions["forms_service.sessions"]()
    try:
        rows = session.execute(
            select(AnswerSet, SubmissionArchive)
            .join(SubmissionArchive, SubmissionArchive.answer_set_id == AnswerSet.id)
            .where(AnswerSet.case_id == case_id)
            .order_by(SubmissionArchive.number)
        ).all()
        return [(a, s) for a, s in rows]
    finally:
        session.close()


def test_archival_pdf_reads_back_as_pdfa_with_the_stored_answers(
    app, kbh, sp, case_factory, fixture_file
) -> None:
    case_id = case_factory(citizen_name="Karin Holm Madsen")
    attest = fixture_file("laegeattest.pdf").read_bytes()
    uploaded = kbh.post(
        f"/api/v1/cases/{case_id}/attachments",
        data={"file": (io.BytesIO(attest), "Lægeattest.pdf"), "path": HEALTH},
        content_type="multipart/form-data",
    ).json
    answers = example("v1_complete.json")
    submit(kbh, case_id, answers)

    response = kbh.get(f"/api/v1/cases/{case_id}/submissions/latest/pdf")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    pdf = response.data
    [(answer_set, archive)] = _stored(app, case_id)
    assert archive.sha256 == hashlib.sha256(pdf).hexdigest()
    assert (archive.number, archive.size) == (1, len(pdf))

    reader = PdfReader(io.BytesIO(pdf))
    # PDF/A identification in the XMP metadata: part 3, conformance B
    xmp = reader.xmp_metadata
    assert xmp is not None
    description = xmp.rdf_root.getElementsByTagNameNS(
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "Description"
    )
    ids = {
        (d.getAttribute("pdfaid:part"), d.getAttribute("pdfaid:conformance"))
        for d in description
        if d.hasAttribute("pdfaid:part")
    }
    assert ids == {("3", "B")}
    # the answers and the completeness report embedded as associated files
    embedded = {name: data[0] for name, data in reader.attachments.items()}
    assert json.loads(embedded["svar.json"]) == answer_set.answers
    assert json.loads(embedded["fuldstaendighed.json"]) == answer_set.completeness
    catalog = reader.trailer["/Root"]
    assert len(catalog["/AF"]) == 2
    relationships = {str(spec.get_object()["/AFRelationship"]) for spec in catalog["/AF"]}
    assert relationships == {"/Data"}

    text = "\n".join(page.extract_text() for page in reader.pages)
    flat = " ".join(text.split())
    assert "Karin Holm Madsen" in flat
    assert "Lægeattest om slidgigt i knæ og lænderyg" in flat  # an answer in a table row
    assert f"sagsoplysningsskema@{answer_set.version}" in flat
    assert answer_set.content_hash[:20] in flat.replace(" ", "")
    assert "Test kbh" in flat  # who submitted
    assert uploaded["sha256"][:20] in flat.replace(" ", "")  # the document and its hash
    assert "Lægeattest.pdf" in flat

    # Seniorpension gets the same bytes; another municipality gets nothing
    assert sp.get(f"/api/v1/cases/{case_id}/submissions/1/pdf").data == pdf
    from forms_service.cases.models import User  # noqa: F401 - users fixture made "ringsted"

    session = app.extensions["forms_service.sessions"]()
    try:
        actions = [
            (e.action, e.actor)
            for e in session.scalars(select(AuditEntry).where(AuditEntry.case_id == case_id))
        ]
    finally:
        session.close()
    assert ("archive.download", "kbh") in actions and ("archive.download", "sp") in actions


def test_each_submission_keeps_its_own_unchanged_archive(app, login, kbh, sp, case_factory):  # type: ignore[no-untyped-def]
    case_id = case_factory()
    answers = example("v1_complete.json")
    submit(kbh, case_id, answers)
    first = kbh.get(f"/api/v1/cases/{case_id}/submissions/1/pdf").data

    case = sp.get(f"/api/v1/cases/{case_id}").json
    returned = sp.post(
        f"/api/v1/cases/{case_id}/transitions",
        json={
            "to": "returned",
            "reason": "Uddyb arbejdsfunktionerne.",
            "revision": case["revision"],
        },
    )
    assert returned.status_code == 200, returned.json
    answers["faglig_forklaring"] = answers["faglig_forklaring"] + " Uddybet efter retur."
    submit(kbh, case_id, answers)

    listed = kbh.get(f"/api/v1/cases/{case_id}/submissions").json
    assert [s["number"] for s in listed] == [1, 2]
    latest = kbh.get(f"/api/v1/cases/{case_id}/submissions/latest/pdf").data
    assert hashlib.sha256(latest).hexdigest() == listed[1]["sha256"]
    assert kbh.get(f"/api/v1/cases/{case_id}/submissions/1/pdf").data == first
    assert hashlib.sha256(first).hexdigest() == listed[0]["sha256"]
    text = " ".join(PdfReader(io.BytesIO(latest)).pages[0].extract_text().split())
    assert "indsendelse nr. 2" in text
    assert kbh.get(f"/api/v1/cases/{case_id}/submissions/3/pdf").status_code == 404

    ringsted = app.test_client()
    login(ringsted, "ringsted")
    assert ringsted.get(f"/api/v1/cases/{case_id}/submissions/latest/pdf").status_code == 404
    assert ringsted.get(f"/api/v1/cases/{case_id}/submissions").status_code == 404


def test_a_draft_has_no_archive(kbh, case_factory) -> None:
    case_id = case_factory()
    response = kbh.put(
        f"/api/v1/cases/{case_id}/answers/draft",
        json={"base_revision": _revision(kbh, case_id), "answers": {"navn": "Karin"}},
    )
    assert response.status_code == 200
    assert kbh.get(f"/api/v1/cases/{case_id}/submissions").json == []
    assert kbh.get(f"/api/v1/cases/{case_id}/submissions/latest/pdf").status_code == 404


def test_an_archive_row_cannot_be_changed(app, kbh, case_factory) -> None:
    case_id = case_factory()
    submit(kbh, case_id, example("v1_complete.json"))
    session = app.extensions["forms_service.sessions"]()
    try:
        archive = session.scalar(
            select(SubmissionArchive).where(SubmissionArchive.case_id == case_id)
        )
        assert archive is not None
        archive.sha256 = "0" * 64
        with pytest.raises(RuntimeError, match="never changes"):
            session.flush()
    finally:
        session.rollback()
        session.close()
