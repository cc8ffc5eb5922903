"""Read a monitoring file (CSV or XLSX) into a header and numbered rows, as communes send them.

CSV (:mod:`maroc_eval.core.csvfile`): UTF-8, UTF-8 with BOM or Windows-1252, ``,``, ``;`` or tab
separated, leading ``#`` comment lines. XLSX (:mod:`maroc_eval.core.workbook`): the sheet named
``suivi``, or the only sheet whose header fits; formulas are read as their cached value, never
evaluated. Line numbers are the file's own (the header of a CSV without comments is line 1; an
XLSX line is the Excel row number).

Rows are *streamed*: a table holds its header and an iterator over its data rows, so that a file
is refused on its header alone, and a large file costs the memory of one row at a time. Nothing
here knows about indicators: cells are returned as read (text for CSV; text, numbers, dates or
booleans for XLSX) and every problem goes to a :class:`~maroc_eval.base.errors.ProblemList`.
"""

from __future__ import annotations

from pathlib import Path

from ..base.errors import ProblemList, display_path, file_problem, os_reason
from ..base.i18n import N_, _
from .csvfile import read_csv
from .rawtable import RawTable

MAX_BYTES = 20 * 1024 * 1024
"""Largest monitoring file accepted (a commune's table is a few hundred kilobytes)."""

OTHER_SPREADSHEETS = {
    ".xlsm": N_("un classeur Excel avec macros (.xlsm) : enregistrez-le en .xlsx (Fichier › "
                "Enregistrer sous › Classeur Excel) ; ses macros ne seraient jamais exécutées"),
    ".xlsb": N_("un classeur Excel binaire (.xlsb) : enregistrez-le en .xlsx (Fichier › "
                "Enregistrer sous › Classeur Excel)"),
    ".xls": N_("un ancien classeur Excel (.xls) : enregistrez-le en .xlsx (Fichier › "
               "Enregistrer sous › Classeur Excel)"),
    ".ods": N_("un classeur OpenDocument (.ods, LibreOffice Calc) : enregistrez-le en .xlsx "
               "(Fichier › Enregistrer sous › Excel 2007-365) ou exportez-le en CSV"),
    ".numbers": N_("un classeur Numbers : exportez-le en .xlsx ou en CSV"),
}
"""Spreadsheet formats that are not read, by suffix, with what to do (« enregistrez-le en
.xlsx »); said for a file given by name, and as a warning for such a file in a data folder."""


def other_spreadsheet(path: Path | str) -> str | None:
    """What to say of a spreadsheet the toolkit does not read (by its suffix), or ``None``."""
    what = OTHER_SPREADSHEETS.get(Path(path).suffix.lower())
    return None if what is None else _("un fichier .csv ou .xlsx : ce fichier est {what}").format(
        what=_(what))


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
    if file_problem(path, problems, _("un fichier de suivi (.csv ou .xlsx)")):
        return None
    if (other := other_spreadsheet(path)) is not None:
        problems.add(shown, None, None, path.suffix, other, kind="file-type")
        return None
    try:
        size = path.stat().st_size
    except OSError as exc:
        problems.add(shown, None, None, os_reason(exc), _("un fichier lisible"), kind="unreadable")
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
        problems.add(shown, None, None, os_reason(exc), _("un fichier lisible"), kind="unreadable")
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
