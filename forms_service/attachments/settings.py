"""Limits, allowed types, storage and scanner of uploaded documents, from configuration.

Environment (or the app's config dict without the prefix):

    FORMS_SERVICE_ATTACHMENT_TYPES        allowed types, comma-separated   pdf,jpeg,png,docx
    FORMS_SERVICE_ATTACHMENT_MAX_FILE_MB  largest file                     20
    FORMS_SERVICE_ATTACHMENT_MAX_CASE_MB  all documents of one case        100
    FORMS_SERVICE_ATTACHMENT_DIR          keep the bytes in this folder    (the database)
    FORMS_SERVICE_CLAMD_URL               tcp://host:3310 or unix:///path  (no scan: "ikke scannet")
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from forms_service.attachments.detect import DEFAULT_TYPES, FILE_TYPES

MB = 1024 * 1024
DEFAULT_MAX_FILE = 20 * MB
DEFAULT_MAX_CASE = 100 * MB
KEYS = (
    "ATTACHMENT_TYPES",
    "ATTACHMENT_MAX_FILE_MB",
    "ATTACHMENT_MAX_CASE_MB",
    "ATTACHMENT_DIR",
    "CLAMD_URL",
)


@dataclass(frozen=True, slots=True)
class AttachmentSettings:
    allowed_types: tuple[str, ...] = DEFAULT_TYPES
    max_file_bytes: int = DEFAULT_MAX_FILE
    max_case_bytes: int = DEFAULT_MAX_CASE
    folder: str | None = None
    clamd_url: str | None = None

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> AttachmentSettings:
        """From ``config`` (keys without the prefix), falling back to the environment."""

        def value(key: str) -> Any:
            found = config.get(key)
            return found if found not in (None, "") else os.environ.get("FORMS_SERVICE_" + key)

        types = value("ATTACHMENT_TYPES")
        allowed = DEFAULT_TYPES
        if types:
            listed = [t.strip().lower() for t in str(types).split(",") if t.strip()]
            listed = ["jpeg" if t in ("jpg", "jpeg") else t for t in listed]
            unknown = [t for t in listed if t not in FILE_TYPES]
            if unknown:
                raise ValueError(
                    f"FORMS_SERVICE_ATTACHMENT_TYPES: ukendte filtyper {', '.join(unknown)} "
                    f"(kendte: {', '.join(FILE_TYPES)})"
                )
            allowed = tuple(listed)
        return cls(
            allowed_types=allowed,
            max_file_bytes=_megabytes(value("ATTACHMENT_MAX_FILE_MB"), DEFAULT_MAX_FILE),
            max_case_bytes=_megabytes(value("ATTACHMENT_MAX_CASE_MB"), DEFAULT_MAX_CASE),
            folder=value("ATTACHMENT_DIR") or None,
            clamd_url=value("CLAMD_URL") or None,
        )


def _megabytes(value: Any, default: int) -> int:
    if value in (None, ""):
        return default
    return int(float(value) * MB)
