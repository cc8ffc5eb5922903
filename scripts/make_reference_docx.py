"""Write ``templates/word/reference.docx``: the styles of the Word reports (pandoc's reference doc).

Starts from pandoc's own reference document (the pandoc of the ``pypandoc-binary`` wheel) and
makes it a French Word document: heading styles stored as French Word stores them (style ids
``Titre1``–``Titre3``, built-in names ``heading 1``–``heading 3``, which Word shows as « Titre 1 »
… « Titre 3 » and uses for its navigation pane), French language, A4 pages with 2 cm margins,
the report's fonts and colours, a running header (the document's title, through a TITLE field;
none on the cover page) and the page numbers in the footer (« page 3 / 57 », PAGE and NUMPAGES
fields). An evaluator can restyle the reports by editing the committed file in Word, without
code; this script is only needed to start again from pandoc's defaults.

Run: ``.venv/bin/python scripts/make_reference_docx.py`` (needs the ``test`` extra: python-docx).
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from maroc_eval.base import paths
from maroc_eval.report.docx import pandoc_binary

INK = RGBColor(0x1D, 0x27, 0x33)
ACCENT = RGBColor(0x00, 0x72, 0xB2)
GREY = RGBColor(0x4A, 0x5A, 0x6A)
HEADINGS = {1: Pt(16), 2: Pt(13), 3: Pt(11.5)}


def _default_reference() -> bytes:
    return subprocess.run([pandoc_binary(), "--print-default-data-file", "reference.docx"],
                          check=True, capture_output=True).stdout


def _rename_style_ids(styles, renames: dict[str, str]) -> None:
    """Give styles French Word's ids, and every reference to them (basedOn, next, link)."""
    root = styles.element
    for style in root.iter(qn("w:style")):
        old = style.get(qn("w:styleId"))
        if old in renames:
            style.set(qn("w:styleId"), renames[old])
        for tag in ("w:basedOn", "w:next", "w:link"):
            ref = style.find(qn(tag))
            if ref is not None and ref.get(qn("w:val")) in renames:
                ref.set(qn("w:val"), renames[ref.get(qn("w:val"))])


def _font(style, name: str, size, color: RGBColor, bold: bool | None = None) -> None:
    font = style.font
    font.name, font.size, font.color.rgb = name, size, color
    if bold is not None:
        font.bold = bold
    rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(qn(attr), name)


def _french(doc) -> None:
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "fr-FR")


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES, TITLE…) updated by Word when the page is laid out."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"),
                       ("end", None)):
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == "1":
            node = OxmlElement("w:t")
            node.text = "1"
            run._r.append(node)
        else:
            node = OxmlElement("w:instrText")
            node.set(qn("xml:space"), "preserve")
            node.text = f" {text} "
            run._r.append(node)


def _page(doc) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2)
    section.top_margin, section.bottom_margin = Cm(2.2), Cm(2.2)
    section.different_first_page_header_footer = True  # the cover: no header, no number
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _field(header, "TITLE")
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("page ")
    _field(footer, "PAGE")
    footer.add_run(" / ")
    _field(footer, "NUMPAGES")
    for part in (header, footer):
        for run in part.runs:
            run.font.size, run.font.color.rgb = Pt(8), GREY


def _table_borders(doc) -> None:
    """Thin grey rules around and inside the tables pandoc writes (its « Table » style)."""
    style = next(s for s in doc.styles.element.iter(qn("w:style"))
                 if s.get(qn("w:styleId")) == "Table")
    tblpr = style.find(qn("w:tblPr"))
    if tblpr is None:
        tblpr = OxmlElement("w:tblPr")
        style.append(tblpr)
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        rule = OxmlElement(f"w:{side}")
        for attr, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "0"),
                            ("w:color", "C8D0D8")):
            rule.set(qn(attr), value)
        borders.append(rule)
    after = [tblpr.find(qn(f"w:{t}")) for t in ("shd", "tblLayout", "tblCellMar", "tblLook")]
    following = next((e for e in after if e is not None), None)  # the schema's order
    if following is None:
        tblpr.append(borders)
    else:
        following.addprevious(borders)


def make_reference(target: Path) -> Path:
    """Write the reference document to ``target`` and return it."""
    doc = Document(io.BytesIO(_default_reference()))
    renames = {f"Heading{n}": f"Titre{n}" for n in HEADINGS}
    renames |= {f"Heading{n}Char": f"Titre{n}Car" for n in HEADINGS}
    _rename_style_ids(doc.styles, renames)
    _french(doc)
    _font(doc.styles["Normal"], "Georgia", Pt(10.5), INK)
    for level, size in HEADINGS.items():
        _font(doc.styles[f"Heading {level}"], "Arial", size, ACCENT if level == 1 else INK,
              bold=True)
    _font(doc.styles["Title"], "Arial", Pt(22), INK, bold=True)
    _table_borders(doc)
    _page(doc)
    target.parent.mkdir(parents=True, exist_ok=True)
    doc.core_properties.author = "maroc-eval"
    doc.core_properties.title = ""
    doc.save(str(target))
    return target


if __name__ == "__main__":
    print(make_reference(paths.REFERENCE_DOCX))
    sys.exit(0)
