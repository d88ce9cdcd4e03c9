"""/api/v1/forms: list, definition, answers JSON Schema, validate; roles and the OpenAPI file."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from forms_service.definitions.registry import default_registry

ROOT = Path(__file__).parents[2]
V1_COMPLETE = ROOT / "tests" / "fixtures" / "answers" / "v1_complete.json"
V1 = "/api/v1/forms/sagsoplysningsskema/1.0.0"


@pytest.fixture
def kbh(client, login):  # type: ignore[no-untyped-def]
    login(client, "kbh")
    return client


def v1_complete() -> dict:
    return json.loads(V1_COMPLETE.read_text(encoding="utf-8"))


def test_list_gives_forms_versions_and_hashes(kbh) -> None:
    response = kbh.get("/api/v1/forms")
    assert response.status_code == 200
    forms = {f["form"]: f for f in response.json["forms"]}
    form = forms["sagsoplysningsskema"]
    assert form["latest"] == "1.2.0"  # a pilot version is never "latest"
    versions = {v["version"]: v for v in form["versions"]}
    assert set(versions) >= {
        "1.0.0",
        "1.1.0",
        "1.2.0",
        "2.0.0-pilot.1",
        "2.0.0-pilot.2",
        "2.0.0-pilot.3",
    }
    assert versions["2.0.0-pilot.1"]["prerelease"] is True
    expected = default_registry().get("sagsoplysningsskema", "1.0.0").content_hash
    assert versions["1.0.0"]["content_hash"] == expected


def test_definition_is_the_published_json(kbh) -> None:
    response = kbh.get(V1)
    assert response.status_code == 200
    on_disk = json.loads(
        (ROOT / "form_definitions" / "sagsoplysningsskema" / "1.0.0.json").read_text("utf-8")
    )
    assert response.json == on_disk
    assert response.headers["X-Content-Hash"] == (
        default_registry().get("sagsoplysningsskema", "1.0.0").content_hash
    )


def test_latest_resolves_to_the_newest_released_version(kbh) -> None:
    response = kbh.get("/api/v1/forms/sagsoplysningsskema/latest")
    assert response.json["version"] == "1.2.0"


def test_unknown_version_is_a_danish_404(kbh) -> None:
    response = kbh.get("/api/v1/forms/sagsoplysningsskema/9.9.9")
    assert response.status_code == 404
    assert response.json["code"] == 404
    assert "findes ikke" in response.json["message"]
    response = kbh.post("/api/v1/forms/findes_ikke/1.0.0/validate", json={})
    assert response.status_code == 404


def test_answers_schema_accepts_the_example_and_rejects_wrong_types(kbh) -> None:
    response = kbh.get(f"{V1}/answers-schema")
    assert response.status_code == 200
    assert response.mimetype == "application/schema+json"
    schema = response.json
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    assert not list(validator.iter_errors(v1_complete()))
    wrong = v1_complete() | {"atp_aar": "mange", "ukendt": 1}
    assert {e.validator for e in validator.iter_errors(wrong)} >= {"additionalProperties", "anyOf"}
    draft = kbh.get(f"{V1}/answers-schema?draft=true").json
    assert draft["required"] == []
    assert schema["required"]  # the complete schema requires the always-required fields


def test_validate_valid_document(kbh) -> None:
    response = kbh.post(f"{V1}/validate", json=v1_complete())
    assert response.status_code == 200
    body = response.json
    assert body["valid"] is True
    assert body["problems"] == []
    assert body["computed"]["fuldtidsaar"] == pytest.approx(27.0, abs=0.1)
    assert body["computed"]["foedselsdato"] == "1962-08-15"


def test_validate_reports_problems_with_path_code_and_danish_message(kbh) -> None:
    answers = v1_complete()
    answers["ansaettelser"][1]["timer_pr_uge"] = 90
    answers["cpr"] = "3202621234"
    del answers["navn"]
    response = kbh.post(f"{V1}/validate", json=answers)
    body = response.json
    assert response.status_code == 200
    assert body["valid"] is False
    by_path = {p["path"]: p for p in body["problems"]}
    assert set(by_path) == {"cpr", "navn", "ansaettelser[1].timer_pr_uge"}
    assert by_path["navn"]["code"] == "required"
    assert by_path["cpr"]["code"] == "cpr"
    assert by_path["ansaettelser[1].timer_pr_uge"]["code"] == "max"
    message = by_path["ansaettelser[1].timer_pr_uge"]["message"]
    assert message.startswith("»Timer pr. uge« for række 2 i »Beskæftigelsesperioder«")
    assert message.endswith("må højst være 80.")


def test_draft_validation_skips_required(kbh) -> None:
    answers = {"atp_aar": 70, "navn": "Karin"}
    complete = kbh.post(f"{V1}/validate", json=answers).json
    draft = kbh.post(f"{V1}/validate?draft=true", json=answers).json
    assert [p["path"] for p in draft["problems"]] == ["atp_aar"]
    assert "sagsnummer" in {p["path"] for p in complete["problems"]}


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [("[1, 2]", "application/json", 422), ("{", "application/json", 400), ("x", "text/plain", 400)],
)
def test_validate_refuses_a_body_that_is_not_an_object(kbh, body, content_type, status) -> None:
    response = kbh.post(f"{V1}/validate", data=body, content_type=content_type)
    assert response.status_code == status
    assert response.json["message"].startswith(("Svarene skal", "Kroppen skal"))


def test_every_role_may_read_and_validate_forms(client, login) -> None:
    for username in ("kbh", "sp", "editor", "analyst", "admin"):
        login(client, username)
        assert client.get("/api/v1/forms").status_code == 200, username
        assert client.post(f"{V1}/validate?draft=true", json={}).status_code == 200
        client.post("/logout")


def test_anonymous_gets_401_json(client) -> None:
    for method, url in (
        ("get", "/api/v1/forms"),
        ("get", V1),
        ("get", f"{V1}/answers-schema"),
        ("post", f"{V1}/validate"),
    ):
        response = getattr(client, method)(url)
        assert response.status_code == 401, url
        assert response.json["code"] == 401


def test_bearer_token_works(app, client, users) -> None:
    from forms_service.cases.models import User
    from forms_service.cases.users import create_api_token

    session = app.extensions["forms_service.sessions"]()
    token = create_api_token(session, session.get(User, users["analyst"].id), "test")
    session.commit()
    session.close()
    response = client.get("/api/v1/forms", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    bad = client.get("/api/v1/forms", headers={"Authorization": "Bearer forkert"})
    assert bad.status_code == 401


def test_routes_are_guarded_and_documented(app, client, login) -> None:
    from forms_service.http.decorators import PUBLIC

    ours = [
        rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith(("forms_api.", "answers_api."))
    ]
    assert len(ours) == 8
    for rule in ours:
        roles = getattr(app.view_functions[rule.endpoint], "_roles", None)
        assert roles and roles != PUBLIC, rule.rule
    login(client, "kbh")
    spec = client.get("/api/v1/openapi.json").json
    paths = spec["paths"]
    validate = paths["/api/v1/forms/{form}/{version}/validate"]["post"]
    assert "draft" in {p["name"] for p in validate["parameters"]}
    assert "requestBody" in validate
    assert "ValidationResponse" in spec["components"]["schemas"]
    for path in (
        "/api/v1/forms",
        "/api/v1/forms/{form}/{version}",
        "/api/v1/forms/{form}/{version}/answers-schema",
        "/api/v1/cases/{case_id}/answers",
        "/api/v1/cases/{case_id}/answers/draft",
        "/api/v1/cases/{case_id}/answers/submit",
        "/api/v1/cases/{case_id}/answers/history",
    ):
        assert path in paths
