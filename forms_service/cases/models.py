"""SQLAlchemy models of the case store.

The schema itself is owned by the Alembic migrations in ``forms_service/migrations``; these
models must agree with them (a test compares the migrated schema with the metadata).

Rules carried by the schema:
- ``answer_sets`` rows are never updated: every save is a new row with its own sequence number.
- ``form_versions`` rows are never changed: a version's hash is fixed when first registered.
- ``audit_log`` is append-only (the mapper refuses updates and deletes) and holds no CPR.
- personal data is encrypted at rest (``forms_service.cases.encrypted`` types: the CPR number,
  the citizen's name, notes and reasons, whole answer sets and completeness reports); the CPR
  number is found through ``cpr_index``, its keyed blind index, set from ``cpr`` on insert.
- ``cases.revision`` is the optimistic-locking counter (SQLAlchemy ``version_id_col``): every
  update of a case row is ``... WHERE revision = <the revision read>``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    event,
    inspect,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from forms_service.cases import crypto
from forms_service.cases.encrypted import EncryptedJSON, EncryptedText

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UtcDateTime(TypeDecorator[dt.datetime]):
    """Timezone-aware UTC timestamps on both SQLite (which drops the zone) and PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(32))
    municipality_code: Mapped[int | None] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
    # Set at every sign-in (password or identity provider): 'forms-service sso unseen' reads it.
    last_login_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # sha256 of the token: tokens are long random strings, so an unsalted hash is enough and
    # lets us look the token up by its hash.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())

    user: Mapped[User] = relationship()


class FormVersion(Base):
    __tablename__ = "form_versions"
    __table_args__ = (UniqueConstraint("form", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    form: Mapped[str] = mapped_column(String(100))
    version: Mapped[str] = mapped_column(String(50))
    content_hash: Mapped[str] = mapped_column(String(64))
    registered_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)


class VersionSchedule(Base):
    """When a version published in the editor is in force (``definitions.in_force``).

    Bundled versions keep theirs in ``form_definitions/<form>/in-force.toml``. A row changes only
    while its version is not yet in force (``cases.in_force.set_schedule``, audited).
    """

    __tablename__ = "definition_schedules"
    __table_args__ = (UniqueConstraint("form", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    form: Mapped[str] = mapped_column(String(100))
    version: Mapped[str] = mapped_column(String(50))
    in_force_from: Mapped[dt.date | None] = mapped_column(Date)
    in_force_until: Mapped[dt.date | None] = mapped_column(Date)
    decided_by: Mapped[str] = mapped_column(String(32))
    set_by_name: Mapped[str] = mapped_column(String(200))
    set_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)


class Case(Base):
    __tablename__ = "cases"
    __table_args__ = (
        # The municipal caseworker's list: own municipality, a status, by deadline.
        Index(
            "ix_cases_municipality_status_deadline",
            "municipality_code",
            "status",
            "municipality_deadline",
            "id",
        ),
        Index("ix_cases_municipality_deadline", "municipality_code", "municipality_deadline", "id"),
        # Seniorpension's list: a status, by decision deadline.
        Index("ix_cases_status_decision_deadline", "status", "decision_deadline", "id"),
        Index("ix_cases_decision_deadline", "decision_deadline", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_number: Mapped[str] = mapped_column(String(40), unique=True)
    cpr: Mapped[str] = mapped_column(EncryptedText(sqlite_length=10))
    # HMAC of the CPR number (crypto.blind_index): the one way to find a citizen's cases
    cpr_index: Mapped[str | None] = mapped_column(
        String(64), index=True, default=lambda context: _cpr_index(context)
    )
    citizen_name: Mapped[str] = mapped_column(EncryptedText(sqlite_length=200))
    application_date: Mapped[dt.date] = mapped_column(Date)
    municipality_code: Mapped[int] = mapped_column(Integer)
    request_date: Mapped[dt.date | None] = mapped_column(Date)
    form: Mapped[str] = mapped_column(String(100))
    form_version: Mapped[str] = mapped_column(String(50))
    status: Mapped[str] = mapped_column(String(32))
    decision_outcome: Mapped[str | None] = mapped_column(String(16))
    municipality_deadline: Mapped[dt.date | None] = mapped_column(Date)
    decision_deadline: Mapped[dt.date] = mapped_column(Date)
    assignment_note: Mapped[str | None] = mapped_column(EncryptedText())
    revision: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
    # set by a retention run (forms_service.privacy): the citizen's data is gone, the case's
    # dates, status and reporting facts stay
    anonymised_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())

    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="case", order_by="CaseEvent.id", cascade="all, delete-orphan"
    )
    answer_sets: Mapped[list[AnswerSet]] = relationship(
        back_populates="case", order_by="AnswerSet.sequence", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": revision}  # noqa: RUF012


class CaseEvent(Base):
    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(32))
    to_status: Mapped[str] = mapped_column(String(32))
    outcome: Mapped[str | None] = mapped_column(String(16))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor_name: Mapped[str] = mapped_column(String(200))
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
    reason: Mapped[str | None] = mapped_column(EncryptedText())
    # a return: the field ids the municipality is asked to add to (form order)
    requested_fields: Mapped[list[str] | None] = mapped_column(JSON)

    case: Mapped[Case] = relationship(back_populates="events")


class AnswerSet(Base):
    __tablename__ = "answer_sets"
    __table_args__ = (UniqueConstraint("case_id", "sequence"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    sequence: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))  # "draft" | "submission"
    form: Mapped[str] = mapped_column(String(100))
    version: Mapped[str] = mapped_column(String(50))
    content_hash: Mapped[str] = mapped_column(String(64))
    answers: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON())
    completeness: Mapped[dict[str, Any] | None] = mapped_column(EncryptedJSON())
    case_revision: Mapped[int] = mapped_column(Integer)  # the case revision this save created
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_by_name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)

    case: Mapped[Case] = relationship(back_populates="answer_sets")


