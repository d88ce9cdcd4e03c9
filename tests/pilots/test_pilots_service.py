"""Creating pilots (validation, who may), the comparison of a pilot, and feedback rules."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest
from scipy import stats
from sqlalchemy.orm import Session

from forms_service.cases.models import User
from forms_service.cases.users import actor_of
from forms_service.definitions.registry import Registry
from forms_service.pilots.comparison import compare_pilot
from forms_service.pilots.models import NAMED, Pilot
from forms_service.pilots.service import (
    PilotError,
    PilotInput,
    add_feedback,
    create_pilot,
    feedback_counts,
    feedback_for,
)

FORM = "sagsoplysningsskema"


def _actor(db_session: Session, users: dict[str, User], name: str) -> Any:
    user = db_session.get(User, users[name].id)
    assert user is not None
    return actor_of(user)


def _input(**changes: Any) -> PilotInput:
    values: dict[str, Any] = {
        "name": "Test",
        "form": FORM,
        "candidate_version": "2.0.0-pilot.1",
        "comparison_version": "1.0.0",
        "pilot_codes": (101,),
        "start_date": dt.date(2026, 1, 1),
        "end_date": dt.date(2026, 12, 31),
    }
    values.update(changes)
    return PilotInput(**values)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": " "}, "navn"),
        ({"candidate_version": "9.9.9"}, "ingen version 9.9.9"),
        ({"comparison_version": "2.0.0-pilot.1"}, "forskellige"),
        ({"end_date": dt.date(2025, 1, 1)}, "Slutdatoen"),
        ({"pilot_codes": ()}, "mindst én"),
        ({"pilot_codes": (999,)}, "Ukendt kommunekode"),
        ({"comparison_codes": (101,)}, "både pilot og sammenligning"),
        ({"form": "ukendt"}, "Ukendt skema"),
    ],
)
def test_invalid_pilots_are_refused_with_a_reason(
    db_session: Session,
    users: dict[str, User],
    pilot_registry: Registry,
    changes: dict[str, Any],
    message: str,
) -> None:
    with pytest.raises(PilotError, match=message):
        create_pilot(
            db_session, _actor(db_session, users, "editor"), _input(**changes), pilot_registry
        )


@pytest.mark.parametrize("role_user", ["analyst", "sp", "kbh", "admin"])
def test_only_form_editors_create_pilots(
    db_session: Session, users: dict[str, User], pilot_registry: Registry, role_user: str
) -> None:
    with pytest.raises(PilotError) as error:
        create_pilot(db_session, _actor(db_session, users, role_user), _input(), pilot_registry)
    assert error.value.status == 403


def test_a_municipality_is_in_one_pilot_at_a_time(
    db_session: Session, users: dict[str, User], pilot_registry: Registry, forum_pilot: Pilot
) -> None:
    with pytest.raises(PilotError, match="allerede pilotkommune"):
        create_pilot(
            db_session,
            _actor(db_session, users, "editor"),
            _input(name="Anden", pilot_codes=(329,), start_date=dt.date(2026, 6, 1)),
            pilot_registry,
        )


def test_pilot_comparison_on_the_small_data_set(
    db_session: Session,
    users: dict[str, User],
    pilot_registry: Registry,
    small_history: dict[str, Any],
) -> None:
    pilot = create_pilot(
        db_session,
        _actor(db_session, users, "editor"),
        _input(comparison_codes=(147,)),
        pilot_registry,
    )
    assert pilot.comparison_scope == NAMED
    result = compare_pilot(db_session, pilot, as_of=dt.date(2026, 8, 31))
    assert (result.candidate.received, result.comparison.received) == (4, 4)

    sufficient = result.row("sufficient")
    assert (sufficient.candidate, sufficient.comparison) == (
        pytest.approx(0.5),
        pytest.approx(2 / 3),
    )
    assert (sufficient.n_candidate, sufficient.n_comparison) == (2, 3)
    _chi2, p, _, _ = stats.chi2_contingency([[1, 1], [2, 1]], correction=False)
    assert sufficient.p_value == pytest.approx(p)
    assert sufficient.small and "lille" in sufficient.sentence
    assert sufficient.sentence.startswith("Forskellen er endnu ikke tydelig")

    days = result.row("submission_days")
    expected = stats.mannwhitneyu([20, 104], [31, 43, 95], method="asymptotic")
    assert days.p_value == pytest.approx(expected.pvalue)
    assert (days.candidate, days.comparison) == (pytest.approx(62.0), pytest.approx(169 / 3))
    assert days.candidate_median == pytest.approx(62.0)

    returns = result.row("returns")
    assert returns.p_value == pytest.approx(
        stats.mannwhitneyu(
            list(Counter({0: 1, 1: 1}).elements()),
            list(Counter({0: 2, 2: 1}).elements()),
            method="asymptotic",
        ).pvalue
    )
    assert result.row("municipal_deadline").n_candidate == 3
    assert result.row("decision_deadline").comparison == pytest.approx(1 / 3)
    assert {r.key for r in result.rows} >= {"drafts_abandoned", "decision_days", "returned"}


def test_all_others_comparison_excludes_the_pilot_municipalities(
    db_session: Session, pilot_registry: Registry, forum_pilot: Pilot, small_history: dict[str, Any]
) -> None:
    result = compare_pilot(db_session, forum_pilot, as_of=dt.date(2026, 8, 31))
    # pilot: København's pilot-version cases; comparison: 1.0.0 cases outside the forum (147)
    # — C1 (Ringsted) is a forum municipality, so it is in neither group.
    assert (result.candidate.received, result.comparison.received) == (4, 4)


def test_feedback_from_pilot_caseworkers_only(
    db_session: Session, users: dict[str, User], forum_pilot: Pilot
) -> None:
    sections = {"borgeren": ["beskrivelse", "kendt_i_kommunen"], "arbejdsevne": ["timer_pr_uge"]}
    kbh = _actor(db_session, users, "kbh")
    saved = add_feedback(
        db_session,
        kbh,
        forum_pilot,
        kind="uklar",
        text="Hvad tæller som kendt?",
        field_id="kendt_i_kommunen",
        known_sections=sections,
    )
    assert (saved.section_id, saved.version, saved.municipality_code) == (
        "borgeren",
        "2.0.0-pilot.1",
        101,
    )
    add_feedback(
        db_session,
        kbh,
        forum_pilot,
        kind="mangler",
        text="Felt for lægeattest",
        section_id="arbejdsevne",
    )
    assert [f.kind for f in feedback_for(db_session, forum_pilot)] == ["mangler", "uklar"]
    assert feedback_counts(db_session, forum_pilot)[("borgeren", "kendt_i_kommunen", "uklar")] == 1

    for name in ("editor", "analyst", "sp"):
        with pytest.raises(PilotError) as error:
            add_feedback(
                db_session,
                _actor(db_session, users, name),
                forum_pilot,
                kind="uklar",
                text="x",
                section_id="borgeren",
            )
        assert error.value.status == 403
    with pytest.raises(PilotError, match="findes ikke"):
        add_feedback(
            db_session,
            kbh,
            forum_pilot,
            kind="uklar",
            text="x",
            field_id="nope",
            known_sections=sections,
        )
    with pytest.raises(PilotError, match="Vælg en type"):
        add_feedback(db_session, kbh, forum_pilot, kind="vred", text="x", section_id="borgeren")
    with pytest.raises(PilotError, match="Skriv"):
        add_feedback(db_session, kbh, forum_pilot, kind="uklar", text="  ", section_id="borgeren")
