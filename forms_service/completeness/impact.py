"""What a new version would do to one case in progress (issue 19), as a version move would do it.

``replay`` carries the case's latest answers over to the new version with the same answer
migration a version move uses (``answers.migration.migrate_answers``), evaluates them there, and
compares with the answers evaluated under the version they were given in:

- the answers that would not carry over (lost),
- the questions that would become required and are unanswered (validation's ``required`` and
  ``min_rows`` problems that were not there before, a renamed field followed to its new id),
- the criteria and conditions whose status would change (one that only one version has counts,
  with the other side ``None``).

When the new version differs from the answers' version only in texts, criteria, conditions and
rules that do not change what is evaluated (``same_evaluation``), the answers' evaluation is
reused: only validation and the criteria run again, against the new version's texts and rules.

Pure core: no database, no clock (``today`` is passed in).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import OrderedDict
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from forms_service.answers.evaluate import Evaluation, evaluate
from forms_service.answers.migration import NotCarried, migrate_answers
from forms_service.answers.validate import validate_evaluation
from forms_service.completeness.engine import evaluate_completeness_for
from forms_service.completeness.report import CompletenessReport
from forms_service.definitions.model import FormDefinition

_REQUIRED = frozenset({"required", "min_rows"})
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


@dataclass(frozen=True, slots=True)
class _Baseline:
    """The answers under their own version: kept, so a second look at a draft that changes
    only criteria or texts runs only the criteria (``key`` names the stored answer set)."""

    evaluation: Evaluation
    report: CompletenessReport
    required: frozenset[str]


_BASELINES: OrderedDict[Hashable, _Baseline] = OrderedDict()
BASELINES_KEPT = 20_000


def clear_baselines() -> None:
    _BASELINES.clear()


def _baseline(
    old_def: FormDefinition, answers: Mapping[str, Any], today: dt.date, key: Hashable | None
) -> _Baseline:
    full_key = (old_def.form, old_def.version, old_def.content_hash, today, key)
    if key is not None and old_def.content_hash:
        found = _BASELINES.get(full_key)
        if found is not None:
            return found
    evaluation = evaluate(old_def, answers, today=today)
    found = _Baseline(
        evaluation,
        evaluate_completeness_for(evaluation),
        frozenset(p.path for p in _required_problems(evaluation)),
    )
    if key is not None and old_def.content_hash:
        _BASELINES[full_key] = found
        if len(_BASELINES) > BASELINES_KEPT:
            _BASELINES.popitem(last=False)
    return found


def replay(
    old_def: FormDefinition,
    new_def: FormDefinition,
    answers: Mapping[str, Any],
    *,
    today: dt.date,
    key: Hashable | None = None,
) -> CaseImpact:
    """What moving answers of ``old_def`` to ``new_def`` would lose and change. ``key``
    (e.g. the answer set's case and sequence) lets a later replay of the same answers reuse
    their evaluation under ``old_def``."""
    migrated = migrate_answers(old_def, new_def, answers)
    baseline = _baseline(old_def, answers, today, key)
    before = baseline.evaluation
    reuse = (
        not before.type_problems
        and not migrated.not_carried
        and migrated.answers == dict(answers)
        and same_evaluation(old_def, new_def)
    )
    after = (
        replace(before, definition=new_def)
        if reuse
        else evaluate(new_def, migrated.answers, today=today)
    )
    renamed = migrated.renamed
    required_before = {_renamed(path, renamed) for path in baseline.required}
    new_required = tuple(
        path
        for path in dict.fromkeys(problem.path for problem in _required_problems(after))
        if path not in required_before
    )
    changes = _changes(baseline.report, evaluate_completeness_for(after))
    return CaseImpact(tuple(migrated.not_carried), new_required, changes, reused=reuse)


def _required_problems(evaluation: Evaluation) -> list[Any]:
    return [
        p for p in validate_evaluation(evaluation, complete=True).problems if p.code in _REQUIRED
    ]


def _renamed(path: str, renamed: Mapping[str, str]) -> str:
    head = path.split("[", 1)[0].split(".", 1)[0]
    new = renamed.get(head)
    return path if new is None else new + path[len(head) :]


def _changes(before: CompletenessReport, after: CompletenessReport) -> tuple[StatusChange, ...]:
    found: list[StatusChange] = []
    for kind, old_items, new_items in (
        ("criterion", before.criteria, after.criteria),
        ("condition", before.conditions, after.conditions),
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


_KEYS: dict[tuple[str, str, str], str] = {}


def _evaluation_key(definition: FormDefinition) -> str:
    cache_key = (definition.form, definition.version, definition.content_hash)
    found = _KEYS.get(cache_key) if definition.content_hash else None
    if found is None:
        raw = {k: v for k, v in dict(definition.raw).items() if k not in _TOP_KEYS}
        found = json.dumps(_strip(raw), sort_keys=True, ensure_ascii=False, default=str)
        if definition.content_hash:
            _KEYS[cache_key] = found
    return found


def _strip(node: Any) -> Any:
    if isinstance(node, Mapping):
        return {
            k: _strip(v) for k, v in node.items() if k not in _TEXT_KEYS and k not in _RULE_KEYS
        }
    if isinstance(node, list | tuple):
        return [_strip(v) for v in node]
    return node
