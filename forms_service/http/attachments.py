"""Uploaded documents and archival PDFs on the web and in the API: the request's services.

The settings and the blob store are made once per app (``app.extensions``); the services are
made per request around the request's ``CaseService``, so access is exactly the case's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from forms_service.http.blobs import attachment_settings, blob_store

if TYPE_CHECKING:
    from forms_service.archive.service import ArchiveService
    from forms_service.attachments.service import AttachmentService
    from forms_service.cases.service import CaseService


def attachment_service(cases: CaseService | None = None) -> AttachmentService:
    from forms_service.attachments.service import AttachmentService
    from forms_service.http.services import case_service

    return AttachmentService(cases or case_service(), attachment_settings(), blob_store())


def archive_service(cases: CaseService | None = None) -> ArchiveService:
    from forms_service.archive.service import ArchiveService
    from forms_service.http.services import case_service

    return ArchiveService(cases or case_service(), blob_store())
