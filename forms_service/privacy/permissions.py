"""Who may do what with retention and the right of access (see ``cases.permissions``)."""

from __future__ import annotations

from forms_service.cases.permissions import permission
from forms_service.cases.roles import Role

# a legal hold keeps a case from deletion; the case page shows the hold and the access log
MANAGE_LEGAL_HOLDS = permission("privacy.legal_hold", Role.SENIORPENSION_CASEWORKER)
