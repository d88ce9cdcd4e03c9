"""What docxtpl's users write, through the project's renderer, read back and opened by LibreOffice.

Each feature has its own small template (made here with python-docx, as a user makes one in
Word). ``made`` renders them all once; every test reads its file back with python-docx or
lxml, and ``test_libreoffice_opens_every_feature_document`` converts them all to PDF in one
LibreOffice start and finds each document's text in the PDF.
"""

from __future__ import annotations

import io
import struct
import subprocess
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import docx
import jinja2
import pytest
from docx.shared import Mm
from docxtpl import InlineImage, Listing, RichText
from lxml import etree

from forms_service.documents.pdf import convert_many
from forms_service.documents.template import TemplateCheckError, load_template
from tests.documents.docx_helpers import all_text, open_docx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def png(red: int, green: int, blue: int, size: int = 8) -> bytes:
    """A small one-colour PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes((red, green, blue)) * size
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(row * size))
        + chunk(b"IEND", b"")
    )


RED, BLUE = png(255, 0, 0), png(0, 0, 255)


def template(path: Path, *paragraphs: str, header: str = "", title: str = "") -> Path:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if header:
        document.sections[0].header.paragraphs[0].text = header
    if title:
        document.core_properties.title = title
    document.save(path)
    return path


def picture_template(path: Path) -> Path:
    document = docx.Document()
    document.add_paragraph("Logo herunder")
    document.add_picture(io.BytesIO(RED), width=Mm(20))
    document.inline_shapes[0]._inline.docPr.set("name", "pladsholder.png")
    pic = document.inline_shapes[0]._inline.graphic.graphicData.pic
    pic.nvPicPr.cNvPr.set("name", "pladsholder.png")
    document.add_paragraph("{{ tekst }}")
    document.save(path)
    return path


def xml_of(data: bytes, part: str = "word/document.xml") -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(part)


def part_names(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.namelist()


# -- the feature documents ------------------------------------------------------------------


def rich_text(folder: Path) -> bytes:
    path = template(folder / "rt.docx", "{{r rig }}", "{{ liste }}")
    rich = RichText("Første afsnit\aAndet afsnit", bold=True)
    rich.add("\fEfter sideskift\tmed tabulator\nog linjeskift")
    listing = Listing("Listing ét\aListing to\fListing efter sideskift")
    return load_template(path).render({"rig": rich, "liste": listing})


def hyperlink(folder: Path) -> bytes:
    document = load_template(template(folder / "link.docx", "Se {{r link }}")).new_document()
    url_id = document.build_url_id("https://www.borger.dk/seniorpension")
    return document.render({"link": RichText("borger.dk", url_id=url_id, underline=True)})


def inline_image(folder: Path) -> bytes:
    path = template(folder / "img.docx", "Billede: {{ billede }}", header="Hoved {{ logo }}")
    document = load_template(path).new_document()
    return document.render(
        {
            "billede": InlineImage(document, io.BytesIO(RED), width=Mm(30)),
            "logo": InlineImage(document, io.BytesIO(BLUE), height=Mm(8)),
        }
    )


def subdocument(folder: Path) -> bytes:
    other = docx.Document()
    other.add_paragraph("Fra en anden fil")
    table = other.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Celle A", "Celle B"
    other.save(folder / "andet.docx")
    path = template(folder / "sub.docx", "Før", "{{p tom }}", "{{p fil }}", "Efter {{ navn }}")
    document = load_template(path).new_document()
    built = document.new_subdoc()
    built.add_paragraph("Underdokument bygget i koden")
    return document.render(
        {"tom": built, "fil": document.new_subdoc(folder / "andet.docx"), "navn": "Åse"}
    )


def replaced_picture(folder: Path) -> bytes:
    document = load_template(picture_template(folder / "pic.docx")).new_document()
    document.replace_pic("pladsholder.png", io.BytesIO(BLUE))
    return document.render({"tekst": "Udskiftet efter navn"})


def replaced_media(folder: Path) -> bytes:
    document = load_template(picture_template(folder / "media.docx")).new_document()
    document.replace_media(io.BytesIO(RED), io.BytesIO(BLUE))
    return document.render({"tekst": "Udskiftet efter indhold"})


def properties(folder: Path) -> bytes:
    path = template(folder / "props.docx", "Brødtekst {{ titel }}", title="{{ titel }} – sag")
    return load_template(path).render({"titel": "Sagsoplysningsskema"})


def custom_filter(folder: Path) -> bytes:
    path = template(folder / "filter.docx", "{{ navn|versaler }} · {{ beløb|tal(2) }}")
    compiled = load_template(path, filters={"versaler": str.upper})
    return compiled.render({"navn": "Søren Østergård", "beløb": 1234.5})


FEATURES: dict[str, Callable[[Path], bytes]] = {
    "richtext": rich_text,
    "hyperlink": hyperlink,
    "inline_image": inline_image,
    "subdoc": subdocument,
    "replace_pic": replaced_picture,
    "replace_media": replaced_media,
    "properties": properties,
    "filter": custom_filter,
}
EXPECTED_TEXT = {
    "richtext": "Efter sideskift",
    "hyperlink": "borger.dk",
    "inline_image": "Billede:",
    "subdoc": "Underdokument bygget i koden",
    "replace_pic": "Udskiftet efter navn",
    "replace_media": "Udskiftet efter indhold",
    "properties": "Brødtekst Sagsoplysningsskema",
    "filter": "SØREN ØSTERGÅRD · 1.234,50",
}


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("features")
    return {name: build(folder) for name, build in FEATURES.items()}


# -- read back --------------------------------------------------------------------------------


def test_richtext_and_listing_control_characters_become_wordprocessingml(
    made: dict[str, bytes],
) -> None:
    xml = xml_of(made["richtext"])
    for char in (b"\x07", b"\x0c"):
        assert char not in xml  # Word refuses a document with these
    paragraphs = [p.text for p in open_docx(made["richtext"]).paragraphs]
    assert "Første afsnit" in paragraphs and "Andet afsnit" in paragraphs
    assert "Listing ét" in paragraphs and "Listing to" in paragraphs
    assert xml.count(b'w:type="page"') == 2
    root = etree.fromstring(xml)
    assert root.findall(f".//{W}tab") and root.findall(f".//{W}br")
    bold_runs = [r for r in root.iter(f"{W}r") if r.find(f"{W}rPr/{W}b") is not None]
    assert any("Andet afsnit" in "".join(r.itertext()) for r in bold_runs)


def test_build_url_id_makes_a_working_hyperlink(made: dict[str, bytes]) -> None:
    document = open_docx(made["hyperlink"])
    root = etree.fromstring(xml_of(made["hyperlink"]))
    link = root.find(f".//{W}hyperlink")
    assert link is not None and "".join(link.itertext()) == "borger.dk"
    rel = document.part.rels[link.get(f"{R}id")]
    assert rel.is_external and rel.target_ref == "https://www.borger.dk/seniorpension"


def test_inline_images_in_body_and_header(made: dict[str, bytes]) -> None:
    document = open_docx(made["inline_image"])
    assert len(document.inline_shapes) == 1
    assert document.inline_shapes[0].width == Mm(30)
    body_image = document.inline_shapes[0]._inline.graphic.graphicData.pic.blipFill.blip.embed
    assert document.part.related_parts[body_image].blob == RED
    header = document.sections[0].header
    blips = header._element.xpath(".//a:blip/@r:embed")
    assert len(blips) == 1
    assert header.part.related_parts[blips[0]].blob == BLUE
    ids = etree.fromstring(xml_of(made["inline_image"])).xpath(
        "//wp:docPr/@id",
        namespaces={"wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"},
    )
    assert len(set(ids)) == len(ids)


def test_subdocuments_built_in_code_and_from_a_file(made: dict[str, bytes]) -> None:
    document = open_docx(made["subdoc"])
    text = all_text(document)
    assert "Underdokument bygget i koden" in text
    assert "Fra en anden fil" in text
    assert ["Celle A", "Celle B"] in [
        [c.text for c in r.cells] for t in document.tables for r in t.rows
    ]
    assert "Efter Åse" in text


def test_replace_pic_by_name_and_replace_media_by_content(made: dict[str, bytes]) -> None:
    for name in ("replace_pic", "replace_media"):
        document = open_docx(made[name])
        blip = document.inline_shapes[0]._inline.graphic.graphicData.pic.blipFill.blip.embed
        assert document.part.related_parts[blip].blob == BLUE, name


def test_replace_pic_names_a_missing_picture(tmp_path: Path) -> None:
    document = load_template(picture_template(tmp_path / "p.docx")).new_document()
    document.replace_pic("findes_ikke.png", io.BytesIO(BLUE))
    with pytest.raises(ValueError, match=r"findes_ikke\.png"):
        document.render({"tekst": "x"})


def test_document_properties_are_rendered(made: dict[str, bytes]) -> None:
    assert open_docx(made["properties"]).core_properties.title == "Sagsoplysningsskema – sag"


def test_custom_filters_run_in_the_sandbox(made: dict[str, bytes], tmp_path: Path) -> None:
    assert "SØREN ØSTERGÅRD · 1.234,50" in all_text(open_docx(made["filter"]))
    path = template(tmp_path / "ond.docx", "{{ x|versaler }}")
    with pytest.raises(TemplateCheckError, match="versaler"):
        load_template(path)  # an unknown filter is refused when the template is loaded


def test_template_check_error_is_a_jinja_template_error(tmp_path: Path) -> None:
    path = template(tmp_path / "fejl.docx", "{{ navn ")
    with pytest.raises(jinja2.TemplateError) as caught:
        load_template(path)
    assert isinstance(caught.value, TemplateCheckError)


def test_quotes_written_as_entities_inside_tags(tmp_path: Path) -> None:
    # LibreOffice saves {{ "Ja" if svar else "Nej" }} with &quot; in document.xml
    path = template(tmp_path / "citat.docx", '{{ "Ja" if svar else "Nej" }}')
    with zipfile.ZipFile(path) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    parts["word/document.xml"] = parts["word/document.xml"].replace(b'"Ja"', b"&quot;Ja&quot;")
    parts["word/document.xml"] = parts["word/document.xml"].replace(b'"Nej"', b"&quot;Nej&quot;")
    assert b"&quot;Ja&quot;" in parts["word/document.xml"]
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    out = open_docx(load_template(path).render({"svar": False}))
    assert [p.text for p in out.paragraphs] == ["Nej"]


def test_libreoffice_opens_every_feature_document(made: dict[str, bytes], tmp_path: Path) -> None:
    sources = []
    for name, data in made.items():
        (tmp_path / f"{name}.docx").write_bytes(data)
        sources.append(tmp_path / f"{name}.docx")
    pdfs = convert_many(sources, tmp_path / "pdf")
    for name, pdf in zip(made, pdfs, strict=True):
        text = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert EXPECTED_TEXT[name] in text, name
        if name == "richtext":
            assert text.count("\f") >= 3  # two page breaks: three pages
        if name in ("inline_image", "replace_pic"):
            images = subprocess.run(
                ["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True
            ).stdout
            assert len(images.strip().splitlines()) >= 3, name  # header lines + an image
