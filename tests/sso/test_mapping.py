"""Claims → role and municipality, and the configuration's error messages (no Flask, no DB)."""

from __future__ import annotations

import json

import pytest

from forms_service.cases.roles import Role
from forms_service.sso.config import LocalLogin, SsoConfigError, load_config, parse_config
from forms_service.sso.mapping import Grant, grant_for
from tests.sso.conftest import ROLE_RULES


def _rules():  # type: ignore[no-untyped-def]
    config = parse_config(
        {
            "providers": [
                {
                    "name": "p",
                    "type": "oidc",
                    "issuer": "https://idp",
                    "client_id": "c",
                    "client_secret": "s",
                    "roles": ROLE_RULES,
                }
            ]
        },
        base=__import__("pathlib").Path("."),
    )
    return config.providers[0].roles


@pytest.mark.parametrize(
    ("claims", "grant"),
    [
        ({"groups": ["ringsted-sagsbehandlere"]}, Grant(Role.MUNICIPAL_CASEWORKER, 329)),
        ({"groups": "ringsted-sagsbehandlere"}, Grant(Role.MUNICIPAL_CASEWORKER, 329)),
        # The first matching rule wins: Seniorpension is listed before the municipality.
        (
            {"groups": ["ringsted-sagsbehandlere", "seniorpension-sagsbehandlere"]},
            Grant(Role.SENIORPENSION_CASEWORKER),
        ),
        (
            {"groups": ["kommunale-sagsbehandlere"], "municipality_code": "101"},
            Grant(Role.MUNICIPAL_CASEWORKER, 101),
        ),
        # A municipality from a claim must be one known code, else no role.
        ({"groups": ["kommunale-sagsbehandlere"], "municipality_code": "999"}, None),
        ({"groups": ["kommunale-sagsbehandlere"], "municipality_code": ["101", "329"]}, None),
        ({"groups": ["kommunale-sagsbehandlere"]}, None),
        ({"groups": ["kantine"]}, None),
        ({}, None),
    ],
)
def test_grant_for(claims, grant) -> None:  # type: ignore[no-untyped-def]
    assert grant_for(claims, _rules()) == grant


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"local_login": "sometimes"}, "$.local_login"),
        ({"providers": [{"name": "Has Spaces", "type": "oidc"}]}, "$.providers[0].name"),
        ({"providers": [{"name": "p", "type": "ldap", "roles": []}]}, "$.providers[0].type"),
        ({"providers": [{"name": "p", "type": "oidc", "roles": []}]}, "$.providers[0].issuer"),
        (
            {
                "providers": [
                    {
                        "name": "p",
                        "type": "saml",
                        "roles": [{"claim": "g", "value": "v", "role": "chef"}],
                    }
                ]
            },
            "$.providers[0].roles[0].role",
        ),
        (
            {
                "providers": [
                    {
                        "name": "p",
                        "type": "saml",
                        "roles": [{"claim": "g", "value": "v", "role": "municipal_caseworker"}],
                    }
                ]
            },
            "$.providers[0].roles[0]: a municipal role needs",
        ),
        (
            {
                "providers": [
                    {
                        "name": "p",
                        "type": "saml",
                        "roles": [
                            {
                                "claim": "g",
                                "value": "v",
                                "role": "municipal_caseworker",
                                "municipality": 1,
                            }
                        ],
                    }
                ]
            },
            "$.providers[0].roles[0].municipality",
        ),
        (
            {
                "providers": [
                    {
                        "name": "p",
                        "type": "oidc",
                        "issuer": "https://i",
                        "client_id": "c",
                        "client_secret_env": "FORMS_SERVICE_TEST_UNSET_SECRET",
                        "roles": [],
                    }
                ]
            },
            "FORMS_SERVICE_TEST_UNSET_SECRET",
        ),
    ],
)
def test_config_errors_name_the_json_path(data, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SsoConfigError) as error:
        parse_config(data, base=__import__("pathlib").Path("."))
    assert message in str(error.value)


def test_config_file_with_secret_from_environment(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "idp.xml").write_text("<EntityDescriptor/>")
    monkeypatch.setenv("FORMS_SERVICE_TEST_SECRET", "hemmelig")
    path = tmp_path / "sso.json"
    path.write_text(
        json.dumps(
            {
                "local_login": "admins",
                "providers": [
                    {
                        "name": "entra",
                        "type": "oidc",
                        "issuer": "https://login/x/v2.0/",
                        "client_id": "c",
                        "client_secret_env": "FORMS_SERVICE_TEST_SECRET",
                        "roles": [],
                    },
                    {"name": "fk", "type": "saml", "idp_metadata_file": "idp.xml", "roles": []},
                ],
            }
        )
    )
    config = load_config(path)
    assert config.local_login is LocalLogin.ADMINS
    entra, fk = config.providers
    assert entra.oidc is not None and entra.oidc.client_secret == "hemmelig"
    assert entra.oidc.issuer == "https://login/x/v2.0"
    assert fk.saml is not None and fk.saml.idp_metadata == "<EntityDescriptor/>"
    assert config.provider("fk") is fk
