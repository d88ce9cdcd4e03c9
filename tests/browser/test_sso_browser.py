"""Chromium signs in through the OpenID Connect provider's own login page (oidc-provider)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from werkzeug.serving import make_server

from forms_service.cases import db as cases_db
from tests.browser.test_case_form_browser import check_accessibility
from tests.sso.conftest import OIDC_NAME, sso_settings
from tests.sso.oidc_process import running_oidc_provider

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def sso_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any]]:
    """(base URL, provider) of the app served with single sign-on through a real provider."""
    from forms_service.app import create_app

    folder = tmp_path_factory.mktemp("sso-browser")
    apps: dict[str, Any] = {}
    # The server's port must be known before the provider registers the callback URL.
    server = make_server("127.0.0.1", 0, lambda env, start: apps["app"](env, start), threaded=True)
    base = f"http://127.0.0.1:{server.server_port}"
    url = f"sqlite:///{folder / 'sso.sqlite3'}"
    engine = cases_db.make_engine(url)
    cases_db.upgrade(engine)
    engine.dispose()
    with running_oidc_provider(
        folder,
        redirect_uris=[f"{base}/sso/oidc/{OIDC_NAME}/callback"],
        post_logout_redirect_uris=[f"{base}/login"],
        accounts={
            "rikke": {"name": "Rikke Ringsted", "groups": ["ringsted-sagsbehandlere"]},
            "ole": {"name": "Ole Kantine", "groups": ["kantine"]},
        },
    ) as provider:
        apps["app"] = create_app(
            {
                "DATABASE_URL": url,
                "SECRET_KEY": "sso-browser-secret",
                "INSTANCE_PATH": str(folder / "instance"),
                "SESSION_COOKIE_SECURE": False,
                "REMEMBER_COOKIE_SECURE": False,
                "SSO": sso_settings(provider, None, local_login="admins"),
            }
        )
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield base, provider
        finally:
            server.shutdown()
            thread.join(timeout=10)
            apps["app"].extensions["forms_service.engine"].dispose()


@pytest.fixture
def sso_page(browser: Any, sso_site: tuple[str, Any]) -> Iterator[Any]:
    context = browser.new_context(base_url=sso_site[0], locale="da-DK")
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def _sign_in_at_provider(page: Any, login: str) -> None:
    page.goto("/login")
    page.get_by_role("link", name="Ringsted Kommune").click()
    # The provider's own login page, served by oidc-provider.
    page.wait_for_selector("input[name=login]")
    assert page.url.startswith("http://127.0.0.1:") and "/interaction/" in page.url
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", "hvad-som-helst")
    page.get_by_role("button", name="Sign-in").click()
    page.wait_for_load_state()


def test_caseworker_signs_in_through_the_provider_login_page(
    sso_page: Any, sso_site, artifacts
) -> None:  # type: ignore[no-untyped-def]
    base, provider = sso_site
    _sign_in_at_provider(sso_page, "rikke")
    assert sso_page.url.startswith(base + "/cases/"), sso_page.url
    assert "Rikke Ringsted" in sso_page.content()
    sso_page.screenshot(path=str(artifacts / "signed-in.png"))

    # Logging out ends the provider's session too: it asks to confirm, then sends us back.
    sso_page.locator("button.log-off:visible").first.click()
    sso_page.wait_for_load_state()
    assert sso_page.url.startswith(provider.issuer + "/session/end")
    sso_page.get_by_role("button", name="Yes, sign me out").click()
    sso_page.wait_for_url(base + "/login*")
    sso_page.goto("/cases/")
    assert "/login" in sso_page.url


def test_user_without_role_sees_the_danish_page(sso_page: Any, artifacts) -> None:  # type: ignore[no-untyped-def]
    _sign_in_at_provider(sso_page, "ole")
    assert sso_page.get_by_role(
        "heading", name="Du har ikke adgang til sagsoplysningsskemaet"
    ).is_visible()
    sso_page.screenshot(path=str(artifacts / "no-role.png"))


def test_login_page_shows_the_provider_and_the_break_glass_form(sso_page: Any, artifacts) -> None:  # type: ignore[no-untyped-def]
    sso_page.goto("/login")
    assert sso_page.get_by_role("link", name="Ringsted Kommune").is_visible()
    assert sso_page.get_by_label("Adgangskode").is_visible()  # local_login "admins"
    sso_page.screenshot(path=str(artifacts / "login.png"))
    check_accessibility(sso_page, artifacts, "login")
