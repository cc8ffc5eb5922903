"""A monitoring file as read: its header, its numbered rows (streamed) and its cells.

What :mod:`maroc_eval.core.csvfile` and :mod:`maroc_eval.core.workbook` produce and what the
readers of rows take (:mod:`maroc_eval.core.sheets` chooses between the two formats); with the
names columns and cells have in messages (header, Excel letter, ``B3``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from ..base.i18n import _

MAX_COLUMNS = 1000
"""Most columns a monitoring file may have (a CSV header, a sheet): a monitoring file has 7, a
Kobo export a few hundred; a header of 200 000 columns is refused before any row is read."""


@dataclass
class Cell:
    """A workbook cell: its value as read, its Excel number format, whether it was reported.

    A ``reported`` cell (formula without result, inside a merged range) already has its error;
    the row it belongs to is left out without further messages. CSV cells are plain strings.
    """

    value: object
    number_format: str = ""
    reported: bool = False


Row = tuple[int, list]
"""A data row: its line, and its cells (``str`` from a CSV, :class:`Cell` from a workbook)."""


@dataclass
class RawTable:
    """A file's header and its data rows (streamed), with the file's own line numbers.

    Attributes
    ----------
    file : str
        The file as shown in messages.
    header : list of str
        Header cells, as written.
    header_line : int
        Line (row) of the header.
    rows : iterator of Row
        Data rows with their line, blank rows left out; read once.
    letters : bool
        Whether columns are also shown by their Excel letter (XLSX).
    separator : str
        The CSV separator (``,`` for a workbook).
    sheet : str or None
        The worksheet read (XLSX).
    close : callable or None
        Releases the file (a workbook), once the rows are read or abandoned.
    stopped : bool
        Reading stopped early on a problem already reported.
    """

    file: str
    header: list[str] = field(default_factory=list)
    header_line: int = 1
    rows: Iterator[Row] = field(default_factory=lambda: iter(()))
    letters: bool = False
    separator: str = ","
    sheet: str | None = None
    close: Callable[[], None] | None = None
    stopped: bool = False
    """Whether reading stopped before the end of the file on a problem already reported (a
    broken quote, a limit): its rows are not all there, and no other problem is made of it."""


def cell_ref(ref: str) -> tuple[int, int]:
    """``"B3"`` → (column index 1, row 3)."""
    letters, digits = re.fullmatch(r"([A-Z]+)(\d+)", ref).groups()
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1, int(digits)


def letter(index: int) -> str:
    """The Excel letter of a column index (0 → ``A``, 27 → ``AB``)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_label(table: RawTable, index: int) -> str:
    """How a column is named in messages: its header, plus its letter in a workbook."""
    name = table.header[index] if index < len(table.header) and table.header[index] else None
    if table.letters:
        return f"{name} ({letter(index)})" if name else letter(index)
    return name or _("colonne {n}").format(n=index + 1)
