"""The WTForms classes generated from a definition, without the case pages."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from flask import Flask
from werkzeug.datastructures import MultiDict

from forms_service.answers import validate
from forms_service.answers.storage import normalise_for_storage
from forms_service.definitions.loader import load_definition_data
from forms_service.web.forms.builder import build_form, form_class_for
from forms_service.web.forms.flow import run_round
from forms_service.web.forms.names import input_id, input_name, path_segments

FIXTURES = Path(__file__).resolve().parent / "fixtures"
TODAY = dt.date(2026, 3, 2)


def _definition():  # type: ignore[no-untyped-def]
    data = json.loads((FIXTURES / "forms_reserved_names.json").read_text("utf-8"))
    return load_definition_data(data, "navnetest/1.0.0.json")


def _app() -> Flask:
    app = Flask(__name__)
    app.config.update(SECRET_KEY="test", WTF_CSRF_ENABLED=False)
    return app


def test_paths_and_html_names() -> None:
    assert path_segments("a[2].b.title") == ["a", 2, "b", "title"]
    assert input_name("ansaettelser[0].fra") == "ansaettelser-0-fra"
    assert input_id("helbredsdokumenter[1].dokument.title") == (
        "field-helbredsdokumenter-1-dokument-title"
    )
    assert input_id("navn") == "field-navn"


def test_field_ids_that_wtforms_uses_itself_still_work() -> None:
    definition = _definition()
    posted = MultiDict(
        [
            ("data", "x"),
            ("validate", "0"),
            ("errors", "ja"),
            ("meta", "a"),
            ("meta", "b"),
            ("process-0-populate_obj", ""),
            ("process-0-form", "2025-13-01"),
        ]
    )
    with _app().test_request_context(method="POST"):
        form = build_form(definition, formdata=posted)
        document = form.answers()
        assert document == {
            "data": "x",
            "validate": "0",
            "errors": "ja",
            "meta": ["a", "b"],
            "process": [{"populate_obj": None, "form": "2025-13-01"}],
        }
        # the core decides; its problems land on the fields their paths name
        assert form.validate(today=TODAY) is False
        expected = {p.path for p in validate(definition, document, today=TODAY).problems}
        assert expected == {"validate", "process[0].populate_obj", "process[0].form"}
        assert set(form.field_problems) == {"validate", "process-0-populate_obj", "process-0-form"}
        assert form.bound("validate").errors == ["»Valider« skal være mindst 1."]
        assert callable(form.validate) and isinstance(form.data, dict)


def test_a_draft_keeps_what_does_not_parse_and_stores_the_rest_typed() -> None:
    definition = _definition()
    document = {"validate": "12", "errors": "nej", "process": [{"form": "i går"}]}
    stored = normalise_for_storage(definition, document, today=TODAY, complete=False).answers
    assert stored["validate"] == 12 and stored["errors"] is False
    assert stored["process"][0]["form"] == "i går"
    # and it comes back onto the page as typed, with its problem
    with _app().test_request_context():
        state = run_round(definition, today=TODAY, document=stored)
    repeat = state.page.section("alt").controls[-1]
    cell = repeat.rows[0].cells[1]
    assert cell is not None and cell.value == "i går"
    assert cell.errors and "dato" in cell.errors[0]


def test_a_changed_definition_gets_a_class_of_its_own() -> None:
    definition = _definition()
    changed = json.loads((FIXTURES / "forms_reserved_names.json").read_text("utf-8"))
    changed["title"] = "Ændret titel"
    other = load_definition_data(changed, "navnetest/1.0.0.json")
    assert other.content_hash != definition.content_hash
    assert form_class_for(other).definition is other
    assert form_class_for(definition).definition is definition
