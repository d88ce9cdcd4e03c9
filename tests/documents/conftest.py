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


@pytest.fixture(scope="session")
def paper_contexts(v1: FormDefinition) -> dict[str, dict[str, Any]]:
    """The context of every document kind from the bundled data (case, definition, brochure)."""
    import datetime as dt

    from forms_service.completeness import evaluate_completeness
    from forms_service.documents.brochure import brochure_context, get_brochure
    from forms_service.documents.context import (
        CaseFacts,
        blank_form_context,
        case_form_context,
        guidance_context,
    )

    answers = json.loads((REPO_FIXTURES / "answers" / "v1_complete.json").read_text("utf-8"))
    today = dt.date(2025, 6, 1)
    case = CaseFacts(
        reference="SP-2026-000123",
        municipality="101 København",
        citizen_name="Karin Holm Madsen",
        cpr="1508622402",
        status="submitted",
        caseworker="Mette Jensen",
        application_date=dt.date(2025, 3, 10),
        requested_date=dt.date(2025, 3, 24),
    )
    completeness = evaluate_completeness(v1, answers, today=today)
    return {
        "case_form": case_form_context(
            v1, answers, case=case, completeness=completeness, today=today
        ),
        "guidance": guidance_context(v1),
        "blank_form": blank_form_context(v1),
        "brochure": brochure_context(get_brochure()),
    }


@pytest.fixture(scope="session")
def paper_documents(paper_contexts: dict[str, dict[str, Any]]) -> dict[str, bytes]:
    """One document of every kind from the bundled data, as .docx bytes (for the PDF tests)."""
    from forms_service.documents.render import render_kind

    return {kind: render_kind(kind, context) for kind, context in paper_contexts.items()}
