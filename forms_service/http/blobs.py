"""The app's attachment settings and blob store, made once per app (``app.extensions``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import current_app

if TYPE_CHECKING:
    from forms_service.attachments.settings import AttachmentSettings
    from forms_service.attachments.store import BlobStore


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
