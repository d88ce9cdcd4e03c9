"""One answer → text rule for the form page, Word and reports."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from forms_service.answers.coerce import Attachment
from forms_service.answers.text import (
    NOT_ANSWERED,
    NOT_COMPUTABLE,
    answer_text,
    cell_text,
    computed_text,
)
from forms_service.definitions.model import Computed, ComputedType, Field, FieldType, Option


def _field(kind: FieldType, **extra: Any) -> Field:
    return Field(id="f", type=kind, label="F", path="sections[0].fields[0]", **extra)


SOURCES = (Option("egen_laege", "Egen læge"),)
OPTIONS = (Option("a", "Første"), Option("b", "Anden"))


@pytest.mark.parametrize(
    ("kind", "value", "extra", "text"),
    [
        (FieldType.INTEGER, 1234, {"unit": "timer"}, "1.234 timer"),
        (FieldType.INTEGER, 37.0, {}, "37"),
        (FieldType.NUMBER, 20.0, {}, "20"),
        (FieldType.NUMBER, 12.5, {"unit": "år"}, "12,5 år"),
        (FieldType.DATE, "2026-03-03", {}, "3. marts 2026"),
        (FieldType.DATE, dt.date(2026, 3, 3), {}, "3. marts 2026"),
        (FieldType.BOOLEAN, False, {}, "Nej"),
        (FieldType.CHOICE, "b", {"options": OPTIONS}, "Anden"),
        (FieldType.MULTICHOICE, ["a", "b"], {"options": OPTIONS}, "Første, Anden"),
        (FieldType.CPR, "0101601234", {}, "010160-1234"),
        (FieldType.REPEAT, [{}, {}], {}, "2 rækker"),
        (FieldType.TEXT, None, {}, NOT_ANSWERED),
        (FieldType.TEXT, "", {}, NOT_ANSWERED),
    ],
)
def test_an_answer_reads_as_danish_text(
    kind: FieldType, value: object, extra: dict[str, Any], text: str
) -> None:
    assert answer_text(_field(kind, **extra), value) == text


def test_a_masked_cpr_keeps_the_birth_date() -> None:
    assert answer_text(_field(FieldType.CPR), "010160-1234", mask_cpr=True) == "010160-****"


def test_an_empty_cell_in_a_row_stays_empty() -> None:
    assert cell_text(_field(FieldType.TEXT), None) == ""
    assert cell_text(_field(FieldType.BOOLEAN), True) == "Ja"


def test_stored_and_evaluated_attachments_read_the_same() -> None:
    f = _field(FieldType.ATTACHMENT, sources=SOURCES)
    stored = {"title": "Lægeerklæring", "source": "egen_laege", "date": "2026-03-03"}
    evaluated = Attachment("Lægeerklæring", "egen_laege", dt.date(2026, 3, 3), "J-17")
    assert answer_text(f, stored) == "Lægeerklæring (Egen læge, 3. marts 2026)"
    assert answer_text(f, evaluated) == "Lægeerklæring (Egen læge, 3. marts 2026), ref. J-17"


def test_a_computed_value_says_what_it_waits_for() -> None:
    c = Computed("aar", "x", "computed[0]", type=ComputedType.NUMBER, decimals=1, unit="år")
    assert computed_text(c, 27.0) == "27,0 år"
    assert computed_text(c, None) == NOT_COMPUTABLE
    assert (
        computed_text(c, -1.0, missing=["Beskæftigelsesperioder"])
        == "Kan ikke beregnes endnu (mangler: Beskæftigelsesperioder)"
    )
    whole = Computed("n", "x", "computed[1]", type=ComputedType.INTEGER)
    assert computed_text(whole, 3.0) == "3"
    day = Computed("d", "x", "computed[2]", type=ComputedType.DATE)
    assert computed_text(day, dt.date(2026, 9, 10)) == "10. september 2026"
    yes = Computed("b", "x", "computed[3]", type=ComputedType.BOOLEAN)
    assert computed_text(yes, True) == "Ja"
