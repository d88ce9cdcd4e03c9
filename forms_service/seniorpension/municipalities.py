"""The 98 Danish municipalities and 5 regions, from the bundled ``data/municipalities.csv``.

The list is data shipped with the package (codes from Danmarks Statistik / DAGI), loaded once;
the objects are immutable so callers can share them.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import MappingProxyType


@dataclass(frozen=True, slots=True)
class Region:
    code: int
    name: str


@dataclass(frozen=True, slots=True)
class Municipality:
    code: int
    name: str
    region_code: int
    region_name: str

    @property
    def region(self) -> Region:
        return Region(self.region_code, self.region_name)

    @property
    def code_str(self) -> str:
        """The code as the three digits used in registers, e.g. ``"101"``."""
        return f"{self.code:03d}"


@dataclass(frozen=True, slots=True)
class _Registry:
    by_code: MappingProxyType[int, Municipality]
    by_name: MappingProxyType[str, Municipality]
    regions: MappingProxyType[int, Region]


@cache
def _registry() -> _Registry:
    text = resources.files(__package__).joinpath("data/municipalities.csv").read_text("utf-8")
    by_code: dict[int, Municipality] = {}
    regions: dict[int, Region] = {}
    for row in csv.DictReader(io.StringIO(text)):
        municipality = Municipality(
            code=int(row["code"]),
            name=row["name"].strip(),
            region_code=int(row["region_code"]),
            region_name=row["region_name"].strip(),
        )
        if municipality.code in by_code:
            raise ValueError(
                f"municipalities.csv: kommunekode {municipality.code} optræder to gange"
            )
        by_code[municipality.code] = municipality
        regions.setdefault(municipality.region_code, municipality.region)
    by_name = {m.name.casefold(): m for m in by_code.values()}
    return _Registry(
        MappingProxyType(dict(sorted(by_code.items()))),
        MappingProxyType(by_name),
        MappingProxyType(dict(sorted(regions.items()))),
    )


def _code(value: int | str) -> int:
    if isinstance(value, bool):
        raise TypeError("a municipality code is a number, not a boolean")
    return int(str(value).strip())


def all_municipalities() -> tuple[Municipality, ...]:
    """All municipalities ordered by code."""
    return tuple(_registry().by_code.values())


def all_regions() -> tuple[Region, ...]:
    """The five regions ordered by code."""
    return tuple(_registry().regions.values())


def municipality_by_code(code: int | str) -> Municipality:
    """The municipality with ``code`` (``101`` or ``"101"``); ``KeyError`` if unknown."""
    try:
        return _registry().by_code[_code(code)]
    except (KeyError, ValueError):
        raise KeyError(f"ukendt kommunekode: {code!r}") from None


def municipality_by_name(name: str) -> Municipality:
    """The municipality named ``name`` (case-insensitive); ``KeyError`` if unknown."""
    try:
        # no municipality's name holds a space, so the joiner's text is never seen
        return _registry().by_name[" ".join(name.split()).casefold()]  # pragma: no mutate
    except KeyError:
        raise KeyError(f"ukendt kommune: {name!r}") from None


def region_by_code(code: int | str) -> Region:
    """The region with ``code`` (1081-1085); ``KeyError`` if unknown."""
    try:
        return _registry().regions[_code(code)]
    except (KeyError, ValueError):
        raise KeyError(f"ukendt regionskode: {code!r}") from None


def municipalities_in_region(region_code: int | str) -> tuple[Municipality, ...]:
    region = region_by_code(region_code)
    return tuple(m for m in all_municipalities() if m.region_code == region.code)


FORUM_MUNICIPALITY_CODES: tuple[int, ...] = (101, 329, 766, 561, 810)
"""The pilot municipalities in the forum: København, Ringsted, Hedensted, Esbjerg, Brønderslev."""

FORUM_MUNICIPALITIES: tuple[Municipality, ...] = tuple(
    municipality_by_code(code) for code in FORUM_MUNICIPALITY_CODES
)
