"""What the web pages and the API hand out: rendered documents and bulk jobs.

Views only parse the request and call these; the rendering is ``forms_service.documents``.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from typing import Any

from flask import abort, current_app, send_file

from forms_service.answers import evaluate
from forms_service.attachments.listing import document_entries
from forms_service.cases import audit
from forms_service.cases.roles import Actor, Role
from forms_service.cases.service import CaseService
from forms_service.documents.brochure import BrochureError, brochure_versions, get_brochure
from forms_service.documents.case_jobs import case_facts, case_form_jobs
from forms_service.documents.context import CaseFacts
from forms_service.documents.jobs import JobStatus, job_output, job_status, submit_bulk
from forms_service.documents.kinds import DOCX_MIMETYPE
from forms_service.documents.render import (
    render_blank_form,
    render_brochure,
    render_case_form,
    render_guidance,
)

_VERSION = re.compile(r"^[0-9A-Za-z.+-]{1,50}$")


@dataclass(frozen=True, slots=True)
class Download:
    data: bytes
    filename: str
    mimetype: str = DOCX_MIMETYPE


def _registry() -> Any:
    return current_app.extensions["forms_service.registry"]


def definition_or_404(form: str, version: str) -> Any:
    try:
        return _registry().get(form, version)
    except (LookupError, ValueError):
        abort(404)


def case_form_download(service: CaseService, case_id: int) -> Download:
    case = service.get_case(case_id)  # 404 outside the actor's scope; the read is audited
    answer_set = service.answers_to_read(case)
    if answer_set is None:
        abort(404, description="Kommunen har endnu ikke gemt svar i sagen.")
    definition = definition_or_404(answer_set.form, answer_set.version)
    today = answer_set.created_at.date()
    # one evaluation serves the completeness report (a draft has none stored) and the document
    evaluation = evaluate(definition, answer_set.answers, today=today)
    completeness = answer_set.completeness
    if completeness is None:
        from forms_service.completeness import evaluate_completeness_for

        completeness = evaluate_completeness_for(evaluation)
    data = render_case_form(
        definition,
        evaluation,
        case=CaseFacts.from_mapping(case_facts(case, answer_set)),
        completeness=completeness,
        today=today,
        generated=dt.date.today(),
        documents=document_entries(service.session, [case.id]).get(case.id, []),
    )
    audit.record(
        service.session,
        service.actor,
        "documents.case_form",
        case_id=case.id,
        details={"answer_set": answer_set.sequence, "version": answer_set.version},
    )
    service.session.commit()
    kind = "" if answer_set.kind == "submission" else "_kladde"
    return Download(data, f"Sagsoplysningsskema_{_safe(case.case_number)}{kind}.docx")


def guidance_download(form: str, version: str) -> Download:
    definition = definition_or_404(form, version)
    return Download(render_guidance(definition), f"Vejledning_{form}_{version}.docx")


def blank_form_download(form: str, version: str) -> Download:
    definition = definition_or_404(form, version)
    return Download(render_blank_form(definition), f"Blankt_skema_{form}_{version}.docx")


def brochure_download(version: str) -> Download:
    if not _VERSION.match(version) or version not in brochure_versions():
        abort(404)
    try:
        brochure = get_brochure(version)
    except BrochureError as exc:
        abort(500, description=str(exc))
    return Download(render_brochure(brochure), f"Pjece_seniorpension_{version}.docx")


def _safe(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z_.-]+", "_", text)


# -- bulk jobs ------------------------------------------------------------------------------


def _database_url() -> str:
    return str(current_app.config["DATABASE_URL"])


def redis_url() -> str | None:
    return current_app.config.get("REDIS_URL") or None


def start_bulk(service: CaseService, municipality_code: int) -> tuple[str, int]:
    """Start a background run for the submitted cases of a municipality: (job id, count)."""
    actor = service.actor
    if actor.role is Role.MUNICIPAL_CASEWORKER and municipality_code != actor.municipality_code:
        abort(404)  # the same answer as for a municipality without cases: no scope leak
    jobs = case_form_jobs(
        service.session, municipality_code=municipality_code, registry=_registry()
    )
    from forms_service.seniorpension.municipalities import municipality_by_code

    try:
        name = municipality_by_code(municipality_code).name
    except KeyError:
        abort(404)
    job_id = submit_bulk(
        jobs,
        title=f"Udfyldte skemaer, {name} ({len(jobs)} sager)",
        database_url=_database_url(),
        redis=redis_url(),
        owner=actor.id,
    )
    audit.record(
        service.session,
        actor,
        "documents.bulk",
        details={"municipality_code": municipality_code, "cases": len(jobs), "job": job_id},
    )
    service.session.commit()
    return job_id, len(jobs)


def own_job(actor: Actor, job_id: str) -> JobStatus:
    """The job's status, if it exists and the actor started it (admins see every job)."""
    status = job_status(job_id, database_url=_database_url(), redis=redis_url())
    if status is None or (actor.role is not Role.ADMIN and status.owner != actor.id):
        abort(404)
    return status


def job_zip(actor: Actor, job_id: str) -> Download:
    """The zip of the actor's finished job, from the database (any instance serves it)."""
    status = own_job(actor, job_id)
    data = job_output(job_id, database_url=_database_url()) if status.state == "finished" else None
    if data is None:
        abort(404)
    return Download(data, status.output or "dokumenter.zip", "application/zip")


def send(download: Download) -> Any:
    response = send_file(
        io.BytesIO(download.data),
        mimetype=download.mimetype,
        as_attachment=True,
        download_name=download.filename,
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response
