"""The registry: which forms and versions exist, loading and caching compiled versions.

One definition source for the app, the CLI and the workers: the files under a folder (the
bundled ``form_definitions/`` or ``FORMS_SERVICE_DEFINITIONS_DIR``) plus versions that live
elsewhere — those published in the editor, stored in the database. This package knows no
database: the other stores are *attached* as refresh functions (``Registry.attach``), and the
process-wide registry gets the configured database's store from the function installed with
``set_store_factory`` (``forms_service.wiring`` installs it; the editor owns the table).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from contextvars import ContextVar, Token
from functools import cache
from pathlib import Path

from forms_service.definitions.in_force import Schedule, read_manifest
from forms_service.definitions.loader import load_definition_file
from forms_service.definitions.model import FormDefinition
from forms_service.definitions.versioning import is_prerelease, version_key

DEFINITIONS_ENV = "FORMS_SERVICE_DEFINITIONS_DIR"
_BUNDLED = Path(__file__).resolve().parents[2] / "form_definitions"
# Versioned documents that live beside the forms but are not forms (the citizen brochure).
NON_FORM_FOLDERS = frozenset({"pjece"})
# How often a listing asks the attached stores for versions published since (another
# instance may have published), and how soon a miss may ask again.
REFRESH_SECONDS = 10.0
MISS_REFRESH_SECONDS = 1.0
MISSED_KEPT = 1024

log = logging.getLogger(__name__)

Refresh = Callable[["Registry"], object]
"""Adds the store's versions to the registry (``Registry.add``); called again and again, so
it adds only what is new."""


__all__ = ["Registry", "UnknownFormError", "is_prerelease", "parse_ref", "version_key"]


class UnknownFormError(LookupError):
    pass


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
        self._stores: dict[str, Refresh] = {}
        self._refresh_lock = threading.RLock()
        self._refreshing = False
        self._refreshed = float("-inf")
        self._reading: str | None = None  # the store being read: the origin of what it adds
        self._origin: dict[tuple[str, str], str] = {}
        self._stored_schedules: dict[str, dict[str, Schedule]] = {}
        self._missed: set[tuple[str, str]] = set()  # versions asked for and not found

    # -- other stores ----------------------------------------------------------------------

    def attach(self, name: str, refresh: Refresh) -> None:
        """Attach a store of versions (e.g. ``"database"``), replacing one of the same name and
        forgetting the versions that one added. Its versions then count as the files' do; it is
        read at the next listing, then when a listing is older than ``REFRESH_SECONDS`` and
        when a version is not found."""
        with self._refresh_lock:
            self._forget(name)
            self._stores[name] = refresh
            self._refreshed = float("-inf")

    def detach(self, name: str) -> None:
        with self._refresh_lock:
            self._forget(name)
            self._stores.pop(name, None)

    def _forget(self, name: str) -> None:
        for key in [key for key, origin in self._origin.items() if origin == name]:
            del self._origin[key]
            self._added.pop(key, None)

    def has_store(self, name: str) -> bool:
        return name in self._stores

    def refresh(self, *, older_than: float = 0.0) -> None:
        """Read the attached stores, unless they were read less than ``older_than`` s ago."""
        if not self._stores:
            return
        with self._refresh_lock:
            # a store adding its versions calls get(): no second read from inside the first
            if self._refreshing or time.monotonic() - self._refreshed < older_than:
                return
            self._refreshing = True
            try:
                for name, refresh in list(self._stores.items()):
                    self._reading = name
                    try:
                        refresh(self)
                    except Exception:  # a store that is down: the files still serve
                        log.warning("Definition store %r could not be read", name, exc_info=True)
            finally:
                self._refreshing = False
                self._reading = None
                self._refreshed = time.monotonic()

    def definition_files(self) -> list[Path]:
        """The form definition files under ``root`` (``<form>/<version>.json``)."""
        if not self.root.is_dir():
            return []
        return sorted(
            path for path in self.root.glob("*/*.json") if path.parent.name not in NON_FORM_FOLDERS
        )

    def forms(self) -> dict[str, list[str]]:
        self.refresh(older_than=REFRESH_SECONDS)
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
            # published since the stores were last read (perhaps by another instance)? The
            # first miss of a version reads the stores at once; asking again for one still
            # unknown reads them at most once a MISS_REFRESH_SECONDS (a client retrying a
            # wrong number does not become a database read per request)
            key = (form, version)
            with self._lock:
                first_miss = key not in self._missed
                if len(self._missed) >= MISSED_KEPT:
                    self._missed.clear()
                self._missed.add(key)
            self.refresh(older_than=0.0 if first_miss else MISS_REFRESH_SECONDS)
            added = self._added.get((form, version))
            if added is not None:
                return added
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
        if self._reading is not None and existing is None:
            self._origin[key] = self._reading

    def schedules(self, form: str) -> dict[str, Schedule]:
        """When ``form``'s versions are in force: the bundled versions' from
        ``<root>/<form>/in-force.toml``, the others' as a store last gave them
        (``set_stored_schedules``, at the store's last read); a manifest entry wins."""
        return {**self._stored_schedules.get(form, {}), **read_manifest(self.root / form)}

    def set_stored_schedules(self, schedules: dict[str, dict[str, Schedule]]) -> None:
        """A store's schedules ({form: {version: schedule}}) of the versions it adds."""
        self._stored_schedules = {form: dict(s) for form, s in schedules.items()}

    def clear_cache(self) -> None:
        with self._lock:
            self._cache.clear()

    def sibling(self) -> Registry:
        """A registry over the same files with stores and added versions of its own; the
        files parsed by either are parsed once (the parsed-file cache is shared)."""
        other = Registry(self.root)
        other._cache, other._lock = self._cache, self._lock
        return other


def definitions_root() -> Path:
    return Path(os.environ.get(DEFINITIONS_ENV) or _BUNDLED)


# ``database URL or None (the configured one) -> refresh``: how this process reads a database's
# published versions. Installed from above (``forms_service.wiring``), as this package knows no
# database; without it the registry holds the files only.
StoreFactory = Callable[[str | None], Refresh]
_store_factory: StoreFactory | None = None
DATABASE_STORE = "database"


def set_store_factory(factory: StoreFactory | None) -> None:
    global _store_factory
    _store_factory = factory


@cache
def _registry_for(root: str) -> Registry:
    return Registry(root)


# A command's own registry (``use_registry``): while set, ``default_registry`` and
# ``registry_for`` answer with it, so a command run in the same process as an app (tests,
# ``forms-service run``'s own thread) never attaches its database to the app's registry.
_current: ContextVar[Registry | None] = ContextVar("definition_source", default=None)


def process_registry() -> Registry:
    """The process-wide registry of the bundled (or configured) definitions folder, whatever
    registry a command uses: the app's definition source."""
    return _registry_for(str(definitions_root()))


def default_registry() -> Registry:
    """The definition source: a command's own registry while one is in use
    (``use_registry``); otherwise the process-wide one, which reads, once the process is wired
    (app, CLI, worker), the versions published in the configured database."""
    current = _current.get()
    if current is not None:
        return current
    registry = process_registry()
    if _store_factory is not None and not registry.has_store(DATABASE_STORE):
        registry.attach(DATABASE_STORE, _store_factory(None))
    return registry


def registry_for(database_url: str | None) -> Registry:
    """The definition source reading the published versions of ``database_url`` (a command's
    ``--database-url``; ``None``: the configured database) from now on: the command's own
    registry while one is in use, otherwise the process-wide one."""
    registry = _current.get() or process_registry()
    if _store_factory is not None:
        registry.attach(DATABASE_STORE, _store_factory(database_url))
    return registry


def own_registry(database_url: str | None = None) -> Registry:
    """A registry of its own (the process-wide one's files, parsed once) reading the versions
    published in ``database_url`` (``None``: the configured database)."""
    registry = process_registry().sibling()
    if _store_factory is not None:
        registry.attach(DATABASE_STORE, _store_factory(database_url))
    return registry


def use_registry(registry: Registry) -> Token[Registry | None]:
    """Make ``registry`` the definition source of this thread (or task) until
    ``stop_using_registry(token)``."""
    return _current.set(registry)


def stop_using_registry(token: Token[Registry | None]) -> None:
    _current.reset(token)
