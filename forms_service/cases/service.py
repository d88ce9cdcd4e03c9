"""The case service: every read and change of a case goes through here.

One ``CaseService`` per unit of work: a SQLAlchemy session and the acting user. Each writing
method commits (or rolls back and raises), so the web pages, the API, the CLI and the demo
seeder share the same rules, events and audit entries. Errors are ``CaseError`` subclasses with
Danish messages and an HTTP status.

Scope: a municipal caseworker sees only cases of their own municipality that Seniorpension has
sent to it; anything else is "not found", exactly as if it did not exist.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, NoReturn, Protocol

from sqlalchemy import ColumnElement, Select, case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from forms_service.answers.storage import normalise_for_storage
from forms_service.answers.validate import ValidationResult
from forms_service.cases import audit, crypto, observers
from forms_service.cases.effort import (
    SUBMITTED,
    EffortCapError,
    EffortInputError,
    parse_section_times,
    record,
    record_opened,
    record_refusal,
    record_section_times,
)
from forms_service.cases.errors import (
    AnswersInvalidError,
    CaseInputError,
    CaseLockedError,
    CaseNotFoundError,
    EffortLimitError,
    PermissionDeniedError,
    StaleRevisionError,
    TransitionRefusedError,
)
from forms_service.cases.form_versions import (
    DefinitionSource,
    assign_form_version,
    default_registry,
    register_form_version,
)
from forms_service.cases.lifecycle import (
    MUNICIPALITY_EDITABLE,
    OPEN_STATES,
    IllegalTransitionError,
    Outcome,
    Party,
    Status,
    Via,
    check_transition,
)
from forms_service.cases.models import AnswerSet, Case, CaseEvent, utcnow
from forms_service.cases.permissions import CREATE_CASES, READ_CASES
from forms_service.cases.roles import Actor, Role
from forms_service.completeness import CompletenessReport, evaluate_completeness_for
from forms_service.definitions.model import FormDefinition
from forms_service.seniorpension.cpr import is_valid_cpr, normalize_cpr
from forms_service.seniorpension.deadlines import (
    SOON_DAYS,
    decision_deadline,
    municipality_deadline,
)
from forms_service.seniorpension.municipalities import municipality_by_code

DEFAULT_PER_PAGE = 25
MAX_PER_PAGE = 200
MAX_PAGE = 100_000  # beyond any real list; keeps OFFSET within the database's integers


class SubmitHook(Protocol):
    def __call__(
        self, session: Session, case: Case, answer_set: AnswerSet, definition: FormDefinition
    ) -> object: ...


# --- listing --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SavedAnswers:
    """What a save stored and what the service found on its one evaluation of the answers."""

    answer_set: AnswerSet
    result: ValidationResult  # the evaluation; a draft's problems (no required checks)
    report: CompletenessReport | None  # a submission's completeness report


DEADLINE_FILTERS = ("soon", "overdue")


@dataclass(frozen=True, slots=True)
class CaseFilter:
    status: str | None = None
    deadline: str | None = None  # "soon" | "overdue"
    municipality_code: int | None = None
    search: str | None = None  # a case number or its beginning, or a whole CPR number
    open_only: bool = False  # leave out decided cases
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE


@dataclass(frozen=True, slots=True)
class CasePage:
    items: list[Case]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


@dataclass(frozen=True, slots=True)
class CaseHistory:
    events: list[CaseEvent]
    answer_sets: list[AnswerSet]


def _search_condition(search: str) -> ColumnElement[bool]:
    """A whole CPR number finds the citizen's cases through the blind index (the number itself
    is encrypted); anything else is the beginning of a case number."""
    if is_valid_cpr(search):
        return Case.cpr_index == crypto.blind_index(normalize_cpr(search))
    escaped = search.replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_")
    return Case.case_number.like(escaped + "%", escape="\\")


@dataclass
class CaseService:
    session: Session
    actor: Actor
    registry: DefinitionSource | None = None
    today: Callable[[], dt.date] = dt.date.today
    # The clock for event and answer timestamps (the demo seeder replays history with it).
    now: Callable[[], dt.datetime] = utcnow
    # Called inside a submission's transaction (the archival PDF, issue 16): whatever it
    # stores commits with the submission, and if it fails nothing of the submission is stored.
    on_submit: SubmitHook | None = None
    _definitions: dict[tuple[str, str], FormDefinition] = field(default_factory=dict, repr=False)

    # -- helpers ---------------------------------------------------------------------------

    def _registry(self) -> DefinitionSource:
        if self.registry is None:
            self.registry = default_registry()
        return self.registry

    def definition_for(self, case: Case) -> FormDefinition:
        key = (case.form, case.form_version)
        if key not in self._definitions:
            self._definitions[key] = self._registry().get(*key)
        return self._definitions[key]

    def _require_reader(self) -> None:
        if not READ_CASES.allows(self.actor):
            raise PermissionDeniedError("Din rolle giver ikke adgang til sager.")

    def _scoped(self, query: Select[Any]) -> Select[Any]:
        if self.actor.role is Role.MUNICIPAL_CASEWORKER:
            return query.where(
                Case.municipality_code == self.actor.municipality_code,
                Case.status != Status.RECEIVED.value,
            )
        return query

    def _load(self, case_id: int, *, for_update: bool = False) -> Case:
        self._require_reader()
        query = self._scoped(select(Case).where(Case.id == case_id))
        if for_update:
            query = query.with_for_update()
        case = self.session.scalar(query)
        if case is None:
            raise CaseNotFoundError()
        return case

    def _party(self) -> Party:
        party = self.actor.party
        if party is None:
            raise PermissionDeniedError("Din rolle kan ikke ændre sager.")
        return party

    def _event(
        self,
        case: Case,
        source: Status | None,
        target: Status,
        *,
        reason: str | None = None,
        outcome: Outcome | None = None,
        requested_fields: list[str] | None = None,
    ) -> None:
        at = self.now()
        case.events.append(
            CaseEvent(
                from_status=source.value if source else None,
                to_status=target.value,
                outcome=outcome.value if outcome else None,
                actor_id=self.actor.id,
                actor_name=self.actor.name,
                reason=reason.strip() if reason else None,
                requested_fields=requested_fields or None,
                at=at,
            )
        )
        # The outbox row joins this transaction: committed with the change or not at all.
        observers.transition(
            self.session, case, source, target, reason=reason, outcome=outcome, at=at
        )

    # -- create ----------------------------------------------------------------------------

    def create_case(
        self,
        *,
        case_number: str,
        cpr: str,
        citizen_name: str,
        application_date: dt.date,
        municipality_code: int,
        send_to_municipality: bool = False,
        request_date: dt.date | None = None,
    ) -> Case:
        if not CREATE_CASES.allows(self.actor):
            raise PermissionDeniedError("Kun Seniorpension kan oprette sager.")
        case_number = (case_number or "").strip()
        if not case_number:
            raise CaseInputError("Angiv sagsnummeret.")
        if not is_valid_cpr(cpr or ""):
            raise CaseInputError("CPR-nummeret er ugyldigt (DDMMÅÅ-XXXX).")
        if not (citizen_name or "").strip():
            raise CaseInputError("Angiv borgerens navn.")
        try:
            municipality = municipality_by_code(municipality_code)
        except KeyError:
            raise CaseInputError(f"Ukendt kommunekode: {municipality_code}.") from None
        if application_date > self.today():
            raise CaseInputError("Ansøgningsdatoen ligger i fremtiden.")
        if self.session.scalar(select(Case.id).where(Case.case_number == case_number)):
            raise CaseInputError(f"Sagsnummeret {case_number} findes allerede.")

        form, version, note = assign_form_version(
            self.session,
            municipality.code,
            application_date,
            registry=self._registry(),
            today=self.today(),
        )
        register_form_version(self.session, self._registry().get(form, version))
        now = self.now()
        case = Case(
            case_number=case_number,
            cpr=normalize_cpr(cpr),
            citizen_name=citizen_name.strip(),
            application_date=application_date,
            municipality_code=municipality.code,
            form=form,
            form_version=version,
            status=Status.RECEIVED.value,
            decision_deadline=decision_deadline(application_date),
            assignment_note=note,
            created_at=now,
            updated_at=now,
        )
        self._event(case, None, Status.RECEIVED)
        if send_to_municipality:
            self._send(case, request_date)
        self.session.add(case)
        try:
            self.session.flush()
        except IntegrityError:
            self.session.rollback()
            raise CaseInputError(f"Sagsnummeret {case_number} findes allerede.") from None
        audit.record(
            self.session,
            self.actor,
            "case.create",
            case_id=case.id,
            details={
                "case_number": case.case_number,
                "municipality_code": case.municipality_code,
                "form": form,
                "version": version,
                "status": case.status,
            },
            at=self.now(),
        )
        self.session.commit()
        return case

    def _send(self, case: Case, request_date: dt.date | None) -> None:
        check_transition(
            Status(case.status), Status.SENT_TO_MUNICIPALITY, party=Party.SENIORPENSION
        )
        request_date = request_date or self.today()
        if request_date < case.application_date:
            raise CaseInputError("Anmodningsdatoen ligger før ansøgningsdatoen.")
        case.request_date = request_date
        case.municipality_deadline = municipality_deadline(request_date)
        source = Status(case.status)
        case.status = Status.SENT_TO_MUNICIPALITY.value
        self._event(case, source, Status.SENT_TO_MUNICIPALITY)

    # -- read ------------------------------------------------------------------------------

    def list_cases(self, case_filter: CaseFilter | None = None) -> CasePage:
        self._require_reader()
        f = case_filter or CaseFilter()
        per_page = min(max(1, f.per_page), MAX_PER_PAGE)
        page = min(max(1, f.page), MAX_PAGE)
        municipal = self.actor.role is Role.MUNICIPAL_CASEWORKER
        deadline_col = Case.municipality_deadline if municipal else Case.decision_deadline
        open_states = MUNICIPALITY_EDITABLE if municipal else OPEN_STATES

        query = self._scoped(select(Case))
        if f.status:
            try:
                query = query.where(Case.status == Status(f.status).value)
            except ValueError:
                raise CaseInputError(f"Ukendt status: {f.status}.") from None
        if f.open_only:
            query = query.where(Case.status != Status.DECIDED.value)
        if f.municipality_code is not None and not municipal:
            query = query.where(Case.municipality_code == int(f.municipality_code))
        if f.search and f.search.strip():
            query = query.where(_search_condition(f.search.strip()))
        if f.deadline:
            today = self.today()
            if f.deadline == "overdue":
                query = query.where(deadline_col < today)
            elif f.deadline == "soon":
                query = query.where(
                    deadline_col >= today, deadline_col <= today + dt.timedelta(days=SOON_DAYS)
                )
            else:
                raise CaseInputError(f"Ukendt fristfilter: {f.deadline}.")
            query = query.where(Case.status.in_([s.value for s in open_states]))

        # Count with the same WHERE but no columns, so an index alone can answer it.
        counting = query.with_only_columns(func.count(), maintain_column_froms=True)
        total = self.session.scalar(counting) or 0
        # what needs action first (the municipality: the cases it can still fill in;
        # Seniorpension: every open case), then the nearest deadline
        needs_action = case((Case.status.in_([s.value for s in open_states]), 0), else_=1)
        items = self.session.scalars(
            query.order_by(needs_action, deadline_col, Case.id)
            .limit(per_page)
            .offset((page - 1) * per_page)
        ).all()
        return CasePage(list(items), total, page, per_page)

    def get_case(self, case_id: int, *, audit_read: bool = True) -> Case:
        """The case, if the actor may see it; a read by a caseworker is audited."""
        case = self._load(case_id)
        if audit_read:
            audit.record(self.session, self.actor, "case.read", case_id=case.id, at=self.now())
            self.session.commit()
        return case

    def history(self, case_id: int) -> CaseHistory:
        case = self._load(case_id)
        return CaseHistory(list(case.events), list(case.answer_sets))

    def latest_answers(self, case_id: int) -> AnswerSet | None:
        return self.latest_answers_of(self._load(case_id))

    def latest_answers_of(self, case: Case) -> AnswerSet | None:
        """The newest answer set of a case this service has loaded (``get_case``): one row is
        read, not every draft the case has had, and the case is not looked up again."""
        if "answer_sets" in case.__dict__:  # already loaded: nothing to read
            return case.answer_sets[-1] if case.answer_sets else None
        query = (
            select(AnswerSet)
            .where(AnswerSet.case_id == case.id)
            .order_by(AnswerSet.sequence.desc())
            .limit(1)
        )
        return self.session.scalar(query)

    def latest_submission(self, case_id: int) -> AnswerSet | None:
        return latest_submission(self._load(case_id))

    def answers_to_read(self, case: Case) -> AnswerSet | None:
        """The answer set this service's actor reads for ``case``: decided here and only here
        (the form page, the case page's checklist, the Word download, the API's answers and
        completeness all ask).

        The municipality writes the answers, so it reads its newest set, a draft included, to
        go on from. Everyone else reads what the municipality sent: the latest submission, and
        before anything was sent the newest draft (the work in progress).
        """
        if self.actor.is_municipal:
            return self.latest_answers_of(case)
        return latest_submission(case) or self.latest_answers_of(case)

    # -- change ----------------------------------------------------------------------------

    def move_to_version(
        self,
        case_id: int,
        version: str,
        *,
        reason: str,
        base_revision: int,
        details: dict[str, Any] | None = None,
    ) -> Any:
        """Pin an open case to another form version, carrying its answers over (issue 7);
        ``details`` go into the move's audit entry (e.g. the predicted impact, issue 19)."""
        from forms_service.cases.version_move import move_case_to_version

        return move_case_to_version(
            self, case_id, version, reason=reason, base_revision=base_revision, details=details
        )

    def check_move(self, case_id: int, version: str, *, reason: str, base_revision: int) -> Case:
        """Whether the move would be accepted now (the same refusals), without moving: the
        case, for showing what the move would do before it is confirmed."""
        from forms_service.cases.version_move import _checked_move

        try:
            case, *_ = _checked_move(
                self, case_id, version, reason=reason, base_revision=base_revision
            )
        finally:
            self.session.rollback()  # let go of the row lock the check took
        return self._load(case.id)

    def transition(
        self,
        case_id: int,
        to: Status | str,
        *,
        reason: str | None = None,
        outcome: Outcome | str | None = None,
        base_revision: int | None = None,
        request_date: dt.date | None = None,
        requested_fields: list[str] | None = None,
    ) -> Case:
        """An explicit action on the case (send, return, sufficiently informed, decide).

        ``requested_fields``: on a return, the fields the municipality is asked to add to;
        names the case's form version does not have are refused.
        """
        party = self._party()
        case = self._load(case_id, for_update=True)
        if base_revision is not None and base_revision != case.revision:
            self._raise_stale(case, base_revision)
        try:
            target = Status(to)
            outcome_value = Outcome(outcome) if outcome else None
        except ValueError:
            raise TransitionRefusedError(f"Ukendt status eller udfald: {to}/{outcome}.") from None
        source = Status(case.status)
        requested = (
            self._requested_fields(case, requested_fields) if target is Status.RETURNED else None
        )
        try:
            if target is Status.SENT_TO_MUNICIPALITY and party is Party.SENIORPENSION:
                self._send(case, request_date)
            else:
                check_transition(source, target, party=party, reason=reason, outcome=outcome_value)
                case.status = target.value
                if target is Status.DECIDED:
                    case.decision_outcome = outcome_value.value if outcome_value else None
                self._event(
                    case,
                    source,
                    target,
                    reason=reason,
                    outcome=outcome_value,
                    requested_fields=requested,
                )
        except IllegalTransitionError as error:
            self.session.rollback()
            raise TransitionRefusedError(str(error)) from None
        case.updated_at = self.now()
        audit.record(
            self.session,
            self.actor,
            "case.transition",
            case_id=case.id,
            details={
                "from": source.value,
                "to": target.value,
                "outcome": outcome_value.value if outcome_value else None,
                **({"requested_fields": requested} if requested else {}),
            },
            at=self.now(),
        )
        self._commit_or_stale(case_id, base_revision)
        return case

    def _requested_fields(self, case: Case, names: list[str] | None) -> list[str] | None:
        if not names:
            return None
        definition = self.definition_for(case)
        unknown = [n for n in names if definition.field(n) is None]
        if unknown:
            self.session.rollback()  # let go of the row lock _load took
            raise TransitionRefusedError(
                f"Skemaversion {case.form_version} har ikke feltet {', '.join(unknown)}."
            )
        return list(dict.fromkeys(names))

    def save_draft(self, case_id: int, answers: dict[str, Any], *, base_revision: int) -> AnswerSet:
        """Store the answers as a draft (incomplete answers are fine)."""
        return self.save_answers(case_id, answers, base_revision=base_revision).answer_set

    def submit(self, case_id: int, answers: dict[str, Any], *, base_revision: int) -> AnswerSet:
        """Validate completely and store a new submission; nothing is stored if invalid."""
        return self.save_answers(
            case_id, answers, base_revision=base_revision, submit=True
        ).answer_set

    def form_opened(self, case: Case) -> None:
        """The municipality opened the form to fill it in: the start of its effort (once)."""
        if self._party() is Party.MUNICIPALITY:
            record_opened(self.session, case.id, case.form, case.form_version)
            self.session.commit()

    def section_times(self, case_id: int, entries: Any) -> int:
        """Seconds the municipality's caseworker spent in each section of the case's form, as
        the browser measured them (ids and numbers only); returns the events stored."""
        party = self._party()
        case = self._load(case_id)
        if party is not Party.MUNICIPALITY:
            raise PermissionDeniedError("Kun kommunen udfylder sagsoplysningsskemaet.")
        if Status(case.status) not in MUNICIPALITY_EDITABLE:
            raise CaseLockedError(
                f"Skemaet kan ikke ændres, mens sagen har status »{Status(case.status).label}«."
            )
        definition = self.definition_for(case)
        try:
            times = parse_section_times(entries, (s.id for s in definition.sections))
            stored = record_section_times(
                self.session, case.id, case.form, case.form_version, times, now=self.now()
            )
        except EffortCapError as error:
            raise EffortLimitError(str(error)) from None
        except EffortInputError as error:
            raise CaseInputError(str(error)) from None
        self.session.commit()
        return stored

    def save_answers(
        self, case_id: int, answers: dict[str, Any], *, base_revision: int, submit: bool = False
    ) -> SavedAnswers:
        """Store raw answers from any adapter as a draft or (``submit``) a submission.

        What is stored is ``normalise_for_storage``'s: typed, hidden and unknown answers
        removed, whichever adapter sent them. The answers are evaluated once; the evaluation,
        its problems and (for a submission) the completeness report come back for the adapter
        to print. An invalid submission stores nothing (``AnswersInvalidError`` carries the
        same evaluation).
        """
        kind = "submission" if submit else "draft"
        party = self._party()
        case = self._load(case_id, for_update=True)
        source = self._fillable_status(case, party, base_revision)
        if not isinstance(answers, dict):
            raise CaseInputError("Svarene skal være et JSON-objekt.")
        definition = self.definition_for(case)
        register_form_version(self.session, definition)
        normalised = normalise_for_storage(definition, answers, today=self.today(), complete=submit)

        report: CompletenessReport | None = None
        if submit:
            if normalised.result.problems:
                self._refuse_submission(case_id, definition, normalised.result)
            report = evaluate_completeness_for(normalised.evaluation)
            record(
                self.session, case.id, definition.form, definition.version, SUBMITTED, at=self.now()
            )
            target, via = Status.SUBMITTED, Via.SUBMIT
        else:
            target, via = Status.DRAFT_IN_PROGRESS, Via.SAVE

        sequence = (
            self.session.scalar(
                select(func.max(AnswerSet.sequence)).where(AnswerSet.case_id == case.id)
            )
            or 0
        ) + 1
        # One UPDATE of the case row per save: no autoflush between the changes below, so the
        # revision moves exactly from base_revision to base_revision + 1.
        with self.session.no_autoflush:
            if source is not target:
                try:
                    check_transition(source, target, party=party, via=via)
                except IllegalTransitionError as error:
                    self.session.rollback()
                    raise TransitionRefusedError(str(error)) from None
                case.status = target.value
                self._event(case, source, target)
            answer_set = self._append_answer_set(
                case, definition, kind, sequence, normalised.answers, report, base_revision
            )
        if kind == "submission" and self.on_submit is not None:
            self._run_on_submit(self.on_submit, case, answer_set, definition, base_revision)
        self._commit_or_stale(case.id, base_revision)
        return SavedAnswers(answer_set, normalised.result, report)

    def _fillable_status(self, case: Case, party: Party, base_revision: int) -> Status:
        """The case's status, when ``party`` may save its form at ``base_revision`` now."""
        if party is not Party.MUNICIPALITY:
            raise PermissionDeniedError("Kun kommunen udfylder sagsoplysningsskemaet.")
        if base_revision != case.revision:
            self._raise_stale(case, base_revision)
        source = Status(case.status)
        if source not in MUNICIPALITY_EDITABLE:
            raise CaseLockedError(
                f"Skemaet kan ikke ændres, mens sagen har status »{source.label}«."
            )
        return source

    def _refuse_submission(
        self, case_id: int, definition: FormDefinition, result: ValidationResult
    ) -> NoReturn:
        self.session.rollback()
        # the effort it costs: which fields were refused (ids only, no answers)
        record_refusal(
            self.session,
            case_id,
            definition.form,
            definition.version,
            (p.path for p in result.problems),
            at=self.now(),
            sections={f.id: sec.id for sec, f in definition.iter_fields()},
        )
        self.session.commit()
        raise AnswersInvalidError(result.problems, result=result)

    def _append_answer_set(
        self,
        case: Case,
        definition: FormDefinition,
        kind: str,
        sequence: int,
        answers: dict[str, Any],
        report: CompletenessReport | None,
        base_revision: int,
    ) -> AnswerSet:
        """The new answer set on the case, audited; the case's revision moves by one."""
        answer_set = AnswerSet(
            case_id=case.id,
            sequence=sequence,
            kind=kind,
            form=definition.form,
            version=definition.version,
            content_hash=definition.content_hash,
            answers=answers,
            completeness=report.to_dict() if report is not None else None,
            case_revision=base_revision + 1,
            created_by=self.actor.id,
            created_by_name=self.actor.name,
            created_at=self.now(),
        )
        case.answer_sets.append(answer_set)
        case.updated_at = self.now()  # bumps the revision: WHERE revision = base_revision
        audit.record(
            self.session,
            self.actor,
            "answers.submit" if kind == "submission" else "answers.save_draft",
            case_id=case.id,
            details={
                "sequence": sequence,
                "revision": base_revision + 1,
                "form": definition.form,
                "version": definition.version,
                "status": case.status,
            },
            at=self.now(),
        )
        return answer_set

    def _run_on_submit(
        self,
        hook: SubmitHook,
        case: Case,
        answer_set: AnswerSet,
        definition: FormDefinition,
        base_revision: int,
    ) -> None:
        try:
            hook(self.session, case, answer_set, definition)
        except (StaleDataError, IntegrityError):
            # the hook's flush met another save committed between our read and our write
            self.session.rollback()
            self._raise_stale(self._load(case.id), base_revision)
        except BaseException:
            self.session.rollback()
            raise

    def _commit_or_stale(self, case_id: int, base_revision: int | None) -> None:
        try:
            self.session.commit()
        except (StaleDataError, IntegrityError):
            # Another save committed between our read and our write.
            self.session.rollback()
            self._raise_stale(self._load(case_id), base_revision)

    def _raise_stale(self, case: Case, base_revision: int | None) -> None:
        self.session.rollback()
        self.session.refresh(case)
        latest = case.answer_sets[-1] if case.answer_sets else None
        raise StaleRevisionError(
            base_revision=base_revision,
            current_revision=case.revision,
            current_answers=dict(latest.answers) if latest else None,
            current_answers_by=latest.created_by_name if latest else None,
        )


def latest_submission(case: Case) -> AnswerSet | None:
    """The last answer set the municipality submitted (what Seniorpension received)."""
    for answer_set in reversed(case.answer_sets):
        if answer_set.kind == "submission":
            return answer_set
    return None


def problems_as_dicts(problems: Sequence[Any]) -> list[dict[str, str]]:
    return [{"path": p.path, "code": p.code, "message": p.message} for p in problems]
