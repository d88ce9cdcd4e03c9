"""The form editor's pages through Flask's test client on a real database."""

from __future__ import annotations

import contextlib
import io
import json
import re
from collections.abc import Iterator
from html import unescape as html_unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from forms_service.cases.models import AuditEntry, Case, User
from forms_service.cases.roles import Role
from forms_service.definitions.registry import Registry, definitions_root
from forms_service.editor.models import DefinitionDraft, PublishedVersion, TestAnswers
from forms_service.editor.service import definition_text

FORM = "sagsoplysningsskema"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "answers"


@pytest.fixture
def editor_app(db_url: str, db_engine, users: dict[str, User], tmp_path: Path) -> Iterator[Flask]:  # type: ignore[no-untyped-def]
    from forms_service.app import create_app

    # its own registry: versions published here must not reach other tests' apps
    application = create_app(
        {
            "DATABASE_URL": db_url,
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "SECRET_KEY": "test-secret",
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "REGISTRY": Registry(definitions_root()),
        }
    )
    yield application
    application.extensions["forms_service.engine"].dispose()


def _client(app: Flask, login: Any, username: str = "editor") -> Any:
    client = app.test_client()
    login(client, username)
    return client


def _session(app: Flask) -> Any:
    return app.extensions["forms_service.sessions"]()


def _start(client: Any, kind: str = "minor") -> int:
    response = client.post(
        "/editor/drafts", data={"form": FORM, "from_version": "1.0.0", "kind": kind}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[-1])


def _draft_text(app: Flask, draft_id: int) -> str:
    with _session(app) as session:
        return session.get(DefinitionDraft, draft_id).content_text  # type: ignore[no-any-return,union-attr]


def _publish(app: Flask, client: Any, draft_id: int, note: str = "Tydeligere tekst") -> None:
    with _session(app) as session:
        revision = session.get(DefinitionDraft, draft_id).revision  # type: ignore[union-attr]
    response = client.post(
        f"/editor/drafts/{draft_id}/publish", data={"note": note, "base_revision": revision}
    )
    assert response.status_code == 302, response.get_data(as_text=True)


