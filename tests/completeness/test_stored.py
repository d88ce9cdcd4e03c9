"""Reports stored before the split of criteria and conditions read in the current shape."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from forms_service.completeness import current_shape, evaluate_completeness
from forms_service.definitions.registry import default_registry

STORED = Path(__file__).parent / "fixtures" / "stored" / "v1_foertidspension_old_shape.json"


def _stored() -> dict:
    return json.loads(STORED.read_text(encoding="utf-8"))["report"]


def test_an_old_report_gets_its_conditions_apart_with_mapped_statuses():
    old = _stored()
    upgraded = current_shape(old)
    assert [c["id"] for c in upgraded["criteria"]] == [
        "kriterie_1",
        "kriterie_2",
        "kriterie_3",
        "kriterie_4",
    ]
    assert [(c["id"], c["status"], c["status_label"]) for c in upgraded["conditions"]] == [
        ("pensionsalder", "met", "Opfyldt"),
        ("ikke_foertidspension", "not_met", "Ikke opfyldt"),
    ]
    condition = upgraded["conditions"][1]
    assert condition["reasons"] == ["Borgeren modtager førtidspension."]
    assert [ref["id"] for ref in condition["fields"]] == ["nuvaerende_ydelse"]
    # what Seniorpension was shown stays as it was stored
    assert upgraded["sufficient"] is False
    assert upgraded["summary"] == old["summary"]
    assert upgraded["stored_shape"] == "criteria-only"
    assert old == _stored()  # the stored report itself is not changed


def test_a_missing_old_condition_reads_as_undetermined():
    old = _stored()
    old["criteria"][4]["status"] = "missing"
    assert current_shape(old)["conditions"][0]["status"] == "undetermined"


def test_a_current_report_is_returned_unchanged():
    definition = default_registry().resolve("sagsoplysningsskema@1.0.0")
    answers = json.loads(STORED.read_text(encoding="utf-8"))["answers"]
    report = evaluate_completeness(definition, answers, today=dt.date(2025, 6, 1)).to_dict()
    assert current_shape(report) == report
    assert "stored_shape" not in current_shape(report)
    # the same answers, read with today's meaning: informed, one condition not met
    assert report["sufficient"] is True
    assert [c["status"] for c in report["conditions"]][:2] == ["met", "not_met"]


def _v1_lifted() -> frozenset[str]:
    from forms_service.completeness import lifted_messages

    return lifted_messages(default_registry().resolve("sagsoplysningsskema@1.0.0").completeness)


def test_sufficient_now_reads_an_old_report_with_todays_meaning():
    from forms_service.completeness import sufficient_now

    lifted = _v1_lifted()
    assert len(lifted) == 3  # 20 years, 15 hours, permanent
    old = _stored()
    assert sufficient_now(old, lifted) is True  # only a condition was not met
    # criterion 4 insufficient for 16 hours only: informed in today's meaning
    k4 = old["criteria"][3]
    k4["status"] = "insufficient"
    k4["reasons"] = [next(m for m in lifted if "15 timer" in m)]
    assert sufficient_now(old, lifted) is True
    # ... but not when another reason is there too, nor when information is missing
    k4["reasons"].append("Borgeren har ikke haft mulighed for at udtale sig om oplysningerne.")
    assert sufficient_now(old, lifted) is False
    k4["reasons"] = ["Kan ikke kontrolleres, før x er udfyldt. Kontrollen: " + min(lifted)]
    assert sufficient_now(old, lifted) is True
    k4["status"] = "missing"
    assert sufficient_now(old, lifted) is False
    k4["status"], k4["reasons"] = "insufficient", []
    assert sufficient_now(old, lifted) is False
    # a current report says it itself
    assert sufficient_now({"sufficient": False, "conditions": []}, lifted) is False
    assert sufficient_now({"sufficient": True, "conditions": []}, frozenset()) is True


def test_an_old_condition_reads_exactly_in_the_current_shape():
    old = _stored()
    stored_item = old["criteria"][5]
    upgraded = current_shape(old)
    assert upgraded["conditions"][1] == {
        "id": "ikke_foertidspension",
        "kind": "eligibility",
        "title": stored_item["title"],
        "legal_ref": stored_item["legal_ref"],
        "status": "not_met",
        "status_label": "Ikke opfyldt",
        "reasons": ["Borgeren modtager førtidspension."],
        "fields": stored_item["missing_fields"] + stored_item["review_fields"],
        "criterion": None,
        "guidance": stored_item["guidance"],
    }
    assert upgraded["criteria"] == old["criteria"][:4]
    assert set(upgraded) == set(old) | {"conditions", "stored_shape"}
    # an item without a kind is an information criterion; an unknown status is undetermined
    bare = {
        "criteria": [{"id": "x", "status": "complete"}, {"id": "y", "kind": "e", "status": "?"}]
    }
    shaped = current_shape(bare)
    assert [c["id"] for c in shaped["criteria"]] == ["x"]
    assert shaped["conditions"][0]["status"] == "undetermined"
    assert shaped["conditions"][0]["reasons"] == []
    assert shaped["conditions"][0]["fields"] == []
    assert current_shape({})["criteria"] == [] and current_shape({})["conditions"] == []


MISSING_DATE = STORED.with_name("v1_application_date_missing_old_shape.json")


def test_an_old_missing_condition_keeps_its_missing_fields_and_guidance():
    old = json.loads(MISSING_DATE.read_text(encoding="utf-8"))["report"]
    upgraded = current_shape(old)
    pension_age = upgraded["conditions"][0]
    assert pension_age["id"] == "pensionsalder"
    assert (pension_age["status"], pension_age["status_label"]) == (
        "undetermined",
        "Kan ikke vurderes endnu",
    )
    assert [ref["id"] for ref in pension_age["fields"]] == ["ansoegningsdato"]
    assert pension_age["guidance"] == old["criteria"][4]["guidance"]
    # the item without a kind is criterion 1, kept as stored
    assert upgraded["criteria"][0] == old["criteria"][0]
    assert "kind" not in upgraded["criteria"][0]


def test_sufficient_now_reads_an_item_without_a_kind_as_a_criterion():
    from forms_service.completeness import sufficient_now

    old = json.loads(MISSING_DATE.read_text(encoding="utf-8"))["report"]
    assert sufficient_now(old, _v1_lifted()) is False  # criterion 1 misses the date
    old["criteria"][0]["status"] = "complete"
    assert sufficient_now(old, _v1_lifted()) is True  # only conditions are left
    # an insufficient criterion stored without its reasons is not informed
    old["criteria"][0]["status"] = "insufficient"
    del old["criteria"][0]["reasons"]
    assert sufficient_now(old, _v1_lifted()) is False
    # a stored report without criteria had nothing that was not informed
    assert sufficient_now({}, _v1_lifted()) is True
