"""Reading an Excel (``.xlsx``) monitoring file, as a header and streamed rows.

The sheet read is the one named ``suivi``; otherwise the only sheet whose header row names the
required columns, and the message says which was read. Several such sheets, or none, are
refused. Formulas are read as their cached value, never evaluated; a formula without a cached
result, and merged cells, are errors. An XLSX line is the Excel row number.

Before openpyxl opens it, the archive is checked against the limits of
:mod:`maroc_eval.core.xlsx_archive` (declared sizes, compression ratio, rows, columns, cells):
a decompression bomb or a sheet of a million rows is refused in a second. The same pass finds
the merged ranges and the formulas without a cached result; openpyxl then reads the sheet once,
streaming, through its public read-only interface.
"""

from __future__ import annotations

import io
from itertools import islice
from pathlib import Path

from ..base.errors import WARNING, ProblemList
from ..base.i18n import N_, _
from .header import header_fits
from .rawtable import Cell, RawTable, cell_ref, column_label
from .xlsx_archive import WorkbookScan, inspect_workbook

SHEET = "suivi"
HEADER_ROWS = 10
"""Rows of a sheet looked at for its header when choosing among several sheets."""
OTHER_ARCHIVES = {
    "xlsb": N_("un classeur .xlsx : ce fichier est un classeur Excel binaire (.xlsb) renommé ; "
               "enregistrez-le en .xlsx (Fichier › Enregistrer sous › Classeur Excel)"),
    "ods": N_("un classeur .xlsx : ce fichier est un classeur OpenDocument (.ods, LibreOffice "
              "Calc) renommé ; enregistrez-le en .xlsx (Fichier › Enregistrer sous › Excel "
              "2007-365)"),
    "zip": N_("un classeur Excel .xlsx : ce fichier est une autre archive zip (document Word, "
              "dossier compressé ?)"),
}
"""What a ``.xlsx`` file really is when its archive is not a workbook openpyxl reads (a
workbook with macros renamed ``.xlsx`` is read: its macros are never run)."""


def read_xlsx(path: Path, data: bytes, shown: str, problems: ProblemList) -> RawTable | None:
    """Open a workbook: the chosen sheet's header now, its rows as they are iterated."""
    if not data.startswith(b"PK"):
        old = data.startswith(b"\xd0\xcf\x11\xe0")
        problems.add(shown, None, None, None,
                     _("un classeur .xlsx : ce fichier est un ancien classeur .xls, "
                       "enregistrez-le en .xlsx") if old else
                     _("un classeur Excel .xlsx : ce fichier n'en est pas un (fichier CSV renommé "
                       "ou endommagé ?)"), kind="xlsx")
        return None
    scan = _inspect(data, shown, problems)
    if scan is None:
        return None
    import openpyxl  # imported here: reading CSV files does not need it

    try:  # the bytes already checked, never the path again (it could have changed)
        values = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged archive
        problems.add(shown, None, None, type(exc).__name__,
                     _("un classeur Excel .xlsx lisible (fichier endommagé ?)"), kind="xlsx")
        return None
    ws = _pick_sheet(values, shown, problems)
    if ws is not None and ws.title not in scan.sheets:  # a chart sheet, a part not found
        problems.add(shown, None, None, ws.title, _("une feuille de données lisible : la feuille "
                                                    "« {title} » n'est pas une feuille de "
                                                    "calcul de l'archive (feuille graphique, "
                                                    "classeur endommagé ?)").format(
                                                        title=ws.title), kind="xlsx")
        ws = None
    if ws is None:
        values.close()
        return None
    table = _xlsx_table(ws, scan, shown, problems)
    if table is None:
        values.close()
        return None
    table.close = values.close
    return table


def _inspect(data: bytes, shown: str, problems: ProblemList) -> WorkbookScan | None:
    """The archive checked against the limits; ``None`` (reported) when it is not read."""
    try:
        scan = inspect_workbook(io.BytesIO(data))
    except Exception as exc:  # zipfile, zlib: a damaged, truncated or encrypted archive
        problems.add(shown, None, None, type(exc).__name__,
                     _("un classeur Excel .xlsx lisible (fichier endommagé ?)"), kind="xlsx")
        return None
    if scan.kind in OTHER_ARCHIVES:
        problems.add(shown, None, None, None, _(OTHER_ARCHIVES[scan.kind]), kind="xlsx")
        return None
    if scan.refused is not None:
        where, value, expected = scan.refused
        if where is None:
            problems.add(shown, None, None, value, expected, kind="too-large")
        else:
            sheet, row, ref = where  # « fichier.xlsx, suivi!XFD2 », or the row alone
            problems.add(f"{shown}, {sheet}!{ref}" if ref else f"{shown}, {sheet}",
                         None if ref else row, None, value, expected, kind="too-large")
        return None
    return scan


