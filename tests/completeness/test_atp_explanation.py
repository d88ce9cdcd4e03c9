"""1.2.0 and pilot 3: the ATP note has a field to explain in, shown exactly when the note shows."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from forms_service.answers import evaluate
from forms_service.completeness import evaluate_completeness
from forms_service.definitions.registry import default_registry

ANSWERS = Path(__file__).parents[1] / "fixtures" / "answers"
TODAY = dt.date(2025, 6, 1)
FIELD = "atp_forskel_forklaring"
NOTE = "Der er markant færre år med fuldt ATP-bidrag end fuldtidsår"


def _note_shown(version: str, answers: dict) -> bool:
    definition = default_registry().resolve(f"sagsoplysningsskema@{version}")
    report = evaluate_completeness(definition, answers, today=TODAY)
    k1 = next(c for c in report.criteria if c.id == "kriterie_1")
    return any(NOTE in note for note in k1.attention)


def _field_shown(version: str, answers: dict) -> bool:
    definition = default_registry().resolve(f"sagsoplysningsskema@{version}")
    return FIELD not in evaluate(definition, answers, today=TODAY).hidden


@pytest.mark.parametrize(
    ("version", "base"), [("1.2.0", "v1_complete.json"), ("2.0.0-pilot.3", "v2_complete.json")]
)
@pytest.mark.parametrize("atp", [None, 0.0, 15.0, 21.9, 22.0, 22.1, 26.8, 40.0])
def test_the_field_shows_exactly_when_the_note_would(version: str, base: str, atp) -> None:  # type: ignore[no-untyped-def]
    answers = json.loads((ANSWERS / base).read_text(encoding="utf-8"))
    answers.pop("atp_aar", None)
    if atp is not None:
        answers["atp_aar"] = atp
    # the base rows give 27.0 full-time years: a gap of more than 5 years below 22.0
    assert _field_shown(version, answers) is _note_shown(version, answers)
    assert _field_shown(version, answers) is (atp is not None and atp + 5.0 < 27.0)


@pytest.mark.parametrize(
    ("version", "base"), [("1.2.0", "v1_complete.json"), ("2.0.0-pilot.3", "v2_complete.json")]
)
def test_an_explanation_answers_the_note_and_is_kept(version: str, base: str) -> None:
    answers = json.loads((ANSWERS / base).read_text(encoding="utf-8"))
    answers["atp_aar"] = 15.0
    answers[FIELD] = "Arbejde i Sverige 1997–2009, dokumenteret med svenske lønsedler."
    assert _field_shown(version, answers)
    assert not _note_shown(version, answers)
    definition = default_registry().resolve(f"sagsoplysningsskema@{version}")
    assert evaluate(definition, answers, today=TODAY).values[FIELD] == answers[FIELD]
