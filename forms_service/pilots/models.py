"""Tables of pilots, their municipalities and feedback.

The per-case figures the reports aggregate are ``forms_service.reporting.models``. The schema
is owned by the Alembic migration ``0002_pilots_reporting``.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forms_service.cases.models import Base, UtcDateTime, utcnow

# Roles of a municipality in a pilot.
PILOT = "pilot"
COMPARISON = "comparison"

# Comparison group of a pilot.
ALL_OTHERS = "all_others"
NAMED = "named"

# Feedback kinds.
FEEDBACK_KINDS: dict[str, str] = {"uklar": "Uklar", "mangler": "Mangler", "andet": "Andet"}


class Pilot(Base):
    __tablename__ = "pilots"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    form: Mapped[str] = mapped_column(String(100))
    candidate_version: Mapped[str] = mapped_column(String(50))
    comparison_version: Mapped[str] = mapped_column(String(50))
    comparison_scope: Mapped[str] = mapped_column(String(16))  # ALL_OTHERS | NAMED
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    description: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)

    municipalities: Mapped[list[PilotMunicipality]] = relationship(
        back_populates="pilot",
        cascade="all, delete-orphan",
        order_by="PilotMunicipality.municipality_code",
    )

    @property
    def pilot_codes(self) -> list[int]:
        return [m.municipality_code for m in self.municipalities if m.role == PILOT]

    @property
    def comparison_codes(self) -> list[int]:
        return [m.municipality_code for m in self.municipalities if m.role == COMPARISON]


class PilotMunicipality(Base):
    __tablename__ = "pilot_municipalities"
    __table_args__ = (UniqueConstraint("pilot_id", "municipality_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id", ondelete="CASCADE"))
    municipality_code: Mapped[int] = mapped_column(Integer, index=True)
    role: Mapped[str] = mapped_column(String(16))  # PILOT | COMPARISON

    pilot: Mapped[Pilot] = relationship(back_populates="municipalities")


# What a running pilot's group gets when a new version of its form is published.
KEEP = "keep"
SWITCH = "switch"
CHOICES: dict[str, str] = {KEEP: "beholder den registrerede version", SWITCH: "skifter til den nye"}


class PilotVersionChoice(Base):
    """The editor's answer, at a publish, to what a running pilot's group gets (issue 19)."""

    __tablename__ = "pilot_version_choices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pilot_id: Mapped[int] = mapped_column(ForeignKey("pilots.id", ondelete="CASCADE"), index=True)
    published_version: Mapped[str] = mapped_column(String(50))
    group: Mapped[str] = mapped_column(String(16))  # PILOT | COMPARISON
    choice: Mapped[str] = mapped_column(String(16))  # KEEP | SWITCH
    previous_version: Mapped[str] = mapped_column(String(50))
    decided_by_name: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)


class PilotFeedback(Base):
    __tablename__ = "pilot_feedback"
    __table_args__ = (Index("ix_pilot_feedback_form_version", "form", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pilot_id: Mapped[int | None] = mapped_column(
        ForeignKey("pilots.id", ondelete="SET NULL"), index=True
    )
    form: Mapped[str] = mapped_column(String(100))
    version: Mapped[str] = mapped_column(String(50))
    section_id: Mapped[str | None] = mapped_column(String(100))
    field_id: Mapped[str | None] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(16))  # a key of FEEDBACK_KINDS
    text: Mapped[str] = mapped_column(Text)
    municipality_code: Mapped[int | None] = mapped_column(Integer)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    author_name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=utcnow)
