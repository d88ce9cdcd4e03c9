"""Where a definition problem sits, said the way the editor page numbers things.

The loader names a problem by its JSON path counted from 0 (``sections[3].fields[5].visible_if``);
the page numbers sections and fields from 1 and shows titles and labels. The path stays
available (the JSON view uses it); this gives the editor's lists a Danish place instead.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from forms_service.definitions.diff.render import attribute_name

_STEP = re.compile(r"([a-z_]+)(?:\[(\d+)\])?")
_CONTAINERS = {
    "sections": "Sektion",
    "fields": "felt",
    "options": "svarmulighed",
    "computed": "Beregnet værdi",
    "criteria": "Kriterie",
    "checks": "kontrol",
    "migrations": "Migrering",
}


def problem_place(path: str | None, data: Mapping[str, Any] | None) -> str:
    """``sections[3].fields[5].visible_if`` → ``Sektion 4 »Arbejdsevne«, felt 6 »Faglig
    forklaring«: vises hvis``. Unknown shapes come back as the path itself."""
    if not path:
        return "Definitionen"
    node: Any = data or {}
    items: list[str] = []
    attributes: list[str] = []
    for step in path.split("."):
        match = _STEP.fullmatch(step)
        if match is None:
            return path
        name, index = match.group(1), match.group(2)
        if index is None:
            node = node.get(name) if isinstance(node, Mapping) else None
            attributes.append(attribute_name(name))
            continue
        found = node.get(name) if isinstance(node, Mapping) else None
        item = found[int(index)] if isinstance(found, list) and int(index) < len(found) else {}
        title = ""
        if isinstance(item, Mapping):
            title = item.get("title") or item.get("label") or item.get("id") or ""
        word = _CONTAINERS.get(name, name)
        items.append(f"{word} {int(index) + 1}" + (f" »{title}«" if title else ""))
        node = item
    place = ", ".join(items)
    if attributes:
        place = f"{place}: {', '.join(attributes)}" if place else ", ".join(attributes)
    return place[0].upper() + place[1:] if place else path


# CEL's parser speaks English; the editor names the common cases in Danish and keeps the column
_PARSER_PHRASES = (
    (
        re.compile(r"Syntax error: mismatched input '<EOF>' expecting .*"),
        "udtrykket slutter for tidligt (mangler der noget efter en operator eller en parentes?)",
    ),
    (re.compile(r"Syntax error: mismatched input '([^']*)' expecting .*"), "uventet »\\1« her"),
    (
        re.compile(r"Syntax error: extraneous input '([^']*)' expecting .*"),
        "»\\1« hører ikke til her",
    ),
    (
        re.compile(r"Syntax error: token recognition error at: '(.*)'"),
        "ukendt tegn »\\1« (skriv == for lig med, og luk tekster med ')",
    ),
    (re.compile(r"Syntax error: missing '([^']*)' at .*"), "der mangler »\\1«"),
)


def danish_expression_error(message: str) -> str:
    """``syntaksfejl i kolonne 5: Syntax error: mismatched input '<EOF>' …`` in Danish."""
    for pattern, danish in _PARSER_PHRASES:
        found = pattern.search(message)
        if found:
            return message[: found.start()] + found.expand(danish)
    return message
