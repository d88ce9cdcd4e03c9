"""Who may do what: a ``Permission`` names one thing a user does and the roles allowed to.

Each domain declares its permissions once, in its own ``permissions`` module (cases and
users here; ``editor``, ``pilots``, ``reporting``, ``documents`` and ``notifications`` beside
their code).
The web pages and the API guard their routes with the same objects
(``http.decorators.requires``), services check them with ``allows``, and the menus show an item
to the roles of the permission behind it; no view repeats a list of roles.
"""

from __future__ import annotations

from dataclasses import dataclass

from forms_service.cases.roles import Actor, Role


@dataclass(frozen=True, slots=True)
class Permission:
    name: str  # "cases.read": for tests and messages
    roles: frozenset[Role]

    def allows(self, actor: Actor | None) -> bool:
        return actor is not None and actor.role in self.roles


def permission(name: str, *roles: Role) -> Permission:
    if not roles:
        raise ValueError(f"{name}: a permission needs at least one role")
    return Permission(name, frozenset(roles))


MUNICIPAL = Role.MUNICIPAL_CASEWORKER
SENIORPENSION = Role.SENIORPENSION_CASEWORKER

SIGNED_IN = permission("signed_in", *Role)  # the start page, logout, one's own settings

# -- cases ------------------------------------------------------------------------------------
# the analyst sees statistics only, never a case (nor a CPR number)
READ_CASES = permission("cases.read", MUNICIPAL, SENIORPENSION, Role.ADMIN)
CREATE_CASES = permission("cases.create", SENIORPENSION)
# Seniorpension's own steps on a case page (send, return, decide) and moving a case to
# another form version
SENIORPENSION_ACTIONS = permission("cases.seniorpension_actions", SENIORPENSION)
MOVE_VERSION = permission("cases.move_version", SENIORPENSION)
# a status change through the API: each side's own steps (the lifecycle decides which)
TRANSITION_CASES = permission("cases.transition", SENIORPENSION, MUNICIPAL)
WRITE_ANSWERS = permission("cases.write_answers", MUNICIPAL)  # drafts, submissions, uploads
OPEN_CASE_FORM = permission("cases.form", MUNICIPAL, SENIORPENSION)
READ_FULL_CPR = permission("cases.read_full_cpr", MUNICIPAL, SENIORPENSION)  # audited

# -- administration ---------------------------------------------------------------------------
MANAGE_USERS = permission("admin.users", Role.ADMIN)