class AuditEntry(Base):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_case_id_at", "case_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow, index=True)
    # No foreign keys: the log outlives users and cases and is never rewritten.
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    case_id: Mapped[int | None] = mapped_column(Integer)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class EffortEvent(Base):
    """One step of the work on a case's form: ids of sections and fields, never an answer.

    Kinds are ``forms_service.cases.effort.KINDS``; ``seconds`` is the time a section was open.
    """

    __tablename__ = "effort_events"
    __table_args__ = (
        Index("ix_effort_events_case_id_at", "case_id", "at"),
        # one kind of event of many cases at a time, without the table (pilots.effort): 0016
        Index(
            "ix_effort_events_case_id_kind",
            "case_id",
            "kind",
            "section_id",
            "seconds",
            "field_id",
            "at",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    form: Mapped[str] = mapped_column(String(100))
    form_version: Mapped[str] = mapped_column(String(50))
    kind: Mapped[str] = mapped_column(String(32))
    section_id: Mapped[str | None] = mapped_column(String(100))
    field_id: Mapped[str | None] = mapped_column(String(100))
    seconds: Mapped[int | None] = mapped_column(Integer)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)


class LoginAttempt(Base):
    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_key_at", "username", "ip", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    ip: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
    success: Mapped[bool] = mapped_column(Boolean)


class LoginSession(Base):
    """A login session on the server: the browser's cookie holds only its random id, so
    logout, a password change or a deactivation ends it whatever the cookie says."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # sha256 of the random id in the cookie (a stolen database gives no usable cookie)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    provider: Mapped[str] = mapped_column(String(32), default="local")
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())
    end_reason: Mapped[str | None] = mapped_column(String(32))


def _cpr_index(context: Any) -> str | None:
    cpr = context.get_current_parameters().get("cpr")
    return crypto.blind_index(cpr) if cpr else None


@event.listens_for(Case, "before_update")
def _reindex_changed_cpr(_mapper: object, _connection: object, case: Case) -> None:
    # a CPR number corrected (or removed by retention) keeps its index in step
    history = inspect(case).attrs.cpr.history
    if history.has_changes():
        case.cpr_index = crypto.blind_index(case.cpr) if case.cpr else None


class EncryptionKey(Base):
    """A key the database has data under, recognised by a check value (never the key):
    a wrong key is refused at start instead of failing on the first read. ``purpose`` is
    ``data`` (the check is an envelope of a known text) or ``index`` (an HMAC of it).
    ``retired_at``: 'keys rotate' found nothing left under the key; it may leave the ring."""

    __tablename__ = "encryption_keys"

    key_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    purpose: Mapped[str] = mapped_column(String(16))
    check_value: Mapped[str] = mapped_column(Text)
    added_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
    retired_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime())


@event.listens_for(AuditEntry, "before_update")
def _refuse_audit_update(*_: object) -> None:
    raise RuntimeError("the audit log is append-only")


@event.listens_for(AuditEntry, "before_delete")
def _refuse_audit_delete(*_: object) -> None:
    raise RuntimeError("the audit log is append-only")
