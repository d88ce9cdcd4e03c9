"""Refusals of an upload. Their text is Danish and safe to show; ``status`` is the HTTP answer.

They are ``CaseError``s, so the web pages and the API map them like every other case error.
"""

from __future__ import annotations

from forms_service.cases.errors import CaseError


class AttachmentRefusedError(CaseError):
    """The file is not one the service takes (type, content); nothing was stored."""

    status = 415


class AttachmentTooLargeError(CaseError):
    """The file, or the case's documents together, would exceed the limit; nothing was stored."""

    status = 413


class AttachmentInfectedError(CaseError):
    """The virus scan found something; nothing was stored."""

    status = 422


class ScannerUnavailableError(CaseError):
    """A virus scanner is configured but does not answer; nothing was stored."""

    status = 503


class AttachmentNotFoundError(CaseError):
    status = 404

    def __init__(self, message: str = "Dokumentet findes ikke.") -> None:
        super().__init__(message)
