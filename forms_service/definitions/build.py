"""Turn a checked definition (plain JSON data) into the immutable model."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

from forms_service.definitions.checks import dependency_order
from forms_service.definitions.expressions import compile_expression
from forms_service.definitions.model import (
    Computed,
    ComputedType,
    Criterion,
    CriterionCheck,
    CrossCheck,
    Field,
    FieldMigration,
    FieldType,
    FormDefinition,
    FormGuidance,
    LegalReference,
    Option,
    Section,
    Severity,
)


def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return MappingProxyType({k: _freeze(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


def _refs(items: list[dict[str, Any]] | None) -> tuple[LegalReference, ...]:
    return tuple(
        LegalReference(ref=i["ref"], title=i.get("title"), url=i.get("url")) for i in items or ()
    )


def _options(items: list[dict[str, Any]] | None) -> tuple[Option, ...]:
    return tuple(
        Option(value=i["value"], label=i["label"], hint=i.get("hint")) for i in items or ()
    )


def _field(data: dict[str, Any], path: str) -> Field:
    return Field(
        id=data["id"],
        type=FieldType(data["type"]),
        label=data["label"],
        path=path,
        hint=data.get("hint"),
        guidance=data.get("guidance"),
        required=bool(data.get("required", False)),
        visible_if=data.get("visible_if"),
        required_if=data.get("required_if"),
        min=data.get("min"),
        max=data.get("max"),
        min_length=data.get("min_length"),
        max_length=data.get("max_length"),
        pattern=data.get("pattern"),
        options=_options(data.get("options")),
        fields=tuple(
            _field(sub, f"{path}.fields[{i}]") for i, sub in enumerate(data.get("fields") or ())
        ),
        min_rows=data.get("min_rows"),
        max_rows=data.get("max_rows"),
        sources=_options(data.get("sources")),
        unit=data.get("unit"),
        legal_refs=_refs(data.get("legal_refs")),
        row_label=data.get("row_label"),
        messages=MappingProxyType(dict(data.get("messages") or {})),
    )


def build_definition(data: dict[str, Any], content_hash: str) -> FormDefinition:
    sections = tuple(_section(s, si) for si, s in enumerate(data["sections"]))
    computed = tuple(_computed(c, ci) for ci, c in enumerate(data.get("computed") or ()))
    computed_ids = {c.id for c in computed}
    order = dependency_order(
        {c.id: set(compile_expression(c.expr).variables) & computed_ids for c in computed}
    )
    guidance = data.get("guidance") or {}
    return FormDefinition(
        form=data["form"],
        version=data["version"],
        title=data["title"],
        content_hash=content_hash,
        sections=sections,
        description=data.get("description"),
        legal_basis=_refs(data.get("legal_basis")),
        guidance=FormGuidance(
            intro=guidance.get("intro"),
            sufficient=guidance.get("sufficient"),
            missing_information=guidance.get("missing_information"),
        ),
        computed=computed,
        checks=tuple(_check(c, ci) for ci, c in enumerate(data.get("checks") or ())),
        completeness=tuple(
            _criterion(k, ki) for ki, k in enumerate(data.get("completeness") or ())
        ),
        migrations=tuple(_migration(m) for m in data.get("migrations") or ()),
        based_on=data.get("based_on"),
        computed_order=tuple(order),
        raw=_freeze(data),
    )


def _section(s: dict[str, Any], si: int) -> Section:
    return Section(
        id=s["id"],
        title=s["title"],
        path=f"sections[{si}]",
        guidance=s.get("guidance"),
        visible_if=s.get("visible_if"),
        legal_refs=_refs(s.get("legal_refs")),
        fields=tuple(_field(f, f"sections[{si}].fields[{fi}]") for fi, f in enumerate(s["fields"])),
    )


def _computed(c: dict[str, Any], ci: int) -> Computed:
    return Computed(
        id=c["id"],
        expr=c["expr"],
        path=f"computed[{ci}]",
        label=c.get("label"),
        type=ComputedType(c.get("type", "number")),
        decimals=c.get("decimals"),
        unit=c.get("unit"),
        section=c.get("section"),
    )


def _check(c: dict[str, Any], ci: int) -> CrossCheck:
    return CrossCheck(
        id=c["id"],
        expr=c["expr"],
        message=c["message"],
        path=f"checks[{ci}]",
        fields=tuple(c.get("fields") or ()),
        repeat=c.get("repeat"),
    )


def _criterion(k: dict[str, Any], ki: int) -> Criterion:
    return Criterion(
        id=k["id"],
        title=k["title"],
        path=f"completeness[{ki}]",
        legal_ref=k.get("legal_ref"),
        guidance=k.get("guidance"),
        requires=tuple(k.get("requires") or ()),
        kind=k.get("kind", "criterion"),
        checks=tuple(
            _criterion_check(ch, f"completeness[{ki}].checks[{chi}]")
            for chi, ch in enumerate(k.get("checks") or ())
        ),
    )


def _criterion_check(ch: dict[str, Any], path: str) -> CriterionCheck:
    return CriterionCheck(
        expr=ch["expr"],
        message=ch["message"],
        path=path,
        severity=Severity(ch.get("severity", "insufficient")),
        fields=tuple(ch.get("fields") or ()),
        when=ch.get("when"),
    )


def _migration(m: dict[str, Any]) -> FieldMigration:
    return FieldMigration(
        field=m["field"],
        renamed_from=m.get("renamed_from"),
        option_map=MappingProxyType(dict(m.get("option_map") or {})),
        type_change=m.get("type_change"),
    )
