"""One round of the form: posted strings → answers document → evaluated, validated page.

Shared by the case form and the preview (and by the editor later): parse the POST with the
generated WTForms class, apply a row action, re-evaluate so hidden questions and their values
disappear, validate with the core and build the page model. Nothing here stores anything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from forms_service.answers import Evaluation, ValidationResult, evaluate, validate
from forms_service.definitions.model import FieldType, FormDefinition
from forms_service.web.forms.builder import AnswersForm, attach_problems, build_form
from forms_service.web.forms.render import EDIT, FormPage, build_page

ADD_ROW, REMOVE_ROW = "add_row", "remove_row"


class UnknownActionError(ValueError):
    pass


@dataclass
class Round:
    form: AnswersForm
    document: dict[str, Any]  # what the caseworker has now: raw strings, hidden answers gone
    result: ValidationResult
    page: FormPage
    complete: bool  # validated as a submission (required answers checked)

    @property
    def evaluation(self) -> Evaluation:
        return self.result.evaluation


def run_round(
    definition: FormDefinition,
    *,
    today: dt.date,
    formdata: Any = None,
    document: Mapping[str, Any] | None = None,
    action: str | None = None,
    complete: bool = False,
    mode: str = EDIT,
    show_problems: bool = True,
    result: ValidationResult | None = None,
) -> Round:
    """Parse (``formdata``) or show (``document``), apply ``action``, validate, build the page.

    ``complete=False`` is a draft's view: type and range problems, no required checks.
    ``result`` is a validation of this very document made already (the case service's, when
    it refused a submission): the page is built from it instead of evaluating again.
    """
    if formdata is not None:
        document = build_form(definition, formdata=formdata).answers()
    document = dict(document or {})
    if action:
        document = apply_row_action(definition, document, action)
    # one evaluation serves both: the core never reports on, nor keeps, a hidden answer, so
    # validating before the hidden answers are pruned gives the same problems as after
    if result is None:
        result = validate(definition, document, today=today, complete=complete)
    document = prune_hidden(definition, document, result.evaluation)
    # re-rendered from the document, so rows are numbered 0..n-1 again after a removal
    form = build_form(definition, document=document)
    form.result = result
    problems = result.problems if show_problems else ()
    attach_problems(form, problems)
    page = build_page(definition, form, result.evaluation, mode=mode, problems=problems)
    return Round(form=form, document=document, result=result, page=page, complete=complete)


def apply_row_action(
    definition: FormDefinition, document: dict[str, Any], action: str
) -> dict[str, Any]:
    """``add_row:<repeat>`` or ``remove_row:<repeat>:<index>``; other actions change nothing."""
    verb, _, rest = action.partition(":")
    if verb not in (ADD_ROW, REMOVE_ROW):
        return document
    repeat_id, _, index_text = rest.partition(":")
    repeat = definition.field(repeat_id)
    if repeat is None or not repeat.is_repeat:
        raise UnknownActionError(action)
    document = dict(document)
    rows = list(document.get(repeat_id) or [])
    if verb == ADD_ROW:
        if repeat.max_rows is None or len(rows) < repeat.max_rows:
            rows.append({sub.id: None for sub in repeat.fields})
    else:
        try:
            index = int(index_text)
        except ValueError:
            raise UnknownActionError(action) from None
        if 0 <= index < len(rows):
            del rows[index]
    if rows:
        document[repeat_id] = rows
    else:
        document.pop(repeat_id, None)
    return document


def prune_hidden(
    definition: FormDefinition, document: Mapping[str, Any], evaluation: Evaluation
) -> dict[str, Any]:
    """The document without answers to hidden questions (they are not kept, even in drafts)."""
    out: dict[str, Any] = {}
    for key, value in document.items():
        if key in evaluation.hidden:
            continue
        f = definition.field(key)
        if f is not None and f.type is FieldType.REPEAT and isinstance(value, list):
            value = [
                {
                    sub: cell
                    for sub, cell in row.items()
                    if f"{key}[{index}].{sub}" not in evaluation.hidden
                }
                if isinstance(row, dict)
                else row
                for index, row in enumerate(value)
            ]
        out[key] = value
    return out


def changed_fields(
    definition: FormDefinition,
    mine: Mapping[str, Any],
    theirs: Mapping[str, Any],
    *,
    today: dt.date,
) -> list[str]:
    """Labels of the questions whose answers differ between two documents (after typing)."""
    a = evaluate(definition, mine, today=today).answers_json()
    b = evaluate(definition, theirs, today=today).answers_json()
    return [
        f.label
        for _section, f in definition.iter_fields()
        if a.get(f.id) != b.get(f.id) and (a.get(f.id) or b.get(f.id))
    ]
