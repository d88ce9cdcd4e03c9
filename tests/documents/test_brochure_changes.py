"""What changed between two brochure versions: sections by id, prose word by word, tables by row."""

from __future__ import annotations

import copy
import json
from typing import Any

from forms_service.documents.brochure import brochure_dir, parse_brochure
from forms_service.documents.brochure_changes import compare_brochures


def _published() -> dict[str, Any]:
    return json.loads((brochure_dir() / "1.0.0.json").read_text("utf-8"))


def _next(data: dict[str, Any]) -> dict[str, Any]:
    new = copy.deepcopy(data)
    new["version"] = "1.1.0"
    return new


def _words(change: Any) -> list[tuple[str, str]]:
    return [(s.op, s.text) for s in change.words]


def test_the_same_text_has_no_changes() -> None:
    data = _published()
    changes = compare_brochures(parse_brochure(data), parse_brochure(_next(data)))
    assert changes.empty
    assert changes.summary == []
    assert (changes.old_version, changes.new_version) == ("1.0.0", "1.1.0")


def test_sections_by_id_added_removed_changed_and_moved_with_word_diffs() -> None:
    data = _published()
    new = _next(data)
    sections = new["sections"]
    frister = next(s for s in sections if s["id"] == "frister")
    frister["body"] = frister["body"].replace("**3 måneder**", "**3 måneder og 14 dage**")
    sections.remove(next(s for s in sections if s["id"] == "mere"))
    # "hvilende" moves to the top; a new section comes last
    sections.insert(
        0, sections.pop(next(i for i, s in enumerate(sections) if s["id"] == "hvilende"))
    )
    sections.append({"id": "telefon", "title": "Ring til os", "body": "Ring på +45 70 12 34 56."})
    new["status"] = "til godkendelse"

    changes = compare_brochures(parse_brochure(data), parse_brochure(new))
    kinds = {s.id: s.kind for s in changes.sections}
    assert kinds == {
        "hvilende": "moved",
        "frister": "changed",
        "telefon": "added",
        "mere": "removed",
    }
    frister_change = next(s for s in changes.sections if s.id == "frister")
    assert frister_change.texts[0].what == "Tekst"
    assert [op for op, _ in _words(frister_change.texts[0])] == [
        "equal",
        "removed",
        "added",
        "equal",
    ]
    assert _words(frister_change.texts[0])[1:3] == [
        ("removed", "måneder**"),
        ("added", "måneder og 14 dage**"),
    ]
    moved = next(s for s in changes.sections if s.id == "hvilende")
    assert moved.position == (9, 1)
    assert moved.texts == ()
    added = next(s for s in changes.sections if s.id == "telefon")
    assert _words(added.texts[1]) == [("added", "Ring på +45 70 12 34 56.")]
    removed = next(s for s in changes.sections if s.id == "mere")
    assert [t.what for t in removed.texts] == ["Overskrift", "Tekst"]
    assert [op for t in removed.texts for op, _ in _words(t)] == ["removed", "removed"]
    assert [t.what for t in changes.texts] == ["Status"]
    assert _words(changes.texts[0]) == [("removed", "udkast"), ("added", "til godkendelse")]
    # the order a reader meets them in the new version, the removed ones last
    assert [s.id for s in changes.sections] == ["hvilende", "frister", "telefon", "mere"]
    assert changes.summary == [
        "1 ændring i titel og status",
        "1 nyt afsnit",
        "1 fjernet afsnit",
        "1 ændret afsnit",
        "1 flyttet afsnit",
    ]


def test_only_the_sections_that_moved_relative_to_each_other_count_as_moved() -> None:
    data = _published()
    new = _next(data)
    new["sections"].pop(0)  # every later section shifts up one place, but none moved
    changes = compare_brochures(parse_brochure(data), parse_brochure(new))
    assert [(s.id, s.kind) for s in changes.sections] == [("hvad_er", "removed")]


def test_contribution_rates_and_amounts_row_by_row() -> None:
    data = _published()
    data["amounts"] = [{"id": "indtaegt", "values": [{"year": 2020, "amount": 212360}]}]
    new = _next(data)
    new["contribution_rates"][-1] = {"year": 2030, "percent": 3.6, "label": "2030 og frem"}
    new["contribution_rates"].append({"year": 2031, "percent": 3.9})
    new["amounts"][0]["values"].append({"year": 2026, "amount": 251700})
    changes = compare_brochures(parse_brochure(data), parse_brochure(new))
    assert [(r.what, r.old, r.new) for r in changes.rates] == [
        ("Pensionsbidrag 2030", "3,3 % (2030 og frem)", "3,6 % (2030 og frem)"),
        ("Pensionsbidrag 2031", None, "3,9 %"),
    ]
    assert [(r.what, r.old, r.new) for r in changes.amounts] == [
        ("Beløbet indtaegt", "2020: 212.360 kr.", "2020: 212.360 kr.; 2026: 251.700 kr.")
    ]
    assert changes.summary == ["2 ændringer i bidragstabellen", "1 ændret beløb"]
