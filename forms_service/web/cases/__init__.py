"""Case pages: the caseworker's list, the case page and Seniorpension's actions.

``case_service()`` gives any view the request's ``CaseService`` acting as the logged-in user;
other blueprints (forms, documents) use it to read cases and save answers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from forms_service.cases.service import CaseService


def case_service() -> CaseService:
    from flask import abort, current_app

    from forms_service.cases.service import CaseService
    from forms_service.web.app import db_session
    from forms_service.web.auth import current_actor

    actor = current_actor()
    if actor is None:
        abort(401)
    from forms_service.archive.service import Archiver
    from forms_service.web.attachments import blob_store

    return CaseService(
        db_session(),
        actor,
        registry=current_app.extensions["forms_service.registry"],
        on_submit=Archiver(blob_store()),  # the archival PDF of every submission (issue 16)
    )
