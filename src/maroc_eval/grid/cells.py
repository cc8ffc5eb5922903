"""Writing and reading single cells of a grid: text kept as text, styles, protection, print setup.

The conventions of the communes' form (:mod:`maroc_eval.collect.form`): yellow cells to fill,
grey cells computed and locked, blue headings; sheets protected without a password (locked
cells cannot be changed by mistake, columns and rows can be resized); wrapped text, frozen
panes, and an A4 landscape print with the heading rows repeated on every page.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

MAX_CELL = 32_767
"""The most characters a spreadsheet cell holds (Excel, LibreOffice)."""
DATE_FORMAT = "DD/MM/YYYY"
INPUT_FILL, LOCKED_FILL, HEADER_FILL = "FFF2CC", "EDEDED", "D9E1F2"
"""Yellow: the team writes; grey: computed by the toolkit, locked; blue: headings."""


def styles() -> dict:
    """The fonts, fills and alignments of a grid (made anew: openpyxl styles are per book)."""
    from openpyxl.styles import Alignment, Font, PatternFill, Protection

    return {
        "title": Font(bold=True, size=13),
        "bold": Font(bold=True),
        "input": PatternFill("solid", fgColor=INPUT_FILL),
        "locked": PatternFill("solid", fgColor=LOCKED_FILL),
        "header": PatternFill("solid", fgColor=HEADER_FILL),
        "wrap": Alignment(wrap_text=True, vertical="top"),
        "open": Protection(locked=False),
    }


def put(cell, value) -> None:
    """Write a value in a cell; a text stays a text, even one that begins with ``=``.

    openpyxl stores a string beginning with ``=`` as a formula: every text from the data or
    from the team goes through here, which marks it as a string.
    """
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    elif isinstance(value, dt.date):
        cell.number_format = DATE_FORMAT


def protect(ws) -> None:
    """Protection without password: locked cells cannot be edited; columns and rows can be
    resized."""
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


def print_setup(ws, header_row: int, last_column: str) -> None:
    """A4 landscape, one page wide, rows 1 to ``header_row`` repeated on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"1:{header_row}"
    ws.print_area = f"A1:{last_column}{max(ws.max_row, header_row)}"


def normal(value) -> str:
    """A cell's value as compared between the grid written and the grid returned.

    A spreadsheet may give a whole number back as ``3.0`` or a date as a date-time, and write
    line ends as ``\\r\\n``: these are the same value.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def fingerprint(value) -> str:
    """A short digest of a cell's value (:func:`normal`), for the locked cells' check."""
    return hashlib.sha256(normal(value).encode("utf-8")).hexdigest()[:16]


def meta_digest(meta: list[list]) -> str:
    """The digest of a grid's metadata rows (every row before « empreinte »): written by the
    writer, checked by the reader."""
    return hashlib.sha256(json.dumps([[normal(v) for v in row] for row in meta],
                                     ensure_ascii=False).encode()).hexdigest()
