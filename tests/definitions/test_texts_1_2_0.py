"""The texts of 1.2.0 and 2.0.0-pilot.3 say what their rules do (issue 11, section 3)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

FORMS = Path(__file__).parents[2] / "form_definitions" / "sagsoplysningsskema"
NEW = ("1.2.0", "2.0.0-pilot.3")


def _raw(version: str) -> dict[str, Any]:
    return json.loads((FORMS / f"{version}.json").read_text(encoding="utf-8"))


def _field(data: dict[str, Any], field_id: str) -> dict[str, Any]:
    return next(f for s in data["sections"] for f in s["fields"] if f["id"] == field_id)


def _entry(data: dict[str, Any], entry_id: str) -> dict[str, Any]:
    return next(c for c in data["completeness"] if c["id"] == entry_id)


@pytest.mark.parametrize("version", NEW)
def test_each_new_version_follows_its_predecessor(version: str) -> None:
    data = _raw(version)
    assert data["based_on"] == {"1.2.0": "1.1.0", "2.0.0-pilot.3": "2.0.0-pilot.2"}[version]
    assert data["migrations"] == []  # nothing renamed or retyped: every answer carries over


@pytest.mark.parametrize("version", NEW)
def test_criterion_1_reads_the_cpr_number(version: str) -> None:
    assert _entry(_raw(version), "kriterie_1")["requires"][0] == "cpr"


@pytest.mark.parametrize("version", NEW)
def test_the_legal_basis_cites_the_consolidated_act_and_the_order_the_sources_give(
    version: str,
) -> None:
    titles = [item["title"] for item in _raw(version)["legal_basis"]]
    assert "lovbekendtgørelse nr. 983 af 23. september 2019 med senere ændringer" in titles[0]
    assert "Bekendtgørelse nr. 1618 af december 2019 om seniorpension" in titles[1]
    # no day the sources do not give, no path of the project's documentation
    assert not any("27" in t or "docs/" in t for t in titles)


@pytest.mark.parametrize("version", NEW)
def test_the_right_to_comment_is_no_requirement_of_the_form(version: str) -> None:
    data = _raw(version)
    hint = _field(data, "borger_partshoert")["hint"]
    assert "skal have set" not in hint
    assert "udtale sig direkte over for Seniorpension" in hint
    texts = json.dumps(data, ensure_ascii=False)
    assert "borgeren har haft mulighed for at udtale sig om skemaet (typisk" not in texts


def test_pilot_3_guidance_states_its_own_tolerance_for_the_latest_job() -> None:
    data = _raw("2.0.0-pilot.3")
    guidance = next(s for s in data["sections"] if s["id"] == "kriterie_2")["guidance"]
    assert "tæller job på mindst 12 måneder" not in guidance
    assert "mindst 11, men under 12 måneder" in guidance
    section_1 = next(s for s in data["sections"] if s["id"] == "kriterie_1")["guidance"]
    assert "Seniorpensions konkrete vurdering" in section_1
    assert "skal den konkrete vurdering\nforeligge" not in section_1
