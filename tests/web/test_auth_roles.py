"""Every route declares its roles, and the roles are enforced for every user of every role."""

from __future__ import annotations

import re

import pytest

from forms_service.cases.roles import Role
from forms_service.http.decorators import PUBLIC

USER_OF_ROLE = {
    Role.MUNICIPAL_CASEWORKER: "kbh",
    Role.SENIORPENSION_CASEWORKER: "sp",
    Role.FORM_EDITOR: "editor",
    Role.ANALYST: "analyst",
    Role.ADMIN: "admin",
    Role.COMMUNICATIONS: "kommunikation",
}
# Endpoints without roles by design: Flask's static files and the OpenAPI description.
UNGUARDED = re.compile(r"^(static|api-docs\..*)$")
# The blueprints of this issue, whose views are also exercised request by request below.
OWN_BLUEPRINTS = ("auth", "cases", "cases_api", "auth_api", "brochures", "documents", "admin")


def _guarded_rules(app):  # type: ignore[no-untyped-def]
    return [r for r in app.url_map.iter_rules() if not UNGUARDED.match(r.endpoint)]


def test_every_endpoint_declares_roles(app) -> None:  # type: ignore[no-untyped-def]
    missing = [
        rule.endpoint
        for rule in _guarded_rules(app)
        if not getattr(app.view_functions[rule.endpoint], "_roles", None)
    ]
    assert missing == []
    public = {
        rule.endpoint
        for rule in _guarded_rules(app)
        if app.view_functions[rule.endpoint]._roles == PUBLIC
    }
    # Single sign-on (issue 20): the way in, the provider's answers and the SP metadata.
    sso = {"sso.start", "sso.oidc_callback", "sso.saml_acs", "sso.saml_metadata"}
    assert public == {"auth.login", "auth.health", "sso.saml_logged_out"} | sso


def test_every_guarded_endpoint_names_a_declared_permission(app) -> None:  # type: ignore[no-untyped-def]
    # the web pages and the API use the same permission objects, declared once per domain
    from forms_service.cases.permissions import Permission

    views = [
        app.view_functions[rule.endpoint]
        for rule in _guarded_rules(app)
        if app.view_functions[rule.endpoint]._roles != PUBLIC
    ]
    unnamed = [
        v.__name__ for v in views if not isinstance(getattr(v, "_permission", None), Permission)
    ]
    assert unnamed == []
    assert all(v._roles == v._permission.roles for v in views)
    by_name: dict[str, Permission] = {}
    for view in views:
        assert by_name.setdefault(view._permission.name, view._permission) == view._permission
    # the same action through both adapters: one permission
    assert app.view_functions["cases.case_page"]._permission is (
        app.view_functions["cases_api.get_case"]._permission
    )


def _requests(app, case_id: int):  # type: ignore[no-untyped-def]
    for rule in _guarded_rules(app):
        if rule.endpoint.partition(".")[0] not in OWN_BLUEPRINTS:
            continue
        roles = app.view_functions[rule.endpoint]._roles
        if roles == PUBLIC:
            continue
        url = rule.build(
            {"case_id": case_id, "version": "1.0.0", "form": "sagsoplysningsskema", "job_id": "x"},
            append_unknown=False,
        )[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, url, roles


@pytest.mark.parametrize("role", list(Role))
def test_roles_enforced_on_every_route(app, login, case_factory, role: Role) -> None:  # type: ignore[no-untyped-def]
    case_id = case_factory(municipality_code=101)
    client = app.test_client()
    login(client, USER_OF_ROLE[role])
    checked = 0
    for endpoint, method, url, roles in _requests(app, case_id):
        if endpoint == "auth.logout":
            continue  # would end the session the rest of the loop uses
        response = client.open(url, method=method, json={} if "api" in endpoint else None)
        if role in roles:
            assert response.status_code not in (401, 403), (endpoint, method)
        else:
            assert response.status_code == 403, (endpoint, method, response.status_code)
        checked += 1
    assert checked >= 8


def test_anonymous_gets_login_redirect_or_401(app, client, case_factory) -> None:  # type: ignore[no-untyped-def]
    case_id = case_factory()
    for endpoint, method, url, _roles in _requests(app, case_id):
        response = client.open(url, method=method)
        if url.startswith("/api/"):
            assert response.status_code == 401, endpoint
            assert response.get_json()["message"] == "Du skal logge ind."
        else:
            assert response.status_code == 302, endpoint
            assert response.headers["Location"].startswith("/login"), endpoint
