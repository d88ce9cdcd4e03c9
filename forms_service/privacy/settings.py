"""How long personal data is kept, per case state, from configuration.

Environment (or the app's config dict without the prefix), in months unless said:

    FORMS_SERVICE_RETENTION_DECIDED_MONTHS      a granted or refused case, after the decision  60
    FORMS_SERVICE_RETENTION_WITHDRAWN_MONTHS    a withdrawn application, after the withdrawal  12
    FORMS_SERVICE_RETENTION_DRAFT_MONTHS        drafts of a case never submitted, after the     6
                                                last save (the case itself stays)
    FORMS_SERVICE_RETENTION_DOCUMENT_JOB_DAYS   zips of bulk Word documents, after they were    30
                                                made (days)

The defaults are the service's proposal, not a ruling: a decided case is kept five years
(the usual period for a case that may be reopened or complained about), a withdrawn one a
year, an abandoned draft half a year (well past the 3-month and 6-month deadlines). The
domain owners confirm them (see docs/data-protection.md).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

KEYS = (
    "RETENTION_DECIDED_MONTHS",
    "RETENTION_WITHDRAWN_MONTHS",
    "RETENTION_DRAFT_MONTHS",
    "RETENTION_DOCUMENT_JOB_DAYS",
)


class RetentionSettingsError(ValueError):
    """A retention period in the configuration is not a whole number of at least 1."""


@dataclass(frozen=True, slots=True)
class RetentionSettings:
    decided_months: int = 60
    withdrawn_months: int = 12
    draft_months: int = 6
    document_job_days: int = 30

    @classmethod
    def from_config(cls, config: Mapping[str, Any] | None = None) -> RetentionSettings:
        """From ``config`` (keys without the prefix), falling back to the environment."""
        config = config or {}

        def value(key: str, default: int) -> int:
            found = config.get(key)
            if found in (None, ""):
                found = os.environ.get("FORMS_SERVICE_" + key)
            if found in (None, ""):
                return default
            try:
                number = int(str(found).strip())
            except ValueError:
                number = 0
            if number < 1:
                raise RetentionSettingsError(
                    f"FORMS_SERVICE_{key}: skal være et helt tal på mindst 1, ikke {found!r}."
                )
            return number

        defaults = cls()
        return cls(
            decided_months=value("RETENTION_DECIDED_MONTHS", defaults.decided_months),
            withdrawn_months=value("RETENTION_WITHDRAWN_MONTHS", defaults.withdrawn_months),
            draft_months=value("RETENTION_DRAFT_MONTHS", defaults.draft_months),
            document_job_days=value("RETENTION_DOCUMENT_JOB_DAYS", defaults.document_job_days),
        )
