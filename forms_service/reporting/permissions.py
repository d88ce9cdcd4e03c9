"""Who may see the reporting pages and their API."""

from __future__ import annotations

from forms_service.cases.roles import Role

DASHBOARD_ROLES = (Role.ANALYST, Role.SENIORPENSION_CASEWORKER, Role.FORM_EDITOR)
