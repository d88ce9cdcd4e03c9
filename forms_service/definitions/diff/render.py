"""The diff as text: the terminal's view (``forms-service definitions diff``) and the
Danish names of definition attributes the editor's pages use."""

from __future__ import annotations

import difflib
from typing import Any

from forms_service.definitions.diff.model import (
    Change,
    DefinitionDiff,
    FieldDiff,
    ItemDiff,
)
from forms_service.definitions.diff.words import (
    render_word_diff,
    similarity,
    word_diff,
)

_WORDS: dict[str, dict[str, str]] = {
    "da": {
        "header": "Ændringer fra {old} til {new}",
        "identical": "Ingen ændringer: de to versioner har samme indhold.",
        "no_structural": "Ingen strukturelle ændringer (kun layout eller rækkefølge af nøgler).",
        "hash": "Indholds-hash",
        "form": "Formularen",
        "section": "Sektion",
        "added": "tilføjet",
        "removed": "fjernet",
        "changed": "ændret",
        "moved": "flyttet",
        "position": "plads {old} → {new}",
        "moved_from": "flyttet fra sektion '{section}'",
        "renamed_from": "omdøbt fra '{old}' (migrations)",
        "moved_order": "flyttet inden for sektionen (plads {old} → {new})",
        "field": "felt",
        "subfields": "underfelter",
        "options": "svarmuligheder",
        "options_reordered": "svarmulighedernes rækkefølge er ændret",
        "relabelled": "ny tekst",
        "hint_changed": "ny hjælpetekst",
        "stale": "vejledningen er uændret, men spørgsmålet eller reglerne er ændret: "
        "passer vejledningen stadig?",
        "no_migration": "typen er ændret uden en migrering (migrations) for feltet",
        "computed": "Beregnede værdier",
        "checks": "Tværgående kontroller",
        "completeness": "Fuldstændighedskriterier",
        "migrations": "Migreringer",
        "stale_summary": "Vejledning der bør gennemlæses",
        "summary": "I alt: felter {fields_added} tilføjet, {fields_removed} fjernet, "
        "{fields_changed} ændret, {fields_moved} flyttet; sektioner {sections_added} tilføjet, "
        "{sections_removed} fjernet, {sections_changed} ændret eller flyttet.",
        "none": "(intet)",
        "yes": "ja",
        "no": "nej",
    },
    "en": {
        "header": "Changes from {old} to {new}",
        "identical": "No changes: both versions have the same content.",
        "no_structural": "No structural changes (only layout or key order).",
        "hash": "Content hash",
        "form": "Form",
        "section": "Section",
        "added": "added",
        "removed": "removed",
        "changed": "changed",
        "moved": "moved",
        "position": "position {old} → {new}",
        "moved_from": "moved from section '{section}'",
        "renamed_from": "renamed from '{old}' (migrations)",
        "moved_order": "moved within the section (position {old} → {new})",
        "field": "field",
        "subfields": "sub-fields",
        "options": "options",
        "options_reordered": "the order of the options changed",
        "relabelled": "new label",
        "hint_changed": "new hint",
        "stale": "the guidance is unchanged but the question or its rules changed: "
        "does the guidance still fit?",
        "no_migration": "the type changed without a migration for the field",
        "computed": "Computed values",
        "checks": "Cross-field checks",
        "completeness": "Completeness criteria",
        "migrations": "Migrations",
        "stale_summary": "Guidance to review",
        "summary": "Total: fields {fields_added} added, {fields_removed} removed, "
        "{fields_changed} changed, {fields_moved} moved; sections {sections_added} added, "
        "{sections_removed} removed, {sections_changed} changed or moved.",
        "none": "(none)",
        "yes": "yes",
        "no": "no",
    },
}

