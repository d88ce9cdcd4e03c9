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
# Who may do what is declared once per domain in ``permissions`` modules (``cases.permissions``).


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
