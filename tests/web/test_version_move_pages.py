"""The version move on the case page and the form page (issue 7), through Flask's test client."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from forms_service.cases.audit import entries_for_case
from forms_service.cases.models import Case, User
from forms_service.cases.service import CaseService
from forms_service.cases.users import actor_of
from forms_service.cases.version_move import MOVE_ACTION
from forms_service.pilots.service import PilotInput, create_pilot

ANSWERS = Path(__file__).parents[1] / "fixtures" / "answers"
V1, V2 = "1.0.0", "2.0.0-pilot.1"
LOST_PATHS = [
    "helbredsdokumenter[0].kilde_type",
    "helbredsdokumenter[0].dato",
    "helbredsdokumenter[0].konklusion",
    "helbredsdokumenter[1].kilde_type",
    "helbredsdokumenter[1].konklusion",
    "arbejdsevne_timer_pr_uge",
    "dokumentcheckliste",
]


def answers(name: str) -> dict[str, Any]:
    return json.loads((ANSWERS / name).read_text("utf-8"))


def as_user(app: Flask, users: dict[str, User], name: str, fn: Callable[[CaseService], Any]) -> Any:
    session = app.extensions["forms_service.sessions"]()
    try:
        user = session.get(User, users[name].id)
        return fn(
            CaseService(session, actor_of(user), registry=app.extensions["forms_service.registry"])
        )
    finally:
        session.close()


def case_row(app: Flask, case_id: int) -> Case:
    session = app.extensions["forms_service.sessions"]()
    try:
        case = session.get(Case, case_id)
        assert case is not None
        session.expunge(case)
        return case
    finally:
        session.close()


@pytest.fixture
def pilot_case(app: Flask, users: dict[str, User], case_factory: Callable[..., int]) -> int:
    """A København case on the pilot version with the complete v2 answers as a draft."""
    session = app.extensions["forms_service.sessions"]()
    try:
        editor = session.get(User, users["editor"].id)
        create_pilot(
            session,
            actor_of(editor),
            PilotInput(
                name="Forum-pilot",
                form="sagsoplysningsskema",
                candidate_version=V2,
                comparison_version=V1,
                pilot_codes=(101,),
                start_date=dt.date.today() - dt.timedelta(days=100),
                end_date=dt.date.today() + dt.timedelta(days=100),
            ),
            app.extensions["forms_service.registry"],
        )
        session.commit()
    finally:
        session.close()
    case_id = case_factory(101)
    assert case_row(app, case_id).form_version == V2
    as_user(
        app,
        users,
        "kbh",
        lambda s: s.save_draft(
            case_id, answers("v2_complete.json"), base_revision=case_row(app, case_id).revision
        ),
    )
    return case_id


def not_carried_paths(html: str, container: str) -> list[str]:
    start = html.index(f'id="{container}"')
    return re.findall(r'<tr data-path="([^"]+)">', html[start:])


def move(  # type: ignore[no-untyped-def]
    client: FlaskClient,
    case_id: int,
    version: str,
    revision: int,
    reason: str = "Slut",
    action: str = "confirm",
):
    """The move as confirmed on the page that showed its predicted impact (``action=confirm``);
    any other action shows that page."""
    return client.post(
        f"/cases/{case_id}/version",
        data={"version": version, "reason": reason, "revision": str(revision), "action": action},
    )


def test_the_move_shows_its_predicted_impact_first_and_records_it(
    app: Flask, client: FlaskClient, login: Any, pilot_case: int
) -> None:
    """Issue 19: before the case moves, what the move would do to it; the confirmation moves
    it with the prediction in the audit entry."""
    login(client, "sp")
    revision = case_row(app, pilot_case).revision
    preview = move(client, pilot_case, V1, revision, "Piloten er slut.", action="preview")
    assert preview.status_code == 200
    page = preview.get_data(as_text=True)
    assert "Sagen er ikke flyttet endnu" in page
    assert "1 åben sag er regnet igennem med version 1.0.0" in page
    assert '<li data-count="losing_answers">1 sag mister svar' in page
    assert case_row(app, pilot_case).form_version == V2  # nothing moved
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page))
    assert hidden["action"] == "confirm" and hidden["version"] == V1
    assert hidden["reason"] == "Piloten er slut." and hidden["revision"] == str(revision)

    hidden.pop("csrf_token", None)
    assert client.post(f"/cases/{pilot_case}/version", data=hidden).status_code == 302
    assert case_row(app, pilot_case).form_version == V1
    with app.extensions["forms_service.sessions"]() as session:
        entry = next(e for e in entries_for_case(session, pilot_case) if e.action == MOVE_ACTION)
    assert entry.details["predicted"]["lost"] == len(LOST_PATHS)
    assert len(entry.details["not_carried"]) == len(LOST_PATHS)  # as predicted


def test_a_move_to_an_unknown_version_is_refused_before_any_prediction(
    app: Flask, client: FlaskClient, login: Any, pilot_case: int
) -> None:
    login(client, "sp")
    revision = case_row(app, pilot_case).revision
    response = move(client, pilot_case, "9.9.9", revision, action="preview")
    assert response.status_code == 422
    assert "har ingen version 9.9.9" in response.get_data(as_text=True)
    assert case_row(app, pilot_case).form_version == V2


def test_seniorpension_moves_and_the_caseworker_sees_what_was_not_carried(
    app: Flask, client: FlaskClient, login: Any, users: dict[str, User], pilot_case: int
) -> None:
    login(client, "sp")
    page = client.get(f"/cases/{pilot_case}").get_data(as_text=True)
    assert 'id="move-version-button"' in page
    assert '<option value="1.0.0">1.0.0</option>' in page
    assert '<option value="2.0.0-pilot.1">' not in page  # the version it already has

    revision = case_row(app, pilot_case).revision
    response = move(client, pilot_case, V1, revision, "Piloten er slut.")
    assert response.status_code == 302
    case = case_row(app, pilot_case)
    assert case.form_version == V1 and case.revision == revision + 1

    page = client.get(f"/cases/{pilot_case}").get_data(as_text=True)
    assert "7 svar kunne ikke føres over; kommunen ser dem" in page  # the flash
    assert not_carried_paths(page, "case-migration") == LOST_PATHS
    assert "flyttet fra version 2.0.0-pilot.1 til 1.0.0 af Test sp (7 svar" in page

    # the municipal caseworker: on the case page and at the top of the form
    client.post("/logout")
    login(client, "kbh")
    page = client.get(f"/cases/{pilot_case}").get_data(as_text=True)
    assert not_carried_paths(page, "case-migration") == LOST_PATHS
    assert 'id="move-version-button"' not in page
    form = client.get(f"/cases/{pilot_case}/form")
    assert form.status_code == 200
    html = form.get_data(as_text=True)
    assert not_carried_paths(html, "version-move-notice") == LOST_PATHS
    assert html.index('id="version-move-notice"') < html.index(f'action="/cases/{pilot_case}/form"')
    assert "Sagen bruger nu sagsoplysningsskema@1.0.0" in html
    # a lost value is shown as it was answered (the pilot's hours, 10)
    assert re.search(r'data-path="arbejdsevne_timer_pr_uge"><td>[^<]*</td><td>10</td>', html)
    # and the carried answers are in the form's inputs
    assert answers("v2_complete.json")["seneste_job_arbejdsgiver"] in html

    # until the caseworker saves
    draft = as_user(app, users, "kbh", lambda s: s.latest_answers(pilot_case))
    as_user(
        app,
        users,
        "kbh",
        lambda s: s.save_draft(
            pilot_case, dict(draft.answers), base_revision=case_row(app, pilot_case).revision
        ),
    )
    html = client.get(f"/cases/{pilot_case}/form").get_data(as_text=True)
    assert 'id="version-move-notice"' not in html
    page = client.get(f"/cases/{pilot_case}").get_data(as_text=True)
    assert 'id="case-migration"' not in page
    assert "flyttet fra version 2.0.0-pilot.1 til 1.0.0" in page  # the history stays

    session = app.extensions["forms_service.sessions"]()
    try:
        moves = [e for e in entries_for_case(session, pilot_case) if e.action == MOVE_ACTION]
    finally:
        session.close()
    assert len(moves) == 1 and moves[0].actor == "sp"
    assert [n["path"] for n in moves[0].details["not_carried"]] == LOST_PATHS


def test_roles_and_scope(app: Flask, client: FlaskClient, login: Any, pilot_case: int) -> None:
    revision = case_row(app, pilot_case).revision
    login(client, "kbh")
    assert move(client, pilot_case, V1, revision).status_code == 403
    client.post("/logout")
    login(client, "ringsted")
    assert client.get(f"/cases/{pilot_case}").status_code == 404
    assert move(client, pilot_case, V1, revision).status_code == 403
    client.post("/logout")
    login(client, "analyst")
    assert move(client, pilot_case, V1, revision).status_code == 403
    case = case_row(app, pilot_case)
    assert (case.form_version, case.revision) == (V2, revision)

    client.post("/logout")
    login(client, "sp")
    assert move(client, 999_999, V1, 1).status_code == 404


def test_submitted_case_keeps_its_version_and_stale_moves_are_refused(
    app: Flask, client: FlaskClient, login: Any, users: dict[str, User], pilot_case: int
) -> None:
    login(client, "sp")
    stale = case_row(app, pilot_case).revision - 1
    response = move(client, pilot_case, V1, stale)
    assert response.status_code == 302
    page = client.get(f"/cases/{pilot_case}").get_data(as_text=True)
    assert "Sagen er ændret, siden du åbnede den" in page
    assert case_row(app, pilot_case).form_version == V2

    as_user(
        app,
        users,
        "kbh",
        lambda s: s.submit(
            pilot_case,
            answers("v2_complete.json"),
            base_revision=case_row(app, pilot_case).revision,
        ),
    )
    page = client.get(f"/cases/{pilot_case}").get_data(as_text=True)
    assert 'id="move-version-button"' not in page
    response = move(client, pilot_case, V1, case_row(app, pilot_case).revision)
    assert response.status_code == 409
    assert "beholder skemaversion 2.0.0-pilot.1" in response.get_data(as_text=True)
    assert case_row(app, pilot_case).form_version == V2
