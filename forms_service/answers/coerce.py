"""Reading one answer into its typed value.

HTML forms post strings and the JSON API posts JSON values; both go through the same
coercion so the two adapters cannot disagree about what "12,5" or "2024-03-01" means.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from forms_service.definitions.model import Field, FieldType
from forms_service.seniorpension.cpr import is_valid_cpr, normalize_cpr

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# the form page's date fields are text: a Danish caseworker types 05.11.2026 (or 5/11-2026)
DANISH_DATE = re.compile(r"^(\d{1,2})[.\-/ ](\d{1,2})[.\-/ ](\d{4})$")
_TRUE = {"true", "ja", "on", "1", "yes"}
_FALSE = {"false", "nej", "off", "0", "no"}


class CoercionError(ValueError):
    """The answer is not of the field's type; ``code`` names the problem."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True, slots=True)
class Attachment:
    title: str | None
    source: str | None
    date: dt.date | None
    reference: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "title": self.title,
            "source": self.source,
            "date": self.date.isoformat() if self.date else None,
        }
        if self.reference:
            out["reference"] = self.reference
        return out


def is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple | dict):
        return len(value) == 0 or (
            isinstance(value, dict) and all(is_empty(v) for v in value.values())
        )
    return False


def parse_date(value: Any) -> dt.date:
    if isinstance(value, str):
        text = value.strip()
        if _DATE.match(text):
            try:
                return dt.date.fromisoformat(text)
            except ValueError:
                raise CoercionError("date") from None
        danish = DANISH_DATE.match(text)
        if danish:
            day, month, year = (int(part) for part in danish.groups())
            try:
                return dt.date(year, month, day)
            except ValueError:
                raise CoercionError("date") from None
        raise CoercionError("date")
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raise CoercionError("date")


def _number(value: Any) -> float:
    if isinstance(value, bool):
        raise CoercionError("type")
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        text = value.strip().replace(" ", "")
        # Danish writes 1.234,5; accept that and the plain 1234.5 the API sends
        if "," in text:
            text = text.replace(".", "").replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            raise CoercionError("type") from None
    else:
        raise CoercionError("type")
    if not math.isfinite(number):
        raise CoercionError("type")
    return number


def coerce_value(field: Field, value: Any) -> Any:
    """The typed value of a non-empty answer, or CoercionError."""
    kind = field.type
    if kind in (FieldType.TEXT, FieldType.TEXTAREA):
        if not isinstance(value, str):
            raise CoercionError("type")
        # browsers send CRLF; store one newline convention so lengths and documents agree
        return value.replace("\r\n", "\n")
    if kind is FieldType.NUMBER:
        return _number(value)
    if kind is FieldType.INTEGER:
        number = _number(value)
        if not number.is_integer():
            raise CoercionError("type")
        return int(number)
    if kind is FieldType.DATE:
        return parse_date(value)
    if kind is FieldType.BOOLEAN:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in _TRUE:
            return True
        if isinstance(value, str) and value.strip().lower() in _FALSE:
            return False
        raise CoercionError("type")
    if kind is FieldType.CHOICE:
        if not isinstance(value, str):
            raise CoercionError("choice")
        if field.options and value not in {o.value for o in field.options}:
            raise CoercionError("choice")
        return value
    if kind is FieldType.MULTICHOICE:
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise CoercionError("choice")
        allowed = {o.value for o in field.options}
        if any(v not in allowed for v in values):
            raise CoercionError("choice")
        # keep the definition's order and no duplicates: answers compare equal however ticked
        return [o.value for o in field.options if o.value in values]
    if kind is FieldType.CPR:
        if not isinstance(value, str):
            raise CoercionError("cpr")
        try:
            normalised = normalize_cpr(value)
        except ValueError:
            raise CoercionError("cpr") from None
        if not is_valid_cpr(normalised):
            raise CoercionError("cpr")
        return normalised
    if kind is FieldType.ATTACHMENT:
        return _attachment(field, value)
    raise CoercionError("type")  # repeat groups are handled row by row by the caller


def coercer(field: Field) -> Callable[[Any], Any]:
    """``coerce_value`` for one field, its type decided once: evaluation coerces every answer
    of every case through the definition's fields, so the per-call dispatch is worth saving.
    Same results and errors as ``coerce_value(field, value)``."""
    kind = field.type
    if kind in (FieldType.TEXT, FieldType.TEXTAREA):
        return _text
    if kind is FieldType.NUMBER:
        return _number
    if kind is FieldType.INTEGER:
        return _integer
    if kind is FieldType.DATE:
        return parse_date
    if kind is FieldType.BOOLEAN:
        return _boolean
    if kind is FieldType.CHOICE:
        allowed = frozenset(o.value for o in field.options) if field.options else None

        def choice(value: Any) -> Any:
            if not isinstance(value, str):
                raise CoercionError("choice")
            if allowed is not None and value not in allowed:
                raise CoercionError("choice")
            return value

        return choice
    return lambda value: coerce_value(field, value)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise CoercionError("type")
    return value.replace("\r\n", "\n")


def _integer(value: Any) -> int:
    number = _number(value)
    if not number.is_integer():
        raise CoercionError("type")
    return int(number)


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE:
        return True
    if isinstance(value, str) and value.strip().lower() in _FALSE:
        return False
    raise CoercionError("type")


def _attachment(field: Field, value: Any) -> Attachment:
    if not isinstance(value, dict):
        raise CoercionError("type")
    title, source, date, reference = (
        value.get("title"),
        value.get("source"),
        value.get("date"),
        value.get("reference"),
    )
    for part in (title, source, reference):
        if part is not None and not isinstance(part, str):
            raise CoercionError("type")
    if not is_empty(source) and field.sources and source not in {s.value for s in field.sources}:
        raise CoercionError("source")
    parsed_date = None if is_empty(date) else parse_date(date)
    return Attachment(
        title=None if is_empty(title) else title.strip(),
        source=None if is_empty(source) else source,
        date=parsed_date,
        reference=None if is_empty(reference) else reference.strip(),
    )


def to_json_value(value: Any) -> Any:
    """The answers-document form of a typed value."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Attachment):
        return value.to_json()
    if isinstance(value, list):
        return [to_json_value(v) for v in value]
    if isinstance(value, dict):
        return {k: to_json_value(v) for k, v in value.items()}
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return value
    return value
