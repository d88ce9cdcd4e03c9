"""The structured editor's edits applied to a definition's JSON (pure).

The page posts one input per editable attribute, named by position (``title``,
``section-0-title``, ``field-0-2-label``, ``field-0-2-options``…) and one ``action``:
``save``, ``move_section:<i>:up|down``, ``move_field:<i>:<j>:up|down``, ``remove_field:<i>:<j>``,
``add_field:<i>`` (with ``new-<i>-id``, ``new-<i>-type``, ``new-<i>-label``,
``new-<i>-visible_if``) or ``add_section`` (``new-section-id``, ``new-section-title``). The
posted values are applied first, then the action, so nothing typed is lost by a move. Only
attributes present in the post change; an emptied optional attribute is removed. Whether the
result is a valid definition is for ``check_definition_data`` to say, not for this module.
"""

from __future__ import annotations

import copy
from typing import Any, Protocol

FORM_TEXTS = ("title", "description")
FORM_GUIDANCE = ("intro", "sufficient", "missing_information")
FIELD_TEXTS = ("label", "hint", "guidance", "visible_if", "required_if")
OPTIONAL = frozenset({"description", "hint", "guidance", "visible_if", "required_if"})
MARKDOWN = frozenset({"guidance", "description"})
CHOICE_TYPES = ("choice", "multichoice")
FIELD_TYPES = (
    "text",
    "textarea",
    "integer",
    "number",
    "date",
    "boolean",
    "choice",
    "multichoice",
    "cpr",
    "attachment",
)


class PostedForm(Protocol):
    def get(self, key: str, default: Any = None) -> Any: ...

    def __contains__(self, key: object) -> bool: ...


class StructuredEditError(ValueError):
    """An action that names nothing on the page (an outdated or forged post)."""


def options_text(options: Any) -> str:
    """Options as the textarea shows them: ``value | label`` (``| hint``) a line."""
    lines = []
    for option in options or []:
        if not isinstance(option, dict):
            continue
        parts = [str(option.get("value", "")), str(option.get("label", ""))]
        if option.get("hint"):
            parts.append(str(option["hint"]))
        lines.append(" | ".join(parts))
    return "\n".join(lines)


def parse_options(text: str) -> list[dict[str, str]]:
    options = []
    for line in text.splitlines():
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        value = parts[0]
        label = parts[1] if len(parts) > 1 and parts[1] else value
        option = {"value": value, "label": label}
        if len(parts) > 2 and parts[2]:
            option["hint"] = "|".join(parts[2:]).strip()
        options.append(option)
    return options


def _same(old: Any, new: str) -> bool:
    """Equal but for line endings and surrounding white space (which browsers change)."""
    return isinstance(old, str) and old.replace("\r\n", "\n").strip() == new.strip()


def _set(target: dict[str, Any], key: str, value: str | None) -> None:
    if value is None:
        return
    value = value.replace("\r\n", "\n")
    if _same(target.get(key), value) or (key not in target and not value.strip()):
        return  # untouched: keep the text exactly as written
    if key in OPTIONAL and not value.strip():
        target.pop(key, None)
    elif key in MARKDOWN:
        target[key] = value.strip("\n").rstrip()
    else:
        target[key] = value.strip()


def apply_edits(data: dict[str, Any], posted: PostedForm, action: str = "save") -> dict[str, Any]:
    """A new definition dict: ``data`` with the posted values and then ``action`` applied."""
    out = copy.deepcopy(data)
    for key in FORM_TEXTS:
        _set(out, key, posted.get(key))
    guidance = out.get("guidance") if isinstance(out.get("guidance"), dict) else {}
    for key in FORM_GUIDANCE:
        value = posted.get(f"guidance-{key}")
        if value is not None and not _same(guidance.get(key), value.replace("\r\n", "\n")):
            if value.strip():
                guidance[key] = value.replace("\r\n", "\n").rstrip()
            else:
                guidance.pop(key, None)
    if guidance or "guidance" in out:
        out["guidance"] = guidance
    sections = out.get("sections") if isinstance(out.get("sections"), list) else []
    for i, section in enumerate(sections):
        if not isinstance(section, dict):
            continue
        _set(section, "title", posted.get(f"section-{i}-title"))
        _set(section, "guidance", posted.get(f"section-{i}-guidance"))
        fields = section.get("fields") if isinstance(section.get("fields"), list) else []
        for j, field in enumerate(fields):
            if isinstance(field, dict):
                _apply_field(field, posted, f"field-{i}-{j}")
    return _action(out, sections, posted, action)


def _apply_field(field: dict[str, Any], posted: PostedForm, prefix: str) -> None:
    for key in FIELD_TEXTS:
        _set(field, key, posted.get(f"{prefix}-{key}"))
    if f"{prefix}-present" in posted:
        if f"{prefix}-required" in posted:
            field["required"] = True
        else:
            field.pop("required", None)
    options = posted.get(f"{prefix}-options")
    if (
        options is not None
        and field.get("type") in CHOICE_TYPES
        and not _same(options_text(field.get("options")), options.replace("\r\n", "\n"))
    ):
        field["options"] = parse_options(options)


def _index(text: str, length: int) -> int:
    try:
        index = int(text)
    except ValueError:
        raise StructuredEditError(text) from None
    if not 0 <= index < length:
        raise StructuredEditError(text)
    return index


def _move(items: list[Any], index: int, direction: str) -> None:
    target = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down"):
        raise StructuredEditError(direction)
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]


def _fields_of(sections: list[Any], i: int) -> list[Any]:
    section = sections[_index(str(i), len(sections))]
    if not isinstance(section, dict):
        raise StructuredEditError(str(i))
    fields = section.setdefault("fields", [])
    if not isinstance(fields, list):
        raise StructuredEditError(str(i))
    return fields


def _action(
    out: dict[str, Any], sections: list[Any], posted: PostedForm, action: str
) -> dict[str, Any]:
    verb, *args = action.split(":")
    if verb in ("save", ""):
        return out
    if verb == "move_section" and len(args) == 2:
        _move(sections, _index(args[0], len(sections)), args[1])
    elif verb == "move_field" and len(args) == 3:
        fields = _fields_of(sections, int(args[0]) if args[0].isdigit() else -1)
        _move(fields, _index(args[1], len(fields)), args[2])
    elif verb == "remove_field" and len(args) == 2:
        fields = _fields_of(sections, int(args[0]) if args[0].isdigit() else -1)
        del fields[_index(args[1], len(fields))]
    elif verb == "add_field" and len(args) == 1:
        i = int(args[0]) if args[0].isdigit() else -1
        fields = _fields_of(sections, i)
        new: dict[str, Any] = {
            "id": (posted.get(f"new-{i}-id") or "").strip(),
            "type": (posted.get(f"new-{i}-type") or "text").strip(),
            "label": (posted.get(f"new-{i}-label") or "").strip(),
        }
        _set(new, "visible_if", posted.get(f"new-{i}-visible_if"))
        if new["type"] in CHOICE_TYPES:
            new["options"] = parse_options(posted.get(f"new-{i}-options") or "")
        fields.append(new)
    elif verb == "add_section" and not args:
        sections.append(
            {
                "id": (posted.get("new-section-id") or "").strip(),
                "title": (posted.get("new-section-title") or "").strip(),
                "fields": [],
            }
        )
        out["sections"] = sections
    else:
        raise StructuredEditError(action)
    return out
