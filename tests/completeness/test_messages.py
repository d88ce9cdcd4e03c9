"""The Danish texts of the report, exactly as a caseworker reads them."""

from __future__ import annotations

from forms_service.completeness import messages
from forms_service.completeness.fields import FieldRef

DATE = FieldRef("dato", "Ansøgningsdato", "sagen", "Sagen")
NAME = FieldRef("navn", "Navn", "sagen", "Sagen")
BARE = FieldRef("x", "Uden sektion", None, None)
ROW = FieldRef("rows.til", "Til", "job", "Job", group="rows", group_label="Ansættelser")
DOC = FieldRef("attest", "Attest", "helbred", "Helbred", document=True)


def test_names_are_listed_with_commas_and_og():
    assert messages.names([]) == ""
    assert messages.names([DATE]) == "»Ansøgningsdato« (Sagen)"
    assert messages.names([DATE, NAME]) == "»Ansøgningsdato« (Sagen) og »Navn« (Sagen)"
    assert messages.names([DATE, NAME, BARE]) == (
        "»Ansøgningsdato« (Sagen), »Navn« (Sagen) og »Uden sektion«"
    )
    assert messages.names([ROW, DATE, NAME, BARE]) == (
        "»Til« i »Ansættelser«, »Ansøgningsdato« (Sagen), »Navn« (Sagen) og »Uden sektion«"
    )


def test_missing_texts():
    assert messages.required_missing(DATE) == "»Ansøgningsdato« (Sagen) er ikke udfyldt."
    assert messages.required_missing(ROW) == "»Til« i »Ansættelser« er ikke udfyldt i nogen række."
    assert messages.required_missing(DOC) == (
        "Dokumentation mangler: »Attest« (Helbred) er ikke angivet."
    )
    assert messages.unevaluable("Tjek.", [DATE, NAME]) == (
        "Kan ikke kontrolleres med de nuværende svar i »Ansøgningsdato« (Sagen) og »Navn« "
        "(Sagen). Kontrollen: Tjek."
    )
    assert messages.unevaluable("Tjek.", [DATE, NAME], [NAME]) == (
        "Kan ikke kontrolleres, før »Navn« (Sagen) er udfyldt. Kontrollen: Tjek."
    )
    assert messages.condition_needs([DATE]) == (
        "Kan ikke vurderes, før »Ansøgningsdato« (Sagen) er udfyldt."
    )
    assert messages.condition_needs([DATE], "Alder.") == (
        "Kan ikke vurderes, før »Ansøgningsdato« (Sagen) er udfyldt. Betingelsen: Alder."
    )
    assert messages.condition_needs([DATE], "") == (
        "Kan ikke vurderes, før »Ansøgningsdato« (Sagen) er udfyldt."
    )


def test_the_summary_counts_in_danish_and_lists_every_title():
    assert (
        messages.summary(
            criteria=(1, 1), missing=[], insufficient=[], not_met=[], undetermined=[], attention=0
        )
        == "Sagen er tilstrækkeligt oplyst: 1 af 1 kriterie er oplyst."
    )
    assert messages.summary(
        criteria=(0, 3),
        missing=["A", "B"],
        insufficient=["C", "D"],
        not_met=["E", "F"],
        undetermined=["G", "H"],
        attention=1,
    ) == (
        "Sagen er ikke tilstrækkeligt oplyst: 0 af 3 kriterier er oplyst."
        " Mangler oplysninger: A; B. Ikke tilstrækkeligt oplyst: C; D."
        " Betingelse ikke opfyldt, kan føre til afslag: E; F."
        " Betingelse kan ikke vurderes endnu: G; H. 1 bemærkning til Seniorpension."
    )
    assert (
        messages.summary(
            criteria=(4, 4), missing=[], insufficient=[], not_met=[], undetermined=[], attention=2
        )
        == "Sagen er tilstrækkeligt oplyst: 4 af 4 kriterier er oplyst. 2 bemærkninger til Seniorpension."
    )
