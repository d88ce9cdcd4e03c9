"""The citizen brochure: versioned JSON content and its Word draft."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from forms_service.documents.brochure import (
    Brochure,
    BrochureError,
    brochure_dir,
    brochure_versions,
    canonical_hash,
    get_brochure,
    load_brochure,
    parse_brochure,
)
from forms_service.documents.readability import lix
from forms_service.documents.render import render_brochure
from tests.documents.docx_helpers import open_docx, table_rows

RATES = {
    "2020": "0,3\u00a0%",
    "2021": "0,6\u00a0%",
    "2022": "0,9\u00a0%",
    "2023": "1,2\u00a0%",
    "2024": "1,5\u00a0%",
    "2025": "1,8\u00a0%",
    "2026": "2,1\u00a0%",
    "2027": "2,4\u00a0%",
    "2028": "2,7\u00a0%",
    "2029": "3,0\u00a0%",
    "2030 og frem": "3,3\u00a0%",
}


def test_bundled_brochure_loads_with_version_and_hash() -> None:
    brochure = get_brochure("1.0.0")
    raw = json.loads((brochure_dir() / "1.0.0.json").read_text(encoding="utf-8"))
    assert brochure.version == "1.0.0"
    assert brochure.content_hash == canonical_hash(raw)
    assert get_brochure().version == "1.1.0"  # the newest version
    assert {s.id for s in brochure.sections} >= {"hvem", "soeg", "frister", "oekonomi"}


def test_version_must_equal_the_file_name(tmp_path: Path) -> None:
    copy = tmp_path / "1.1.0.json"
    shutil.copy(brochure_dir() / "1.0.0.json", copy)
    with pytest.raises(BrochureError) as caught:
        load_brochure(copy)
    assert "pjece/1.1.0.json: version: '1.0.0' svarer ikke til filnavnet '1.1.0'" in str(
        caught.value
    )


def test_every_problem_is_reported_with_its_path(tmp_path: Path) -> None:
    path = tmp_path / "2.0.0.json"
    path.write_text(
        json.dumps(
            {
                "document": "pjece",
                "version": "2.0.0",
                "title": "",
                "sections": [
                    {"id": "a", "title": "A", "body": "x", "table": "ukendt"},
                    {"id": "a", "title": "B", "body": "y", "farve": "rød"},
                ],
                "contribution_rates": [
                    {"year": 2021, "percent": 0.6},
                    {"year": 2020, "percent": 200},
                ],
            }
        ),
        encoding="utf-8",
    )
    with pytest.raises(BrochureError) as caught:
        load_brochure(path)
    problems = [p.split(": ", 1)[1] for p in caught.value.problems]
    assert "title: skal udfyldes" in problems
    assert "sections[0].table: ukendt tabel 'ukendt'" in problems
    assert "sections[1].id: 'a' findes allerede" in problems
    assert "sections[1].farve: ukendt nøgle" in problems
    assert "contribution_rates[1].percent: skal være et tal mellem 0 og 100" in problems


def test_brochure_draft_has_the_content_and_the_contribution_rates() -> None:
    brochure = get_brochure("1.0.0")
    document = open_docx(render_brochure(brochure, year=2020))  # the table's first year
    paragraphs = [p.text for p in document.paragraphs]
    assert brochure.title in paragraphs
    for section in brochure.sections:
        assert section.title in paragraphs
    assert any("3 måneder" in p for p in paragraphs)
    assert any("6 måneder" in p for p in paragraphs)
    rows = table_rows(document)
    assert ["År", "Pensionsbidrag"] in rows
    for year, rate in RATES.items():
        assert [year, rate] in rows
    footer = document.sections[0].footer.paragraphs[0].text
    assert footer.startswith("Udkast · pjece version 1.0.0 · indholdshash ")
    assert brochure.content_hash[:12] in footer


def test_a_leaflet_shows_the_contribution_rates_from_the_year_it_is_printed_for() -> None:
    rows = table_rows(open_docx(render_brochure(get_brochure("1.0.0"), year=2026)))
    years = [row[0] for row in rows[1:]]
    assert years == ["2026", "2027", "2028", "2029", "2030 og frem"]
    late = table_rows(open_docx(render_brochure(get_brochure("1.0.0"), year=2035)))
    assert [row[0] for row in late[1:]] == ["2030 og frem"]


AMOUNTS = {
    "document": "pjece",
    "version": "9.0.0",
    "title": "Seniorpension",
    "sections": [
        {"id": "indtaegt", "title": "Indtægt", "body": "Over {beløb:indtaegtsgraense} om året."}
    ],
    "amounts": [
        {
            "id": "indtaegtsgraense",
            "values": [{"year": 2020, "amount": 212360}, {"year": 2026, "amount": 245100}],
        }
    ],
}


def test_amounts_are_printed_with_the_year_they_apply_to() -> None:
    brochure = parse_brochure(AMOUNTS)

    def body(year: int) -> list[str]:
        return [p.text for p in open_docx(render_brochure(brochure, year=year)).paragraphs]

    assert "Over 212.360 kr. (2020-niveau) om året." in body(2024)
    assert "Over 245.100 kr. (2026-niveau) om året." in body(2026)
    assert "Over 245.100 kr. (2026-niveau) om året." in body(2028)


def test_an_amount_the_text_uses_must_exist() -> None:
    data = {**AMOUNTS, "amounts": [{"id": "andet", "values": [{"year": 2026, "amount": 1}]}]}
    with pytest.raises(BrochureError) as caught:
        parse_brochure(data)
    assert "sections[0].body: beløbet 'indtaegtsgraense' findes ikke i amounts" in str(caught.value)


# -- the footer: only a draft says it is one ---------------------------------------------


def _footer(brochure: Brochure) -> str:
    return open_docx(render_brochure(brochure, year=2026)).sections[0].footer.paragraphs[0].text


def test_a_draft_prints_draft_version_and_hash_in_its_footer() -> None:
    brochure = get_brochure("1.1.0")
    assert brochure.status == "udkast"
    footer = _footer(brochure)
    assert footer.startswith("Udkast · pjece version 1.1.0 · indholdshash ")
    assert brochure.content_hash[:12] in footer
    assert "dannet" in footer


def test_an_approved_leaflet_has_no_draft_footer() -> None:
    raw = json.loads((brochure_dir() / "1.1.0.json").read_text(encoding="utf-8"))
    approved = parse_brochure({**raw, "status": "godkendt"})
    footer = _footer(approved)
    assert "Udkast" not in footer
    assert "indholdshash" not in footer
    assert approved.content_hash[:12] not in footer


# -- pjece 1.1.0: the texts a citizen acts on ----------------------------------------------

LIX_LIMIT = 40.0


def _body(version: str, section_id: str, year: int = 2026) -> str:
    document = open_docx(render_brochure(get_brochure(version), year=year))
    paragraphs = [p.text for p in document.paragraphs]
    title = next(s.title for s in get_brochure(version).sections if s.id == section_id)
    start = paragraphs.index(title) + 1
    titles = {s.title for s in get_brochure(version).sections}
    end = next((i for i in range(start, len(paragraphs)) if paragraphs[i] in titles), None)
    return "\n".join(paragraphs[start:end])


def test_lix_counts_words_sentences_and_long_words() -> None:
    found = lix("Seniorpension er en **ydelse**.\n\n- du arbejder 15 timer\n- fleksjob tæller")
    # words: Seniorpension er en ydelse du arbejder 15 timer fleksjob tæller = 10
    # sentences: one full stop, two list items = 3; long words: Seniorpension, arbejder, fleksjob
    assert (found.words, found.sentences, found.long_words) == (10, 3, 3)
    assert found.score == pytest.approx(10 / 3 + 30.0)
    assert lix("").score == 0.0


def test_the_economy_section_of_1_0_0_was_above_the_limit() -> None:
    """The figure the plain-language review reported (42) is the one this LIX gives."""
    section = next(s for s in get_brochure("1.0.0").sections if s.id == "oekonomi")
    assert round(lix(section.body).score) == 42


@pytest.mark.parametrize(
    "section_id", [s.id for s in get_brochure("1.1.0").sections], ids=lambda s: s
)
def test_every_section_of_the_newest_leaflet_reads_at_lix_40_or_lower(section_id: str) -> None:
    """Measured on the text as printed (amounts filled in), section by section."""
    for version in [v for v in brochure_versions() if v != "1.0.0"]:
        score = lix(_body(version, section_id)).score
        assert score <= LIX_LIMIT, f"pjece {version}, afsnit {section_id}: LIX {score:.1f}"


def test_the_payment_is_the_foertidspension_amount_not_a_fixed_benefit() -> None:
    text = _body("1.1.0", "oekonomi")
    assert "fast ydelse" not in text
    assert "førtidspension" in text
    assert "indkomst" in text
    assert "gift" in text


def test_who_cannot_get_it_is_said() -> None:
    assert "ikke få seniorpension, hvis du allerede får førtidspension" in _body("1.1.0", "hvem")


def test_the_rehabilitation_team_is_no_requirement_not_a_ban() -> None:
    """Seniorpension's overview: it is not a requirement that the case goes to the team."""
    text = _body("1.1.0", "soeg")
    assert "Din sag skal ikke forbi et rehabiliteringsteam." not in text
    assert "Din sag behøver ikke at komme forbi et rehabiliteringsteam." in text
    assert "sige din mening til Seniorpension" in text


