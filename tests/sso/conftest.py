"""Fixtures of the single sign-on tests: a real OIDC provider and a real SAML IdP."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.sso.oidc_process import CLIENT_ID, CLIENT_SECRET, OidcProvider, running_oidc_provider
from tests.sso.saml_idp import SamlIdentityProvider

OIDC_NAME = "kommune-oidc"
SAML_NAME = "kommune-saml"
# Groups (OIDC) and privileges (SAML) as an organisation's administrator would name them.
ROLE_RULES: list[dict[str, Any]] = [
    {
        "claim": "groups",
        "value": "seniorpension-sagsbehandlere",
        "role": "seniorpension_caseworker",
    },
    {
        "claim": "groups",
        "value": "ringsted-sagsbehandlere",
        "role": "municipal_caseworker",
        "municipality": 329,
    },
    {
        "claim": "groups",
        "value": "kommunale-sagsbehandlere",
        "role": "municipal_caseworker",
        "municipality_claim": "municipality_code",
    },
]


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OidcProvider]:
    with running_oidc_provider(
        tmp_path_factory.mktemp("oidc"),
        redirect_uris=[f"http://localhost/sso/oidc/{OIDC_NAME}/callback"],
        post_logout_redirect_uris=["http://localhost/login"],
        accounts={},
    ) as provider:
        yield provider


@pytest.fixture
def saml_idp(tmp_path: Path) -> SamlIdentityProvider:
    return SamlIdentityProvider(tmp_path)


def sso_settings(
    oidc_provider: OidcProvider | None, saml_idp: SamlIdentityProvider | None, **extra: Any
) -> dict[str, Any]:
    providers: list[dict[str, Any]] = []
    if oidc_provider is not None:
        providers.append(
            {
                "name": OIDC_NAME,
                "type": "oidc",
                "label": "Ringsted Kommune",
                "issuer": oidc_provider.issuer,
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "scopes": ["openid", "profile", "groups"],
                "roles": ROLE_RULES,
            }
        )
    if saml_idp is not None:
        providers.append(
            {
                "name": SAML_NAME,
                "type": "saml",
                "label": "Fælleskommunal Adgangsstyring",
                "idp_metadata": saml_idp.metadata(),
                "username_attribute": "name_id",
                "roles": ROLE_RULES,
            }
        )
    return {"providers": providers, **extra}


@pytest.fixture
def make_sso_app(db_url: str, db_engine, users, tmp_path: Path) -> Iterator[Callable[..., Any]]:  # type: ignore[no-untyped-def]
    from forms_service.app import create_app

    made: list[Any] = []

    def make(sso: dict[str, Any], **config: Any) -> Any:
        application = create_app(
            {
                "DATABASE_URL": db_url,
                "TESTING": True,
                "WTF_CSRF_ENABLED": False,
                "SECRET_KEY": "test-secret",
                "INSTANCE_PATH": str(tmp_path / "instance"),
                "SSO": sso,
                **config,
            }
        )
        made.append(application)
        return application

    yield make
    for application in made:
        application.extensions["forms_service.engine"].dispose()
