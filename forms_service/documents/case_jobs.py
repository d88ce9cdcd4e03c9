"""Document jobs from the case database: the adapter between ``cases`` and the engine.

The engine (``bulk``) only knows ``DocumentJob``s with plain parameters; this module reads
cases and their latest submission with SQLAlchemy and turns each into a job. Workers then
never touch the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from forms_service.cases import db as cases_db
from forms_service.cases.lifecycle import Status
from forms_service.cases.models import AnswerSet, Case
from forms_service.cases.service import latest_submission
from forms_service.definitions.registry import registry_for
from forms_service.documents.bulk import DocumentJob, definition_params

# cases whose form has been submitted by the municipality (also after Seniorpension's review)
SUBMITTED_STATUSES: tuple[str, ...] = (
    Status.SUBMITTED.value,
    Status.SUFFICIENTLY_INFORMED.value,
    Status.DECIDED.value,
)


def case_facts(case: Case, submission: AnswerSet | None) -> dict[str, Any]:
    """The ``CaseFacts`` of a case as JSON-able data."""
    try:
        from forms_service.seniorpension.municipalities import municipality_by_code

        municipality = (
            f"{case.municipality_code} {municipality_by_code(case.municipality_code).name}"
        )
    except KeyError:
        municipality = str(case.municipality_code)
    try:
        status = Status(case.status).label
    except ValueError:
        status = case.status

    def iso(value: dt.date | dt.datetime | None) -> str | None:
        if value is None:
            return None
        return (value.date() if isinstance(value, dt.datetime) else value).isoformat()

    return {
        "reference": case.case_number,
        "municipality": municipality,
        "citizen_name": case.citizen_name,
        "cpr": case.cpr,
        "status": status,
        "application_date": iso(case.application_date),
        "requested_date": iso(case.request_date),
        "municipality_deadline": iso(case.municipality_deadline),
        "decision_deadline": iso(case.decision_deadline),
        "submitted_at": iso(submission.created_at) if submission else None,
    }


def case_form_job(
    case: Case, *, mask_cpr: bool = False, registry: Any = None
) -> DocumentJob | None:
    """The job for a case's filled-in form: its latest submission, evaluated as of the day
    it was submitted (so the document is the same whenever it is made).

    The version comes from ``registry`` (default: the process's definition source): a file
    the workers load, or, for a version published in the editor, the definition itself."""
    submission = latest_submission(case)
    if submission is None:
        return None
    where = definition_params(submission.form, submission.version, registry)
    return DocumentJob(
        name=case.case_number,
        kind="case_form",
        params={
            **where,
            "answers": submission.answers,
            "completeness": submission.completeness,
            "case": case_facts(case, submission),
            "today": submission.created_at.date().isoformat(),
            "mask_cpr": mask_cpr,
        },
    )


def case_form_jobs(
    session: Session,
    *,
    municipality_code: int | None = None,
    statuses: Iterable[str] | None = None,
    case_ids: Sequence[int] | None = None,
    mask_cpr: bool = False,
    registry: Any = None,
) -> list[DocumentJob]:
    query = select(Case).options(selectinload(Case.answer_sets)).order_by(Case.case_number)
    if municipality_code is not None:
        query = query.where(Case.municipality_code == municipality_code)
    query = query.where(Case.status.in_(tuple(statuses or SUBMITTED_STATUSES)))
    if case_ids is not None:
        query = query.where(Case.id.in_(case_ids))
    from forms_service.attachments.listing import document_entries

    cases = list(session.scalars(query))
    documents = document_entries(session, [case.id for case in cases])
    jobs = []
    for case in cases:
        job = case_form_job(case, mask_cpr=mask_cpr, registry=registry)
        if job is not None:
            job.params["documents"] = documents.get(case.id, [])
            jobs.append(job)
    return jobs


def case_form_jobs_for_municipality(
    municipality_code: int,
    *,
    statuses: Iterable[str] | None = None,
    database_url: str | None = None,
    mask_cpr: bool = False,
) -> list[DocumentJob]:
    """Jobs for every submitted case of a municipality, read from the configured database."""
    engine = cases_db.make_engine(cases_db.database_url(database_url))
    try:
        cases_db.check_migrated(engine)
        session = cases_db.make_session_factory(engine)()
        try:
            return case_form_jobs(
                session,
                municipality_code=municipality_code,
                statuses=statuses,
                mask_cpr=mask_cpr,
                registry=registry_for(database_url),
            )
        finally:
            session.close()
    finally:
        engine.dispose()
