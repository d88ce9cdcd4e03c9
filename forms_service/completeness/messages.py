"""Danish texts of the report: reasons for missing fields, unevaluable checks, the summary."""

from __future__ import annotations

from collections.abc import Sequence

from forms_service.completeness.fields import FieldRef


def name(ref: FieldRef) -> str:
    """»Label« with where it is: the repeat group, else the section."""
    if ref.group_label:
        return f"»{ref.label}« i »{ref.group_label}«"
    if ref.section_title:
        return f"»{ref.label}« ({ref.section_title})"
    return f"»{ref.label}«"


def names(refs: Sequence[FieldRef]) -> str:
    parts = [name(ref) for ref in refs]
    if len(parts) > 1:
        return ", ".join(parts[:-1]) + " og " + parts[-1]
    return parts[0] if parts else ""


def required_missing(ref: FieldRef) -> str:
    if ref.document:
        return f"Dokumentation mangler: {name(ref)} er ikke angivet."
    if ref.group:
        return f"{name(ref)} er ikke udfyldt i nogen række."
    return f"{name(ref)} er ikke udfyldt."


def computed_missing(
    ref: FieldRef, inputs: Sequence[FieldRef], *, refused: Sequence[str] = ()
) -> str:
    """A computed value without a value: the questions it needs (``refused``: the validator's
    messages for answers given but not valid)."""
    if inputs:
        text = f"{name(ref)} kan ikke beregnes, før {names(inputs)} er udfyldt."
    else:
        text = f"{name(ref)} kan ikke beregnes."
    return " ".join((text, *refused))


def required_hidden(ref: FieldRef) -> str:
    return f"{name(ref)} vises ikke i skemaet med de nuværende svar, men kriteriet bygger på det."


def unevaluable(
    message: str,
    read: Sequence[FieldRef],
    missing: Sequence[FieldRef] = (),
    *,
    refused: Sequence[str] = (),
) -> str:
    """A check that could not run: say what it needs (``missing``: what it reads that is
    unanswered; ``refused``: the validator's messages for answers given but not valid), then
    what it checks."""
    if missing:
        text = f"Kan ikke kontrolleres, før {names(missing)} er udfyldt."
    elif refused:
        text = "Kan ikke kontrolleres."
    else:
        text = f"Kan ikke kontrolleres med de nuværende svar i {names(read)}."
    return " ".join((text, *refused, f"Kontrollen: {message}"))


def condition_needs(
    missing: Sequence[FieldRef], message: str | None = None, *, refused: Sequence[str] = ()
) -> str:
    """A condition that cannot be assessed yet: what it needs (``refused``: the validator's
    messages for answers given but not valid), then what it tests."""
    text = (
        f"Kan ikke vurderes, før {names(missing)} er udfyldt." if missing else "Kan ikke vurderes."
    )
    if refused:
        text = " ".join((text, *refused))
    return f"{text} Betingelsen: {message}" if message else text


def _count(n: int, singular: str, plural: str) -> str:
    return singular if n == 1 else plural


def summary(
    *,
    criteria: tuple[int, int],
    missing: Sequence[str],
    insufficient: Sequence[str],
    not_met: Sequence[str],
    undetermined: Sequence[str],
    attention: int,
) -> str:
    """``criteria``: (informed, total); the rest: titles by status.

    Criteria are "oplyst" (informed), never "opfyldt": whether the citizen qualifies is the
    conditions' question, and a condition not met is said to lead to a refusal, not to be
    missing information.
    """
    done, total = criteria
    counted = f"{done} af {total} {_count(total, 'kriterie', 'kriterier')} er oplyst"
    if not missing and not insufficient:
        text = f"Sagen er tilstrækkeligt oplyst: {counted}."
    else:
        text = f"Sagen er ikke tilstrækkeligt oplyst: {counted}."
        if missing:
            text += " Mangler oplysninger: " + "; ".join(missing) + "."
        if insufficient:
            text += " Ikke tilstrækkeligt oplyst: " + "; ".join(insufficient) + "."
    if not_met:
        text += " Betingelse ikke opfyldt, kan føre til afslag: " + "; ".join(not_met) + "."
    if undetermined:
        text += " Betingelse kan ikke vurderes endnu: " + "; ".join(undetermined) + "."
    if attention:
        text += f" {attention} {_count(attention, 'bemærkning', 'bemærkninger')} til Seniorpension."
    return text
