"""Answer paths of attachment fields: ``bilag`` or ``helbredsdokumenter[0].dokument``.

The same spelling the validation problems use, so an API client can take a problem's path and
upload the missing document to it.
"""

from __future__ import annotations

import re

from forms_service.definitions.model import FieldType, FormDefinition

_PATH = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)(?:\[(\d{1,4})\]\.([A-Za-z_][A-Za-z0-9_]*))?$")


def parse_path(path: str) -> tuple[str, int | None, str | None] | None:
    """``bilag`` → ("bilag", None, None); ``g[2].dokument`` → ("g", 2, "dokument")."""
    match = _PATH.match(path or "")
    if match is None:
        return None
    group, index, sub = match.groups()
    return group, None if index is None else int(index), sub


def is_attachment_path(definition: FormDefinition, path: str) -> bool:
    parsed = parse_path(path)
    if parsed is None:
        return False
    group, index, sub = parsed
    f = definition.field(group)
    if f is None:
        return False
    if index is None:
        return f.type is FieldType.ATTACHMENT
    if f.type is not FieldType.REPEAT:
        return False
    if f.max_rows is not None and index >= f.max_rows:
        return False
    child = f.subfield(sub or "")
    return child is not None and child.type is FieldType.ATTACHMENT


def form_name_to_path(name: str) -> str:
    """The web form's input name (``helbredsdokumenter-0-dokument``) as an answer path."""
    parts = name.split("-")
    if len(parts) == 3 and parts[1].isdigit():
        return f"{parts[0]}[{parts[1]}].{parts[2]}"
    return name


def path_to_form_name(path: str) -> str:
    """An answer path as the web form's input name: the inverse of ``form_name_to_path``."""
    parsed = parse_path(path)
    if parsed is None or parsed[1] is None:
        return path
    group, index, sub = parsed
    return f"{group}-{index}-{sub}"
