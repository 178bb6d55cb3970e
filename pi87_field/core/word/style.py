"""The shared look of every Word file pi87-field writes (project write-ups, consolidated volume).

Documents start from a small package built here (no python-docx default template: nothing in
the file says "python-docx", no thumbnail, no 900 KB of unused styles). Paragraph styles use
Word's built-in names ("Title", "heading 1"…) so that the navigation pane, the table of contents
and a French Word ("Titre 1") recognise them; the few styles of our own have ASCII ids and
French names. Everything is defined once, in `STYLES_XML`.

Two ways to add content, both producing the same XML:
- python-docx objects (`new_document(...)` returns a `docx.Document`), with helpers such as
  `set_cell_shading`, `add_toc_field`, `add_page_number_footer`, `add_landscape_section`;
- fast XML strings (`paragraph_xml`, `run_xml`, `table_xml`, `append_body_xml`) for bulk text,
  parsed once per document instead of one python-docx call per paragraph.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import docx
from docx.document import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Emu

from pi87_field.core.text import clean_text

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NSDECL = f'xmlns:w="{W_NS}" xmlns:r="{R_NS}"'
LANGUAGE = "fr-FR"
GENERATOR = "pi87-field"

# -- the look, defined once ---------------------------------------------------------------------
FONT = "Arial"              # metric-compatible Liberation Sans where Arial is absent
ACCENT = "1F3864"           # dark navy: titles and headings
ACCENT_SOFT = "DCE3EE"      # table header shading
LABEL_SHADE = "F2F4F7"      # label column of fact tables
MUTED = "595959"            # secondary text
RULE = "BFC7D5"             # table borders and rules
WARN = "7F6000"             # concurrent versions

# A4, 2.5 cm / 2 cm margins (twentieths of a point)
PAGE_W, PAGE_H = 11906, 16838
MARGIN_LR, MARGIN_TOP, MARGIN_BOTTOM = 1418, 1418, 1304
TEXT_WIDTH = PAGE_W - 2 * MARGIN_LR             # 9070 twips = 16 cm
LANDSCAPE_TEXT_WIDTH = PAGE_H - 2 * MARGIN_LR

# Style ids (what the XML references) and names (what Word shows, built-in ones localised).
TITLE = "Title"
SUBTITLE = "Subtitle"
HEADINGS = {1: "Heading1", 2: "Heading2", 3: "Heading3"}
TOC_HEADING = "TOCHeading"
TABLE_STYLE = "TableGrid"
ANSWER = "Reponse"
QUESTION_DETAIL = "QuestionDetail"
CONCURRENT = "VersionConcurrente"
REVIEW_NOTE = "NoteRelecture"
NOTICE = "Encadre"
SMALL = "Mention"
TABLE_TEXT = "TableText"
STATE_CHAR = "EtatReponse"

STYLE_NAMES = {
    TITLE: "Title", SUBTITLE: "Subtitle", "Heading1": "heading 1", "Heading2": "heading 2",
    "Heading3": "heading 3", TOC_HEADING: "TOC Heading", TABLE_STYLE: "Table Grid",
    ANSWER: "Réponse", QUESTION_DETAIL: "Précisions de la question", CONCURRENT: "Version concurrente",
    REVIEW_NOTE: "Note de relecture",
    NOTICE: "Encadré", SMALL: "Mention", TABLE_TEXT: "Texte de tableau", STATE_CHAR: "État de réponse",
}


def _ppr(*parts: str) -> str:
    return f"<w:pPr>{''.join(parts)}</w:pPr>"


def _rpr(*parts: str) -> str:
    return f"<w:rPr>{''.join(parts)}</w:rPr>"


def font_props(size_pt: float | None = None, color: str | None = None, bold: bool = False,
          italic: bool = False, caps: bool = False) -> list[str]:
    out = []
    if bold:
        out.append("<w:b/><w:bCs/>")
    if italic:
        out.append("<w:i/><w:iCs/>")
    if caps:
        out.append("<w:caps/>")
    if color:
        out.append(f'<w:color w:val="{color}"/>')
    if size_pt:
        hp = int(round(size_pt * 2))
        out.append(f'<w:sz w:val="{hp}"/><w:szCs w:val="{hp}"/>')
    return out


def _spacing(before: int = 0, after: int = 0, line: int | None = None) -> str:
    line_attr = f' w:line="{line}" w:lineRule="auto"' if line else ""
    return f'<w:spacing w:before="{before * 20}" w:after="{after * 20}"{line_attr}/>'


def _pstyle(sid: str, *, based: str | None = "Normal", nxt: str | None = None, ppr: Sequence[str] = (),
            rpr: Sequence[str] = (), custom: bool = False, ui: int | None = None, qformat: bool = True) -> str:
    attrs = ' w:customStyle="1"' if custom else ""
    return (
        f'<w:style w:type="paragraph" w:styleId="{sid}"{attrs}><w:name w:val="{STYLE_NAMES.get(sid, sid)}"/>'
        + (f'<w:basedOn w:val="{based}"/>' if based else "")
        + (f'<w:next w:val="{nxt}"/>' if nxt else "")
        + (f'<w:uiPriority w:val="{ui}"/>' if ui is not None else "")
        + ("<w:qFormat/>" if qformat else "")
        + (_ppr(*ppr) if ppr else "") + (_rpr(*rpr) if rpr else "")
        + "</w:style>"
    )


def _heading(level: int, size: float, before: int, after: int, *, color: str, bold: bool,
             extra: Sequence[str] = ()) -> str:
    sid = HEADINGS[level]
    return _pstyle(
        sid, nxt="Normal", ui=9,
        ppr=["<w:keepNext/><w:keepLines/>", *extra, _spacing(before, after),
             f'<w:outlineLvl w:val="{level - 1}"/>'],
        rpr=font_props(size, color, bold=bold),
    )


def _toc(level: int, indent: int, *, bold: bool = False, before: int = 0) -> str:
    return (
        f'<w:style w:type="paragraph" w:styleId="TOC{level}"><w:name w:val="toc {level}"/>'
        f'<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="39"/>'
        + _ppr(f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{TEXT_WIDTH}"/></w:tabs>',
               _spacing(before, 2), f'<w:ind w:left="{indent}" w:right="567"/>')
        + _rpr(*font_props(None, None, bold=bold))
        + "</w:style>"
    )


STYLES_XML = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:styles {NSDECL}>'
    "<w:docDefaults><w:rPrDefault>"
    + _rpr(f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/>',
           '<w:sz w:val="20"/><w:szCs w:val="20"/>',
           f'<w:lang w:val="{LANGUAGE}" w:eastAsia="{LANGUAGE}" w:bidi="ar-SA"/>')
    + "</w:rPrDefault><w:pPrDefault>" + _ppr(_spacing(0, 6, 264)) + "</w:pPrDefault></w:docDefaults>"
    # Normal
    + '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>'
    + _rpr('<w:color w:val="1A1A1A"/>') + "</w:style>"
    + '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
    '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>'
    + '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
    '<w:uiPriority w:val="99"/><w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>'
    '<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
    '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>'
    # Title block
    + _pstyle(TITLE, nxt="Normal", ui=10,
              ppr=[_spacing(0, 6, 240), '<w:contextualSpacing/>'],
              rpr=font_props(24, ACCENT, bold=True))
    + _pstyle(SUBTITLE, nxt="Normal", ui=11,
              ppr=[_spacing(0, 18, 252)],
              rpr=font_props(13, MUTED))
    # Headings: H1 starts a page and carries a thin rule; H2 navy; H3 dark, bold, smaller.
    + _heading(1, 15, 0, 10, color=ACCENT, bold=True,
               extra=["<w:pageBreakBefore/>",
                      f'<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="4" w:color="{ACCENT}"/></w:pBdr>'])
    + _heading(2, 12.5, 18, 6, color=ACCENT, bold=True)
    + _heading(3, 10.5, 12, 4, color="262626", bold=True)
    + _pstyle(TOC_HEADING, nxt="Normal", ui=39,
              ppr=["<w:keepNext/>", _spacing(6, 10)], rpr=font_props(13, ACCENT, bold=True))
    + _toc(1, 0, bold=True, before=6) + _toc(2, 240) + _toc(3, 480)
    # Our own paragraph styles
    + _pstyle(ANSWER, nxt=ANSWER, custom=True,
              ppr=[_spacing(0, 6, 276), '<w:ind w:left="227"/>'])
    + _pstyle(QUESTION_DETAIL, nxt=ANSWER, custom=True,
              ppr=["<w:keepNext/>", _spacing(0, 4, 252), '<w:ind w:left="227"/>'],
              rpr=font_props(9, MUTED, italic=True))
    + _pstyle(CONCURRENT, nxt=CONCURRENT, custom=True,
              ppr=[f'<w:pBdr><w:left w:val="single" w:sz="12" w:space="8" w:color="{WARN}"/></w:pBdr>',
                   _spacing(2, 4, 252), '<w:ind w:left="454"/>'],
              rpr=font_props(9, "3F3F3F"))
    + _pstyle(REVIEW_NOTE, nxt=ANSWER, custom=True,
              ppr=[f'<w:pBdr><w:left w:val="single" w:sz="12" w:space="8" w:color="{RULE}"/></w:pBdr>',
                   _spacing(2, 4, 252), '<w:ind w:left="454"/>'],
              rpr=font_props(9, MUTED, italic=True))
    + _pstyle(NOTICE, custom=True,
              ppr=[f'<w:pBdr><w:top w:val="single" w:sz="4" w:space="4" w:color="{RULE}"/>'
                   f'<w:left w:val="single" w:sz="4" w:space="4" w:color="{RULE}"/>'
                   f'<w:bottom w:val="single" w:sz="4" w:space="4" w:color="{RULE}"/>'
                   f'<w:right w:val="single" w:sz="4" w:space="4" w:color="{RULE}"/></w:pBdr>',
                   f'<w:shd w:val="clear" w:color="auto" w:fill="{LABEL_SHADE}"/>',
                   _spacing(6, 12, 264), '<w:ind w:left="113" w:right="113"/>'],
              rpr=font_props(9.5, "262626"))
    + _pstyle(SMALL, custom=True, ppr=[_spacing(0, 2, 252)], rpr=font_props(8.5, MUTED))
    + _pstyle(TABLE_TEXT, custom=True, ppr=[_spacing(1, 1, 252)], rpr=font_props(9))
    + '<w:style w:type="paragraph" w:styleId="Header"><w:name w:val="header"/><w:basedOn w:val="Normal"/>'
    + _ppr(f'<w:tabs><w:tab w:val="center" w:pos="{TEXT_WIDTH // 2}"/><w:tab w:val="right" w:pos="{TEXT_WIDTH}"/></w:tabs>',
           _spacing(0, 0)) + _rpr(*font_props(8, MUTED)) + "</w:style>"
    + '<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/>'
    + _ppr(f'<w:pBdr><w:top w:val="single" w:sz="4" w:space="4" w:color="{RULE}"/></w:pBdr>',
           f'<w:tabs><w:tab w:val="center" w:pos="{TEXT_WIDTH // 2}"/><w:tab w:val="right" w:pos="{TEXT_WIDTH}"/></w:tabs>',
           _spacing(0, 0))
    + _rpr(*font_props(8, MUTED)) + "</w:style>"
    + f'<w:style w:type="character" w:customStyle="1" w:styleId="{STATE_CHAR}"><w:name w:val="{STYLE_NAMES[STATE_CHAR]}"/>'
    + _rpr(*font_props(None, "7F7F7F", italic=True)) + "</w:style>"
    + '<w:style w:type="character" w:styleId="Hyperlink"><w:name w:val="Hyperlink"/>'
    '<w:basedOn w:val="DefaultParagraphFont"/>' + _rpr(f'<w:color w:val="{ACCENT}"/>') + "</w:style>"
    # Built-in "Table Grid", given our look: light rules, shaded bold header row.
    + f'<w:style w:type="table" w:styleId="{TABLE_STYLE}"><w:name w:val="Table Grid"/>'
    '<w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/>'
    + _ppr(_spacing(1, 1, 252)) + _rpr(*font_props(9))
    + "<w:tblPr><w:tblBorders>"
    + "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="{RULE}"/>'
              for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    + "</w:tblBorders><w:tblCellMar><w:top w:w=\"45\" w:type=\"dxa\"/><w:left w:w=\"100\" w:type=\"dxa\"/>"
    '<w:bottom w:w="45" w:type="dxa"/><w:right w:w="100" w:type="dxa"/></w:tblCellMar></w:tblPr>'
    '<w:tblStylePr w:type="firstRow">' + _rpr(*font_props(None, ACCENT, bold=True))
    + f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{ACCENT_SOFT}"/></w:tcPr></w:tblStylePr>'
    "</w:style>"
    "</w:styles>"
).encode("utf-8")

_SETTINGS_XML = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:settings {NSDECL}>'
    '<w:zoom w:percent="100"/><w:defaultTabStop w:val="708"/><w:hyphenationZone w:val="425"/>'
    '<w:characterSpacingControl w:val="doNotCompress"/>'
    '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/>'
    "</w:compat>"
    f'<w:themeFontLang w:val="{LANGUAGE}"/><w:decimalSymbol w:val=","/><w:listSeparator w:val=";"/>'
    "</w:settings>"
).encode()

_FONT_TABLE_XML = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:fonts {NSDECL}>'
    f'<w:font w:name="{FONT}"><w:panose1 w:val="020B0604020202020204"/><w:charset w:val="00"/>'
    '<w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font></w:fonts>'
).encode()

SECT_PR_XML = (
    f'<w:sectPr {NSDECL}><w:pgSz w:w="{PAGE_W}" w:h="{PAGE_H}"/>'
    f'<w:pgMar w:top="{MARGIN_TOP}" w:right="{MARGIN_LR}" w:bottom="{MARGIN_BOTTOM}" w:left="{MARGIN_LR}" '
    'w:header="567" w:footer="567" w:gutter="0"/><w:cols w:space="708"/>'
    '<w:docGrid w:linePitch="360"/></w:sectPr>'
)

_DOCUMENT_XML = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {NSDECL}><w:body>'
    + SECT_PR_XML.replace(f" {NSDECL}", "") + "</w:body></w:document>"
).encode("utf-8")

_CONTENT_TYPES_XML = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    b'<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
    b'<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>'
    b'<Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>'
    b'<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    b'<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
    b"</Types>"
)

_ROOT_RELS_XML = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    b'<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    b'<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>'
    b"</Relationships>"
)

_DOCUMENT_RELS_XML = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    b'<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>'
    b'<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/>'
    b"</Relationships>"
)

_CORE_XML = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    b'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    b'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    b"</cp:coreProperties>"
)

_APP_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    f"<Application>{GENERATOR}</Application><DocSecurity>0</DocSecurity></Properties>"
).encode()


@lru_cache(maxsize=1)
def template_bytes() -> bytes:
    """The minimal .docx every document starts from (built once per process)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in (
            ("[Content_Types].xml", _CONTENT_TYPES_XML), ("_rels/.rels", _ROOT_RELS_XML),
            ("docProps/core.xml", _CORE_XML), ("docProps/app.xml", _APP_XML),
            ("word/document.xml", _DOCUMENT_XML), ("word/_rels/document.xml.rels", _DOCUMENT_RELS_XML),
            ("word/styles.xml", STYLES_XML), ("word/settings.xml", _SETTINGS_XML),
            ("word/fontTable.xml", _FONT_TABLE_XML),
        ):
            z.writestr(name, data)
    return buffer.getvalue()


