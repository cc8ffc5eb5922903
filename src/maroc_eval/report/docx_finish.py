"""Finish a Word report pandoc wrote: what pandoc's HTML reader cannot carry over.

- status cells shaded in the colours of the HTML report (pandoc drops cell styles);
- the widest tables (nine columns or more: the logframe) in a landscape section of their own,
  as the PDF prints them;
- each picture described by its text alternative only (pandoc gives the picture's own
  description the image's file name);
- the running header's TITLE field showing the report's title (the reference document's cached
  result is a placeholder) and Word asked to update its fields (the table of contents) when the
  document is opened.

Everything is done on the document's XML parts, in memory, before the file is written.
"""

from __future__ import annotations

import io
import re
import zipfile
from xml.sax.saxutils import escape

from ..base.i18n import _
from ..base.status import STATUS_LABELS

STATUS_FILLS = {"atteint": "7FCEB9", "largement_atteint": "AAD8F2", "en_bonne_voie": "AAD8F2",
                "en_retard": "F2CF80", "partiellement_atteint": "F2CF80",
                "critique": "EAAF80", "non_atteint": "EAAF80", "non_renseigne": "DDDDDD"}
"""Status code → cell fill (the colours of the report's style sheet)."""
WIDE = 9
"""A table of this many columns or more goes on a landscape page."""
_CELL = re.compile(r"<w:tc>(<w:tcPr\s*/>|<w:tcPr>.*?</w:tcPr>)(.*?)</w:tc>", re.S)
_TEXT = re.compile(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>")
_TABLE = re.compile(r"<w:tbl>.*?</w:tbl>", re.S)
_GRID_COL = re.compile(r"<w:gridCol\b")
_SECTION = re.compile(r"<w:sectPr>((?:(?!<w:sectPr>).)*?)</w:sectPr>\s*</w:body>", re.S)
"""The body's own (last) section properties."""
_PARAGRAPH_START = re.compile(r"<w:p>|<w:p\s[^>]*>")
_WITH_TABLE = re.compile(
    r'<w:pStyle w:val="(?:Titre\d|Heading\d|TableCaption)"\s*/>|<w:hyperlink\b')
"""A heading, the table's caption or its spreadsheet link: on the table's page."""


def _fills() -> dict[str, str]:
    """Status label in the report's language → fill colour."""
    return {_(label): STATUS_FILLS[code] for code, label in STATUS_LABELS.items()
            if code in STATUS_FILLS}


def shade_statuses(xml: str, fills: dict[str, str]) -> tuple[str, int]:
    """``xml`` with every table cell whose whole text is a status label shaded; how many."""
    count = 0

    def shade(match: re.Match) -> str:
        nonlocal count
        text = "".join(_TEXT.findall(match.group(2))).strip()
        if text not in fills:
            return match.group(0)
        count += 1
        properties = match.group(1)
        if "<w:shd " in properties:  # shaded already
            return match.group(0)
        shading = f'<w:shd w:val="clear" w:color="auto" w:fill="{fills[text]}"/>'
        properties = (f"<w:tcPr>{shading}</w:tcPr>" if properties.endswith("/>")
                      else properties.replace("</w:tcPr>", shading + "</w:tcPr>"))
        return f"<w:tc>{properties}{match.group(2)}</w:tc>"

    return _CELL.sub(shade, xml), count


def _landscape(portrait: str) -> str:
    """The section properties of a landscape page from the portrait ones."""
    size = re.search(r'<w:pgSz w:h="(\d+)" w:w="(\d+)"\s*/>', portrait)
    if not size:
        return portrait
    height, width = size.groups()
    body = portrait.replace(size.group(0),
                            f'<w:pgSz w:h="{width}" w:w="{height}" w:orient="landscape"/>')
    return body.replace("<w:titlePg />", "").replace("<w:titlePg/>", "")


def landscape_tables(xml: str) -> tuple[str, int]:
    """``xml`` with each table of :data:`WIDE` columns or more (and the headings just before
    it) in a landscape section; how many."""
    found = _SECTION.search(xml)
    if not found or 'w:orient="landscape"' in xml:  # none, or finished already
        return xml, 0
    portrait = found.group(1)
    landscape = _landscape(portrait)
    portrait_next = portrait.replace("<w:titlePg />", "").replace("<w:titlePg/>", "")
    out, last, count = [], 0, 0
    for table in _TABLE.finditer(xml):
        if len(_GRID_COL.findall(table.group(0))) < WIDE:
            continue
        start = table.start()
        # the paragraphs right before the table that are headings or short lines go with it
        before = xml[last:start]
        cut = len(before)
        starts = [m.start() for m in _PARAGRAPH_START.finditer(before)]
        for index in reversed(starts[-4:]):
            paragraph = before[index:cut]
            if _WITH_TABLE.search(paragraph):
                cut = index
            else:
                break
        out.append(before[:cut])
        out.append(f"<w:p><w:pPr><w:sectPr>{portrait if count == 0 else portrait_next}"
                   f"</w:sectPr></w:pPr></w:p>")
        out.append(before[cut:])
        out.append(table.group(0))
        out.append(f"<w:p><w:pPr><w:sectPr>{landscape}</w:sectPr></w:pPr></w:p>")
        last = table.end()
        count += 1
    if not count:
        return xml, 0
    rest = xml[last:]
    # the sections after the first one have no distinct first page
    rest = rest.replace(found.group(0), found.group(0).replace("<w:titlePg />", ""))
    out.append(rest)
    return "".join(out), count


_PICTURE = re.compile(r'(<wp:docPr\b[^>]*?\bdescr=")([^"]*)(".*?<pic:cNvPr\b[^>]*?\bdescr=")'
                      r'[^"]*(")', re.S)


def describe_pictures(xml: str) -> str:
    """``xml`` with each picture's own description (``pic:cNvPr``) set to the text alternative
    of its drawing (``wp:docPr``), in place of the image's file name."""
    return _PICTURE.sub(lambda m: m.group(1) + m.group(2) + m.group(3) + m.group(2) + m.group(4),
                        xml)


def header_title(xml: str, title: str) -> str:
    """A header part with the TITLE field's shown result set to ``title``."""
    return re.sub(r"(TITLE\s*</w:instrText>.*?<w:fldChar w:fldCharType=\"separate\"\s*/>"
                  r".*?<w:t(?:\s[^>]*)?>)[^<]*(</w:t>)",
                  lambda m: m.group(1) + escape(title) + m.group(2), xml, count=1, flags=re.S)


def update_fields_on_open(xml: str) -> str:
    """The settings part asking Word to update the fields (table of contents) on opening."""
    if "w:updateFields" in xml:
        return xml
    return re.sub(r"(<w:settings\b[^>]*>)", r'\1<w:updateFields w:val="true"/>', xml, count=1)


def finish(data: bytes, title: str) -> bytes:
    """The finished ``.docx`` (bytes) of pandoc's ``data``, for a report titled ``title``."""
    source = zipfile.ZipFile(io.BytesIO(data))
    target = io.BytesIO()
    fills = _fills()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "word/document.xml":
                xml = content.decode("utf-8")
                xml, _shaded = shade_statuses(xml, fills)
                xml, _wide = landscape_tables(xml)
                xml = describe_pictures(xml)
                content = xml.encode("utf-8")
            elif re.fullmatch(r"word/header\d*\.xml", item.filename):
                content = header_title(content.decode("utf-8"), title).encode("utf-8")
            elif item.filename == "word/settings.xml":
                content = update_fields_on_open(content.decode("utf-8")).encode("utf-8")
            elif item.filename.startswith("word/media/"):
                item.compress_type = zipfile.ZIP_STORED  # PNG: compressed already, not again
            out.writestr(item, content)
    return target.getvalue()
