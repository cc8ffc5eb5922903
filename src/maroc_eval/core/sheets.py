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

from pathlib import Path

from ..errors import ProblemList, display_path
from ..i18n import _
from .csvfile import read_csv
from .rawtable import RawTable

MAX_BYTES = 20 * 1024 * 1024
"""Largest monitoring file accepted (a commune's table is a few hundred kilobytes)."""


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
    return read_csv(data, shown, problems, encoding, separator)
