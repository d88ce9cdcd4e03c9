"""The renderer API: one function per document, returning .docx bytes.

These are what the web views, the API, the CLI and bulk jobs call. Each builds its context in
Python (``context``, ``brochure``) and renders the kind's compiled template (``kinds``), which
is parsed, patched, checked and compiled once per process.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from forms_service.answers import Evaluation
from forms_service.definitions.model import FormDefinition
from forms_service.documents.brochure import Brochure, brochure_context
from forms_service.documents.context import (
    CaseFacts,
    blank_form_context,
    case_form_context,
    guidance_context,
)
from forms_service.documents.kinds import get_kind, template_for


def render_kind(kind: str, context: Mapping[str, Any], *, templates: Path | None = None) -> bytes:
    """Render any document kind from a prepared context (keys as the kind declares)."""
    doc_kind = get_kind(kind)
    missing = doc_kind.context_keys - set(context)
    if missing:
        raise KeyError(f"{doc_kind.name}: konteksten mangler {', '.join(sorted(missing))}")
    return template_for(doc_kind, templates).render(context)


def render_case_form(
    definition: FormDefinition,
    answers: Mapping[str, Any] | Evaluation,
    *,
    case: CaseFacts | None = None,
    completeness: Any = None,
    mask_cpr: bool = False,
    today: dt.date | None = None,
    generated: dt.date | None = None,
    templates: Path | None = None,
    documents: Sequence[Mapping[str, Any]] = (),
) -> bytes:
    """The filled-in form; ``answers`` raw (evaluated here with ``today``) or an Evaluation."""
    context = case_form_context(
        definition,
        answers,
        case=case,
        completeness=completeness,
        mask_cpr=mask_cpr,
        today=today,
        generated=generated,
        documents=documents,
    )
    return render_kind("case_form", context, templates=templates)


def render_guidance(
    definition: FormDefinition, *, generated: dt.date | None = None, templates: Path | None = None
) -> bytes:
    return render_kind(
        "guidance", guidance_context(definition, generated=generated), templates=templates
    )


def render_blank_form(
    definition: FormDefinition, *, generated: dt.date | None = None, templates: Path | None = None
) -> bytes:
    return render_kind(
        "blank_form", blank_form_context(definition, generated=generated), templates=templates
    )


def render_brochure(
    brochure: Brochure,
    *,
    generated: dt.date | None = None,
    year: int | None = None,
    templates: Path | None = None,
) -> bytes:
    """The leaflet printed for ``year`` (default: the year of ``generated``, else this year)."""
    return render_kind(
        "brochure", brochure_context(brochure, generated=generated, year=year), templates=templates
    )


def file_name(kind: str, *parts: str) -> str:
    """A download file name such as ``Sagsoplysningsskema_SP-2026-0001.docx``."""
    safe = ["".join(ch if ch.isalnum() or ch in "-_.@" else "_" for ch in p) for p in parts if p]
    return "_".join([get_kind(kind).title.replace(" ", "_"), *safe]) + ".docx"
