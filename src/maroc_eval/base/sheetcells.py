"""Cells of the workbooks the toolkit writes: a text stays text, never a formula.

openpyxl stores a string that begins with ``=`` as a formula, which a spreadsheet then runs
(``=HYPERLINK(…)``, ``=cmd|' /C calc'!A0``): a source or a comment a commune typed, or a label
of the programme, must never become one. Every workbook writer of the toolkit (the communes'
forms, the XLSForm, the Excel annexes) writes its cells through :func:`put`, :func:`write` or
:func:`append`: a string is stored as a string, unchanged (no apostrophe added), and when it
begins with ``=``, ``+``, ``-`` or ``@`` the cell is also marked « quote prefix », so that a
spreadsheet shows it as typed and keeps it text even when someone edits the cell.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@")
"""First characters a spreadsheet reads as the start of a formula."""


def put(cell, value):
    """Set ``cell`` to ``value``; a string stays text (see the module). Returns the cell."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if value[:1] in FORMULA_STARTS:
            cell.quotePrefix = True
    return cell


def write(ws, row: int, column: int, value):
    """``ws.cell(row, column)`` set to ``value`` through :func:`put`; returns the cell."""
    return put(ws.cell(row=row, column=column), value)


def append(ws, values) -> None:
    """``ws.append(values)``, each string kept text through :func:`put`."""
    values = list(values)
    ws.append(values)
    if any(isinstance(v, str) for v in values):
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str):
                put(cell, cell.value)