def _parse_time(value: str | datetime | None) -> datetime:
    if isinstance(value, datetime):
        when = value
    elif value:
        try:
            when = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            when = datetime.now(UTC)
    else:
        when = datetime.now(UTC)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    # python-docx writes core times as naive UTC
    return when.astimezone(UTC).replace(tzinfo=None, microsecond=0)


def new_document(title: str, subject: str = "", author: str = "", identifier: str = "", *,
                 created: str | datetime | None = None, keywords: str = "", description: str = "",
                 category: str = "") -> Document:
    """A fresh document with our styles, A4 portrait, French, and explicit core properties.

    `created` (ISO string or datetime) is also used as the modification time: a document we
    write has not been modified since; any later modified time was set by Word or LibreOffice.
    """
    document = docx.Document(io.BytesIO(template_bytes()))
    props = document.core_properties
    props.title = one_line_meta(title)
    props.subject = one_line_meta(subject)
    props.author = one_line_meta(author)
    props.identifier = one_line_meta(identifier)
    props.language = LANGUAGE
    props.keywords = one_line_meta(keywords)
    props.comments = one_line_meta(description)
    props.category = one_line_meta(category)
    props.last_modified_by = ""
    props.revision = 1
    when = _parse_time(created)
    props.created = when
    props.modified = when
    return document


