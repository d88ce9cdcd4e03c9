"""What the app factory, the CLI and the workers wire up alike, said once and explicitly.

- Every package's tables on the one metadata (``Base.metadata``), so the schema check and
  Alembic see them all: cases, attachments and archives, document jobs, the editor's drafts
  and versions, notifications, pilots and reporting, single sign-on.
- The session listener that keeps the reporting tables current
  (``forms_service.pilots.tracking``): registered here, by the factory and the CLI, not on
  import.
- The pilots' rule for which form version a new case gets (``cases.form_versions``).
- The notifications outbox as an observer of case changes (``cases.observers``).
"""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from forms_service.archive import models as _archive_models  # noqa: F401  (tables)
from forms_service.attachments import models as _attachment_models  # noqa: F401  (tables)
from forms_service.cases import db as cases_db
from forms_service.cases import form_versions, observers
from forms_service.cases import models as _case_models  # noqa: F401  (tables)
from forms_service.documents import models as _document_models  # noqa: F401  (tables)
from forms_service.editor import models as _editor_models  # noqa: F401  (tables)
from forms_service.notifications import models as _notification_models  # noqa: F401  (tables)
from forms_service.notifications import outbox
from forms_service.pilots import models as _pilot_models  # noqa: F401  (tables)
from forms_service.pilots import tracking
from forms_service.pilots.assignment import assign
from forms_service.sso import models as _sso_models  # noqa: F401  (tables)


class _Outbox:
    """The notifications outbox as a case observer: an event row in the change's transaction."""

    transition = staticmethod(outbox.record_transition)
    version_moved = staticmethod(outbox.record_version_move)


def install() -> None:
    """Wire the process (idempotent): the session listener on every session, the pilots' rule
    for which form version a new case gets, the outbox as an observer of case changes."""
    tracking.install(Session)
    form_versions.set_version_rule(assign)
    observers.add_observer(_Outbox)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """The sessions of the app, the CLI and the workers: the listeners installed."""
    install()
    return cases_db.make_session_factory(engine)
