"""CSV/JSON exports of answers and findings across versions, one column per field lineage.

Each case's newest answer set is read with its version; every field is put under its lineage id
(``definitions.lineage``: the field's id in the oldest version it descends from, following the
declared migrations), so an analysis can span 1.0.0, the pilots and what follows. Findings (the
fields a first submission left empty or failed) get the same lineage id beside their own.

No CPR number leaves through an export: CPR fields are left out, and no citizen name is read.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from forms_service.cases.models import AnswerSet, Case
from forms_service.definitions.lineage import Lineage, lineage_of
from forms_service.definitions.model import FieldType, FormDefinition
from forms_service.reporting.models import FIELD_EMPTY, FIELD_FAILED, CaseFinding

CASE_COLUMNS = ("case_id", "municipality_code", "application_date", "form_version", "kind")
FINDING_COLUMNS = ("case_id", "form_version", "kind", "ref", "lineage_ref")


class DefinitionSource(Protocol):
    def versions(self, form: str) -> list[str]: ...

    def get(self, form: str, version: str) -> FormDefinition: ...


@dataclass(frozen=True)
class Export:
    columns: tuple[str, ...]
    rows: list[dict[str, Any]]

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=self.columns, lineterminator="\n")
        writer.writeheader()
        for row in self.rows:
            writer.writerow({k: _cell(row.get(k)) for k in self.columns})
        return out.getvalue()

    def to_json(self) -> str:
        return json.dumps(
            {"columns": self.columns, "rows": self.rows}, ensure_ascii=False, indent=2
        )


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


def form_lineage(registry: DefinitionSource, form: str) -> Lineage:
    return lineage_of(registry.get(form, v) for v in registry.versions(form))


def _answer_columns(lineage: Lineage) -> tuple[str, ...]:
    return tuple(c for c in lineage.columns if lineage.types.get(c) is not FieldType.CPR)


def export_answers(
    session: Session, registry: DefinitionSource, form: str, versions: Sequence[str] = ()
) -> Export:
    """Each case's newest answer set, one row per case, fields under their lineage id."""
    lineage = form_lineage(registry, form)
    columns = _answer_columns(lineage)
    newest = (
        select(AnswerSet.case_id, func.max(AnswerSet.sequence).label("sequence"))
        .group_by(AnswerSet.case_id)
        .subquery()
    )
    query = (
        select(
            Case.id,
            Case.municipality_code,
            Case.application_date,
            AnswerSet.version,
            AnswerSet.kind,
            AnswerSet.answers,
        )
        .join(AnswerSet, AnswerSet.case_id == Case.id)
        .join(
            newest,
            (newest.c.case_id == AnswerSet.case_id) & (newest.c.sequence == AnswerSet.sequence),
        )
        .where(AnswerSet.form == form)
        .order_by(Case.id)
    )
    if versions:
        query = query.where(AnswerSet.version.in_(versions))
    rows = []
    for case_id, municipality, applied, version, kind, answers in session.execute(query):
        row: dict[str, Any] = {
            "case_id": case_id,
            "municipality_code": municipality,
            "application_date": applied.isoformat() if applied else None,
            "form_version": version,
            "kind": kind,
        }
        for field_id, value in (answers or {}).items():
            key = lineage.key(version, field_id)
            if key in columns:
                row[key] = value
        rows.append(row)
    return Export(CASE_COLUMNS + columns, rows)


def export_findings(
    session: Session, registry: DefinitionSource, form: str, versions: Sequence[str] = ()
) -> Export:
    """Every finding of the first submissions, a field's with its lineage id beside its own."""
    lineage = form_lineage(registry, form)
    query = (
        select(Case.id, Case.form_version, CaseFinding.kind, CaseFinding.ref)
        .join(CaseFinding, CaseFinding.case_id == Case.id)
        .where(Case.form == form)
        .order_by(Case.id, CaseFinding.kind, CaseFinding.ref)
    )
    if versions:
        query = query.where(Case.form_version.in_(versions))
    rows: list[dict[str, Any]] = []
    for case_id, version, kind, ref in session.execute(query):
        is_field = kind in (FIELD_EMPTY, FIELD_FAILED)
        rows.append(
            {
                "case_id": case_id,
                "form_version": version,
                "kind": kind,
                "ref": ref,
                "lineage_ref": lineage.key(version, ref) if is_field else ref,
            }
        )
    return Export(FINDING_COLUMNS, rows)


def write(export: Export, fmt: str) -> str:
    return export.to_csv() if fmt == "csv" else export.to_json()
