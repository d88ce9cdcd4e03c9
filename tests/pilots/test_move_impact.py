"""The predicted impact of ending a pilot (issue 19), checked against moving the cases for real,
and recorded with the move."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from forms_service.answers.evaluate import evaluate
from forms_service.cases.audit import entries_for_case
from forms_service.cases.models import AuditEntry, Case, User
from forms_service.cases.version_move import MOVE_ACTION
from forms_service.completeness.engine import evaluate_completeness_for
from forms_service.definitions.registry import Registry
from forms_service.pilots.ending import END_ACTION, end_pilot
from forms_service.pilots.move_impact import predict_pilot_ending
from tests.pilots.test_ending import AFTER, FORM, PERIOD, V1, V2, _actor, _history, bundled

__all__ = ["bundled"]  # the fixture, used by name


def _statuses(registry: Registry, case: Case) -> dict[str, str]:
    """The criteria of the case's latest answers under their version (none: the case's)."""
    latest = case.answer_sets[-1] if case.answer_sets else None
    version = latest.version if latest else case.form_version
    definition = registry.get(case.form, version)
    answers = dict(latest.answers) if latest else {}
    report = evaluate_completeness_for(evaluate(definition, answers, today=AFTER))
    return {c.id: c.status.value for c in report.criteria}


def test_the_prediction_matches_the_real_move_and_is_recorded(
    db_session: Session, users: dict[str, User], bundled: Registry
) -> None:
    pilot, ids = _history(db_session, users, bundled, PERIOD)
    before = {
        name: _statuses(bundled, db_session.get(Case, ids[name]))  # type: ignore[arg-type]
        for name in ("draft", "returned", "empty")
    }
    prediction = predict_pilot_ending(
        db_session, bundled, FORM, V2, V1, pilot.pilot_codes, today=AFTER
    )
    # the open cases of the pilot municipalities on the pilot version: not the submitted one,
    # not the case of a municipality outside the pilot
    assert prediction.checked == 3 and prediction.from_versions == (V2,)
    predicted = {a.case.case_number: a.impact for a in prediction.affected}
    assert sorted(predicted) == ["SP-END-DRAFT", "SP-END-EMPTY", "SP-END-RETURNED"]
    assert prediction.losing_answers == 2  # the empty case has no answers to lose

    result = end_pilot(
        db_session, pilot.id, V1, started_by=_actor(db_session, users, "editor"),
        registry=bundled, today=AFTER,
    )  # fmt: skip
    db_session.expire_all()
    for move in result.moved:
        impact = predicted.get(move.case_number)
        assert [n.path for n in move.not_carried] == (
            [n.path for n in impact.lost] if impact else []
        )
    # each predicted change of a criterion's status is what the moved answers show under V1
    for name in ("draft", "returned", "empty"):
        number = f"SP-END-{name.upper()}"
        after = _statuses(bundled, db_session.get(Case, ids[name]))  # type: ignore[arg-type]
        changed = {c.id: (c.before, c.after) for c in predicted[number].changes
                   if c.kind == "criterion"}  # fmt: skip
        actual = {
            key: (before[name].get(key), after.get(key))
            for key in set(before[name]) | set(after)
            if before[name].get(key) != after.get(key)
        }
        assert changed == actual

    ended = db_session.scalars(select(AuditEntry).where(AuditEntry.action == END_ACTION)).one()
    assert ended.details["predicted"] == prediction.summary()
    assert ended.details["predicted"]["checked"] == 3
    move = next(e for e in entries_for_case(db_session, ids["draft"]) if e.action == MOVE_ACTION)
    assert move.details["predicted"]["lost"] == len(predicted["SP-END-DRAFT"].lost) == 7
    empty = next(e for e in entries_for_case(db_session, ids["empty"]) if e.action == MOVE_ACTION)
    assert empty.details["predicted"] == prediction.for_case(ids["empty"])
    assert empty.details["predicted"]["lost"] == 0
