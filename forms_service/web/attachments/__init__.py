"""Uploaded documents and archival PDFs on the web and in the API: the request's services.

The settings and the blob store are made once per app (``app.extensions``); the services are
made per request around the request's ``CaseService``, so access is exactly the case's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import current_app

if TYPE_CHECKING:
    from forms_service.archive.service import ArchiveService
    from forms_service.attachments.service import AttachmentService
    from forms_service.attachments.settings import AttachmentSettings
    from forms_service.attachments.store import BlobStore
    from forms_service.cases.service import CaseService


def attachment_settings() -> AttachmentSettings:
    from forms_service.attachments.settings import AttachmentSettings

    key = "forms_service.attachment_settings"
    if key not in current_app.extensions:
        current_app.extensions[key] = AttachmentSettings.from_config(current_app.config)
    return current_app.extensions[key]  # type: ignore[no-any-return]


def blob_store() -> BlobStore:
    from forms_service.attachments.store import make_store

    key = "forms_service.blob_store"
    if key not in current_app.extensions:
        engine = current_app.extensions["forms_service.engine"]
        current_app.extensions[key] = make_store(attachment_settings().folder, engine)
    return current_app.extensions[key]  # type: ignore[no-any-return]


def attachment_service(cases: CaseService | None = None) -> AttachmentService:
    from forms_service.attachments.service import AttachmentService
    from forms_service.web.cases import case_service

    return AttachmentService(cases or case_service(), attachment_settings(), blob_store())


def archive_service(cases: CaseService | None = None) -> ArchiveService:
    from forms_service.archive.service import ArchiveService
    from forms_service.web.cases import case_service

    return ArchiveService(cases or case_service(), blob_store())
