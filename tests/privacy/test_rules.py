"""The retention rules on the day a period ends and the day before (pure)."""

from __future__ import annotations

import datetime as dt

import pytest

from forms_service.privacy.rules import CaseFacts, Rule, due, job_due
from forms_service.privacy.settings import RetentionSettings, RetentionSettingsError

SETTINGS = RetentionSettings(decided_months=60, withdrawn_months=12, draft_months=6)


def facts(**changes: object) -> CaseFacts:
    values: dict[str, object] = {
        "status": "decided",
        "outcome": "granted",
        "decided_on": dt.date(2020, 3, 15),
        "submitted": True,
        "last_draft_on": dt.date(2020, 1, 2),
        "drafts": 1,
        "anonymised": False,
        "on_hold": False,
    } | changes
    return CaseFacts(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize("outcome", ["granted", "refused"])
def test_decided_case_kept_five_years_to_the_day(outcome: str) -> None:
    case = facts(outcome=outcome)
    assert due(case, dt.date(2025, 3, 14), SETTINGS) is None
    found = due(case, dt.date(2025, 3, 15), SETTINGS)
    assert found is not None and (found.rule, found.since) == (Rule.DECIDED, dt.date(2025, 3, 15))
    assert due(case, dt.date(2025, 3, 16), SETTINGS) is not None


def test_withdrawn_case_kept_one_year() -> None:
    case = facts(outcome="withdrawn", decided_on=dt.date(2024, 2, 29))
    # from 29 February a year on is 28 February (months counted as the deadlines count them)
    assert due(case, dt.date(2025, 2, 27), SETTINGS) is None
    found = due(case, dt.date(2025, 2, 28), SETTINGS)
    assert found is not None and found.rule is Rule.WITHDRAWN


def test_drafts_of_a_never_submitted_case_kept_six_months_after_the_last_save() -> None:
    case = facts(
        status="draft_in_progress",
        outcome=None,
        decided_on=None,
        submitted=False,
        last_draft_on=dt.date(2025, 8, 31),
    )
    assert due(case, dt.date(2026, 2, 27), SETTINGS) is None
    found = due(case, dt.date(2026, 2, 28), SETTINGS)
    assert found is not None and found.rule is Rule.UNSUBMITTED_DRAFTS


def test_open_submitted_case_is_never_due() -> None:
    case = facts(status="submitted", outcome=None, decided_on=None)
    assert due(case, dt.date(2040, 1, 1), SETTINGS) is None


def test_case_without_drafts_has_nothing_to_remove() -> None:
    case = facts(
        status="sent_to_municipality",
        outcome=None,
        decided_on=None,
        submitted=False,
        drafts=0,
        last_draft_on=None,
    )
    assert due(case, dt.date(2040, 1, 1), SETTINGS) is None


def test_hold_and_done_stop_every_rule() -> None:
    assert due(facts(on_hold=True), dt.date(2040, 1, 1), SETTINGS) is None
    assert due(facts(anonymised=True), dt.date(2040, 1, 1), SETTINGS) is None


def test_document_jobs_after_thirty_days() -> None:
    finished = dt.date(2026, 1, 1)
    assert not job_due(finished, dt.date(2026, 1, 30), SETTINGS)
    assert job_due(finished, dt.date(2026, 1, 31), SETTINGS)


def test_settings_from_config_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORMS_SERVICE_RETENTION_WITHDRAWN_MONTHS", "18")
    settings = RetentionSettings.from_config({"RETENTION_DECIDED_MONTHS": "120"})
    assert (settings.decided_months, settings.withdrawn_months, settings.draft_months) == (
        120,
        18,
        6,
    )
    with pytest.raises(RetentionSettingsError, match="RETENTION_DRAFT_MONTHS"):
        RetentionSettings.from_config({"RETENTION_DRAFT_MONTHS": "0"})
    with pytest.raises(RetentionSettingsError, match="helt tal"):
        RetentionSettings.from_config({"RETENTION_DRAFT_MONTHS": "seks"})