def test_structured_edit_validation_and_fix(editor_app, login) -> None:  # type: ignore[no-untyped-def]
    client = _client(editor_app, login)
    draft_id = _start(client)
    page = client.get(f"/editor/drafts/{draft_id}").get_data(as_text=True)
    assert 'name="field-0-0-label"' in page and "Definitionen er gyldig." in page

    response = client.post(
        f"/editor/drafts/{draft_id}",
        data={
            "base_revision": "1",
            "action": "add_field:2",
            "field-0-0-label": "Sagsnummer hos Seniorpension",
            "new-2-id": "arbejdsproevning",
            "new-2-type": "textarea",
            "new-2-label": "Beskriv arbejdsprøvningen",
            "new-2-visible_if": "atp_aar >>> 20",
        },
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    # the same path as the CLI, and the place as the page numbers it (from 1, with titles)
    found = re.search(
        r"Sektion 3 »[^«]+«, felt (\d+) »Beskriv arbejdsprøvningen«: vises hvis</strong> "
        r'<span class="problem-path form-hint">\(<code>sections\[2\]\.fields\[(\d+)\]'
        r"\.visible_if</code>\)</span>: <span",
        page,
    )
    assert found and int(found.group(1)) == int(found.group(2)) + 1, page
    data = json.loads(_draft_text(editor_app, draft_id))
    assert data["sections"][0]["fields"][0]["label"] == "Sagsnummer hos Seniorpension"
    new = data["sections"][2]["fields"][-1]
    assert new["id"] == "arbejdsproevning" and new["visible_if"] == "atp_aar >>> 20"
    index = len(data["sections"][2]["fields"]) - 1

    response = client.post(
        f"/editor/drafts/{draft_id}",
        data={"base_revision": "2", f"field-2-{index}-visible_if": "atp_aar < 20.0"},
    )
    assert response.status_code == 302
    data = json.loads(_draft_text(editor_app, draft_id))
    assert data["sections"][2]["fields"][-1]["visible_if"] == "atp_aar < 20.0"
    # moving and removing
    client.post(
        f"/editor/drafts/{draft_id}", data={"base_revision": "3", "action": "move_field:0:1:up"}
    )
    data = json.loads(_draft_text(editor_app, draft_id))
    assert [f["id"] for f in data["sections"][0]["fields"]][:2] == ["ansoegningsdato", "sagsnummer"]
    client.post(
        f"/editor/drafts/{draft_id}",
        data={"base_revision": "4", "action": f"remove_field:2:{index}"},
    )
    data = json.loads(_draft_text(editor_app, draft_id))
    assert "arbejdsproevning" not in [f["id"] for f in data["sections"][2]["fields"]]


def test_stale_save_in_the_browser_keeps_the_editors_text(editor_app, login) -> None:  # type: ignore[no-untyped-def]
    alice = _client(editor_app, login)
    draft_id = _start(alice)
    alice.post(
        f"/editor/drafts/{draft_id}",
        data={"base_revision": "1", "field-0-0-label": "Alices spørgsmål"},
    )
    # a second editor, whose page still shows revision 1
    response = alice.post(
        f"/editor/drafts/{draft_id}",
        data={"base_revision": "1", "field-0-1-hint": "Bobs hjælpetekst"},
    )
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Din ændring er ikke gemt" in page
    assert "Bobs hjælpetekst" in page  # his edit is re-shown, in the JSON view
    assert "Alices spørgsmål" in page  # what changed meanwhile
    assert 'name="base_revision" value="2"' in page
    assert "Bobs hjælpetekst" not in _draft_text(editor_app, draft_id)
    # the same for the JSON view
    text = _draft_text(editor_app, draft_id).replace("Alices spørgsmål", "Carls spørgsmål")
    response = alice.post(
        f"/editor/drafts/{draft_id}/json", data={"base_revision": "1", "content": text}
    )
    assert response.status_code == 409
    assert "Carls spørgsmål" in response.get_data(as_text=True)


def test_invalid_json_is_saved_but_publishing_is_refused(editor_app, login) -> None:  # type: ignore[no-untyped-def]
    client = _client(editor_app, login)
    draft_id = _start(client)
    response = client.post(
        f"/editor/drafts/{draft_id}/json", data={"base_revision": "1", "content": '{"form": 1'}
    )
    assert response.status_code == 422
    assert "ugyldig JSON" in response.get_data(as_text=True)
    assert _draft_text(editor_app, draft_id) == '{"form": 1'
    response = client.post(
        f"/editor/drafts/{draft_id}/publish", data={"base_revision": "2", "note": "x"}
    )
    assert response.status_code == 422
    assert "Kladden har 1 fejl" in response.get_data(as_text=True)
    with _session(editor_app) as session:
        assert session.scalars(select(PublishedVersion)).all() == []


def test_preview_with_test_answers_shows_validation_and_completeness(editor_app, login) -> None:  # type: ignore[no-untyped-def]
    client = _client(editor_app, login)
    draft_id = _start(client)
    page = client.get(f"/editor/drafts/{draft_id}/preview").get_data(as_text=True)
    assert "Forhåndsvisning af kladden" in page and 'name="sagsnummer"' in page
    response = client.post(
        f"/editor/drafts/{draft_id}/preview", data={"action": "validate", "sagsnummer": "forkert"}
    )
    page = response.get_data(as_text=True)
    assert 'id="error-summary"' in page
    assert 'id="test-completeness"' in page
    response = client.post(
        f"/editor/drafts/{draft_id}/preview", data={"action": "save_test", "navn": "Test Testesen"}
    )
    assert "Testsvarene er gemt" in response.get_data(as_text=True)
    with _session(editor_app) as session:
        rows = session.scalars(select(TestAnswers)).all()
        assert [(r.draft_id, r.answers.get("navn")) for r in rows] == [(draft_id, "Test Testesen")]
        assert session.scalars(select(Case)).all() == []  # never a real case
    assert "Test editor" in client.get(f"/editor/drafts/{draft_id}/test-answers").get_data(
        as_text=True
    )


def test_publish_review_changelog_and_new_cases(editor_app, login, users) -> None:  # type: ignore[no-untyped-def]
    client = _client(editor_app, login)
    draft_id = _start(client)
    data = json.loads(_draft_text(editor_app, draft_id))
    field = data["sections"][2]["fields"][1]  # ansaettelser
    assert field["id"] == "ansaettelser"
    field["label"] = "Alle beskæftigelsesperioder"
    client.post(
        f"/editor/drafts/{draft_id}/json",
        data={"base_revision": "1", "content": definition_text(data)},
    )
    page = client.get(f"/editor/drafts/{draft_id}/publish").get_data(as_text=True)
    assert "<del>Beskæftigelsesperioder</del>" in page or "<ins>Alle" in page
    assert 'id="stale-guidance"' in page  # label changed, guidance did not
    _publish(editor_app, client, draft_id, note="Tydeligere spørgsmål om perioder")
    page = client.get(f"/editor/forms/{FORM}/changelog").get_data(as_text=True)
    assert "Tydeligere spørgsmål om perioder" in page and "Test editor" in page
    assert editor_app.extensions["forms_service.registry"].latest(FORM).version == "1.3.0"

    sp = _client(editor_app, login, "sp")
    response = sp.post(
        "/cases/new",
        data={
            "case_number": "SP-2025-000001",
            "cpr": "0101601234",
            "citizen_name": "Test Borger",
            "application_date": "2025-01-10",
            "municipality": "851",
            "request_date": "2025-01-12",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    with _session(editor_app) as session:
        case = session.scalars(select(Case)).one()
        assert case.form_version == "1.3.0"


def test_export_and_import_pages(editor_app, login) -> None:  # type: ignore[no-untyped-def]
    client = _client(editor_app, login)
    response = client.get(f"/editor/forms/{FORM}/1.0.0/export")
    assert response.status_code == 200
    assert 'filename="1.0.0.json"' in response.headers["Content-Disposition"]
    bundled = (definitions_root() / FORM / "1.0.0.json").read_text(encoding="utf-8")
    assert json.loads(response.get_data(as_text=True)) == json.loads(bundled)

    def upload(text: str, name: str) -> Any:
        return client.post(
            "/editor/import",
            data={"file": (io.BytesIO(text.encode()), name), "note": ""},
            content_type="multipart/form-data",
        )

    response = upload(response.get_data(as_text=True), "1.0.0.json")
    assert response.status_code == 302  # same content: nothing to do
    changed = json.loads(bundled) | {"title": "Et andet skema"}
    response = upload(definition_text(changed), "1.0.0.json")
    assert response.status_code == 409
    assert "findes allerede med et andet indhold" in response.get_data(as_text=True)
    new = json.loads(bundled) | {"version": "1.5.0"}
    response = upload(definition_text(new), "1.5.0.json")
    assert response.status_code == 302
    registry = editor_app.extensions["forms_service.registry"]
    assert registry.get(FORM, "1.5.0").content_hash == registry.get(FORM, "1.5.0").content_hash
    assert client.get(f"/editor/forms/{FORM}/1.5.0/export").get_data(as_text=True) == (
        definition_text(new)
    )


def test_markdown_preview_is_sanitised(editor_app, login) -> None:  # type: ignore[no-untyped-def]
    client = _client(editor_app, login)
    response = client.post(
        "/editor/markdown", data={"text": "**fed** <script>alert(1)</script> [x](javascript:y)"}
    )
    html = response.get_json()["html"]
    assert "<strong>fed</strong>" in html and "&lt;script&gt;" in html
    assert "<script" not in html and 'href="javascript' not in html


def test_pilot_preview_link_only_for_named_municipalities(editor_app, login) -> None:  # type: ignore[no-untyped-def]
    client = _client(editor_app, login)
    draft_id = _start(client, kind="pilot")
    response = client.post(f"/editor/drafts/{draft_id}/links", data={"municipality": ["101"]})
    assert response.status_code == 302
    page = client.get(f"/editor/drafts/{draft_id}").get_data(as_text=True)
    url = re.search(r'value="(http://localhost/pilot-preview/[^"]+)"', page).group(1)  # type: ignore[union-attr]
    path = url.replace("http://localhost", "")

    kbh = _client(editor_app, login, "kbh")
    assert "Afprøvning af et udkast" in kbh.get(path).get_data(as_text=True)
    kbh.post(path, data={"action": "save_test", "navn": "Pilot Test"})
    with _session(editor_app) as session:
        rows = session.scalars(select(TestAnswers)).all()
        assert [(r.municipality_code, r.link_id is not None) for r in rows] == [(101, True)]
    ringsted = _client(editor_app, login, "ringsted")
    assert ringsted.get(path).status_code == 403
    assert kbh.get(path[:-3] + "xyz").status_code == 404  # a forged token
    assert _client(editor_app, login, "sp").get(path).status_code == 403


# --- roles ------------------------------------------------------------------------------------


def _editor_rules(app: Flask) -> list[Any]:
    return [r for r in app.url_map.iter_rules() if r.endpoint.startswith("editor.")]


ARGS = {
    "draft_id": 1,
    "form": FORM,
    "version": "1.0.0",
    "link_id": 1,
    "token": "x",
}


def test_every_editor_route_is_for_form_editors_only(editor_app, login) -> None:  # type: ignore[no-untyped-def]
    rules = _editor_rules(editor_app)
    assert len(rules) >= 15
    for rule in rules:
        view = editor_app.view_functions[rule.endpoint]
        roles = view._roles
        if rule.endpoint.startswith("editor.pilot_preview"):
            assert roles == {Role.FORM_EDITOR, Role.MUNICIPAL_CASEWORKER}
        else:
            assert roles == {Role.FORM_EDITOR}, rule.endpoint
    anonymous = editor_app.test_client()
    for username in ("kbh", "sp", "analyst", "admin"):
        client = _client(editor_app, login, username)
        for rule in rules:
            if rule.endpoint.startswith("editor.pilot_preview") and username == "kbh":
                continue
            url = rule.build(ARGS, append_unknown=False)[1]
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                response = client.open(url, method=method)
                assert response.status_code == 403, (username, method, url)
                assert anonymous.open(url, method=method).status_code == 302


# --- immutability of published versions -------------------------------------------------------


def _snapshot(app: Flask) -> Any:
    with _session(app) as session:
        rows = [
            (r.form, r.version, r.content_hash, r.note, json.dumps(r.content, sort_keys=True))
            for r in session.scalars(select(PublishedVersion).order_by(PublishedVersion.id))
        ]
    registry = app.extensions["forms_service.registry"]
    hashes = {v: registry.get(FORM, v).content_hash for v in registry.versions(FORM)}
    files = {p.name: p.read_bytes() for p in (definitions_root() / FORM).glob("*.json")}
    return rows, hashes, files


def test_published_versions_cannot_be_changed_through_any_route(editor_app, login) -> None:  # type: ignore[no-untyped-def]
    client = _client(editor_app, login)
    draft_id = _start(client)
    published_text = _draft_text(editor_app, draft_id)
    _publish(editor_app, client, draft_id, note="Udgivet")
    before = _snapshot(editor_app)
    assert [r[1] for r in before[0]] == ["1.3.0"]

    tampered = published_text.replace("Seniorpensions sagsnummer", "Ændret efter udgivelse")
    payload = {
        "base_revision": "1",
        "content": tampered,
        "note": "forsøg",
        "action": "save",
        "field-0-0-label": "Ændret efter udgivelse",
        "title": "Ændret",
        "form": FORM,
        "from_version": "1.3.0",
        "version": "1.3.0",
        "municipality": "101",
    }
    args = {"draft_id": draft_id, "form": FORM, "version": "1.3.0", "link_id": 1}
    tried = 0
    for username in ("editor", "admin", "sp"):
        user_client = _client(editor_app, login, username)
        for rule in editor_app.url_map.iter_rules():
            methods = rule.methods - {"GET", "HEAD", "OPTIONS"}
            if not methods:
                continue
            values = {k: args.get(k, 1) for k in rule.arguments}
            if "token" in rule.arguments:
                values["token"] = "x"
            try:
                url = rule.build(values, append_unknown=False)[1]
            except Exception:  # a converter refuses the placeholder: not reachable with it
                continue
            for method in methods:
                tried += 1
                # an error is fine; a change is not
                with contextlib.suppress(Exception):
                    user_client.open(url, method=method, data=payload)
        # the upload route with the tampered file
        user_client.post(
            "/editor/import",
            data={"file": (io.BytesIO(tampered.encode()), "1.3.0.json")},
            content_type="multipart/form-data",
        )
    assert tried > 20
    assert _snapshot(editor_app) == before


# --- audit ------------------------------------------------------------------------------------


def test_every_change_is_audited(editor_app, login) -> None:  # type: ignore[no-untyped-def]
    client = _client(editor_app, login)
    draft_id = _start(client)
    client.post(f"/editor/drafts/{draft_id}", data={"base_revision": "1", "field-0-0-label": "Nyt"})
    client.post(f"/editor/drafts/{draft_id}/links", data={"municipality": ["101"]})
    client.post(f"/editor/drafts/{draft_id}/preview", data={"action": "save_test"})
    _publish(editor_app, client, draft_id)
    other = _start(client)
    client.post(f"/editor/drafts/{other}/discard", data={"base_revision": "1"})
    client.get(f"/editor/forms/{FORM}/1.3.0/export")
    with _session(editor_app) as session:
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.action.like("editor.%")).order_by(AuditEntry.id)
        ).all()
    assert [e.action for e in entries] == [
        "editor.draft_start",
        "editor.draft_save",
        "editor.preview_link",
        "editor.test_answers",
        "editor.publish",
        "editor.draft_start",
        "editor.draft_discard",
        "editor.export",
    ]
    assert all(e.actor == "editor" for e in entries)
    assert entries[4].details["version"] == "1.3.0" and entries[4].details["note"]


# --- a case moved to a newer version ----------------------------------------------------------


def test_case_page_lists_answers_not_carried_to_the_new_version(editor_app, login, users) -> None:  # type: ignore[no-untyped-def]
    from forms_service.cases.service import CaseService
    from forms_service.cases.users import actor_of

    registry = editor_app.extensions["forms_service.registry"]
    answers = json.loads((FIXTURES / "v1_complete.json").read_text(encoding="utf-8"))
    with _session(editor_app) as session:
        sp = CaseService(session, actor_of(session.get(User, users["sp"].id)), registry=registry)
        case = sp.create_case(
            case_number="SP-2025-004711",
            cpr="1508622402",
            citizen_name="Karin Holm Madsen",
            application_date=__import__("datetime").date(2025, 3, 10),
            municipality_code=101,
            send_to_municipality=True,
            request_date=__import__("datetime").date(2025, 3, 24),
        )
        case_id, revision = case.id, case.revision
        kbh = CaseService(session, actor_of(session.get(User, users["kbh"].id)), registry=registry)
        kbh.save_draft(case_id, answers, base_revision=revision)
        # the pilot ends: the case is moved to the pilot version (the pilots package's job)
        stored = session.get(Case, case_id)
        stored.form_version = "2.0.0-pilot.1"
        session.commit()
    page = _client(editor_app, login, "kbh").get(f"/cases/{case_id}").get_data(as_text=True)
    assert 'id="case-migration"' in page
    rows = re.findall(r'<tr data-path="([^"]+)">', page)
    assert rows == [
        "dokumentation_tilknytning",
        "helbredsdokumenter[0].beskrivelse",
        "helbredsdokumenter[1].beskrivelse",
        "hjaelpemidler",
    ]
    assert "arbejdsevne_timer → arbejdsevne_timer_pr_uge" in page


class _FormValues(HTMLParser):
    """What a browser would post from the structured editor's form, unchanged."""

    def __init__(self) -> None:
        super().__init__()
        self.values: list[tuple[str, str]] = []
        self._textarea: str | None = None
        self._text: list[str] = []
        self._in_form = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self._in_form = a.get("id") == "structured-editor"
        if not self._in_form or not a.get("name"):
            return
        if tag == "input" and a.get("type") not in ("checkbox", "submit"):
            self.values.append((a["name"], a.get("value") or ""))  # type: ignore[arg-type]
        elif tag == "input" and a.get("type") == "checkbox" and "checked" in a:
            self.values.append((a["name"], a.get("value") or "on"))  # type: ignore[arg-type]
        elif tag == "select":
            self._textarea = None
        elif tag == "textarea":
            self._textarea, self._text = a["name"], []

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            # browsers drop the newline right after <textarea> and post CRLF line endings
            text = text[1:] if text.startswith("\n") else text
            self.values.append((self._textarea, html_unescape(text).replace("\n", "\r\n")))
            self._textarea = None
        if tag == "form":
            self._in_form = False


def test_saving_the_unchanged_page_changes_nothing(editor_app, login) -> None:  # type: ignore[no-untyped-def]
    client = _client(editor_app, login)
    draft_id = _start(client)
    before = _draft_text(editor_app, draft_id)
    parser = _FormValues()
    parser.feed(client.get(f"/editor/drafts/{draft_id}").get_data(as_text=True))
    posted = [(k, v) for k, v in parser.values if not k.startswith("new-")]
    assert len(posted) > 100
    data = MultiDict([*posted, ("action", "save")])
    response = client.post(f"/editor/drafts/{draft_id}", data=data)
    assert response.status_code == 302
    assert _draft_text(editor_app, draft_id) == before
    with _session(editor_app) as session:
        assert session.get(DefinitionDraft, draft_id).revision == 1  # type: ignore[union-attr]


def test_version_page_offers_the_guidance_and_blank_form_of_that_version(editor_app, login) -> None:  # type: ignore[no-untyped-def]
    client = _client(editor_app, login)
    page = client.get(f"/editor/forms/{FORM}/1.0.0").get_data(as_text=True)
    for link in re.findall(r'href="([^"]+\.docx)"', page):
        response = client.get(html_unescape(link))
        assert response.status_code == 200, link
        assert response.mimetype.endswith("wordprocessingml.document")
    assert "/1.0.0/guidance.docx" in page and "/1.0.0/blank.docx" in page


def test_a_version_published_on_one_instance_is_served_by_another(  # type: ignore[no-untyped-def]
    editor_app, db_url: str, login, tmp_path: Path
) -> None:
    from forms_service.app import create_app

    # instance B: the same database, its own registry and instance folder, started first
    other = create_app(
        {
            "DATABASE_URL": db_url,
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "SECRET_KEY": "test-secret",
            "INSTANCE_PATH": str(tmp_path / "instance-b"),
            "REGISTRY": Registry(definitions_root()),
        }
    )
    try:
        before = set(other.extensions["forms_service.registry"].versions(FORM))
        client = _client(editor_app, login)
        draft_id = _start(client)
        _publish(editor_app, client, draft_id)
        with _session(editor_app) as session:
            version = session.scalars(select(PublishedVersion.version)).one()
        assert version not in before
        # asked for it by number, B reads the database at once (no request hook, no waiting)
        reader = _client(other, login, "sp")
        response = reader.get(f"/api/v1/forms/{FORM}/{version}")
        assert response.status_code == 200, response.get_data(as_text=True)
        assert response.get_json()["version"] == version
        assert version in other.extensions["forms_service.registry"].versions(FORM)
    finally:
        other.extensions["forms_service.engine"].dispose()
