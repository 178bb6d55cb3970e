"""The shared Word look (also used by the consolidated volume): helpers work through python-docx."""

from __future__ import annotations

import io
import zipfile

import docx
from docx.enum.section import WD_ORIENT

from pi87_field.core.word import style as S


def test_new_document_helpers_and_properties():
    document = S.new_document("Volume consolidé", "Évaluation PI 8.7", "Équipe", "volume-2019",
                              created="2019-10-20T10:00:00+02:00")
    document.add_paragraph("Chapitre", style="Heading 1")
    document.add_paragraph("Texte", style="Normal")
    table = document.add_table(rows=2, cols=2, style="Table Grid")
    S.set_cell_shading(table.cell(0, 0), S.ACCENT_SOFT)
    S.set_cell_shading(table.cell(0, 0), "FFFFFF")          # replaces, never stacks
    S.set_repeat_table_header(table.rows[0])
    S.add_toc_field(document, entries=[(1, "Chapitre", "_Toc000000001")])
    S.append_body_xml(document, [S.paragraph_xml("ligne 1\nligne 2\tfin", S.ANSWER),
                                 S.table_xml([["A", "B"], ["1", "2"]], [4000, 5070], header=True)])
    landscape = S.add_landscape_section(document)
    assert landscape.orientation == WD_ORIENT.LANDSCAPE and landscape.page_width > landscape.page_height
    portrait = S.add_portrait_section(document)
    assert portrait.page_width < portrait.page_height
    S.add_page_number_footer(document.sections[0], "volume-2019", header_text="Évaluation PI 8.7")
    data = S.document_bytes(document)

    back = docx.Document(io.BytesIO(data))
    assert back.core_properties.title == "Volume consolidé"
    assert back.core_properties.identifier == "volume-2019"
    assert back.core_properties.language == "fr-FR"
    styles = [p.style.name for p in back.paragraphs]
    assert "Heading 1" in styles and "TOC Heading" in styles and "Réponse" in styles
    assert back.styles["Heading 1"].builtin and not back.styles["Réponse"].builtin
    assert "ligne 1\nligne 2\tfin" in [p.text for p in back.paragraphs]
    shd = back.tables[0].cell(0, 0)._tc.tcPr.findall(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}shd")
    assert len(shd) == 1
    assert len(back.sections) == 3
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert all(b"python-docx" not in z.read(n).lower() for n in z.namelist())
        assert b"updateFields" in z.read("word/settings.xml")
        assert b"NUMPAGES" in z.read("word/footer1.xml")


def test_text_builders_escape_markup():
    xml = S.paragraph_xml('<b>&"x"</b>', S.ANSWER)
    assert "&lt;b&gt;&amp;\"x\"&lt;/b&gt;" in xml
    assert S.esc_attr('a"b') == "a&quot;b"
    assert S.one_line_meta("a\nb\x00 c" + "x" * 300).startswith("a b c") and len(S.one_line_meta("x" * 300)) == 255
