"""The administrator's user pages: the CLI's checks, the audit log, and admins only."""

from __future__ import annotations

from sqlalchemy import select

from forms_service.cases.models import AuditEntry, User
from tests.notifications.support import session_of


def _post(client, **data):  # type: ignore[no-untyped-def]
    return client.post("/admin/users", data=data)


def test_admin_creates_deactivates_and_sets_passwords_with_audit(app, client, login) -> None:  # type: ignore[no-untyped-def]
    login(client, "admin")
    page = client.get("/admin/users").get_data(as_text=True)
    assert "<h1>Brugere</h1>" in page and "kbh" in page

    created = _post(
        client,
        action="create",
        username="aarhus1",
        display_name="Anne Aarhus",
        role="municipal_caseworker",
        municipality="751",
        password="en-lang-nok-adgangskode",
    )
    assert created.status_code == 302
    # the same checks as the CLI: no municipality for a municipal caseworker is refused
    refused = _post(
        client,
        action="create",
        username="uden-kommune",
        role="municipal_caseworker",
        password="en-lang-nok-adgangskode",
    )
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert "En kommunal sagsbehandler skal knyttes til en kommune." in text
    assert 'value="uden-kommune"' in text  # what was typed is kept
    assert _post(client, action="create", username="aarhus1", role="analyst",
                 password="en-lang-nok-adgangskode").status_code == 422  # fmt: skip

    assert _post(client, action="password", username="aarhus1", password="kort").status_code == 422
    assert (
        _post(client, action="password", username="aarhus1", password="en-ny-lang-kode").status_code
        == 302
    )
    assert _post(client, action="deactivate", username="aarhus1").status_code == 302
    assert _post(client, action="deactivate", username="admin").status_code == 422  # not oneself

    with session_of(app) as session:
        user = session.scalar(select(User).where(User.username == "aarhus1"))
        assert user is not None and user.municipality_code == 751 and not user.active
        actions = session.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.action.like("user.%"))
            .order_by(AuditEntry.id)
        ).all()
        assert actions == ["user.created", "user.password_set", "user.deactivated"]
        assert session.scalar(select(User).where(User.username == "uden-kommune")) is None


def test_only_the_admin_reaches_the_user_pages(client, login) -> None:  # type: ignore[no-untyped-def]
    login(client, "sp")
    assert client.get("/admin/users").status_code in (403, 404)
    response = _post(
        client, action="create", username="x", role="admin", password="en-lang-nok-adgangskode"
    )
    assert response.status_code in (403, 404)
