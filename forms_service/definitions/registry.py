"""The registry: which forms and versions exist, loading and caching compiled versions."""

from __future__ import annotations

import os
import re
import threading
from functools import cache
from pathlib import Path

from forms_service.definitions.loader import load_definition_file
from forms_service.definitions.model import FormDefinition

DEFINITIONS_ENV = "FORMS_SERVICE_DEFINITIONS_DIR"
_BUNDLED = Path(__file__).resolve().parents[2] / "form_definitions"
_VERSION = re.compile(r"^(\d+)\.(\d+)\.(\d+)(?:-(.+))?$")
# Versioned documents that live beside the forms but are not forms (the citizen brochure).
NON_FORM_FOLDERS = frozenset({"pjece"})


class UnknownFormError(LookupError):
    pass


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


def parse_ref(ref: str) -> tuple[str, str]:
    """``form@version`` (or ``form@latest``) into its parts."""
    form, sep, version = ref.partition("@")
    if not sep or not form or not version:
        raise ValueError(f"'{ref}' skal have formen FORMULAR@VERSION, fx sagsoplysningsskema@1.0.0")
    return form, version


class Registry:
    """Definitions under ``root`` (``<form>/<version>.json``), plus versions added at run time.

    A loaded version is cached with the file's modification time and size, so an unchanged file is
    compiled once per process.
    """

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)
        self._lock = threading.Lock()
        self._cache: dict[tuple[str, str], tuple[tuple[int, int], FormDefinition]] = {}
        self._added: dict[tuple[str, str], FormDefinition] = {}

    def definition_files(self) -> list[Path]:
        """The form definition files under ``root`` (``<form>/<version>.json``)."""
        if not self.root.is_dir():
            return []
        return sorted(
            path for path in self.root.glob("*/*.json") if path.parent.name not in NON_FORM_FOLDERS
        )

    def forms(self) -> dict[str, list[str]]:
        found: dict[str, set[str]] = {}
        for path in self.definition_files():
            found.setdefault(path.parent.name, set()).add(path.stem)
        for form, version in self._added:
            found.setdefault(form, set()).add(version)
        return {form: sorted(v, key=version_key) for form, v in sorted(found.items())}

    def versions(self, form: str) -> list[str]:
        versions = self.forms().get(form)
        if not versions:
            raise UnknownFormError(f"ukendt formular '{form}'")
        return versions

    def path_of(self, form: str, version: str) -> Path:
        return self.root / form / f"{version}.json"

    def get(self, form: str, version: str) -> FormDefinition:
        added = self._added.get((form, version))
        if added is not None:
            return added
        path = self.path_of(form, version)
        try:
            stat = path.stat()
        except FileNotFoundError:
            raise UnknownFormError(f"ukendt formularversion '{form}@{version}'") from None
        # size as well as mtime: an edit within the file system's timestamp granularity
        stamp = (stat.st_mtime_ns, stat.st_size)
        with self._lock:
            cached = self._cache.get((form, version))
            if cached is not None and cached[0] == stamp:
                return cached[1]
        definition = load_definition_file(path)
        with self._lock:
            self._cache[(form, version)] = (stamp, definition)
        return definition

    def latest(self, form: str, *, include_prerelease: bool = False) -> FormDefinition:
        versions = [v for v in self.versions(form) if include_prerelease or not is_prerelease(v)]
        if not versions:
            raise UnknownFormError(f"formularen '{form}' har ingen udgivet version")
        return self.get(form, versions[-1])

    def resolve(self, ref: str) -> FormDefinition:
        form, version = parse_ref(ref)
        if version == "latest":
            return self.latest(form)
        return self.get(form, version)

    def add(self, definition: FormDefinition) -> None:
        """Make a version known that does not live under ``root`` (e.g. published in the app)."""
        key = (definition.form, definition.version)
        existing = self._added.get(key)
        if existing is not None and existing.content_hash != definition.content_hash:
            raise ValueError(f"{definition.ref} findes allerede med et andet indhold")
        self._added[key] = definition

    def clear_cache(self) -> None:
        with self._lock:
            self._cache.clear()


def definitions_root() -> Path:
    return Path(os.environ.get(DEFINITIONS_ENV) or _BUNDLED)


@cache
def _registry_for(root: str) -> Registry:
    return Registry(root)


def default_registry() -> Registry:
    """The process-wide registry of the bundled (or configured) definitions folder."""
    return _registry_for(str(definitions_root()))
