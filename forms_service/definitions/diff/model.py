"""The diff's result: plain dataclasses (``to_dict()`` for JSON), so the CLI, the editor and
the pilot pages render the same facts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from forms_service.definitions.diff.words import WordSegment, render_word_diff

# "moved": only its place changed; "changed" may also have moved (see ``moved``)
Status = Literal["added", "removed", "moved", "changed"]


@dataclass(frozen=True, slots=True)
class Change:
    """One attribute whose value differs; ``words`` is set for prose (labels, guidance)."""

    attribute: str
    old: Any
    new: Any
    words: tuple[WordSegment, ...] | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"attribute": self.attribute, "old": self.old, "new": self.new}
        if self.words is not None:
            out["word_diff"] = render_word_diff(self.words)
            out["words"] = [s.to_dict() for s in self.words]
        return out


@dataclass(frozen=True, slots=True)
class OptionChange:
    value: str
    status: Literal["added", "removed", "relabelled", "hint_changed"]
    old_label: str | None = None
    new_label: str | None = None
    old_hint: str | None = None
    new_hint: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"value": self.value, "status": self.status}
        if self.status in ("removed", "relabelled"):
            out["old_label"] = self.old_label
        if self.status in ("added", "relabelled"):
            out["new_label"] = self.new_label
        if self.status == "hint_changed":
            out["old_hint"], out["new_hint"] = self.old_hint, self.new_hint
        return out


@dataclass(frozen=True)
class FieldDiff:
    """A field (or a repeat group's sub-field) that was added, removed, moved or changed."""

    id: str
    status: Status
    type: str
    label: str
    old_section: str | None = None
    new_section: str | None = None
    old_position: int | None = None
    new_position: int | None = None
    moved: bool = False
    changes: tuple[Change, ...] = ()
    options: tuple[OptionChange, ...] = ()
    options_reordered: bool = False
    subfields: tuple[FieldDiff, ...] = ()
    # its label or rules changed while its guidance text stayed word for word the same
    guidance_may_be_stale: bool = False
    # the type changed and the new version declares no migration for it
    type_change_without_migration: bool = False
    # the old id, when the new version's migrations say the field was renamed
    renamed_from: str | None = None

    @property
    def moved_section(self) -> bool:
        return self.moved and self.old_section != self.new_section

    def change(self, attribute: str) -> Change | None:
        return next((c for c in self.changes if c.attribute == attribute), None)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "status": self.status,
            "type": self.type,
            "label": self.label,
            "old_section": self.old_section,
            "new_section": self.new_section,
            "old_position": self.old_position,
            "new_position": self.new_position,
            "moved": self.moved,
            "changes": [c.to_dict() for c in self.changes],
            "options": [o.to_dict() for o in self.options],
            "options_reordered": self.options_reordered,
            "subfields": [s.to_dict() for s in self.subfields],
            "guidance_may_be_stale": self.guidance_may_be_stale,
            "type_change_without_migration": self.type_change_without_migration,
            "renamed_from": self.renamed_from,
        }
        return out


@dataclass(frozen=True)
class SectionDiff:
    """A section with its own changes and the field changes shown under it.

    A field that moved between sections is listed under its new section; a removed field under
    the section it was removed from.
    """

    id: str
    title: str
    status: Status | Literal["unchanged"]
    old_position: int | None = None
    new_position: int | None = None
    moved: bool = False
    changes: tuple[Change, ...] = ()
    fields: tuple[FieldDiff, ...] = ()

    def field(self, field_id: str) -> FieldDiff | None:
        return next((f for f in self.fields if f.id == field_id), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "status": self.status,
            "old_position": self.old_position,
            "new_position": self.new_position,
            "moved": self.moved,
            "changes": [c.to_dict() for c in self.changes],
            "fields": [f.to_dict() for f in self.fields],
        }


@dataclass(frozen=True)
class ItemDiff:
    """A computed value, cross-field check, criterion (with its checks) or migration."""

    id: str
    status: Status
    changes: tuple[Change, ...] = ()
    checks: tuple[ItemDiff, ...] = ()  # a criterion's checks, by position label "checks[i]"
    summary: str | None = None  # the expression or title, for added and removed items

    def change(self, attribute: str) -> Change | None:
        return next((c for c in self.changes if c.attribute == attribute), None)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "status": self.status,
            "changes": [c.to_dict() for c in self.changes],
        }
        if self.summary is not None:
            out["summary"] = self.summary
        if self.checks:
            out["checks"] = [c.to_dict() for c in self.checks]
        return out


@dataclass(frozen=True)
class DefinitionDiff:
    old_ref: str
    new_ref: str
    old_hash: str
    new_hash: str
    form: tuple[Change, ...] = ()
    sections: tuple[SectionDiff, ...] = ()
    computed: tuple[ItemDiff, ...] = ()
    checks: tuple[ItemDiff, ...] = ()
    completeness: tuple[ItemDiff, ...] = ()
    migrations: tuple[ItemDiff, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (
            self.form
            or any(s.status != "unchanged" or s.fields for s in self.sections)
            or self.computed
            or self.checks
            or self.completeness
            or self.migrations
        )

    def section(self, section_id: str) -> SectionDiff | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def iter_fields(self) -> Iterable[FieldDiff]:
        for section in self.sections:
            yield from section.fields

    def field(self, field_id: str) -> FieldDiff | None:
        return next((f for f in self.iter_fields() if f.id == field_id), None)

    @property
    def stale_guidance(self) -> tuple[str, ...]:
        """Ids (``repeat.sub`` for sub-fields) whose guidance may no longer fit."""
        out: list[str] = []
        for f in self.iter_fields():
            if f.guidance_may_be_stale:
                out.append(f.id)
            out += [f"{f.id}.{s.id}" for s in f.subfields if s.guidance_may_be_stale]
        return tuple(out)

    def counts(self) -> dict[str, int]:
        fields = list(self.iter_fields())
        return {
            "sections_added": sum(s.status == "added" for s in self.sections),
            "sections_removed": sum(s.status == "removed" for s in self.sections),
            "sections_changed": sum(
                s.status == "changed" or (s.status == "unchanged" and s.moved)
                for s in self.sections
            ),
            "fields_added": sum(f.status == "added" for f in fields),
            "fields_removed": sum(f.status == "removed" for f in fields),
            "fields_changed": sum(f.status == "changed" for f in fields),
            "fields_moved": sum(f.moved for f in fields),
            "guidance_may_be_stale": len(self.stale_guidance),
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "old": self.old_ref,
            "new": self.new_ref,
            "old_hash": self.old_hash,
            "new_hash": self.new_hash,
            "identical": self.old_hash == self.new_hash,
            "counts": self.counts(),
            "form": [c.to_dict() for c in self.form],
            "sections": [s.to_dict() for s in self.sections],
            "computed": [c.to_dict() for c in self.computed],
            "checks": [c.to_dict() for c in self.checks],
            "completeness": [c.to_dict() for c in self.completeness],
            "migrations": [m.to_dict() for m in self.migrations],
            "guidance_may_be_stale": list(self.stale_guidance),
        }
