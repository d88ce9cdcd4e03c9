"""What the documents say on paper, from their contexts and the rendered Word files."""

from __future__ import annotations

import datetime as dt
import re

from forms_service.answers.text import NOT_COMPUTABLE
from forms_service.definitions.model import FormDefinition
from forms_service.documents.context import (
    LINES_EXPLANATION,
    LINES_TEXTAREA,
    CaseFacts,
    blank_form_context,
    case_form_context,
)
from forms_service.documents.render import render_case_form
from tests.documents.docx_helpers import all_text, open_docx, table_rows

TODAY = dt.date(2025, 6, 1)


def _computed(context: dict) -> dict[str, str]:
    return {
        f["id"]: f["value"]
        for s in context["sections"]
        for f in s["fields"]
        if f["kind"] == "computed"
    }


def test_a_draft_says_not_computable_yet_instead_of_zero_and_minus_one(
    v1: FormDefinition,
) -> None:
    values = _computed(case_form_context(v1, {"ansoegningsdato": "2025-03-10"}, today=TODAY))
    # the same words as the form page: what it waits for is named
    assert values["fuldtidsaar"] == "Kan ikke beregnes endnu (mangler: Beskæftigelsesperioder)"
    assert values["seneste_job_aar_tilbage"].startswith(NOT_COMPUTABLE + " (mangler: ")
    assert values["seneste_job_5_aars_regel"].startswith(NOT_COMPUTABLE + " (mangler: ")
    assert values["frist_afgoerelse"] == "10. september 2025"  # its input is answered


def test_a_complete_case_computes_every_value(v1: FormDefinition, v1_answers: dict) -> None:
    values = _computed(case_form_context(v1, v1_answers, today=TODAY))
    assert not any(NOT_COMPUTABLE in value for value in values.values())
    assert values["fuldtidsaar"] == "27,0 år"


def test_status_in_danish_header_masked_and_creation_time(
    v1: FormDefinition, v1_answers: dict
) -> None:
    case = CaseFacts(
        reference="SP-1", citizen_name="Karin Holm", cpr="1508622402", status="submitted"
    )
    made = dt.datetime(2026, 12, 6, 14, 5)
    document = open_docx(render_case_form(v1, v1_answers, case=case, today=TODAY, generated=made))
    assert ["Status", "Indsendt"] in table_rows(document)
    header = document.sections[0].header.paragraphs[0].text
    assert header == "Sag SP-1 · Karin Holm · 150862-****"
    assert ["CPR-nummer", "150862-2402"] in table_rows(document)  # the body: in full
    footer = document.sections[0].footer.paragraphs[0].text
    assert "dannet 6. december 2026 kl. 14.05" in footer
    assert "Sagsoplysningsskema – seniorpension, version 1.0.0" in footer


def test_a_form_without_a_case_prints_no_empty_case_table(
    v1: FormDefinition, v1_answers: dict
) -> None:
    document = open_docx(render_case_form(v1, v1_answers, today=TODAY))
    text = all_text(document)
    assert "Sagens oplysninger og frister" not in text
    assert not any(row == ["", ""] for row in table_rows(document))
    # the running header names the form instead
    assert document.sections[0].header.paragraphs[0].text.endswith("version 1.0.0")


def test_percent_sign_kept_with_its_number_by_a_no_break_space(
    v1: FormDefinition, v1_answers: dict
) -> None:
    from forms_service.documents.brochure import get_brochure
    from forms_service.documents.render import render_brochure

    text = all_text(open_docx(render_brochure(get_brochure())))
    assert re.search("\\d,\\d\u00a0%", text)
    assert not re.search(r"\d,\d %", text)


def test_blank_form_space_follows_the_expected_answer(v1: FormDefinition) -> None:
    fields = {f["label"]: f for s in blank_form_context(v1)["sections"] for f in s["fields"]}
    by_id = {f.id: f.label for _s, f in v1.iter_fields()}
    assert len(fields[by_id["faglig_forklaring"]]["lines"]) == LINES_EXPLANATION
    assert len(fields[by_id["arbejdsfunktioner"]]["lines"]) == LINES_TEXTAREA
    assert len(fields[by_id["navn"]]["lines"]) == 1
    assert fields[by_id["kendt_i_kommunen"]]["choices"] == ["☐ Ja", "☐ Nej"]
    employment = fields[by_id["ansaettelser"]]
    assert employment["kind"] == "records" and len(employment["records"]) >= 3
    hint = fields[by_id["konkret_vurdering"]]["hint"]
    assert hint.startswith("Besvares kun, når")


def test_a_report_table_without_rows_says_so() -> None:
    from forms_service.reporting.report import STATUS_REPORT_KEYS
    from forms_service.reporting.word import STATUS_REPORT, render_report

    def build(image: object) -> dict:
        return {
            **dict.fromkeys(STATUS_REPORT_KEYS, ""),
            "summary_headings": ["Nøgletal", "Værdi"],
            "summary": [["Modtaget", "0"]],
            "tables": [
                {
                    "title": "Pr. kommune",
                    "headings": ["Kommune", "Modtaget"],
                    "rows": [],
                    "note": "",
                },
                {
                    "title": "Pr. region",
                    "headings": ["Region", "Modtaget"],
                    "rows": [["Nord", "1"]],
                    "note": "",
                },
            ],
        }

    document = open_docx(render_report(STATUS_REPORT, STATUS_REPORT_KEYS, build))
    paragraphs = [p.text for p in document.paragraphs if p.text]
    assert paragraphs[paragraphs.index("Pr. kommune") + 1] == "Ingen sager i udvalget."
    rows = table_rows(document)
    assert ["Region", "Modtaget"] in rows and ["Kommune", "Modtaget"] not in rows


def test_a_markdown_table_in_guidance_becomes_a_word_table() -> None:
    from forms_service.definitions.registry import default_registry
    from forms_service.documents.render import render_guidance

    pilot = default_registry().get("sagsoplysningsskema", "2.0.0-pilot.1")
    document = open_docx(render_guidance(pilot))
    assert "|---|" not in all_text(document)
    rows = table_rows(document)
    assert ["kriterie", "hvis det mangler"] in rows
    assert any(row[0] == "4. Faglig forklaring" for row in rows)
