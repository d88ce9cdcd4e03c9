"""Carrying an answers document over to another version of its form (pure core).

Answers are matched by field id, following the new version's ``migrations`` block (a renamed
field, translated option values, a type change declared on purpose). Nothing is dropped
silently: every answered value that cannot be carried over is listed with its path, the old
question's label, the value and a Danish reason, so the caseworker can re-enter it.

Values are carried as stored (the JSON of the answers document); a value is only converted when
the new version declares a type change for the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from forms_service.answers.coerce import CoercionError, coerce_value, is_empty
from forms_service.definitions.model import Field, FieldMigration, FieldType, FormDefinition

_STRINGS = frozenset({FieldType.TEXT, FieldType.TEXTAREA, FieldType.CPR})


@dataclass(frozen=True, slots=True)
class NotCarried:
    """One answered value the new version has no place for."""

    path: str  # in the old answers document, e.g. "helbredsdokumenter[0].beskrivelse"
    label: str  # the question as the old version asked it
    value: Any
    reason: str  # Danish, shown to the caseworker

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "label": self.label, "value": self.value, "reason": self.reason}


@dataclass(frozen=True)
class MigrationResult:
    answers: dict[str, Any]
    carried: list[str]  # paths in the new document (top-level ids, "id[i]" for partial rows)
    not_carried: list[NotCarried]
    from_ref: str = ""
    to_ref: str = ""
    renamed: dict[str, str] = field(default_factory=dict)  # old id → new id

    @property
    def complete(self) -> bool:
        return not self.not_carried

    def to_dict(self) -> dict[str, Any]:
        return {
            "from": self.from_ref,
            "to": self.to_ref,
            "answers": self.answers,
            "carried": list(self.carried),
            "not_carried": [n.to_dict() for n in self.not_carried],
            "renamed": dict(self.renamed),
        }


class _Migrator:
    def __init__(self, old: FormDefinition, new: FormDefinition) -> None:
        self.old, self.new = old, new
        self.migrations: dict[str, FieldMigration] = {m.field: m for m in new.migrations}
        self.lost: list[NotCarried] = []
        # the old id each new field takes its answer from
        self.source_of: dict[str, str] = {}
        for _section, f in new.iter_fields():
            migration = self.migrations.get(f.id)
            source = f.id
            if migration and migration.renamed_from and old.field(migration.renamed_from):
                source = migration.renamed_from
            self.source_of[f.id] = source
        self.target_of = {source: target for target, source in self.source_of.items()}

    def lose(self, path: str, label: str, value: Any, reason: str) -> None:
        self.lost.append(NotCarried(path, label, value, reason))

    def run(self, answers: Mapping[str, Any]) -> MigrationResult:
        out: dict[str, Any] = {}
        carried: list[str] = []
        renamed: dict[str, str] = {}
        new_ref = self.new.ref
        for key, value in answers.items():
            if is_empty(value):
                continue
            old_field = self.old.field(key)
            if old_field is None:
                self.lose(key, key, value, f"feltet findes ikke i {self.old.ref}")
                continue
            target_id = self.target_of.get(key)
            new_field = self.new.field(target_id) if target_id else None
            if new_field is None:
                self.lose(key, old_field.label, value, f"spørgsmålet findes ikke i {new_ref}")
                continue
            converted = self.convert(old_field, new_field, value, key, old_field.label)
            if converted is _LOST:
                continue
            out[new_field.id] = converted
            carried.append(new_field.id)
            if new_field.id != key:
                renamed[key] = new_field.id
        return MigrationResult(out, carried, self.lost, self.old.ref, self.new.ref, renamed)

    def convert(self, old: Field, new: Field, value: Any, path: str, label: str) -> Any:
        migration = self.migrations.get(new.id) if path == self.source_of.get(new.id) else None
        if old.type is not new.type:
            declared = migration is not None and migration.type_change == (
                f"{old.type.value}->{new.type.value}"
            )
            if not declared:
                self.lose(
                    path,
                    label,
                    value,
                    f"svartypen er ændret fra {old.type.value} til {new.type.value} i "
                    f"{self.new.ref} uden en erklæret migrering",
                )
                return _LOST
            changed = _change_type(old.type, new.type, value)
            if changed is _LOST:
                self.lose(
                    path,
                    label,
                    value,
                    f"svaret kan ikke omsættes fra {old.type.value} til {new.type.value}",
                )
                return _LOST
            value = changed
        option_map = dict(migration.option_map) if migration else {}
        if new.type is FieldType.REPEAT:
            return self.rows(old, new, value, path, label)
        if new.type is FieldType.CHOICE and isinstance(value, str):
            value = option_map.get(value, value)
        if new.type is FieldType.MULTICHOICE and isinstance(value, list):
            kept = []
            for index, item in enumerate(value):
                item = option_map.get(item, item) if isinstance(item, str) else item
                if new.option_label(item) is None:
                    self.lose(
                        f"{path}[{index}]",
                        label,
                        item,
                        f"svarmuligheden '{item}' findes ikke i {self.new.ref}",
                    )
                else:
                    kept.append(item)
            return kept if kept else _LOST
        try:
            coerce_value(new, value)
        except CoercionError as error:
            reason = (
                f"svarmuligheden '{value}' findes ikke i {self.new.ref}"
                if error.code == "choice" and isinstance(value, str)
                else f"svaret passer ikke til spørgsmålet i {self.new.ref} ({error.code})"
            )
            self.lose(path, label, value, reason)
            return _LOST
        return value

    def rows(self, old: Field, new: Field, value: Any, path: str, label: str) -> Any:
        if not isinstance(value, list):
            self.lose(path, label, value, "svaret er ikke en liste af rækker")
            return _LOST
        rows: list[dict[str, Any]] = []
        for index, row in enumerate(value):
            row_path = f"{path}[{index}]"
            row_label = f"{label}, række {index + 1}"
            if not isinstance(row, Mapping):
                self.lose(row_path, row_label, row, "rækken er ikke et objekt")
                continue
            out: dict[str, Any] = {}
            for key, cell in row.items():
                if is_empty(cell):
                    continue
                old_sub = old.subfield(key)
                new_sub = new.subfield(key)
                cell_label = f"{row_label}: {old_sub.label if old_sub else key}"
                if old_sub is None:
                    reason = f"feltet findes ikke i {self.old.ref}"
                    self.lose(f"{row_path}.{key}", cell_label, cell, reason)
                    continue
                if new_sub is None:
                    reason = f"spørgsmålet findes ikke i {self.new.ref}"
                    self.lose(f"{row_path}.{key}", cell_label, cell, reason)
                    continue
                converted = self.convert(old_sub, new_sub, cell, f"{row_path}.{key}", cell_label)
                if converted is not _LOST:
                    out[key] = converted
            if out:
                rows.append(out)
        return rows if rows else _LOST


class _Lost:
    def __repr__(self) -> str:
        return "<not carried>"


_LOST: Any = _Lost()


def _change_type(old: FieldType, new: FieldType, value: Any) -> Any:
    """A declared type change: the value in the new type, or ``_LOST`` when it has none."""
    if new in _STRINGS and old in _STRINGS:
        return value if isinstance(value, str) else _LOST
    if new in (FieldType.TEXT, FieldType.TEXTAREA):
        if isinstance(value, bool):
            return "Ja" if value else "Nej"
        if isinstance(value, int | float | str):
            return str(value)
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return ", ".join(value)
        return _LOST
    if old is FieldType.INTEGER and new is FieldType.NUMBER:
        return value
    if old is FieldType.NUMBER and new is FieldType.INTEGER:
        if isinstance(value, int | float) and float(value).is_integer():
            return int(value)
        return _LOST
    if old is FieldType.CHOICE and new is FieldType.MULTICHOICE:
        return [value] if isinstance(value, str) else _LOST
    if old is FieldType.MULTICHOICE and new is FieldType.CHOICE:
        return value[0] if isinstance(value, list) and len(value) == 1 else _LOST
    return _LOST


def migrate_answers(
    old_def: FormDefinition, new_def: FormDefinition, answers: Mapping[str, Any]
) -> MigrationResult:
    """``answers`` of ``old_def`` as an answers document of ``new_def``, and what was lost."""
    return _Migrator(old_def, new_def).run(answers)


__all__ = ["MigrationResult", "NotCarried", "migrate_answers"]
