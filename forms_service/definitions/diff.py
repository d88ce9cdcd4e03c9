"""Structural diff of two form definitions by stable ids.

Answers, migrations and the forum's review of a pilot version all work by field id, so the diff
does too: a field that keeps its id is the same question even if it moved to another section.
The result is plain dataclasses (``to_dict()`` for JSON) so the CLI and the editor render the
same facts; ``render_text`` is the terminal view.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, Literal

from forms_service.definitions.model import (
    Computed,
    Criterion,
    CrossCheck,
    Field,
    FieldMigration,
    FormDefinition,
    LegalReference,
    Option,
)

# "moved": only its place changed; "changed" may also have moved (see ``moved``)
Status = Literal["added", "removed", "moved", "changed"]

# Prose gets a word-level diff; other attributes are shown as old → new.
PROSE = frozenset(
    {"label", "title", "hint", "guidance", "description", "message", "intro", "sufficient",
     "missing_information"}
)  # fmt: skip

# Changing any of these changes what the question asks or when: its guidance may need a look.
RULE_ATTRIBUTES = frozenset(
    {"label", "type", "required", "visible_if", "required_if", "min", "max", "min_length",
     "max_length", "pattern", "options", "min_rows", "max_rows", "sources", "fields"}
)  # fmt: skip

_FIELD_ATTRIBUTES = (
    "label", "type", "required", "visible_if", "required_if", "hint", "guidance", "min", "max",
    "min_length", "max_length", "pattern", "min_rows", "max_rows", "row_label", "unit",
    "sources", "legal_refs", "messages",
)  # fmt: skip


# --------------------------------------------------------------------------- word diff


@dataclass(frozen=True, slots=True)
class WordSegment:
    """A run of text: ``equal`` in both, ``removed`` from the old or ``added`` in the new."""

    op: Literal["equal", "removed", "added"]
    text: str

    def to_dict(self) -> dict[str, str]:
        return {"op": self.op, "text": self.text}


_TOKEN = re.compile(r"(\S+)(\s*)")


def word_diff(old: str | None, new: str | None) -> tuple[WordSegment, ...]:
    """Word-level diff; white space is kept from the side each run comes from."""
    old_tokens = _TOKEN.findall(old or "")
    new_tokens = _TOKEN.findall(new or "")
    old_words = [word for word, _ in old_tokens]
    new_words = [word for word, _ in new_tokens]
    matcher = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
    segments: list[WordSegment] = []

    def run(tokens: list[tuple[str, str]], start: int, end: int) -> tuple[str, str]:
        text = "".join(word + space for word, space in tokens[start:end])
        stripped = text.rstrip()
        return stripped, text[len(stripped) :]

    def add(op: Literal["equal", "removed", "added"], text: str) -> None:
        if not text:
            return
        if segments and segments[-1].op == op:
            segments[-1] = WordSegment(op, segments[-1].text + text)
        else:
            segments.append(WordSegment(op, text))

    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add("equal", "".join(word + space for word, space in new_tokens[j1:j2]))
            continue
        trailing = ""
        if i2 > i1:
            removed, trailing = run(old_tokens, i1, i2)
            add("removed", removed)
        if j2 > j1:
            added, trailing = run(new_tokens, j1, j2)
            add("added", added)
        add("equal", trailing)
    return tuple(segments)


def render_word_diff(segments: Iterable[WordSegment]) -> str:
    """``[-removed-]{+added+}`` as in ``git diff --word-diff=plain``."""
    out = []
    for segment in segments:
        if segment.op == "removed":
            out.append(f"[-{segment.text}-]")
        elif segment.op == "added":
            out.append(f"{{+{segment.text}+}}")
        else:
            out.append(segment.text)
    return "".join(out)


# --------------------------------------------------------------------------- result types


def _plain(value: Any) -> Any:
    """A JSON-ready value of a model attribute."""
    if isinstance(value, LegalReference):
        return {
            k: v
            for k, v in (("ref", value.ref), ("title", value.title), ("url", value.url))
            if v is not None
        }
    if isinstance(value, Option):
        out = {"value": value.value, "label": value.label}
        if value.hint is not None:
            out["hint"] = value.hint
        return out
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if hasattr(value, "items"):  # MappingProxyType
        return {k: _plain(v) for k, v in value.items()}
    return value


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


# --------------------------------------------------------------------------- computing


def _change(attribute: str, old: Any, new: Any) -> Change | None:
    old, new = _plain(old), _plain(new)
    if old == new:
        return None
    words = None
    if attribute.rsplit(".", 1)[-1] in PROSE and _is_text(old) and _is_text(new):
        words = word_diff(old, new)
    return Change(attribute, old, new, words)


def _is_text(value: Any) -> bool:
    return value is None or isinstance(value, str)


def _changes(old: Any, new: Any, attributes: Sequence[str]) -> tuple[Change, ...]:
    found = (_change(a, getattr(old, a), getattr(new, a)) for a in attributes)
    return tuple(c for c in found if c is not None)


def _lcs_ids(old: Sequence[str], new: Sequence[str]) -> set[str]:
    """Ids in a longest common subsequence: the ones that kept their relative order."""
    rows, cols = len(old), len(new)
    table = [[0] * (cols + 1) for _ in range(rows + 1)]
    for i in range(rows - 1, -1, -1):
        for j in range(cols - 1, -1, -1):
            table[i][j] = (
                table[i + 1][j + 1] + 1
                if old[i] == new[j]
                else max(table[i + 1][j], table[i][j + 1])
            )
    kept: set[str] = set()
    i = j = 0
    while i < rows and j < cols:
        if old[i] == new[j]:
            kept.add(old[i])
            i, j = i + 1, j + 1
        elif table[i + 1][j] >= table[i][j + 1]:
            i += 1
        else:
            j += 1
    return kept


def _moved_ids(old: Sequence[str], new: Sequence[str]) -> set[str]:
    """Ids present in both whose position relative to the others changed."""
    common_new = set(new)
    common_old = [i for i in old if i in common_new]
    common = set(common_old)
    common_new_order = [i for i in new if i in common]
    return common - _lcs_ids(common_old, common_new_order)


def _option_changes(old: Sequence[Option], new: Sequence[Option]) -> tuple[OptionChange, ...]:
    old_by = {o.value: o for o in old}
    new_by = {o.value: o for o in new}
    out: list[OptionChange] = []
    for o in old:
        if o.value not in new_by:
            out.append(OptionChange(o.value, "removed", old_label=o.label))
    for o in new:
        before = old_by.get(o.value)
        if before is None:
            out.append(OptionChange(o.value, "added", new_label=o.label))
        elif before.label != o.label:
            out.append(
                OptionChange(o.value, "relabelled", old_label=before.label, new_label=o.label)
            )
        elif before.hint != o.hint:
            out.append(OptionChange(o.value, "hint_changed", old_hint=before.hint, new_hint=o.hint))
    return tuple(out)


def _field_diff(
    old: Field,
    new: Field,
    *,
    old_section: str | None,
    new_section: str | None,
    old_position: int,
    new_position: int,
    moved: bool,
    migrated_types: set[str],
    prefix: str = "",
    renamed_from: str | None = None,
) -> FieldDiff | None:
    changes = _changes(old, new, _FIELD_ATTRIBUTES)
    options = _option_changes(old.options, new.options)
    common = [o.value for o in old.options if new.option_label(o.value) is not None]
    common_new = [o.value for o in new.options if o.value in set(common)]
    reordered = common != common_new
    subfields = _children(old.fields, new.fields, migrated_types=set(), prefix=f"{old.id}.")
    if not (changes or options or reordered or subfields or moved or renamed_from):
        return None
    changed = {c.attribute for c in changes}
    if options or reordered:
        changed.add("options")
    if subfields:
        changed.add("fields")
    type_changed = "type" in changed
    return FieldDiff(
        id=new.id,
        status=(
            "changed" if changes or options or reordered or subfields or renamed_from else "moved"
        ),
        type=new.type.value,
        label=new.label,
        old_section=old_section,
        new_section=new_section,
        old_position=old_position,
        new_position=new_position,
        moved=moved,
        changes=changes,
        options=options,
        options_reordered=reordered,
        subfields=subfields,
        guidance_may_be_stale=bool(
            new.guidance and "guidance" not in changed and changed & RULE_ATTRIBUTES
        ),
        type_change_without_migration=type_changed and f"{prefix}{new.id}" not in migrated_types,
        renamed_from=renamed_from,
    )


def _added(f: Field, section: str | None, position: int) -> FieldDiff:
    return FieldDiff(
        f.id, "added", f.type.value, f.label, new_section=section, new_position=position
    )


def _removed(f: Field, section: str | None, position: int) -> FieldDiff:
    return FieldDiff(
        f.id, "removed", f.type.value, f.label, old_section=section, old_position=position
    )


def _children(
    old: Sequence[Field], new: Sequence[Field], *, migrated_types: set[str], prefix: str
) -> tuple[FieldDiff, ...]:
    """Sub-fields of a repeat group: order within the group is their only position."""
    old_ids = [f.id for f in old]
    new_ids = [f.id for f in new]
    moved = _moved_ids(old_ids, new_ids)
    old_by = {f.id: (i, f) for i, f in enumerate(old)}
    out: list[FieldDiff] = []
    for j, f in enumerate(new):
        if f.id not in old_by:
            out.append(_added(f, None, j))
            continue
        i, before = old_by[f.id]
        found = _field_diff(
            before,
            f,
            old_section=None,
            new_section=None,
            old_position=i,
            new_position=j,
            moved=f.id in moved,
            migrated_types=migrated_types,
            prefix=prefix,
        )
        if found:
            out.append(found)
    new_set = set(new_ids)
    out += [_removed(f, None, i) for i, f in enumerate(old) if f.id not in new_set]
    return tuple(out)


def _renames(old: FormDefinition, new: FormDefinition, new_ids: set[str]) -> dict[str, str]:
    """Old id → new id for fields the new version declares renamed (``renamed_from``)."""
    old_ids = {f.id for _s, f in old.iter_fields()}
    return {
        m.renamed_from: m.field
        for m in new.migrations
        if m.renamed_from
        and m.renamed_from in old_ids
        and m.renamed_from not in new_ids
        and m.field not in old_ids
    }


def _section_fields(
    old: FormDefinition, new: FormDefinition, migrated_types: set[str]
) -> dict[str, list[FieldDiff]]:
    """Field diffs keyed by the section they are shown under."""
    new_place: dict[str, tuple[str, int, Field]] = {
        f.id: (s.id, i, f) for s in new.sections for i, f in enumerate(s.fields)
    }
    alias = _renames(old, new, set(new_place))
    old_place: dict[str, tuple[str, int, Field]] = {
        alias.get(f.id, f.id): (s.id, i, f) for s in old.sections for i, f in enumerate(s.fields)
    }
    # within a section, only fields that stayed in it can have changed order
    moved_in_place: set[str] = set()
    old_sections = {s.id: s for s in old.sections}
    for section in new.sections:
        before = old_sections.get(section.id)
        if before is None:
            continue
        before_ids = [alias.get(f.id, f.id) for f in before.fields]
        stayed = {f.id for f in section.fields} & set(before_ids)
        moved_in_place |= _moved_ids(
            [i for i in before_ids if i in stayed],
            [f.id for f in section.fields if f.id in stayed],
        )
    grouped: dict[str, list[FieldDiff]] = {}
    for section in new.sections:
        for j, f in enumerate(section.fields):
            place = old_place.get(f.id)
            if place is None:
                grouped.setdefault(section.id, []).append(_added(f, section.id, j))
                continue
            old_section, i, before = place
            moved = old_section != section.id or f.id in moved_in_place
            found = _field_diff(
                before,
                f,
                old_section=old_section,
                new_section=section.id,
                old_position=i,
                new_position=j,
                moved=moved,
                migrated_types=migrated_types,
                renamed_from=before.id if before.id != f.id else None,
            )
            if found:
                grouped.setdefault(section.id, []).append(found)
    for section in old.sections:
        for i, f in enumerate(section.fields):
            if f.id not in new_place and f.id not in alias:
                grouped.setdefault(section.id, []).append(_removed(f, section.id, i))
    return grouped


_SECTION_ATTRIBUTES = ("title", "guidance", "visible_if", "legal_refs")


def _sections(
    old: FormDefinition, new: FormDefinition, migrated_types: set[str]
) -> tuple[SectionDiff, ...]:
    fields = _section_fields(old, new, migrated_types)
    old_by = {s.id: (i, s) for i, s in enumerate(old.sections)}
    new_ids = [s.id for s in new.sections]
    moved = _moved_ids([s.id for s in old.sections], new_ids)
    out: list[SectionDiff] = []
    for j, section in enumerate(new.sections):
        field_diffs = tuple(fields.get(section.id, ()))
        if section.id not in old_by:
            out.append(
                SectionDiff(section.id, section.title, "added", new_position=j, fields=field_diffs)
            )
            continue
        i, before = old_by[section.id]
        changes = _changes(before, section, _SECTION_ATTRIBUTES)
        out.append(
            SectionDiff(
                section.id,
                section.title,
                "changed" if changes else "unchanged",
                old_position=i,
                new_position=j,
                moved=section.id in moved,
                changes=changes,
                fields=field_diffs,
            )
        )
    for i, section in enumerate(old.sections):
        if section.id not in set(new_ids):
            out.append(
                SectionDiff(
                    section.id,
                    section.title,
                    "removed",
                    old_position=i,
                    fields=tuple(fields.get(section.id, ())),
                )
            )
    return tuple(s for s in out if s.status != "unchanged" or s.moved or s.fields)


def _items(
    old: Sequence[Any],
    new: Sequence[Any],
    key: Callable[[Any], str],
    attributes: Sequence[str],
    summary: Callable[[Any], str],
    nested: Callable[[Any, Any], tuple[ItemDiff, ...]] | None = None,
) -> tuple[ItemDiff, ...]:
    old_by = {key(item): item for item in old}
    new_keys = {key(item) for item in new}
    out: list[ItemDiff] = []
    for item in new:
        before = old_by.get(key(item))
        if before is None:
            out.append(ItemDiff(key(item), "added", summary=summary(item)))
            continue
        changes = _changes(before, item, attributes)
        checks = nested(before, item) if nested else ()
        if changes or checks:
            out.append(ItemDiff(key(item), "changed", changes, checks))
    out += [
        ItemDiff(key(item), "removed", summary=summary(item))
        for item in old
        if key(item) not in new_keys
    ]
    return tuple(out)


_CHECK_ATTRIBUTES = ("expr", "message", "severity", "fields", "when")


def _criterion_checks(old: Criterion, new: Criterion) -> tuple[ItemDiff, ...]:
    """Criterion checks have no ids: pair them by expression, then by position."""
    old_checks = list(old.checks)
    new_checks = list(new.checks)
    pairs: dict[int, int] = {}
    free_old = set(range(len(old_checks)))
    for j, check in enumerate(new_checks):
        match = next((i for i in sorted(free_old) if old_checks[i].expr == check.expr), None)
        if match is not None:
            pairs[j] = match
            free_old.discard(match)
    for j in range(len(new_checks)):
        if j not in pairs and j in free_old:
            pairs[j] = j
            free_old.discard(j)
    out: list[ItemDiff] = []
    for j, check in enumerate(new_checks):
        if j not in pairs:
            out.append(ItemDiff(f"checks[{j}]", "added", summary=check.expr))
            continue
        changes = _changes(old_checks[pairs[j]], check, _CHECK_ATTRIBUTES)
        if changes:
            out.append(ItemDiff(f"checks[{j}]", "changed", changes))
    out += [
        ItemDiff(f"checks[{i}]", "removed", summary=old_checks[i].expr) for i in sorted(free_old)
    ]
    return tuple(out)


def _form_changes(old: FormDefinition, new: FormDefinition) -> tuple[Change, ...]:
    found = [
        _change("title", old.title, new.title),
        _change("description", old.description, new.description),
        _change("legal_basis", old.legal_basis, new.legal_basis),
        _change("guidance.intro", old.guidance.intro, new.guidance.intro),
        _change("guidance.sufficient", old.guidance.sufficient, new.guidance.sufficient),
        _change(
            "guidance.missing_information",
            old.guidance.missing_information,
            new.guidance.missing_information,
        ),
    ]
    return tuple(c for c in found if c is not None)


def _migration_key(m: FieldMigration) -> str:
    return m.field


def _migrated_types(definition: FormDefinition) -> set[str]:
    return {m.field for m in definition.migrations if m.type_change}


def diff_definitions(old: FormDefinition, new: FormDefinition) -> DefinitionDiff:
    """Everything that differs between two versions, matched by stable ids."""
    migrated = _migrated_types(new)

    def computed_summary(c: Computed) -> str:
        return c.expr

    def check_summary(c: CrossCheck) -> str:
        return c.expr

    def criterion_summary(c: Criterion) -> str:
        return c.title

    def migration_summary(m: FieldMigration) -> str:
        parts = [f"renamed_from={m.renamed_from}"] if m.renamed_from else []
        if m.type_change:
            parts.append(f"type_change={m.type_change}")
        if m.option_map:
            parts.append("option_map=" + ", ".join(f"{k}->{v}" for k, v in m.option_map.items()))
        return "; ".join(parts)

    return DefinitionDiff(
        old_ref=old.ref,
        new_ref=new.ref,
        old_hash=old.content_hash,
        new_hash=new.content_hash,
        form=_form_changes(old, new),
        sections=_sections(old, new, migrated),
        computed=_items(
            old.computed,
            new.computed,
            lambda c: c.id,
            ("expr", "label", "type", "decimals", "unit", "section"),
            computed_summary,
        ),
        checks=_items(
            old.checks,
            new.checks,
            lambda c: c.id,
            ("expr", "message", "fields", "repeat"),
            check_summary,
        ),
        completeness=_items(
            old.completeness,
            new.completeness,
            lambda c: c.id,
            ("title", "kind", "legal_ref", "guidance", "requires"),
            criterion_summary,
            _criterion_checks,
        ),
        migrations=_items(
            old.migrations,
            new.migrations,
            _migration_key,
            ("renamed_from", "option_map", "type_change"),
            migration_summary,
        ),
    )


# --------------------------------------------------------------------------- text rendering

_WORDS: dict[str, dict[str, str]] = {
    "da": {
        "header": "Ændringer fra {old} til {new}",
        "identical": "Ingen ændringer: de to versioner har samme indhold.",
        "no_structural": "Ingen strukturelle ændringer (kun layout eller rækkefølge af nøgler).",
        "hash": "Indholds-hash",
        "form": "Formularen",
        "section": "Sektion",
        "added": "tilføjet",
        "removed": "fjernet",
        "changed": "ændret",
        "moved": "flyttet",
        "position": "plads {old} → {new}",
        "moved_from": "flyttet fra sektion '{section}'",
        "renamed_from": "omdøbt fra '{old}' (migrations)",
        "moved_order": "flyttet inden for sektionen (plads {old} → {new})",
        "field": "felt",
        "subfields": "underfelter",
        "options": "svarmuligheder",
        "options_reordered": "svarmulighedernes rækkefølge er ændret",
        "relabelled": "ny tekst",
        "hint_changed": "ny hjælpetekst",
        "stale": "vejledningen er uændret, men spørgsmålet eller reglerne er ændret: "
        "passer vejledningen stadig?",
        "no_migration": "typen er ændret uden en migrering (migrations) for feltet",
        "computed": "Beregnede værdier",
        "checks": "Tværgående kontroller",
        "completeness": "Fuldstændighedskriterier",
        "migrations": "Migreringer",
        "stale_summary": "Vejledning der bør gennemlæses",
        "summary": "I alt: felter {fields_added} tilføjet, {fields_removed} fjernet, "
        "{fields_changed} ændret, {fields_moved} flyttet; sektioner {sections_added} tilføjet, "
        "{sections_removed} fjernet, {sections_changed} ændret eller flyttet.",
        "none": "(intet)",
        "yes": "ja",
        "no": "nej",
    },
    "en": {
        "header": "Changes from {old} to {new}",
        "identical": "No changes: both versions have the same content.",
        "no_structural": "No structural changes (only layout or key order).",
        "hash": "Content hash",
        "form": "Form",
        "section": "Section",
        "added": "added",
        "removed": "removed",
        "changed": "changed",
        "moved": "moved",
        "position": "position {old} → {new}",
        "moved_from": "moved from section '{section}'",
        "renamed_from": "renamed from '{old}' (migrations)",
        "moved_order": "moved within the section (position {old} → {new})",
        "field": "field",
        "subfields": "sub-fields",
        "options": "options",
        "options_reordered": "the order of the options changed",
        "relabelled": "new label",
        "hint_changed": "new hint",
        "stale": "the guidance is unchanged but the question or its rules changed: "
        "does the guidance still fit?",
        "no_migration": "the type changed without a migration for the field",
        "computed": "Computed values",
        "checks": "Cross-field checks",
        "completeness": "Completeness criteria",
        "migrations": "Migrations",
        "stale_summary": "Guidance to review",
        "summary": "Total: fields {fields_added} added, {fields_removed} removed, "
        "{fields_changed} changed, {fields_moved} moved; sections {sections_added} added, "
        "{sections_removed} removed, {sections_changed} changed or moved.",
        "none": "(none)",
        "yes": "yes",
        "no": "no",
    },
}

_ATTRIBUTE_NAMES: dict[str, dict[str, str]] = {
    "da": {
        "label": "spørgsmål", "type": "type", "required": "påkrævet", "visible_if": "vises hvis",
        "required_if": "påkrævet hvis", "hint": "hjælpetekst", "guidance": "vejledning",
        "min": "min", "max": "max", "min_length": "min. længde", "max_length": "maks. længde",
        "pattern": "mønster", "min_rows": "min. rækker", "max_rows": "maks. rækker",
        "row_label": "rækkenavn", "unit": "enhed", "sources": "kilder",
        "legal_refs": "lovhenvisninger", "messages": "fejlbeskeder", "title": "titel",
        "description": "beskrivelse", "legal_basis": "lovgrundlag",
        "guidance.intro": "vejledning (indledning)",
        "guidance.sufficient": "vejledning (tilstrækkeligt oplyst)",
        "guidance.missing_information": "vejledning (manglende oplysninger)",
        "expr": "udtryk", "decimals": "decimaler", "section": "sektion", "message": "besked",
        "fields": "felter", "repeat": "gentagen gruppe", "kind": "art",
        "legal_ref": "lovhenvisning", "requires": "kræver", "severity": "alvor",
        "when": "gælder når", "renamed_from": "omdøbt fra", "option_map": "svaroversættelse",
        "type_change": "typeændring",
    },
    "en": {},
}  # fmt: skip


def attribute_name(attribute: str, lang: str = "da") -> str:
    """A definition attribute as the editor's pages name it (``visible_if`` → ``vises hvis``)."""
    return _ATTRIBUTE_NAMES[lang].get(attribute, attribute)


