"""The Jinja environment every Word template is rendered in.

docxtpl's default environment is a plain ``jinja2.Environment``: a template can reach Python
internals (``{{ cycler.__init__.__globals__.os.popen('id').read() }}``, docxtpl issues #549 and
#632). Templates are edited by people outside the development team, so they run in an
immutable sandbox: no underscore attributes, no mutation of the context, undefined names are
errors instead of silent blanks, and every value is XML-escaped on output.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from docxtpl import Listing
from jinja2 import StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape

from forms_service import danish as formatting
from forms_service.seniorpension.cpr import format_cpr

# XML 1.0 forbids most control characters; one pasted from another system would make Word
# refuse the whole document, so they are dropped.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# A Listing keeps \a (new paragraph) and \f (page break) for the renderer to resolve.
_INVALID_IN_LISTING = re.compile("[\x00-\x06\x08\x0b\x0e-\x1f\ufffe\uffff]")


def text_to_wordml(text: str) -> Markup:
    """Escape ``text`` for a ``<w:t>`` element, keeping line breaks and tabs."""
    text = _INVALID_XML.sub("", text)
    if " %" in text:
        # on paper "100,0 %" must not break before the sign
        text = text.replace(" %", "\u00a0%")
    if "\n" not in text and "\r" not in text and "\t" not in text:
        return escape(text)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    tab = Markup('</w:t><w:tab/><w:t xml:space="preserve">')
    return Markup('</w:t><w:br/><w:t xml:space="preserve">').join(
        tab.join(escape(piece) for piece in line.split("\t")) for line in lines
    )


def _finalize(value: Any) -> Any:
    # Runs before autoescape on every ``{{ … }}``: returning Markup means "already escaped".
    if value is None:
        return ""
    if isinstance(value, Listing):
        # escaped already; its \n, \t, \a and \f are resolved after rendering, as docxtpl does
        return Markup(_INVALID_IN_LISTING.sub("", value.xml))  # noqa: S704 - escaped by Listing
    if hasattr(value, "__html__"):
        return value
    return text_to_wordml(value if isinstance(value, str) else str(value))


def _cpr_masked(value: Any) -> str:
    return format_cpr(value, masked=True)


def _linebreaks(value: Any) -> Markup:
    return _finalize(value)


def make_environment(filters: Mapping[str, Any] | None = None) -> ImmutableSandboxedEnvironment:
    env = ImmutableSandboxedEnvironment(
        autoescape=True,
        undefined=StrictUndefined,
        finalize=_finalize,
        auto_reload=False,
    )
    env.filters.update(formatting.FILTERS)
    env.filters["linjeskift"] = _linebreaks
    env.filters["cpr"] = format_cpr
    env.filters["cpr_maskeret"] = _cpr_masked
    env.filters.update(filters or {})
    # lipsum and friends are of no use in a document and only widen the surface
    for name in ("lipsum", "joiner"):
        env.globals.pop(name, None)
    return env
