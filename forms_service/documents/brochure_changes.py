"""What changed between two versions of the citizen brochure, for the people who write it.

Sections are matched by their stable ``id`` (as form fields are), so a section that keeps its
id is the same section even if it moved or got a new title. Prose (title, subtitle, section
titles and bodies) gets the word-level diff the form editor shows; the contribution table and
the amounts are compared row by row as "old → new".
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Literal

from forms_service import danish as fmt
from forms_service.definitions.diff import WordSegment, word_diff
from forms_service.documents.brochure import Amount, Brochure, ContributionRate

Kind = Literal["added", "removed", "changed", "moved"]
KIND_LABELS: dict[str, str] = {
    "added": "Nyt",
    "removed": "Fjernet",
    "changed": "Ændret",
    "moved": "Flyttet",
}


@dataclass(frozen=True, slots=True)
class TextChange:
    """One piece of prose that changed: what it is, and the word diff of it."""

    what: str
    words: tuple[WordSegment, ...]


@dataclass(frozen=True, slots=True)
class SectionChange:
    id: str
    title: str
    kind: Kind
    texts: tuple[TextChange, ...] = ()
    position: tuple[int, int] | None = None  # (old, new), from 1, when the section moved

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]


@dataclass(frozen=True, slots=True)
class ValueChange:
    """A row of a table or an amount: ``old``/``new`` are None when added/removed."""

    what: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class BrochureChanges:
    old_version: str
    new_version: str
    texts: tuple[TextChange, ...] = ()
    sections: tuple[SectionChange, ...] = ()
    rates: tuple[ValueChange, ...] = ()
    amounts: tuple[ValueChange, ...] = ()
    summary: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.texts or self.sections or self.rates or self.amounts)


def _text(what: str, old: str | None, new: str | None) -> TextChange | None:
    if (old or "") == (new or ""):
        return None
    return TextChange(what, word_diff(old, new))


def _rate_text(rate: ContributionRate) -> str:
    return fmt.percent(rate.percent) + (f" ({rate.label})" if rate.label else "")


def _amount_text(amount: Amount) -> str:
    return "; ".join(f"{year}: {fmt.number(value, 0)} kr." for year, value in amount.values)


def _values(old: dict[str, str], new: dict[str, str], name: str) -> tuple[ValueChange, ...]:
    keys = list(old) + [k for k in new if k not in old]
    return tuple(
        ValueChange(f"{name} {key}", old.get(key), new.get(key))
        for key in keys
        if old.get(key) != new.get(key)
    )


def compare_brochures(old: Brochure, new: Brochure) -> BrochureChanges:
    """The changes from ``old`` to ``new``, in the order a reader meets them in ``new``."""
    texts = _present(
        _text("Titel", old.title, new.title),
        _text("Undertitel", old.subtitle, new.subtitle),
        _text("Status", old.status, new.status),
    )
    sections = _section_changes(old, new)
    rates = _values(
        {str(r.year): _rate_text(r) for r in old.contribution_rates},
        {str(r.year): _rate_text(r) for r in new.contribution_rates},
        "Pensionsbidrag",
    )
    amounts = _values(
        {a.id: _amount_text(a) for a in old.amounts},
        {a.id: _amount_text(a) for a in new.amounts},
        "Beløbet",
    )
    return BrochureChanges(
        old.version,
        new.version,
        texts,
        sections,
        rates,
        amounts,
        _summary(texts, sections, rates, amounts),
    )


def _present(*changes: TextChange | None) -> tuple[TextChange, ...]:
    return tuple(c for c in changes if c is not None)


def _section_changes(old: Brochure, new: Brochure) -> tuple[SectionChange, ...]:
    """Added, changed and moved sections in ``new``'s order, then the removed ones."""
    old_sections = {s.id: (i, s) for i, s in enumerate(old.sections)}
    new_ids = {s.id for s in new.sections}
    in_place = _in_place(old, new)
    changes: list[SectionChange] = []
    for index, section in enumerate(new.sections):
        if section.id not in old_sections:
            texts = _present(
                _text("Overskrift", None, section.title), _text("Tekst", None, section.body)
            )
            changes.append(SectionChange(section.id, section.title, "added", texts))
            continue
        old_index, before = old_sections[section.id]
        changed = _present(
            _text("Overskrift", before.title, section.title),
            _text("Tekst", before.body, section.body),
            _text(
                "Tabel",
                "bidragstabellen" if before.table else "ingen",
                "bidragstabellen" if section.table else "ingen",
            ),
        )
        moved = section.id not in in_place
        if changed or moved:
            changes.append(
                SectionChange(
                    section.id,
                    section.title,
                    "changed" if changed else "moved",
                    changed,
                    (old_index + 1, index + 1) if moved else None,
                )
            )
    for section in old.sections:
        if section.id not in new_ids:
            texts = _present(
                _text("Overskrift", section.title, None), _text("Tekst", section.body, None)
            )
            changes.append(SectionChange(section.id, section.title, "removed", texts))
    return tuple(changes)


def _in_place(old: Brochure, new: Brochure) -> set[str]:
    """The ids of the sections that stayed put.

    Among the sections both versions have, the longest run kept in order stayed put; the
    others moved (one section moved to the top is one move, not a shift of all the rest).
    """
    old_ids = {s.id for s in old.sections}
    new_ids = {s.id for s in new.sections}
    kept_old = [s.id for s in old.sections if s.id in new_ids]
    kept_new = [s.id for s in new.sections if s.id in old_ids]
    matcher = difflib.SequenceMatcher(None, kept_old, kept_new, autojunk=False)
    return {
        kept_new[block.b + k] for block in matcher.get_matching_blocks() for k in range(block.size)
    }


def _summary(
    texts: tuple[TextChange, ...],
    sections: tuple[SectionChange, ...],
    rates: tuple[ValueChange, ...],
    amounts: tuple[ValueChange, ...],
) -> list[str]:
    counts = {k: sum(1 for s in sections if s.kind == k) for k in KIND_LABELS}
    return [
        f"{n} {word}"
        for n, word in (
            (
                len(texts),
                "ændring i titel og status" if len(texts) == 1 else "ændringer i titel og status",
            ),
            (counts["added"], "nyt afsnit" if counts["added"] == 1 else "nye afsnit"),
            (counts["removed"], "fjernet afsnit" if counts["removed"] == 1 else "fjernede afsnit"),
            (counts["changed"], "ændret afsnit" if counts["changed"] == 1 else "ændrede afsnit"),
            (counts["moved"], "flyttet afsnit" if counts["moved"] == 1 else "flyttede afsnit"),
            (
                len(rates),
                "ændring i bidragstabellen" if len(rates) == 1 else "ændringer i bidragstabellen",
            ),
            (len(amounts), "ændret beløb" if len(amounts) == 1 else "ændrede beløb"),
        )
        if n
    ]
