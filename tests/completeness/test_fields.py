"""Field catalog: when a field a criterion reads is hidden (the field, its group, or a
sub-field in every row), on a small definition with row-level visibility."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from forms_service.answers import evaluate
from forms_service.completeness.fields import FieldCatalog
from forms_service.definitions.loader import load_definition_data
from forms_service.definitions.model import FormDefinition
from forms_service.definitions.registry import Registry

TODAY = dt.date(2025, 3, 1)
DEFINITION: dict[str, Any] = {
    "form": "synlig",
    "version": "1.0.0",
    "title": "Synlighed",
    "sections": [
        {
            "id": "s",
            "title": "Sektion",
            "fields": [
                {"id": "vis", "type": "boolean", "label": "Vis job"},
                {
                    "id": "job",
                    "type": "repeat",
                    "label": "Job",
                    "visible_if": "vis == true",
                    "fields": [
                        {"id": "deltid", "type": "boolean", "label": "Deltid"},
                        {
                            "id": "timer",
                            "type": "number",
                            "label": "Timer",
                            "visible_if": "row.deltid == true",
                        },
                    ],
                },
            ],
        }
    ],
}


@pytest.fixture(scope="module")
def synlig() -> FormDefinition:
    return load_definition_data(DEFINITION, "synlig/1.0.0.json")


def _hidden(definition: FormDefinition, answers: dict, name: str) -> bool:
    return FieldCatalog(definition).hidden(evaluate(definition, answers, today=TODAY), name)


@pytest.mark.parametrize(
    ("rows", "hidden"),
    [
        ([{"deltid": False}, {"deltid": False}], True),  # hidden in every row
        ([{"deltid": False}, {"deltid": True, "timer": 20}], False),  # shown in one
        ([], False),  # no rows: nothing is hidden, the group is simply empty
    ],
)
def test_a_sub_field_is_hidden_when_it_is_hidden_in_every_row(synlig, rows, hidden):
    assert _hidden(synlig, {"vis": True, "job": rows}, "job.timer") is hidden
    assert _hidden(synlig, {"vis": True, "job": rows}, "job.deltid") is False


def test_a_hidden_group_hides_its_sub_fields(synlig):
    answers = {"vis": False, "job": [{"deltid": True, "timer": 20}]}
    assert _hidden(synlig, answers, "job") is True
    assert _hidden(synlig, answers, "job.timer") is True
    assert _hidden(synlig, answers, "job.deltid") is True
    assert _hidden(synlig, answers, "vis") is False


def _lille() -> FormDefinition:
    return Registry(Path(__file__).parent / "fixtures" / "definitions").get("lille", "1.0.0")


@pytest.mark.parametrize(
    ("answers", "labels"),
    [
        ({}, ["Ansøgningsdato", "Ansættelser"]),  # form order, not the expression's
        ({"ansoegningsdato": "2025-01-01"}, ["Ansættelser"]),
        ({"ansaettelser": [{"fra": "2000-01-01", "til": "2020-12-31"}]}, ["Ansøgningsdato"]),
        (
            {
                "ansoegningsdato": "2025-01-01",
                "ansaettelser": [{"fra": "2000-01-01", "til": "2020-12-31"}],
            },
            [],
        ),
    ],
)
def test_a_computed_value_names_the_unanswered_questions_it_is_computed_from(
    answers: dict[str, Any], labels: list[str]
) -> None:
    lille = _lille()
    evaluation = evaluate(lille, answers, today=TODAY)
    catalog = FieldCatalog(lille)
    assert catalog.missing_input_labels(evaluation, "fuldtidsaar") == labels
    # a question is not computed from anything
    assert catalog.missing_input_labels(evaluation, "ansoegningsdato") == []
