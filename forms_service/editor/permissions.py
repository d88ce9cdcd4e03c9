"""Who may work on form definitions (see ``cases.permissions``)."""

from __future__ import annotations

from forms_service.cases.permissions import permission
from forms_service.cases.roles import Role

EDIT_FORMS = permission("editor.edit", Role.FORM_EDITOR)
PREVIEW_FORMS = permission(
    "editor.preview", Role.FORM_EDITOR, Role.SENIORPENSION_CASEWORKER, Role.MUNICIPAL_CASEWORKER
)
# a draft shown to the pilot municipalities by link, before it is published
PILOT_PREVIEW = permission("editor.pilot_preview", Role.MUNICIPAL_CASEWORKER, Role.FORM_EDITOR)
