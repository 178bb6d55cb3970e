"""Reading a consolidated volume back: its tagged answers by region (chapter, matrix, annex)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import docx
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

TAG = re.compile(r"\[[^\[\]|]+\|[^\[\]|]+\|E\d+\|[^\[\]|]+\]")


@dataclass
class Region:
    """The text of one part of the volume (a chapter, the matrices, an appendix)."""

    title: str
    paragraphs: list[tuple[str, str]] = field(default_factory=list)   # (style name, text)
    tables: list[list[list[str]]] = field(default_factory=list)       # rows of cell texts

    @property
    def text(self) -> str:
        parts = [t for _, t in self.paragraphs]
        parts += ["\n".join(" | ".join(row) for row in table) for table in self.tables]
        return "\n".join(parts)


def read_regions(path) -> tuple[list[Region], docx.document.Document]:
    """Split the document body at each Heading 1 (parts and annexes) and, inside Part III, at
    each Heading 2 (one chapter per case), in reading order."""
    document = docx.Document(str(path))
    regions = [Region("(début)")]
    in_part_three = False
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            p = Paragraph(child, document)
            style = p.style.name if p.style is not None else ""
            if style == "Heading 1":
                in_part_three = p.text.startswith("Partie III")
                regions.append(Region(p.text))
            elif style == "Heading 2" and in_part_three:
                regions.append(Region(p.text))
            regions[-1].paragraphs.append((style, p.text))
        elif child.tag == qn("w:tbl"):
            table = Table(child, document)
            regions[-1].tables.append([[cell.text for cell in row.cells] for row in table.rows])
    return regions, document