def one_line_meta(value: str) -> str:
    # core properties are single-line in every reader; python-docx caps them at 255 characters
    return " ".join(clean_text(value or "").split())[:255]


# -- XML string builders (fast path) ------------------------------------------------------------

def esc(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def esc_attr(value: str) -> str:
    return esc(value).replace('"', "&quot;")


def run_xml(text: str, rpr: str = "", *, style: str | None = None) -> str:
    """One run; "\\n" becomes a line break, "\\t" a tab. `text` must already be clean."""
    props = rpr
    if style:
        props = f'<w:rStyle w:val="{style}"/>' + props
    head = f"<w:r><w:rPr>{props}</w:rPr>" if props else "<w:r>"
    if "\n" not in text and "\t" not in text:
        return f'{head}<w:t xml:space="preserve">{esc(text)}</w:t></w:r>'
    parts: list[str] = []
    for i, line in enumerate(text.split("\n")):
        if i:
            parts.append("<w:br/>")
        for j, chunk in enumerate(line.split("\t")):
            if j:
                parts.append("<w:tab/>")
            if chunk:
                parts.append(f'<w:t xml:space="preserve">{esc(chunk)}</w:t>')
    return head + "".join(parts) + "</w:r>"


def paragraph_xml(content: str | Iterable[str] = "", style: str | None = None, *, ppr: str = "",
                  before: str = "", after: str = "") -> str:
    """A paragraph. `content` is either plain clean text (one run) or run XML strings.

    `before` / `after` are raw XML put first / last inside the paragraph (bookmarks).
    """
    runs = run_xml(content) if isinstance(content, str) and content else (
        "" if isinstance(content, str) else "".join(content))
    style_xml = f'<w:pStyle w:val="{style}"/>' if style else ""
    props = f"<w:pPr>{style_xml}{ppr}</w:pPr>" if (style_xml or ppr) else ""
    return f"<w:p>{props}{before}{runs}{after}</w:p>"


def shading_xml(fill: str) -> str:
    return f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>'


def table_xml(rows: Sequence[Sequence[str]], widths: Sequence[int], *, header: bool = False,
              label_column: bool = False, style: str = TABLE_STYLE) -> str:
    """A table of clean texts (each cell: lines separated by "\\n" become paragraphs).

    `widths` in twips. `header`: first row is a repeated, shaded header row. `label_column`:
    first column shaded and bold (fact sheets).
    """
    look = (f'<w:tblLook w:val="{"04A0" if header else "0000"}" w:firstRow="{int(header)}" w:lastRow="0" '
            f'w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>')
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    out = [f'<w:tbl><w:tblPr><w:tblStyle w:val="{style}"/><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
           f'<w:tblLayout w:type="fixed"/>{look}</w:tblPr><w:tblGrid>{grid}</w:tblGrid>']
    for r, row in enumerate(rows):
        is_header = header and r == 0
        trpr = "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>" if is_header else "<w:trPr><w:cantSplit/></w:trPr>"
        out.append(f"<w:tr>{trpr}")
        for c, cell in enumerate(row):
            tcpr = f'<w:tcW w:w="{widths[c]}" w:type="dxa"/>'
            rpr = ""
            if is_header:
                rpr = "<w:b/>"
            elif label_column and c == 0:
                tcpr += shading_xml(LABEL_SHADE)
                rpr = f'<w:b/><w:color w:val="{ACCENT}"/>'
            paragraphs = "".join(
                paragraph_xml([run_xml(line, rpr)] if line else [], TABLE_TEXT)
                for line in (cell.split("\n") if cell else [""])
            )
            out.append(f"<w:tc><w:tcPr>{tcpr}</w:tcPr>{paragraphs}</w:tc>")
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def append_body_xml(document: Document, fragments: Iterable[str]) -> None:
    """Parse body XML fragments once and append them before the final section properties."""
    body = document.element.body
    wrapper = parse_xml(f"<w:body {NSDECL}>{''.join(fragments)}</w:body>")
    sect_pr = body.find(qn("w:sectPr"))
    for child in list(wrapper):
        if sect_pr is not None:
            sect_pr.addprevious(child)
        else:
            body.append(child)


# -- python-docx helpers (shared with the consolidated volume) ----------------------------------

def set_cell_shading(cell: Any, fill: str) -> None:
    """Shade a python-docx table cell (hex colour "DCE3EE")."""
    tc_pr = cell._tc.get_or_add_tcPr()
    for old in tc_pr.findall(qn("w:shd")):
        tc_pr.remove(old)
    tc_pr.append(parse_xml(f'<w:shd {NSDECL} w:val="clear" w:color="auto" w:fill="{fill}"/>'))


def set_repeat_table_header(row: Any) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    if tr_pr.find(qn("w:tblHeader")) is None:
        tr_pr.append(parse_xml(f"<w:tblHeader {NSDECL}/>"))


def field_runs_xml(instruction: str, placeholder: str = "", rpr: str = "") -> str:
    """A complex field (PAGE, NUMPAGES, TOC…) as run XML; `placeholder` is the cached result."""
    props = f"<w:rPr>{rpr}</w:rPr>" if rpr else ""
    return (
        f'<w:r>{props}<w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
        f'<w:r>{props}<w:instrText xml:space="preserve"> {esc(instruction)} </w:instrText></w:r>'
        f'<w:r>{props}<w:fldChar w:fldCharType="separate"/></w:r>'
        + (f'<w:r>{props}<w:t xml:space="preserve">{esc(placeholder)}</w:t></w:r>' if placeholder else "")
        + f'<w:r>{props}<w:fldChar w:fldCharType="end"/></w:r>'
    )


def toc_xml(title: str = "Sommaire", levels: str = "1-3",
            entries: Sequence[tuple[int, str, str]] = ()) -> str:
    """A table of contents field under a "TOC Heading" paragraph.

    `entries` (level, text, bookmark name of the heading) pre-fill the field's result with one
    hyperlink per heading, so the contents are readable and clickable before anyone updates
    the field. Page numbers are left to the update: Word refreshes the field on open
    (`update_fields_on_open`); LibreOffice does not update fields on load and would show the
    cached value, so no guessed number is written. Headings get their bookmark with
    `heading_bookmark_xml`.
    Without entries a one-line hint is shown instead.
    """
    instruction = f'TOC \\o "{levels}" \\h \\z \\u'
    out = [paragraph_xml(title, TOC_HEADING)]
    begin = (f'<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
             f'<w:r><w:instrText xml:space="preserve"> {esc(instruction)} </w:instrText></w:r>'
             f'<w:r><w:fldChar w:fldCharType="separate"/></w:r>')
    end = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    if not entries:
        hint = "Table des matières : clic droit puis « Mettre à jour le champ »."
        return "".join(out) + paragraph_xml([begin, run_xml(hint), end], "TOC1")
    for i, (level, text, anchor) in enumerate(entries):
        link = f'<w:hyperlink w:anchor="{anchor}" w:history="1">{run_xml(text)}</w:hyperlink>'
        out.append(paragraph_xml(
            [begin if i == 0 else "", link, end if i == len(entries) - 1 else ""],
            f"TOC{min(max(level, 1), 3)}",
        ))
    return "".join(out)


def heading_bookmark_xml(number: int) -> tuple[str, str, str]:
    """(name, start XML, end XML) of the bookmark a TOC entry points to ("_Toc…" like Word)."""
    name = f"_Toc{number:09d}"
    bid = 10_000_000 + number
    return name, f'<w:bookmarkStart w:id="{bid}" w:name="{name}"/>', f'<w:bookmarkEnd w:id="{bid}"/>'


def add_toc_field(document: Document, title: str = "Sommaire", levels: str = "1-3",
                  entries: Sequence[tuple[int, str, str]] = ()) -> None:
    append_body_xml(document, [toc_xml(title, levels, entries)])
    update_fields_on_open(document)


def update_fields_on_open(document: Document) -> None:
    """Ask Word to refresh fields (TOC page numbers) when the file is opened."""
    settings = document.settings.element
    if settings.find(qn("w:updateFields")) is None:
        node = parse_xml(f'<w:updateFields {NSDECL} w:val="true"/>')
        # schema order (Word is strict): … characterSpacingControl … updateFields, …, compat …
        follower = next((settings.find(qn(f"w:{tag}")) for tag in (
            "hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids", "themeFontLang",
            "clrSchemeMapping", "decimalSymbol", "listSeparator") if settings.find(qn(f"w:{tag}")) is not None), None)
        if follower is not None:
            follower.addprevious(node)
        else:
            settings.append(node)


def page_break_xml() -> str:
    return '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'


def add_page_number_footer(section: Section, left_text: str = "", *, header_text: str = "",
                           first_page_plain: bool = True) -> None:
    """Footer "left text ……… Page X / Y" (and an optional running header) on `section`.

    With `first_page_plain`, the first page (cover) shows neither header nor footer.
    """
    footer = section.footer
    footer.is_linked_to_previous = False
    p = footer.paragraphs[0]._p
    for child in list(p):
        if child.tag != qn("w:pPr"):
            p.remove(child)
    fragment = parse_xml(
        f"<w:p {NSDECL}>"
        + run_xml(clean_text(left_text)) + "<w:r><w:tab/></w:r><w:r><w:tab/></w:r>"
        + run_xml("Page ") + field_runs_xml("PAGE", "1") + run_xml(" / ") + field_runs_xml("NUMPAGES", "1")
        + "</w:p>"
    )
    for child in list(fragment):
        p.append(child)
    if header_text:
        header = section.header
        header.is_linked_to_previous = False
        header.paragraphs[0].text = ""
        hp = header.paragraphs[0]._p
        for child in list(parse_xml(f"<w:p {NSDECL}><w:r><w:tab/></w:r><w:r><w:tab/></w:r>"
                                    + run_xml(clean_text(header_text)) + "</w:p>")):
            hp.append(child)
    if first_page_plain:
        section.different_first_page_header_footer = True


def add_landscape_section(document: Document) -> Section:
    """Start a new landscape A4 section (e.g. wide matrices); returns it."""
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Emu(PAGE_H * 635), Emu(PAGE_W * 635)
    return section


def add_portrait_section(document: Document) -> Section:
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Emu(PAGE_W * 635), Emu(PAGE_H * 635)
    return section


def document_bytes(document: Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
