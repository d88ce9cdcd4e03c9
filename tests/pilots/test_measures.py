"""Every measure of a version, computed in SQL on a hand-made data set with known answers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from forms_service.pilots.measures import Cohort, VersionMeasures, measure

FORM = "sagsoplysningsskema"


def _cohort(spec: dict[str, Any]) -> Cohort:
    return Cohort(
        FORM,
        spec["version"],
        dt.date.fromisoformat(spec["start"]),
        dt.date.fromisoformat(spec["end"]),
        tuple(spec["include"]),
    )


@pytest.mark.parametrize("group", ["A", "B"])
def test_measures_match_hand_computed_values(
    db_session: Session, small_history: dict[str, Any], group: str
) -> None:
    expected = small_history["expected"][group]
    result = measure(
        db_session,
        _cohort(small_history["cohorts"][group]),
        as_of=dt.date.fromisoformat(small_history["as_of"]),
    )
    for key in (
        "received",
        "submitted",
        "sufficient",
        "returned_cases",
        "returns_total",
        "municipal_due",
        "municipal_kept",
        "decided",
        "decision_due",
        "decision_kept",
        "with_drafts",
        "drafts_abandoned",
    ):
        assert getattr(result, key) == expected[key], key
    assert result.returns_histogram == {int(k): v for k, v in expected["returns_histogram"].items()}
    assert result.submission_days == {int(k): v for k, v in expected["submission_days"].items()}
    assert result.decision_days == {int(k): v for k, v in expected["decision_days"].items()}
    assert result.criteria == expected["criteria"]
    assert result.fields == [tuple(f) for f in expected["fields"]]


def test_shares_follow_from_the_counts(db_session: Session, small_history: dict[str, Any]) -> None:
    result = measure(db_session, _cohort(small_history["cohorts"]["B"]), as_of=dt.date(2026, 8, 31))
    assert result.sufficient_share == pytest.approx(2 / 3)
    assert result.returns_per_case == pytest.approx(2 / 3)
    assert result.municipal_kept_share == pytest.approx(0.5)
    assert result.decision_kept_share == pytest.approx(1 / 3)
    assert result.abandoned_share == pytest.approx(0.5)
    assert VersionMeasures("tom", None).sufficient_share is None


def test_deadlines_depend_on_the_reporting_date(
    db_session: Session, small_history: dict[str, Any]
) -> None:
    # On 30 June neither A2's nor A3's decision deadline has passed yet.
    early = measure(db_session, _cohort(small_history["cohorts"]["A"]), as_of=dt.date(2026, 6, 30))
    assert (early.decision_due, early.decision_kept) == (1, 1)


def test_measures_never_select_cpr_or_names(
    db_engine: Any, db_session: Session, small_history: dict[str, Any]
) -> None:
    statements: list[str] = []

    def capture(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement.lower())

    event.listen(db_engine, "before_cursor_execute", capture)
    try:
        measure(db_session, _cohort(small_history["cohorts"]["A"]), as_of=dt.date(2026, 8, 31))
    finally:
        event.remove(db_engine, "before_cursor_execute", capture)
    assert statements
    assert not [s for s in statements if "cpr" in s or "citizen_name" in s]
