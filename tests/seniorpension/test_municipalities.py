from __future__ import annotations

import dataclasses

import pytest

from forms_service.seniorpension import (
    FORUM_MUNICIPALITIES,
    Municipality,
    Region,
    all_municipalities,
    all_regions,
    municipalities_in_region,
    municipality_by_code,
    municipality_by_name,
    region_by_code,
)


def test_there_are_98_municipalities_with_unique_three_digit_codes() -> None:
    municipalities = all_municipalities()

    assert len(municipalities) == 98
    assert len({m.code for m in municipalities}) == 98
    assert len({m.name for m in municipalities}) == 98
    assert all(100 <= m.code <= 999 for m in municipalities)
    assert [m.code for m in municipalities] == sorted(m.code for m in municipalities)


def test_there_are_five_regions() -> None:
    assert all_regions() == (
        Region(1081, "Region Nordjylland"),
        Region(1082, "Region Midtjylland"),
        Region(1083, "Region Syddanmark"),
        Region(1084, "Region Hovedstaden"),
        Region(1085, "Region Sjælland"),
    )


def test_every_municipality_belongs_to_one_of_the_regions() -> None:
    counts = {region.code: len(municipalities_in_region(region.code)) for region in all_regions()}

    assert sum(counts.values()) == 98
    assert counts == {1081: 11, 1082: 19, 1083: 22, 1084: 29, 1085: 17}
    assert all(m.region in all_regions() for m in all_municipalities())


def test_forum_municipalities() -> None:
    assert [(m.code, m.name, m.region_name) for m in FORUM_MUNICIPALITIES] == [
        (101, "København", "Region Hovedstaden"),
        (329, "Ringsted", "Region Sjælland"),
        (766, "Hedensted", "Region Midtjylland"),
        (561, "Esbjerg", "Region Syddanmark"),
        (810, "Brønderslev", "Region Nordjylland"),
    ]


def test_lookup_by_code_accepts_int_and_text() -> None:
    assert municipality_by_code(101) is municipality_by_code("101")
    assert municipality_by_code(" 147 ").name == "Frederiksberg"
    assert municipality_by_code(101).code_str == "101"


def test_lookup_by_name_is_case_insensitive() -> None:
    assert municipality_by_name("københavn").code == 101
    assert municipality_by_name("  BRØNDERSLEV ").code == 810


@pytest.mark.parametrize("code", [100, "999", "abc", ""])
def test_unknown_code_raises_key_error(code: object) -> None:
    with pytest.raises(KeyError):
        municipality_by_code(code)  # type: ignore[arg-type]


def test_unknown_name_and_region_raise_key_error() -> None:
    with pytest.raises(KeyError):
        municipality_by_name("Atlantis")
    with pytest.raises(KeyError):
        region_by_code(1086)
    assert region_by_code("1084").name == "Region Hovedstaden"


def test_objects_are_immutable() -> None:
    municipality = municipality_by_code(101)

    with pytest.raises(dataclasses.FrozenInstanceError):
        municipality.name = "Kbh"  # type: ignore[misc]
    assert isinstance(municipality, Municipality)


def test_lookup_errors_name_what_was_looked_up() -> None:
    with pytest.raises(KeyError, match="ukendt kommunekode: 999"):
        municipality_by_code(999)
    with pytest.raises(KeyError, match="ukendt kommune: 'Atlantis'"):
        municipality_by_name("Atlantis")
    with pytest.raises(KeyError, match="ukendt regionskode: 1086"):
        region_by_code(1086)
    with pytest.raises(TypeError, match=r"^a municipality code is a number, not a boolean$"):
        municipality_by_code(True)
