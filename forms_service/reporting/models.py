"""Tables of the per-case figures the reports aggregate, and their daily roll-ups.

``case_metrics`` holds, one row per case, the facts that otherwise sit spread over
``answer_sets`` (JSON), ``case_events`` and the answers: when the first submission came, whether
it was sufficiently informed, how many times the case was returned, when it was decided. The
rows are kept current by the listener in ``forms_service.pilots.tracking`` (registered by the
app factory and the CLI) and can be rebuilt from the source tables (``rebuild_case_metrics``),
so reports are plain aggregate queries over two narrow tables instead of JSON parsing over
every stored answer set.

The schema is owned by the Alembic migrations ``0002_pilots_reporting`` and
``0005_reporting_rollups``.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from forms_service.cases.models import Base, Case

# Kinds of finding recorded from a case's first submission.
CRITERION_MISSING = "criterion_missing"
CRITERION_INSUFFICIENT = "criterion_insufficient"
FIELD_EMPTY = "field_empty"
FIELD_FAILED = "field_failed"


# The case's own columns that case_metrics carries, kept in step by the listener.
COPIED_COLUMNS = (
    "application_date",
    "municipality_code",
    "form",
    "form_version",
    "status",
    "decision_outcome",
    "request_date",
    "municipality_deadline",
    "decision_deadline",
)


def days(later: dt.date | None, earlier: dt.date | None) -> int | None:
    return (later - earlier).days if later is not None and earlier is not None else None


class CaseMetrics(Base):
    """The reporting facts of one case (no CPR, no names: analysts' queries read this).

    The case's own columns that reports filter and group by are copied here (kept in step by
    the listener), so a report scans this narrow table alone instead of joining the wide
    ``cases`` rows: on a million cases that is the difference between seconds and a fraction.
    """

    __tablename__ = "case_metrics"
    __table_args__ = (
        Index("ix_case_metrics_first_submitted_on", "first_submitted_on"),
        Index("ix_case_metrics_application_date", "application_date", "municipality_code"),
        Index("ix_case_metrics_form_version_date", "form", "form_version", "application_date"),
        # the pilot measures' histograms of returns and days to submission: read in group
        # order from this index alone
        Index(
            "ix_case_metrics_submitted",
            "form",
            "form_version",
            "returns",
            "submission_days",
            "application_date",
            "municipality_code",
            sqlite_where=text("first_submitted_on IS NOT NULL"),
            postgresql_where=text("first_submitted_on IS NOT NULL"),
        ),
        # the roll-up's correction reads only the cases not yet settled on the report date
        Index("ix_case_metrics_settles_on", "settles_on", "application_date"),
        # decision-time histograms read this index alone, in decision_days order (no sort)
        Index(
            "ix_case_metrics_decisions",
            "status",
            "decision_days",
            "application_date",
            "municipality_code",
            "form",
            "form_version",
            "decision_outcome",
            "decided_on",
        ),
    )

    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    # copies of the case (see the class docstring)
    application_date: Mapped[dt.date | None] = mapped_column(Date)
    municipality_code: Mapped[int | None] = mapped_column(Integer)
    form: Mapped[str | None] = mapped_column(String(100))
    form_version: Mapped[str | None] = mapped_column(String(50))
    status: Mapped[str | None] = mapped_column(String(32))
    decision_outcome: Mapped[str | None] = mapped_column(String(16))
    request_date: Mapped[dt.date | None] = mapped_column(Date)
    municipality_deadline: Mapped[dt.date | None] = mapped_column(Date)
    decision_deadline: Mapped[dt.date | None] = mapped_column(Date)
    # whole days: request → first submission, application → decision
    submission_days: Mapped[int | None] = mapped_column(Integer)
    decision_days: Mapped[int | None] = mapped_column(Integer)
    pilot_id: Mapped[int | None] = mapped_column(
        ForeignKey("pilots.id", ondelete="SET NULL"), index=True
    )
    first_submitted_on: Mapped[dt.date | None] = mapped_column(Date)
    # the completeness report of the first submission said "sufficiently informed"
    sufficient_at_submission: Mapped[bool | None] = mapped_column(Boolean)
    # answer "kendt_i_kommunen" of the first submission (None: not answered)
    known_citizen: Mapped[bool | None] = mapped_column(Boolean)
    returns: Mapped[int] = mapped_column(Integer, default=0)
    drafts: Mapped[int] = mapped_column(Integer, default=0)
    submissions: Mapped[int] = mapped_column(Integer, default=0)
    decided_on: Mapped[dt.date | None] = mapped_column(Date)
    # from this date on every date comparison the reports make against a report date ``as_of``
    # comes out as it will stay: cases with ``settles_on <= as_of`` are counted from the
    # roll-up as they are; the others are corrected row by row (see ``reporting.rollup``)
    settles_on: Mapped[dt.date | None] = mapped_column(Date)


class StatusDaily(Base):
    """Roll-up: per application day × municipality × form version × known citizen, the counts
    of ``reporting.rollup.ROLLUP_KEYS`` as they stand once every date has passed.

    Kept by the same listener as ``case_metrics`` (subtract a case's old contribution, add the
    new one) and rebuilt by ``reporting.rollup.rebuild``.
    """

    __tablename__ = "status_daily"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    municipality_code: Mapped[int] = mapped_column(Integer, primary_key=True)
    form: Mapped[str] = mapped_column(String(100), primary_key=True)
    form_version: Mapped[str] = mapped_column(String(50), primary_key=True)
    known: Mapped[int] = mapped_column(Integer, primary_key=True)  # 1 yes, 0 no, 2 not answered
    received: Mapped[int] = mapped_column(Integer, default=0)
    submitted: Mapped[int] = mapped_column(Integer, default=0)
    waiting: Mapped[int] = mapped_column(Integer, default=0)
    waiting_overdue: Mapped[int] = mapped_column(Integer, default=0)
    municipal_due: Mapped[int] = mapped_column(Integer, default=0)
    municipal_kept: Mapped[int] = mapped_column(Integer, default=0)
    late: Mapped[int] = mapped_column(Integer, default=0)
    sufficient: Mapped[int] = mapped_column(Integer, default=0)
    not_sufficient: Mapped[int] = mapped_column(Integer, default=0)
    returned: Mapped[int] = mapped_column(Integer, default=0)
    decided: Mapped[int] = mapped_column(Integer, default=0)
    decision_kept: Mapped[int] = mapped_column(Integer, default=0)
    decision_due: Mapped[int] = mapped_column(Integer, default=0)
    open_overdue: Mapped[int] = mapped_column(Integer, default=0)
    returns_total: Mapped[int] = mapped_column(Integer, default=0)
    with_drafts: Mapped[int] = mapped_column(Integer, default=0)
    drafts_abandoned: Mapped[int] = mapped_column(Integer, default=0)
    measure_municipal_due: Mapped[int] = mapped_column(Integer, default=0)
    measure_decision_due: Mapped[int] = mapped_column(Integer, default=0)


class FindingDaily(Base):
    """Roll-up of ``case_findings``: per application day × municipality × version × finding."""

    __tablename__ = "finding_daily"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    municipality_code: Mapped[int] = mapped_column(Integer, primary_key=True)
    form: Mapped[str] = mapped_column(String(100), primary_key=True)
    form_version: Mapped[str] = mapped_column(String(50), primary_key=True)
    kind: Mapped[str] = mapped_column(String(24), primary_key=True)
    ref: Mapped[str] = mapped_column(String(200), primary_key=True)
    n: Mapped[int] = mapped_column(Integer, default=0)


class CaseFinding(Base):
    """A criterion or field the first submission left missing or insufficient."""

    __tablename__ = "case_findings"
    __table_args__ = (Index("ix_case_findings_case_id_kind_ref", "case_id", "kind", "ref"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(24))
    ref: Mapped[str] = mapped_column(String(200))  # criterion id or field id


# Reporting filters by application date (period) and version; the case table's own indexes
# serve the caseworkers' lists. Declared here so the cases model stays untouched.
Index(
    "ix_cases_application_date_municipality",
    Case.__table__.c.application_date,
    Case.__table__.c.municipality_code,
)
Index(
    "ix_cases_form_version_application_date",
    Case.__table__.c.form,
    Case.__table__.c.form_version,
    Case.__table__.c.application_date,
)
