"""An answer as Danish text: the one rule for the form page, the Word documents and reports.

The read-only form page, the filled-in Word form and anything else that prints an answer call
these functions, so a number, a date, a choice, an uploaded document or a computed value that
cannot be computed yet reads the same wherever it is shown. Values are the evaluation's
(``answers.evaluate``: typed, attachments as ``coerce.Attachment``) or stored JSON (ISO dates,
attachments as mappings); both give the same text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from forms_service import danish
from forms_service.definitions.model import Computed, ComputedType, Field, FieldType
from forms_service.seniorpension.cpr import format_cpr

NOT_ANSWERED = "Ikke besvaret"
NOT_COMPUTABLE = "Kan ikke beregnes endnu"


def is_answered(value: Any) -> bool:
    return value is not None and value != "" and value != [] and value != {}


def answer_text(f: Field, value: Any, *, mask_cpr: bool = False) -> str:
    """One answer as Danish text; an unanswered one reads "Ikke besvaret".

    A repeat group reads "N rækker" (its rows are printed cell by cell). A CPR number is
    printed ``DDMMYY-XXXX``, or ``DDMMYY-****`` with ``mask_cpr``.
    """
    if not is_answered(value):
        return NOT_ANSWERED
    kind = f.type
    if isinstance(value, bool) or kind is FieldType.BOOLEAN:
        return danish.yes_no(value)
    if kind in (FieldType.INTEGER, FieldType.NUMBER):
        return danish.number(value, 0 if kind is FieldType.INTEGER else None, f.unit)
    if kind is FieldType.DATE:
        return danish.date_long(value)
    if kind is FieldType.CHOICE:
        return f.option_label(str(value)) or str(value)
    if kind is FieldType.MULTICHOICE:
        values = value if isinstance(value, list | tuple) else [value]
        return danish.join_list(f.option_label(str(v)) or str(v) for v in values)
    if kind is FieldType.CPR:
        return format_cpr(value, masked=mask_cpr) or str(value)
    if kind is FieldType.ATTACHMENT:
        return attachment_text(f, value)
    if kind is FieldType.REPEAT:
        return f"{len(value)} rækker"
    return str(value)


def cell_text(f: Field, value: Any, *, mask_cpr: bool = False) -> str:
    """A sub-field's answer in a repeat row: an unanswered cell stays empty."""
    return answer_text(f, value, mask_cpr=mask_cpr) if is_answered(value) else ""


def attachment_text(f: Field, value: Any) -> str:
    """``Lægeerklæring (Egen læge, 3. marts 2026), ref. J-17``."""

    def part(name: str) -> Any:
        # stored JSON is a mapping, an evaluated answer an ``answers.coerce.Attachment``
        return value.get(name) if isinstance(value, Mapping) else getattr(value, name, None)

    source = part("source")
    source_label = next((s.label for s in f.sources if s.value == source), source)
    details = danish.join_list([source_label, danish.date_long(part("date"))])
    text = str(part("title") or "")
    if details:
        text += f" ({details})"
    if part("reference"):
        text += f", ref. {part('reference')}"
    return text


def computed_text(c: Computed, value: Any, *, missing: Sequence[str] = ()) -> str:
    """A computed value as Danish text.

    ``missing`` names (by label) the unanswered questions it is computed from: then it is no
    result yet ("0,0 år" from no employment periods), and the text says what it waits for.
    """
    if missing:
        return f"{NOT_COMPUTABLE} (mangler: {', '.join(missing)})"
    if value is None:
        return NOT_COMPUTABLE
    if c.type is ComputedType.DATE:
        return danish.date_long(value)
    if c.type is ComputedType.BOOLEAN:
        return danish.yes_no(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        decimals = 0 if c.type is ComputedType.INTEGER else c.decimals
        return danish.number(value, decimals, c.unit)
    text = str(value)
    return f"{text} {c.unit}" if c.unit else text
