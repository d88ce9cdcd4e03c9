"""Who may make which Word documents (see ``cases.permissions``)."""

from __future__ import annotations

from forms_service.cases.permissions import SIGNED_IN, permission
from forms_service.cases.roles import Role

# guidance, blank forms and the citizen leaflet hold no case data
FORM_DOCUMENTS = SIGNED_IN
# a zip of filled-in forms; a municipal caseworker only for their own municipality
BULK_DOCUMENTS = permission(
    "documents.bulk", Role.SENIORPENSION_CASEWORKER, Role.ADMIN, Role.MUNICIPAL_CASEWORKER
)
# the citizen brochure's drafts, versions and changes: communications staff write it; the form
# editors keep it in step with the form's guidance
READ_BROCHURES = permission(
    "documents.brochures", Role.COMMUNICATIONS, Role.FORM_EDITOR, Role.ADMIN
)
