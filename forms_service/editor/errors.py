"""Errors of the editor service: Danish, safe to show, with the HTTP status to answer with.

They are ``CaseError``s so the app's one error handler maps them for pages and the API alike.
"""

from __future__ import annotations

from typing import Any

from forms_service.cases.errors import CaseError


class EditorError(CaseError):
    status = 400


class DraftNotFoundError(EditorError):
    status = 404

    def __init__(self, message: str = "Kladden findes ikke.") -> None:
        super().__init__(message)


class VersionNotFoundError(EditorError):
    status = 404


class EditorPermissionError(EditorError):
    status = 403


class DraftClosedError(EditorError):
    """The draft was published or discarded: it cannot change any more."""

    status = 409


class VersionExistsError(EditorError):
    """The version number is taken (published versions are never replaced)."""

    status = 409


class PublishRefusedError(EditorError):
    status = 422

    def __init__(self, message: str, reasons: list[str] | None = None) -> None:
        super().__init__(message)
        self.reasons = reasons or []


class ImportRefusedError(EditorError):
    status = 409

    def __init__(self, message: str, problems: list[Any] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


class StaleDraftError(EditorError):
    """Someone saved the draft after the revision this save was based on; nothing was stored.

    Carries the posted text (so it can be shown again), the current text and what changed
    between the revision the editor started from and the current one.
    """

    status = 409

    def __init__(
        self,
        *,
        draft_id: int,
        base_revision: int,
        current_revision: int,
        current_by: str,
        posted_text: str,
        current_text: str,
        base_text: str | None,
        changes: Any,
    ) -> None:
        super().__init__(
            f"Kladden er gemt af {current_by}, siden du åbnede den (du arbejdede på revision "
            f"{base_revision}, den gemte er revision {current_revision}). Dine ændringer er ikke "
            "gemt, men vises herunder; se, hvad der er ændret imens, og gem igen."
        )
        self.draft_id = draft_id
        self.base_revision = base_revision
        self.current_revision = current_revision
        self.current_by = current_by
        self.posted_text = posted_text
        self.current_text = current_text
        self.base_text = base_text
        self.changes = changes
