"""Whole-document checks of a definition: ids, references, expressions, cycles.

They run on the raw JSON (not the model) so that a file with structural problems still gets
every semantic problem reported in the same pass; anything of the wrong shape is skipped here
because the schema already reported it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from forms_service.definitions.expression_limits import MAX_INPUT_ITEMS, definition_cost_problem
from forms_service.definitions.expressions import (
    CompiledExpression,
    ExpressionSyntaxError,
    compile_expression,
    reference_problems,
)

Problem = tuple[str, str]  # (JSON path, Danish message)


def _dicts(value: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict):
                yield index, item


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


class _Scope:
    """What an expression may refer to."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.fields: dict[str, dict[str, Any]] = {}
        self.field_paths: dict[str, str] = {}
        self.computed: dict[str, dict[str, Any]] = {}
        self.sections: set[str] = set()
        self.costs: list[tuple[str, int]] = []  # (path, estimated evaluation steps)
        for s_index, section in _dicts(data.get("sections")):
            if _str(section.get("id")):
                self.sections.add(section["id"])
            for f_index, field in _dicts(section.get("fields")):
                field_id = _str(field.get("id"))
                if field_id and field_id not in self.fields:
                    self.fields[field_id] = field
                    self.field_paths[field_id] = f"sections[{s_index}].fields[{f_index}]"
        for _index, computed in _dicts(data.get("computed")):
            computed_id = _str(computed.get("id"))
            if computed_id and computed_id not in self.computed:
                self.computed[computed_id] = computed

    @property
    def names(self) -> set[str]:
        return set(self.fields) | set(self.computed)

    def repeat_fields(self, repeat_id: str) -> list[str] | None:
        field = self.fields.get(repeat_id)
        if field is None or field.get("type") != "repeat":
            return None
        return [sub["id"] for _i, sub in _dicts(field.get("fields")) if _str(sub.get("id"))]


def semantic_problems(data: dict[str, Any]) -> list[Problem]:
    scope = _Scope(data)
    problems: list[Problem] = []
    problems += _duplicate_ids(data)
    problems += _field_problems(data, scope)
    problems += _computed_problems(data, scope)
    problems += _check_problems(data, scope)
    problems += _criterion_problems(data, scope)
    problems += _migration_problems(data, scope)
    too_costly = definition_cost_problem(scope.costs)
    if too_costly is not None:
        problems.append(("", too_costly))
    return problems


def _expression(
    path: str, source: Any, scope: _Scope, *, row_fields: list[str] | None = None
) -> tuple[list[Problem], CompiledExpression | None]:
    if not isinstance(source, str) or not source.strip():
        return [], None
    try:
        compiled = compile_expression(source)
    except ExpressionSyntaxError as exc:
        return [(path, exc.message)], None
    # an expression in a repeat group's row runs once per row
    scope.costs.append((path, compiled.cost * (MAX_INPUT_ITEMS if row_fields is not None else 1)))
    return [
        (path, message)
        for message in reference_problems(compiled, scope.names, row_fields=row_fields)
    ], compiled


def _duplicate_ids(data: dict[str, Any]) -> list[Problem]:
    problems: list[Problem] = []
    seen_sections: dict[str, str] = {}
    seen_names: dict[str, str] = {}
    for s_index, section in _dicts(data.get("sections")):
        path = f"sections[{s_index}]"
        section_id = _str(section.get("id"))
        if section_id:
            if section_id in seen_sections:
                problems.append(
                    (
                        f"{path}.id",
                        f"sektions-id '{section_id}' findes også i {seen_sections[section_id]}",
                    )
                )
            else:
                seen_sections[section_id] = path
        for f_index, field in _dicts(section.get("fields")):
            f_path = f"{path}.fields[{f_index}]"
            field_id = _str(field.get("id"))
            if field_id:
                if field_id in seen_names:
                    problems.append(
                        (
                            f"{f_path}.id",
                            f"felt-id '{field_id}' findes også i {seen_names[field_id]}",
                        )
                    )
                else:
                    seen_names[field_id] = f_path
            seen_sub: dict[str, str] = {}
            for sub_index, sub in _dicts(field.get("fields")):
                sub_id = _str(sub.get("id"))
                sub_path = f"{f_path}.fields[{sub_index}]"
                if sub_id and sub_id in seen_sub:
                    problems.append(
                        (f"{sub_path}.id", f"felt-id '{sub_id}' findes også i {seen_sub[sub_id]}")
                    )
                elif sub_id:
                    seen_sub[sub_id] = sub_path
    for c_index, computed in _dicts(data.get("computed")):
        computed_id = _str(computed.get("id"))
        path = f"computed[{c_index}]"
        if computed_id and computed_id in seen_names:
            problems.append(
                (f"{path}.id", f"id '{computed_id}' findes også i {seen_names[computed_id]}")
            )
        elif computed_id:
            seen_names[computed_id] = path
    for key in ("checks", "completeness"):
        seen: dict[str, str] = {}
        for index, item in _dicts(data.get(key)):
            item_id = _str(item.get("id"))
            path = f"{key}[{index}]"
            if item_id and item_id in seen:
                problems.append((f"{path}.id", f"id '{item_id}' findes også i {seen[item_id]}"))
            elif item_id:
                seen[item_id] = path
    return problems


