"""The completeness engine on a small hand-made definition (fixtures/definitions/lille).

Each test changes one thing in a complete answer set and checks what the engine makes of it:
requires, severities, ``when``, unevaluable checks, hidden fields, documents, the summary.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from forms_service.answers import evaluate
from forms_service.completeness import (
    CompletenessReport,
    Status,
    evaluate_completeness,
    evaluate_completeness_for,
)
from forms_service.definitions.model import FormDefinition
from forms_service.definitions.registry import Registry

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = dt.date(2025, 3, 1)


@pytest.fixture(scope="module")
def lille() -> FormDefinition:
    return Registry(FIXTURES / "definitions").get("lille", "1.0.0")


@pytest.fixture(scope="module")
def answer_sets() -> dict[str, dict[str, Any]]:
    return json.loads((FIXTURES / "lille_answers.json").read_text(encoding="utf-8"))


def _answers(answer_sets: dict[str, dict[str, Any]], *patches: str, **changes: Any) -> dict:
    answers = copy.deepcopy(answer_sets["complete"])
    for patch in patches:
        answers.update(copy.deepcopy(answer_sets[patch]))
    for key, value in changes.items():
        if value is None:
            answers.pop(key, None)
        else:
            answers[key] = value
    return answers


def _report(lille: FormDefinition, answers: dict) -> CompletenessReport:
    return evaluate_completeness(lille, answers, today=TODAY)


def _criterion(report: CompletenessReport, criterion_id: str) -> dict[str, Any]:
    for item in report.to_dict()["criteria"]:
        if item["id"] == criterion_id:
            return item
    raise AssertionError(criterion_id)


def _ids(refs: list[dict[str, Any]]) -> list[str]:
    return [ref["id"] for ref in refs]


def _condition(report: CompletenessReport, condition_id: str) -> dict[str, Any]:
    for item in report.to_dict()["conditions"]:
        if item["id"] == condition_id:
            return item
    raise AssertionError(condition_id)


def _statuses(report: CompletenessReport) -> dict[str, str]:
    found = {c.id: c.status.value for c in report.criteria}
    found.update({c.id: c.status.value for c in report.conditions})
    return found


def test_complete_answers_make_a_sufficient_report(lille, answer_sets):
    report = _report(lille, _answers(answer_sets))
    assert report.sufficient
    assert _statuses(report) == {
        **dict.fromkeys(("k1", "k2", "k3", "k4"), "complete"),
        "betingelse": "met",
    }
    data = report.to_dict()
    assert data["summary"] == "Sagen er tilstrækkeligt oplyst: 4 af 4 kriterier er oplyst."
    assert data["guidance"] == "Sagen er oplyst."
    assert (data["form"], data["version"], data["content_hash"]) == (
        "lille",
        "1.0.0",
        lille.content_hash,
    )
    assert data["evaluated_on"] == "2025-03-01"
    k1 = _criterion(report, "k1")
    assert k1["legal_ref"] == "BEK § 2"
    assert k1["guidance"] == "Opgør perioderne."
    assert k1["status_label"] == "Tilstrækkeligt oplyst"
    assert _condition(report, "betingelse")["status_label"] == "Opfyldt"
    assert report.missing_items() == []


def test_a_missing_required_field_makes_the_criterion_missing_and_skips_its_checks(
    lille, answer_sets
):
    report = _report(lille, _answers(answer_sets, ansaettelser=None))
    k1 = _criterion(report, "k1")
    assert k1["status"] == "missing"
    assert k1["reasons"] == ["»Ansættelser« (Tilknytning) er ikke udfyldt."]
    assert k1["missing_fields"] == [
        {
            "id": "ansaettelser",
            "label": "Ansættelser",
            "section": "tilknytning",
            "section_title": "Tilknytning",
            "group": None,
            "group_label": None,
            "anchor": "field-ansaettelser",
        }
    ]
    # the attention check ("only one period") would fail on no periods, but checks do not run
    assert k1["attention"] == []
    assert not report.sufficient
    assert report.to_dict()["guidance"] == "Indhent det, der mangler."


def test_a_required_computed_value_names_the_answers_it_needs(lille, answer_sets):
    report = _report(lille, _answers(answer_sets, ansoegningsdato=None))
    k1 = _criterion(report, "k1")
    assert k1["status"] == "missing"
    assert k1["reasons"] == [
        "»Fuldtidsår« (Tilknytning) kan ikke beregnes, før »Ansøgningsdato« (Sagen) er udfyldt."
    ]
    assert _ids(k1["missing_fields"]) == ["ansoegningsdato"]


def test_an_unevaluable_check_fails_with_its_severity_and_names_what_it_reads(lille, answer_sets):
    report = _report(lille, _answers(answer_sets, ansoegningsdato=None))
    k4 = _criterion(report, "k4")
    assert k4["status"] == "insufficient"
    assert k4["reasons"] == [
        "Kan ikke kontrolleres, før »Ansøgningsdato« (Sagen) er udfyldt. "
        "Kontrollen: Attesten er ældre end ansøgningen."
    ]
    assert _ids(k4["missing_fields"]) == ["ansoegningsdato"]
    assert k4["missing_documents"] == []


def test_an_unevaluable_check_lists_a_missing_document(lille, answer_sets):
    report = _report(lille, _answers(answer_sets, attest=None))
    k4 = _criterion(report, "k4")
    assert k4["status"] == "insufficient"
    assert k4["reasons"][0].startswith("Kan ikke kontrolleres, før »Attest« (Helbred) er udfyldt.")
    assert k4["missing_fields"] == []
    assert _ids(k4["missing_documents"]) == ["attest"]
    # the form page's anchor of an attachment is its title input
    assert k4["missing_documents"][0]["anchor"] == "field-attest-title"
    # k2 still passes: one document from the citizen's own doctor is enough
    assert _criterion(report, "k2")["status"] == "complete"


def test_a_failing_check_with_severity_missing_beats_insufficient(lille, answer_sets):
    report = _report(lille, _answers(answer_sets, "one_period_15_years_no_employer"))
    k1 = _criterion(report, "k1")
    assert k1["status"] == "missing"
    assert k1["reasons"] == ["Under 20 fuldtidsår.", "En periode mangler arbejdsgiver."]
    assert k1["missing_fields"] == [
        {
            "id": "ansaettelser.arbejdsgiver",
            "label": "Arbejdsgiver",
            "section": "tilknytning",
            "section_title": "Tilknytning",
            "group": "ansaettelser",
            "group_label": "Ansættelser",
            "anchor": "field-ansaettelser",
        }
    ]
    assert _ids(k1["review_fields"]) == ["ansaettelser"]
    assert k1["attention"] == ["Kun én periode er opgjort."]


def test_an_insufficient_check_alone_makes_the_criterion_insufficient(lille, answer_sets):
    short = copy.deepcopy(answer_sets["one_period_15_years_no_employer"])
    short["ansaettelser"][0]["arbejdsgiver"] = "Rengøring B"
    report = _report(lille, _answers(answer_sets, **short))
    k1 = _criterion(report, "k1")
    assert k1["status"] == "insufficient"
    assert k1["status_label"] == "Ikke tilstrækkeligt oplyst"
    assert k1["reasons"] == ["Under 20 fuldtidsår."]
    assert k1["missing_fields"] == []
    assert report.to_dict()["summary"] == (
        "Sagen er ikke tilstrækkeligt oplyst: 3 af 4 kriterier er oplyst. "
        "Ikke tilstrækkeligt oplyst: Tilknytning. 1 bemærkning til Seniorpension."
    )


def test_when_selects_the_check_and_attention_leaves_the_case_sufficient(lille, answer_sets):
    without = _report(lille, _answers(answer_sets, "one_period_22_years"))
    k1 = _criterion(without, "k1")
    assert k1["status"] == "missing"
    assert k1["reasons"] == ["Den konkrete vurdering mangler."]
    assert _ids(k1["missing_fields"]) == ["vurdering"]

    answers = _answers(answer_sets, "one_period_22_years", vurdering="Tungt fysisk arbejde.")
    report = _report(lille, answers)
    k1 = _criterion(report, "k1")
    assert k1["status"] == "complete"
    assert k1["reasons"] == []
    assert k1["attention"] == ["Kun én periode er opgjort."]
    assert report.sufficient
    assert report.to_dict()["summary"].endswith("er oplyst. 1 bemærkning til Seniorpension.")

    # 35 years: the 20-25 check does not apply, and the hidden assessment is not asked for
    assert _criterion(_report(lille, _answers(answer_sets)), "k1")["reasons"] == []


def test_a_required_sub_field_is_missing_when_no_row_has_it(lille, answer_sets):
    report = _report(lille, _answers(answer_sets, "documents_without_attachment"))
    k2 = _criterion(report, "k2")
    assert k2["status"] == "missing"
    assert k2["reasons"] == [
        "Dokumentation mangler: »Dokument« i »Helbredsdokumenter« er ikke angivet."
    ]
    assert k2["missing_fields"] == []
    assert k2["missing_documents"] == [
        {
            "id": "dokumenter.dokument",
            "label": "Dokument",
            "section": "helbred",
            "section_title": "Helbred",
            "group": "dokumenter",
            "group_label": "Helbredsdokumenter",
            "anchor": "field-dokumenter",
        }
    ]


def test_a_failed_check_lists_answered_fields_for_review_and_unanswered_as_missing(
    lille, answer_sets
):
    report = _report(lille, _answers(answer_sets, "documents_other_source"))
    k2 = _criterion(report, "k2")
    assert k2["status"] == "missing"
    assert k2["reasons"] == ["Ingen dokumenter fra egen læge."]
    assert _ids(k2["review_fields"]) == ["dokumenter", "attest"]
    assert k2["missing_documents"] == []

    report = _report(lille, _answers(answer_sets, "documents_other_source", attest=None))
    k2 = _criterion(report, "k2")
    assert _ids(k2["review_fields"]) == ["dokumenter"]
    assert _ids(k2["missing_documents"]) == ["attest"]


def test_a_hidden_required_field_counts_as_missing(lille, answer_sets):
    report = _report(lille, _answers(answer_sets, vis_ekstra=False))
    k3 = _criterion(report, "k3")
    assert k3["status"] == "missing"
    assert k3["reasons"] == [
        "»Ekstra oplysninger« (Tilknytning) vises ikke i skemaet med de nuværende svar, "
        "men kriteriet bygger på det."
    ]
    assert _ids(k3["missing_fields"]) == ["ekstra"]


def test_an_unmet_eligibility_condition(lille, answer_sets):
    report = _report(lille, _answers(answer_sets, ydelse="foertidspension"))
    condition = _condition(report, "betingelse")
    assert condition["status"] == "not_met"
    assert condition["status_label"] == "Ikke opfyldt"
    assert condition["kind"] == "eligibility"
    assert condition["reasons"] == ["Borgeren modtager førtidspension."]
    assert _ids(condition["fields"]) == ["ydelse"]
    # informed, not eligible: sufficient, and nothing to send back to the municipality
    assert report.sufficient
    assert report.to_dict()["summary"] == (
        "Sagen er tilstrækkeligt oplyst: 4 af 4 kriterier er oplyst. "
        "Betingelse ikke opfyldt, kan føre til afslag: Ikke førtidspension."
    )
    assert report.missing_items() == []
    assert [c.id for c in report.not_met()] == ["betingelse"]


def test_the_same_answers_give_byte_identical_json(lille, answer_sets):
    answers = _answers(answer_sets, "one_period_15_years_no_employer", attest=None)
    shuffled = dict(reversed(list(copy.deepcopy(answers).items())))
    first = _report(lille, answers).to_json()
    assert _report(lille, answers).to_json() == first
    assert _report(lille, shuffled).to_json() == first
    assert json.dumps(_report(lille, answers).to_dict(), sort_keys=True) == json.dumps(
        json.loads(first), sort_keys=True
    )


def test_an_existing_evaluation_gives_the_same_report(lille, answer_sets):
    answers = _answers(answer_sets, "one_period_22_years")
    evaluation = evaluate(lille, answers, today=TODAY)
    assert evaluate_completeness_for(evaluation) == _report(lille, answers)


def test_status_values_are_the_documented_strings():
    assert [s.value for s in Status] == ["complete", "missing", "insufficient"]


def test_an_unevaluable_check_over_answers_that_are_there_lists_them_for_review(lille, answer_sets):
    # the attachment is there but has no date: "attest.date >= ansoegningsdato" cannot run,
    # and nothing is unanswered, so both answers it reads are for the caseworker to look at
    attest = {"title": "Attest", "source": "egen_laege"}
    report = _report(lille, _answers(answer_sets, attest=attest))
    k4 = _criterion(report, "k4")
    assert k4["status"] == "insufficient"
    assert k4["reasons"] == [
        "Kan ikke kontrolleres med de nuværende svar i »Ansøgningsdato« (Sagen) og »Attest« "
        "(Helbred). Kontrollen: Attesten er ældre end ansøgningen."
    ]
    assert _ids(k4["review_fields"]) == ["ansoegningsdato", "attest"]
    assert k4["missing_fields"] == [] and k4["missing_documents"] == []


def test_an_unevaluable_check_names_every_missing_answer_in_form_order(lille, answer_sets):
    report = _report(lille, _answers(answer_sets, attest=None, ansoegningsdato=None))
    k4 = _criterion(report, "k4")
    assert k4["reasons"] == [
        "Kan ikke kontrolleres, før »Ansøgningsdato« (Sagen) og »Attest« (Helbred) er udfyldt. "
        "Kontrollen: Attesten er ældre end ansøgningen."
    ]
    assert _ids(k4["missing_fields"]) == ["ansoegningsdato"]
    assert _ids(k4["missing_documents"]) == ["attest"]


def test_a_when_that_cannot_be_evaluated_does_not_apply():
    from forms_service.definitions.loader import load_definition_data

    data = {
        "form": "naar",
        "version": "1.0.0",
        "title": "Når",
        "sections": [
            {
                "id": "s",
                "title": "Sektion",
                "fields": [{"id": "tekst", "type": "text", "label": "Tekst"}],
            }
        ],
        "completeness": [
            {
                "id": "k1",
                "title": "Kriterie",
                "requires": ["tekst"],
                "checks": [
                    # a text compared with a number: the guard errs, so the check is skipped
                    {
                        "when": "tekst > 3",
                        "expr": "false",
                        "message": "Kører ikke.",
                        "severity": "missing",
                    },
                    {
                        "when": "tekst == 'ja'",
                        "expr": "false",
                        "message": "Kører.",
                        "severity": "insufficient",
                    },
                ],
            }
        ],
    }
    definition = load_definition_data(data, "naar/1.0.0.json")
    skipped = evaluate_completeness(definition, {"tekst": "nej"}, today=TODAY)
    assert skipped.sufficient is True
    assert skipped.criteria[0].reasons == ()
    ran = evaluate_completeness(definition, {"tekst": "ja"}, today=TODAY)
    assert ran.criteria[0].reasons == ("Kører.",)
    assert ran.criteria[0].status is Status.INSUFFICIENT


def test_validation_problems_of_several_rows_are_each_reported_once(lille, answer_sets):
    # criterion 2 owns "dokumenter" and "dokumenter.dokument": a row's problem is filed under
    # both names, and is still one reason; every row's problem is there
    documents = [
        {"dokument": {"source": "egen_laege", "date": "2025-02-01"}},
        {"dokument": {"title": "X", "source": "ukendt", "date": "2025-02-01"}},
        {"dokument": {"title": "Y", "source": "egen_laege", "date": "2025-02-01"}},
    ]
    report = _report(lille, _answers(answer_sets, dokumenter=documents))
    k2 = _criterion(report, "k2")
    assert k2["reasons"] == [
        "Kilden for »Dokument« for række 2 i »Helbredsdokumenter« skal være en af: Egen læge, "
        "Andet.",
        "Angiv dokumentet »Dokument« for række 1 i »Helbredsdokumenter«.",
    ]
    # a missing title is missing information; a wrong source is for review
    assert k2["status"] == "missing"
    assert _ids(k2["missing_documents"]) == ["dokumenter.dokument"]
    assert _ids(k2["review_fields"]) == ["dokumenter.dokument"]


DATE_REFUSED = (
    "»Ansøgningsdato«: 2025-02-31 er ikke en gyldig dato, den dag findes ikke. "
    "Ret dag eller måned (dd.mm.åååå)."
)


def test_a_refused_answer_is_named_with_the_validators_message_not_as_unanswered(
    lille, answer_sets
):
    # the application date has the right shape but the day does not exist: criterion 1's
    # full-time years cannot be computed and criterion 4's check cannot be run, both because
    # of the wrong date, which is for review
    report = _report(lille, _answers(answer_sets, ansoegningsdato="2025-02-31"))
    k1 = _criterion(report, "k1")
    assert k1["status"] == "insufficient"
    assert k1["reasons"] == [f"»Fuldtidsår« (Tilknytning) kan ikke beregnes. {DATE_REFUSED}"]
    assert (_ids(k1["missing_fields"]), _ids(k1["review_fields"])) == ([], ["ansoegningsdato"])
    k4 = _criterion(report, "k4")
    assert k4["status"] == "insufficient"
    assert k4["reasons"] == [
        f"Kan ikke kontrolleres. {DATE_REFUSED} Kontrollen: Attesten er ældre end ansøgningen."
    ]
    assert (_ids(k4["missing_fields"]), _ids(k4["review_fields"])) == ([], ["ansoegningsdato"])


def test_a_value_computed_from_a_missing_and_a_refused_answer_names_both(lille, answer_sets):
    report = _report(lille, _answers(answer_sets, ansoegningsdato="2025-02-31", ansaettelser=None))
    k1 = _criterion(report, "k1")
    assert k1["status"] == "missing"
    assert k1["reasons"] == [
        "»Ansættelser« (Tilknytning) er ikke udfyldt.",
        "»Fuldtidsår« (Tilknytning) kan ikke beregnes, før »Ansættelser« (Tilknytning) er "
        f"udfyldt. {DATE_REFUSED}",
    ]
    assert _ids(k1["missing_fields"]) == ["ansaettelser"]
    assert _ids(k1["review_fields"]) == ["ansoegningsdato"]
