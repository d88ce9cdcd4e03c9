"""/api/v1/forms/<form>/<version>/completeness and /api/v1/cases/<id>/completeness."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from forms_service.completeness import evaluate_completeness
from forms_service.definitions.registry import default_registry

from ._api_helpers import client_as, new_case, v1_complete

ROOT = Path(__file__).parents[2]
V1_COMPLETE = ROOT / "tests" / "fixtures" / "answers" / "v1_complete.json"
FORM_URL = "/api/v1/forms/sagsoplysningsskema/1.0.0/completeness"


@pytest.fixture
def kbh(app, login):  # type: ignore[no-untyped-def]
    return client_as(app, login, "kbh")


def test_post_gives_the_engines_report(kbh) -> None:
    response = kbh.post(f"{FORM_URL}?today=2025-06-01", json=v1_complete())
    assert response.status_code == 200, response.json
    definition = default_registry().get("sagsoplysningsskema", "1.0.0")
    expected = evaluate_completeness(definition, v1_complete(), today=dt.date(2025, 6, 1))
    assert response.json == json.loads(expected.to_json())
    assert response.json["sufficient"] is True
    assert response.json["evaluated_on"] == "2025-06-01"


def test_post_of_a_draft_lists_what_is_missing(kbh) -> None:
    answers = v1_complete()
    del answers["arbejdsfunktioner"]
    answers["arbejdsevne_timer"] = 16
    response = kbh.post(f"{FORM_URL}?today=2025-06-01", json=answers)
    assert response.status_code == 200
    by_id = {c["id"]: c for c in response.json["criteria"]}
    assert response.json["sufficient"] is False
    assert by_id["kriterie_2"]["status"] == "missing"
    assert [f["anchor"] for f in by_id["kriterie_2"]["missing_fields"]] == [
        "field-arbejdsfunktioner"
    ]
    # 16 hours is a condition not met (can lead to a refusal), not missing information
    assert by_id["kriterie_4"]["status"] == "complete"
    assert by_id["kriterie_1"]["status"] == "complete"
    conditions = {c["id"]: c for c in response.json["conditions"]}
    assert conditions["arbejdsevne_hoejst_15_timer"]["status"] == "not_met"
    assert conditions["arbejdsevne_hoejst_15_timer"]["criterion"] == "kriterie_4"
    assert conditions["pensionsalder"]["status"] == "met"


def test_post_defaults_today_to_the_current_date(kbh) -> None:
    response = kbh.post(FORM_URL, json={})
    assert response.json["evaluated_on"] == dt.date.today().isoformat()


def test_post_refuses_a_body_that_is_not_an_object(kbh) -> None:
    response = kbh.post(FORM_URL, json=[1, 2])
    assert response.status_code == 422
    assert "JSON-objekt" in response.json["message"]
    response = kbh.post(FORM_URL, data="ikke json", content_type="text/plain")
    assert response.status_code == 400


def test_post_to_an_unknown_version_is_404(kbh) -> None:
    response = kbh.post("/api/v1/forms/sagsoplysningsskema/9.9.9/completeness", json={})
    assert response.status_code == 404


def test_post_needs_a_login(client) -> None:
    assert client.post(FORM_URL, json={}).status_code == 401


def test_case_report_follows_the_latest_answers_and_keeps_the_submitted_one(
    app, login, kbh
) -> None:
    case = new_case(app, login)
    url = f"/api/v1/cases/{case['id']}/completeness"
    empty = kbh.get(url)
    assert empty.status_code == 200, empty.json
    assert empty.json["answer_set"] is None
    assert empty.json["submitted_report"] is None
    assert empty.json["report"]["sufficient"] is False
    assert empty.json["report"]["evaluated_on"] == dt.date.today().isoformat()

    draft = v1_complete()
    del draft["faglig_forklaring"]
    saved = kbh.put(
        f"/api/v1/cases/{case['id']}/answers/draft",
        json={"base_revision": case["revision"], "answers": draft},
    )
    assert saved.status_code == 200, saved.json
    body = kbh.get(url).json
    assert body["answer_set"]["kind"] == "draft"
    criteria = {c["id"]: c for c in body["report"]["criteria"]}
    assert criteria["kriterie_4"]["status"] == "missing"
    assert [f["id"] for f in criteria["kriterie_4"]["missing_fields"]] == ["faglig_forklaring"]

    submitted = kbh.post(
        f"/api/v1/cases/{case['id']}/answers/submit",
        json={"base_revision": saved.json["revision"], "answers": v1_complete()},
    )
    assert submitted.status_code == 200, submitted.json
    body = kbh.get(url).json
    assert body["answer_set"]["kind"] == "submission"
    assert body["report"]["sufficient"] is True
    assert body["submitted_report"] == body["report"]  # stored at submission, same day


def test_case_report_of_another_municipality_is_404(app, login) -> None:
    case = new_case(app, login, municipality_code=101)
    ringsted = client_as(app, login, "ringsted")
    response = ringsted.get(f"/api/v1/cases/{case['id']}/completeness")
    assert response.status_code == 404


def test_case_report_is_for_case_readers_only(app, login) -> None:
    case = new_case(app, login)
    analyst = client_as(app, login, "analyst")
    assert analyst.get(f"/api/v1/cases/{case['id']}/completeness").status_code == 403
    sp = client_as(app, login, "sp")
    assert sp.get(f"/api/v1/cases/{case['id']}/completeness").status_code == 200


def test_the_endpoints_are_in_the_openapi_file(kbh) -> None:
    paths = kbh.get("/api/v1/openapi.json").json["paths"]
    assert "post" in paths["/api/v1/forms/{form}/{version}/completeness"]
    assert "get" in paths["/api/v1/cases/{case_id}/completeness"]


def test_a_cpr_number_whose_date_does_not_exist_is_refused_in_the_same_words(kbh) -> None:
    # shaped like a CPR number, but 32 January does not exist: submission refuses it, and the
    # completeness report says the same, not that the field is unanswered
    answers = v1_complete()
    answers["cpr"] = "320190-1234"
    url = "/api/v1/forms/sagsoplysningsskema/1.2.0"
    problems = kbh.post(f"{url}/validate", json=answers).json["problems"]
    refusal = next(p["message"] for p in problems if p["path"] == "cpr")
    assert refusal == (
        "»CPR-nummer« skal være et CPR-nummer med 10 cifre og en gyldig fødselsdato."
    )
    report = kbh.post(f"{url}/completeness?today=2025-06-01", json=answers).json
    k1 = next(c for c in report["criteria"] if c["id"] == "kriterie_1")
    assert k1["status"] == "insufficient"
    assert k1["reasons"] == [refusal]
    assert [f["id"] for f in k1["review_fields"]] == ["cpr"]
    assert k1["missing_fields"] == []
    age = next(c for c in report["conditions"] if c["id"] == "pensionsalder")
    assert age["reasons"] == [f"Kan ikke vurderes. {refusal}"]
    assert "er ikke udfyldt" not in json.dumps(report, ensure_ascii=False)
