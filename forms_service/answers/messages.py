"""Danish problem messages that name the field (and the row of a repeat group)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from forms_service.answers.coerce import DANISH_DATE, Attachment
from forms_service.danish import date_long, number
from forms_service.definitions.expression_limits import MAX_INPUT_ITEMS
from forms_service.definitions.model import Field, FieldType

_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")


def row_description(repeat: Field, index: int, row: Mapping[str, Any] | None) -> str:
    """How a row is named: the definition's ``row_label`` filled in, else its number."""
    fallback = f"række {index + 1} i »{repeat.label}«"
    if not repeat.row_label or not row:
        return fallback
    missing = False

    def fill(match: re.Match[str]) -> str:
        nonlocal missing
        value = row.get(match.group(1))
        if value in (None, "") or isinstance(value, Attachment):
            missing = True
            return ""
        if isinstance(value, dt.date):
            return date_long(value)
        return str(value)

    text = _PLACEHOLDER.sub(fill, repeat.row_label)
    return fallback if missing else text


def _verb(field: Field) -> str:
    if field.type in (FieldType.CHOICE, FieldType.MULTICHOICE, FieldType.BOOLEAN):
        return "Vælg"
    if field.type is FieldType.ATTACHMENT:
        return "Angiv dokumentet"
    if field.type is FieldType.REPEAT:
        return "Tilføj mindst én række til"
    return "Angiv"


def _bound(field: Field, value: Any) -> str:
    if field.type is FieldType.DATE:
        return date_long(value)
    return number(value)


def message(
    code: str,
    field: Field,
    *,
    row: str | None = None,
    value: Any = None,
) -> str:
    """The Danish message for a problem ``code`` on ``field`` (in ``row`` of a repeat group)."""
    custom = field.messages.get(code)
    where = f" for {row}" if row else ""
    label = f"»{field.label}«"
    if custom:
        return custom.replace("{row}", row or "")
    if code == "required":
        return f"{_verb(field)} {label}{where}."
    if code == "type":
        kind = {
            FieldType.INTEGER: "et helt tal",
            FieldType.NUMBER: "et tal",
            FieldType.DATE: "en dato",
            FieldType.BOOLEAN: "ja eller nej",
            FieldType.REPEAT: "en liste af rækker",
            FieldType.ATTACHMENT: "en dokumenthenvisning med titel, kilde og dato",
        }.get(field.type, "en tekst")
        return f"{label}{where} skal være {kind}."
    if code == "date":
        if isinstance(value, str) and _looks_like_a_date(value):
            # typed in the right shape, but the day does not exist (31.02.2027)
            return (
                f"{label}{where}: {value.strip()} er ikke en gyldig dato, den dag findes ikke. "
                "Ret dag eller måned (dd.mm.åååå)."
            )
        return f"{label}{where} skal være en gyldig dato (dd.mm.åååå)."
    if code == "min":
        if field.type is FieldType.DATE:
            return f"{label}{where} må tidligst være {_bound(field, field.min)}."
        return f"{label}{where} skal være mindst {_bound(field, field.min)}."
    if code == "max":
        if field.type is FieldType.DATE:
            return f"{label}{where} må senest være {_bound(field, field.max)}."
        return f"{label}{where} må højst være {_bound(field, field.max)}."
    if code == "min_length":
        return f"{label}{where} skal være på mindst {field.min_length} tegn."
    if code == "max_length":
        length = f" (er {len(value)})" if isinstance(value, str) else ""
        return f"{label}{where} må højst være på {field.max_length} tegn{length}."
    if code == "pattern":
        hint = f" {field.hint}" if field.hint else ""
        return f"{label}{where} har ikke det rigtige format.{hint}"
    if code == "choice":
        return f"Vælg en af de mulige værdier for {label}{where}."
    if code == "cpr":
        return f"{label}{where} skal være et CPR-nummer med 10 cifre og en gyldig fødselsdato."
    if code == "source":
        allowed = ", ".join(s.label for s in field.sources)
        return f"Kilden for {label}{where} skal være en af: {allowed}."
    if code == "min_rows":
        return f"{label} skal have mindst {field.min_rows} rækker."
    if code == "max_rows":
        return f"{label} må højst have {field.max_rows} rækker."
    if code == "too_many_rows":
        return f"{label} kan højst have {MAX_INPUT_ITEMS} rækker."
    return f"{label}{where} er ikke udfyldt korrekt."


def _looks_like_a_date(value: str) -> bool:
    text = value.strip()
    return bool(DANISH_DATE.match(text) or re.match(r"^\d{4}-\d{1,2}-\d{1,2}$", text))
