"""Titles and labels for the ids that findings and feedback are stored with.

The roll-ups and findings keep ids (``kriterie_3``, ``faglig_forklaring``, ``arbejdsevne``) so
that they stay comparable across form versions; a report a person reads shows the criterion's
title, the field's label and the section's title from the form definitions instead.
"""

from __future__ import annotations

from collections.abc import Iterable

from forms_service.definitions.model import FormDefinition


class DefinitionNames:
    """Look-ups over some versions of a form, the first version named winning."""

    def __init__(self, form: str, versions: Iterable[str] | None = None) -> None:
        from forms_service.definitions.registry import default_registry

        registry = default_registry()
        self.definitions: list[FormDefinition] = []
        try:
            wanted = list(versions) if versions is not None else registry.versions(form)[::-1]
        except (KeyError, LookupError):
            wanted = []
        for version in wanted:
            try:
                self.definitions.append(registry.get(form, version))
            except (KeyError, LookupError, FileNotFoundError):
                continue

    def form_title(self, default: str) -> str:
        return self.definitions[0].title if self.definitions else default

    def criterion(self, ref: str) -> str:
        for definition in self.definitions:
            for rule in definition.completeness:
                if rule.id == ref:
                    return rule.title
        return ref

    def field(self, ref: str) -> str:
        for definition in self.definitions:
            f = definition.field(ref)
            if f is not None:
                return f.label
            c = definition.computed_value(ref)
            if c is not None and c.label:
                return c.label
        return ref

    def section(self, ref: str) -> str:
        for definition in self.definitions:
            for section in definition.sections:
                if section.id == ref:
                    return section.title
        return ref
