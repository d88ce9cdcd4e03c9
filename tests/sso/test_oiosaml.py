"""OIOSAML privilege lists decoded into scoped claim values."""

from __future__ import annotations

import base64
from pathlib import Path

from forms_service.sso.oiosaml import PRIVILEGE_ATTRIBUTES, privileges, with_privileges

LIST = base64.b64encode(
    (Path(__file__).parent / "fixtures" / "privileges.xml").read_bytes()
).decode()
SAGSBEHANDLER = (
    "urn:dk:seniorpension:privilege:sagsbehandler@urn:dk:gov:saml:cvrNumberIdentifier:11111111"
)


def test_every_privilege_with_its_scope() -> None:
    assert privileges([LIST]) == [
        SAGSBEHANDLER,
        "urn:dk:kommune:privilege:andet-system@urn:dk:gov:saml:cvrNumberIdentifier:11111111",
        "urn:dk:kommune:privilege:laeser@urn:dk:gov:saml:cvrNumberIdentifier:22222222",
    ]


def test_malformed_or_hostile_lists_give_nothing() -> None:
    entities = b'<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><PrivilegeList>&b;</PrivilegeList>'
    assert (
        privileges(
            [
                "not base64!",
                base64.b64encode(b"<unclosed").decode(),
                base64.b64encode(entities).decode(),
            ]
        )
        == []
    )


def test_both_attribute_names_become_the_privileges_claim() -> None:
    for name in PRIVILEGE_ATTRIBUTES:
        claims = with_privileges({name: [LIST], "displayName": ["Rikke"]})
        assert claims["privileges"][0] == SAGSBEHANDLER
        assert claims["displayName"] == ["Rikke"]
    assert "privileges" not in with_privileges({"displayName": ["Rikke"]})
