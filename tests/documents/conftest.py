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
def report_renderers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The quarterly status report and a pilot report over the pilot tests' small history.

    Functions of no arguments that render the report with the templates found at call time,
    so a test can render them again from other templates (``FORMS_SERVICE_TEMPLATES_DOCX``).
    """
    import datetime as dt

    from forms_service.cases import db as cases_db
    from forms_service.pilots.models import PILOT, Pilot, PilotFeedback, PilotMunicipality
    from forms_service.pilots.report import pilot_report, render_pilot_report
    from forms_service.reporting.bulk import SimCase, bulk_insert
    from forms_service.reporting.report import render_status_report
    from forms_service.reporting.status import StatusFilter, status_report

    folder = tmp_path_factory.mktemp("reports")
    engine = cases_db.make_engine(f"sqlite:///{folder / 'reports.sqlite3'}")
    cases_db.upgrade(engine)
    history = Path(__file__).parents[1] / "pilots" / "fixtures" / "measures_small.json"
    cases = json.loads(history.read_text("utf-8"))["cases"]
    with engine.begin() as connection:
        bulk_insert(connection, [SimCase.from_dict(c) for c in cases])
    session = cases_db.make_session_factory(engine)()
    pilot = Pilot(
        name="Forum-pilot 2026",
        form="sagsoplysningsskema",
        candidate_version="2.0.0-pilot.1",
        comparison_version="1.0.0",
        comparison_scope="all_others",
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2026, 12, 31),
        created_by="test",
        municipalities=[
            PilotMunicipality(municipality_code=code, role=PILOT)
            for code in (101, 329, 766, 561, 810)
        ],
    )
    session.add(pilot)
    session.flush()
    session.add(
        PilotFeedback(
            pilot_id=pilot.id,
            form="sagsoplysningsskema",
            version="2.0.0-pilot.1",
            section_id="arbejdsevne",
            field_id="faglig_forklaring",
            kind="uklar",
            text="Det er uklart, hvor lang forklaringen skal være.",
            municipality_code=101,
            author_name="Mette Jensen",
            created_at=dt.datetime(2026, 5, 4, 10, 0, tzinfo=dt.UTC),
        )
    )
    session.commit()
    status = status_report(session, StatusFilter.quarter(2026, 1))
    pilot_figures = pilot_report(session, pilot, as_of=dt.date(2026, 8, 31))
    made = dt.datetime(2026, 9, 1, 9, 30)
    return {
        "status_report": lambda: render_status_report(status, generated=made),
        "pilot_report": lambda: render_pilot_report(pilot_figures, generated=made),
    }


@pytest.fixture(scope="session")
def paper_documents(
    paper_contexts: dict[str, dict[str, Any]], report_renderers: dict[str, Any]
) -> dict[str, bytes]:
    """One document of every kind from the bundled data, as .docx bytes (for the PDF tests)."""
    from forms_service.documents.context import blank_form_context, guidance_context
    from forms_service.documents.render import render_kind

    documents = {kind: render_kind(kind, context) for kind, context in paper_contexts.items()}
    documents.update({name: render() for name, render in report_renderers.items()})
    # the pilot version too: its guidance holds a markdown table, its last page was one line
    pilot = default_registry().get("sagsoplysningsskema", "2.0.0-pilot.1")
    documents["guidance-pilot"] = render_kind("guidance", guidance_context(pilot))
    documents["blank_form-pilot"] = render_kind("blank_form", blank_form_context(pilot))
    return documents
