"""The JSON Schema of an answers document, generated from a definition version."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from forms_service.answers.jsonschema import answers_json_schema
from forms_service.definitions.loader import load_definition_file
from forms_service.definitions.registry import default_registry

TESTS = Path(__file__).parents[1]
SMALL = TESTS / "definitions" / "fixtures" / "small" / "1.0.0.json"
CASES = TESTS / "answers" / "fixtures" / "cases"
EXAMPLES = TESTS / "fixtures" / "answers"


@pytest.fixture(scope="module")
def small():
    return load_definition_file(SMALL)


def _validator(definition, *, draft: bool = False) -> jsonschema.Draft202012Validator:
    schema = answers_json_schema(definition, draft=draft)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _errors(validator, document) -> set[str]:
    return {"/".join(str(p) for p in e.absolute_path) for e in validator.iter_errors(document)}


@pytest.mark.parametrize(
    ("version", "example"),
    [("1.0.0", "v1_complete.json"), ("2.0.0-pilot.1", "v2_complete.json")],
)
def test_bundled_examples_are_accepted(version, example) -> None:
    definition = default_registry().get("sagsoplysningsskema", version)
    document = json.loads((EXAMPLES / example).read_text(encoding="utf-8"))
    assert _errors(_validator(definition), document) == set()


def test_identity_and_annotations(small) -> None:
    schema = answers_json_schema(small)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith("/small/1.0.0.schema.json")
    assert schema["x-content-hash"] == small.content_hash
    assert schema["required"] == ["ansoegningsdato", "cpr"]
    conditional = schema["properties"]["konkret_vurdering"]
    # required only when visible: not in "required", but the condition travels along
    assert conditional["x-visible_if"] == "fuldtidsaar >= 20.0 && fuldtidsaar < 25.0"
    assert conditional["x-required"] is True
    assert schema["properties"]["ydelse"]["title"] == "Nuværende ydelse"


def test_valid_small_case_is_accepted(small) -> None:
    case = json.loads((CASES / "valid_full.json").read_text(encoding="utf-8"))
    assert _errors(_validator(small), case["answers"]) == set()


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"ydelse": "pension"}, "ydelse"),
        ({"kendt": "måske"}, "kendt"),
        ({"cpr": "12345"}, "cpr"),
        ({"ansoegningsdato": "1.3.2025"}, "ansoegningsdato"),
        ({"ukendt_felt": 1}, ""),
        ({"ansaettelser": [{"fra": "1990-01-01", "arbejdsgiver": "X", "timer_pr_uge": 81}]}, ""),
        ({"ansaettelser": [{"fra": "1990-01-01", "arbejdsgiver": "X", "timer_pr_uge": "37"}]}, ""),
        ({"ansaettelser": [{"arbejdsgiver": "X", "timer_pr_uge": 37}]}, ""),
    ],
)
def test_wrong_documents_are_rejected(small, change, path) -> None:
    case = json.loads((CASES / "valid_full.json").read_text(encoding="utf-8"))
    errors = _errors(_validator(small), case["answers"] | change)
    assert errors, change
    if path:
        assert path in errors


def test_required_answers_must_be_present_and_not_blank(small) -> None:
    validator = _validator(small)
    assert _errors(validator, {}) == {""}
    blank = {"ansoegningsdato": "2025-01-01", "cpr": ""}
    assert "cpr" in _errors(validator, blank)


def test_draft_schema_requires_nothing_but_keeps_types(small) -> None:
    validator = _validator(small, draft=True)
    assert _errors(validator, {}) == set()
    assert _errors(validator, {"ansaettelser": [{"arbejdsgiver": "Novo"}]}) == set()
    assert _errors(validator, {"ydelse": "pension"}) == {"ydelse"}


def test_unanswered_values_are_allowed_for_optional_fields(small) -> None:
    base = {"ansoegningsdato": "2025-01-01", "cpr": "0101621234"}
    validator = _validator(small)
    for empty in (None, "", []):
        assert _errors(validator, base | {"kendt": empty, "ansaettelser": empty}) == set()


def test_pattern_and_lengths_come_from_the_definition() -> None:
    v1 = default_registry().get("sagsoplysningsskema", "1.0.0")
    properties = answers_json_schema(v1)["properties"]
    assert properties["sagsnummer"]["pattern"] == r"^\s*(?:SP-[0-9]{4}-[0-9]{6})\s*$"
    atp = properties["atp_aar"]["anyOf"][0]
    assert (atp["type"], atp["minimum"], atp["maximum"]) == ("number", 0, 50)
    rows = properties["helbredsdokumenter"]["anyOf"][0]
    assert rows["maxItems"] == 30
    attachment = rows["items"]["properties"]["dokument"]
    assert attachment["required"] == ["title", "source"]
    assert "egen_laege" in attachment["properties"]["source"]["enum"]
