"""An uploaded document answers its field: empty titles take the file's name, nothing else."""

from __future__ import annotations

from forms_service.attachments.answers import with_document_titles


def test_empty_titles_take_the_first_file_name() -> None:
    answers = {
        "helbredsdokumenter": [
            {"dokument": {"title": "", "source": "egen_laege"}, "beskrivelse": "Attest"},
            {"dokument": {"title": "Epikrise", "source": "speciallaege"}},
            {"beskrivelse": "uden dokumentdel"},
        ]
    }
    names = {
        "helbredsdokumenter[0].dokument": ["Lægeattest 2025.pdf", "side2.pdf"],
        "helbredsdokumenter[1].dokument": ["scan.jpg"],
        "helbredsdokumenter[2].dokument": ["ny.png"],
        "helbredsdokumenter[7].dokument": ["ingen-raekke.pdf"],
    }
    out = with_document_titles(answers, names)
    rows = out["helbredsdokumenter"]
    assert rows[0]["dokument"] == {"title": "Lægeattest 2025", "source": "egen_laege"}
    assert rows[1]["dokument"]["title"] == "Epikrise"  # a typed title stays
    assert rows[2]["dokument"] == {"title": "ny"}
    assert len(rows) == 3  # no row is invented for a document without one
    assert answers["helbredsdokumenter"][0]["dokument"]["title"] == ""  # the input is untouched
