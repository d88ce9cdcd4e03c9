"""Compiled Word templates: parse, patch, check and compile once; render many times.

A ``CompiledTemplate`` holds the template package in memory, the docxtpl-patched XML of every
part that contains Jinja tags (body, headers, footers, foot- and endnotes and the document
properties), and those parts compiled in the sandbox (``sandbox``). Rendering a document is
then: render the compiled parts, turn RichText/Listing control characters into WordprocessingML
as docxtpl does, fit table columns where a template loops over columns (``tables``), and write
a new zip with the other parts copied as they are (``package``).

Each part is parsed and serialised by lxml before docxtpl's ``patch_xml``, as docxtpl does:
LibreOffice writes a quote inside a tag as ``&quot;``, which Jinja cannot read.

Images, hyperlinks, subdocuments and picture replacement need a document of their own: see
``builder.DocumentBuilder`` (``template.new_document()``).
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import Template, TemplateError, TemplateSyntaxError, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from lxml import etree

from forms_service.documents.package import DocxPackage
from forms_service.documents.sandbox import make_environment
from forms_service.documents.tables import fit_columns, fit_marked_tables, mark_column_loops

_CONTENT_TYPES = "[Content_Types].xml"
_RENDERED_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml",
    "application/vnd.openxmlformats-package.core-properties+xml",
}
_DECLARATION = b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
_TAG = re.compile(r"<[^>]+>")
_JINJA = re.compile(r"{[{%#]")
_COLUMN_LOOP = re.compile(r"{%-?\s*(?:tc\s|hm\s*-?%})")
_HORIZONTAL_MERGE = re.compile(r"{%-?\s*hm\s*-?%}")
# Characters RichText and Listing leave for docxtpl to resolve: tab, new paragraph (\a),
# line break and page break (\f). Word refuses a document with a raw \a or \f in it.
_LISTING = re.compile("[\t\a\n\f]")


class TemplateCheckError(TemplateError):
    """A template that cannot be used; ``problems`` lists every finding.

    A ``jinja2.TemplateError``, so code written for docxtpl that catches Jinja's errors
    catches this one too.
    """

    def __init__(self, problems: list[TemplateProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class DocumentRenderError(Exception):
    """Rendering one document failed (undefined value, refused by the sandbox, …)."""

    def __init__(self, template: str, message: str) -> None:
        self.template = template
        super().__init__(f"{template}: {message}")


@dataclass(frozen=True, slots=True)
class TemplateProblem:
    template: str
    part: str
    line: int | None
    message: str
    excerpt: str = ""

    def __str__(self) -> str:
        where = f"{self.template} ({self.part}"
        where += f", linje {self.line})" if self.line else ")"
        text = f"{where}: {self.message}"
        return f"{text} – tekst: '{self.excerpt}'" if self.excerpt else text


@dataclass(frozen=True, slots=True)
class _Part:
    name: str
    source: str  # patched XML, one paragraph per line (so errors can name a line)
    template: Template
    fix_tables: bool
    unescape_braces: bool
    merges_columns: bool  # {% hm %}: docxtpl's fix_tables for the grid


class CompiledTemplate:
    """A .docx template ready to render; build it with ``load_template`` (cached)."""

    def __init__(
        self,
        path: Path,
        data: bytes,
        *,
        declared: Iterable[str] | None = None,
        filters: Mapping[str, Any] | None = None,
    ) -> None:
        self.path = path
        self.name = path.name
        self.data = data
        self._env = make_environment(filters)
        self._package = DocxPackage(data)
        self._parts: list[_Part] = []
        problems: list[TemplateProblem] = []
        sources: dict[str, str] = {}
        trees: dict[str, nodes.Template] = {}
        for part_name in self._template_parts():
            raw = self._package.read(part_name)
            if not _JINJA.search(raw.decode("utf-8")):
                continue
            root = etree.fromstring(raw)
            mark_column_loops(root)
            # serialised by lxml: entities such as &quot; inside a tag become characters
            xml = etree.tostring(root, encoding="unicode")
            plain = _TAG.sub("", xml)
            patched = DocxTemplate.patch_xml(None, xml)  # type: ignore[arg-type]
            patched = re.sub(r"<w:p([ >])", r"\n<w:p\1", patched)
            sources[part_name] = patched
            try:
                # parsed once: the checks below and the compiler share the tree
                trees[part_name] = tree = self._env.parse(patched)
                compiled = self._env.template_class.from_code(
                    self._env, self._env.compile(tree), self._env.make_globals(None)
                )
            except TemplateSyntaxError as exc:
                problems.append(self._problem(part_name, patched, exc.lineno, exc.message or ""))
                continue
            self._parts.append(
                _Part(
                    part_name,
                    patched,
                    compiled,
                    bool(_COLUMN_LOOP.search(plain)),
                    "{_" in patched or "_}" in patched,
                    bool(_HORIZONTAL_MERGE.search(plain)),
                )
            )
        undeclared = {
            name: _undeclared(tree) - set(self._env.globals) for name, tree in trees.items()
        }
        if not problems:
            problems += self._check_ast(sources, trees, undeclared, declared)
        if problems:
            raise TemplateCheckError(problems)
        self.variables = frozenset(v for names in undeclared.values() for v in names)

    # -- checks ---------------------------------------------------------------------------

    def _template_parts(self) -> list[str]:
        types = etree.fromstring(self._package.read(_CONTENT_TYPES))
        names = []
        for override in types:
            if override.get("ContentType") in _RENDERED_TYPES:
                names.append(override.get("PartName", "").lstrip("/"))
        return [n for n in self._package.names if n in names]

    def _check_ast(
        self,
        sources: Mapping[str, str],
        trees: Mapping[str, nodes.Template],
        undeclared: Mapping[str, set[str]],
        declared: Iterable[str] | None,
    ) -> list[TemplateProblem]:
        problems: list[TemplateProblem] = []
        allowed = None if declared is None else set(declared)
        for part_name, source in sources.items():
            for node in trees[part_name].find_all((nodes.Getattr, nodes.Getitem)):
                attr = node.attr if isinstance(node, nodes.Getattr) else _const(node.arg)
                if isinstance(attr, str) and attr.startswith("_"):
                    problems.append(
                        self._problem(
                            part_name,
                            source,
                            node.lineno,
                            f"adgang til '{attr}' er ikke tilladt i en skabelon",
                        )
                    )
            if allowed is None:
                continue
            for name in sorted(undeclared[part_name] - allowed):
                line = _first_line_using(source, name)
                problems.append(
                    self._problem(
                        part_name,
                        source,
                        line,
                        f"variablen '{name}' findes ikke i konteksten "
                        f"(kendte: {', '.join(sorted(allowed))})",
                    )
                )
        return problems

    def _problem(self, part: str, source: str, line: int | None, message: str) -> TemplateProblem:
        excerpt = ""
        if line:
            lines = source.splitlines()
            if 0 < line <= len(lines):
                excerpt = _TAG.sub("", lines[line - 1]).strip()[:120]
        return TemplateProblem(self.name, part, line, message, excerpt)

    # -- rendering ------------------------------------------------------------------------

    @property
    def environment(self) -> ImmutableSandboxedEnvironment:
        return self._env

    @property
    def package(self) -> DocxPackage:
        return self._package

    def new_document(self) -> Any:
        """A ``builder.DocumentBuilder``: docxtpl's per-document API (images, links, …)."""
        from forms_service.documents.builder import DocumentBuilder

        return DocumentBuilder(self)

    def render(self, context: Mapping[str, Any]) -> bytes:
        """The rendered document as .docx bytes."""
        return self._package.write(self.render_parts(context))

    def render_parts(self, context: Mapping[str, Any], on_part: Any = None) -> dict[str, bytes]:
        """Every rendered part by name; ``on_part(name)`` is called before each is rendered."""
        replacements: dict[str, bytes] = {}
        for part in self._parts:
            if on_part is not None:
                on_part(part.name)
            try:
                xml = part.template.render(context)
            except SecurityError as exc:
                raise DocumentRenderError(
                    self.name, f"skabelonen forsøgte en handling, som ikke er tilladt: {exc}"
                ) from exc
            except TemplateError as exc:
                raise DocumentRenderError(self.name, f"{part.name}: {exc}") from exc
            xml = xml.replace("\n<w:p", "<w:p")
            if part.unescape_braces:
                xml = (
                    xml.replace("{_{", "{{")
                    .replace("}_}", "}}")
                    .replace("{_%", "{%")
                    .replace("%_}", "%}")
                )
            if _LISTING.search(xml):
                xml = DocxTemplate.resolve_listing(None, xml)  # type: ignore[arg-type]
            if part.merges_columns:
                tree = DocxTemplate.fix_tables(None, xml)  # type: ignore[arg-type]
                fit_columns(tree)
                replacements[part.name] = etree.tostring(
                    tree, xml_declaration=True, encoding="UTF-8", standalone=True
                )
            else:
                if part.fix_tables:
                    xml = fit_marked_tables(xml)
                replacements[part.name] = _DECLARATION + xml.encode("utf-8")
        return replacements

    def render_to(self, target: str | os.PathLike[str], context: Mapping[str, Any]) -> Path:
        path = Path(target)
        path.write_bytes(self.render(context))
        return path


