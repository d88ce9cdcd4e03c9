"""The notification pages: admin-only mailboxes, webhooks and delivery log; everyone's own
e-mail preferences. Every route is walked for every role."""

from __future__ import annotations

import pytest

from forms_service.cases.roles import Role
from forms_service.notifications import manage
from forms_service.notifications.models import NotificationPreference, WebhookSubscription
from tests.notifications.support import session_of
from tests.web.test_auth_roles import USER_OF_ROLE


def _routes(app):  # type: ignore[no-untyped-def]
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("notifications."):
            url = rule.build({"code": 101, "subscription_id": 1, "delivery_id": 1})[1]
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule.endpoint, method, url, app.view_functions[rule.endpoint]._roles


@pytest.mark.parametrize("role", list(Role))
def test_roles_enforced_on_every_notification_route(app, login, role: Role) -> None:  # type: ignore[no-untyped-def]
    with session_of(app) as session:
        manage.add_subscription(
            session, "https://x.example/h", ["case.submitted"], municipality_code=101, by="t"
        )
    client = app.test_client()
    login(client, USER_OF_ROLE[role])
    checked = 0
    for endpoint, method, url, roles in _routes(app):
        response = client.open(url, method=method, data={})
        if role in roles:
            assert response.status_code not in (401, 403), (endpoint, method)
        else:
            assert response.status_code == 403, (endpoint, method, response.status_code)
        checked += 1
    assert checked == 10


def test_anonymous_is_sent_to_the_login_page(app, client) -> None:  # type: ignore[no-untyped-def]
    for endpoint, method, url, _roles in _routes(app):
        response = client.open(url, method=method)
        assert response.status_code == 302, endpoint
        assert response.headers["Location"].startswith("/login")


def test_the_admin_sets_a_mailbox_and_sees_a_clear_error(app, client, login) -> None:  # type: ignore[no-untyped-def]
    login(client, "admin")
    ok = client.post(
        "/admin/notifications/mailboxes",
        data={"municipality": "101", "address": "sag@kk.example"},
        follow_redirects=True,
    )
    assert ok.status_code == 200
    page = ok.get_data(as_text=True)
    assert "København Kommune" in page and "sag@kk.example" in page
    bad = client.post(
        "/admin/notifications/mailboxes", data={"municipality": "101", "address": "ikke en adresse"}
    )
    assert bad.status_code == 422
    assert "er ikke en gyldig e-mailadresse" in bad.get_data(as_text=True)
    assert "ikke en adresse" in bad.get_data(as_text=True)  # what was typed is kept


def test_a_new_subscriptions_secret_is_shown_once(app, client, login) -> None:  # type: ignore[no-untyped-def]
    login(client, "admin")
    created = client.post(
        "/admin/notifications/webhooks",
        data={
            "url": "https://fagsystem.kk.example/hooks",
            "event_types": ["case.submitted", "case.returned"],
            "municipality": "101",
        },
    )
    assert created.status_code == 201
    assert created.headers["Cache-Control"] == "no-store"
    with session_of(app) as session:
        [subscription] = session.query(WebhookSubscription).all()
        secret = subscription.secret
        assert subscription.municipality_code == 101
    assert secret in created.get_data(as_text=True)
    for url in ("/admin/notifications/webhooks", "/admin/notifications/deliveries"):
        assert secret not in client.get(url).get_data(as_text=True)


def test_a_user_opts_out_of_what_is_not_required(app, client, login, users) -> None:  # type: ignore[no-untyped-def]
    login(client, "kbh")
    response = client.post(
        "/notifications/preferences",
        # everything ticked except "sufficiently informed"; the required ones are disabled
        # boxes, so the browser does not send them
        data={
            "email": "kbh@kk.example",
            "case.sent_to_municipality": "on",
            "case.submitted": "on",
            "case.decided": "on",
            "case.version_moved": "on",
            "deadline.approaching": "on",
            "case.created": "on",
        },
    )
    assert response.status_code == 302
    with session_of(app) as session:
        preference = session.get(NotificationPreference, users["kbh"].id)
        assert preference.email == "kbh@kk.example"
        assert preference.opted_out == ["case.sufficiently_informed"]
    page = client.get("/notifications/preferences").get_data(as_text=True)
    assert "kan ikke fravælges" in page
