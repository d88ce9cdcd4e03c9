"""CPR numbers in /answers and /answers/history: masked by default for every reader; whole
only for caseworkers who ask (cpr=full), and every such read is in the audit log."""

from __future__ import annotations

from sqlalchemy import select

from forms_service.cases.models import AuditEntry
from tests.api.test_answers_api import answers_url, client_as, example, new_case


def _saved_case(app, login, kbh) -> int:  # type: ignore[no-untyped-def]
    case = new_case(app, login)
    answers = example("v1_minimal_draft.json")
    answers["cpr"] = "150862-2402"
    response = kbh.put(
        answers_url(case["id"], "/draft"),
        json={"base_revision": case["revision"], "answers": answers},
    )
    assert response.status_code == 200, response.json
    # the saver's own data, stored typed (answers.storage): the CPR's ten digits
    assert response.json["saved"]["answers"]["cpr"] == "1508622402"
    return int(case["id"])


def _cpr_reads(app, case_id: int) -> list[str]:  # type: ignore[no-untyped-def]
    with app.extensions["forms_service.sessions"]() as session:
        return list(
            session.scalars(
                select(AuditEntry.actor).where(
                    AuditEntry.action == "answers.cpr_read", AuditEntry.case_id == case_id
                )
            )
        )


def test_answers_and_history_mask_cpr_by_default(app, login) -> None:  # type: ignore[no-untyped-def]
    kbh = client_as(app, login, "kbh")
    case_id = _saved_case(app, login, kbh)
    for username in ("kbh", "sp", "admin"):
        reader = client_as(app, login, username)
        latest = reader.get(answers_url(case_id)).json["latest"]
        assert latest["answers"]["cpr"] == "150862-****", username
        history = reader.get(answers_url(case_id, "/history")).json
        assert {a["answers"]["cpr"] for a in history["answer_sets"]} == {"150862-****"}
        whole = reader.get(answers_url(case_id, "/history")).get_data(as_text=True)
        assert "150862-2402" not in whole and "1508622402" not in whole
    assert _cpr_reads(app, case_id) == []


def test_caseworkers_can_read_the_whole_number_and_it_is_audited(app, login) -> None:  # type: ignore[no-untyped-def]
    kbh = client_as(app, login, "kbh")
    case_id = _saved_case(app, login, kbh)
    full = kbh.get(answers_url(case_id) + "?cpr=full").json
    assert full["latest"]["answers"]["cpr"] == "1508622402"
    sp = client_as(app, login, "sp")
    history = sp.get(answers_url(case_id, "/history") + "?cpr=full").json
    assert history["answer_sets"][0]["answers"]["cpr"] == "1508622402"
    assert _cpr_reads(app, case_id) == ["kbh", "sp"]

    admin = client_as(app, login, "admin")
    refused = admin.get(answers_url(case_id) + "?cpr=full")
    assert refused.status_code == 403
    assert kbh.get(answers_url(case_id) + "?cpr=alt").status_code == 422
    assert _cpr_reads(app, case_id) == ["kbh", "sp"]
