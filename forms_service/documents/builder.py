"""One document made from a compiled template, with docxtpl's per-document API.

``CompiledTemplate.render(context)`` is the fast path for documents of text and tables. What
docxtpl's users do on the ``DocxTemplate`` object before rendering belongs to one document, so
it lives here (the compiled template is shared between threads and never changes):

    document = load_template(path).new_document()
    link = document.build_url_id("https://www.borger.dk")   # RichText(..., url_id=link)
    logo = document.image("logo.png", width_mm=30)             # body, header or footer
    document.replace_pic("dummy.png", "real.png")            # by name, title or description
    document.replace_media("old.png", "new.png")             # by content
    document.replace_zipname("word/media/image1.png", "new.png")
    data = document.render(context)                          # or document.save(path, context)

Images and hyperlinks become new parts and relationships of this document's package only.
A subdocument (``new_subdoc``) merges another document's styles, numbering and images into
this one; that is docxcompose's work on a python-docx document, so a document with a
subdocument is rendered by docxtpl itself, in the same sandbox, with the same tags.
"""

from __future__ import annotations

import hashlib
import io
import os
import posixpath
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from docx.image.image import Image
from docx.oxml.shape import CT_Inline
from docxtpl import DocxTemplate
from lxml import etree

if TYPE_CHECKING:
    from forms_service.documents.template import CompiledTemplate

RT_IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
RT_HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
_NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}
_MAIN = "word/document.xml"
_FIRST_SHAPE_ID = 5000

Source = str | os.PathLike[str] | IO[bytes] | bytes


def _read(source: Source) -> bytes:
    if isinstance(source, bytes):
        return source
    if hasattr(source, "read"):
        return source.read()  # type: ignore[union-attr]
    return Path(source).read_bytes()  # type: ignore[arg-type]


def rels_name(part: str) -> str:
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{base}.rels")


class _Relationships:
    """The relationships of one part: the template's plus those this document adds."""

    def __init__(self, xml: bytes | None) -> None:
        self.root = (
            etree.fromstring(xml)
            if xml
            else etree.Element(f"{{{_RELS}}}Relationships", nsmap={None: _RELS})
        )
        self.changed = False

    def target_of(self, r_id: str) -> str | None:
        for rel in self.root:
            if rel.get("Id") == r_id:
                return rel.get("Target")
        return None

    def add(self, reltype: str, target: str, *, external: bool = False) -> str:
        for rel in self.root:
            if rel.get("Type") == reltype and rel.get("Target") == target:
                return str(rel.get("Id"))
        taken = {rel.get("Id") for rel in self.root}
        number = len(taken) + 1
        while f"rId{number}" in taken:
            number += 1
        r_id = f"rId{number}"
        rel = etree.SubElement(self.root, f"{{{_RELS}}}Relationship")
        rel.set("Id", r_id)
        rel.set("Type", reltype)
        rel.set("Target", target)
        if external:
            rel.set("TargetMode", "External")
        self.changed = True
        return r_id

    def to_bytes(self) -> bytes:
        return etree.tostring(self.root, xml_declaration=True, encoding="UTF-8", standalone=True)


class RenderingPart:
    """The part being rendered, as InlineImage expects docxtpl's ``current_rendering_part``."""

    def __init__(self, document: DocumentBuilder, name: str) -> None:
        self.document = document
        self.name = name

    def new_pic_inline(
        self, image_descriptor: Source, width: int | None = None, height: int | None = None
    ) -> CT_Inline:
        image = Image.from_blob(_read(image_descriptor))
        target = self.document.add_media(image.blob, image.ext, image.content_type)
        r_id = self.relate_to(posixpath.relpath(target, posixpath.dirname(self.name)), RT_IMAGE)
        cx, cy = image.scaled_dimensions(width, height)
        shape_id = self.document.next_shape_id()
        return CT_Inline.new_pic_inline(shape_id, r_id, image.filename, cx, cy)

    def relate_to(self, target: str, reltype: str, is_external: bool = False) -> str:
        return self.document.relationships(self.name).add(reltype, target, external=is_external)


