"""Loading a definition: parse, check everything, report every problem, build the model."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from forms_service.definitions.build import build_definition
from forms_service.definitions.checks import semantic_problems
from forms_service.definitions.model import FormDefinition
from forms_service.definitions.schema import SEMVER_PATTERN, structural_problems

_SEMVER = re.compile(SEMVER_PATTERN)


@dataclass(frozen=True, slots=True)
class DefinitionProblem:
    source: str  # the file (or a name for definitions that are not files, e.g. a draft)
    path: str  # JSON path, "" for the whole document
    message: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = self.path or "(dokumentet)"
        if self.line is not None:
            where = f"linje {self.line}, kolonne {self.column}"
        return f"{self.source}: {where}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"source": self.source, "path": self.path, "message": self.message}
        if self.line is not None:
            out["line"], out["column"] = self.line, self.column
        return out


class DefinitionError(ValueError):
    def __init__(self, problems: list[DefinitionProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def canonical_json(data: Any) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_hash(data: Any) -> str:
    """sha256 of the canonical JSON: the same content hashes the same whatever its layout."""
    return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()


def parse_json(text: str, source: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DefinitionError(
            [
                DefinitionProblem(
                    source, "", f"ugyldig JSON: {exc.msg}", line=exc.lineno, column=exc.colno
                )
            ]
        ) from None


def check_definition_data(
    data: Any,
    source: str,
    *,
    expected_form: str | None = None,
    expected_version: str | None = None,
) -> list[DefinitionProblem]:
    """Every problem in a definition, in document order; empty when it is valid."""
    found: list[tuple[str, str]] = list(structural_problems(data))
    if isinstance(data, Mapping):
        data = dict(data)
        found += semantic_problems(data)
        version = data.get("version")
        if (
            expected_version is not None
            and isinstance(version, str)
            and version != expected_version
        ):
            found.append(
                ("version", f"versionen '{version}' svarer ikke til filnavnet '{expected_version}'")
            )
        if expected_version is not None and not _SEMVER.match(expected_version):
            found.append(("", f"filnavnet '{expected_version}' er ikke en semantisk version"))
        form = data.get("form")
        if expected_form is not None and isinstance(form, str) and form != expected_form:
            found.append(("form", f"formularen '{form}' svarer ikke til mappen '{expected_form}'"))
    unique = sorted(set(found), key=lambda item: (_path_key(item[0]), item[1]))
    return [DefinitionProblem(source, path, message) for path, message in unique]


def _path_key(path: str) -> list[Any]:
    # sort "sections[10]" after "sections[2]"
    return [int(part) if part.isdigit() else part for part in re.split(r"[\[\].]+", path) if part]


def load_definition_data(
    data: Any,
    source: str,
    *,
    expected_form: str | None = None,
    expected_version: str | None = None,
) -> FormDefinition:
    problems = check_definition_data(
        data, source, expected_form=expected_form, expected_version=expected_version
    )
    if problems:
        raise DefinitionError(problems)
    return build_definition(data, content_hash(data))


def load_definition_text(
    text: str,
    source: str,
    *,
    expected_form: str | None = None,
    expected_version: str | None = None,
) -> FormDefinition:
    return load_definition_data(
        parse_json(text, source),
        source,
        expected_form=expected_form,
        expected_version=expected_version,
    )


def load_definition_file(path: str | Path) -> FormDefinition:
    """Load ``<form>/<version>.json``: the version must equal the file name."""
    path = Path(path)
    source = f"{path.parent.name}/{path.name}"
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DefinitionError([DefinitionProblem(source, "", f"kan ikke læses: {exc}")]) from None
    return load_definition_text(
        text, source, expected_form=path.parent.name, expected_version=path.stem
    )
