"""Fixtures of the documents tests: a small definition using every field type, its answers,
and helpers to read rendered Word files back with python-docx."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from forms_service.definitions.loader import load_definition_file
from forms_service.definitions.model import FormDefinition
from forms_service.definitions.registry import default_registry

FIXTURES = Path(__file__).parent / "fixtures"
REPO_FIXTURES = Path(__file__).parents[1] / "fixtures"


@pytest.fixture(scope="session")
def minidok() -> FormDefinition:
    return load_definition_file(FIXTURES / "definitions" / "minidok" / "1.0.0.json")


@pytest.fixture
def minidok_answers() -> dict[str, Any]:
    return json.loads((FIXTURES / "answers" / "minidok_full.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def v1() -> FormDefinition:
    return default_registry().get("sagsoplysningsskema", "1.0.0")


@pytest.fixture
def v1_answers() -> dict[str, Any]:
    path = REPO_FIXTURES / "answers" / "v1_complete.json"
    return json.loads(path.read_text(encoding="utf-8"))
