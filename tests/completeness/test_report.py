"""The report object: looking up a criterion or condition, the lines for returning a case, and
the exact JSON that is stored with each submission."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from forms_service.completeness import evaluate_completeness
from forms_service.completeness.report import (
    CompletenessReport,
    ConditionResult,
    ConditionStatus,
    CriterionResult,
    Status,
)
from forms_service.definitions.registry import Registry

FIXTURES = Path(__file__).parent / "fixtures"
EXACT = FIXTURES / "report_exact.json"


def _criterion(cid: str, status: Status, *reasons: str) -> CriterionResult:
    return CriterionResult(
        cid, "criterion", f"Titel {cid}", None, status, reasons, (), (), (), (), None
    )


def _condition(cid: str, status: ConditionStatus) -> ConditionResult:
    return ConditionResult(cid, f"Betingelse {cid}", None, status, (), (), None)


def _report() -> CompletenessReport:
    return CompletenessReport(
        form="f",
        version="1",
        content_hash="h",
        evaluated_on=dt.date(2025, 3, 1),
        criteria=(
            _criterion("k1", Status.COMPLETE),
            _criterion("k2", Status.MISSING, "Dato mangler.", "Navn mangler."),
            _criterion("k3", Status.INSUFFICIENT, "For kort."),
        ),
        conditions=(
            _condition("b1", ConditionStatus.MET),
            _condition("b2", ConditionStatus.NOT_MET),
            _condition("b3", ConditionStatus.UNDETERMINED),
        ),
        summary="s",
        guidance=None,
    )


def test_criteria_and_conditions_are_found_by_id():
    report = _report()
    assert report.criterion("k2") is report.criteria[1]
    assert report.criterion("k1") is report.criteria[0]
    assert report.criterion("b1") is None
    assert report.condition("b3") is report.conditions[2]
    assert report.condition("b1") is report.conditions[0]
    assert report.condition("k1") is None


def test_missing_items_are_one_line_per_criterion_not_informed():
    assert _report().missing_items() == [
        "Titel k2: Dato mangler. Navn mangler.",
        "Titel k3: For kort.",
    ]
    assert [c.id for c in _report().not_met()] == ["b2"]
    assert _report().sufficient is False


def test_the_report_json_is_exactly_the_stored_text():
    # a whole report of the small definition, byte for byte (key order, indentation, Danish
    # letters unescaped): one period of 15 years without an employer (criterion 1 missing,
    # with an attention note), no "ekstra" (criterion 3 missing), on førtidspension (not met)
    lille = Registry(FIXTURES / "definitions").get("lille", "1.0.0")
    sets = json.loads((FIXTURES / "lille_answers.json").read_text(encoding="utf-8"))
    answers = {**sets["complete"], **sets["one_period_15_years_no_employer"]}
    answers["ydelse"] = "foertidspension"
    del answers["ekstra"]
    report = evaluate_completeness(lille, answers, today=dt.date(2025, 3, 1))
    expected = EXACT.read_text(encoding="utf-8")
    assert report.to_json() + "\n" == expected.replace("@CONTENT_HASH@", lille.content_hash)
    assert report.to_json(indent=None) == json.dumps(
        json.loads(report.to_json()), ensure_ascii=False, sort_keys=True
    )
    assert "ø" in report.to_json(indent=None)