def _show(value: Any, words: dict[str, str]) -> str:
    if value is None or value == [] or value == {}:
        return words["none"]
    if value is True:
        return words["yes"]
    if value is False:
        return words["no"]
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list) and all(isinstance(v, dict) and "ref" in v for v in value):
        return "; ".join(v["ref"] for v in value)
    if isinstance(value, list) and all(isinstance(v, dict) and "value" in v for v in value):
        return ", ".join(f"{v['value']} ({v['label']})" for v in value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


def similarity(segments: Sequence[WordSegment]) -> float:
    """Share of the text (0–1) that both sides have in common."""
    equal = sum(len(s.text) for s in segments if s.op == "equal")
    total = sum(len(s.text) * (2 if s.op == "equal" else 1) for s in segments)
    return 2 * equal / total if total else 1.0


# Below this a text counts as rewritten: interleaving its words would be harder to read than
# showing the old and the new text one after the other.
REWRITTEN = 0.5
_CONTEXT_LINES = 1
_LONG = 80  # a longer one-line text is shown like a paragraph


def _prose_lines(old: str, new: str, indent: str) -> list[str]:
    """A multi-line text: unchanged lines as context, changed hunks word by word.

    Lines first, then words inside each changed hunk (as ``git diff --word-diff`` reads), so a
    rewritten paragraph shows as ``-``/``+`` lines instead of confetti.
    """
    old_lines, new_lines = old.splitlines(), new.splitlines()
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    out: list[str] = []
    opcodes = matcher.get_opcodes()
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            lines = new_lines[j1:j2]
            head = lines[:_CONTEXT_LINES] if index > 0 else []
            tail = lines[-_CONTEXT_LINES:] if index < len(opcodes) - 1 else []
            shown = [*head, "…", *tail] if len(lines) > len(head) + len(tail) + 1 else lines
            out += [f"{indent}  {line}".rstrip() for line in shown]
            continue
        old_text, new_text = "\n".join(old_lines[i1:i2]), "\n".join(new_lines[j1:j2])
        segments = word_diff(old_text, new_text)
        if tag == "replace" and similarity(segments) >= REWRITTEN:
            text = render_word_diff(segments)
            out += [f"{indent}~ {line}".rstrip() for line in text.splitlines()]
        else:
            out += [f"{indent}- {line}".rstrip() for line in old_lines[i1:i2]]
            out += [f"{indent}+ {line}".rstrip() for line in new_lines[j1:j2]]
    return out


def _change_lines(change: Change, indent: str, lang: str) -> list[str]:
    words = _WORDS[lang]
    name = _ATTRIBUTE_NAMES[lang].get(change.attribute, change.attribute)
    if change.words is not None and change.old and change.new:
        if any("\n" in text or len(text) > _LONG for text in (change.old, change.new)):
            return [f"{indent}~ {name}:", *_prose_lines(change.old, change.new, indent + "    ")]
        if similarity(change.words) >= REWRITTEN:
            return [f"{indent}~ {name}: {render_word_diff(change.words)}"]
    return [f"{indent}~ {name}: {_show(change.old, words)} → {_show(change.new, words)}"]


def _field_lines(f: FieldDiff, indent: str, lang: str) -> list[str]:
    words = _WORDS[lang]
    head = f'{words["field"]} {f.id} ({f.type}) "{f.label}"'
    if f.status == "added":
        return [f"{indent}+ {head}: {words['added']}"]
    if f.status == "removed":
        return [f"{indent}- {head}: {words['removed']}"]
    if f.moved_section:
        where = words["moved_from"].format(section=f.old_section)
    else:
        where = words["moved_order"].format(
            old=(f.old_position or 0) + 1, new=(f.new_position or 0) + 1
        )
    if f.status == "moved":
        return [f"{indent}→ {head}: {where}"]
    lines = [f"{indent}~ {head}"]
    inner = indent + "    "
    if f.renamed_from:
        lines.append(f"{inner}← {words['renamed_from'].format(old=f.renamed_from)}")
    if f.moved:
        lines.append(f"{inner}→ {where}")
    for change in f.changes:
        lines += _change_lines(change, inner, lang)
    if f.options or f.options_reordered:
        lines.append(f"{inner}~ {words['options']}:")
        for o in f.options:
            if o.status == "added":
                lines.append(f'{inner}    + {o.value} "{o.new_label}"')
            elif o.status == "removed":
                lines.append(f'{inner}    - {o.value} "{o.old_label}"')
            elif o.status == "relabelled":
                diff = render_word_diff(word_diff(o.old_label, o.new_label))
                lines.append(f"{inner}    ~ {o.value}: {words['relabelled']}: {diff}")
            else:
                lines.append(
                    f"{inner}    ~ {o.value}: {words['hint_changed']}: "
                    f"{_show(o.old_hint, words)} → {_show(o.new_hint, words)}"
                )
        if f.options_reordered:
            lines.append(f"{inner}    {words['options_reordered']}")
    if f.subfields:
        lines.append(f"{inner}{words['subfields']}:")
        for sub in f.subfields:
            lines += _field_lines(sub, inner + "    ", lang)
    if f.type_change_without_migration:
        lines.append(f"{inner}! {words['no_migration']}")
    if f.guidance_may_be_stale:
        lines.append(f"{inner}! {words['stale']}")
    return lines


def _item_lines(item: ItemDiff, indent: str, lang: str) -> list[str]:
    words = _WORDS[lang]
    if item.status == "added":
        return [f"{indent}+ {item.id}: {item.summary}  ({words['added']})"]
    if item.status == "removed":
        return [f"{indent}- {item.id}: {item.summary}  ({words['removed']})"]
    lines = [f"{indent}~ {item.id}"]
    for change in item.changes:
        lines += _change_lines(change, indent + "    ", lang)
    for check in item.checks:
        lines += _item_lines(check, indent + "    ", lang)
    return lines


def render_text(diff: DefinitionDiff, *, lang: str = "da") -> str:
    """The diff for a terminal: grouped by section, ``+`` added, ``-`` removed, ``~`` changed."""
    if lang not in _WORDS:
        raise ValueError(f"unknown language {lang!r}; use one of {sorted(_WORDS)}")
    words = _WORDS[lang]
    lines = [
        words["header"].format(old=diff.old_ref, new=diff.new_ref),
        f"{words['hash']}: {diff.old_hash[:12]} → {diff.new_hash[:12]}",
        "",
    ]
    if diff.old_hash == diff.new_hash:
        return "\n".join([*lines, words["identical"], ""])
    if diff.is_empty:
        return "\n".join([*lines, words["no_structural"], ""])
    if diff.form:
        lines.append(f"{words['form']}")
        for change in diff.form:
            lines += _change_lines(change, "  ", lang)
        lines.append("")
    for section in diff.sections:
        status = [words[section.status]] if section.status != "unchanged" else []
        if section.moved:
            status.append(
                words["moved"]
                + " ("
                + words["position"].format(
                    old=(section.old_position or 0) + 1, new=(section.new_position or 0) + 1
                )
                + ")"
            )
        suffix = f" [{', '.join(status)}]" if status else ""
        marker = {"added": "+", "removed": "-"}.get(section.status, "~")
        lines.append(f'{marker} {words["section"]} {section.id} "{section.title}"{suffix}')
        for change in section.changes:
            lines += _change_lines(change, "    ", lang)
        for f in section.fields:
            lines += _field_lines(f, "    ", lang)
        lines.append("")
    for key in ("computed", "checks", "completeness", "migrations"):
        items: tuple[ItemDiff, ...] = getattr(diff, key)
        if items:
            lines.append(words[key])
            for item in items:
                lines += _item_lines(item, "  ", lang)
            lines.append("")
    stale = diff.stale_guidance
    if stale:
        lines.append(f"{words['stale_summary']}: {', '.join(stale)}")
    lines.append(words["summary"].format(**diff.counts()))
    return "\n".join(lines) + "\n"


__all__ = [
    "Change",
    "DefinitionDiff",
    "FieldDiff",
    "ItemDiff",
    "OptionChange",
    "SectionDiff",
    "WordSegment",
    "diff_definitions",
    "render_text",
    "render_word_diff",
    "word_diff",
]
