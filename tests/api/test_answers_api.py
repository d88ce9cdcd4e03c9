"""/api/v1/cases/<id>/answers: read, save drafts (optimistic locking), submit, history, scope."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import shutil
from pathlib import Path

import pytest

from forms_service.definitions.registry import Registry

ROOT = Path(__file__).parents[2]
ANSWERS = ROOT / "tests" / "fixtures" / "answers"
_numbers = itertools.count(1)


def example(name: str) -> dict:
    return json.loads((ANSWERS / name).read_text(encoding="utf-8"))


def client_as(app, login, username: str):  # type: ignore[no-untyped-def]
    client = app.test_client()
    login(client, username)
    return client


def new_case(app, login, municipality_code: int = 101) -> dict:  # type: ignore[no-untyped-def]
    sp = client_as(app, login, "sp")
    today = dt.date.today()
    response = sp.post(
        "/api/v1/cases/",
        json={
            "case_number": f"SP-API-{next(_numbers):05d}",
            "cpr": "150862-2402",
            "citizen_name": "Karin Holm Madsen",
            "application_date": (today - dt.timedelta(days=40)).isoformat(),
            "municipality_code": municipality_code,
            "request_date": (today - dt.timedelta(days=30)).isoformat(),
        },
    )
    assert response.status_code == 201, response.json
    return response.json


@pytest.fixture
def kbh(app, login):  # type: ignore[no-untyped-def]
    return client_as(app, login, "kbh")


def answers_url(case_id: int, rest: str = "") -> str:
    return f"/api/v1/cases/{case_id}/answers{rest}"


def test_new_case_has_no_answers_and_tells_the_revision(app, login, kbh) -> None:
    case = new_case(app, login)
    response = kbh.get(answers_url(case["id"]))
    assert response.status_code == 200
    body = response.json
    assert body["latest"] is None
    assert body["revision"] == case["revision"]
    assert (body["form"], body["version"]) == ("sagsoplysningsskema", "1.2.0")


def test_draft_is_stored_typed_with_its_problems(app, login, kbh) -> None:
    """Stored as the form stores it (answers.storage): typed, every row with all its cells."""
    case = new_case(app, login)
    draft = {"navn": "Karin", "atp_aar": "70", "ansaettelser": [{"arbejdsgiver": "Lego"}]}
    stored = {
        "navn": "Karin",
        "atp_aar": 70,
        "ansaettelser": [
            {
                "fra": None,
                "til": None,
                "arbejdsgiver": "Lego",
                "stilling": None,
                "jobtype": None,
                "timer_pr_uge": None,
                "ansaettelsestype": None,
                "udland": None,
            }
        ],
    }
    response = kbh.put(
        answers_url(case["id"], "/draft"),
        json={"base_revision": case["revision"], "answers": draft},
    )
    assert response.status_code == 200, response.json
    body = response.json
    assert body["revision"] == case["revision"] + 1
    assert body["saved"]["kind"] == "draft"
    assert body["saved"]["answers"] == stored  # nothing lost, even the out-of-range value
    assert body["status"] == "draft_in_progress"
    # a draft is not checked for required answers, but a wrong value is reported
    assert [(p["path"], p["code"]) for p in body["problems"]] == [("atp_aar", "max")]
    assert body["valid"] is False

    latest = kbh.get(answers_url(case["id"])).json
    assert latest["latest"]["answers"] == stored
    assert latest["revision"] == body["revision"]


def test_stale_draft_is_refused_with_the_current_revision_and_nothing_is_lost(
    app, login, kbh
) -> None:
    case = new_case(app, login)
    base = case["revision"]
    first = kbh.put(
        answers_url(case["id"], "/draft"), json={"base_revision": base, "answers": {"navn": "A"}}
    )
    assert first.status_code == 200
    # a second tab still working on the old revision
    stale = kbh.put(
        answers_url(case["id"], "/draft"), json={"base_revision": base, "answers": {"navn": "B"}}
    )
    assert stale.status_code == 409
    body = stale.json
    assert body["code"] == 409
    assert body["current_revision"] == first.json["revision"]
    assert body["base_revision"] == base
    assert body["current_answers"] == {"navn": "A"}
    assert "ikke gemt" in body["message"]
    assert kbh.get(answers_url(case["id"])).json["latest"]["answers"] == {"navn": "A"}
    # saving again on the current revision works
    again = kbh.put(
        answers_url(case["id"], "/draft"),
        json={"base_revision": body["current_revision"], "answers": {"navn": "B"}},
    )
    assert again.status_code == 200
    assert again.json["saved"]["sequence"] == 2


def test_incomplete_submission_is_422_with_problems_and_stores_nothing(app, login, kbh) -> None:
    case = new_case(app, login)
    answers = example("v1_complete.json")
    del answers["faglig_forklaring"]
    answers["cpr"] = "3202621234"
    response = kbh.post(
        answers_url(case["id"], "/submit"),
        json={"base_revision": case["revision"], "answers": answers},
    )
    assert response.status_code == 422
    body = response.json
    assert body["message"].startswith("Skemaet kan ikke indsendes: 2 fejl")
    assert {(p["path"], p["code"]) for p in body["problems"]} == {
        ("cpr", "cpr"),
        ("faglig_forklaring", "required"),
    }
    after = kbh.get(answers_url(case["id"])).json
    assert after["latest"] is None
    assert after["revision"] == case["revision"]


def test_complete_submission_and_history(app, login, kbh) -> None:
    case = new_case(app, login)
    draft = kbh.put(
        answers_url(case["id"], "/draft"),
        json={"base_revision": case["revision"], "answers": {"navn": "Karin"}},
    ).json
    answers = example("v1_complete.json")
    response = kbh.post(
        answers_url(case["id"], "/submit"),
        json={"base_revision": draft["revision"], "answers": answers},
    )
    assert response.status_code == 200, response.json
    body = response.json
    assert body["status"] == "submitted"
    assert body["valid"] is True and body["problems"] == []
    assert body["saved"]["kind"] == "submission"
    assert body["computed"]["fuldtidsaar"] == pytest.approx(27.0, abs=0.1)

    history = kbh.get(answers_url(case["id"], "/history")).json
    assert [(a["sequence"], a["kind"]) for a in history["answer_sets"]] == [
        (1, "draft"),
        (2, "submission"),
    ]
    assert history["answer_sets"][0]["answers"] == {"navn": "Karin"}
    assert history["answer_sets"][1]["version"] == "1.2.0"
    assert history["revision"] == body["revision"]
    # a submitted case is locked for the municipality
    locked = kbh.put(
        answers_url(case["id"], "/draft"),
        json={"base_revision": body["revision"], "answers": {"navn": "X"}},
    )
    assert locked.status_code == 409
    assert "kan ikke ændres" in locked.json["message"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"answers": {}}, "base_revision"),
        ({"base_revision": "1", "answers": {}}, "base_revision"),
        ({"base_revision": 1}, "answers"),
        ({"base_revision": 1, "answers": [1]}, "answers"),
    ],
)
def test_malformed_draft_body_is_422_in_danish(app, login, kbh, payload, field) -> None:
    case = new_case(app, login)
    response = kbh.put(answers_url(case["id"], "/draft"), json=payload)
    assert response.status_code == 422
    errors = response.json["errors"]["json"]
    assert list(errors) == [field]
    assert errors[field][0].startswith(("Angiv", "Skal være", "answers skal"))


def test_other_municipality_sees_404_everywhere(app, login) -> None:
    case = new_case(app, login, municipality_code=101)
    ringsted = client_as(app, login, "ringsted")
    payload = {"base_revision": case["revision"], "answers": {}}
    for response in (
        ringsted.get(answers_url(case["id"])),
        ringsted.get(answers_url(case["id"], "/history")),
        ringsted.put(answers_url(case["id"], "/draft"), json=payload),
        ringsted.post(answers_url(case["id"], "/submit"), json=payload),
    ):
        assert response.status_code == 404
        assert response.json["message"] == "Sagen findes ikke."


def test_roles(app, login) -> None:
    case = new_case(app, login)
    payload = {"base_revision": case["revision"], "answers": {}}
    sp = client_as(app, login, "sp")
    assert sp.get(answers_url(case["id"])).status_code == 200
    assert sp.get(answers_url(case["id"], "/history")).status_code == 200
    assert sp.put(answers_url(case["id"], "/draft"), json=payload).status_code == 403
    assert sp.post(answers_url(case["id"], "/submit"), json=payload).status_code == 403
    for username in ("analyst", "editor"):
        other = client_as(app, login, username)
        response = other.get(answers_url(case["id"]))
        assert response.status_code == 403
        assert response.json["code"] == 403
    anonymous = app.test_client()
    assert anonymous.get(answers_url(case["id"])).status_code == 401


# --- a case keeps its version when a newer one is published -----------------------------------


@pytest.fixture
def publishing_app(db_url, db_engine, users, tmp_path):  # type: ignore[no-untyped-def]
    """An app whose definitions folder starts with v1 only; a test can publish more."""
    from forms_service.app import create_app

    root = tmp_path / "definitions"
    (root / "sagsoplysningsskema").mkdir(parents=True)
    shutil.copy(
        ROOT / "form_definitions" / "sagsoplysningsskema" / "1.0.0.json",
        root / "sagsoplysningsskema" / "1.0.0.json",
    )
    application = create_app(
        {
            "DATABASE_URL": db_url,
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "SECRET_KEY": "test-secret",
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "REGISTRY": Registry(root),
        }
    )
    application.config["definitions_root"] = root
    yield application
    application.extensions["forms_service.engine"].dispose()


def test_case_pinned_to_v1_stays_on_v1_after_v2_is_published(publishing_app, login) -> None:
    app = publishing_app
    old = new_case(app, login)
    assert old["form_version"] == "1.0.0"

    pilot = json.loads(
        (ROOT / "form_definitions" / "sagsoplysningsskema" / "2.0.0-pilot.1.json").read_text(
            "utf-8"
        )
    )
    pilot["version"] = "2.0.0"
    target = app.config["definitions_root"] / "sagsoplysningsskema" / "2.0.0.json"
    target.write_text(json.dumps(pilot, ensure_ascii=False), encoding="utf-8")

    new = new_case(app, login)
    assert new["form_version"] == "2.0.0"
    kbh = client_as(app, login, "kbh")
    assert kbh.get(answers_url(old["id"])).json["version"] == "1.0.0"

    v1_answers = example("v1_complete.json")
    on_old = kbh.post(
        answers_url(old["id"], "/submit"),
        json={"base_revision": old["revision"], "answers": v1_answers},
    )
    assert on_old.status_code == 200, on_old.json
    assert on_old.json["saved"]["version"] == "1.0.0"
    # the same answers do not satisfy v2: the new case is judged by its own version
    on_new = kbh.post(
        answers_url(new["id"], "/submit"),
        json={"base_revision": new["revision"], "answers": v1_answers},
    )
    assert on_new.status_code == 422
    assert "arbejdsevne_timer_pr_uge" in {p["path"] for p in on_new.json["problems"]}
