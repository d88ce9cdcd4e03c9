"""What the app factory, the CLI and the workers wire up alike, said once and explicitly.

- Every package's tables on the one metadata (``Base.metadata``), so the schema check and
  Alembic see them all: cases, attachments and archives, document jobs, the editor's drafts
  and versions, notifications, pilots and reporting, single sign-on, retention.
- The session listener that keeps the reporting tables current
  (``forms_service.pilots.tracking``): registered here, by the factory and the CLI, not on
  import.
- The domain's functions for form expressions (``seniorpension.cel_functions``), registered
  with the definition language (``definitions.functions``), which does not import the domain.
- The pilots' rule for which form version a new case gets (``cases.form_versions``).
- The pilots' guard on publishing: a running pilot's groups keep or switch (``pilots.versions``).
- The notifications outbox as an observer of case changes (``cases.observers``).
- One definition source: the registry's files plus the versions published in the database
  (``definition_source``; the process-wide registry reads the configured database through
  the store factory installed here), the same in the app, the CLI and the workers.
- The encryption keys of personal data at rest (``cases.keys``): loaded on first use from
  ``FORMS_SERVICE_ENCRYPTION_KEYS`` (or the embedded database's development keys); the app
  factory loads them eagerly and checks them against the database.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

from sqlalchemy import Engine, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from forms_service.archive import models as _archive_models  # noqa: F401  (tables)
from forms_service.attachments import models as _attachment_models  # noqa: F401  (tables)
from forms_service.attachments.settings import AttachmentSettings
from forms_service.attachments.store import FolderStore
from forms_service.cases import crypto, form_versions, keys, observers, rotation
from forms_service.cases import db as cases_db
from forms_service.cases import models as _case_models  # noqa: F401  (tables)
from forms_service.definitions import registry as definitions
from forms_service.definitions.functions import register_functions
from forms_service.documents import models as _document_models  # noqa: F401  (tables)
from forms_service.editor import models as _editor_models  # noqa: F401  (tables)
from forms_service.editor.service import set_publish_guard
from forms_service.editor.store import published_store
from forms_service.notifications import models as _notification_models  # noqa: F401  (tables)
from forms_service.notifications import outbox
from forms_service.pilots import models as _pilot_models  # noqa: F401  (tables)
from forms_service.pilots import tracking
from forms_service.pilots.assignment import assign
from forms_service.pilots.versions import PilotPublishGuard
from forms_service.privacy import models as _privacy_models  # noqa: F401  (tables)
from forms_service.seniorpension import cel_functions
from forms_service.sso import models as _sso_models  # noqa: F401  (tables)


class _Outbox:
    """The notifications outbox as a case observer: an event row in the change's transaction."""

    transition = staticmethod(outbox.record_transition)
    version_moved = staticmethod(outbox.record_version_move)


def register_domain_functions() -> None:
    """The domain's functions for form expressions (``fulltime_years``, ``pension_age_date``,
    …), registered with the definition language before any definition loads (idempotent)."""
    register_functions(cel_functions.FUNCTIONS)


def install() -> None:
    """Wire the process (idempotent): the domain's expression functions, the session listener
    on every session, the pilots' rule for which form version a new case gets, the outbox as
    an observer of case changes."""
    register_domain_functions()
    tracking.install(Session)
    form_versions.set_version_rule(assign)
    set_publish_guard(PilotPublishGuard())
    observers.add_observer(_Outbox)
    definitions.set_store_factory(_database_store)
    keys.configure_from_environment()  # no-op when the app factory configured the keys
    rotation.add_walker(_rotate_attachment_folder)


def _rotate_attachment_folder(key_ring: crypto.KeyRing) -> str | None:
    """'keys rotate' also re-encrypts the documents kept in FORMS_SERVICE_ATTACHMENT_DIR."""
    folder = AttachmentSettings.from_config({}).folder
    if not folder:
        return None
    files, rewritten = FolderStore(folder).rotate(key_ring)
    return f"{folder}: {files} filer, {rewritten} genkrypteret til '{key_ring.current_id}'"


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """The sessions of the app, the CLI and the workers: the listeners installed."""
    install()
    return cases_db.make_session_factory(engine)


# --- the definition source ------------------------------------------------------------------


def definition_source(
    sessions: Callable[[], Session], registry: definitions.Registry | None = None
) -> definitions.Registry:
    """``registry`` (default: the process-wide one) reading the versions published in the
    database of ``sessions`` beside its files: the app's registry."""
    install()
    # the process-wide one even inside a command (``forms-service run``): the app's request
    # threads, and the code they call, read the process-wide registry
    registry = registry if registry is not None else definitions.process_registry()
    registry.attach(definitions.DATABASE_STORE, published_store(sessions))
    return registry


def _database_store(database_url: str | None) -> definitions.Refresh:
    """The published versions of a database named by URL (``None``: the configured one), for
    the CLI and the workers. A database that does not exist (yet) or is not migrated holds
    none: commands that need no database still run without one."""
    url = cases_db.database_url(database_url)

    def refresh(registry: definitions.Registry) -> int:
        if cases_db.is_sqlite(url):
            name = make_url(url).database
            if name and name != ":memory:" and not Path(name).exists():
                return 0
        engine = _store_engine(url)
        if not inspect(engine).has_table("definition_versions"):
            return 0
        return published_store(cases_db.make_session_factory(engine))(registry)

    return refresh


@cache
def _store_engine(url: str) -> Engine:
    # no pool: a read every few seconds at most, and a forked worker inherits no connection
    return cases_db.make_engine(url, poolclass=NullPool)
