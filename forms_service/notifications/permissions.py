"""Who may do what with notifications (see ``cases.permissions``)."""

from __future__ import annotations

from forms_service.cases.permissions import permission
from forms_service.cases.roles import Role

MANAGE_NOTIFICATIONS = permission("notifications.manage", Role.ADMIN)  # mailboxes, webhooks
# who gets e-mails about cases, so whose menu links to their e-mail settings
RECEIVE_EMAIL = permission(
    "notifications.receive_email", Role.MUNICIPAL_CASEWORKER, Role.SENIORPENSION_CASEWORKER
)
