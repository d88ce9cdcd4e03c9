"""Version numbers: semantic-version order and pre-releases (pure)."""

from __future__ import annotations

import re

_VERSION = re.compile(r"^(\d+)\.(\d+)\.(\d+)(?:-(.+))?$")


def version_key(version: str) -> tuple[int, int, int, int, tuple[tuple[int, int | str], ...]]:
    """Semantic-version order: 2.0.0-pilot.1 < 2.0.0 < 2.0.1."""
    match = _VERSION.match(version)
    if match is None:
        return (-1, -1, -1, 0, ())
    major, minor, patch, pre = match.groups()
    if pre is None:
        return (int(major), int(minor), int(patch), 1, ())
    parts = tuple((0, int(p)) if p.isdigit() else (1, p) for p in pre.split("."))
    return (int(major), int(minor), int(patch), 0, parts)  # type: ignore[return-value]


def is_prerelease(version: str) -> bool:
    return "-" in version
