from __future__ import annotations

import datetime as dt
import io
import logging
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from forms_service.seniorpension import (
    CprRedactingFilter,
    birth_date_from_cpr,
    install_cpr_redaction,
    is_valid_cpr,
    mask_cpr,
    mask_text,
    normalize_cpr,
)
from forms_service.seniorpension.cpr import MASK, format_cpr

from ._fixtures import load_fixture

CASES = load_fixture("cpr.json")


@pytest.mark.parametrize(("cpr", "birth"), CASES["valid"])
def test_century_rule_and_birth_date(cpr: str, birth: str) -> None:
    assert is_valid_cpr(cpr)
    assert birth_date_from_cpr(cpr) == dt.date.fromisoformat(birth)


@pytest.mark.parametrize("cpr", CASES["invalid"])
def test_invalid_cpr(cpr: str) -> None:
    assert not is_valid_cpr(cpr)
    with pytest.raises(ValueError):
        birth_date_from_cpr(cpr)


def test_modulus_11_is_not_required() -> None:
    cpr = "0101801234"
    weights = (4, 3, 2, 7, 6, 5, 4, 3, 2, 1)
    assert sum(int(d) * w for d, w in zip(cpr, weights, strict=True)) % 11 != 0

    assert is_valid_cpr(cpr)


@pytest.mark.parametrize("value", [None, 101801234, ["0101801234"]])
def test_non_text_is_not_a_cpr(value: object) -> None:
    assert not is_valid_cpr(value)


def test_normalize_and_mask() -> None:
    assert normalize_cpr(" 010180-1234 ") == "0101801234"
    assert normalize_cpr("0101801234") == "0101801234"
    assert mask_cpr("010180-1234") == "010180-****"
    assert mask_cpr("0101801234") == "010180-****"


@pytest.mark.parametrize(
    ("value", "full", "masked"),
    [
        ("231160-1234", "231160-1234", "231160-****"),
        ("2311601234", "231160-1234", "231160-****"),
        (" 231160 1234 ", "231160-1234", "231160-****"),
        ("12", "", ""),
        ("23116012345", "", ""),
        (None, "", ""),
    ],
)
def test_format_cpr_prints_what_is_stored_in_one_spelling(
    value: object, full: str, masked: str
) -> None:
    assert format_cpr(value) == full
    assert format_cpr(value, masked=True) == masked
    if masked:
        assert masked.endswith("-" + MASK)


def test_normalize_error_does_not_echo_the_number() -> None:
    with pytest.raises(ValueError) as error:
        normalize_cpr("0101801234 x")

    assert "1234" not in str(error.value)


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("cpr 0101801234.", "cpr 010180-****."),
        ("cpr=010180-1234,", "cpr=010180-****,"),
        ("a 0101801234 og b 3112992999", "a 010180-**** og b 311299-****"),
        ("ordre 12345678901", "ordre 12345678901"),
        ("telefon 12345678", "telefon 12345678"),
        ("dato 2024-01-01", "dato 2024-01-01"),
        ("ikke en dato 4013801234", "ikke en dato 4013801234"),
    ],
)
def test_mask_text(text: str, masked: str) -> None:
    assert mask_text(text) == masked


class _Citizen:
    def __str__(self) -> str:
        return "Borger 2512601234"


@pytest.fixture
def captured() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    handler.addFilter(CprRedactingFilter())
    logger = logging.getLogger("tests.seniorpension.cpr")
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    logger.addHandler(handler)
    try:
        yield logger, stream
    finally:
        logger.removeHandler(handler)


def test_log_filter_redacts_message_and_arguments(captured) -> None:
    logger, stream = captured

    logger.info("sag for 0101801234 oprettet")
    logger.info("sag for %s og %s", "010180-1234", _Citizen())
    logger.info("sag %(cpr)s", {"cpr": "1502701234"})
    logger.warning("tal %d%d", 150270, 1234)
    logger.info("sag nr. 12345678901 uden cpr")

    output = stream.getvalue()
    assert "1234" not in output.replace("12345678901", "")
    assert output.splitlines() == [
        "INFO sag for 010180-**** oprettet",
        "INFO sag for 010180-**** og Borger 251260-****",
        "INFO sag 150270-****",
        "WARNING tal 150270-****",
        "INFO sag nr. 12345678901 uden cpr",
    ]


def test_log_filter_redacts_exception_text(captured) -> None:
    logger, stream = captured

    try:
        raise ValueError("ugyldig borger 0101801234")
    except ValueError:
        logger.exception("fejl for %s", "0101801234")

    output = stream.getvalue()
    assert "fejl for 010180-****" in output
    assert "ValueError: ugyldig borger 010180-****" in output
    assert "0101801234" not in output


def test_log_filter_keeps_a_malformed_record(captured) -> None:
    logger, stream = captured

    logger.info("for mange %s %s", "0101801234")  # one argument short: logging would fail

    assert stream.getvalue() == "INFO for mange %s %s ('010180-****',)\n"


