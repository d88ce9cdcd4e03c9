"""Claims or attributes → role and municipality, by the provider's ordered rules.

The first rule whose claim carries its value wins, so a configuration lists its most specific
rules first. No rule: the provider does not vouch for the user here, and no account is made.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from forms_service.cases.roles import Role
from forms_service.seniorpension.municipalities import municipality_by_code
from forms_service.sso.config import RoleRule


@dataclass(frozen=True, slots=True)
class Grant:
    role: Role
    municipality_code: int | None = None


def claim_values(claims: Mapping[str, Any], name: str) -> list[str]:
    """Every value of a claim as text (a claim may be one value or a list)."""
    value = claims.get(name)
    if value is None:
        return []
    if isinstance(value, list | tuple | set):
        return [str(v) for v in value]
    return [str(value)]


def grant_for(claims: Mapping[str, Any], rules: Iterable[RoleRule]) -> Grant | None:
    for rule in rules:
        if rule.value not in claim_values(claims, rule.claim):
            continue
        if rule.role is not Role.MUNICIPAL_CASEWORKER:
            return Grant(rule.role)
        if rule.municipality is not None:
            return Grant(rule.role, rule.municipality)
        code = _municipality(claim_values(claims, rule.municipality_claim or ""))
        if code is not None:
            return Grant(rule.role, code)
    return None


def _municipality(values: list[str]) -> int | None:
    # Exactly one known municipality code; several would make the scope ambiguous.
    if len(values) != 1:
        return None
    try:
        return municipality_by_code(int(values[0])).code
    except (KeyError, ValueError):
        return None
