"""The four documents, rendered from real definitions and read back with python-docx."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from forms_service.definitions.model import FormDefinition
from forms_service.documents.context import CaseFacts, case_form_context, paper_text
from forms_service.documents.kinds import KINDS, check_templates
from forms_service.documents.markdown import parse_blocks
from forms_service.documents.render import (
    render_blank_form,
    render_case_form,
    render_guidance,
)
from tests.documents.docx_helpers import all_text, open_docx, table_rows

TODAY = dt.date(2026, 12, 1)
CASE = CaseFacts(
    reference="SP-2026-000123",
    municipality="329 Ringsted",
    cpr="2311601234",
    status="Indsendt",
    application_date=dt.date(2026, 11, 23),
    requested_date=dt.date(2026, 11, 30),
)
REPORT = {
    "status": "insufficient",
    "criteria": [
        {
            "id": "kriterie_1",
            "status": "sufficient",
            "reasons": [],
            "missing": [],
        },
        {
            "id": "kriterie_4",
            "status": "missing",
            "reasons": [{"message": "Den faglige forklaring mangler sammenhæng & belæg."}],
            "missing": ["faglig_forklaring"],
        },
    ],
}


def test_bundled_templates_pass_their_checks() -> None:
    assert check_templates() == []
    assert {k.template for k in KINDS.values()} >= {
        "udfyldt_skema.docx",
        "vejledning.docx",
        "blankt_skema.docx",
        "pjece.docx",
    }


def test_case_form_holds_every_answer_formatted_the_danish_way(
    minidok: FormDefinition, minidok_answers: dict[str, Any]
) -> None:
    data = render_case_form(
        minidok, minidok_answers, case=CASE, completeness=REPORT, today=TODAY, generated=TODAY
    )
    document = open_docx(data)
    text = all_text(document)
    paragraphs = [p.text for p in document.paragraphs]

    assert 'Jens & Hanne <Østergaard> "Junior"' in paragraphs
    assert "23. november 2026" in paragraphs
    assert "231160-1234" in paragraphs
    assert "Ja" in paragraphs
    assert "Sygedagpenge" in paragraphs
    assert "ATP-oplysninger, SKAT-oplysninger" in paragraphs
    assert "Lægeattest (Egen læge, 1. oktober 2026), ref. J.nr. 17" in paragraphs
    assert "1.234,5 år" in paragraphs
    assert "10 timer" in paragraphs
    assert minidok_answers["faglig_forklaring"] in paragraphs  # line breaks kept
    # computed value shown in its section, hidden field left out
    assert "36,5 år" in paragraphs
    assert "Konkret vurdering" not in text
    # a repeat group too wide for A4 portrait: one small label/value table per employment
    rows = table_rows(document)
    assert "Række 1" in paragraphs
    for pair in (
        ["Fra", "1. januar 2010"],
        ["Til", "30. juni 2026"],
        ["Arbejdsgiver", "Ringsted <Kommune>"],
        ["Timer pr. uge", "30,5 timer"],
        ["Ansættelsestype", "Fleksjob"],
    ):
        assert pair in rows
    # case facts and deadlines (3 months from the request, 6 from the application)
    assert ["Sagsnummer", "SP-2026-000123"] in rows
    assert ["Kommunens frist (3 måneder)", "28. februar 2027"] in rows
    assert ["Frist for afgørelse (6 måneder)", "23. maj 2027"] in rows
    # completeness report with status, reasons, legal reference and missing items
    assert "Samlet vurdering: Ikke tilstrækkeligt oplyst" in paragraphs
    assert "Faglig forklaring på arbejdsevnen" in paragraphs
    assert "Lovgrundlag: Pensionsloven § 26 c, stk. 1, nr. 4" in paragraphs
    assert "Den faglige forklaring mangler sammenhæng & belæg." in paragraphs
    assert "Status: Mangler oplysninger" in paragraphs
    footer = document.sections[0].footer.paragraphs[0].text
    assert "Mini-skema til dokumenttest, version 1.0.0" in footer
    assert minidok.content_hash in footer
    assert "1. december 2026" in footer


def test_unanswered_fields_read_not_answered_and_no_report_means_no_section(
    minidok: FormDefinition,
) -> None:
    document = open_docx(render_case_form(minidok, {"navn": "Anna"}, today=TODAY))
    paragraphs = [p.text for p in document.paragraphs]
    assert "Anna" in paragraphs
    assert paragraphs.count("Ikke besvaret") >= 5
    assert "Er sagen tilstrækkeligt oplyst?" not in paragraphs


def test_masked_copy_never_shows_the_full_cpr(
    minidok: FormDefinition, minidok_answers: dict[str, Any]
) -> None:
    data = render_case_form(minidok, minidok_answers, case=CASE, mask_cpr=True, today=TODAY)
    text = all_text(open_docx(data))
    assert "231160-****" in text
    assert "1234" not in text.replace("1.234,5", "")


def test_case_form_of_the_bundled_v1_holds_the_case_answers(
    v1: FormDefinition, v1_answers: dict[str, Any]
) -> None:
    document = open_docx(render_case_form(v1, v1_answers, today=TODAY))
    text = all_text(document)
    for key in ("sagsnummer", "navn", "arbejdsfunktioner", "faglig_forklaring", "kompetencer"):
        assert v1_answers[key] in text
    for row in v1_answers["ansaettelser"]:
        assert row["arbejdsgiver"] in text
    assert (
        "Sagsoplysningsskema – seniorpension, version 1.0.0"
        in document.sections[0].footer.paragraphs[0].text
    )
    assert v1.content_hash in document.sections[0].footer.paragraphs[0].text


def test_context_gives_templates_values_only(
    minidok: FormDefinition, minidok_answers: dict[str, Any]
) -> None:
    context = case_form_context(minidok, minidok_answers, today=TODAY)
    assert set(context) == KINDS["case_form"].context_keys
    table = next(f for s in context["sections"] for f in s["fields"] if f["kind"] == "records")
    assert all(
        isinstance(pair["label"], str) and isinstance(pair["value"], str)
        for record in table["records"]
        for pair in record["pairs"]
    )


def _markdown_texts(source: str | None) -> list[str]:
    return [block.text for block in parse_blocks(source)]


def test_guidance_document_holds_every_guidance_text(minidok: FormDefinition) -> None:
    document = open_docx(render_guidance(minidok, generated=TODAY))
    paragraphs = [p.text for p in document.paragraphs]
    assert "Vejledning til sagsoplysningsskemaet" in paragraphs
    assert "Skema: Mini-skema til dokumenttest, version 1.0.0" in paragraphs
    assert "Udfyld skemaet omhyggeligt." in paragraphs
    bold = [r.text for p in document.paragraphs for r in p.runs if r.bold]
    assert "omhyggeligt" in bold
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    assert "Brug borgerens egne ord" in bullets
    for section in minidok.sections:
        assert section.title in paragraphs
        for f in section.fields:
            assert f.label in paragraphs
            for text in _markdown_texts(f.guidance):
                assert text in paragraphs
    for criterion in minidok.completeness:
        assert criterion.title in paragraphs
        assert f"Lovgrundlag: {criterion.legal_ref}" in paragraphs
        for text in _markdown_texts(criterion.guidance):
            assert text in paragraphs
    assert "Under 20 års fuldtidsbeskæftigelse er dokumenteret." in bullets
    assert "Svarmuligheder: Ingen ydelse, Sygedagpenge" in paragraphs
    assert (
        "Mini-skema til dokumenttest, version 1.0.0"
        in document.sections[0].footer.paragraphs[0].text
    )


def test_guidance_of_the_bundled_v1_never_drifts_from_the_definition(v1: FormDefinition) -> None:
    text = all_text(open_docx(render_guidance(v1)))
    # the intro's line about folding out guidance on the web page is left off paper
    intro = paper_text(v1.guidance.intro or "")
    assert "folde en vejledning ud" in (v1.guidance.intro or "")
    assert "folde en vejledning ud" not in text
    sources = [intro, v1.guidance.sufficient, v1.guidance.missing_information]
    sources += [s.guidance for s in v1.sections]
    sources += [f.guidance for _s, f in v1.iter_fields()]
    sources += [c.guidance for c in v1.completeness]
    expected = [t for source in sources for t in _markdown_texts(source)]
    assert len(expected) > 20
    for paragraph in expected:
        assert paragraph in text
    assert v1.content_hash in text


def test_blank_form_has_room_for_every_question(minidok: FormDefinition) -> None:
    document = open_docx(render_blank_form(minidok, generated=TODAY))
    text = all_text(document)
    for _section, f in minidok.iter_fields():
        assert f.label in text
    paragraphs = [p.text for p in document.paragraphs]
    assert "☐ Sygedagpenge" in paragraphs
    assert "☐ Nej" in paragraphs
    rows = table_rows(document)
    # one fill-in table per row of the repeat group, with the date format to write
    assert ["Arbejdsgiver", ""] in rows
    assert ["Fra", "__ - __ - ____"] in rows
    assert (
        "Mini-skema til dokumenttest, version 1.0.0"
        in document.sections[0].footer.paragraphs[0].text
    )


def test_case_form_shows_the_real_completeness_report(v1: FormDefinition) -> None:
    from forms_service.completeness import evaluate_completeness

    answers = json.loads(
        (Path(__file__).parents[1] / "fixtures" / "answers" / "v1_20_25_years.json").read_text(
            encoding="utf-8"
        )
    )
    for dropped in ("faglig_forklaring", "arbejdsfunktioner", "helbredsdokumenter"):
        answers.pop(dropped, None)
    report = evaluate_completeness(v1, answers, today=TODAY)
    assert not report.sufficient
    assert any(result.missing_fields for result in report.criteria)
    for given in (report, report.to_dict()):
        paragraphs = [
            p.text
            for p in open_docx(
                render_case_form(v1, answers, completeness=given, today=TODAY)
            ).paragraphs
        ]
        verdict = "Tilstrækkeligt oplyst" if report.sufficient else "Ikke tilstrækkeligt oplyst"
        assert f"Samlet vurdering: {verdict}" in paragraphs
        assert report.summary in paragraphs
        for result in report.criteria:
            assert result.title in paragraphs
            assert f"Status: {result.status.label(result.kind)}" in paragraphs
            for reason in result.reasons:
                assert reason in paragraphs
            for ref in result.missing_fields:
                assert any(ref.label in p for p in paragraphs)
