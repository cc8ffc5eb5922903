"""Cells and tables of the Excel annex: number formats by measure, headers, filters, widths.

A value keeps its meaning in the workbook: a count is a number shown without decimals, a
percentage a fraction shown as « 45 % », a yes/no indicator the words « oui » / « non », a stage
its number shown with its label (« 2 – service créé ») so that it still sorts and filters as a
number. Every cell is written through :mod:`maroc_eval.base.sheetcells`: a text stays text,
unchanged, even one a spreadsheet would read as a formula.
"""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ...base.i18n import _
from ...base.sheetcells import write

INTEGER = "#,##0"
DECIMAL = "#,##0.0"
PERCENT = "0%"
PERCENT_DECIMAL = "0.0%"
TEXT = "@"
HEADER_FILL = PatternFill("solid", fgColor="E4E9EE")
WHOLE = 1e-9


def stage_format(label: str) -> str:
    """The number format showing stage ``n`` as « n – label »."""
    return '0" – ' + label.replace('"', "'").replace("\\", "/") + '"'


def measured(value, measure: str | None, levels: dict | None = None,
             decimals: bool = False) -> tuple[object, str | None]:
    """A figure of an indicator as a cell value and its number format.

    Parameters
    ----------
    value : float or None
        As the monitoring data give it (percentages from 0 to 100).
    measure : str or None
        ``nombre``, ``pourcentage``, ``oui_non``, ``ordinal`` (``None``: a plain number).
    levels : dict, optional
        Stage → label, for an ordinal measure.
    decimals : bool
        Force one decimal (values normalised per inhabitants, say).

    Returns
    -------
    tuple
        ``(value, number_format)``; ``(None, None)`` for an unknown value.
    """
    if value is None or value != value:
        return None, None
    value = float(value)
    nearest = round(value)
    whole = abs(value - nearest) < WHOLE
    if measure == "oui_non":
        return (_("oui") if value >= 0.5 else _("non")), TEXT
    if measure == "pourcentage":
        return value / 100.0, PERCENT if whole else PERCENT_DECIMAL
    if measure == "ordinal" and levels and whole and nearest in levels:
        return nearest, stage_format(levels[nearest])
    if whole and not decimals:
        return nearest, INTEGER
    return value, DECIMAL


@dataclass(frozen=True)
class Column:
    """A column of a table: its header, width (characters) and whether its text wraps."""

    title: str
    width: float
    wrap: bool = False


LINE_HEIGHT = 15
"""The height of a line of text in a sheet row (points, 11-point type)."""


def wrapped_lines(value, width: float) -> int:
    """How many lines a value takes in a wrapped cell ``width`` characters wide (an estimate,
    word by word: spreadsheets do not store it, and printing uses the row's stored height)."""
    if value is None:
        return 1
    lines = 0
    for paragraph in str(value).split("\n"):
        used, count = 0, 1
        for word in paragraph.split():
            if used and used + 1 + len(word) > width - 1:
                count, used = count + 1, len(word)
            else:
                used += len(word) + (1 if used else 0)
        lines += count
    return max(1, lines)


def table(ws, columns: list[Column], rows: list[list], *, header_row: int,
          formats: list[list] | None = None, freeze_column: int = 1) -> int:
    """Write a table with a bold header, frozen under its header, filtered; return its last row.

    Parameters
    ----------
    ws : Worksheet
    columns : list of Column
    rows : list of list
        Cell values (a text stays text: :mod:`maroc_eval.base.sheetcells`).
    header_row : int
        Row of the header (the lines above are the sheet's title and notes).
    formats : list of list, optional
        A number format per cell (``None``: the default).
    freeze_column : int
        First column left scrolling (2 keeps column A in view).
    """
    for col, column in enumerate(columns, start=1):
        cell = write(ws, header_row, col, column.title)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(col)].width = column.width
    ws.row_dimensions[header_row].height = LINE_HEIGHT * max(
        wrapped_lines(c.title, c.width) for c in columns)
    row = header_row
    for r, values in enumerate(rows):
        row = header_row + 1 + r
        lines = 1
        for col, value in enumerate(values, start=1):
            cell = write(ws, row, col, value)
            number_format = formats[r][col - 1] if formats else None
            if number_format and value is not None:
                cell.number_format = number_format
            if columns[col - 1].wrap:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                lines = max(lines, wrapped_lines(value, columns[col - 1].width))
            else:
                cell.alignment = Alignment(vertical="top")
        # a row as tall as its longest wrapped text: printed, lines never overlap the next row
        ws.row_dimensions[row].height = LINE_HEIGHT * lines
    ws.freeze_panes = ws.cell(row=header_row + 1, column=freeze_column)
    ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(columns))}{max(row, header_row)}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    return row


def heading(ws, title: str, note: str | None = None) -> None:
    """The sheet's title (row 1) and a line of explanation (row 2)."""
    write(ws, 1, 1, title).font = Font(bold=True, size=14)
    if note:
        write(ws, 2, 1, note).font = Font(italic=True)
