"""Time per section of the case form (issue 19): the endpoint forms.js sends to on leaving the
page. Known sections of the case's version only, bounded seconds, the municipality's caseworker
on a case it may still edit, the CSRF token, and a daily cap per case."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from forms_service.app import create_app
from forms_service.cases.effort import (
    FIELD_ERROR,
    MAX_SECTION_EVENTS_PER_DAY,
    SECTION_TIME,
    record,
)
from forms_service.cases.models import Case, EffortEvent


def _sections(app: Any, case_id: int) -> list[str]:
    with app.extensions["forms_service.sessions"]() as session:
        case = session.get(Case, case_id)
        assert case is not None
        definition = app.extensions["forms_service.registry"].get(case.form, case.form_version)
    return [s.id for s in definition.sections]


def _events(app: Any, case_id: int, kind: str = SECTION_TIME) -> list[EffortEvent]:
    with app.extensions["forms_service.sessions"]() as session:
        rows = session.scalars(
            select(EffortEvent)
            .where(EffortEvent.case_id == case_id, EffortEvent.kind == kind)
            .order_by(EffortEvent.id)
        ).all()
        for row in rows:
            session.expunge(row)
    return list(rows)


def _post(client: Any, case_id: int, times: Any, **extra: str) -> Any:
    data = {"times": times if isinstance(times, str) else json.dumps(times)} | extra
    return client.post(f"/cases/{case_id}/form/effort", data=data)


def test_the_case_form_names_the_effort_endpoint(client, login, case_factory) -> None:  # type: ignore[no-untyped-def]
    case_id = case_factory()
    login(client, "kbh")
    page = client.get(f"/cases/{case_id}/form").get_data(as_text=True)
    assert f'data-effort-url="/cases/{case_id}/form/effort"' in page


def test_section_times_are_stored_as_ids_and_seconds(app, client, login, case_factory) -> None:  # type: ignore[no-untyped-def]
    case_id = case_factory()
    first, second = _sections(app, case_id)[:2]
    login(client, "kbh")
    assert _post(client, case_id, {first: 42, second: 7.4}).status_code == 204
    rows = _events(app, case_id)
    assert [(r.section_id, r.seconds, r.field_id) for r in rows] == sorted(
        [(first, 42, None), (second, 7, None)]
    )
    with app.extensions["forms_service.sessions"]() as session:
        case = session.get(Case, case_id)
        assert case is not None
        assert {(r.form, r.form_version) for r in rows} == {(case.form, case.form_version)}


@pytest.mark.parametrize(
    "times",
    [
        {"no_such_section": 10},
        "not json",
        [],
        {},
        {"FIRST": 0},
        {"FIRST": -5},
        {"FIRST": 3601},
        {"FIRST": "12"},
        {"FIRST": True},
    ],
)
def test_bad_batches_are_refused_whole(app, client, login, case_factory, times) -> None:  # type: ignore[no-untyped-def]
    case_id = case_factory()
    first, second = _sections(app, case_id)[:2]
    login(client, "kbh")
    if isinstance(times, dict):
        times = {first if k == "FIRST" else k: v for k, v in times.items()} | (
            {second: 30} if times else {}
        )
    response = _post(client, case_id, times)
    assert response.status_code in (400, 422)
    assert _events(app, case_id) == []


def test_only_the_municipality_of_the_case_may_send(app, client, login, case_factory) -> None:  # type: ignore[no-untyped-def]
    case_id = case_factory(municipality_code=101)
    section = _sections(app, case_id)[0]
    login(client, "sp")
    assert _post(client, case_id, {section: 10}).status_code == 403
    client.post("/logout")
    login(client, "ringsted")  # another municipality: the case does not exist for it
    assert _post(client, case_id, {section: 10}).status_code == 404
    assert _events(app, case_id) == []


def test_a_submitted_case_takes_no_more_time(app, client, login, case_factory) -> None:  # type: ignore[no-untyped-def]
    case_id = case_factory()
    section = _sections(app, case_id)[0]
    with app.extensions["forms_service.sessions"]() as session:
        case = session.get(Case, case_id)
        assert case is not None
        case.status = "submitted"
        session.commit()
    login(client, "kbh")
    assert _post(client, case_id, {section: 10}).status_code == 409
    assert _events(app, case_id) == []


def test_a_case_takes_a_capped_number_of_events_a_day(app, client, login, case_factory) -> None:  # type: ignore[no-untyped-def]
    case_id = case_factory()
    first, second = _sections(app, case_id)[:2]
    with app.extensions["forms_service.sessions"]() as session:
        case = session.get(Case, case_id)
        assert case is not None
        yesterday = dt.datetime.now(dt.UTC) - dt.timedelta(days=1, hours=1)
        for at in [yesterday] * 50 + [dt.datetime.now(dt.UTC)] * (MAX_SECTION_EVENTS_PER_DAY - 1):
            record(session, case_id, case.form, case.form_version, SECTION_TIME,
                   section_id=first, seconds=5, at=at)  # fmt: skip
        session.commit()
    login(client, "kbh")
    before = len(_events(app, case_id))
    response = _post(client, case_id, {first: 10, second: 10})  # one over today's cap
    assert response.status_code == 429
    assert len(_events(app, case_id)) == before
    assert _post(client, case_id, {second: 10}).status_code == 204  # yesterday's do not count
    assert _post(client, case_id, {second: 10}).status_code == 429


def test_the_endpoint_needs_the_csrf_token(
    db_url, db_engine, users, tmp_path: Path, case_factory
) -> None:  # type: ignore[no-untyped-def]
    app = create_app(
        {
            "DATABASE_URL": db_url,
            "TESTING": True,
            "WTF_CSRF_ENABLED": True,
            "SECRET_KEY": "test-secret",
            "INSTANCE_PATH": str(tmp_path / "csrf-instance"),
        }
    )
    try:
        case_id = case_factory()
        section = _sections(app, case_id)[0]
        client = app.test_client()
        login_page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login_page)
        assert token
        client.post(
            "/login",
            data={"username": "kbh", "password": "korrekt-hest-batteri", "csrf_token": token[1]},
        )
        assert _post(client, case_id, {section: 10}).status_code == 400
        assert _events(app, case_id) == []
        page = client.get(f"/cases/{case_id}/form").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert token
        assert _post(client, case_id, {section: 10}, csrf_token=token[1]).status_code == 204
        assert [r.seconds for r in _events(app, case_id)] == [10]
    finally:
        app.extensions["forms_service.engine"].dispose()


def test_a_refused_submission_names_the_sections_to_reopen(
    app, client, login, case_factory
) -> None:  # type: ignore[no-untyped-def]
    case_id = case_factory()
    login(client, "kbh")
    page = client.get(f"/cases/{case_id}/form").get_data(as_text=True)
    revision = re.search(r'name="base_revision" value="(\d+)"', page)
    assert revision
    response = client.post(
        f"/cases/{case_id}/form", data={"action": "submit", "base_revision": revision[1]}
    )
    assert response.status_code == 422
    errors = _events(app, case_id, FIELD_ERROR)
    assert errors and all(e.section_id for e in errors)
    with app.extensions["forms_service.sessions"]() as session:
        case = session.get(Case, case_id)
        assert case is not None
        definition = app.extensions["forms_service.registry"].get(case.form, case.form_version)
    for event in errors:
        section = definition.section_of(event.field_id)
        assert section is not None and section.id == event.section_id
