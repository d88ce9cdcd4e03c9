"""The completeness checklist on the case page and beside the case form (Flask test client)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from ._api_helpers import client_as, new_case

ROOT = Path(__file__).parents[2]
V1_COMPLETE = ROOT / "tests" / "fixtures" / "answers" / "v1_complete.json"


def _save_draft(client, case: dict, answers: dict) -> dict:  # type: ignore[no-untyped-def]
    response = client.put(
        f"/api/v1/cases/{case['id']}/answers/draft",
        json={"base_revision": case["revision"], "answers": answers},
    )
    assert response.status_code == 200, response.json
    return response.json


def _draft_without_work_functions() -> dict:
    answers = json.loads(V1_COMPLETE.read_text(encoding="utf-8"))
    del answers["arbejdsfunktioner"]
    del answers["helbredsdokumenter"]
    del answers["eksisterende_helbredsoplysninger"]
    return answers


def test_case_page_shows_the_checklist_linking_into_the_form(app, login) -> None:
    case = new_case(app, login)
    kbh = client_as(app, login, "kbh")
    _save_draft(kbh, case, _draft_without_work_functions())
    html = kbh.get(f"/cases/{case['id']}").get_data(as_text=True)
    assert 'id="completeness"' in html
    assert "Sagen er ikke tilstrækkeligt oplyst" in html
    assert "Ud fra seneste kladde" in html
    form_url = f"/cases/{case['id']}/form"
    assert f'href="{form_url}#field-arbejdsfunktioner"' in html
    # criterion 3: no health documents (a document) and no existing information (a field)
    assert f'href="{form_url}#field-helbredsdokumenter"' in html
    assert f'href="{form_url}#field-eksisterende_helbredsoplysninger"' in html
    item = html.split('id="completeness-kriterie_2"', 1)[1].split('id="completeness-', 1)[0]
    assert "Mangler oplysninger" in item
    assert "Hvad skal kommunen gøre?" in item  # the criterion's guidance for what to do


def test_form_page_checklist_links_to_fields_on_the_same_page(app, login) -> None:
    case = new_case(app, login)
    kbh = client_as(app, login, "kbh")
    _save_draft(kbh, case, _draft_without_work_functions())
    response = kbh.get(f"/cases/{case['id']}/form")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    aside = html.split('id="completeness"', 1)[1].split("</section>", 1)[0]
    anchors = re.findall(r'href="#([^"]+)"', aside)
    assert "field-arbejdsfunktioner" in anchors
    assert "field-eksisterende_helbredsoplysninger" in anchors
    for anchor in anchors:  # every link lands on an element of the form
        assert f'id="{anchor}"' in html, anchor


def test_a_submitted_case_shows_the_report_stored_at_submission(app, login) -> None:
    case = new_case(app, login)
    kbh = client_as(app, login, "kbh")
    answers = json.loads(V1_COMPLETE.read_text(encoding="utf-8"))
    response = kbh.post(
        f"/api/v1/cases/{case['id']}/answers/submit",
        json={"base_revision": case["revision"], "answers": answers},
    )
    assert response.status_code == 200, response.json
    sp = client_as(app, login, "sp")
    html = sp.get(f"/cases/{case['id']}").get_data(as_text=True)
    assert "Rapporten fra indsendelsen" in html
    assert "Sagen er tilstrækkeligt oplyst: 4 af 4 kriterier er oplyst." in html
    assert "completeness-missing-fields" not in html
    assert "completeness-status-missing" not in html


def test_a_new_case_without_answers_lists_everything(app, login) -> None:
    case = new_case(app, login)
    kbh = client_as(app, login, "kbh")
    html = kbh.get(f"/cases/{case['id']}").get_data(as_text=True)
    assert "Kommunen har endnu ikke gemt svar." in html
    assert "0 af 4 kriterier" in html


STORED_OLD = Path(__file__).parent / "fixtures" / "stored" / "v1_foertidspension_old_shape.json"


def _submit(app, login, answers: dict) -> dict:  # type: ignore[no-untyped-def]
    case = new_case(app, login)
    kbh = client_as(app, login, "kbh")
    response = kbh.post(
        f"/api/v1/cases/{case['id']}/answers/submit",
        json={"base_revision": case["revision"], "answers": answers},
    )
    assert response.status_code == 200, response.json
    return case


def _conditions_block(html: str) -> str:
    return html.split('id="conditions-heading"', 1)[1].split("</section>", 1)[0]


def test_a_condition_not_met_is_no_missing_information_for_either_side(app, login) -> None:
    answers = json.loads(V1_COMPLETE.read_text(encoding="utf-8"))
    answers["nuvaerende_ydelse"] = "foertidspension"
    case = _submit(app, login, answers)
    sp_html = client_as(app, login, "sp").get(f"/cases/{case['id']}").get_data(as_text=True)
    assert "Sagen er tilstrækkeligt oplyst: 4 af 4 kriterier er oplyst." in sp_html
    block = _conditions_block(sp_html)
    assert "Betingelser for seniorpension" in sp_html
    item = block.split('id="condition-ikke_foertidspension"', 1)[1].split("</li>", 1)[0]
    assert "Ikke opfyldt – kan føre til afslag" in item
    assert "Borgeren modtager førtidspension." in item
    # beside the decision and the "sufficiently informed" action
    assert sp_html.count("completeness-decision-note") >= 1
    kbh_html = client_as(app, login, "kbh").get(f"/cases/{case['id']}").get_data(as_text=True)
    assert "Bemærkninger om betingelserne for seniorpension" in kbh_html
    kbh_block = _conditions_block(kbh_html)
    assert "kan føre til afslag" not in kbh_block
    assert "kommunen skal ikke indhente mere" in kbh_block


def test_a_report_stored_in_the_old_shape_still_renders(app, login) -> None:
    from sqlalchemy import select, update

    from forms_service.cases.models import AnswerSet

    stored = json.loads(STORED_OLD.read_text(encoding="utf-8"))
    case = _submit(app, login, stored["answers"])
    with app.app_context():
        session = app.extensions["forms_service.sessions"]()
        answer_set_id = session.scalars(
            select(AnswerSet.id).where(AnswerSet.case_id == case["id"])
        ).one()
        session.execute(
            update(AnswerSet)
            .where(AnswerSet.id == answer_set_id)
            .values(completeness=stored["report"])
        )
        session.commit()
        session.close()
    sp = client_as(app, login, "sp")
    html = sp.get(f"/cases/{case['id']}").get_data(as_text=True)
    assert stored["report"]["summary"] in html
    assert "Rapporten er gemt, før betingelserne blev adskilt" in html
    item = html.split('id="condition-ikke_foertidspension"', 1)[1].split("</li>", 1)[0]
    assert "Ikke opfyldt" in item
    api = sp.get(f"/api/v1/cases/{case['id']}/completeness").json
    assert api["submitted_report"]["stored_shape"] == "criteria-only"
    assert [c["id"] for c in api["submitted_report"]["conditions"]] == [
        "pensionsalder",
        "ikke_foertidspension",
    ]