def _field_problems(data: dict[str, Any], scope: _Scope) -> list[Problem]:
    problems: list[Problem] = []
    for s_index, section in _dicts(data.get("sections")):
        s_path = f"sections[{s_index}]"
        found, _ = _expression(f"{s_path}.visible_if", section.get("visible_if"), scope)
        problems += found
        for f_index, field in _dicts(section.get("fields")):
            f_path = f"{s_path}.fields[{f_index}]"
            problems += _one_field(f_path, field, scope, row_fields=None)
            if field.get("type") == "repeat":
                sub_ids = [
                    sub["id"] for _i, sub in _dicts(field.get("fields")) if _str(sub.get("id"))
                ]
                if not field.get("fields"):
                    problems.append((f"{f_path}.fields", "en gentagen gruppe skal have felter"))
                for sub_index, sub in _dicts(field.get("fields")):
                    sub_path = f"{f_path}.fields[{sub_index}]"
                    if sub.get("type") == "repeat":
                        problems.append(
                            (f"{sub_path}.type", "en gentagen gruppe kan ikke ligge i en anden")
                        )
                    problems += _one_field(sub_path, sub, scope, row_fields=sub_ids)
                row_label = _str(field.get("row_label"))
                if row_label:
                    for name in re.findall(r"\{([^}]*)\}", row_label):
                        if name not in sub_ids:
                            problems.append(
                                (f"{f_path}.row_label", f"ukendt felt '{name}' i rækkenavnet")
                            )
            elif "fields" in field:
                problems.append((f"{f_path}.fields", "kun en gentagen gruppe (repeat) har felter"))
    return problems


_TYPES_WITH = {
    "options": {"choice", "multichoice"},
    "sources": {"attachment"},
    "min": {"integer", "number", "date"},
    "max": {"integer", "number", "date"},
    "min_length": {"text", "textarea"},
    "max_length": {"text", "textarea"},
    "pattern": {"text"},
    "min_rows": {"repeat"},
    "max_rows": {"repeat"},
    "row_label": {"repeat"},
    "unit": {"integer", "number"},
}


def _one_field(
    path: str, field: dict[str, Any], scope: _Scope, *, row_fields: list[str] | None
) -> list[Problem]:
    problems: list[Problem] = []
    field_type = _str(field.get("type"))
    for key in ("visible_if", "required_if"):
        found, _ = _expression(f"{path}.{key}", field.get(key), scope, row_fields=row_fields)
        problems += found
    if field_type:
        for key, types in _TYPES_WITH.items():
            if key in field and field_type not in types:
                allowed = ", ".join(sorted(types))
                problems.append(
                    (f"{path}.{key}", f"gælder ikke felttypen '{field_type}' (kun {allowed})")
                )
    if field_type in {"choice", "multichoice"} and not field.get("options"):
        problems.append((f"{path}.options", "et valgfelt skal have mindst én mulighed"))
    for key in ("options", "sources"):
        seen: set[str] = set()
        for o_index, option in _dicts(field.get(key)):
            value = _str(option.get("value"))
            if value is not None and value in seen:
                problems.append((f"{path}.{key}[{o_index}].value", f"værdien '{value}' gentages"))
            elif value is not None:
                seen.add(value)
    low, high = field.get("min"), field.get("max")
    if field_type == "date":
        for key in ("min", "max"):
            if key in field and not isinstance(field[key], str):
                problems.append((f"{path}.{key}", "skal for et datofelt være en dato (ÅÅÅÅ-MM-DD)"))
    elif field_type in {"integer", "number"}:
        for key in ("min", "max"):
            if key in field and isinstance(field[key], str):
                problems.append((f"{path}.{key}", "skal være et tal"))
    if type(low) is type(high) and low is not None and low > high:
        problems.append((f"{path}.min", "min er større end max"))
    for low_key, high_key in (("min_length", "max_length"), ("min_rows", "max_rows")):
        low, high = field.get(low_key), field.get(high_key)
        if isinstance(low, int) and isinstance(high, int) and low > high:
            problems.append((f"{path}.{low_key}", f"{low_key} er større end {high_key}"))
    pattern = _str(field.get("pattern"))
    if pattern:
        try:
            re.compile(pattern)
        except re.error as exc:
            problems.append((f"{path}.pattern", f"ugyldigt regulært udtryk: {exc}"))
    return problems


