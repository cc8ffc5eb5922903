"""Read a monitoring file (CSV or XLSX) into a header and numbered rows, as communes send them.

CSV (:mod:`maroc_eval.core.csvfile`): UTF-8, UTF-8 with BOM or Windows-1252, ``,``, ``;`` or tab
separated, leading ``#`` comment lines. XLSX (:mod:`maroc_eval.core.workbook`): the sheet named
``suivi``, or the only sheet whose header fits; formulas are read as their cached value, never
evaluated. Line numbers are the file's own (the header of a CSV without comments is line 1; an
XLSX line is the Excel row number).

Rows are *streamed*: a table holds its header and an iterator over its data rows, so that a file
is refused on its header alone, and a large file costs the memory of one row at a time. Nothing
here knows about indicators: cells are returned as read (text for CSV; text, numbers, dates or
booleans for XLSX) and every problem goes to a :class:`~maroc_eval.errors.ProblemList`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ProblemList, display_path
from ..i18n import _

MAX_BYTES = 20 * 1024 * 1024
"""Largest monitoring file accepted (a commune's table is a few hundred kilobytes)."""


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
    """

    file: str
    header: list[str] = field(default_factory=list)
    header_line: int = 1
    rows: Iterator[Row] = field(default_factory=lambda: iter(()))
    letters: bool = False
    separator: str = ","
    sheet: str | None = None
    close: Callable[[], None] | None = None


def read_table(path: Path | str, problems: ProblemList, *, encoding: str | None = None,
               separator: str | None = None) -> RawTable | None:
    """Open one CSV or XLSX file; problems are recorded, ``None`` when nothing is usable.

    Parameters
    ----------
    path : Path or str
        The file.
    problems : ProblemList
        Receives every problem found (those of the rows as they are read).
    encoding, separator : str, optional
        Force the CSV encoding (``utf-8``, ``cp1252``…) or separator (``,``, ``;``).

    Returns
    -------
    RawTable or None
        Its rows are read as they are iterated; call ``close`` when done (workbooks).
    """
    path = Path(path)
    shown = display_path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        problems.add(shown, None, None, None, _("un fichier existant"), kind="missing-file")
        return None
    if path.is_dir():
        problems.add(shown, None, None, None, _("un fichier, pas un dossier"), kind="unreadable")
        return None
    if size > MAX_BYTES:
        problems.add(shown, None, None, f"{size / 1e6:.1f} Mo".replace(".", ","),
                     _("un fichier de moins de {limit} Mo (un tableau de suivi fait quelques "
                       "centaines de Ko) : vérifiez qu'il s'agit du bon fichier ou découpez-le "
                       "par partenariat").format(
                         limit=MAX_BYTES // (1024 * 1024)), kind="too-large")
        return None
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.add(shown, None, None, exc.strerror, _("un fichier lisible"), kind="unreadable")
        return None
    if not data.strip():
        problems.add(shown, None, None, None, _("un fichier non vide, avec une ligne d'en-tête "
                                                "(partenariat, indicateur, annee, valeur…)"),
                     kind="empty-file")
        return None
    if path.suffix.lower() == ".xlsx":
        from .workbook import read_xlsx  # openpyxl is imported only for workbooks

        return read_xlsx(path, data, shown, problems)
    from .csvfile import read_csv

    return read_csv(data, shown, problems, encoding, separator)


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
