"""Pages and downloads of Word documents (blueprint ``documents``, under /documents)."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)

from forms_service.cases.permissions import READ_CASES
from forms_service.cases.roles import Role
from forms_service.documents.brochure import brochure_versions
from forms_service.documents.pdf import pdf_available
from forms_service.documents.permissions import BULK_DOCUMENTS, FORM_DOCUMENTS
from forms_service.http import downloads
from forms_service.http.auth import current_actor
from forms_service.http.decorators import requires
from forms_service.http.services import case_service
from forms_service.web.cases.panels import add_case_panel, add_nav_item

bp = Blueprint("documents", __name__, url_prefix="/documents", template_folder="templates")


@bp.record_once
def _register(state: Any) -> None:
    add_case_panel(state.app, "documents/_case_panel.html", order=40)
    add_nav_item(state.app, "Dokumenter", "documents.index", FORM_DOCUMENTS)


@bp.route("/")
@requires(FORM_DOCUMENTS)
def index() -> Any:
    registry = current_app.extensions["forms_service.registry"]
    actor = current_actor()
    assert actor is not None
    municipalities: list[Any] = []
    if BULK_DOCUMENTS.allows(actor):
        from forms_service.seniorpension.municipalities import all_municipalities

        municipalities = [
            m
            for m in all_municipalities()
            if actor.role is not Role.MUNICIPAL_CASEWORKER or m.code == actor.municipality_code
        ]
    return render_template(
        "documents/index.html",
        forms=registry.forms(),
        brochures=brochure_versions(),
        municipalities=municipalities,
        pdf=pdf_available(),
    )


@bp.route("/cases/<int:case_id>/form.docx")
@requires(READ_CASES)
def case_form(case_id: int) -> Any:
    return downloads.send(downloads.case_form_download(case_service(), case_id))


@bp.route("/forms/<form>/<version>/guidance.docx")
@requires(FORM_DOCUMENTS)
def guidance(form: str, version: str) -> Any:
    return downloads.send(downloads.guidance_download(form, version))


@bp.route("/forms/<form>/<version>/blank.docx")
@requires(FORM_DOCUMENTS)
def blank_form(form: str, version: str) -> Any:
    return downloads.send(downloads.blank_form_download(form, version))


@bp.route("/brochure/<version>.docx")
@requires(FORM_DOCUMENTS)
def brochure(version: str) -> Any:
    return downloads.send(downloads.brochure_download(version))


@bp.route("/bulk", methods=["POST"])
@requires(BULK_DOCUMENTS)
def bulk() -> Any:
    try:
        code = int(request.form.get("municipality_code", ""))
    except ValueError:
        flash("Vælg en kommune.", "error")
        return redirect(url_for("documents.index"))
    job_id, count = downloads.start_bulk(case_service(), code)
    if not count:
        flash("Kommunen har ingen indsendte sager endnu.", "info")
    return redirect(url_for("documents.job", job_id=job_id), code=303)


@bp.route("/jobs/<job_id>")
@requires(BULK_DOCUMENTS)
def job(job_id: str) -> Any:
    actor = current_actor()
    assert actor is not None
    status = downloads.own_job(actor, job_id)
    return render_template("documents/job.html", status=status)


@bp.route("/jobs/<job_id>/status")
@requires(BULK_DOCUMENTS)
def job_status(job_id: str) -> Any:
    actor = current_actor()
    assert actor is not None
    return jsonify(downloads.own_job(actor, job_id).to_dict() | {"owner": None})


@bp.route("/jobs/<job_id>/download")
@requires(BULK_DOCUMENTS)
def job_download(job_id: str) -> Any:
    actor = current_actor()
    assert actor is not None
    return downloads.send(downloads.job_zip(actor, job_id))