def _computed_problems(data: dict[str, Any], scope: _Scope) -> list[Problem]:
    problems: list[Problem] = []
    depends: dict[str, set[str]] = {}
    paths: dict[str, str] = {}
    for index, computed in _dicts(data.get("computed")):
        path = f"computed[{index}]"
        found, compiled = _expression(f"{path}.expr", computed.get("expr"), scope)
        problems += found
        section = _str(computed.get("section"))
        if section and section not in scope.sections:
            problems.append((f"{path}.section", f"ukendt sektion '{section}'"))
        computed_id = _str(computed.get("id"))
        if computed_id and compiled is not None:
            depends[computed_id] = set(compiled.variables) & set(scope.computed)
            paths[computed_id] = path
    cycle = find_cycle(depends)
    if cycle:
        problems.append(
            (
                f"{paths[cycle[0]]}.expr",
                "beregnede værdier afhænger af hinanden i ring: " + " → ".join([*cycle, cycle[0]]),
            )
        )
    return problems


def find_cycle(depends: dict[str, set[str]]) -> list[str] | None:
    """A dependency cycle among computed values, in order, or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for dep in sorted(depends.get(node, ())):
            if state.get(dep) == 1:
                return stack[stack.index(dep) :]
            if state.get(dep) is None:
                found = visit(dep)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in depends:
        if state.get(node) is None:
            found = visit(node)
            if found:
                return found
    return None


def dependency_order(depends: dict[str, set[str]]) -> list[str]:
    """Topological order (dependencies first); the caller has ruled out cycles."""
    order: list[str] = []
    done: set[str] = set()

    def visit(node: str) -> None:
        if node in done:
            return
        done.add(node)
        for dep in sorted(depends.get(node, ())):
            visit(dep)
        order.append(node)

    for node in depends:
        visit(node)
    return order


def _field_refs(path: str, refs: Any, scope: _Scope, *, allow_computed: bool) -> list[Problem]:
    problems: list[Problem] = []
    if not isinstance(refs, list):
        return problems
    known = scope.names if allow_computed else set(scope.fields)
    for index, ref in enumerate(refs):
        if not isinstance(ref, str):
            continue
        head = ref.split(".", 1)[0]
        if head not in known:
            problems.append((f"{path}[{index}]", f"ukendt felt '{ref}'"))
        elif "." in ref:
            repeat_fields = scope.repeat_fields(head)
            tail = ref.split(".", 1)[1]
            if repeat_fields is None or tail not in repeat_fields:
                problems.append((f"{path}[{index}]", f"ukendt felt '{ref}'"))
    return problems


def _check_problems(data: dict[str, Any], scope: _Scope) -> list[Problem]:
    problems: list[Problem] = []
    for index, check in _dicts(data.get("checks")):
        path = f"checks[{index}]"
        repeat = _str(check.get("repeat"))
        row_fields = None
        if repeat:
            row_fields = scope.repeat_fields(repeat)
            if row_fields is None:
                problems.append((f"{path}.repeat", f"'{repeat}' er ikke en gentagen gruppe"))
        found, _ = _expression(f"{path}.expr", check.get("expr"), scope, row_fields=row_fields)
        problems += found
        fields = check.get("fields")
        if repeat and row_fields is not None and isinstance(fields, list):
            for f_index, ref in enumerate(fields):
                if isinstance(ref, str) and ref not in row_fields:
                    problems.append((f"{path}.fields[{f_index}]", f"ukendt felt 'row.{ref}'"))
        elif not repeat:
            problems += _field_refs(f"{path}.fields", fields, scope, allow_computed=False)
    return problems


def _criterion_problems(data: dict[str, Any], scope: _Scope) -> list[Problem]:
    problems: list[Problem] = []
    for index, criterion in _dicts(data.get("completeness")):
        path = f"completeness[{index}]"
        problems += _field_refs(
            f"{path}.requires", criterion.get("requires"), scope, allow_computed=True
        )
        for c_index, check in _dicts(criterion.get("checks")):
            c_path = f"{path}.checks[{c_index}]"
            for key in ("expr", "when"):
                found, _ = _expression(f"{c_path}.{key}", check.get(key), scope)
                problems += found
            problems += _field_refs(
                f"{c_path}.fields", check.get("fields"), scope, allow_computed=True
            )
    return problems


def _migration_problems(data: dict[str, Any], scope: _Scope) -> list[Problem]:
    problems: list[Problem] = []
    for index, migration in _dicts(data.get("migrations")):
        field_id = _str(migration.get("field"))
        if field_id and field_id not in scope.fields:
            problems.append((f"migrations[{index}].field", f"ukendt felt '{field_id}'"))
    return problems
