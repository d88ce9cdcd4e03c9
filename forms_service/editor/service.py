"""The form editor's service: drafts, review, publishing, changelog, import and export.

Plain functions over the database session and a definition registry, acting as one user; the
web pages, the API and the CLI all call this, so the rules live here once:

- a draft is started from any version with a suggested next number, saved with the revision
  it was based on (a stale save is refused with what changed meanwhile), and can be saved while
  invalid, but only a valid draft that breaks no stored answers can be published;
- a published version is a new row in ``definition_versions`` (never updated), is added to the
  registry so new cases can use it, and carries its note, editor and time (the changelog);
- an import never replaces a version: the same content is a no-op, other content is refused.

Every change is written to the audit log.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from forms_service.cases import audit
from forms_service.cases.in_force import set_schedule, statuses
from forms_service.cases.models import utcnow
from forms_service.cases.roles import Actor, Role
from forms_service.definitions.diff.compute import diff_definitions
from forms_service.definitions.diff.model import DefinitionDiff
from forms_service.definitions.in_force import APPLICATION_DATE, Schedule, ScheduleError
from forms_service.definitions.loader import (
    DefinitionError,
    DefinitionProblem,
    check_definition_data,
    content_hash,
    load_definition_data,
    parse_json,
)
from forms_service.definitions.model import FormDefinition
from forms_service.definitions.registry import UnknownFormError, version_key
from forms_service.editor.compat import CompatReport, check_compatibility
from forms_service.editor.errors import (
    DraftClosedError,
    DraftNotFoundError,
    EditorError,
    EditorPermissionError,
    ImportRefusedError,
    PublishRefusedError,
    StaleDraftError,
    VersionExistsError,
    VersionNotFoundError,
)
from forms_service.editor.impact import ImpactReport, compute_impact
from forms_service.editor.models import (
    DRAFT_DISCARDED,
    DRAFT_OPEN,
    DRAFT_PUBLISHED,
    SOURCE_EDITOR,
    SOURCE_IMPORT,
    DefinitionDraft,
    DraftRevision,
    PreviewLink,
    PublishedVersion,
    TestAnswers,
)
from forms_service.editor.permissions import EDIT_FORMS
from forms_service.editor.store import EditableRegistry
from forms_service.editor.versions import suggest_version

log = logging.getLogger(__name__)

PREVIEW_LINK_DAYS = 30


def definition_text(data: Any) -> str:
    """A definition as the files in ``form_definitions/`` are written."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def plain_data(value: Any) -> Any:
    """A loaded definition's raw JSON (read-only mappings, tuples) as plain dicts and lists."""
    if isinstance(value, Mapping):
        return {k: plain_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain_data(v) for v in value]
    return value


def draft_source(form: str, version: str) -> str:
    return f"{form}/{version}.json"


@dataclass(frozen=True)
class DraftState:
    """A draft's text checked: its data (if it parses), its problems, its definition if valid."""

    text: str
    data: Any
    problems: list[DefinitionProblem]
    definition: FormDefinition | None

    @property
    def valid(self) -> bool:
        return not self.problems and self.definition is not None


def check_draft_text(text: str, form: str, version: str) -> DraftState:
    """Parse and check a draft exactly as the CLI checks a file (same paths and messages)."""
    source = draft_source(form, version)
    try:
        data = parse_json(text, source)
    except DefinitionError as error:
        return DraftState(text, None, list(error.problems), None)
    problems = check_definition_data(data, source, expected_form=form, expected_version=version)
    definition = None
    if not problems:
        definition = load_definition_data(data, source)
    return DraftState(text, data, problems, definition)


@dataclass(frozen=True)
class DraftChanges:
    """What changed between two texts of a draft: the structural diff, or a text diff."""

    diff: DefinitionDiff | None
    text_diff: str

    def to_dict(self) -> dict[str, Any]:
        return {"diff": self.diff.to_dict() if self.diff else None, "text_diff": self.text_diff}


def draft_changes(old_text: str, new_text: str, form: str, version: str) -> DraftChanges:
    old = check_draft_text(old_text, form, version).definition
    new = check_draft_text(new_text, form, version).definition
    structural = diff_definitions(old, new) if old is not None and new is not None else None
    lines = difflib.unified_diff(
        old_text.splitlines(),
        new_text.splitlines(),
        "før",
        "nu",
        lineterm="",
        n=2,
    )
    return DraftChanges(structural, "\n".join(lines))


