"""The one Word vocabulary (`word.build`) and the template package (`word.style`, `templates/`),
read back through python-docx."""

from __future__ import annotations

import io
import zipfile

import docx

from pi87_field.core.word import build as B
from pi87_field.core.word import style as S


def _document(body: list[str]) -> tuple[bytes, docx.document.Document]:
    document = S.new_document("Volume consolidé", "Évaluation PI 8.7", "Équipe", "volume-2019",
                              created="2019-10-20T10:00:00+02:00")
    B.page_number_footer(document.sections[0], "x" * 200, header_text="Évaluation PI 8.7")
    data = B.document_bytes_with_body(document, body)
    return data, docx.Document(io.BytesIO(data))


def test_template_package_from_files_and_properties():
    body = B.Body()
    name = body.heading(1, "Chapitre", toc_level=2)
    body.p("ligne 1\nligne 2\tfin", S.ANSWER)
    body.add(B.text_table([["A", "B"], ["1", "2"]], [4000, 5070], header=True))
    body.facts([("Porteur", "Mission locale"), ("Vide", "")])
    data, back = _document([B.toc(body.toc_entries), body.flush()])
    assert name == "_Toc000000001"
    assert back.core_properties.title == "Volume consolidé"
    assert back.core_properties.identifier == "volume-2019"
    assert back.core_properties.language == "fr-FR"
    styles = [p.style.name for p in back.paragraphs]
    assert "Heading 1" in styles and "TOC Heading" in styles and "Réponse" in styles
    assert back.styles["Heading 1"].builtin and not back.styles["Réponse"].builtin
    assert "ligne 1\nligne 2\tfin" in [p.text for p in back.paragraphs]
    assert [[c.text for c in r.cells] for r in back.tables[0].rows] == [["A", "B"], ["1", "2"]]
    assert [[c.text for c in r.cells] for r in back.tables[1].rows] == [["Porteur", "Mission locale"]]
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert all(b"python-docx" not in z.read(n).lower() for n in z.namelist())
        settings = z.read("word/settings.xml").decode()
        # schema order (Word is strict): updateFields comes before compat
        assert settings.index("<w:updateFields") < settings.index("<w:compat>")
        document_xml = z.read("word/document.xml").decode()
        assert 'w:anchor="_Toc000000001"' in document_xml and 'w:name="_Toc000000001"' in document_xml
        footer = z.read("word/footer1.xml").decode()
        assert "NUMPAGES" in footer


def test_footer_text_is_cut_so_the_page_number_stays_on_its_line():
    _, back = _document([B.paragraph("x")])
    footer = back.sections[0].footer.paragraphs[0].text
    left, _, page = footer.partition("\t")
    assert len(left) == B.FOOTER_TEXT_LIMIT and left.endswith("…")
    assert page.startswith("Page ")
    assert footer.count("\t") == 1          # one right tab: "Page N / M" never wraps


def test_text_builders_escape_markup():
    xml = B.paragraph('<b>&"x"</b>', S.ANSWER)
    assert "&lt;b&gt;&amp;\"x\"&lt;/b&gt;" in xml
    assert S.one_line_meta("a\nb\x00 c" + "x" * 300).startswith("a b c") and len(S.one_line_meta("x" * 300)) == 255


def test_bookmark_ids_are_one_sequence_per_body():
    body = B.Body()
    starts = [body.bookmark(f"n{k}")[0] for k in range(3)]
    assert [s.split('w:id="')[1].split('"')[0] for s in starts] == ["1", "2", "3"]


def test_templates_ship_inside_the_package():
    from importlib import resources

    folder = resources.files("pi87_field.core.word") / "templates"
    names = {p.name for p in folder.iterdir()}
    assert {"styles.xml", "settings.xml", "document.xml", "[Content_Types].xml"} <= names


def test_streamed_body_reads_back_like_the_parsed_one():
    body = [B.paragraph("un"), B.text_table([["A", "B"], ["1", "2"]], [4000, 5070], header=True), B.paragraph("deux")]
    parsed = docx.Document(io.BytesIO(B.document_bytes_with_body(S.new_document("t"), list(body))))
    streamed = docx.Document(io.BytesIO(B.document_bytes_with_body(S.new_document("t"), iter(body), stream=True)))
    assert [p.text for p in parsed.paragraphs] == [p.text for p in streamed.paragraphs] == ["un", "deux"]
    assert [[c.text for c in r.cells] for r in streamed.tables[0].rows] == [["A", "B"], ["1", "2"]]
