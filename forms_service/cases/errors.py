"""Errors of the case service. Their text is Danish and safe to show to the user.

``status`` is the HTTP status the web and API adapters answer with, so both map errors the
same way. A case outside the user's municipality is ``CaseNotFoundError`` (404), never a
"forbidden": the user must not learn that the case exists.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class CaseError(Exception):
    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class CaseNotFoundError(CaseError):
    status = 404

    def __init__(self, message: str = "Sagen findes ikke.") -> None:
        super().__init__(message)


class PermissionDeniedError(CaseError):
    status = 403


class CaseInputError(CaseError):
    """The data given to create or change a case is invalid."""

    status = 422


class EffortLimitError(CaseError):
    """A case has had as many effort measurements today as it may take."""

    status = 429


class TransitionRefusedError(CaseError):
    status = 409


class CaseLockedError(CaseError):
    """The case is not in a state where the answers may be edited."""

    status = 409


class FormVersionConflictError(CaseError):
    """A form version is already registered with another content hash."""

    status = 409


class StaleRevisionError(CaseError):
    """The save was based on an older revision of the case; nothing was stored.

    Carries what is stored now, so the caller can show both the user's unsaved answers (which
    it still has) and the newer stored ones.
    """

    status = 409

    def __init__(
        self,
        *,
        base_revision: int | None,
        current_revision: int,
        current_answers: dict[str, Any] | None,
        current_answers_by: str | None = None,
    ) -> None:
        super().__init__(
            "Sagen er ændret, siden du åbnede den (du arbejdede på version "
            f"{base_revision}, den gemte er version {current_revision}). Dine ændringer er "
            "ikke gemt; sammenlign med den nyeste version, og gem igen."
        )
        self.base_revision = base_revision
        self.current_revision = current_revision
        self.current_answers = current_answers
        self.current_answers_by = current_answers_by


class AnswersInvalidError(CaseError):
    """A submission is not complete against the version's rules; nothing was stored."""

    status = 422

    def __init__(self, problems: Sequence[Any], *, result: Any = None) -> None:
        count = len(problems)
        super().__init__(
            f"Skemaet kan ikke indsendes: {count} "
            + ("felt mangler eller er forkert udfyldt." if count == 1 else "fejl skal rettes.")
        )
        self.problems = list(problems)
        # the service's ValidationResult (its one evaluation), for the adapter to print
        self.result = result
