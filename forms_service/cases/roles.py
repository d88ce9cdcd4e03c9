"""Roles and the acting user, as plain data (no Flask), shared by the service, web and API."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from forms_service.cases.lifecycle import Party


class Role(StrEnum):
    MUNICIPAL_CASEWORKER = "municipal_caseworker"
    SENIORPENSION_CASEWORKER = "seniorpension_caseworker"
    FORM_EDITOR = "form_editor"
    ANALYST = "analyst"
    COMMUNICATIONS = "communications"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS: dict[Role, str] = {
    Role.MUNICIPAL_CASEWORKER: "Kommunal sagsbehandler",
    Role.SENIORPENSION_CASEWORKER: "Sagsbehandler i Seniorpension",
    Role.FORM_EDITOR: "Skemaredaktør",
    Role.ANALYST: "Analytiker",
    Role.COMMUNICATIONS: "Kommunikationsmedarbejder",
    Role.ADMIN: "Administrator",
}

ALL_ROLES: tuple[Role, ...] = tuple(Role)
# Who may open case pages (the analyst sees statistics only, never a CPR number).
CASE_READERS: tuple[Role, ...] = (
    Role.MUNICIPAL_CASEWORKER,
    Role.SENIORPENSION_CASEWORKER,
    Role.ADMIN,
)
# Who may read the citizen brochure's drafts, their versions and changes: communications staff
# write it; the form editors keep it in step with the form's guidance.
BROCHURE_READERS: tuple[Role, ...] = (Role.COMMUNICATIONS, Role.FORM_EDITOR, Role.ADMIN)
SENIORPENSION_STAFF: tuple[Role, ...] = (Role.SENIORPENSION_CASEWORKER,)


@dataclass(frozen=True, slots=True)
class Actor:
    """The user acting on the service: who is written into events and the audit log."""

    id: int | None
    username: str
    role: Role
    municipality_code: int | None = None
    display_name: str = ""

    @property
    def party(self) -> Party | None:
        """The lifecycle party this user acts for (None: may only read cases)."""
        if self.role is Role.MUNICIPAL_CASEWORKER:
            return Party.MUNICIPALITY
        if self.role is Role.SENIORPENSION_CASEWORKER:
            return Party.SENIORPENSION
        return None

    @property
    def name(self) -> str:
        return self.display_name or self.username

    @property
    def is_municipal(self) -> bool:
        return self.role is Role.MUNICIPAL_CASEWORKER


SYSTEM_ACTOR = Actor(id=None, username="system", role=Role.ADMIN, display_name="System")