def test_install_cpr_redaction_filters_every_handler_once() -> None:
    logger = logging.getLogger("tests.seniorpension.install")
    logger.propagate = False
    streams = [io.StringIO(), io.StringIO()]
    handlers = [logging.StreamHandler(stream) for stream in streams]
    for handler in handlers:
        logger.addHandler(handler)
    try:
        install_cpr_redaction(logger)
        install_cpr_redaction(logger)
        logger.warning("borger %s", "2512601234")
    finally:
        for handler in handlers:
            logger.removeHandler(handler)

    assert [stream.getvalue() for stream in streams] == ["borger 251260-****\n"] * 2
    assert all(len(handler.filters) == 1 for handler in handlers)


def _century_allows(digit: int, year2: int, century: int) -> bool:
    # The published 7th-digit table, restated independently of the implementation.
    if century == 1800:
        return 5 <= digit <= 8 and year2 >= 58
    if century == 1900:
        return digit <= 3 or (digit in (4, 9) and year2 >= 37)
    return (digit in (4, 9) and year2 <= 36) or (5 <= digit <= 8 and year2 <= 57)


@given(
    st.dates(min_value=dt.date(1858, 1, 1), max_value=dt.date(2057, 12, 31)),
    st.integers(min_value=0, max_value=999),
    st.data(),
)
def test_birth_date_round_trips_through_a_cpr_number(
    birth: dt.date, serial: int, data: st.DataObject
) -> None:
    year2 = birth.year % 100
    century = birth.year - year2
    digits = [d for d in range(10) if _century_allows(d, year2, century)]
    assert digits  # every birth date from 1858 to 2057 can be written
    digit = data.draw(st.sampled_from(digits))
    cpr = f"{birth:%d%m%y}{digit}{serial:03d}"

    assert is_valid_cpr(cpr)
    assert birth_date_from_cpr(cpr) == birth
    assert mask_cpr(cpr) == f"{birth:%d%m%y}-****"


def test_a_content_hash_with_ten_digits_in_a_row_is_no_cpr_number() -> None:
    from forms_service.seniorpension.cpr import mask_text

    digest = "57728ff8a1e07af3309a99050c80395c38147b5cc71d4b52fb237e2009424542"
    assert mask_text(digest) == digest
    assert mask_text(f"hash {digest}.") == f"hash {digest}."
    # a CPR number beside punctuation or spaces is still masked
    assert mask_text("cpr:2009424542, x") == "cpr:200942-****, x"
    assert mask_text("(200942-4542)") == "(200942-****)"


def _record(msg: str, args: tuple, **extra: object) -> logging.LogRecord:
    record = logging.LogRecord("t", logging.INFO, __file__, 1, msg, args, None)
    for key, value in extra.items():
        setattr(record, key, value)
    return record


def test_the_filter_leaves_a_formatted_masked_message_without_arguments() -> None:
    redacting = CprRedactingFilter()
    record = _record("sag %s", ("0101801234",))
    assert redacting.filter(record) is True
    assert (record.msg, record.args) == ("sag 010180-****", ())
    malformed = _record("sag %s %s", ("0101801234",))
    assert redacting.filter(malformed) is True
    assert (malformed.msg, malformed.args) == ("sag %s %s ('010180-****',)", ())


def test_the_filter_formats_and_masks_a_traceback_and_a_stack() -> None:
    redacting = CprRedactingFilter()
    try:
        raise ValueError("borger 0101801234")
    except ValueError:
        import sys

        record = _record("fejl", (), exc_info=sys.exc_info(), stack_info="kaldt med 0101801234")
    redacting.filter(record)
    assert record.exc_text is not None
    assert record.exc_text.endswith("ValueError: borger 010180-****")
    assert record.stack_info == "kaldt med 010180-****"
    # a traceback text already formatted (by an earlier handler) is masked, not replaced
    again = _record("fejl", (), exc_info=record.exc_info, exc_text="tidligere 0101801234")
    redacting.filter(again)
    assert again.exc_text == "tidligere 010180-****"


def test_installing_without_a_logger_filters_the_root_handlers() -> None:
    root = logging.getLogger()
    handler = logging.StreamHandler(io.StringIO())
    root.addHandler(handler)
    try:
        install_cpr_redaction()
        assert any(isinstance(f, CprRedactingFilter) for f in handler.filters)
    finally:
        root.removeHandler(handler)


def test_numbers_shaped_like_cpr_numbers_are_removed_whole() -> None:
    from forms_service.seniorpension.cpr import remove_cpr_like

    assert remove_cpr_like("ring 999999-1234 eller 0101801234.", "[skjult]") == (
        "ring [skjult] eller [skjult]."
    )
    assert remove_cpr_like("sag 12345678901", "[skjult]") == "sag 12345678901"


def test_the_errors_say_what_is_wrong_in_danish() -> None:
    with pytest.raises(ValueError) as shape:
        normalize_cpr("0101801234 x")
    # the shape is named and the number quoted masked, so a log line can be read safely
    assert str(shape.value) == "et CPR-nummer har formen DDMMÅÅ-XXXX: '010180-**** x'"
    with pytest.raises(ValueError) as date:
        birth_date_from_cpr("320190-1234")
    assert str(date.value) == "CPR-nummerets dato findes ikke: 320190"
