"""The review page: effective dates, running pilots' choices, the version table's status."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from flask import Flask

from forms_service.cases.models import User
from forms_service.cases.users import actor_of
from forms_service.editor.models import DefinitionDraft, PublishedVersion
from forms_service.editor.service import definition_text
from forms_service.pilots.service import PilotInput, create_pilot
from tests.web.test_editor import FORM, _client, _draft_text, _session, _start, editor_app

__all__ = ["editor_app"]  # the fixture, used by name


def _relabelled(app: Flask, client: Any) -> int:
    draft_id = _start(client)
    data = json.loads(_draft_text(app, draft_id))
    data["sections"][0]["fields"][0]["label"] = "Sagsnummer hos Seniorpension"
    client.post(
        f"/editor/drafts/{draft_id}/json",
        data={"base_revision": "1", "content": definition_text(data)},
    )
    return draft_id


def test_publish_with_a_date_shows_the_version_as_scheduled(editor_app, login) -> None:  # type: ignore[no-untyped-def]
    client = _client(editor_app, login)
    draft_id = _relabelled(editor_app, client)
    page = client.get(f"/editor/drafts/{draft_id}/publish").get_data(as_text=True)
    assert 'name="in_force_from"' in page and 'id="pilot-choices"' not in page
    start = dt.date.today() + dt.timedelta(days=30)
    refused = client.post(
        f"/editor/drafts/{draft_id}/publish",
        data={"base_revision": "2", "note": "Ny", "in_force_from": "31-02-2030"},
    )
    assert refused.status_code == 422
    assert "er ikke en dato" in refused.get_data(as_text=True)
    response = client.post(
        f"/editor/drafts/{draft_id}/publish",
        data={"base_revision": "2", "note": "Ny", "in_force_from": start.strftime("%d-%m-%Y")},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    index = client.get("/editor/").get_data(as_text=True)
    assert f"Planlagt</span> fra {start:%d-%m-%Y}" in index
    version = client.get(f"/editor/forms/{FORM}/1.3.0").get_data(as_text=True)
    assert 'id="reschedule-form"' in version and "planlagt" in version


def test_publish_during_a_running_pilot_asks_and_refuses_without_an_answer(
    editor_app, login, users: dict[str, User]
) -> None:  # type: ignore[no-untyped-def]
    today = dt.date.today()
    with _session(editor_app) as session:
        pilot = create_pilot(
            session,
            actor_of(session.get(User, users["editor"].id)),
            PilotInput(
                name="Kørende pilot",
                form=FORM,
                candidate_version="2.0.0-pilot.3",
                comparison_version="1.2.0",
                pilot_codes=(147,),
                start_date=today - dt.timedelta(days=10),
                end_date=today + dt.timedelta(days=100),
            ),
            editor_app.extensions["forms_service.registry"],
        )
        key = f"pilot-{pilot.id}-comparison"
    client = _client(editor_app, login)
    draft_id = _relabelled(editor_app, client)
    page = client.get(f"/editor/drafts/{draft_id}/publish").get_data(as_text=True)
    assert 'id="pilot-choices"' in page and f'name="{key}"' in page
    refused = client.post(
        f"/editor/drafts/{draft_id}/publish", data={"base_revision": "2", "note": "Ny"}
    )
    assert refused.status_code == 422
    assert "Kørende pilot" in refused.get_data(as_text=True)
    with _session(editor_app) as session:
        assert session.query(PublishedVersion).count() == 0
    done = client.post(
        f"/editor/drafts/{draft_id}/publish",
        data={"base_revision": "2", "note": "Ny", key: "keep"},
    )
    assert done.status_code == 302, done.get_data(as_text=True)
    with _session(editor_app) as session:
        assert session.get(DefinitionDraft, draft_id).status == "published"  # type: ignore[union-attr]
