"""A field's lineage across the versions of a form (pure).

Versions form a tree through ``based_on``; a field keeps its lineage from the version it is
based on by id, or through its declared ``migrations`` (``renamed_from``). The lineage id is the
field's id in the oldest version it descends from, so an export spanning 1.0.0, the pilots and
what follows puts one question's answers in one column whatever the version calls it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from forms_service.definitions.model import FieldType, FormDefinition
from forms_service.definitions.versioning import version_key


@dataclass(frozen=True)
class Lineage:
    """{version: {field id in that version: lineage id}} and the columns in first-seen order."""

    by_version: dict[str, dict[str, str]] = field(default_factory=dict)
    columns: tuple[str, ...] = ()
    types: dict[str, FieldType] = field(default_factory=dict)  # lineage id → newest type

    def key(self, version: str, field_id: str) -> str:
        """The lineage id of ``field_id`` in ``version`` (its own id when unknown)."""
        return self.by_version.get(version, {}).get(field_id, field_id)

    def names(self, lineage_id: str) -> dict[str, str]:
        """{version: the field's id there} for every version that has the field."""
        return {
            v: fid for v, ids in self.by_version.items() for fid, lid in ids.items()
            if lid == lineage_id
        }  # fmt: skip


def lineage_of(definitions: Iterable[FormDefinition]) -> Lineage:
    ordered = sorted(definitions, key=lambda d: version_key(d.version))
    known = {d.version: d for d in ordered}
    by_version: dict[str, dict[str, str]] = {}
    columns: list[str] = []
    types: dict[str, FieldType] = {}
    for definition in ordered:
        base = by_version.get(definition.based_on or "") if definition.based_on in known else None
        renamed = {m.field: m.renamed_from for m in definition.migrations if m.renamed_from}
        ids: dict[str, str] = {}
        for _section, f in definition.iter_fields():
            source = renamed.get(f.id, f.id)
            lineage_id = base.get(source, f.id) if base is not None else f.id
            if base is not None and source not in base and f.id in base:
                lineage_id = base[f.id]
            ids[f.id] = lineage_id
            if lineage_id not in columns:
                columns.append(lineage_id)
            types[lineage_id] = f.type
        by_version[definition.version] = ids
    return Lineage(by_version, tuple(columns), types)
