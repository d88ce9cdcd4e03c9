"""OIOSAML privileges (the Basic Privilege Profile) as claim values a role rule can match.

Fælleskommunal Adgangsstyring and other Danish IdPs send a user's privileges as one attribute
whose value is a base64-encoded XML ``PrivilegeList``: privileges grouped by the scope they
hold in, usually an organisation's CVR number. Each privilege becomes ``<privilege>@<scope>``,
so a rule names both what the user may do and for which organisation: a privilege granted by
another municipality never matches.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable
from xml.etree.ElementTree import ParseError

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

# OIOSAML 3 and OIOSAML 2 names of the attribute.
PRIVILEGE_ATTRIBUTES = (
    "https://data.gov.dk/model/core/eid/privilegesIntermediate",
    "dk:gov:saml:attribute:Privileges_intermediate",
)
CLAIM = "privileges"


def privileges(values: Iterable[str]) -> list[str]:
    """``privilege@scope`` for every privilege in the encoded lists; a malformed list gives none."""
    found: list[str] = []
    for value in values:
        try:
            root = ElementTree.fromstring(base64.b64decode(value, validate=True))
        except (binascii.Error, ValueError, ParseError, DefusedXmlException):
            continue
        for group in root.iter():
            if _local(group.tag) != "PrivilegeGroup":
                continue
            scope = (group.get("Scope") or "").strip()
            for privilege in group:
                if _local(privilege.tag) == "Privilege" and (privilege.text or "").strip():
                    found.append(f"{privilege.text.strip()}@{scope}")
    return found


def with_privileges(attributes: dict[str, list[str]]) -> dict[str, list[str]]:
    """The attributes plus a ``privileges`` claim decoded from the privilege attribute."""
    encoded = [v for name in PRIVILEGE_ATTRIBUTES for v in attributes.get(name, [])]
    if not encoded:
        return attributes
    return attributes | {CLAIM: privileges(encoded)}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]
