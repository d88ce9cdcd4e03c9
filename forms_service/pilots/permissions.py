"""Who may do what with pilots (see ``cases.permissions``)."""

from __future__ import annotations

from forms_service.cases.permissions import permission
from forms_service.cases.roles import Role

READ_PILOTS = permission(
    "pilots.read", Role.FORM_EDITOR, Role.SENIORPENSION_CASEWORKER, Role.ANALYST, Role.ADMIN
)
MANAGE_PILOTS = permission("pilots.manage", Role.FORM_EDITOR)
# ending moves the pilot's open cases; the pilot's creator or an admin (checked on the page)
END_PILOTS = permission("pilots.end", Role.FORM_EDITOR, Role.SENIORPENSION_CASEWORKER, Role.ADMIN)
GIVE_FEEDBACK = permission("pilots.feedback", Role.MUNICIPAL_CASEWORKER)