@dataclass(frozen=True)
class Review:
    """What the editor sees before publishing."""

    draft: DefinitionDraft
    state: DraftState
    base: FormDefinition | None
    diff: DefinitionDiff | None
    compat: CompatReport
    version_taken: bool
    # what publishing would do to the open cases of the line (None: the draft is not valid)
    impact: ImpactReport | None = None

    @property
    def can_publish(self) -> bool:
        return self.state.valid and self.compat.ok and not self.version_taken

    @property
    def reasons(self) -> list[str]:
        out: list[str] = []
        if self.state.problems:
            count = len(self.state.problems)
            out.append(
                f"Kladden har {count} fejl i definitionen; ret {'den' if count == 1 else 'dem'} "
                "først."
            )
        if self.version_taken:
            out.append(f"Versionen {self.draft.ref} findes allerede og kan ikke erstattes.")
        out += self.compat.errors
        return out


@dataclass(frozen=True)
class ImportResult:
    form: str
    version: str
    content_hash: str
    imported: bool  # False: the same content was already there (nothing changed)


@dataclass(frozen=True)
class VersionInfo:
    form: str
    version: str
    source: str  # "file" (in form_definitions/), "editor" or "import"
    published: PublishedVersion | None


class PilotQuestionLike(Protocol):
    @property
    def key(self) -> str: ...

    @property
    def text(self) -> str: ...

    @property
    def options(self) -> dict[str, str]: ...


class PublishGuard(Protocol):
    """What a publish must ask of features above the editor (the pilots: what a running pilot's
    groups get); installed by ``forms_service.wiring``."""

    def questions(
        self, session: Session, form: str, version: str, today: dt.date
    ) -> Sequence[PilotQuestionLike]: ...

    def unanswered(
        self, session: Session, form: str, version: str, today: dt.date, choices: Mapping[str, str]
    ) -> list[str]: ...

    def apply(
        self,
        session: Session,
        actor: Actor,
        form: str,
        version: str,
        today: dt.date,
        choices: Mapping[str, str],
    ) -> None: ...


_publish_guard: PublishGuard | None = None


def set_publish_guard(guard: PublishGuard | None) -> None:
    global _publish_guard
    _publish_guard = guard


@dataclass(frozen=True)
class InForce:
    """When a version being published comes into force (none: on publication)."""

    in_force_from: dt.date | None = None
    in_force_until: dt.date | None = None
    decided_by: str = APPLICATION_DATE

    @property
    def given(self) -> bool:
        return self.in_force_from is not None or self.in_force_until is not None


def impact_refusal(impact: ImpactReport) -> str:
    """Why a publish with impact waits for the editor's acknowledgement (Danish)."""
    return (
        f"Udgivelsen påvirker {len(impact.affected)} af {impact.checked} åbne sager "
        f"({impact.losing_answers} mister svar, {impact.gaining_required} får nye krævede "
        f"spørgsmål, {impact.changing_status} får ændret status for et kriterie eller en "
        "betingelse). Bekræft, at du har set virkningen, før versionen udgives."
    )


