"""The one Word vocabulary: the body of every document pi87-field writes, built as text.

The write-up (`word.writeup`) and the consolidated volume (`merge.volume`) are made of the same
things — headings with bookmarks, fact tables, data tables with a repeated header row, a table
of contents, links to bookmarks, footers with page numbers — and build them here, one way.

Speed matters (a volume of 127 write-ups is tens of thousands of paragraphs), so the body is
WordprocessingML text, escaped here and never parsed into an lxml tree: `document_bytes_with_body`
streams it into the saved package in place of a placeholder paragraph. Everything a caller
passes as text must already be clean (`text.clean_text`); this module only escapes it.

Bookmarks: one id counter per body (`Body.bookmark`); names are either the write-up's answer
slots (`format.answer_bookmark`, shared with the reader), `_Toc…` for table-of-contents targets
(as Word names them), or an anchor the caller chooses.
"""

from __future__ import annotations

import io
import itertools
import zipfile
from collections.abc import Iterable, Mapping, Sequence

from docx.document import Document
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.section import Section

from pi87_field.core.text import clean_text, one_line
from pi87_field.core.word import style as S

# -- runs and paragraphs -------------------------------------------------------------------------


def esc(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def rpr(*, bold: bool = False, italic: bool = False, color: str | None = None, size: float | None = None,
        mono: bool = False, highlight: str | None = None, spacing: int | None = None, caps: bool = False) -> str:
    """Run properties in schema order."""
    out = []
    if mono:
        out.append('<w:rFonts w:ascii="Courier New" w:hAnsi="Courier New" w:cs="Courier New"/>')
    if bold:
        out.append("<w:b/><w:bCs/>")
    if italic:
        out.append("<w:i/><w:iCs/>")
    if caps:
        out.append("<w:caps/>")
    if color:
        out.append(f'<w:color w:val="{color}"/>')
    if spacing:
        out.append(f'<w:spacing w:val="{spacing}"/>')
    if size:
        hp = int(round(size * 2))
        out.append(f'<w:sz w:val="{hp}"/><w:szCs w:val="{hp}"/>')
    if highlight:
        out.append(f'<w:highlight w:val="{highlight}"/>')
    return "".join(out)


def run(text: str, props: str = "", *, style: str | None = None) -> str:
    """One run of clean text; "\\n" becomes a line break, "\\t" a tab."""
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


def paragraph(content: str | Iterable[str] = "", style: str | None = None, *, ppr: str = "",
              before: str = "", after: str = "") -> str:
    """A paragraph: `content` is plain clean text (one run) or run XML strings.

    `before` / `after` are raw XML put first / last inside the paragraph (bookmarks)."""
    if isinstance(content, str):
        runs = run(content) if content else ""
    else:
        runs = "".join(content)
    style_xml = f'<w:pStyle w:val="{style}"/>' if style else ""
    props = f"<w:pPr>{style_xml}{ppr}</w:pPr>" if (style_xml or ppr) else ""
    return f"<w:p>{props}{before}{runs}{after}</w:p>"


def text_paragraphs(text: str, style: str, *, ppr: str = "", props: str = "") -> str:
    """Stored text as paragraphs: a blank line separates paragraphs, a single newline is a break."""
    blocks = [b.strip("\n") for b in text.split("\n\n")]
    return "".join(paragraph([run(b, props)], style, ppr=ppr) for b in blocks if b.strip()) \
        or paragraph("", style, ppr=ppr)


def link(anchor: str, content: str | Iterable[str]) -> str:
    """A hyperlink to a bookmark of this document."""
    runs = run(content, style="Hyperlink") if isinstance(content, str) else "".join(content)
    return f'<w:hyperlink w:anchor="{anchor}" w:history="1">{runs}</w:hyperlink>'


def jc(align: str | None) -> str:
    return f'<w:jc w:val="{align}"/>' if align else ""


def page_break() -> str:
    return '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'


def field_runs(instruction: str, placeholder: str = "", props: str = "") -> str:
    """A complex field (PAGE, NUMPAGES…) as runs; `placeholder` is the cached result."""
    p = f"<w:rPr>{props}</w:rPr>" if props else ""
    return (
        f'<w:r>{p}<w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
        f'<w:r>{p}<w:instrText xml:space="preserve"> {esc(instruction)} </w:instrText></w:r>'
        f'<w:r>{p}<w:fldChar w:fldCharType="separate"/></w:r>'
        + (f'<w:r>{p}<w:t xml:space="preserve">{esc(placeholder)}</w:t></w:r>' if placeholder else "")
        + f'<w:r>{p}<w:fldChar w:fldCharType="end"/></w:r>'
    )


# -- footnotes -----------------------------------------------------------------------------------


def footnote_reference(fid: int) -> str:
    """The superscript number in the text that points at footnote `fid`."""
    return f'<w:r><w:rPr><w:rStyle w:val="{S.FOOTNOTE_REFERENCE}"/></w:rPr><w:footnoteReference w:id="{fid}"/></w:r>'


class Footnotes:
    """The footnotes of one document, numbered from 1 in the order they are referenced.

    python-docx has no footnote API: the part (`templates/footnotes.xml`, with the separator and
    continuation-separator footnotes, ids -1 and 0, named in `settings.xml`) is in every document
    we write; `document_bytes_with_body` replaces it with `xml()` once the body is written."""

    def __init__(self) -> None:
        self.notes: list[str] = []

    def add(self, paragraphs: Sequence[Sequence[str]]) -> str:
        """A footnote made of `paragraphs` (lists of run XML); returns the reference run to put
        in the text."""
        fid = len(self.notes) + 1
        mark = f'<w:r><w:rPr><w:rStyle w:val="{S.FOOTNOTE_REFERENCE}"/></w:rPr><w:footnoteRef/></w:r>'
        body = []
        for i, runs in enumerate(paragraphs or [[]]):
            lead = [mark, run(" ")] if i == 0 else []
            body.append(paragraph([*lead, *runs], S.FOOTNOTE_TEXT))
        self.notes.append(f'<w:footnote w:id="{fid}">{"".join(body)}</w:footnote>')
        return footnote_reference(fid)

    def __len__(self) -> int:
        return len(self.notes)

    def xml(self) -> bytes:
        template = S.footnotes_template()
        head, _, tail = template.rpartition(b"</w:footnotes>")
        return head + "".join(self.notes).encode("utf-8") + b"</w:footnotes>" + tail


def list_paragraph(runs: Iterable[str], *, numbered: bool = False, level: int = 0, keep_next: bool = False,
                   spacing: str = "") -> str:
    """A real list item: a bullet ("•", "–") or a number ("1.", then "a." at level 1).
    `spacing`: a `w:spacing` element (it comes after the numbering in the schema's order)."""
    style = S.LIST_NUMBER if numbered else S.LIST_BULLET
    num = f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{2 if numbered else 1}"/></w:numPr>' if level else ""
    return paragraph(list(runs), style, ppr=("<w:keepNext/>" if keep_next else "") + num + spacing)


# -- tables --------------------------------------------------------------------------------------


def shading(fill: str) -> str:
    return f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>'


def cell(content: str, width: int, *, fill: str | None = None, span: int = 1) -> str:
    """A table cell holding paragraph XML (an empty cell still needs one paragraph)."""
    props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    if fill:
        props += shading(fill)
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{content or paragraph('', S.TABLE_TEXT)}</w:tc>"


def row(cells: Iterable[str], *, header: bool = False, cant_split: bool = True) -> str:
    """A table row; a header row repeats at the top of every page the table runs onto."""
    props = ("<w:cantSplit/>" if cant_split else "") + ("<w:tblHeader/>" if header else "")
    return f"<w:tr>{f'<w:trPr>{props}</w:trPr>' if props else ''}{''.join(cells)}</w:tr>"


def table(widths: Sequence[int], rows: Iterable[str], *, header: bool = True) -> str:
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    look = (f'<w:tblLook w:val="{"04A0" if header else "0000"}" w:firstRow="{int(header)}" w:lastRow="0" '
            'w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>')
    return (f'<w:tbl><w:tblPr><w:tblStyle w:val="{S.TABLE_STYLE}"/><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
            f'<w:tblLayout w:type="fixed"/>{look}</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{"".join(rows)}</w:tbl>')


def header_row(heads: Sequence[str], widths: Sequence[int], aligns: Sequence[str | None] | None = None,
               style: str = S.TABLE_TEXT) -> str:
    aligns = aligns or [None] * len(heads)
    head = rpr(bold=True, color=S.ACCENT)
    return row([cell(paragraph([run(h, head)], style, ppr=jc(a)), w, fill=S.ACCENT_SOFT)
                for h, w, a in zip(heads, widths, aligns)], header=True)


def text_table(rows: Sequence[Sequence[str]], widths: Sequence[int], *, header: bool = False,
               label_column: bool = False, anchors: Mapping[str, tuple[str, str]] | None = None) -> str:
    """A table of clean texts (in a cell, "\\n" separates paragraphs). `header`: the first row is a
    shaded header repeated on every page; `label_column`: the first column is shaded and bold;
    `anchors`: per row label, bookmark XML (start, end) around the row's second cell (read back)."""
    out = []
    label = rpr(bold=True, color=S.ACCENT)
    for r, values in enumerate(rows):
        if header and r == 0:
            out.append(header_row(values, widths))
            continue
        cells = []
        for c, value in enumerate(values):
            props, fill = (label, S.LABEL_SHADE) if label_column and c == 0 else ("", None)
            lines = value.split("\n") if value else [""]
            start, end = (anchors or {}).get(values[0], ("", "")) if c == 1 else ("", "")
            content = "".join(paragraph([run(line, props)] if line else [], S.TABLE_TEXT,
                                        before=start if n == 0 else "", after=end if n == len(lines) - 1 else "")
                              for n, line in enumerate(lines))
            cells.append(cell(content, widths[c], fill=fill))
        out.append(row(cells))
    return table(widths, out, header=header)


FACT_LABEL_WIDTH = 2750


def facts(rows: Iterable[tuple[str, str]], width: int = S.TEXT_WIDTH,
          anchors: Mapping[str, tuple[str, str]] | None = None) -> str:
    """A fact sheet (label | value), empty values left out, followed by a small spacer."""
    kept = [(label, value) for label, value in rows if value]
    if not kept:
        return ""
    return text_table(kept, [FACT_LABEL_WIDTH, width - FACT_LABEL_WIDTH], label_column=True, anchors=anchors) \
        + paragraph("", S.SMALL)


# -- contents ------------------------------------------------------------------------------------


def toc(entries: Sequence[tuple[int, str, str]], title: str = "Sommaire", levels: str = "1-2") -> str:
    """A table of contents field under a "TOC Heading" paragraph.

    `entries` (level, text, bookmark of the heading) pre-fill the field's result with one link
    per heading, so the contents are readable and clickable before anyone updates the field.
    Page numbers are left to the update: Word refreshes fields on open (`w:updateFields` in the
    template's settings); LibreOffice shows the cached entries, so no guessed number is written.
    """
    begin = (f'<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
             f'<w:r><w:instrText xml:space="preserve"> TOC \\o "{levels}" \\h \\z \\u </w:instrText></w:r>'
             f'<w:r><w:fldChar w:fldCharType="separate"/></w:r>')
    end = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    out = [paragraph(title, S.TOC_HEADING)]
    if not entries:
        hint = "Table des matières : clic droit puis « Mettre à jour le champ »."
        return out[0] + paragraph([begin, run(hint), end], "TOC1")
    for i, (level, text, anchor) in enumerate(entries):
        out.append(paragraph([begin if i == 0 else "", link(anchor, [run(text)]),
                              end if i == len(entries) - 1 else ""], f"TOC{min(max(level, 1), 3)}"))
    return "".join(out)


class Body:
    """A document body being written: paragraphs, tables, headings, one bookmark-id counter and
    the table-of-contents entries collected on the way."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.toc_entries: list[tuple[int, str, str]] = []
        self._ids = itertools.count(1)

    def add(self, xml: str) -> None:
        self.parts.append(xml)

    def p(self, content: str | Iterable[str] = "", style: str | None = None, **kw: str) -> None:
        self.parts.append(paragraph(content, style, **kw))

    def bookmark(self, name: str) -> tuple[str, str]:
        """(start, end) XML of a bookmark named `name`, with this body's next id."""
        bid = next(self._ids)
        return f'<w:bookmarkStart w:id="{bid}" w:name="{name}"/>', f'<w:bookmarkEnd w:id="{bid}"/>'

    def heading(self, level: int, text: str, *, toc_level: int = 0, anchor: str = "", ppr: str = "",
                runs: Sequence[str] | None = None) -> str:
        """A heading; listed in the contents when `level <= toc_level`. Returns its bookmark
        name ("" when it has none): `anchor` if given, else a `_Toc…` one for the contents."""
        name = anchor
        if not name and level <= toc_level:
            name = f"_Toc{len(self.toc_entries) + 1:09d}"
        before = after = ""
        if name:
            before, after = self.bookmark(name)
        if level <= toc_level:
            self.toc_entries.append((level, text, name))
        self.parts.append(paragraph(list(runs) if runs is not None else text, S.HEADINGS[level],
                                    ppr=ppr, before=before, after=after))
        return name

    def facts(self, rows: Iterable[tuple[str, str]], width: int = S.TEXT_WIDTH,
              anchors: Mapping[str, str] | None = None) -> None:
        """`anchors`: per row label, the name of a bookmark around its value (read back)."""
        marks = {label: self.bookmark(name) for label, name in (anchors or {}).items()}
        self.parts.append(facts(rows, width, marks))

    def flush(self) -> str:
        text = "".join(self.parts)
        self.parts = []
        return text


# -- header, footer and the package --------------------------------------------------------------

FOOTER_TEXT_LIMIT = 70     # characters: "Page N / M" stays on the footer's one line


def page_number_footer(section: Section, left_text: str = "", *, header_text: str = "",
                       first_page_plain: bool = True) -> None:
    """Footer "left text ……… Page X / Y" (and an optional running header) on `section`.

    The left text is cut to one line's worth so the page number never wraps under it. With
    `first_page_plain`, the first page (cover) shows neither header nor footer.
    """
    left = one_line(left_text)
    if len(left) > FOOTER_TEXT_LIMIT:
        left = left[:FOOTER_TEXT_LIMIT - 1].rstrip() + "…"
    footer = section.footer
    footer.is_linked_to_previous = False
    p = footer.paragraphs[0]._p
    for child in list(p):
        if child.tag != qn("w:pPr"):
            p.remove(child)
    fragment = parse_xml(
        f"<w:p {S.NSDECL}>" + run(left) + "<w:r><w:tab/></w:r>"
        + run("Page ") + field_runs("PAGE", "1") + run(" / ") + field_runs("NUMPAGES", "1") + "</w:p>"
    )
    for child in list(fragment):
        p.append(child)
    if header_text:
        header = section.header
        header.is_linked_to_previous = False
        hp = header.paragraphs[0]._p
        for child in list(hp):
            if child.tag != qn("w:pPr"):
                hp.remove(child)
        for child in list(parse_xml(f"<w:p {S.NSDECL}><w:r><w:tab/></w:r><w:r><w:tab/></w:r>"
                                    + run(clean_text(header_text)) + "</w:p>")):
            hp.append(child)
    if first_page_plain:
        section.different_first_page_header_footer = True


_PLACEHOLDER = "@@pi87-field-body@@"


def document_bytes_with_body(document: Document, body: Iterable[str], *, stream: bool = False,
                             footnotes: Footnotes | None = None) -> bytes:
    """Save `document` with `body` (XML text pieces) before its final section properties.

    A write-up's body (a few hundred KB) is parsed once and saved with the package: one
    compression pass. A full volume's body is tens of megabytes of XML: parsing it into an lxml
    tree only to serialise it again would cost seconds and hundreds of megabytes, so with
    `stream` the document is saved with a placeholder paragraph and the text is written straight
    into the archive in its place, piece by piece (memory stays bounded by the largest piece;
    the small parts are compressed a second time, which only pays off for a large body). The
    text comes from this module's builders, which escape everything; the tests read every file
    back with python-docx.

    `footnotes`, filled while the body is written, replaces the template's footnotes part (the
    document is then always streamed: the part is known only once the body has been written).
    """
    if footnotes is not None:
        stream = True
    if not stream:
        wrapper = parse_xml(f"<w:body {S.NSDECL}>{''.join(body)}</w:body>")
        end = document.element.body.find(qn("w:sectPr"))
        for child in list(wrapper):
            if end is not None:
                end.addprevious(child)
            else:  # pragma: no cover - every template has one
                document.element.body.append(child)
        return S.document_bytes(document)
    sect_pr = document.element.body.find(qn("w:sectPr"))
    marker_xml = paragraph(_PLACEHOLDER)
    marker_el = parse_xml(marker_xml.replace("<w:p>", f"<w:p {S.NSDECL}>", 1))
    if sect_pr is not None:
        sect_pr.addprevious(marker_el)
    else:  # pragma: no cover - every template has one
        document.element.body.append(marker_el)
    package = S.document_bytes(document)
    marker = marker_xml.encode("utf-8")
    source = zipfile.ZipFile(io.BytesIO(package))
    out = io.BytesIO()
    # level 1: tens of megabytes of XML, speed over size (the file is about 1.5 x larger than at 6)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        notes_info = None
        for info in source.infolist():
            if footnotes is not None and info.filename == S.FOOTNOTES_PART:
                notes_info = info          # written last: its footnotes are collected with the body
                continue
            data = source.read(info.filename)
            if info.filename != "word/document.xml":
                target.writestr(info, data)
                continue
            head, found, tail = data.partition(marker)
            if not found:  # pragma: no cover - would be a bug in the serialisation above
                raise RuntimeError("document body placeholder not found")
            with target.open(info.filename, "w") as member:       # deflated at the archive's level
                member.write(head)
                for piece in body:
                    member.write(piece.encode("utf-8"))
                member.write(tail)
        if footnotes is not None and notes_info is not None:
            target.writestr(notes_info, footnotes.xml())
    return out.getvalue()
