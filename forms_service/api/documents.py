"""/api/v1/documents: Word documents as files, and bulk runs as background jobs.

Downloads answer with the .docx content type and a ``Content-Disposition`` file name. A bulk
run answers 202 with the job id and where to follow it; the zip is fetched when it is done.
"""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from forms_service.cases.permissions import READ_CASES
from forms_service.documents.permissions import BULK_DOCUMENTS, FORM_DOCUMENTS
from forms_service.http import downloads
from forms_service.http.auth import current_actor
from forms_service.http.decorators import requires
from forms_service.http.services import case_service

blp = Blueprint(
    "documents_api",
    __name__,
    url_prefix="/api/v1/documents",
    description="Word-dokumenter: udfyldt skema, vejledning, blankt skema, pjece; masseudtræk.",
)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class BulkRequestSchema(Schema):
    municipality_code = fields.Integer(
        required=True,
        validate=validate.Range(min=1, max=999),
        metadata={"description": "kommunekode, fx 101"},
    )


class JobErrorSchema(Schema):
    name = fields.String()
    error = fields.String()


class JobSchema(Schema):
    id = fields.String()
    title = fields.String()
    state = fields.String(metadata={"description": "queued | running | finished | failed"})
    total = fields.Integer()
    done = fields.Integer()
    failed = fields.Integer()
    percent = fields.Integer()
    finished = fields.Boolean()
    errors = fields.List(fields.Nested(JobErrorSchema))
    message = fields.String(allow_none=True)
    created_at = fields.String()
    finished_at = fields.String(allow_none=True)
    backend = fields.String(metadata={"description": "rq | local"})
    download_url = fields.String(allow_none=True)


@blp.route("/cases/<int:case_id>/form.docx")
@requires(READ_CASES)
@blp.response(200, description="Det udfyldte sagsoplysningsskema", content_type=DOCX)
def case_form(case_id: int) -> Any:
    """Det udfyldte skema for en sag (seneste indsendelse, ellers seneste kladde)."""
    return downloads.send(downloads.case_form_download(case_service(), case_id))


@blp.route("/forms/<form>/<version>/guidance.docx")
@requires(FORM_DOCUMENTS)
@blp.response(200, description="Vejledning til skemaversionen", content_type=DOCX)
def guidance(form: str, version: str) -> Any:
    """Vejledningen til en skemaversion."""
    return downloads.send(downloads.guidance_download(form, version))


@blp.route("/forms/<form>/<version>/blank.docx")
@requires(FORM_DOCUMENTS)
@blp.response(200, description="Blankt skema", content_type=DOCX)
def blank_form(form: str, version: str) -> Any:
    """Et blankt skema for en skemaversion."""
    return downloads.send(downloads.blank_form_download(form, version))


@blp.route("/brochure/<version>.docx")
@requires(FORM_DOCUMENTS)
@blp.response(200, description="Udkast til borgerpjece", content_type=DOCX)
def brochure(version: str) -> Any:
    """Udkast til pjecen om seniorpension i en version."""
    return downloads.send(downloads.brochure_download(version))


def _job_body(status: Any) -> dict[str, Any]:
    body = status.to_dict()
    body["download_url"] = (
        url_for("documents_api.job_download", job_id=status.id)
        if status.state == "finished" and status.done
        else None
    )
    return body


@blp.route("/bulk", methods=["POST"])
@requires(BULK_DOCUMENTS)
@blp.arguments(BulkRequestSchema)
@blp.response(202, JobSchema)
def bulk(body: dict[str, Any]) -> Any:
    """Start et masseudtræk af udfyldte skemaer for en kommunes indsendte sager."""
    job_id, _count = downloads.start_bulk(case_service(), body["municipality_code"])
    actor = current_actor()
    assert actor is not None
    status = downloads.own_job(actor, job_id)
    return _job_body(status), 202, {"Location": url_for("documents_api.job", job_id=job_id)}


@blp.route("/jobs/<job_id>")
@requires(BULK_DOCUMENTS)
@blp.response(200, JobSchema)
def job(job_id: str) -> Any:
    """Status for et masseudtræk."""
    actor = current_actor()
    assert actor is not None
    return _job_body(downloads.own_job(actor, job_id))


@blp.route("/jobs/<job_id>/documents.zip")
@requires(BULK_DOCUMENTS)
@blp.response(200, description="Zip med dokumenterne", content_type="application/zip")
def job_download(job_id: str) -> Any:
    """Zip-filen fra et færdigt masseudtræk."""
    actor = current_actor()
    assert actor is not None
    return downloads.send(downloads.job_zip(actor, job_id))
