"""The shared look of every Word file pi87-field writes (project write-ups, consolidated volume),
and the package every document starts from.

Documents start from the small package kept as files in `templates/` (as python-docx keeps its
own `templates/`): no python-docx default template, so nothing in the file says "python-docx",
no thumbnail, no 900 KB of unused styles. Paragraph styles use Word's built-in names ("Title",
"heading 1"…) so that the navigation pane, the table of contents and a French Word ("Titre 1")
recognise them; the few styles of our own have ASCII ids and French names. The style sheet
(`templates/styles.xml`) is the one place the look is defined; this module names its style ids
and colours for the code that writes content (`word.build`).
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from functools import lru_cache
from importlib import resources

import docx
from docx.document import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.section import Section

from pi87_field.core.text import clean_text
from pi87_field.core.timestamps import parse_instant

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NSDECL = nsdecls("w", "r")
LANGUAGE = "fr-FR"
GENERATOR = "pi87-field"

# -- the look (the colours the style sheet uses too) ------------------------------------------------
FONT = "Arial"              # metric-compatible Liberation Sans where Arial is absent
ACCENT = "1F3864"           # dark navy: titles and headings
ACCENT_SOFT = "DCE3EE"      # table header shading
LABEL_SHADE = "F2F4F7"      # label column of fact tables
MUTED = "595959"            # secondary text
RULE = "BFC7D5"             # table borders and rules
WARN = "7F6000"             # concurrent versions, stale evidence

# A4, 2.5 cm / 2 cm margins (twentieths of a point)
PAGE_W, PAGE_H = 11906, 16838
MARGIN_LR, MARGIN_TOP, MARGIN_BOTTOM = 1418, 1418, 1304
TEXT_WIDTH = PAGE_W - 2 * MARGIN_LR             # 9070 twips = 16 cm

# Style ids (what the XML references) and names (what Word shows, built-in ones localised).
TITLE = "Title"
SUBTITLE = "Subtitle"
HEADINGS = {1: "Heading1", 2: "Heading2", 3: "Heading3"}
TOC_HEADING = "TOCHeading"
TABLE_STYLE = "TableGrid"
ANSWER = "Reponse"
BODY = "Normal"                     # running text (Part I's conclusions, préconisations' introduction)
QUESTION_DETAIL = "QuestionDetail"
CONCURRENT = "VersionConcurrente"
REVIEW_NOTE = "NoteRelecture"
NOTICE = "Encadre"
SMALL = "Mention"
TABLE_TEXT = "TableText"
STATE_CHAR = "EtatReponse"
CELL = "VolCellule"
CELL_REF = "VolRenvoi"
QUESTION = "VolQuestion"
FOOTNOTE_TEXT = "FootnoteText"
FOOTNOTE_REFERENCE = "FootnoteReference"
LIST_BULLET = "ListBullet"          # numbering.xml num 1: "•", then "–"
LIST_NUMBER = "ListNumber"          # numbering.xml num 2: "1.", then "a."

STYLE_NAMES = {
    TITLE: "Title", SUBTITLE: "Subtitle", "Heading1": "heading 1", "Heading2": "heading 2",
    "Heading3": "heading 3", TOC_HEADING: "TOC Heading", TABLE_STYLE: "Table Grid",
    ANSWER: "Réponse", QUESTION_DETAIL: "Précisions de la question", CONCURRENT: "Version concurrente",
    REVIEW_NOTE: "Note de relecture",
    NOTICE: "Encadré", SMALL: "Mention", TABLE_TEXT: "Texte de tableau", STATE_CHAR: "État de réponse",
    CELL: "Cellule de matrice", CELL_REF: "Renvoi", QUESTION: "Question",
    FOOTNOTE_TEXT: "footnote text", FOOTNOTE_REFERENCE: "footnote reference", LIST_BULLET: "List Bullet",
    LIST_NUMBER: "List Number",
}

# The package skeleton: part name -> file in templates/.
_TEMPLATE_PARTS = (
    ("[Content_Types].xml", "[Content_Types].xml"), ("_rels/.rels", "root.rels"),
    ("docProps/core.xml", "core.xml"), ("docProps/app.xml", "app.xml"),
    ("word/document.xml", "document.xml"), ("word/_rels/document.xml.rels", "document.xml.rels"),
    ("word/styles.xml", "styles.xml"), ("word/settings.xml", "settings.xml"),
    ("word/fontTable.xml", "fontTable.xml"),
    # the separator footnotes Word expects (ids -1 and 0, named in settings.xml); a document's own
    # footnotes are written in this part by `build.Footnotes`
    ("word/footnotes.xml", "footnotes.xml"),
    # real bullets and "1. / a." numbering for the lists of Part I (LIST_BULLET, LIST_NUMBER)
    ("word/numbering.xml", "numbering.xml"),
)
FOOTNOTES_PART = "word/footnotes.xml"


def footnotes_template() -> bytes:
    return (resources.files("pi87_field.core.word") / "templates" / "footnotes.xml").read_bytes()


@lru_cache(maxsize=1)
def template_bytes() -> bytes:
    """The minimal .docx every document starts from, zipped from `templates/` once per process."""
    folder = resources.files("pi87_field.core.word") / "templates"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, file in _TEMPLATE_PARTS:
            z.writestr(name, (folder / file).read_bytes())
    return buffer.getvalue()


def _parse_time(value: str | datetime | None) -> datetime:
    when = parse_instant(value) or datetime.now(UTC)
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


def document_bytes(document: Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
