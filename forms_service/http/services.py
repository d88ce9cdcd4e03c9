"""The request's services, acting as the logged-in user."""

from __future__ import annotations

from flask import abort, current_app

from forms_service.cases.service import CaseService
from forms_service.http.auth import current_actor
from forms_service.http.db import db_session


def case_service() -> CaseService:
    """The request's ``CaseService`` acting as the logged-in user (401 without one)."""
    actor = current_actor()
    if actor is None:
        abort(401)
    from forms_service.archive.service import Archiver
    from forms_service.http.blobs import blob_store

    return CaseService(
        db_session(),
        actor,
        registry=current_app.extensions["forms_service.registry"],
        on_submit=Archiver(blob_store()),  # the archival PDF of every submission (issue 16)
    )
