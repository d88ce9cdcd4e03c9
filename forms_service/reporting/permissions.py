"""Who may see the reporting pages and their API (see ``cases.permissions``)."""

from __future__ import annotations

from forms_service.cases.permissions import permission
from forms_service.cases.roles import Role

READ_REPORTS = permission(
    "reporting.read", Role.ANALYST, Role.SENIORPENSION_CASEWORKER, Role.FORM_EDITOR
)
