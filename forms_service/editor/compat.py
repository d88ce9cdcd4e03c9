"""Would publishing break stored answers? (pure)

Answers are stored by field id and migrated by id (``forms_service.answers.migration``), so a
new version must not change what an id means without saying how: a field that keeps its id
keeps its type unless the version declares a ``type_change`` for it (refused otherwise),
option values that disappear must be mapped (``option_map``) or are reported, removed fields
are reported, and ``migrations`` must name fields and values that exist.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from forms_service.definitions.model import Field, FieldType, FormDefinition

_CHOICES = (FieldType.CHOICE, FieldType.MULTICHOICE)


@dataclass(frozen=True)
class CompatReport:
    errors: list[str] = field(default_factory=list)  # publishing is refused
    warnings: list[str] = field(default_factory=list)  # shown in the review, must be read

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_dict(self) -> dict[str, list[str]]:
        return {"errors": list(self.errors), "warnings": list(self.warnings)}


def check_compatibility(old: FormDefinition | None, new: FormDefinition) -> CompatReport:
    """Problems of ``new`` for answers stored under ``old`` (the version it was drafted from)."""
    report = CompatReport()
    if old is None:
        return report
    migrations = {m.field: m for m in new.migrations}
    sources: dict[str, str] = {}
    for m in new.migrations:
        if m.renamed_from:
            if old.field(m.renamed_from) is None:
                report.warnings.append(
                    f"migrations: '{m.field}' er omdøbt fra '{m.renamed_from}', som ikke findes "
                    f"i {old.ref}"
                )
            else:
                sources[m.field] = m.renamed_from
    renamed_away = set(sources.values())

    for _section, new_field in new.iter_fields():
        source_id = sources.get(new_field.id, new_field.id)
        old_field = old.field(source_id)
        if old_field is None or (source_id == new_field.id and source_id in renamed_away):
            continue
        migration = migrations.get(new_field.id)
        if old_field.type is not new_field.type:
            declared = f"{old_field.type.value}->{new_field.type.value}"
            if migration is None or migration.type_change != declared:
                report.errors.append(
                    f"Feltet '{new_field.id}' skifter type fra {old_field.type.value} til "
                    f"{new_field.type.value}. Gemte svar kan ikke bruges uden videre: erklær "
                    f'{{"field": "{new_field.id}", "type_change": "{declared}"}} i migrations, '
                    "eller giv feltet et nyt id."
                )
        option_map = dict(migration.option_map) if migration else {}
        _options(report, old_field, new_field, option_map)
        if new_field.is_repeat and old_field.is_repeat:
            _subfields(report, old_field, new_field)

    kept = {sources.get(f.id, f.id) for _s, f in new.iter_fields()}
    for _section, old_field in old.iter_fields():
        if old_field.id not in kept:
            report.warnings.append(
                f"Feltet '{old_field.id}' (»{old_field.label}«) er fjernet: gemte svar på det "
                "kan ikke flyttes med til den nye version. Er det omdøbt, så erklær "
                '"renamed_from" i migrations.'
            )
    return report


def _options(report: CompatReport, old: Field, new: Field, option_map: dict[str, str]) -> None:
    if new.type not in _CHOICES or old.type not in _CHOICES:
        return
    new_values = {o.value for o in new.options}
    for old_value, new_value in option_map.items():
        if old.option_label(old_value) is None:
            report.errors.append(
                f"migrations for '{new.id}': svarmuligheden '{old_value}' findes ikke i "
                "den tidligere version"
            )
        if new_value not in new_values:
            report.errors.append(
                f"migrations for '{new.id}': '{old_value}' oversættes til '{new_value}', som "
                "ikke er en svarmulighed i den nye version"
            )
    for option in old.options:
        if option.value not in new_values and option.value not in option_map:
            report.warnings.append(
                f"Svarmuligheden '{option.value}' (»{option.label}«) er fjernet fra feltet "
                f"'{new.id}' uden en oversættelse (option_map i migrations): gemte svar med den "
                "flyttes ikke med."
            )


def _subfields(report: CompatReport, old: Field, new: Field) -> None:
    for sub in new.fields:
        before = old.subfield(sub.id)
        if before is None:
            continue
        if before.type is not sub.type:
            report.errors.append(
                f"Underfeltet '{new.id}.{sub.id}' skifter type fra {before.type.value} til "
                f"{sub.type.value}. Underfelter kan ikke migreres: giv feltet et nyt id."
            )
        _options(report, before, sub, {})
    for before in old.fields:
        if new.subfield(before.id) is None:
            report.warnings.append(
                f"Underfeltet '{new.id}.{before.id}' (»{before.label}«) er fjernet: gemte svar "
                "på det flyttes ikke med."
            )
