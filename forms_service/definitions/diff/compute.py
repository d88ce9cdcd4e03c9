"""Computing the structural diff of two definitions by stable ids.

Answers, answer migrations and the forum's review of a pilot version all work by field id, so
the diff does too: a field that keeps its id is the same question even if it moved to another
section. A field renamed by the new version's ``migrations`` is followed to its new id.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import Enum
from typing import Any

from forms_service.definitions.diff.model import (
    Change,
    DefinitionDiff,
    FieldDiff,
    ItemDiff,
    OptionChange,
    SectionDiff,
)
from forms_service.definitions.diff.words import word_diff
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
