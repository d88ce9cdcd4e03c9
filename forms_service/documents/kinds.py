"""The kinds of document the service renders: template file and the context it gets.

Each kind declares the top-level context keys its builder provides; a template is checked
against them when it is loaded, so a template using a name the context lacks is refused with
its file name and line before any document is made. New documents (status and pilot reports)
are new entries here plus a template.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from forms_service.documents.brochure import BROCHURE_KEYS
from forms_service.documents.context import BLANK_FORM_KEYS, CASE_FORM_KEYS, GUIDANCE_KEYS
from forms_service.documents.template import (
    CompiledTemplate,
    TemplateCheckError,
    TemplateProblem,
    load_template,
)

DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True, slots=True)
class DocumentKind:
    name: str
    template: str  # file name in the templates folder
    context_keys: frozenset[str]
    title: str  # Danish, for file names and pages


KINDS: dict[str, DocumentKind] = {
    k.name: k
    for k in (
        DocumentKind("case_form", "udfyldt_skema.docx", CASE_FORM_KEYS, "Sagsoplysningsskema"),
        DocumentKind("guidance", "vejledning.docx", GUIDANCE_KEYS, "Vejledning"),
        DocumentKind("blank_form", "blankt_skema.docx", BLANK_FORM_KEYS, "Blankt skema"),
        DocumentKind("brochure", "pjece.docx", BROCHURE_KEYS, "Pjece"),
    )
}


def templates_dir() -> Path:
    """``FORMS_SERVICE_TEMPLATES_DOCX`` or the repository's ``templates_docx/``."""
    configured = os.environ.get("FORMS_SERVICE_TEMPLATES_DOCX")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[2] / "templates_docx"


def get_kind(name: str) -> DocumentKind:
    try:
        return KINDS[name]
    except KeyError:
        raise KeyError(
            f"ukendt dokumenttype '{name}' (kendte: {', '.join(sorted(KINDS))})"
        ) from None


def template_for(kind: str | DocumentKind, folder: Path | None = None) -> CompiledTemplate:
    """The compiled, checked template of a document kind (cached per process)."""
    doc_kind = get_kind(kind) if isinstance(kind, str) else kind
    path = (folder or templates_dir()) / doc_kind.template
    return load_template(path, declared=doc_kind.context_keys)


def check_templates(folder: Path | None = None) -> list[TemplateProblem]:
    """Every problem in every kind's template (empty when all are usable)."""
    problems: list[TemplateProblem] = []
    for kind in KINDS.values():
        try:
            template_for(kind, folder)
        except TemplateCheckError as exc:
            problems.extend(exc.problems)
        except FileNotFoundError:
            problems.append(TemplateProblem(kind.template, "", None, "skabelonen findes ikke"))
    return problems