class EditorService:
    def __init__(
        self,
        session: Session,
        actor: Actor,
        registry: EditableRegistry,
        *,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        self.session = session
        self.actor = actor
        self.registry = registry
        self.today = today

    # --- access -------------------------------------------------------------------------------

    def _require_editor(self) -> None:
        if not EDIT_FORMS.allows(self.actor):
            raise EditorPermissionError("Kun skemaredaktører har adgang til redigering af skemaer.")

    def _audit(self, action: str, **details: Any) -> None:
        audit.record(self.session, self.actor, action, details=details)

    # --- versions -----------------------------------------------------------------------------

    def forms(self) -> dict[str, list[str]]:
        self._require_editor()
        return self.registry.forms()

    def versions(self, form: str) -> list[VersionInfo]:
        self._require_editor()
        published = {p.version: p for p in self._published_rows(form)}
        try:
            versions = self.registry.versions(form)
        except UnknownFormError:
            versions = []
        versions = sorted(set(versions) | set(published), key=version_key)
        return [
            VersionInfo(
                form,
                v,
                published[v].source if v in published else "file",
                published.get(v),
            )
            for v in versions
        ]

    def version_statuses(self, form: str) -> dict[str, tuple[str, Schedule | None]]:
        """{version: (current | scheduled | ended | prerelease, its schedule)} today."""
        self._require_editor()
        try:
            return statuses(self.session, self.registry, form, self.today())
        except UnknownFormError:
            return {}

    def reschedule(self, form: str, version: str, in_force: InForce) -> Schedule:
        """Change when a version published here comes into force, while it is not in force."""
        self._require_editor()
        if self.published(form, version) is None:
            raise EditorError(
                f"{form}@{version} er ikke udgivet i skemaredigeringen; en medfølgende versions "
                f"datoer står i form_definitions/{form}/in-force.toml."
            )
        try:
            schedule = set_schedule(
                self.session,
                self.actor,
                self.registry,
                form,
                version,
                in_force_from=in_force.in_force_from,
                in_force_until=in_force.in_force_until,
                decided_by=in_force.decided_by,
                today=self.today(),
            )
        except ScheduleError as error:
            self.session.rollback()
            raise EditorError(str(error)) from None
        self.session.commit()
        return schedule

    def definition(self, form: str, version: str) -> FormDefinition:
        try:
            return self.registry.get(form, version)
        except UnknownFormError:
            raise VersionNotFoundError(f"Versionen {form}@{version} findes ikke.") from None

    def _published_rows(self, form: str | None = None) -> list[PublishedVersion]:
        query = select(PublishedVersion).order_by(PublishedVersion.id)
        if form is not None:
            query = query.where(PublishedVersion.form == form)
        return list(self.session.scalars(query))

    def published(self, form: str, version: str) -> PublishedVersion | None:
        return self.session.scalar(
            select(PublishedVersion).where(
                PublishedVersion.form == form, PublishedVersion.version == version
            )
        )

    def changelog(self, form: str) -> list[PublishedVersion]:
        """Versions published or imported through the editor, newest first."""
        self._require_editor()
        rows = self._published_rows(form)
        return sorted(rows, key=lambda p: (p.published_at, p.id), reverse=True)

    def _taken_versions(self, form: str) -> set[str]:
        taken = {p.version for p in self._published_rows(form)} | self._registry_versions(form)
        drafts = self.session.scalars(
            select(DefinitionDraft.version).where(
                DefinitionDraft.form == form, DefinitionDraft.status == DRAFT_OPEN
            )
        )
        return taken | set(drafts)

    def suggest(self, form: str, from_version: str, kind: str) -> str:
        return suggest_version(from_version, kind, self._taken_versions(form))

    # --- drafts -------------------------------------------------------------------------------

    def open_drafts(self, form: str | None = None) -> list[DefinitionDraft]:
        self._require_editor()
        query = select(DefinitionDraft).where(DefinitionDraft.status == DRAFT_OPEN)
        if form is not None:
            query = query.where(DefinitionDraft.form == form)
        return list(self.session.scalars(query.order_by(DefinitionDraft.id)))

    def get_draft(self, draft_id: int) -> DefinitionDraft:
        self._require_editor()
        return self._draft(draft_id)

    def _draft(self, draft_id: int) -> DefinitionDraft:
        draft = self.session.get(DefinitionDraft, draft_id)
        if draft is None:
            raise DraftNotFoundError()
        return draft

    def _open(self, draft_id: int) -> DefinitionDraft:
        draft = self._draft(draft_id)
        if draft.status != DRAFT_OPEN:
            state = "udgivet" if draft.status == DRAFT_PUBLISHED else "kasseret"
            raise DraftClosedError(f"Kladden til {draft.ref} er {state} og kan ikke ændres.")
        return draft

    def start_draft(
        self, form: str, from_version: str, *, kind: str = "minor", version: str | None = None
    ) -> DefinitionDraft:
        """A new draft of ``form`` with the content of ``from_version`` and a new number."""
        self._require_editor()
        base = self.definition(form, from_version)
        taken = self._taken_versions(form)
        version = (version or "").strip() or suggest_version(from_version, kind, taken)
        if version in taken:
            raise VersionExistsError(
                f"Versionen {form}@{version} findes allerede (udgivet eller som kladde). "
                "Vælg et andet versionsnummer."
            )
        data = plain_data(base.raw)
        data["version"] = version
        data["based_on"] = from_version
        # the base's migrations describe the step to the base, not from it
        data.pop("migrations", None)
        # the key order of the file: version and based_on where a reader expects them
        ordered = {k: data[k] for k in ("$schema", "form", "version") if k in data}
        ordered["based_on"] = from_version
        ordered |= {k: v for k, v in data.items() if k not in ordered}
        text = definition_text(ordered)
        now = utcnow()
        draft = DefinitionDraft(
            form=form,
            version=version,
            based_on=from_version,
            content_text=text,
            status=DRAFT_OPEN,
            problem_count=len(check_draft_text(text, form, version).problems),
            created_by=self.actor.id,
            created_by_name=self.actor.name,
            created_at=now,
            updated_by_name=self.actor.name,
            updated_at=now,
        )
        self.session.add(draft)
        self.session.flush()  # revision 1
        draft.revisions.append(
            DraftRevision(revision=draft.revision, content_text=text, saved_by_name=self.actor.name)
        )
        self._audit(
            "editor.draft_start",
            draft_id=draft.id,
            form=form,
            version=version,
            based_on=from_version,
        )
        self.session.commit()
        return draft

    def state(self, draft: DefinitionDraft, text: str | None = None) -> DraftState:
        return check_draft_text(
            draft.content_text if text is None else text, draft.form, draft.version
        )

    def revision_text(self, draft: DefinitionDraft, revision: int) -> str | None:
        row = self.session.scalar(
            select(DraftRevision).where(
                DraftRevision.draft_id == draft.id, DraftRevision.revision == revision
            )
        )
        return row.content_text if row else None

    def save_draft(self, draft_id: int, text: str, *, base_revision: int) -> DraftState:
        """Store ``text`` as the draft's next revision; valid or not, it is kept as written.

        Raises ``StaleDraftError`` (nothing stored) when the draft was saved by someone else
        after ``base_revision``.
        """
        self._require_editor()
        draft = self._open(draft_id)
        text = text.replace("\r\n", "\n")
        if base_revision != draft.revision:
            self._raise_stale(draft, base_revision, text)
        state = self.state(draft, text)
        if text == draft.content_text:
            return state
        now = utcnow()
        with self.session.no_autoflush:
            draft.content_text = text
            draft.problem_count = len(state.problems)
            draft.updated_by_name = self.actor.name
            draft.updated_at = now
            self.session.add(
                DraftRevision(
                    draft_id=draft.id,
                    revision=base_revision + 1,
                    content_text=text,
                    saved_by_name=self.actor.name,
                    saved_at=now,
                )
            )
            self._audit(
                "editor.draft_save",
                draft_id=draft.id,
                form=draft.form,
                version=draft.version,
                revision=base_revision + 1,
                problems=len(state.problems),
            )
        self._commit_or_stale(draft_id, base_revision, text)
        return state

    def _commit_or_stale(self, draft_id: int, base_revision: int, text: str) -> None:
        try:
            self.session.commit()
        except (StaleDataError, IntegrityError):
            # another save committed between our read and our write
            self.session.rollback()
            draft = self._draft(draft_id)
            self.session.refresh(draft)
            self._raise_stale(draft, base_revision, text)

    def _raise_stale(self, draft: DefinitionDraft, base_revision: int, text: str) -> None:
        base_text = self.revision_text(draft, base_revision)
        changes = draft_changes(base_text or "", draft.content_text, draft.form, draft.version)
        self.session.rollback()
        raise StaleDraftError(
            draft_id=draft.id,
            base_revision=base_revision,
            current_revision=draft.revision,
            current_by=draft.updated_by_name,
            posted_text=text,
            current_text=draft.content_text,
            base_text=base_text,
            changes=changes,
        )

    def discard_draft(self, draft_id: int, *, base_revision: int) -> None:
        self._require_editor()
        draft = self._open(draft_id)
        if base_revision != draft.revision:
            self._raise_stale(draft, base_revision, draft.content_text)
        draft.status = DRAFT_DISCARDED
        draft.updated_by_name = self.actor.name
        draft.updated_at = utcnow()
        self._audit(
            "editor.draft_discard", draft_id=draft.id, form=draft.form, version=draft.version
        )
        self._commit_or_stale(draft_id, base_revision, draft.content_text)

    # --- review and publishing ----------------------------------------------------------------

    def review(self, draft_id: int) -> Review:
        self._require_editor()
        draft = self._draft(draft_id)
        state = self.state(draft)
        base = None
        if draft.based_on:
            try:
                base = self.registry.get(draft.form, draft.based_on)
            except UnknownFormError:
                base = None
        diff = (
            diff_definitions(base, state.definition)
            if base is not None and state.definition is not None
            else None
        )
        compat = (
            check_compatibility(base, state.definition)
            if state.definition is not None
            else CompatReport()
        )
        taken = draft.status == DRAFT_OPEN and (
            self.published(draft.form, draft.version) is not None
            or draft.version in self._registry_versions(draft.form)
        )
        impact = (
            compute_impact(self.session, self.registry, state.definition, today=self.today())
            if state.definition is not None and draft.status == DRAFT_OPEN
            else None
        )
        return Review(draft, state, base, diff, compat, taken, impact)

    def _registry_versions(self, form: str) -> set[str]:
        try:
            return set(self.registry.versions(form))
        except UnknownFormError:
            return set()

    def pilot_questions(self, draft: DefinitionDraft) -> Sequence[PilotQuestionLike]:
        """What the editor must say about running pilots before ``draft`` is published."""
        if _publish_guard is None:
            return []
        return _publish_guard.questions(self.session, draft.form, draft.version, self.today())

    def publish(
        self,
        draft_id: int,
        *,
        note: str,
        base_revision: int,
        in_force: InForce | None = None,
        pilot_choices: Mapping[str, str] | None = None,
        acknowledge_impact: bool = False,
    ) -> PublishedVersion:
        """Publish the draft as an immutable version; refused while anything is wrong.

        ``in_force``: its effective dates (kept beside it, changeable until it is in force);
        ``pilot_choices``: for each running pilot's question, keep or switch (``pilots.versions``);
        ``acknowledge_impact``: the editor has seen what it does to the open cases of its line
        (refused without it when it has an impact).
        """
        self._require_editor()
        draft = self._open(draft_id)
        if base_revision != draft.revision:
            self._raise_stale(draft, base_revision, draft.content_text)
        note = (note or "").strip()
        review = self.review(draft_id)
        reasons = _publish_reasons(review, note, acknowledge_impact)
        today = self.today()
        choices = dict(pilot_choices or {})
        self._check_publish_extras(draft.form, draft.version, today, in_force, choices, reasons)
        definition = review.state.definition
        assert definition is not None
        row = self._published_row(draft, review, definition, note)
        self.session.add(row)
        draft.status = DRAFT_PUBLISHED
        draft.updated_by_name = self.actor.name
        draft.updated_at = utcnow()
        self._take_into_use(definition, today, choices)
        self._audit(
            "editor.publish",
            draft_id=draft.id,
            form=definition.form,
            version=definition.version,
            content_hash=definition.content_hash,
            based_on=draft.based_on,
            note=note,
            in_force=_in_force_details(in_force),
            pilot_choices=choices or None,
            impact=row.impact,
        )
        try:
            self.session.commit()
        except (StaleDataError, IntegrityError):
            self.session.rollback()
            raise VersionExistsError(
                f"{definition.ref} blev udgivet eller ændret af en anden imens; intet er gemt."
            ) from None
        self.registry.add(definition)
        return row

    def _published_row(
        self,
        draft: DefinitionDraft,
        review: Review,
        definition: FormDefinition,
        note: str,
    ) -> PublishedVersion:
        impact = review.impact
        return PublishedVersion(
            form=definition.form,
            version=definition.version,
            content=review.state.data,
            content_hash=definition.content_hash,
            based_on=draft.based_on,
            note=note,
            source=SOURCE_EDITOR,
            published_by=self.actor.id,
            published_by_name=self.actor.name,
            published_at=utcnow(),
            impact=(
                impact.summary() | {"acknowledged": True}
                if impact is not None and impact.has_impact
                else None
            ),
        )

    def _take_into_use(
        self, definition: FormDefinition, today: dt.date, choices: Mapping[str, str]
    ) -> None:
        """A new published version: cases can be assigned it, running pilots get what was chosen."""
        self._register_case_version(definition)
        if _publish_guard is not None:
            _publish_guard.apply(
                self.session, self.actor, definition.form, definition.version, today, choices
            )

    def _check_publish_extras(
        self,
        form: str,
        version: str,
        today: dt.date,
        in_force: InForce | None,
        choices: Mapping[str, str],
        reasons: list[str] | None = None,
    ) -> None:
        """Running pilots answered and the effective dates stored, or refused with every reason
        (nothing stored)."""
        reasons = list(reasons or [])
        if _publish_guard is not None:
            reasons += _publish_guard.unanswered(self.session, form, version, today, choices)
        if in_force is not None and in_force.given:
            try:
                set_schedule(
                    self.session,
                    self.actor,
                    self.registry,
                    form,
                    version,
                    in_force_from=in_force.in_force_from,
                    in_force_until=in_force.in_force_until,
                    decided_by=in_force.decided_by,
                    today=today,
                    publishing=True,
                )
            except ScheduleError as error:
                reasons.append(str(error))
        if reasons:
            self.session.rollback()
            raise PublishRefusedError("Versionen kan ikke udgives endnu.", reasons)

    def _register_case_version(self, definition: FormDefinition) -> None:
        from forms_service.cases.form_versions import register_form_version

        register_form_version(self.session, definition)

    # --- export and import --------------------------------------------------------------------

    def export_text(self, form: str, version: str) -> str:
        """The version as a file of ``form_definitions/`` (``<form>/<version>.json``)."""
        self._require_editor()
        row = self.published(form, version)
        data = row.content if row is not None else plain_data(self.definition(form, version).raw)
        self._audit("editor.export", form=form, version=version)
        self.session.commit()
        return definition_text(data)

    def import_text(
        self,
        text: str,
        *,
        filename: str | None = None,
        note: str = "",
        in_force: InForce | None = None,
        pilot_choices: Mapping[str, str] | None = None,
    ) -> ImportResult:
        """Add a version from a definition file; never replaces one that exists.

        As a publish: ``in_force`` its effective dates, ``pilot_choices`` what running pilots'
        groups get (refused without them while a pilot of the form runs).
        """
        self._require_editor()
        source = filename or "import.json"
        data, definition = _parse_import(text, filename, source)
        existing_hash = self._existing_hash(definition.form, definition.version)
        if existing_hash == definition.content_hash:
            self._audit(
                "editor.import_unchanged",
                form=definition.form,
                version=definition.version,
                content_hash=definition.content_hash,
            )
            self.session.commit()
            return ImportResult(definition.form, definition.version, definition.content_hash, False)
        if existing_hash is not None:
            raise ImportRefusedError(
                f"{definition.ref} findes allerede med et andet indhold (hash "
                f"{existing_hash[:12]}…, filen har {definition.content_hash[:12]}…). En udgivet "
                "version erstattes aldrig; giv filen et nyt versionsnummer."
            )
        today = self.today()
        choices = dict(pilot_choices or {})
        self._check_publish_extras(definition.form, definition.version, today, in_force, choices)
        self.session.add(
            PublishedVersion(
                form=definition.form,
                version=definition.version,
                content=data,
                content_hash=definition.content_hash,
                based_on=definition.based_on,
                note=note.strip() or f"Importeret fra {source}",
                source=SOURCE_IMPORT,
                published_by=self.actor.id,
                published_by_name=self.actor.name,
                published_at=utcnow(),
            )
        )
        self._take_into_use(definition, today, choices)
        self._audit(
            "editor.import",
            form=definition.form,
            version=definition.version,
            content_hash=definition.content_hash,
        )
        try:
            self.session.commit()
        except IntegrityError:
            self.session.rollback()
            raise ImportRefusedError(f"{definition.ref} blev oprettet af en anden imens.") from None
        self.registry.add(definition)
        return ImportResult(definition.form, definition.version, definition.content_hash, True)

    def _existing_hash(self, form: str, version: str) -> str | None:
        row = self.published(form, version)
        if row is not None:
            return row.content_hash
        try:
            return self.registry.get(form, version).content_hash
        except UnknownFormError:
            return None

    # --- pilot previews and test answers ------------------------------------------------------

    def create_preview_link(
        self, draft_id: int, municipalities: Iterable[int], *, days: int = PREVIEW_LINK_DAYS
    ) -> PreviewLink:
        self._require_editor()
        draft = self._open(draft_id)
        codes = sorted({int(c) for c in municipalities})
        if not codes:
            raise EditorError("Vælg mindst én pilotkommune.")
        now = utcnow()
        link = PreviewLink(
            draft_id=draft.id,
            municipalities=codes,
            created_by_name=self.actor.name,
            created_at=now,
            expires_at=now + dt.timedelta(days=days),
        )
        self.session.add(link)
        self.session.flush()
        self._audit(
            "editor.preview_link",
            draft_id=draft.id,
            link_id=link.id,
            municipalities=codes,
            expires_at=link.expires_at.isoformat(),
        )
        self.session.commit()
        return link

    def preview_links(self, draft_id: int) -> list[PreviewLink]:
        self._require_editor()
        return list(
            self.session.scalars(
                select(PreviewLink).where(PreviewLink.draft_id == draft_id).order_by(PreviewLink.id)
            )
        )

    def revoke_preview_link(self, link_id: int) -> None:
        self._require_editor()
        link = self.session.get(PreviewLink, link_id)
        if link is None:
            raise DraftNotFoundError("Linket findes ikke.")
        link.revoked_at = utcnow()
        self._audit("editor.preview_link_revoke", draft_id=link.draft_id, link_id=link.id)
        self.session.commit()

    def open_preview_link(self, link_id: int) -> tuple[PreviewLink, DefinitionDraft]:
        """The link and its draft for a pilot municipality's caseworker (or a form editor)."""
        link = self.session.get(PreviewLink, link_id)
        if link is None or link.revoked_at is not None or link.expires_at < utcnow():
            raise DraftNotFoundError("Linket er udløbet eller trukket tilbage.")
        if self.actor.role is not Role.FORM_EDITOR and (
            self.actor.role is not Role.MUNICIPAL_CASEWORKER
            or self.actor.municipality_code not in link.municipalities
        ):
            raise EditorPermissionError("Linket er ikke delt med din kommune.")
        draft = self._draft(link.draft_id)
        if draft.status != DRAFT_OPEN:
            raise DraftClosedError("Kladden er ikke længere åben for afprøvning.")
        return link, draft

    def save_test_answers(
        self,
        draft: DefinitionDraft,
        answers: dict[str, Any],
        *,
        problems: Sequence[dict[str, Any]],
        completeness: dict[str, Any] | None,
        link: PreviewLink | None = None,
    ) -> TestAnswers:
        """Keep test answers to a draft, apart from the answers of real cases."""
        if link is None:
            self._require_editor()
        row = TestAnswers(
            draft_id=draft.id,
            draft_revision=draft.revision,
            content_hash=content_hash(answers),
            link_id=link.id if link else None,
            municipality_code=self.actor.municipality_code,
            answers=answers,
            problems=list(problems),
            completeness=completeness,
            created_by=self.actor.id,
            created_by_name=self.actor.name,
            created_at=utcnow(),
        )
        self.session.add(row)
        self.session.flush()
        self._audit(
            "editor.test_answers",
            draft_id=draft.id,
            test_answers_id=row.id,
            link_id=link.id if link else None,
            municipality=self.actor.municipality_code,
        )
        self.session.commit()
        return row

    def test_answers(self, draft_id: int) -> list[TestAnswers]:
        self._require_editor()
        return list(
            self.session.scalars(
                select(TestAnswers)
                .where(TestAnswers.draft_id == draft_id)
                .order_by(TestAnswers.id.desc())
            )
        )


def _publish_reasons(review: Review, note: str, acknowledge_impact: bool) -> list[str]:
    """What the review finds wrong, plus a missing note and an impact not acknowledged."""
    reasons = list(review.reasons)
    if not note:
        reasons.append("Skriv en ændringsnote: hvad er ændret, og hvorfor?")
    impact = review.impact
    if impact is not None and impact.has_impact and not acknowledge_impact:
        reasons.append(impact_refusal(impact))
    return reasons


def _in_force_details(in_force: InForce | None) -> dict[str, Any] | None:
    if in_force is None or not in_force.given:
        return None
    return {
        "in_force_from": str(in_force.in_force_from or ""),
        "in_force_until": str(in_force.in_force_until or ""),
        "decided_by": in_force.decided_by,
    }


def _parse_import(
    text: str, filename: str | None, source: str
) -> tuple[dict[str, Any], FormDefinition]:
    """The file's data and definition, or ``ImportRefusedError`` with every problem found."""
    try:
        data = parse_json(text, source)
    except DefinitionError as error:
        raise ImportRefusedError("Filen er ikke gyldig JSON.", error.problems) from None
    expected_version = None
    if filename and filename.endswith(".json"):
        expected_version = filename.rsplit("/", 1)[-1][: -len(".json")]
    problems = check_definition_data(data, source, expected_version=expected_version)
    if problems:
        raise ImportRefusedError(
            f"Filen har {len(problems)} fejl og kan ikke importeres.", problems
        )
    return data, load_definition_data(data, source)