class DocumentBuilder:
    """One document from a ``CompiledTemplate``; see the module's docstring."""

    def __init__(self, template: CompiledTemplate) -> None:
        self.template = template
        self._rels: dict[str, _Relationships] = {}
        self._media: dict[str, bytes] = {}  # part name → bytes (new images)
        self._media_by_hash: dict[str, str] = {}
        self._content_types: dict[str, str] = {}  # extension → MIME type to declare
        self._links: list[tuple[str, str]] = []  # (rId, url) on the main document
        self._pictures: dict[str, bytes] = {}  # replace_pic: name/title/description → bytes
        self._media_crc: dict[int, bytes] = {}  # replace_media
        self._zipnames: dict[str, bytes] = {}  # replace_zipname
        self._shape_id = _FIRST_SHAPE_ID
        self._current: RenderingPart | None = None
        self._docxtpl: DocxTemplate | None = None
        self.allow_missing_pics = False

    # -- what InlineImage, RichText and Subdoc call --------------------------------------------

    @property
    def current_rendering_part(self) -> Any:
        if self._docxtpl is not None:
            return self._docxtpl.current_rendering_part
        return self._current

    def build_url_id(self, url: str) -> str:
        """A relationship id for a hyperlink to ``url`` (``RichText(..., url_id=…)``)."""
        if self._docxtpl is not None:
            return self._docxtpl.build_url_id(url)
        r_id = self.relationships(_MAIN).add(RT_HYPERLINK, url, external=True)
        self._links.append((r_id, url))
        return r_id

    def new_subdoc(self, docpath: Source | None = None) -> Any:
        """A docxtpl ``Subdoc`` (empty, or the document at ``docpath``) to put in the context."""
        tpl = self._as_docxtpl()
        if docpath is not None and not isinstance(docpath, str | os.PathLike):
            docpath = io.BytesIO(_read(docpath))
        return tpl.new_subdoc(docpath)

    def get_docx(self) -> Any:
        return self._as_docxtpl().get_docx()

    def image(self, picture: Source, *, width_mm: float | None = None) -> Any:
        """A picture (PNG, JPEG, …) to put in the context, ``width_mm`` wide (default: its own
        size): docxtpl's ``InlineImage`` of this document, so its callers need not import
        docxtpl or python-docx (the reports' charts)."""
        from docx.shared import Mm
        from docxtpl import InlineImage

        source = picture if isinstance(picture, str | os.PathLike) else io.BytesIO(_read(picture))
        return InlineImage(self, source, width=Mm(width_mm) if width_mm is not None else None)

    # -- replacing pictures and parts --------------------------------------------------------

    def replace_pic(self, embedded_file: str, dst_file: Source) -> None:
        """Replace the picture named ``embedded_file`` (its name, title or description)."""
        self._pictures[embedded_file] = _read(dst_file)

    def replace_media(self, src_file: Source, dst_file: Source) -> None:
        """Replace the media part with the same content as ``src_file``."""
        self._media_crc[zlib.crc32(_read(src_file))] = _read(dst_file)

    def replace_zipname(self, zipname: str, dst_file: Source) -> None:
        self._zipnames[zipname] = _read(dst_file)

    # -- rendering ---------------------------------------------------------------------------

    def render(self, context: Mapping[str, Any]) -> bytes:
        if self._docxtpl is not None:
            return self._render_with_docxtpl(context)
        parts = self.template.render_parts(context, on_part=self._enter_part)
        self._current = None
        parts.update(self._picture_replacements())
        parts.update(self._media)
        for part, rels in self._rels.items():
            if rels.changed:
                parts[rels_name(part)] = rels.to_bytes()
        if self._content_types:
            parts["[Content_Types].xml"] = self._declare_types()
        package = self.template.package
        for name in package.names:
            if name.startswith("word/media/") and self._media_crc:
                new = self._media_crc.get(package.entry_crc(name))
                if new is not None:
                    parts[name] = new
        parts.update(self._zipnames)
        return package.write(parts)

    def save(self, target: str | os.PathLike[str], context: Mapping[str, Any]) -> Path:
        path = Path(target)
        path.write_bytes(self.render(context))
        return path

    # -- helpers for RenderingPart -----------------------------------------------------------

    def relationships(self, part: str) -> _Relationships:
        rels = self._rels.get(part)
        if rels is None:
            name = rels_name(part)
            package = self.template.package
            rels = _Relationships(package.read(name) if name in package.names else None)
            self._rels[part] = rels
        return rels

    def add_media(self, blob: bytes, ext: str, content_type: str) -> str:
        digest = hashlib.sha1(blob).hexdigest()  # noqa: S324 - a content key, not security
        if digest in self._media_by_hash:
            return self._media_by_hash[digest]
        name = f"word/media/forms_service_{len(self._media) + 1}.{ext}"
        self._media[name] = blob
        self._media_by_hash[digest] = name
        self._content_types.setdefault(ext.lower(), content_type)
        return name

    def next_shape_id(self) -> int:
        self._shape_id += 1
        return self._shape_id

    def _enter_part(self, name: str) -> None:
        self._current = RenderingPart(self, name)

    def _declare_types(self) -> bytes:
        root = etree.fromstring(self.template.package.read("[Content_Types].xml"))
        declared = {d.get("Extension", "").lower() for d in root.iter(f"{{{_TYPES}}}Default")}
        for ext, mime in self._content_types.items():
            if ext not in declared:
                default = etree.Element(f"{{{_TYPES}}}Default")
                default.set("Extension", ext)
                default.set("ContentType", mime)
                root.insert(0, default)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    def _picture_replacements(self) -> dict[str, bytes]:
        if not self._pictures:
            return {}
        found: dict[str, bytes] = {}
        replaced: set[str] = set()
        package = self.template.package
        for part in package.names:
            if not (part.startswith("word/") and part.endswith(".xml")) or "/_rels/" in part:
                continue
            data = package.read(part)
            if b"pic:cNvPr" not in data and b":cNvPr" not in data:
                continue
            root = etree.fromstring(data)
            for pic in root.iter(f"{{{_NS['pic']}}}pic"):
                props = pic.find("pic:nvPicPr/pic:cNvPr", _NS)
                if props is None:
                    continue
                keys = {props.get(k) for k in ("name", "title", "descr")}
                wanted = next((k for k in self._pictures if k in keys), None)
                embed = pic.xpath("pic:blipFill/a:blip/@r:embed", namespaces=_NS)
                if wanted is None or not embed:
                    continue
                target = self.relationships(part).target_of(embed[0])
                if target is None:
                    continue
                media = posixpath.normpath(posixpath.join(posixpath.dirname(part), target))
                found[media] = self._pictures[wanted]
                replaced.add(wanted)
        missing = set(self._pictures) - replaced
        if missing and not self.allow_missing_pics:
            raise ValueError(
                f"{self.template.name}: billedet {', '.join(sorted(missing))} findes ikke "
                "i skabelonen"
            )
        return found

    # -- subdocuments: docxtpl renders ---------------------------------------------------------

    def _as_docxtpl(self) -> DocxTemplate:
        if self._docxtpl is None:
            if self._media:
                raise ValueError("lav underdokumenter (new_subdoc) før billeder i samme dokument")
            tpl = DocxTemplate(io.BytesIO(self.template.data))
            tpl.init_docx()
            for r_id, url in self._links:
                tpl.docx.part.rels.add_relationship(RT_HYPERLINK, url, r_id, is_external=True)
            self._docxtpl = tpl
        return self._docxtpl

    def _render_with_docxtpl(self, context: Mapping[str, Any]) -> bytes:
        tpl = self._docxtpl
        assert tpl is not None
        for name, data in self._pictures.items():
            tpl.pics_to_replace[name] = data
        tpl.allow_missing_pics = self.allow_missing_pics
        tpl.crc_to_new_media.update(self._media_crc)
        tpl.zipname_to_replace.update(self._zipnames)
        tpl.render(dict(context), jinja_env=self.template.environment, autoescape=True)
        buffer = io.BytesIO()
        tpl.save(buffer)
        return buffer.getvalue()
