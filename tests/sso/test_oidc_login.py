"""Sign-in through a real OpenID Connect provider (oidc-provider from npm, started by the tests)."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
from authlib.integrations.requests_client import OAuth2Session
from sqlalchemy import select

from forms_service.cases.models import AuditEntry, User
from forms_service.sso import oidc
from forms_service.sso.config import OidcSettings
from forms_service.sso.models import ExternalIdentity
from tests.sso.conftest import OIDC_NAME, sso_settings
from tests.sso.oidc_process import (
    CLIENT_ID,
    CLIENT_SECRET,
    OTHER_CLIENT_ID,
    OTHER_CLIENT_SECRET,
    OTHER_REDIRECT,
    log_in_at_provider,
    running_oidc_provider,
)

HERE = "http://localhost"
RINGSTED_CASEWORKER = {
    "name": "Rikke Ringsted",
    "preferred_username": "rikke",
    "groups": ["ringsted-sagsbehandlere"],
}


@pytest.fixture
def oidc_app(make_sso_app, oidc_provider):  # type: ignore[no-untyped-def]
    oidc_provider.set_accounts({"rikke": RINGSTED_CASEWORKER})
    return make_sso_app(sso_settings(oidc_provider, None))


def sign_in(client, login: str) -> Any:  # type: ignore[no-untyped-def]
    start = client.get(f"/sso/{OIDC_NAME}/login")
    assert start.status_code == 302
    back = log_in_at_provider(start.headers["Location"], login, HERE + "/")
    return client.get(back.removeprefix(HERE))


def audit_actions(app, action: str) -> list[AuditEntry]:  # type: ignore[no-untyped-def]
    with app.extensions["forms_service.sessions"]() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_login_page_offers_the_provider(oidc_app) -> None:  # type: ignore[no-untyped-def]
    page = oidc_app.test_client().get("/login?next=/cases").get_data(as_text=True)
    assert "Ringsted Kommune" in page
    assert f"/sso/{OIDC_NAME}/login?next=/cases" in page
    assert 'name="password"' in page  # local passwords stay on by default (the demo)


def test_authorization_request_uses_pkce_state_and_nonce(oidc_app, oidc_provider) -> None:  # type: ignore[no-untyped-def]
    location = oidc_app.test_client().get(f"/sso/{OIDC_NAME}/login").headers["Location"]
    assert location.startswith(oidc_provider.issuer + "/auth?")
    query = parse_qs(urlsplit(location).query)
    assert query["response_type"] == ["code"]
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) == 43
    assert query["state"][0] and query["nonce"][0]


def test_caseworker_signs_in_and_sees_only_own_municipality(oidc_app, case_factory) -> None:  # type: ignore[no-untyped-def]
    own = case_factory(municipality_code=329, case_number="SP-RINGSTED-1")
    other = case_factory(municipality_code=101, case_number="SP-KBH-1")
    client = oidc_app.test_client()

    response = sign_in(client, "rikke")
    assert response.status_code == 302

    listing = client.get("/cases/").get_data(as_text=True)
    assert "SP-RINGSTED-1" in listing
    assert "SP-KBH-1" not in listing
    assert client.get(f"/cases/{own}").status_code == 200
    assert client.get(f"/cases/{other}").status_code == 404

    with oidc_app.extensions["forms_service.sessions"]() as session:
        link = session.scalars(select(ExternalIdentity)).one()
        assert (link.provider, link.subject) == (OIDC_NAME, "rikke")
        assert link.user.username == f"{OIDC_NAME}:rikke"
        assert (link.user.role, link.user.municipality_code) == ("municipal_caseworker", 329)
        assert link.user.password_hash is None
        assert link.user.last_login_at is not None
    [login] = audit_actions(oidc_app, "auth.login")
    assert login.details == {"method": "oidc", "provider": OIDC_NAME}
    assert len(audit_actions(oidc_app, "auth.account_created")) == 1


def test_changed_group_changes_role_at_next_login(oidc_app, oidc_provider, case_factory) -> None:  # type: ignore[no-untyped-def]
    case_factory(municipality_code=101, case_number="SP-KBH-2")
    client = oidc_app.test_client()
    sign_in(client, "rikke")
    assert "SP-KBH-2" not in client.get("/cases/").get_data(as_text=True)
    client.post("/logout")

    oidc_provider.set_accounts(
        {"rikke": RINGSTED_CASEWORKER | {"groups": ["seniorpension-sagsbehandlere"]}}
    )
    sign_in(client, "rikke")
    assert "SP-KBH-2" in client.get("/cases/").get_data(as_text=True)

    with oidc_app.extensions["forms_service.sessions"]() as session:
        users = session.scalars(select(User).where(User.username.like(f"{OIDC_NAME}:%"))).all()
        assert [(u.role, u.municipality_code) for u in users] == [
            ("seniorpension_caseworker", None)
        ]
    [change] = audit_actions(oidc_app, "auth.role_changed")
    assert change.details == {
        "provider": OIDC_NAME,
        "from_role": "municipal_caseworker",
        "from_municipality": 329,
        "role": "seniorpension_caseworker",
        "municipality": None,
    }


def test_municipality_taken_from_a_claim(make_sso_app, oidc_provider, case_factory) -> None:  # type: ignore[no-untyped-def]
    oidc_provider.set_accounts(
        {
            "karl": {
                "name": "Karl",
                "groups": ["kommunale-sagsbehandlere"],
                "municipality_code": "101",
            }
        }
    )
    app = make_sso_app(sso_settings(oidc_provider, None))
    case_factory(municipality_code=101, case_number="SP-KBH-3")
    case_factory(municipality_code=329, case_number="SP-RINGSTED-3")
    client = app.test_client()
    sign_in(client, "karl")
    listing = client.get("/cases/").get_data(as_text=True)
    assert "SP-KBH-3" in listing and "SP-RINGSTED-3" not in listing


def test_user_without_mapped_role_gets_a_danish_page_and_no_account(
    oidc_app, oidc_provider
) -> None:  # type: ignore[no-untyped-def]
    oidc_provider.set_accounts({"ole": {"name": "Ole", "groups": ["kantine"]}})
    client = oidc_app.test_client()
    response = sign_in(client, "ole")
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert "Du har ikke adgang til sagsoplysningsskemaet" in page
    assert "Ringsted Kommune" in page
    assert client.get("/").status_code == 302  # not signed in
    with oidc_app.extensions["forms_service.sessions"]() as session:
        assert session.scalars(select(ExternalIdentity)).all() == []
    [refused] = audit_actions(oidc_app, "auth.login_refused")
    assert refused.details == {"provider": OIDC_NAME, "reason": "no_role"}
    assert refused.actor == f"{OIDC_NAME}:ukendt" or refused.actor.startswith(OIDC_NAME)


def test_provider_no_longer_vouching_deactivates_the_account(oidc_app, oidc_provider) -> None:  # type: ignore[no-untyped-def]
    client = oidc_app.test_client()
    sign_in(client, "rikke")
    other_browser = oidc_app.test_client()
    sign_in(other_browser, "rikke")

    oidc_provider.set_accounts({"rikke": RINGSTED_CASEWORKER | {"groups": []}})
    assert sign_in(client, "rikke").status_code == 403

    with oidc_app.extensions["forms_service.sessions"]() as session:
        assert session.scalars(select(ExternalIdentity)).one().user.active is False
    # The session still open elsewhere ends with the account.
    assert other_browser.get("/cases/").status_code == 302
    assert len(audit_actions(oidc_app, "auth.account_deactivated")) == 1


def test_a_password_given_to_a_provider_account_does_not_open_it(oidc_app) -> None:  # type: ignore[no-untyped-def]
    from forms_service.cases.users import hash_password

    sign_in(oidc_app.test_client(), "rikke")
    with oidc_app.extensions["forms_service.sessions"]() as session:
        user = session.scalars(select(ExternalIdentity)).one().user
        user.password_hash = hash_password("en-adgangskode-til-rikke")
        username = user.username
        session.commit()
    response = oidc_app.test_client().post(
        "/login", data={"username": username, "password": "en-adgangskode-til-rikke"}
    )
    assert response.status_code == 401


def test_callback_with_another_state_is_refused(oidc_app) -> None:  # type: ignore[no-untyped-def]
    client = oidc_app.test_client()
    start = client.get(f"/sso/{OIDC_NAME}/login")
    back = log_in_at_provider(start.headers["Location"], "rikke", HERE + "/")
    forged = back.replace("state=", "state=x")
    response = client.get(forged.removeprefix(HERE))
    assert response.status_code == 403
    assert "Log ind blev afvist" in response.get_data(as_text=True)
    assert audit_actions(oidc_app, "auth.login_refused")[0].details["reason"] == "state_mismatch"
    # Nor can the code be used afterwards: the pending login is gone.
    assert client.get(back.removeprefix(HERE)).status_code == 403


def test_cancelled_at_the_provider_shows_why(oidc_app) -> None:  # type: ignore[no-untyped-def]
    client = oidc_app.test_client()
    location = client.get(f"/sso/{OIDC_NAME}/login").headers["Location"]
    browser = requests.Session()
    interaction = browser.get(location, timeout=10).url  # the provider's login page
    url = interaction.rstrip("/") + "/abort"
    while not url.startswith(HERE):
        url = urljoin(url, browser.get(url, allow_redirects=False, timeout=10).headers["Location"])
    response = client.get(url.removeprefix(HERE))
    assert response.status_code == 403
    assert "Log ind blev afbrudt" in response.get_data(as_text=True)
    assert audit_actions(oidc_app, "auth.login_refused")[0].details["reason"] == "provider_error"


def _real_id_token(issuer: str, client_id: str, secret: str, redirect: str, nonce: str) -> str:
    """An ID token the provider really issued, to ``client_id``."""
    metadata = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=10).json()
    session = OAuth2Session(
        client_id,
        secret,
        scope="openid groups",
        redirect_uri=redirect,
        code_challenge_method="S256",
    )
    verifier = "v" * 64
    url, _ = session.create_authorization_url(
        metadata["authorization_endpoint"], state="s", nonce=nonce, code_verifier=verifier
    )
    back = log_in_at_provider(url, "rikke", redirect)
    token = session.fetch_token(
        metadata["token_endpoint"], authorization_response=back, code_verifier=verifier
    )
    return str(token["id_token"])


def _settings(issuer: str) -> OidcSettings:
    return OidcSettings(issuer=issuer, client_id=CLIENT_ID, client_secret=CLIENT_SECRET)


def test_id_token_checks(oidc_provider) -> None:  # type: ignore[no-untyped-def]
    oidc_provider.set_accounts({"rikke": RINGSTED_CASEWORKER})
    discovery = oidc.Discovery()
    settings = _settings(oidc_provider.issuer)

    # Another application's token (right issuer, valid signature, wrong audience) is refused.
    foreign = _real_id_token(
        oidc_provider.issuer, OTHER_CLIENT_ID, OTHER_CLIENT_SECRET, OTHER_REDIRECT, "n-1"
    )
    with pytest.raises(oidc.OidcError, match=r"id_token_invalid.*aud"):
        oidc.check_id_token(settings, discovery, foreign, nonce="n-1")
    # The same token passes for the client it was issued to: the check above is about audience.
    other = OidcSettings(oidc_provider.issuer, OTHER_CLIENT_ID, OTHER_CLIENT_SECRET)
    assert oidc.check_id_token(other, discovery, foreign, nonce="n-1")["sub"] == "rikke"
    # Another nonce (a token from another login) is refused.
    with pytest.raises(oidc.OidcError, match="nonce"):
        oidc.check_id_token(other, discovery, foreign, nonce="n-2")
    # A changed payload breaks the signature.
    header, payload, signature = foreign.split(".")
    with pytest.raises(oidc.OidcError, match="id_token_invalid"):
        oidc.check_id_token(
            other, discovery, f"{header}.{payload[:-4]}AAAA.{signature}", nonce="n-1"
        )
    # An issuer the discovery document does not name is refused.
    wrong_issuer = OidcSettings(oidc_provider.issuer + "/x", OTHER_CLIENT_ID, OTHER_CLIENT_SECRET)
    with pytest.raises(oidc.OidcError):
        oidc.check_id_token(wrong_issuer, discovery, foreign, nonce="n-1")


def test_expired_id_token_is_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with running_oidc_provider(
        tmp_path, [OTHER_REDIRECT], [], {"rikke": RINGSTED_CASEWORKER}, id_token_ttl=1
    ) as provider:
        token = _real_id_token(
            provider.issuer, OTHER_CLIENT_ID, OTHER_CLIENT_SECRET, OTHER_REDIRECT, "n"
        )
        settings = OidcSettings(
            provider.issuer, OTHER_CLIENT_ID, OTHER_CLIENT_SECRET, leeway_seconds=0
        )
        discovery = oidc.Discovery()
        assert oidc.check_id_token(settings, discovery, token, nonce="n")["sub"] == "rikke"
        time.sleep(2.1)
        with pytest.raises(oidc.OidcError, match=r"id_token_invalid.*expired"):
            oidc.check_id_token(settings, discovery, token, nonce="n")


def test_logout_ends_the_local_and_the_provider_session(oidc_app, oidc_provider) -> None:  # type: ignore[no-untyped-def]
    client = oidc_app.test_client()
    sign_in(client, "rikke")
    response = client.post("/logout")
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith(oidc_provider.issuer + "/session/end?")
    query = parse_qs(urlsplit(location).query)
    assert query["post_logout_redirect_uri"] == [f"{HERE}/login"]
    assert query["id_token_hint"][0].count(".") == 2
    # The provider accepts the hint (it would show an error page for a token it did not issue).
    page = requests.get(location, timeout=10)
    assert page.status_code == 200 and "logout" in page.text.lower()
    assert client.get("/cases/").status_code == 302


def test_large_id_token_is_not_kept_in_the_cookie_and_logout_still_works(
    oidc_app, oidc_provider
) -> None:  # type: ignore[no-untyped-def]
    many_groups = [f"gruppe-{i:04d}-{'x' * 30}" for i in range(60)] + ["ringsted-sagsbehandlere"]
    oidc_provider.set_accounts({"rikke": RINGSTED_CASEWORKER | {"groups": many_groups}})
    client = oidc_app.test_client()
    assert sign_in(client, "rikke").status_code == 302
    location = client.post("/logout").headers["Location"]
    query = parse_qs(urlsplit(location).query)
    assert "id_token_hint" not in query and query["client_id"] == [CLIENT_ID]
    assert requests.get(location, timeout=10).status_code == 200


def test_local_passwords_can_be_limited_to_admins_or_switched_off(
    make_sso_app, oidc_provider, login
) -> None:  # type: ignore[no-untyped-def]
    admins_only = make_sso_app(sso_settings(oidc_provider, None, local_login="admins"))
    client = admins_only.test_client()
    assert (
        client.post(
            "/login", data={"username": "kbh", "password": "korrekt-hest-batteri"}
        ).status_code
        == 401
    )
    [refused] = audit_actions(admins_only, "auth.login_refused")
    assert (refused.actor, refused.details) == (
        "kbh",
        {"method": "password", "reason": "bad_credentials"},
    )
    login(client, "admin")

    off = make_sso_app(sso_settings(oidc_provider, None), LOCAL_LOGIN="off")
    client = off.test_client()
    page = client.get("/login").get_data(as_text=True)
    assert 'name="password"' not in page and "Ringsted Kommune" in page
    assert (
        client.post(
            "/login", data={"username": "admin", "password": "korrekt-hest-batteri"}
        ).status_code
        == 403
    )
