"""Suggesting the number of a new version (pure)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal

Kind = Literal["major", "minor", "patch", "pilot"]
KINDS: dict[str, str] = {
    "minor": "Mindre ændring (ny minor-version)",
    "major": "Større ændring (ny major-version)",
    "patch": "Rettelse (ny patch-version)",
    "pilot": "Pilotversion (før-udgivelse til afprøvning)",
}
_VERSION = re.compile(r"^(\d+)\.(\d+)\.(\d+)(?:-(.+))?$")
_PILOT = re.compile(r"^pilot\.(\d+)$")


def _parts(version: str) -> tuple[int, int, int, str | None]:
    match = _VERSION.match(version)
    if match is None:
        raise ValueError(f"'{version}' er ikke en semantisk version")
    major, minor, patch, pre = match.groups()
    return int(major), int(minor), int(patch), pre


def suggest_version(base: str, kind: str, existing: Iterable[str]) -> str:
    """The next free version number after ``base`` for a change of ``kind``.

    A pre-release base (``2.0.0-pilot.1``) is followed by its own release (``2.0.0``) or its
    next pilot (``2.0.0-pilot.2``); a release is followed by the next major, minor or patch, and
    a pilot of the next major (``2.0.0-pilot.1`` after ``1.x``).
    """
    taken = set(existing)
    major, minor, patch, pre = _parts(base)
    if kind == "pilot":
        if pre is None:
            major, minor, patch = major + 1, 0, 0
        number = 1
        while f"{major}.{minor}.{patch}-pilot.{number}" in taken:
            number += 1
        return f"{major}.{minor}.{patch}-pilot.{number}"
    if pre is not None and f"{major}.{minor}.{patch}" not in taken:
        return f"{major}.{minor}.{patch}"
    while True:
        if kind == "major":
            major, minor, patch = major + 1, 0, 0
        elif kind == "minor":
            minor, patch = minor + 1, 0
        elif kind == "patch":
            patch += 1
        else:
            raise ValueError(f"ukendt slags version '{kind}'")
        candidate = f"{major}.{minor}.{patch}"
        if candidate not in taken:
            return candidate