_ATTRIBUTE_NAMES: dict[str, dict[str, str]] = {
    "da": {
        "label": "spørgsmål", "type": "type", "required": "påkrævet", "visible_if": "vises hvis",
        "required_if": "påkrævet hvis", "hint": "hjælpetekst", "guidance": "vejledning",
        "min": "min", "max": "max", "min_length": "min. længde", "max_length": "maks. længde",
        "pattern": "mønster", "min_rows": "min. rækker", "max_rows": "maks. rækker",
        "row_label": "rækkenavn", "unit": "enhed", "sources": "kilder",
        "legal_refs": "lovhenvisninger", "messages": "fejlbeskeder", "title": "titel",
        "description": "beskrivelse", "legal_basis": "lovgrundlag",
        "guidance.intro": "vejledning (indledning)",
        "guidance.sufficient": "vejledning (tilstrækkeligt oplyst)",
        "guidance.missing_information": "vejledning (manglende oplysninger)",
        "expr": "udtryk", "decimals": "decimaler", "section": "sektion", "message": "besked",
        "fields": "felter", "repeat": "gentagen gruppe", "kind": "art",
        "legal_ref": "lovhenvisning", "requires": "kræver", "severity": "alvor",
        "when": "gælder når", "renamed_from": "omdøbt fra", "option_map": "svaroversættelse",
        "type_change": "typeændring",
    },
    "en": {},
}  # fmt: skip


def attribute_name(attribute: str, lang: str = "da") -> str:
    """A definition attribute as the editor's pages name it (``visible_if`` → ``vises hvis``)."""
    return _ATTRIBUTE_NAMES[lang].get(attribute, attribute)


