"""/api/v1/cases: tokens, scope (404 across municipalities), transitions, errors, OpenAPI."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from forms_service.app import create_app
from forms_service.cases.models import AuditEntry, User
from forms_service.cases.users import create_api_token

NEW_CASE = {
    "case_number": "SP-API-1",
    "cpr": "010160-1234",
    "citizen_name": "Karen Testesen",
    "application_date": "2026-01-15",
    "municipality_code": 101,
    "request_date": "2026-02-01",
}


@pytest.fixture
def tokens(app, users) -> dict[str, str]:  # type: ignore[no-untyped-def]
    with app.extensions["forms_service.sessions"]() as session:
        made = {
            name: create_api_token(session, session.get(User, u.id)) for name, u in users.items()
        }
        session.commit()
    return made


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_create_read_list_with_tokens(app, client, tokens) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/api/v1/cases/", json=NEW_CASE, headers=_auth(tokens["sp"]))
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    assert created["status"] == "sent_to_municipality"
    assert created["cpr_masked"] == "010160-****"
    assert created["municipality_deadline"] == "2026-05-01"
    assert created["decision_deadline"] == "2026-07-15"
    assert [e["to"] for e in created["events"]] == ["received", "sent_to_municipality"]
    assert "0101601234" not in response.get_data(as_text=True)

    listing = client.get("/api/v1/cases/", headers=_auth(tokens["kbh"])).get_json()
    assert [c["case_number"] for c in listing["items"]] == ["SP-API-1"]
    assert listing["total"] == 1
    assert client.get("/api/v1/cases/", headers=_auth(tokens["ringsted"])).get_json()["total"] == 0

    one = client.get(f"/api/v1/cases/{created['id']}", headers=_auth(tokens["kbh"]))
    assert one.status_code == 200 and one.get_json()["municipality_name"] == "København"
    with app.extensions["forms_service.sessions"]() as session:
        reads = session.scalars(select(AuditEntry.actor).where(AuditEntry.action == "case.read"))
        assert list(reads) == ["kbh"]


def test_other_municipality_gets_404(client, tokens, case_factory) -> None:  # type: ignore[no-untyped-def]
    kbh_case = case_factory(municipality_code=101)
    response = client.get(f"/api/v1/cases/{kbh_case}", headers=_auth(tokens["ringsted"]))
    assert response.status_code == 404
    assert response.get_json() == {"code": 404, "message": "Sagen findes ikke."}
    response = client.post(
        f"/api/v1/cases/{kbh_case}/transitions",
        json={"to": "draft_in_progress"},
        headers=_auth(tokens["ringsted"]),
    )
    assert response.status_code == 404


def test_transitions(client, tokens, case_factory) -> None:  # type: ignore[no-untyped-def]
    case_id = case_factory(send=False)
    url = f"/api/v1/cases/{case_id}/transitions"
    sp = _auth(tokens["sp"])

    response = client.post(url, json={"to": "submitted"}, headers=sp)
    assert response.status_code == 409
    assert "kan ikke gå fra »Modtaget« til »Indsendt«" in response.get_json()["message"]

    response = client.post(url, json={"to": "sent_to_municipality", "revision": 1}, headers=sp)
    assert response.status_code == 200
    assert response.get_json()["status"] == "sent_to_municipality"

    # a stale revision is refused
    response = client.post(
        url,
        json={"to": "decided", "outcome": "withdrawn", "reason": "x", "revision": 1},
        headers=sp,
    )
    assert response.status_code == 409
    assert "Sagen er ændret" in response.get_json()["message"]

    # the municipality cannot submit through a bare transition (only by submitting answers)
    response = client.post(url, json={"to": "submitted"}, headers=_auth(tokens["kbh"]))
    assert response.status_code == 409

    response = client.post(url, json={"to": "decided", "outcome": "withdrawn"}, headers=sp)
    assert response.status_code == 409
    assert response.get_json()["message"] == "Angiv en begrundelse."
    response = client.post(
        url, json={"to": "decided", "outcome": "withdrawn", "reason": "Trukket"}, headers=sp
    )
    assert response.get_json()["decision_outcome"] == "withdrawn"


def test_invalid_input_is_422_with_field_errors(client, tokens) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/api/v1/cases/", json={"cpr": "x"}, headers=_auth(tokens["sp"]))
    assert response.status_code == 422
    body = response.get_json()
    assert body["message"] == "Oplysningerne er ikke gyldige."
    assert "case_number" in body["errors"]["json"]

    bad_cpr = NEW_CASE | {"cpr": "999999-1234"}
    response = client.post("/api/v1/cases/", json=bad_cpr, headers=_auth(tokens["sp"]))
    assert response.status_code == 422
    assert "CPR" in response.get_json()["message"]

    response = client.get("/api/v1/cases/?status=nonsense", headers=_auth(tokens["sp"]))
    assert response.status_code == 422


def test_roles_on_api(client, tokens) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/api/v1/cases/", headers=_auth(tokens["analyst"])).status_code == 403
    response = client.post("/api/v1/cases/", json=NEW_CASE, headers=_auth(tokens["kbh"]))
    assert response.status_code == 403
    me = client.get("/api/v1/me", headers=_auth(tokens["kbh"])).get_json()
    assert me == {
        "username": "kbh",
        "display_name": "Test kbh",
        "role": "municipal_caseworker",
        "municipality_code": 101,
    }


def test_bad_token_never_falls_back_to_session(client, login, tokens) -> None:  # type: ignore[no-untyped-def]
    login(client, "sp")
    assert client.get("/api/v1/cases/").status_code == 200  # the session cookie works
    response = client.get("/api/v1/cases/", headers=_auth("fs_wrong"))
    assert response.status_code == 401
    assert response.get_json()["message"] == "Du skal logge ind."


def test_csrf_exempt_only_for_token_calls(db_url, db_engine, users, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = create_app(
        {
            "DATABASE_URL": db_url,
            "TESTING": True,
            "WTF_CSRF_ENABLED": True,
            "SECRET_KEY": "s",
            "INSTANCE_PATH": str(tmp_path / "i"),
        }
    )
    with app.extensions["forms_service.sessions"]() as session:
        token = create_api_token(session, session.get(User, users["sp"].id))
        session.commit()
    client = app.test_client()
    csrf = re.search(
        r'name="csrf_token" type="hidden" value="([^"]+)"',
        client.get("/login").get_data(as_text=True),
    )
    assert csrf
    client.post(
        "/login",
        data={"username": "sp", "password": "korrekt-hest-batteri", "csrf_token": csrf.group(1)},
    )
    # the session cookie without the CSRF header: refused
    response = client.post("/api/v1/cases/", json=NEW_CASE)
    assert response.status_code == 400
    # with the header: accepted
    page = client.get("/cases/new").get_data(as_text=True)
    header = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert header
    response = client.post(
        "/api/v1/cases/", json=NEW_CASE, headers={"X-CSRFToken": header.group(1)}
    )
    assert response.status_code == 201
    # a bearer token needs no CSRF token
    other = NEW_CASE | {"case_number": "SP-API-2"}
    response = app.test_client().post("/api/v1/cases/", json=other, headers=_auth(token))
    assert response.status_code == 201
    app.extensions["forms_service.engine"].dispose()


def test_openapi_description(client) -> None:  # type: ignore[no-untyped-def]
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["info"]["title"] == "forms-service"
    assert {
        "/api/v1/cases/",
        "/api/v1/cases/{case_id}",
        "/api/v1/cases/{case_id}/transitions",
    } <= set(spec["paths"])
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    create = spec["paths"]["/api/v1/cases/"]["post"]
    assert "201" in create["responses"]
