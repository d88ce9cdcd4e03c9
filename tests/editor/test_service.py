"""The editor service on a real database: drafts, stale saves, publishing, import and export."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from forms_service.cases.models import AuditEntry, FormVersion
from forms_service.definitions.loader import content_hash
from forms_service.definitions.registry import Registry, definitions_root
from forms_service.editor.errors import (
    DraftClosedError,
    EditorPermissionError,
    ImportRefusedError,
    PublishRefusedError,
    StaleDraftError,
    VersionExistsError,
)
from forms_service.editor.models import DRAFT_DISCARDED, PublishedVersion
from forms_service.editor.service import definition_text
from forms_service.editor.store import load_published

FORM = "sagsoplysningsskema"


def _edit(text: str, change: Any) -> str:
    data = json.loads(text)
    change(data)
    return definition_text(data)


def _relabel(data: dict[str, Any]) -> None:
    data["sections"][0]["fields"][0]["label"] = "Sagsnummer hos Seniorpension"


def test_start_draft_suggests_the_next_number(editor_service) -> None:  # type: ignore[no-untyped-def]
    service = editor_service()
    assert service.suggest(FORM, "1.0.0", "minor") == "1.3.0"
    assert service.suggest(FORM, "1.0.0", "pilot") == "2.0.0-pilot.4"
    draft = service.start_draft(FORM, "1.0.0")
    assert (draft.version, draft.based_on, draft.revision) == ("1.3.0", "1.0.0", 1)
    data = json.loads(draft.content_text)
    assert data["version"] == "1.3.0" and data["based_on"] == "1.0.0"
    assert service.state(draft).valid
    # the open draft holds its number
    assert service.suggest(FORM, "1.0.0", "minor") == "1.4.0"
    with pytest.raises(VersionExistsError):
        service.start_draft(FORM, "1.0.0", version="1.0.0")


def test_invalid_draft_is_saved_but_cannot_be_published(editor_service) -> None:  # type: ignore[no-untyped-def]
    service = editor_service()
    draft = service.start_draft(FORM, "1.0.0")

    def bad(data: dict[str, Any]) -> None:
        data["sections"][0]["fields"][0]["visible_if"] = "ukendt_felt > 2"

    state = service.save_draft(draft.id, _edit(draft.content_text, bad), base_revision=1)
    assert [str(p) for p in state.problems] == [
        "sagsoplysningsskema/1.3.0.json: sections[0].fields[0].visible_if: ukendt felt "
        "'ukendt_felt'"
    ]
    assert draft.revision == 2 and draft.problem_count == 1
    with pytest.raises(PublishRefusedError) as refused:
        service.publish(draft.id, note="Ny version", base_revision=2)
    assert "Kladden har 1 fejl i definitionen; ret den først." in refused.value.reasons
    # unparsable text is kept as written, with the line and column
    state = service.save_draft(draft.id, '{"form": ', base_revision=2)
    assert state.problems[0].line == 1 and "ugyldig JSON" in state.problems[0].message
    assert draft.content_text == '{"form": '


def test_stale_save_is_refused_and_nothing_is_lost(editor_service, db_engine) -> None:  # type: ignore[no-untyped-def]
    alice = editor_service()
    draft = alice.start_draft(FORM, "1.0.0")
    base_text = draft.content_text
    alice.save_draft(draft.id, _edit(base_text, _relabel), base_revision=1)

    def hint(data: dict[str, Any]) -> None:
        data["sections"][0]["fields"][1]["hint"] = "Datoen på ansøgningen"

    mine = _edit(base_text, hint)
    with pytest.raises(StaleDraftError) as stale:
        alice.save_draft(draft.id, mine, base_revision=1)
    error = stale.value
    assert error.posted_text == mine  # re-shown to the editor
    assert (error.base_revision, error.current_revision) == (1, 2)
    assert "revision 1" in error.message and "revision 2" in error.message
    changed = error.changes.diff.field("sagsnummer")
    assert changed.change("label").new == "Sagsnummer hos Seniorpension"
    assert '"label": "Sagsnummer hos Seniorpension"' in error.changes.text_diff
    assert json.loads(draft.content_text)["sections"][0]["fields"][0]["label"] == (
        "Sagsnummer hos Seniorpension"
    )
    assert "Datoen på ansøgningen" not in draft.content_text


def test_concurrent_saves_in_two_sessions_one_wins(editor_service, db_engine, users) -> None:  # type: ignore[no-untyped-def]
    from forms_service.cases import db as cases_db
    from forms_service.cases.models import User
    from forms_service.cases.users import actor_of
    from forms_service.editor.service import EditorService

    first = editor_service()
    draft = first.start_draft(FORM, "1.0.0")
    other_session: Session = cases_db.make_session_factory(db_engine)()
    try:
        user = other_session.get(User, users["editor"].id)
        second = EditorService(other_session, actor_of(user), first.registry)
        second_draft = second.get_draft(draft.id)  # both read revision 1
        assert second_draft.revision == 1
        first.save_draft(draft.id, _edit(draft.content_text, _relabel), base_revision=1)
        with pytest.raises(StaleDraftError):
            second.save_draft(draft.id, draft.content_text + "\n ", base_revision=1)
    finally:
        other_session.close()


def test_publish_adds_the_version_with_note_and_audit(
    editor_service, registry: Registry, db_session: Session
) -> None:  # type: ignore[no-untyped-def]
    service = editor_service()
    draft = service.start_draft(FORM, "1.0.0")
    service.save_draft(draft.id, _edit(draft.content_text, _relabel), base_revision=1)
    review = service.review(draft.id)
    assert review.can_publish and review.diff is not None
    assert review.diff.field("sagsnummer").change("label").words is not None
    with pytest.raises(PublishRefusedError) as refused:
        service.publish(draft.id, note="  ", base_revision=2)
    assert refused.value.reasons == ["Skriv en ændringsnote: hvad er ændret, og hvorfor?"]

    row = service.publish(draft.id, note="Tydeligere spørgsmål", base_revision=2)
    assert (row.version, row.note, row.published_by_name) == (
        "1.3.0",
        "Tydeligere spørgsmål",
        "Test editor",
    )
    assert registry.latest(FORM).version == "1.3.0"
    assert registry.get(FORM, "1.3.0").content_hash == row.content_hash == content_hash(row.content)
    assert [p.version for p in service.changelog(FORM)] == ["1.3.0"]
    hashes = db_session.scalars(
        select(FormVersion.content_hash).where(FormVersion.version == "1.3.0")
    )
    assert list(hashes) == [row.content_hash]
    with pytest.raises(DraftClosedError):
        service.save_draft(draft.id, draft.content_text, base_revision=draft.revision)
    # the stored row can be neither changed nor deleted
    row.note = "ændret"
    with pytest.raises(RuntimeError, match="immutable"):
        db_session.commit()
    db_session.rollback()
    db_session.delete(db_session.get(PublishedVersion, row.id))
    with pytest.raises(RuntimeError, match="immutable"):
        db_session.commit()
    db_session.rollback()
    actions = list(db_session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions == ["editor.draft_start", "editor.draft_save", "editor.publish"]


def test_a_type_change_without_migration_is_refused(editor_service) -> None:  # type: ignore[no-untyped-def]
    service = editor_service()
    draft = service.start_draft(FORM, "1.0.0", kind="major")

    def retype(data: dict[str, Any]) -> None:
        data["sections"][1]["fields"][1]["type"] = "textarea"  # navn: text → textarea

    service.save_draft(draft.id, _edit(draft.content_text, retype), base_revision=1)
    review = service.review(draft.id)
    assert not review.can_publish
    assert any("'navn' skifter type fra text til textarea" in e for e in review.compat.errors)

    def declare(data: dict[str, Any]) -> None:
        data["migrations"] = [{"field": "navn", "type_change": "text->textarea"}]

    text = _edit(draft.content_text, declare)
    service.save_draft(draft.id, text, base_revision=2)
    assert service.review(draft.id).can_publish


def test_removed_field_is_warned_about(editor_service) -> None:  # type: ignore[no-untyped-def]
    service = editor_service()
    draft = service.start_draft(FORM, "1.0.0")

    def remove(data: dict[str, Any]) -> None:
        fields = data["sections"][4]["fields"]
        data["sections"][4]["fields"] = [f for f in fields if f["id"] != "hjaelpemidler"]

    service.save_draft(draft.id, _edit(draft.content_text, remove), base_revision=1)
    review = service.review(draft.id)
    assert review.can_publish
    assert any("'hjaelpemidler'" in w for w in review.compat.warnings)
    assert review.diff.field("hjaelpemidler").status == "removed"


def test_discard(editor_service, db_session: Session) -> None:  # type: ignore[no-untyped-def]
    service = editor_service()
    draft = service.start_draft(FORM, "1.0.0")
    service.discard_draft(draft.id, base_revision=1)
    assert draft.status == DRAFT_DISCARDED
    assert service.open_drafts() == []
    with pytest.raises(DraftClosedError):
        service.publish(draft.id, note="x", base_revision=draft.revision)
    # the number is free again
    assert service.suggest(FORM, "1.0.0", "minor") == "1.3.0"


def test_export_then_import_round_trips_to_the_same_hash(
    editor_service, db_url: str, tmp_path, users
) -> None:  # type: ignore[no-untyped-def]
    service = editor_service()
    draft = service.start_draft(FORM, "1.0.0")
    service.save_draft(draft.id, _edit(draft.content_text, _relabel), base_revision=1)
    published = service.publish(draft.id, note="Eksport-test", base_revision=2)
    text = service.export_text(FORM, "1.3.0")
    assert text == json.dumps(published.content, ensure_ascii=False, indent=2) + "\n"

    # into a second, empty database with a registry of the bundled files only
    from forms_service.cases import db as cases_db
    from forms_service.cases.roles import Actor, Role
    from forms_service.cases.users import create_user
    from forms_service.editor.service import EditorService

    other = cases_db.make_engine(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    cases_db.upgrade(other)
    session = cases_db.make_session_factory(other)()
    try:
        user = create_user(session, "editor2", role=Role.FORM_EDITOR, password_hash="x")
        session.commit()
        fresh = Registry(definitions_root())
        importer = EditorService(session, Actor(user.id, "editor2", Role.FORM_EDITOR), fresh)
        result = importer.import_text(text, filename=f"{FORM}/1.3.0.json")
        assert result.imported and result.content_hash == published.content_hash
        assert fresh.get(FORM, "1.3.0").content_hash == published.content_hash
        # again: the same content is a no-op, never a second row
        assert not importer.import_text(text, filename="1.3.0.json").imported
        # a different content under the same number is refused
        changed = text.replace("Sagsnummer hos Seniorpension", "Sagsnr. hos Seniorpension")
        with pytest.raises(ImportRefusedError, match="findes allerede med et andet indhold"):
            importer.import_text(changed, filename="1.3.0.json")
        # the bundled 1.0.0 with other content is refused too: an import never replaces
        bundled = json.loads((definitions_root() / FORM / "1.0.0.json").read_text("utf-8"))
        bundled["title"] = "Ændret"
        with pytest.raises(ImportRefusedError):
            importer.import_text(definition_text(bundled), filename="1.0.0.json")
        rows = session.scalars(select(PublishedVersion)).all()
        assert [(r.version, r.source) for r in rows] == [("1.3.0", "import")]
        # at the next start, the stored versions are loaded into an empty registry
        restarted = Registry(definitions_root())
        assert load_published(session, restarted) == 1
        assert restarted.latest(FORM).content_hash == published.content_hash
    finally:
        session.close()
        other.dispose()


def test_only_form_editors_use_the_service(editor_service) -> None:  # type: ignore[no-untyped-def]
    for username in ("kbh", "sp", "analyst", "admin"):
        service = editor_service(username)
        with pytest.raises(EditorPermissionError):
            service.start_draft(FORM, "1.0.0")
        with pytest.raises(EditorPermissionError):
            service.open_drafts()
        with pytest.raises(EditorPermissionError):
            service.import_text("{}")


def test_preview_link_is_for_the_named_municipalities(editor_service) -> None:  # type: ignore[no-untyped-def]
    service = editor_service()
    draft = service.start_draft(FORM, "1.0.0", kind="pilot")
    link = service.create_preview_link(draft.id, [101])
    _, opened = editor_service("kbh").open_preview_link(link.id)
    assert opened.id == draft.id
    with pytest.raises(EditorPermissionError):
        editor_service("ringsted").open_preview_link(link.id)
    with pytest.raises(EditorPermissionError):
        editor_service("sp").open_preview_link(link.id)
    kbh = editor_service("kbh")
    saved = kbh.save_test_answers(
        draft, {"navn": "Test"}, problems=[], completeness=None, link=link
    )
    assert (saved.municipality_code, saved.draft_revision) == (101, 1)
    assert [t.id for t in service.test_answers(draft.id)] == [saved.id]
    service.revoke_preview_link(link.id)
    with pytest.raises(Exception, match="udløbet eller trukket tilbage"):
        kbh.open_preview_link(link.id)


def test_expression_limits_hold_on_save_publish_and_import(editor_service) -> None:  # type: ignore[no-untyped-def]
    from tests.definitions.test_expression_limits import LONG_SUM, NESTED_MAPS

    service = editor_service()
    draft = service.start_draft(FORM, "1.0.0")

    def hostile(data: dict[str, Any]) -> None:
        data["sections"][0]["fields"][0]["visible_if"] = NESTED_MAPS + ".size() > 0"

    text = _edit(draft.content_text, hostile)
    state = service.save_draft(draft.id, text, base_revision=1)
    assert [(p.path, p.message) for p in state.problems] == [
        (
            "sections[0].fields[0].visible_if",
            "for mange indlejrede gennemløb (all/exists/map/filter: 3; højst 2)",
        )
    ]
    assert draft.content_text == text  # the draft is kept as written
    with pytest.raises(PublishRefusedError):
        service.publish(draft.id, note="Farlig", base_revision=2)

    data = json.loads(text)
    data["sections"][0]["fields"][0]["visible_if"] = LONG_SUM
    with pytest.raises(ImportRefusedError) as refused:
        service.import_text(definition_text(data), filename=f"{FORM}/{data['version']}.json")
    assert [(p.path, p.message) for p in refused.value.problems] == [
        ("sections[0].fields[0].visible_if", "udtrykket er for langt (29999 tegn; højst 2000)")
    ]
