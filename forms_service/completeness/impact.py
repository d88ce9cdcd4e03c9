"""What a new version would do to one case in progress (issue 19), as a version move would do it.

``replay`` carries the case's latest answers over to the new version with the same answer
migration a version move uses (``answers.migration.migrate_answers``), evaluates them there, and
compares with the answers evaluated under the version they were given in:

- the answers that would not carry over (lost),
- the questions that would become required and are unanswered (validation's ``required`` and
  ``min_rows`` problems that were not there before, a renamed field followed to its new id),
- the criteria and conditions whose status would change (one that only one version has counts,
  with the other side ``None``).

Shortcuts, each giving the straightforward replay's result (``shortcuts=False``; the tests
compare both on every pair of bundled versions and drafts derived from them):

- The answers' evaluation under their own version is kept per answer set (``key``), with its
  report, required questions and whether the answers carry over unchanged, each worked out
  when first needed: a second look at a draft does not evaluate them again.
- When the new version differs only in texts, criteria, conditions and rules that do not change
  what is evaluated (``same_evaluation``), the answers' evaluation is reused.
- When it also validates alike and declares no migration that applies (``_Pair.shortcut``),
  and the answers carry over as they are, nothing is lost, no question becomes required, and
  only the criteria and conditions whose rules differ are run, on both sides.

Pure core: no database, no clock (``today`` is passed in).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import OrderedDict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from dataclasses import field as dataclass_field
from typing import Any, TypeVar

from forms_service.answers.evaluate import Evaluation, evaluate
from forms_service.answers.migration import MigrationResult, NotCarried, migrate_answers
from forms_service.answers.validate import Problem, in_form_order, validate_evaluation
from forms_service.completeness.conditions import ConditionSpec
from forms_service.completeness.engine import evaluate_completeness_for, plan_for, results_for
from forms_service.completeness.fields import FieldCatalog, catalog_for
from forms_service.completeness.report import CompletenessReport, ConditionResult, CriterionResult
from forms_service.definitions.model import Criterion, FormDefinition

_REQUIRED = frozenset({"required", "min_rows"})
_HEAD = re.compile(r"[^\[.]*")  # the top-level field of a problem's path
# what only words, validation or completeness: evaluating the answers does not read it
_TEXT_KEYS = frozenset(
    {"label", "help", "title", "guidance", "description", "message", "row_label", "placeholder"}
)
_RULE_KEYS = frozenset(
    {"required", "required_if", "min", "max", "min_length", "max_length", "pattern"}
    | {"min_rows", "max_rows"}
)
# migrations are followed by the answer migration; reuse needs its answers unchanged anyway
_TOP_KEYS = frozenset(
    {"version", "based_on", "legal_basis", "completeness", "checks", "guidance", "title"}
    | {"description", "migrations"}
)


@dataclass(frozen=True, slots=True)
class StatusChange:
    id: str
    kind: str  # "criterion" | "condition"
    title: str
    before: str | None  # None: the version has no such entry
    after: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "before": self.before,
            "after": self.after,
        }


@dataclass(frozen=True, slots=True)
class CaseImpact:
    lost: tuple[NotCarried, ...]
    new_required: tuple[str, ...]  # paths in the new version's answers document
    changes: tuple[StatusChange, ...]
    reused: bool = False  # the answers' evaluation was reused (only texts or criteria differ)

    @property
    def affected(self) -> bool:
        return bool(self.lost or self.new_required or self.changes)

    def to_dict(self) -> dict[str, Any]:
        return {
            "lost": [{"path": n.path, "label": n.label, "reason": n.reason} for n in self.lost],
            "new_required": list(self.new_required),
            "changes": [c.to_dict() for c in self.changes],
        }


@dataclass(slots=True)
class _Baseline:
    """The answers under their own version: kept, so a second look at a draft that changes
    only criteria or texts runs only the criteria (``key`` names the stored answer set). The
    report, the required paths and whether the answers carry over unchanged are worked out
    when a replay first needs them."""

    evaluation: Evaluation
    answers: Mapping[str, Any]
    report: CompletenessReport | None = None
    required: frozenset[str] | None = None
    validated: tuple[Problem, ...] | None = None
    moved: tuple[dict[str, Any], Evaluation] | None = None
    moved_baseline: _Baseline | None = None
    migrations: dict[str, MigrationResult] = dataclass_field(default_factory=dict)
    carries: bool | None = None
    # single criteria's and conditions' results, worked out for a draft changing only them
    criteria: dict[str, CriterionResult] = dataclass_field(default_factory=dict)
    conditions: dict[str, ConditionResult] = dataclass_field(default_factory=dict)

    def results(
        self, criterion_ids: frozenset[str], condition_ids: frozenset[str], *, full: bool
    ) -> tuple[Mapping[str, CriterionResult], Mapping[str, ConditionResult]]:
        """Results by id (the report's, or those of the ids asked for, kept)."""
        if self.report is not None:
            return (
                {r.id: r for r in self.report.criteria},
                {r.id: r for r in self.report.conditions},
            )
        criteria = criterion_ids - self.criteria.keys()
        conditions = condition_ids - self.conditions.keys()
        if criteria or conditions:
            found_criteria, found_conditions = results_for(
                self.evaluation,
                criteria,
                conditions,
                validated=self.problems() if full else None,
            )
            self.criteria.update(found_criteria)
            self.conditions.update(found_conditions)
        return self.criteria, self.conditions

    def problems(self) -> tuple[Problem, ...]:
        if self.validated is None:
            self.validated = _validated(self.evaluation)
        return self.validated

    def full_report(self) -> CompletenessReport:
        if self.report is None:
            self.report = evaluate_completeness_for(self.evaluation, validated=self.problems())
        return self.report

    def required_paths(self) -> frozenset[str]:
        if self.required is None:
            definition = self.evaluation.definition
            self.required = frozenset(_required_in_order(definition, self.problems()))
        return self.required

    def carried(self, answers: dict[str, Any]) -> Evaluation:
        """The answers as carried over (``answers``) evaluated under their own version: the
        draft's evaluation when it evaluates alike, kept for the next draft that does."""
        if self.moved is None or self.moved[0] != answers:
            definition = self.evaluation.definition
            self.moved = (answers, evaluate(definition, answers, today=self.evaluation.today))
        return self.moved[1]

    def moved_to(self, old_def: FormDefinition, new_def: FormDefinition) -> MigrationResult:
        """The migration to a draft of ``_Pair.shortcut``, kept by the draft's name: with the
        fields alike, only the versions' names in its reasons tell two such drafts apart."""
        found = self.migrations.get(new_def.ref)
        if found is None:
            found = migrate_answers(old_def, new_def, self.answers)
            self.migrations[new_def.ref] = found
        return found

    def carried_baseline(self, answers: dict[str, Any]) -> _Baseline:
        """The answers as carried over, under their own version, kept as a baseline of theirs."""
        if self.moved_baseline is None or self.moved_baseline.answers != answers:
            self.moved_baseline = _Baseline(self.carried(answers), answers)
        return self.moved_baseline

    def carried_unchanged(self) -> bool:
        """Whether the answer migration to a version with the same fields and no migrations of
        its own returns these answers as they are, losing nothing (``_Pair.shortcut``)."""
        if self.carries is None:
            definition = self.evaluation.definition
            moved = migrate_answers(definition, _undeclared(definition), self.answers)
            self.carries = not moved.not_carried and moved.answers == dict(self.answers)
        return self.carries


_Result = TypeVar("_Result", CriterionResult, ConditionResult)

_UNDECLARED: dict[int, tuple[FormDefinition, FormDefinition]] = {}


def _undeclared(definition: FormDefinition) -> FormDefinition:
    """The version without its migrations (kept per definition object: replace re-indexes)."""
    # a cache by object: none of these lines changes the result, only how often it is made
    found = _UNDECLARED.get(id(definition))  # pragma: no mutate (cache)
    if found is None or found[0] is not definition:  # pragma: no mutate (cache)
        found = (definition, replace(definition, migrations=()))
        if len(_UNDECLARED) >= 64:  # pragma: no mutate (cache size)
            _UNDECLARED.clear()
        _UNDECLARED[id(definition)] = found  # pragma: no mutate (cache)
    return found[1]


_BASELINES: OrderedDict[Hashable, _Baseline] = OrderedDict()
BASELINES_KEPT = 20_000


def clear_baselines() -> None:
    _BASELINES.clear()


def _baseline(
    old_def: FormDefinition, answers: Mapping[str, Any], today: dt.date, key: Hashable | None
) -> _Baseline:
    if key is None or not old_def.content_hash:  # a draft being edited is not the same twice
        return _Baseline(evaluate(old_def, answers, today=today), answers)
    full_key = (old_def.form, old_def.version, old_def.content_hash, today, key)
    if full_key not in _BASELINES:
        _BASELINES[full_key] = _Baseline(evaluate(old_def, answers, today=today), answers)
        if len(_BASELINES) > BASELINES_KEPT:
            del _BASELINES[next(iter(_BASELINES))]  # the oldest
    return _BASELINES[full_key]


def replay(
    old_def: FormDefinition,
    new_def: FormDefinition,
    answers: Mapping[str, Any],
    *,
    today: dt.date,
    key: Hashable | None = None,
    shortcuts: bool = True,
) -> CaseImpact:
    """What moving answers of ``old_def`` to ``new_def`` would lose and change. ``key``
    (e.g. the answer set's case and sequence) lets a later replay of the same answers reuse
    their evaluation under ``old_def``. ``shortcuts=False``: the straightforward computation,
    nothing kept or skipped (what the shortcuts are tested against)."""
    if not shortcuts:
        return _replay_plain(old_def, new_def, answers, today)
    baseline = _baseline(old_def, answers, today, key)
    pair = _pair_for(old_def, new_def)
    if pair.shortcut and not baseline.evaluation.type_problems:
        if baseline.carried_unchanged():
            return _replay_changed_only(baseline, new_def, pair)
        return _replay_carried(baseline, old_def, new_def, pair)
    migrated = migrate_answers(old_def, new_def, answers)
    before = baseline.evaluation
    reuse = (
        not before.type_problems
        and not migrated.not_carried
        and migrated.answers == dict(answers)
        and same_evaluation(old_def, new_def)
    )
    if reuse:
        after = replace(before, definition=new_def)
    elif same_evaluation(old_def, new_def):
        after = replace(baseline.carried(migrated.answers), definition=new_def)
    else:
        after = evaluate(new_def, migrated.answers, today=today)
    return _compared(baseline.full_report(), baseline.required_paths(), migrated, after, reuse)


def _replay_plain(
    old_def: FormDefinition, new_def: FormDefinition, answers: Mapping[str, Any], today: dt.date
) -> CaseImpact:
    migrated = migrate_answers(old_def, new_def, answers)
    before = evaluate(old_def, answers, today=today)
    after = evaluate(new_def, migrated.answers, today=today)
    required = frozenset(p.path for p in _required_problems(before))
    before_report = evaluate_completeness_for(before)
    return _compared(before_report, required, migrated, after, False, shared=False)


def _compared(
    report: CompletenessReport,
    required: frozenset[str],
    migrated: MigrationResult,
    after: Evaluation,
    reused: bool,
    *,
    shared: bool = True,
) -> CaseImpact:
    """``shared``: one validation serves both the required questions and the report."""
    if shared:
        validated = _validated(after)
        required_after = _required_in_order(after.definition, validated)
        report_after = evaluate_completeness_for(after, validated=validated)
    else:
        required_after = list(dict.fromkeys(p.path for p in _required_problems(after)))
        report_after = evaluate_completeness_for(after)
    required_before = {_renamed(path, migrated.renamed) for path in required}
    new_required = tuple(path for path in required_after if path not in required_before)
    changes = _changes(report, report_after)
    return CaseImpact(tuple(migrated.not_carried), new_required, changes, reused=reused)


def _replay_changed_only(baseline: _Baseline, new_def: FormDefinition, pair: _Pair) -> CaseImpact:
    """The draft evaluates, validates and carries answers as the answers' version does
    (``pair.shortcut``): nothing is lost, no question becomes required, and only the criteria
    and conditions whose rules differ can change status, so only they run, on the answers'
    own evaluation."""
    full = pair.same_messages and bool(pair.criteria)
    old_criteria, old_conditions = baseline.results(
        pair.criterion_ids, pair.condition_ids, full=full
    )
    after = replace(baseline.evaluation, definition=new_def)
    new_criteria, new_conditions = results_for(
        after,
        pair.criterion_ids,
        pair.condition_ids,
        validated=baseline.problems() if full else None,
    )
    changes = [
        *_status_changes("criterion", pair.criteria, old_criteria, new_criteria),
        *_status_changes("condition", pair.conditions, old_conditions, new_conditions),
    ]
    return CaseImpact((), (), tuple(changes), reused=True)


def _replay_carried(
    baseline: _Baseline, old_def: FormDefinition, new_def: FormDefinition, pair: _Pair
) -> CaseImpact:
    """``pair.shortcut`` for answers that do not carry over as they are (an emptied value, an
    unknown cell): what is lost depends only on the fields, alike in both, and the versions'
    names; the answers as carried over, under their own version, give the draft's required
    questions and the status of every criterion and condition that ``pair`` does not run."""
    moved = baseline.moved_to(old_def, new_def)
    carried = baseline.carried_baseline(moved.answers)
    required_before = baseline.required_paths()
    required_after = _required_in_order(old_def, carried.problems())
    new_required = tuple(path for path in required_after if path not in required_before)
    full = pair.same_messages and bool(pair.criteria)
    new_criteria, new_conditions = results_for(
        replace(carried.evaluation, definition=new_def),
        pair.criterion_ids,
        pair.condition_ids,
        validated=carried.problems() if full else None,
    )
    kept = carried.full_report()
    kept_criteria = {r.id: r for r in kept.criteria}
    kept_conditions = {r.id: r for r in kept.conditions}
    criteria, conditions, _owned = plan_for(new_def)
    after_criteria = [
        new_criteria[c.id] if c.id in pair.criterion_ids else _titled(kept_criteria[c.id], c.title)
        for c in criteria
    ]
    after_conditions = [
        new_conditions[c.id]
        if c.id in pair.condition_ids
        else _titled(kept_conditions[c.id], c.title)
        for c in conditions
    ]
    changes = _changes_of(baseline.full_report(), after_criteria, after_conditions)
    return CaseImpact(tuple(moved.not_carried), new_required, changes, reused=False)


def _titled(result: _Result, title: str) -> _Result:
    """A result kept from the answers' version under the draft's title (a title is a text)."""
    return result if result.title == title else replace(result, title=title)


@dataclass(frozen=True, slots=True)
class _Pair:
    """What replaying answers of one version through another needs, worked out once a pair.

    ``shortcut``: the two differ only in texts, completeness entries and what they alone
    read, and the draft declares no migration that applies: answers carry over as they are
    (when they carry over unchanged to the same fields at all), evaluate and validate alike.
    ``criteria``/``conditions``: the ids whose status can differ, in the report's order.
    """

    shortcut: bool
    criteria: tuple[str, ...]
    conditions: tuple[str, ...]
    # no text that the criteria run can reach differs: the answers' own validation problems,
    # messages and all, are the draft's for the fields those criteria own
    same_messages: bool = False

    @property
    def criterion_ids(self) -> frozenset[str]:
        return frozenset(self.criteria)

    @property
    def condition_ids(self) -> frozenset[str]:
        return frozenset(self.conditions)


_PAIRS: dict[tuple[str, ...], _Pair] = {}


def _pair_for(old_def: FormDefinition, new_def: FormDefinition) -> _Pair:
    if not (old_def.content_hash and new_def.content_hash):  # a draft being edited
        return _pair(old_def, new_def)
    key = (old_def.form, old_def.version, old_def.content_hash)
    key += (new_def.form, new_def.version, new_def.content_hash)
    if key not in _PAIRS:
        _PAIRS[key] = _pair(old_def, new_def)
    return _PAIRS[key]


def _pair(old_def: FormDefinition, new_def: FormDefinition) -> _Pair:
    neutral = all(
        not m.option_map
        and m.type_change is None
        and (m.renamed_from is None or old_def.field(m.renamed_from) is None)
        for m in new_def.migrations
    )
    shortcut = neutral and _validation_key(old_def) == _validation_key(new_def)
    old_criteria, old_conditions, old_owned = plan_for(old_def)
    new_criteria, new_conditions, new_owned = plan_for(new_def)
    old_signatures = _signatures(old_criteria, old_owned)
    new_signatures = _signatures(new_criteria, new_owned)
    run = set(_differing(old_signatures, new_signatures))
    # a criterion leaves out a validation problem whose message one of its reasons already
    # gives, so its status can follow the texts of the fields it names, reads or owns
    texts = _changed_texts(old_def, new_def) if shortcut else None
    catalog = catalog_for(new_def)
    reached = {
        criterion.id
        for criterion in new_criteria
        if texts is None
        or not texts.isdisjoint(_reach(criterion, new_owned.get(criterion.id, ()), catalog))
    }
    criteria = tuple(
        i for i in dict.fromkeys([*old_signatures, *new_signatures]) if i in run | reached
    )
    conditions = _differing(_signatures(old_conditions, {}), _signatures(new_conditions, {}))
    return _Pair(shortcut, criteria, conditions, same_messages=not reached)


def _changed_texts(old_def: FormDefinition, new_def: FormDefinition) -> frozenset[str] | None:
    """The fields and computed values whose texts differ (``_pair``: the rest is equal), or
    None when a text outside them differs (a section's, a cross-field check's message)."""
    old_raw, new_raw = dict(old_def.raw), dict(new_def.raw)
    apart = _VALIDATION_TOP_KEYS | {"sections", "computed"}
    if {k: v for k, v in old_raw.items() if k not in apart} != {
        k: v for k, v in new_raw.items() if k not in apart
    }:
        return None  # the cross-field checks' messages, or anything unforeseen
    changed: set[str] = set()
    for old_section, new_section in _alongside(old_raw["sections"], new_raw["sections"]):
        if _without(old_section, "fields") != _without(new_section, "fields"):
            return None
        for old_field, new_field in _alongside(old_section["fields"], new_section["fields"]):
            if old_field != new_field:
                changed.add(old_field["id"])
    computed = _alongside(old_raw.get("computed", ()), new_raw.get("computed", ()))
    changed.update(old["id"] for old, new in computed if old != new)
    return frozenset(changed)


def _alongside(old: Any, new: Any) -> Iterable[Any]:
    # _pair compared the structure first: the lists are as long
    return zip(old, new, strict=True)  # pragma: no mutate (equal lengths, see above)


def _without(node: Mapping[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in node.items() if k != key}


def _reach(criterion: Criterion, owned: tuple[str, ...], catalog: FieldCatalog) -> set[str]:
    """The top-level fields and computed values whose texts can reach a criterion's reasons
    or the validation messages it compares them with: what it requires, owns, names and reads,
    and what computed values among them are computed from."""
    names = [*criterion.requires, *owned]
    for check in criterion.checks:
        names += [*check.fields, *catalog.reads(check.expr)]
        if check.when is not None:
            names += catalog.reads(check.when)
    found: set[str] = set()
    while names:
        name = names.pop()
        if name in found:
            continue
        found.add(name)
        names += catalog.inputs(name)
    return {_HEAD.match(name).group() for name in found} | {  # type: ignore[union-attr]
        catalog.ref(name).group or name for name in found
    }


def _signatures(
    entries: tuple[Criterion, ...] | tuple[ConditionSpec, ...],
    owned: Mapping[str, tuple[str, ...]],
) -> dict[str, list[Any]]:
    """Per id, what its status is decided from (its texts aside), every entry of the id."""
    found: dict[str, list[Any]] = {}
    for entry in entries:
        checks = tuple((c.expr, c.when, c.severity, c.fields, c.message) for c in entry.checks)
        # criteria and conditions are told apart by where they are, not by a kind
        found.setdefault(entry.id, []).append((entry.requires, checks, owned.get(entry.id, ())))
    return found


def _differing(old: Mapping[str, list[Any]], new: Mapping[str, list[Any]]) -> tuple[str, ...]:
    return tuple(i for i in dict.fromkeys([*old, *new]) if old.get(i) != new.get(i))


def _status_changes(
    kind: str,
    ids: tuple[str, ...],
    old: Mapping[str, CriterionResult | ConditionResult],
    new: Mapping[str, CriterionResult | ConditionResult],
) -> list[StatusChange]:
    found = []
    for item_id in ids:
        old_status = old[item_id].status.value if item_id in old else None
        new_status = new[item_id].status.value if item_id in new else None
        if old_status != new_status:
            title = (new.get(item_id) or old[item_id]).title
            found.append(StatusChange(item_id, kind, title, old_status, new_status))
    return found


def _validated(evaluation: Evaluation) -> tuple[Problem, ...]:
    """Every field validated, the problems as found (``only`` naming every field: the
    report's partial look and, put in form order, the whole validation's)."""
    definition = evaluation.definition
    return validate_evaluation(evaluation, complete=True, only=_field_ids(definition)).problems


_FIELD_IDS: dict[int, tuple[FormDefinition, frozenset[str]]] = {}


def _field_ids(definition: FormDefinition) -> frozenset[str]:
    # a cache by object: none of these lines changes the result, only how often it is made
    found = _FIELD_IDS.get(id(definition))  # pragma: no mutate (cache)
    if found is None or found[0] is not definition:  # pragma: no mutate (cache)
        if len(_FIELD_IDS) >= 64:  # pragma: no mutate (cache size)
            _FIELD_IDS.clear()
        found = (definition, frozenset(f.id for _section, f in definition.iter_fields()))
        _FIELD_IDS[id(definition)] = found  # pragma: no mutate (cache)
    return found[1]


def _required_in_order(definition: FormDefinition, problems: tuple[Problem, ...]) -> list[str]:
    """The paths of required questions unanswered, in the whole validation's order."""
    required = [p for p in problems if p.code in _REQUIRED]
    return list(dict.fromkeys(p.path for p in in_form_order(definition, required)))


def _required_problems(evaluation: Evaluation) -> list[Any]:
    return [p for p in validate_evaluation(evaluation).problems if p.code in _REQUIRED]


def _renamed(path: str, renamed: Mapping[str, str]) -> str:
    head = _HEAD.match(path).group()  # type: ignore[union-attr]
    new = renamed.get(head)
    return path if new is None else new + path[len(head) :]


def _changes(before: CompletenessReport, after: CompletenessReport) -> tuple[StatusChange, ...]:
    return _changes_of(before, after.criteria, after.conditions)


def _changes_of(
    before: CompletenessReport,
    after_criteria: Sequence[CriterionResult],
    after_conditions: Sequence[ConditionResult],
) -> tuple[StatusChange, ...]:
    found: list[StatusChange] = []
    for kind, old_items, new_items in (
        ("criterion", before.criteria, after_criteria),
        ("condition", before.conditions, after_conditions),
    ):
        old = {item.id: item for item in old_items}
        new = {item.id: item for item in new_items}
        for item_id in dict.fromkeys([*old, *new]):
            old_status = old[item_id].status.value if item_id in old else None
            new_status = new[item_id].status.value if item_id in new else None
            if old_status != new_status:
                title = (new.get(item_id) or old[item_id]).title
                found.append(StatusChange(item_id, kind, title, old_status, new_status))
    return tuple(found)


def same_evaluation(old_def: FormDefinition, new_def: FormDefinition) -> bool:
    """Whether evaluating answers (coercion, computed values, visibility) is the same under
    both versions: they differ at most in texts, validation rules, checks and completeness."""
    if old_def is new_def:
        return True
    return _evaluation_key(old_def) == _evaluation_key(new_def)


_KEYS: dict[tuple[str, str, str], Any] = {}


def _evaluation_key(definition: FormDefinition) -> Any:
    """What of the definition evaluating answers reads: the whole less texts and rules."""
    if not definition.content_hash:  # a draft being edited: not the same twice
        return _stripped(definition, _TOP_KEYS, _TEXT_KEYS | _RULE_KEYS)
    cache_key = (definition.form, definition.version, definition.content_hash)
    if cache_key not in _KEYS:
        _KEYS[cache_key] = _stripped(definition, _TOP_KEYS, _TEXT_KEYS | _RULE_KEYS)
    return _KEYS[cache_key]


_VALIDATION_TOP_KEYS = _TOP_KEYS - {"checks"}
_VALIDATION_KEYS: dict[tuple[str, str, str, bool], Any] = {}


def _validation_key(definition: FormDefinition, *, texts: bool = False) -> Any:
    """Everything validation reads (fields with their rules, computed values, cross-field
    checks), texts aside unless ``texts``: equal keys validate an evaluation to the same
    problem codes and paths, and evaluate alike (the evaluation key leaves out more)."""
    left_out = frozenset() if texts else _TEXT_KEYS
    if not definition.content_hash:  # a draft being edited: not the same twice
        return _stripped(definition, _VALIDATION_TOP_KEYS, left_out)
    cache_key = (definition.form, definition.version, definition.content_hash, texts)
    if cache_key not in _VALIDATION_KEYS:
        _VALIDATION_KEYS[cache_key] = _stripped(definition, _VALIDATION_TOP_KEYS, left_out)
    return _VALIDATION_KEYS[cache_key]


def _stripped(definition: FormDefinition, top: frozenset[str], keys: frozenset[str]) -> Any:
    """The definition as plain data without the top-level entries ``top`` and, at any depth,
    the keys ``keys``: compared as data, so key order and containers do not count."""
    return _strip({k: v for k, v in definition.raw.items() if k not in top}, keys)


def _strip(node: Any, keys: frozenset[str]) -> Any:
    if isinstance(node, Mapping):
        return {k: _strip(v, keys) for k, v in node.items() if k not in keys}
    if isinstance(node, list | tuple):
        return [_strip(v, keys) for v in node]
    return node
