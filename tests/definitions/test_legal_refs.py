"""Every § reference of the bundled definitions, and docs/legal-references.md that lists them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from forms_service.definitions.legal_refs import (
    bundled,
    definition_references,
    reference_table,
    references_in_text,
    sort_key,
)

ROOT = Path(__file__).parents[2]
FORMS = ROOT / "form_definitions" / "sagsoplysningsskema"
DOC = ROOT / "docs" / "legal-references.md"


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("BEK § 3, stk. 1, 4 og 5", ["BEK § 3, stk. 1", "BEK § 3, stk. 4", "BEK § 3, stk. 5"]),
        (
            "Pensionsloven § 26 a, stk. 2, nr. 2, og § 26 c, stk. 1, nr. 4; BEK § 3, stk. 1",
            [
                "Pensionsloven § 26 a, stk. 2, nr. 2",
                "Pensionsloven § 26 c, stk. 1, nr. 4",
                "BEK § 3, stk. 1",
            ],
        ),
        ("BEK § 2, § 6 og § 7", ["BEK § 2", "BEK § 6", "BEK § 7"]),
        ("Pensionsloven § 1 a, § 26 a–26 c", ["Pensionsloven § 1 a", "Pensionsloven § 26 a–26 c"]),
        ("oplyst (BEK\n§ 6). Ligger", ["BEK § 6"]),
        ("pensionslovens § 26 c). Dette skema", ["Pensionsloven § 26 c"]),
        ("jf. lovens § 26 c, stk. 1, nr. 1–4", ["Pensionsloven § 26 c, stk. 1, nr. 1–4"]),
        ("BEK § 2, stk. 1, 2. pkt.), så", ["BEK § 2, stk. 1, 2. pkt."]),
        ("BEK § 6–7 og § 2, stk. 2–3", ["BEK § 6–7", "BEK § 2, stk. 2–3"]),
        # no law named: a lettered § is Pensionsloven's, a plain one the BEK's
        ("efter § 26 b og § 4", ["Pensionsloven § 26 b", "BEK § 4"]),
        ("Forvaltningsloven § 19", ["Forvaltningsloven § 19"]),
        ("BEK nr. 1618 af 27/12/2019, 6 år og 15 timer", []),
    ],
)
def test_a_text_names_its_provisions_one_by_one(text: str, found: list[str]) -> None:
    assert references_in_text(text) == found


def test_places_are_json_paths_and_urls_are_not_read() -> None:
    data = {
        "legal_basis": [{"ref": "BEK § 2", "url": "https://x/§ 9"}],
        "completeness": [{"legal_ref": "BEK § 2; Pensionsloven § 26 a, stk. 5"}],
    }
    assert definition_references(data) == {
        "BEK § 2": ["$.legal_basis[0].ref", "$.completeness[0].legal_ref"],
        "Pensionsloven § 26 a, stk. 5": ["$.completeness[0].legal_ref"],
    }


def test_provisions_sort_by_law_then_number_letter_and_subsection() -> None:
    refs = [
        "BEK § 3, stk. 10",
        "BEK § 3, stk. 2",
        "Pensionsloven § 26 c",
        "Pensionsloven § 26 a, stk. 5",
        "Forvaltningsloven § 19",
        "BEK § 2",
        "Pensionsloven § 1 a",
    ]
    assert sorted(refs, key=sort_key) == [
        "Pensionsloven § 1 a",
        "Pensionsloven § 26 a, stk. 5",
        "Pensionsloven § 26 c",
        "BEK § 2",
        "BEK § 3, stk. 2",
        "BEK § 3, stk. 10",
        "Forvaltningsloven § 19",
    ]


def test_the_document_lists_exactly_what_the_definitions_name() -> None:
    text = DOC.read_text(encoding="utf-8")
    listed = text.split("<!-- legal-refs:start -->\n", 1)[1].split("<!-- legal-refs:end -->", 1)[0]
    assert listed == reference_table(bundled(FORMS)), (
        "docs/legal-references.md is out of date: paste the output of "
        "'python -m forms_service.definitions.legal_refs'"
    )


def test_every_version_and_the_new_references_are_in_the_table() -> None:
    table = reference_table(bundled(FORMS))
    header = table.splitlines()[0]
    for path in FORMS.glob("*.json"):
        assert f" {path.stem} |" in header
    row = next(
        line for line in table.splitlines() if line.startswith("| BEK § 2, stk. 1, 2. pkt. |")
    )
    # 1.2.0 and pilot 3 cite the ATP rule once more, at the field that explains the difference
    assert row.split(" | ")[1:] == ["–", "1", "2", "–", "1", "2 |"]


def test_the_leaflet_names_no_provision() -> None:
    for path in (ROOT / "form_definitions" / "pjece").glob("*.json"):
        assert definition_references(json.loads(path.read_text(encoding="utf-8"))) == {}
