"""CPR numbers in an answer document, masked for readers whose task does not need them.

The fields of type ``cpr`` (top level and in repeat groups) keep their birth date and lose the
serial number (``DDMMYY-****``); a value that is not a valid CPR number is masked wherever it
looks like one. Everything else is returned as stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from forms_service.definitions.model import FieldType, FormDefinition
from forms_service.seniorpension.cpr import mask_cpr, mask_text


def mask_cpr_answers(definition: FormDefinition, answers: Mapping[str, Any]) -> dict[str, Any]:
    masked = dict(answers)
    for _section, field in definition.iter_fields():
        if field.id not in masked:
            continue
        value = masked[field.id]
        if field.type is FieldType.CPR:
            masked[field.id] = _masked(value)
        elif field.type is FieldType.REPEAT and isinstance(value, list):
            cpr_subs = [sub.id for sub in field.fields if sub.type is FieldType.CPR]
            if cpr_subs:
                masked[field.id] = [_masked_row(row, cpr_subs) for row in value]
    return masked


def _masked_row(row: Any, cpr_subs: list[str]) -> Any:
    if not isinstance(row, dict):
        return row
    return {k: _masked(v) if k in cpr_subs else v for k, v in row.items()}


def _masked(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    try:
        return mask_cpr(value)
    except ValueError:
        return mask_text(value)
