"""The exported JSON Schema accepts what the loader accepts structurally and rejects the rest."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from forms_service.definitions.jsonschema import definition_json_schema
from forms_service.definitions.loader import check_definition_data

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"
BUNDLED = sorted((ROOT / "form_definitions" / "sagsoplysningsskema").glob("*.json"))
VALID = [FIXTURES / "small" / "1.0.0.json", *sorted((FIXTURES / "difftest").glob("*.json"))]


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = definition_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def _errors(validator: jsonschema.Draft202012Validator, data: Any) -> list[tuple[str, str]]:
    return sorted((e.json_path, e.validator) for e in validator.iter_errors(data))


def _small() -> dict[str, Any]:
    return json.loads((FIXTURES / "small" / "1.0.0.json").read_text("utf-8"))


def test_the_bundled_form_has_both_versions() -> None:
    assert {p.name for p in BUNDLED} >= {"1.0.0.json", "2.0.0-pilot.1.json"}


@pytest.mark.parametrize("path", BUNDLED + VALID, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_valid_definitions_validate(validator: jsonschema.Draft202012Validator, path: Path) -> None:
    assert _errors(validator, json.loads(path.read_text("utf-8"))) == []


@pytest.mark.parametrize(
    ("where", "json_path"),
    [
        ([], "$"),
        (["sections", 0], "$.sections[0]"),
        (["sections", 0, "fields", 3], "$.sections[0].fields[3]"),
        (["sections", 0, "fields", 3, "options", 1], "$.sections[0].fields[3].options[1]"),
        # recursion: a repeat group's sub-fields are the same Field definition
        (["sections", 1, "fields", 0, "fields", 2], "$.sections[1].fields[0].fields[2]"),
        (["computed", 0], "$.computed[0]"),
        (["completeness", 0, "checks", 0], "$.completeness[0].checks[0]"),
        (["guidance"], "$.guidance"),
    ],
)
def test_an_unknown_key_is_rejected_where_it_is(
    validator: jsonschema.Draft202012Validator, where: list[str | int], json_path: str
) -> None:
    data = _small()
    target: Any = data
    for step in where:
        target = target[step]
    target["farve"] = "blå"
    assert _errors(validator, data) == [(json_path, "additionalProperties")]


@pytest.mark.parametrize(
    ("path", "value", "keyword"),
    [
        (["sections", 0, "fields", 0, "required"], "ja", "type"),
        (["sections", 0, "fields", 0, "type"], "janej", "enum"),
        (["sections", 0, "fields", 0, "id"], "Dato", "pattern"),
        (["version"], "1.0", "pattern"),
        (["title"], "", "minLength"),
        (["sections"], [], "minItems"),
        (["computed", 0, "decimals"], 9, "maximum"),
        (["completeness", 0, "checks", 0, "severity"], "fatal", "enum"),
        (["sections", 1, "fields", 0, "fields", 3, "max"], "80", "oneOf"),
        (["sections", 1, "fields", 0, "min_rows"], 1.5, "type"),
    ],
)
def test_wrong_types_and_values_are_rejected(
    validator: jsonschema.Draft202012Validator, path: list[str | int], value: Any, keyword: str
) -> None:
    data = _small()
    target: Any = data
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    errors = _errors(validator, data)
    assert [k for _p, k in errors] == [keyword]
    # and the loader agrees that the file is broken, at the same place
    loader_paths = {p.path for p in check_definition_data(data, "small/1.0.0.json")}
    assert errors[0][0].removeprefix("$.") in loader_paths


def test_a_missing_required_key_is_rejected(validator: jsonschema.Draft202012Validator) -> None:
    data = _small()
    del data["sections"][0]["fields"][1]["label"]
    assert _errors(validator, data) == [("$.sections[0].fields[1]", "required")]


def test_the_schema_mirrors_the_marshmallow_schema() -> None:
    schema = definition_json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["required"] == ["form", "version", "title", "sections"]
    assert schema["additionalProperties"] is False
    field = schema["$defs"]["Field"]
    assert field["properties"]["fields"] == {"type": "array", "items": {"$ref": "#/$defs/Field"}}
    assert field["properties"]["type"]["enum"] == [
        "text", "textarea", "integer", "number", "date", "boolean", "choice", "multichoice",
        "cpr", "repeat", "attachment",
    ]  # fmt: skip
    assert field["required"] == ["id", "type", "label"]
    assert schema["properties"]["$schema"] == {"type": "string"}
    assert schema["$defs"]["LegalReference"]["properties"]["url"] == {
        "type": "string",
        "format": "uri",
    }


def test_a_definition_may_point_at_the_schema(validator: jsonschema.Draft202012Validator) -> None:
    data = copy.deepcopy(_small())
    data["$schema"] = "../form-definition.schema.json"
    assert _errors(validator, data) == []
    assert check_definition_data(data, "small/1.0.0.json") == []
