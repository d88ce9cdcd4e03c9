"""/api/v1/cases/<id>/attachments and /submissions: a case's documents and its receipts.

Uploads are multipart (``file`` and ``path``, the answer path of the attachment field as
validation problems name it). A refused type answers 415, a too large file or case 413, each
with a Danish message; nothing is stored then. Bytes are always downloads with ``nosniff``.
"""

from __future__ import annotations

from typing import Any

from flask import request
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from forms_service.attachments.scan import SCAN_LABELS
from forms_service.cases.errors import CaseInputError
from forms_service.cases.permissions import READ_CASES, WRITE_ANSWERS
from forms_service.http.attachments import archive_service, attachment_service, attachment_settings
from forms_service.http.decorators import requires
from forms_service.http.uploads import attachment_response, limit_upload, receipt_response

blp = Blueprint(
    "attachments_api",
    __name__,
    url_prefix="/api/v1/cases",
    description="Dokumenter til en sag og arkiv-PDF'er (kvitteringer) af indsendelserne",
)


class AttachmentSchema(Schema):
    id = fields.Integer()
    sha256 = fields.String()
    size = fields.Integer(metadata={"description": "bytes"})
    content_type = fields.String(metadata={"description": "afgjort ud fra indholdet"})
    filename = fields.String()
    path = fields.String(metadata={"description": "fx helbredsdokumenter[0].dokument"})
    scan_status = fields.String(metadata={"description": "clean | not_scanned"})
    scan_label = fields.Function(lambda row: SCAN_LABELS.get(row.scan_status, row.scan_status))
    uploaded_by = fields.String(attribute="uploaded_by_name")
    uploaded_at = fields.DateTime()


class SubmissionArchiveSchema(Schema):
    number = fields.Integer()
    sha256 = fields.String()
    size = fields.Integer()
    created_at = fields.DateTime()


UPLOAD_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file", "path"],
                "properties": {
                    "file": {"type": "string", "format": "binary"},
                    "path": {
                        "type": "string",
                        "example": "helbredsdokumenter[0].dokument",
                        "description": "svarstien til dokumentfeltet",
                    },
                },
            }
        }
    },
}
ERROR_RESPONSES = {
    "413": {"description": "Filen eller sagens dokumenter tilsammen er for store"},
    "415": {"description": "Filtypen modtages ikke (afgjort ud fra indholdet)"},
}
BINARY = {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}


@blp.route("/<int:case_id>/attachments", methods=["POST"])
@requires(WRITE_ANSWERS)
@blp.doc(requestBody=UPLOAD_BODY, responses=ERROR_RESPONSES)
@blp.response(201, AttachmentSchema)
def upload(case_id: int) -> Any:
    """Upload et dokument til et dokumentfelt i sagen (kun kommunen, mens den har sagen)."""
    limit_upload(attachment_settings().max_file_bytes)
    upload = request.files.get("file")
    if upload is None:
        raise CaseInputError("Vedhæft filen i feltet »file«.")
    path = request.form.get("path", "")
    return attachment_service().upload(case_id, path, upload.stream, upload.filename)


@blp.route("/<int:case_id>/attachments", methods=["GET"])
@requires(READ_CASES)
@blp.response(200, AttachmentSchema(many=True))
def list_attachments(case_id: int) -> Any:
    """Sagens dokumenter."""
    return attachment_service().list(case_id)


@blp.route("/<int:case_id>/attachments/<int:attachment_id>", methods=["GET"])
@requires(READ_CASES)
@blp.doc(responses={"200": {"description": "Dokumentets indhold", "content": BINARY}})
def download(case_id: int, attachment_id: int) -> Any:
    """Dokumentets indhold som download (hver hentning skrives i revisionssporet)."""
    return attachment_response(attachment_service().download(case_id, attachment_id))


@blp.route("/<int:case_id>/submissions", methods=["GET"])
@requires(READ_CASES)
@blp.response(200, SubmissionArchiveSchema(many=True))
def list_submissions(case_id: int) -> Any:
    """Sagens indsendelser med arkiv-PDF'ens sha256."""
    return archive_service().list(case_id)


PDF_RESPONSE = {
    "200": {
        "description": "Arkiv-PDF (PDF/A-3b) af indsendelsen: kvitteringen",
        "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
    }
}


@blp.route("/<int:case_id>/submissions/latest/pdf", methods=["GET"])
@requires(READ_CASES)
@blp.doc(responses=PDF_RESPONSE)
def latest_pdf(case_id: int) -> Any:
    """Arkiv-PDF'en af den seneste indsendelse."""
    return _pdf(case_id, None)


@blp.route("/<int:case_id>/submissions/<int:number>/pdf", methods=["GET"])
@requires(READ_CASES)
@blp.doc(responses=PDF_RESPONSE)
def numbered_pdf(case_id: int, number: int) -> Any:
    """Arkiv-PDF'en af indsendelse nr. ``number`` (1 er den første)."""
    return _pdf(case_id, number)


def _pdf(case_id: int, number: int | None) -> Any:
    return receipt_response(archive_service().download(case_id, number))