def _show(value: Any, words: dict[str, str]) -> str:
    if value is None or value == [] or value == {}:
        return words["none"]
    if value is True:
        return words["yes"]
    if value is False:
        return words["no"]
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list) and all(isinstance(v, dict) and "ref" in v for v in value):
        return "; ".join(v["ref"] for v in value)
    if isinstance(value, list) and all(isinstance(v, dict) and "value" in v for v in value):
        return ", ".join(f"{v['value']} ({v['label']})" for v in value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


# Below this a text counts as rewritten: interleaving its words would be harder to read than
# showing the old and the new text one after the other.
REWRITTEN = 0.5
_CONTEXT_LINES = 1
_LONG = 80  # a longer one-line text is shown like a paragraph


def _prose_lines(old: str, new: str, indent: str) -> list[str]:
    """A multi-line text: unchanged lines as context, changed hunks word by word.

    Lines first, then words inside each changed hunk (as ``git diff --word-diff`` reads), so a
    rewritten paragraph shows as ``-``/``+`` lines instead of confetti.
    """
    old_lines, new_lines = old.splitlines(), new.splitlines()
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    out: list[str] = []
    opcodes = matcher.get_opcodes()
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            lines = new_lines[j1:j2]
            head = lines[:_CONTEXT_LINES] if index > 0 else []
            tail = lines[-_CONTEXT_LINES:] if index < len(opcodes) - 1 else []
            shown = [*head, "…", *tail] if len(lines) > len(head) + len(tail) + 1 else lines
            out += [f"{indent}  {line}".rstrip() for line in shown]
            continue
        old_text, new_text = "\n".join(old_lines[i1:i2]), "\n".join(new_lines[j1:j2])
        segments = word_diff(old_text, new_text)
        if tag == "replace" and similarity(segments) >= REWRITTEN:
            text = render_word_diff(segments)
            out += [f"{indent}~ {line}".rstrip() for line in text.splitlines()]
        else:
            out += [f"{indent}- {line}".rstrip() for line in old_lines[i1:i2]]
            out += [f"{indent}+ {line}".rstrip() for line in new_lines[j1:j2]]
    return out


def _change_lines(change: Change, indent: str, lang: str) -> list[str]:
    words = _WORDS[lang]
    name = _ATTRIBUTE_NAMES[lang].get(change.attribute, change.attribute)
    if change.words is not None and change.old and change.new:
        if any("\n" in text or len(text) > _LONG for text in (change.old, change.new)):
            return [f"{indent}~ {name}:", *_prose_lines(change.old, change.new, indent + "    ")]
        if similarity(change.words) >= REWRITTEN:
            return [f"{indent}~ {name}: {render_word_diff(change.words)}"]
    return [f"{indent}~ {name}: {_show(change.old, words)} → {_show(change.new, words)}"]


def _field_lines(f: FieldDiff, indent: str, lang: str) -> list[str]:
    words = _WORDS[lang]
    head = f'{words["field"]} {f.id} ({f.type}) "{f.label}"'
    if f.status == "added":
        return [f"{indent}+ {head}: {words['added']}"]
    if f.status == "removed":
        return [f"{indent}- {head}: {words['removed']}"]
    if f.moved_section:
        where = words["moved_from"].format(section=f.old_section)
    else:
        where = words["moved_order"].format(
            old=(f.old_position or 0) + 1, new=(f.new_position or 0) + 1
        )
    if f.status == "moved":
        return [f"{indent}→ {head}: {where}"]
    lines = [f"{indent}~ {head}"]
    inner = indent + "    "
    if f.renamed_from:
        lines.append(f"{inner}← {words['renamed_from'].format(old=f.renamed_from)}")
    if f.moved:
        lines.append(f"{inner}→ {where}")
    for change in f.changes:
        lines += _change_lines(change, inner, lang)
    if f.options or f.options_reordered:
        lines.append(f"{inner}~ {words['options']}:")
        for o in f.options:
            if o.status == "added":
                lines.append(f'{inner}    + {o.value} "{o.new_label}"')
            elif o.status == "removed":
                lines.append(f'{inner}    - {o.value} "{o.old_label}"')
            elif o.status == "relabelled":
                diff = render_word_diff(word_diff(o.old_label, o.new_label))
                lines.append(f"{inner}    ~ {o.value}: {words['relabelled']}: {diff}")
            else:
                lines.append(
                    f"{inner}    ~ {o.value}: {words['hint_changed']}: "
                    f"{_show(o.old_hint, words)} → {_show(o.new_hint, words)}"
                )
        if f.options_reordered:
            lines.append(f"{inner}    {words['options_reordered']}")
    if f.subfields:
        lines.append(f"{inner}{words['subfields']}:")
        for sub in f.subfields:
            lines += _field_lines(sub, inner + "    ", lang)
    if f.type_change_without_migration:
        lines.append(f"{inner}! {words['no_migration']}")
    if f.guidance_may_be_stale:
        lines.append(f"{inner}! {words['stale']}")
    return lines


def _item_lines(item: ItemDiff, indent: str, lang: str) -> list[str]:
    words = _WORDS[lang]
    if item.status == "added":
        return [f"{indent}+ {item.id}: {item.summary}  ({words['added']})"]
    if item.status == "removed":
        return [f"{indent}- {item.id}: {item.summary}  ({words['removed']})"]
    lines = [f"{indent}~ {item.id}"]
    for change in item.changes:
        lines += _change_lines(change, indent + "    ", lang)
    for check in item.checks:
        lines += _item_lines(check, indent + "    ", lang)
    return lines


def render_text(diff: DefinitionDiff, *, lang: str = "da") -> str:
    """The diff for a terminal: grouped by section, ``+`` added, ``-`` removed, ``~`` changed."""
    if lang not in _WORDS:
        raise ValueError(f"unknown language {lang!r}; use one of {sorted(_WORDS)}")
    words = _WORDS[lang]
    lines = [
        words["header"].format(old=diff.old_ref, new=diff.new_ref),
        f"{words['hash']}: {diff.old_hash[:12]} → {diff.new_hash[:12]}",
        "",
    ]
    if diff.old_hash == diff.new_hash:
        return "\n".join([*lines, words["identical"], ""])
    if diff.is_empty:
        return "\n".join([*lines, words["no_structural"], ""])
    if diff.form:
        lines.append(f"{words['form']}")
        for change in diff.form:
            lines += _change_lines(change, "  ", lang)
        lines.append("")
    for section in diff.sections:
        status = [words[section.status]] if section.status != "unchanged" else []
        if section.moved:
            status.append(
                words["moved"]
                + " ("
                + words["position"].format(
                    old=(section.old_position or 0) + 1, new=(section.new_position or 0) + 1
                )
                + ")"
            )
        suffix = f" [{', '.join(status)}]" if status else ""
        marker = {"added": "+", "removed": "-"}.get(section.status, "~")
        lines.append(f'{marker} {words["section"]} {section.id} "{section.title}"{suffix}')
        for change in section.changes:
            lines += _change_lines(change, "    ", lang)
        for f in section.fields:
            lines += _field_lines(f, "    ", lang)
        lines.append("")
    for key in ("computed", "checks", "completeness", "migrations"):
        items: tuple[ItemDiff, ...] = getattr(diff, key)
        if items:
            lines.append(words[key])
            for item in items:
                lines += _item_lines(item, "  ", lang)
            lines.append("")
    stale = diff.stale_guidance
    if stale:
        lines.append(f"{words['stale_summary']}: {', '.join(stale)}")
    lines.append(words["summary"].format(**diff.counts()))
    return "\n".join(lines) + "\n"
