"""What Seniorpension's return action offers to ask the municipality for (web/cases/returns.py)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from forms_service.definitions.registry import default_registry
from forms_service.web.cases.returns import return_candidates

STORED_OLD = (
    Path(__file__).parents[1]
    / "completeness"
    / "fixtures"
    / "stored"
    / "v1_foertidspension_old_shape.json"
)


def _v1():  # type: ignore[no-untyped-def]
    return default_registry().resolve("sagsoplysningsskema@1.0.0")


def _old_report() -> dict:
    return json.loads(STORED_OLD.read_text(encoding="utf-8"))["report"]


def test_an_old_reports_condition_is_not_offered_as_missing_information() -> None:
    report = _old_report()
    # the stored report lists the førtidspension condition among its criteria, flagging the field
    assert any(c["id"] == "ikke_foertidspension" and c["review_fields"] for c in report["criteria"])
    flagged, others = return_candidates(_v1(), report)
    assert flagged == []
    # the field stays askable like any other field, just not as flagged information
    assert "nuvaerende_ydelse" in [item.id for _title, items in others for item in items]


def test_a_criterions_missing_fields_in_an_old_report_are_offered_first() -> None:
    report = copy.deepcopy(_old_report())
    k2 = next(c for c in report["criteria"] if c["id"] == "kriterie_2")
    k2["status"] = "missing"
    k2["missing_fields"] = [{"id": "arbejdsfunktioner", "group": None}]
    flagged, others = return_candidates(_v1(), report)
    assert [item.id for item in flagged] == ["arbejdsfunktioner"]
    assert "arbejdsfunktioner" not in [item.id for _t, items in others for item in items]


def test_a_current_reports_conditions_are_never_offered() -> None:
    definition = default_registry().resolve("sagsoplysningsskema@1.2.0")
    report = {
        "sufficient": True,
        "criteria": [
            {
                "id": "kriterie_3",
                "kind": "criterion",
                "status": "missing",
                "missing_fields": [
                    {"id": "helbredsdokumenter.dokument", "group": "helbredsdokumenter"}
                ],
                "missing_documents": [],
                "review_fields": [],
            }
        ],
        "conditions": [
            {
                "id": "arbejdsevne_hoejst_15_timer",
                "kind": "eligibility",
                "status": "not_met",
                "fields": [{"id": "arbejdsevne_timer", "group": None}],
            }
        ],
    }
    flagged, _others = return_candidates(definition, report)
    assert [item.id for item in flagged] == ["helbredsdokumenter"]


def test_without_a_report_nothing_is_flagged() -> None:
    flagged, others = return_candidates(_v1(), None)
    assert flagged == []
    assert others  # every field by section
