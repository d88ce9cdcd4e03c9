"""Problem paths ↔ HTML names and ids.

The core names an answer by its path (``ansaettelser[2].fra``, ``dokument.title``); the HTML
form names the same answer ``ansaettelser-2-fra`` (WTForms' FieldList/FormField scheme) and
gives its input the id ``field-ansaettelser-2-fra``, which the error summary links to.
"""

from __future__ import annotations

from forms_service.answers.storage import path_segments

__all__ = ["input_id", "input_name", "path_segments"]


def input_name(path: str) -> str:
    return "-".join(str(s) for s in path_segments(path))


def input_id(path_or_name: str) -> str:
    name = (
        input_name(path_or_name) if ("[" in path_or_name or "." in path_or_name) else path_or_name
    )
    return f"field-{name}"