# Names Jinja provides inside loops and macros, never looked up in the context.
_IMPLICIT = frozenset({"loop", "caller", "varargs", "kwargs", "self", "super"})


def _undeclared(tree: nodes.Template) -> set[str]:
    """The context names a template reads.

    A walk over the tree's names, much cheaper than ``jinja2.meta.find_undeclared_variables``
    (which runs the code generator once more): a name the template assigns anywhere (a loop
    variable, ``set``) counts as its own. Rendering with ``StrictUndefined`` still catches a
    name read outside the loop that defines it.
    """
    loaded: set[str] = set()
    stored: set[str] = set()
    for name in tree.find_all(nodes.Name):
        (stored if name.ctx in ("store", "param") else loaded).add(name.name)
    return loaded - stored - _IMPLICIT


def _const(node: nodes.Node) -> object:
    return node.value if isinstance(node, nodes.Const) else None


def _first_line_using(source: str, name: str) -> int | None:
    pattern = re.compile(r"{[{%][^}%]*\b" + re.escape(name) + r"\b")
    for number, line in enumerate(source.splitlines(), start=1):
        if pattern.search(line):
            return number
    return None


# -- cache ----------------------------------------------------------------------------------

_CacheKey = tuple[Path, tuple[str, ...] | None, tuple[tuple[str, int], ...]]
_cache: dict[_CacheKey, tuple[int, int, CompiledTemplate]] = {}
_lock = threading.Lock()


def load_template(
    path: str | os.PathLike[str],
    *,
    declared: Iterable[str] | None = None,
    filters: Mapping[str, Any] | None = None,
) -> CompiledTemplate:
    """The compiled template at ``path``, checked against the ``declared`` context keys.

    ``filters`` adds custom Jinja filters (name → function) beside the Danish ones, as
    docxtpl's users do with ``jinja_env.filters``; they run inside the sandbox.

    Cached per process by path and modification time, so an edited template is picked up
    without a restart and an unchanged one is parsed, patched and compiled once.
    """
    resolved = Path(path).resolve()
    key = (
        resolved,
        None if declared is None else tuple(sorted(declared)),
        tuple(sorted((name, id(f)) for name, f in (filters or {}).items())),
    )
    stat = resolved.stat()
    with _lock:
        hit = _cache.get(key)
        if hit and hit[0] == stat.st_mtime_ns and hit[1] == stat.st_size:
            return hit[2]
    compiled = CompiledTemplate(resolved, resolved.read_bytes(), declared=declared, filters=filters)
    with _lock:
        _cache[key] = (stat.st_mtime_ns, stat.st_size, compiled)
    return compiled


def clear_cache() -> None:
    with _lock:
        _cache.clear()