def test_hours_above_27_are_weighed_against_the_years_not_a_yes_or_no() -> None:
    text = _body("1.1.0", "arbejde")
    assert "om du har arbejdet mere end 27 timer om ugen" not in text
    assert "ud over 27 timer om ugen, og i hvor mange år" in text


def test_dormant_pension_gives_the_amount_for_the_year_and_how_payment_restarts() -> None:
    text = _body("1.1.0", "hvilende", year=2026)
    # the only figure given so far is the 2020 level; a newer one goes into "amounts"
    assert "212.360 kr. (2020-niveau) om året" in text
    assert "Sådan får du pensionen igen" in text
    assert "tidligst fra den 1. i måneden efter, at du har bedt om det" in text
    assert "til du når folkepensionsalderen" in text
    raw = json.loads((brochure_dir() / "1.1.0.json").read_text(encoding="utf-8"))
    newer = parse_brochure(
        {
            **raw,
            "amounts": [
                {
                    "id": "indtaegt_hvilende",
                    "values": [
                        {"year": 2020, "amount": 212360},
                        {"year": 2026, "amount": 250000},
                    ],
                }
            ],
        }
    )
    paragraphs = [p.text for p in open_docx(render_brochure(newer, year=2026)).paragraphs]
    assert any("250.000 kr. (2026-niveau) om året" in p for p in paragraphs)
