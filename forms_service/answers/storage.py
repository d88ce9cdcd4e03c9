"""What is stored for an answer set: one function, called by the case service for every adapter.

The web form posts strings, the API sends JSON as the client likes it ("ja", 42.0, a CPR with a
dash, answers to questions the other answers hide). Whatever came in, the stored answer set is
the same: typed JSON values (``to_json_value``) of the visible questions, hidden and unknown
answers removed, computed values not stored. A draft may hold an answer of the wrong type
("12 timer" in a number field): it is kept as typed, so nothing the caseworker wrote is lost,
and the core reports it again when the draft is opened or submitted.

The evaluation made here is the request's only one: the service hands it (and the validation
problems) back to the adapter, which prints them.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from forms_service.answers.evaluate import Evaluation
from forms_service.answers.validate import ValidationResult, validate
from forms_service.definitions.model import FormDefinition

_SEGMENT = re.compile(r"([a-z][a-z0-9_]*)|\[(\d+)\]")


@dataclass(frozen=True, slots=True)
class NormalisedAnswers:
    answers: dict[str, Any]  # what is stored
    result: ValidationResult  # the one evaluation and its problems

    @property
    def evaluation(self) -> Evaluation:
        return self.result.evaluation


def normalise_for_storage(
    definition: FormDefinition,
    raw: Mapping[str, Any],
    *,
    today: dt.date,
    complete: bool,
) -> NormalisedAnswers:
    """Evaluate and validate ``raw`` once; the answers to store and the verdict.

    ``complete=False`` (a draft) skips the required checks and keeps wrongly typed answers as
    typed; a submission with any problem is refused by the caller, so its stored answers are
    always fully typed.
    """
    result = validate(definition, raw, today=today, complete=complete)
    return NormalisedAnswers(stored_answers(result, raw), result)


def stored_answers(result: ValidationResult, raw: Mapping[str, Any]) -> dict[str, Any]:
    """Typed JSON where an answer is valid, the text as typed where its type is wrong."""
    stored = _whole_numbers(result.evaluation.answers_json())
    for problem in result.evaluation.type_problems:
        segments = path_segments(problem.path)
        value = _get(raw, segments)
        if value is not None:
            _set(stored, segments, copy.deepcopy(value))
    return stored


def _whole_numbers(value: Any) -> Any:
    """10.0 stored as 10: JSON has one kind of number, and 10 is what was answered."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: _whole_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_whole_numbers(item) for item in value]
    return value


def path_segments(path: str) -> list[str | int]:
    """``"a[2].b.title"`` → ``["a", 2, "b", "title"]``."""
    segments: list[str | int] = []
    for match in _SEGMENT.finditer(path):
        name, index = match.groups()
        segments.append(int(index) if index is not None else name)
    return segments


def _get(document: Any, segments: list[str | int]) -> Any:
    current = document
    for segment in segments:
        if isinstance(segment, int):
            if not isinstance(current, list) or segment >= len(current):
                return None
        elif not isinstance(current, Mapping):
            return None
        current = current[segment] if isinstance(segment, int) else current.get(segment)
    return current


def _set(document: dict[str, Any], segments: list[str | int], value: Any) -> None:
    current: Any = document
    for position, segment in enumerate(segments[:-1]):
        following = segments[position + 1]
        if isinstance(segment, int):
            while len(current) <= segment:
                current.append({})
            if current[segment] is None:
                current[segment] = {}
            current = current[segment]
            continue
        if current.get(segment) is None:
            current[segment] = [] if isinstance(following, int) else {}
        current = current[segment]
    last = segments[-1]
    if isinstance(last, int):
        while len(current) <= last:
            current.append({})
    current[last] = value
