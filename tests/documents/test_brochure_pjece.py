"""The citizen brochure: versioned JSON content and its Word draft."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from forms_service.documents.brochure import (
    BrochureError,
    brochure_dir,
    canonical_hash,
    get_brochure,
    load_brochure,
    parse_brochure,
)
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
    assert get_brochure().version == "1.0.0"
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
    assert "Pjece, version 1.0.0" in footer
    assert brochure.content_hash not in footer  # a citizen reads it: no checksum


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
