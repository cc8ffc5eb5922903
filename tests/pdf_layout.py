"""Helpers of the print-layout tests: what a PDF page shows, read with pypdf.

Positions are in PDF points from the bottom of the page (Chromium draws with a flipped
matrix: ``y = cm[3] * tm[5] + cm[5]``). The running header and the page number, in the page's
margins, are left out: a page's *content* is its text lines and images between the margins.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MM = 72 / 25.4
TOP_MARGIN, BOTTOM_MARGIN = 15 * MM, 18 * MM
"""The smallest top margin (landscape pages) and the bottom margin of the print style sheet."""


@dataclass(frozen=True)
class Line:
    """A line of text on a page: its baseline height, its text and its largest type size."""

    y: float
    text: str
    size: float
    bold: bool


def squeeze(text: str) -> str:
    """Text as compared: ligatures undone (NFKC), runs of white space made one space."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


@dataclass(frozen=True)
class Reading:
    """What one text extraction of a page gives: its content's lines (top to bottom) and
    images (bottom, top), the page's whole text as pypdf extracts it, and its height."""

    lines: list[Line]
    images: list[tuple[float, float]]
    text: str
    height: float


def read_page(page) -> Reading:
    """Read a page once (pypdf's text extraction is the slow part of these tests)."""
    height = float(page.mediabox.height)
    pieces: dict[int, list] = {}
    images = []

    def visit(text, cm, tm, font, size):
        if not text.strip():
            return
        y = cm[3] * tm[5] + cm[5]
        if not BOTTOM_MARGIN < y < height - TOP_MARGIN:
            return
        name = str((font or {}).get("/BaseFont", "")) if font else ""
        shown = abs(size * tm[3] * cm[3])
        pieces.setdefault(round(y), []).append((cm[0] * tm[4] + cm[4], text, shown,
                                                "Bold" in name))

    def before(op, args, cm, tm):
        if op == b"Do":
            images.append((cm[5], cm[5] + cm[3]))

    text = page.extract_text(visitor_text=visit, visitor_operand_before=before)
    lines = [Line(y, squeeze(" ".join(t for _x, t, _s, _b in sorted(parts))),
                  max(s for *_r, s, _b in parts), all(b for *_r, b in parts))
             for y, parts in sorted(pieces.items(), reverse=True)]
    return Reading(lines, images, text or "", height)


def filled(reading: Reading) -> float:
    """The share of a page's content height used (:func:`read_page`): from the top margin down
    to the lowest text line or image (0 for a blank page)."""
    lows = [line.y - 3 for line in reading.lines] + [bottom for bottom, _top in reading.images]
    if not lows:
        return 0.0
    top = reading.height - TOP_MARGIN
    return min(1.0, (top - min(lows)) / (top - BOTTOM_MARGIN))


def fonts(reader) -> set[str]:
    """The base fonts of a PDF's pages, subset prefix removed (``DejaVuSans-Bold``)."""
    found = set()
    for page in reader.pages:
        resources = page.get("/Resources")
        fonts_ = resources.get_object().get("/Font") if resources else None
        for font in (fonts_.get_object().values() if fonts_ else []):
            name = str(font.get_object().get("/BaseFont", ""))
            found.add(name.lstrip("/").split("+")[-1])
    return found


def family(font: str) -> str:
    """A font's family: « DejaVuSans-BoldOblique » → « DejaVuSans »."""
    return font.split("-")[0]
