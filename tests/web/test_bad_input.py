"""Bad input is a 4xx with a Danish message, never a 500 (the list from the security review):
ids beyond the database's integer range, huge page numbers, NUL bytes, deep JSON, a case number
that looks like a CPR, an editor draft of the wrong shape, unauthenticated API writes."""

from __future__ import annotations

import json

import pytest

BIG = 87178291201  # beyond PostgreSQL's integer
API_CASE_URLS = [
    ("GET", "/api/v1/cases/{id}"),
    ("POST", "/api/v1/cases/{id}/transitions"),
    ("GET", "/api/v1/cases/{id}/answers"),
    ("PUT", "/api/v1/cases/{id}/answers/draft"),
    ("POST", "/api/v1/cases/{id}/answers/submit"),
    ("GET", "/api/v1/cases/{id}/answers/history"),
    ("GET", "/api/v1/cases/{id}/completeness"),
    ("GET", "/api/v1/cases/{id}/form.docx"),
    ("GET", "/api/v1/pilots/{id}"),
    ("GET", "/api/v1/pilots/{id}/comparison"),
]


@pytest.fixture
def sp(client, login):  # type: ignore[no-untyped-def]
    login(client, "sp")
    return client


@pytest.mark.parametrize(("method", "url"), API_CASE_URLS)
def test_ids_beyond_the_integer_range_are_not_found(sp, method: str, url: str) -> None:  # type: ignore[no-untyped-def]
    for case_id in (BIG, 2**63, 2**70):
        response = sp.open(url.format(id=case_id), method=method, json={})
        assert response.status_code == 404, (url, case_id, response.status_code)
        assert response.get_json()["message"]


@pytest.mark.parametrize(
    "url",
    [
        "/cases/?municipality=1180591620717411303424",
        "/cases/?municipality=abc",
        "/cases/?search=SP%00X",
        "/api/v1/cases/?page=4611686018427387904",
        "/api/v1/cases/?municipality=1180591620717411303424",
        "/api/v1/cases/?page=-1",
        "/api/v1/cases/?search=SP%00X",
        f"/cases/{BIG}",
        f"/cases/{BIG}/form",
        "/api/v1/forms/sagsoplysningsskema%00/1.0.0",
        "/editor/sagsoplysningsskema%00/1.0.0",
    ],
)
def test_out_of_range_and_nul_query_values_are_client_errors(sp, url: str) -> None:  # type: ignore[no-untyped-def]
    response = sp.get(url)
    assert 400 <= response.status_code < 500, (url, response.status_code)


def test_a_huge_page_number_is_an_empty_last_page(sp) -> None:  # type: ignore[no-untyped-def]
    response = sp.get("/cases/?page=4611686018427387904")
    assert response.status_code == 200


def test_nul_bytes_in_posted_names_are_refused(sp) -> None:  # type: ignore[no-untyped-def]
    response = sp.post(
        "/api/v1/cases/",
        json={
            "case_number": "SP-1\u0000",
            "cpr": "010160-1234",
            "citizen_name": "Karen\u0000",
            "application_date": "2026-11-01",
            "municipality_code": 101,
        },
    )
    assert response.status_code == 400
    assert "NUL-tegn" in response.get_json()["message"]
    form = sp.post("/cases/new", data={"case_number": "SP-1", "citizen_name": "Karen\u0000"})
    assert form.status_code == 400 and "NUL-tegn" in form.get_data(as_text=True)


def test_json_nested_ten_thousand_deep_is_refused(sp) -> None:  # type: ignore[no-untyped-def]
    deep = "[" * 10_000 + "]" * 10_000
    response = sp.put("/api/v1/cases/1/answers/draft", data=deep, content_type="application/json")
    assert response.status_code == 400
    validate = sp.post(
        "/api/v1/forms/sagsoplysningsskema/1.0.0/validate",
        data='{"answers": ' + '{"a": ' * 5_000 + "1" + "}" * 5_000 + "}",
        content_type="application/json",
    )
    assert validate.status_code == 400


def test_a_case_number_that_looks_like_a_cpr_is_masked_not_a_crash(sp) -> None:  # type: ignore[no-untyped-def]
    response = sp.post(
        "/api/v1/cases/",
        json={
            "case_number": "010160-1234",
            "cpr": "010160-1234",
            "citizen_name": "Karen Testesen",
            "application_date": "2026-11-01",
            "municipality_code": 101,
        },
    )
    assert response.status_code in (201, 422), response.get_data(as_text=True)


def test_unauthenticated_api_writes_are_401_not_csrf_400(app, db_url, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from forms_service.app import create_app

    strict = create_app(
        {"DATABASE_URL": db_url, "TESTING": True, "INSTANCE_PATH": str(tmp_path / "s")}
    )
    try:
        client = strict.test_client()
        for method, url in [
            ("POST", "/api/v1/cases/"),
            ("PUT", "/api/v1/cases/1/answers/draft"),
            ("POST", "/api/v1/forms/sagsoplysningsskema/1.0.0/validate"),
        ]:
            response = client.open(url, method=method, json={})
            assert response.status_code == 401, (url, response.status_code)
        # a logged-in browser still needs the CSRF token
        assert client.post("/login", data={"username": "sp", "password": "x"}).status_code == 400
    finally:
        strict.extensions["forms_service.engine"].dispose()


def test_an_editor_draft_of_the_wrong_shape_is_a_problem_list(client, login) -> None:  # type: ignore[no-untyped-def]
    login(client, "editor")
    page = client.post(
        "/editor/drafts",
        data={"form": "sagsoplysningsskema", "from_version": "1.0.0", "kind": "minor"},
    )
    assert page.status_code in (302, 303), page.status_code
    draft_url = page.headers["Location"]
    json_url = draft_url.rstrip("/") + "/json"
    text = client.get(json_url).get_data(as_text=True)
    assert text
    data = {
        "form": "sagsoplysningsskema",
        "version": "9.9.9",
        "guidance": "en tekst",
        "sections": [],
    }
    response = client.post(json_url, data={"content": json.dumps(data), "base_revision": "1"})
    assert response.status_code < 500
    again = client.get(draft_url)
    assert again.status_code < 500