def _fits(ws) -> bool:
    """Whether one of the first rows of a sheet names the required columns."""
    for row in islice(ws.iter_rows(values_only=True), HEADER_ROWS):
        if header_fits(["" if v is None else str(v) for v in row]):
            return True
    return False


def _pick_sheet(workbook, shown: str, problems: ProblemList):
    """The sheet to read, said when it is not named ``suivi``; ``None`` (reported) if unclear."""
    for ws in workbook.worksheets:
        if ws.title.strip().lower() == SHEET:
            return ws
    sheets = workbook.worksheets
    fitting = [ws for ws in sheets if _fits(ws)] if len(sheets) > 1 else sheets
    names = ", ".join(_("« {title} »").format(title=ws.title) for ws in sheets)
    if len(fitting) == 1:
        if len(sheets) > 1:
            problems.add(shown, None, None, fitting[0].title, _("une feuille nommée « {sheet} » "
                                                                ": la feuille « {title} » a été "
                                                                "lue, la seule de {names} dont "
                                                                "l'en-tête convient").format(
                                                                  sheet=SHEET,
                                                                  title=fitting[0].title,
                                                                  names=names),
                                                                  kind="sheet-chosen",
                                                                  severity=WARNING)
        elif fitting[0].title.strip().lower() != SHEET:
            problems.add(shown, None, None, fitting[0].title, _("une feuille nommée « {sheet} » "
                                                                ": la seule feuille du "
                                                                "classeur, « {title} », a été "
                                                                "lue").format(
                                                                  sheet=SHEET,
                                                                  title=fitting[0].title),
                         kind="sheet-chosen", severity=WARNING)
        return fitting[0]
    which = _("plusieurs feuilles ont") if fitting else _("aucune feuille n'a")
    problems.add(shown, None, None, names, _("une feuille nommée « {sheet} » : {which} les "
                                             "colonnes partenariat, indicateur, annee, valeur ; "
                                             "renommez celle à lire « {sheet} »").format(
                                               sheet=SHEET, which=which), kind="sheet")
    return None


def _xlsx_table(ws, scan: WorkbookScan, shown: str, problems: ProblemList) -> RawTable | None:
    table = RawTable(file=shown, letters=True, sheet=ws.title)
    sheet = scan.sheets[ws.title]
    covered: set[tuple[int, int]] = set()
    for ref in sheet.merged:
        (c1, r1), (c2, r2) = (cell_ref(part) for part in (ref + ":" + ref).split(":")[:2])
        covered |= {(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
        problems.add(shown, r1, ref, ref,
                     _("des cellules non fusionnées : une valeur par cellule (défusionnez {ref} "
                       "et répétez la valeur sur chaque ligne)").format(
                         ref=ref), kind="merged-cells")
    ws.reset_dimensions()  # a sheet's declared size may be wrong: read what it holds
    lines = _numbered_rows(ws, table, problems)

    def cells_of(line: int, row) -> list[Cell]:
        cells = []
        for cell in row:
            value = cell.value
            reported = (line, len(cells)) in covered
            formula = sheet.uncached.get((line, len(cells)))
            if value is None and formula is not None:
                problems.add(shown, line, column_label(table, len(cells)), formula,
                             _("une valeur : cette formule n'a pas de résultat enregistré "
                               "(ouvrez le fichier dans Excel ou LibreOffice et enregistrez-le, "
                               "ou collez les valeurs)"), kind="formula")
                value, reported = "", True
            if isinstance(value, str):
                value = value.strip()
            cells.append(Cell(value, getattr(cell, "number_format", "") or "", reported))
        return cells

    for line, row in lines:
        cells = cells_of(line, row)
        if any(c.value not in (None, "") for c in cells):
            table.header = ["" if c.value is None else str(c.value).strip() for c in cells]
            table.header_line = line
            break
    if not table.header:
        if not table.stopped:
            problems.add(shown, None, None, ws.title, _("une feuille avec une ligne d'en-tête "
                                                        "(partenariat, indicateur, annee, "
                                                        "valeur…)"), kind="empty-file")
        return None

    def rows():
        for line, row in lines:
            cells = cells_of(line, row)
            if any(c.value not in (None, "") for c in cells):
                yield line, cells

    table.rows = rows()
    return table


def _numbered_rows(ws, table: RawTable, problems: ProblemList):
    """The sheet's rows with their Excel number; a cell openpyxl cannot read (a number that is
    not one, a damaged part) stops the reading with a located error, never a traceback."""
    line = 0
    try:
        for line, row in enumerate(ws.iter_rows(min_row=1), start=1):
            yield line, row
    except Exception as exc:  # openpyxl's parser raises many kinds on a forged sheet
        table.stopped = True
        problems.add(f"{table.file}, {ws.title}", line + 1, None, type(exc).__name__,
                     _("une feuille lisible : cette ligne ne peut pas être lue (classeur "
                       "endommagé ou fabriqué ?)"), kind="xlsx")
