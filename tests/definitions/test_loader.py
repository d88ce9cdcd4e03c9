"""The loader reports every problem in a definition with its JSON path and a Danish message."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest

from forms_service.definitions.loader import (
    DefinitionError,
    DefinitionProblem,
    check_definition_data,
    content_hash,
    load_definition_data,
    load_definition_file,
    load_definition_text,
)
from forms_service.definitions.model import FieldType, FormDefinition

FIXTURES = Path(__file__).parent / "fixtures"
SMALL = FIXTURES / "small" / "1.0.0.json"
CASES = json.loads((FIXTURES / "cases" / "loader" / "problems.json").read_text("utf-8"))["cases"]
_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _steps(path: str) -> list[str | int]:
    return [name if name else int(index) for name, index in _STEP.findall(path)]


def _parent(data: Any, path: str) -> tuple[Any, str | int]:
    *head, last = _steps(path)
    for step in head:
        data = data[step]
    return data, last


def patched(base: dict[str, Any], case: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(base)
    for path, value in case.get("set", {}).items():
        parent, key = _parent(data, path)
        parent[key] = value
    for path in case.get("delete", []):
        parent, key = _parent(data, path)
        del parent[key]
    for path, item in case.get("append", {}).items():
        parent, key = _parent(data, path)
        target = parent.setdefault(key, [])
        target.extend(item if isinstance(item, list) else [item])
    return data


def matches(expected: list[list[str]], found: list[DefinitionProblem]) -> bool:
    if len(expected) != len(found):
        return False
    for (path, message), problem in zip(expected, found, strict=True):
        if problem.path != path:
            return False
        if message.endswith("…"):
            if not problem.message.startswith(message[:-1]):
                return False
        elif problem.message != message:
            return False
    return True


@pytest.fixture(scope="module")
def small() -> dict[str, Any]:
    return json.loads(SMALL.read_text("utf-8"))


def test_the_small_fixture_loads_into_the_model() -> None:
    definition = load_definition_file(SMALL)
    assert isinstance(definition, FormDefinition)
    assert definition.ref == "small@1.0.0"
    assert [s.id for s in definition.sections] == ["sagen", "tilknytning"]
    repeat = definition.field("ansaettelser")
    assert repeat is not None and repeat.type is FieldType.REPEAT
    assert [f.id for f in repeat.fields] == [
        "fra",
        "til",
        "arbejdsgiver",
        "timer_pr_uge",
        "ansaettelsestype",
    ]
    assert repeat.subfield("timer_pr_uge").max == 80
    assert repeat.subfield("timer_pr_uge").path == "sections[1].fields[0].fields[3]"
    assert definition.section_of("konkret_vurdering").id == "tilknytning"
    assert definition.computed_order == ("fuldtidsaar",)
    assert definition.field("ydelse").option_label("fleksjob") == "Fleksjob"
    assert definition.content_hash == content_hash(json.loads(SMALL.read_text("utf-8")))


def test_the_model_is_immutable() -> None:
    definition = load_definition_file(SMALL)
    with pytest.raises(AttributeError):
        definition.sections[0].fields[0].label = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        definition.raw["title"] = "x"  # type: ignore[index]


def test_the_fixture_itself_has_no_problems(small: dict[str, Any]) -> None:
    assert check_definition_data(small, "small/1.0.0.json", expected_form="small",
                                 expected_version="1.0.0") == []  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_each_kind_of_problem_is_reported_with_its_path(
    small: dict[str, Any], case: dict[str, Any]
) -> None:
    data = patched(small, case)
    found = check_definition_data(
        data, "small/1.0.0.json", expected_form="small", expected_version="1.0.0"
    )
    expected = case["problems"]
    assert matches(expected, found), [(p.path, p.message) for p in found]
    if expected:
        with pytest.raises(DefinitionError) as info:
            load_definition_data(
                data, "small/1.0.0.json", expected_form="small", expected_version="1.0.0"
            )
        assert info.value.problems == found
    else:
        assert load_definition_data(data, "small/1.0.0.json").form == "small"


def test_the_patch_helper_really_changes_the_fixture(small: dict[str, Any]) -> None:
    # guards the table above: a case whose path missed would silently test the valid file
    for case in CASES:
        assert patched(small, case) != small, case["name"]


def test_invalid_json_reports_line_and_column() -> None:
    path = FIXTURES / "broken" / "invalid_json" / "1.0.0.json"
    with pytest.raises(DefinitionError) as info:
        load_definition_file(path)
    [problem] = info.value.problems
    assert (problem.source, problem.path, problem.line, problem.column) == (
        "invalid_json/1.0.0.json",
        "",
        5,
        3,
    )
    assert problem.message == "ugyldig JSON: Expecting ',' delimiter"
    assert str(problem) == (
        "invalid_json/1.0.0.json: linje 5, kolonne 3: ugyldig JSON: Expecting ',' delimiter"
    )
    assert problem.to_dict() == {
        "source": "invalid_json/1.0.0.json",
        "path": "",
        "message": "ugyldig JSON: Expecting ',' delimiter",
        "line": 5,
        "column": 3,
    }


def test_a_document_that_is_not_an_object() -> None:
    with pytest.raises(DefinitionError) as info:
        load_definition_text("[1, 2]", "x/1.0.0.json")
    assert [(p.path, p.message) for p in info.value.problems] == [
        ("", "en formulardefinition skal være et JSON-objekt")
    ]


def test_an_unreadable_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    folder = tmp_path / "small"
    folder.mkdir()
    (folder / "1.0.0.json").write_bytes(b"\xff\xfe not utf-8")
    with pytest.raises(DefinitionError) as info:
        load_definition_file(folder / "1.0.0.json")
    assert info.value.problems[0].message.startswith("kan ikke læses:")


def _expected_lines(path: Path) -> list[str]:
    return path.read_text("utf-8").splitlines()


def _line_matches(expected: str, line: str) -> bool:
    return line.startswith(expected[:-1]) if expected.endswith("…") else line == expected


def test_a_file_with_many_problems_reports_all_of_them_at_once() -> None:
    path = FIXTURES / "broken" / "small" / "1.0.0.json"
    expected = _expected_lines(path.with_name("1.0.0.expected.txt"))
    with pytest.raises(DefinitionError) as info:
        load_definition_file(path)
    lines = [str(p) for p in info.value.problems]
    assert len(lines) == len(expected) == 20
    for want, got in zip(expected, lines, strict=True):
        assert _line_matches(want, got), (want, got)
    # one of every kind: structure, ids, references, syntax, cycle, file name and folder
    kinds = " ".join(lines)
    for needle in ("ukendt nøgle", "findes også i", "ukendt felt", "ukendt funktion",
                   "syntaksfejl", "i ring", "filnavnet", "mappen", "'row' kan kun bruges",
                   "gælder ikke felttypen", "skal være true eller false",
                   "ugyldigt regulært udtryk", "min er større end max"):  # fmt: skip
        assert needle in kinds, needle
    # the exception's text is one line per problem, ready to print
    assert str(info.value).splitlines() == lines


def test_problems_are_sorted_by_path_with_numeric_indexes(small: dict[str, Any]) -> None:
    data = copy.deepcopy(small)
    for index in range(12):
        data["sections"].append(
            {"id": f"s{index}", "title": "T", "fields": [{"id": f"f{index}", "type": "text",
                                                           "label": "L", "farve": 1}]}
        )  # fmt: skip
    found = check_definition_data(data, "small/1.0.0.json")
    assert [p.path for p in found] == [f"sections[{i}].fields[0].farve" for i in range(2, 14)]
