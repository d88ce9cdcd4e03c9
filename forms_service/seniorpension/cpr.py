"""CPR numbers: normalising, validating, the birth date, masking and keeping them out of logs.

Validation checks the form (10 digits) and the date part only. The modulus-11 check is not
used: CPR numbers without it have been issued since 2007, so it would reject real people.
"""

from __future__ import annotations

import datetime as dt
import logging
import re

_CPR_INPUT = re.compile(r"^(\d{6})-?(\d{4})$")
# A 10-digit number, or 6-4 with a hyphen, not part of a longer run of digits or letters,
# whose first four digits could be a day and a month: that is what "looks like a CPR number"
# in free text. Letters count as part of the run so that a hex content hash (sha256), which
# often holds ten digits in a row, is not taken for one.
_CPR_IN_TEXT = re.compile(
    r"(?<![^\W_])((?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])\d{2})(-?)(\d{4})(?![^\W_])"
)
MASK = "****"
"""The one spelling of a masked serial number (``DDMMYY-****``): pages, API, documents, logs."""
# Any 6+4 digits, valid date or not: for text that leaves the service (e-mail), where even a
# mistyped number must not go out.
_CPR_LIKE = re.compile(r"(?<!\d)\d{6}-?\d{4}(?!\d)")


def normalize_cpr(value: str) -> str:
    """``"DDMMYY-XXXX"`` or ``"DDMMYYXXXX"`` (surrounding space allowed) → 10 digits.

    Raises ``ValueError`` when the value does not have that form; the date is not checked.
    """
    match = _CPR_INPUT.match(str(value).strip())
    if match is None:
        raise ValueError(f"et CPR-nummer har formen DDMMÅÅ-XXXX: {mask_text(str(value))!r}")
    return match.group(1) + match.group(2)


def _century(year2: int, seventh_digit: int) -> int:
    # The CPR office's rule: the 7th digit (first of the serial number) fixes the century.
    if seventh_digit <= 3:
        return 1900
    if seventh_digit in (4, 9):
        return 2000 if year2 <= 36 else 1900
    return 2000 if year2 <= 57 else 1800


def birth_date_from_cpr(value: str) -> dt.date:
    """The birth date encoded in a CPR number; ``ValueError`` if malformed or not a date."""
    digits = normalize_cpr(value)
    day, month, year2 = int(digits[0:2]), int(digits[2:4]), int(digits[4:6])
    year = _century(year2, int(digits[6])) + year2
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"CPR-nummerets dato findes ikke: {digits[:6]}") from None


def is_valid_cpr(value: object) -> bool:
    """10 digits (optionally DDMMYY-XXXX) whose date part is a real date."""
    if not isinstance(value, str):
        return False
    try:
        birth_date_from_cpr(value)
    except ValueError:
        return False
    return True


def mask_cpr(value: str) -> str:
    """``"DDMMYY-XXXX"`` → ``"DDMMYY-****"``: the birth date stays, the serial number goes."""
    digits = normalize_cpr(value)
    return f"{digits[:6]}-{MASK}"


def format_cpr(value: object, *, masked: bool = False) -> str:
    """A stored CPR number as text: ``DDMMYY-XXXX``, or ``DDMMYY-****`` when ``masked``.

    Lenient, for printing what is stored (documents, pages): any 10 digits, however spaced,
    read as a CPR number; anything else gives ``""`` (the caller says "unknown format").
    """
    if value is None:
        return ""
    digits = "".join(ch for ch in str(value) if ch.isdigit())
    if len(digits) != 10:
        return ""
    return f"{digits[:6]}-{MASK if masked else digits[6:]}"


def mask_text(text: str) -> str:
    """``text`` with every CPR-looking number masked."""
    return _CPR_IN_TEXT.sub(lambda m: f"{m.group(1)}-{MASK}", text)


def remove_cpr_like(text: str, replacement: str) -> str:
    """``text`` with every number shaped like a CPR number replaced whole (birth date too)."""
    return _CPR_LIKE.sub(replacement, text)


class CprRedactingFilter(logging.Filter):
    """Masks CPR-looking numbers in log records so they never reach application logs.

    The record's message is formatted with its arguments and masked as a whole (a CPR number
    can also arrive as ``%d``/``%s`` arguments or inside an object's ``str``), then the
    arguments are cleared; an exception's traceback text is masked too. Attach it to the
    handlers (``handler.addFilter``): a filter on a logger does not see records propagated from
    child loggers. It never drops a record.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            # A message that does not match its arguments: keep the record, readable and
            # masked, rather than letting the handler fail on it later.
            record.msg = mask_text(f"{record.msg} {record.args!r}")
            record.args = ()
        else:
            record.msg = mask_text(message)
            record.args = ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_text(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_text(record.stack_info)
        return True


def install_cpr_redaction(logger: logging.Logger | None = None) -> CprRedactingFilter:
    """Add one shared ``CprRedactingFilter`` to every handler of ``logger`` (default: root).

    Call it after the handlers are configured (app start, CLI start); handlers that already
    carry a ``CprRedactingFilter`` are left alone. Returns the filter for handlers added later.
    """
    target = logger if logger is not None else logging.getLogger()
    redacting = CprRedactingFilter()
    for handler in target.handlers:
        if not any(isinstance(f, CprRedactingFilter) for f in handler.filters):
            handler.addFilter(redacting)
    return redacting
