"""Web routes for documents: upload from the form's script, downloads, and receipts.

``POST /cases/<id>/attachments``                 one file (``file``, ``path``), JSON answer
``GET  /cases/<id>/attachments/<att_id>``        the document, as a download (audited)
``GET  /cases/<id>/submissions/<n>/kvittering.pdf``  the archival PDF of submission n (audited)
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request

from forms_service.cases.errors import CaseError, CaseInputError
from forms_service.cases.permissions import READ_CASES, WRITE_ANSWERS
from forms_service.http.attachments import archive_service, attachment_service, attachment_settings
from forms_service.http.decorators import requires
from forms_service.http.uploads import attachment_response, limit_upload, receipt_response
from forms_service.web.attachments.form import describe
from forms_service.web.cases.panels import add_case_panel

bp = Blueprint("attachments", __name__)
bp.record_once(lambda state: add_case_panel(state.app, "attachments/_case_panel.html", order=15))


@bp.route("/cases/<int:case_id>/attachments", methods=["POST"])
@requires(WRITE_ANSWERS)
def upload(case_id: int) -> Any:
    try:
        limit_upload(attachment_settings().max_file_bytes)
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            raise CaseInputError("Vælg en fil.")
        row = attachment_service().upload(
            case_id, request.form.get("path", ""), upload.stream, upload.filename
        )
    except CaseError as error:
        return jsonify({"code": error.status, "message": error.message}), error.status
    item = describe(row)
    item["uploaded_at"] = row.uploaded_at.isoformat()
    return jsonify(item), 201


@bp.route("/cases/<int:case_id>/attachments/<int:attachment_id>")
@requires(READ_CASES)
def download(case_id: int, attachment_id: int) -> Any:
    return attachment_response(attachment_service().download(case_id, attachment_id))


@bp.route("/cases/<int:case_id>/submissions/<int:number>/kvittering.pdf")
@requires(READ_CASES)
def receipt(case_id: int, number: int) -> Any:
    return receipt_response(archive_service().download(case_id, number))


@bp.app_template_global("attachment_files")
def attachment_files(name: str) -> Any:
    from forms_service.web.attachments.form import files_for

    return files_for(name)


@bp.app_template_global("case_documents")
def case_documents(case: Any) -> dict[str, Any]:
    """The case page's panel: the documents and the receipts of a case already loaded."""
    from flask import url_for

    documents = [describe(row) for row in attachment_service().of_case(case.id)]
    receipts = [
        {
            "number": archive.number,
            "created_at": archive.created_at,
            "sha256": archive.sha256,
            "url": url_for("attachments.receipt", case_id=case.id, number=archive.number),
        }
        for archive in archive_service().of_case(case.id)
    ]
    return {"documents": documents, "receipts": receipts}
