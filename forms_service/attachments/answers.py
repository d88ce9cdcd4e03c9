"""An uploaded document answers its attachment field: an empty title takes the file's name.

So a row whose document was uploaded counts as answered, for validation and for the
completeness report's criterion (helbredsdokumenter → the health criterion), without the
caseworker typing the title again. Source and date stay the caseworker's to give.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

from forms_service.attachments.paths import parse_path


def with_document_titles(
    answers: Mapping[str, Any], filenames_by_path: Mapping[str, Sequence[str]]
) -> dict[str, Any]:
    """A copy of ``answers`` where each attachment answer with an uploaded file and no title
    has the first file's name (without extension) as its title."""
    out = copy.deepcopy(dict(answers))
    for path, filenames in filenames_by_path.items():
        parsed = parse_path(path)
        if parsed is None or not filenames:
            continue
        group, index, sub = parsed
        if index is None:
            holder, key = out, group
        else:
            rows = out.get(group)
            if not isinstance(rows, list) or index >= len(rows) or sub is None:
                continue  # no such row in the answers: nothing to fill in
            holder, key = rows[index], sub
            if not isinstance(holder, dict):
                continue
        value = holder.get(key)
        if value is None:
            value = holder[key] = {}
        if isinstance(value, dict) and not str(value.get("title") or "").strip():
            value["title"] = filenames[0].rsplit(".", 1)[0]
    return out
