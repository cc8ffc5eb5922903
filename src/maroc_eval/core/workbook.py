"""Reading an Excel (``.xlsx``) monitoring file, as a header and streamed rows.

The sheet read is the one named ``suivi``; otherwise the only sheet whose header row names the
required columns, and the message says which was read. Several such sheets, or none, are
refused. Formulas are read as their cached value, never evaluated; a formula without a cached
result, and merged cells, are errors. An XLSX line is the Excel row number.
"""

from __future__ import annotations

import re
import zipfile
from itertools import islice
from pathlib import Path

from ..errors import WARNING, ProblemList
from ..i18n import _
from .header import header_fits
from .rawtable import Cell, RawTable, cell_ref, column_label

SHEET = "suivi"
HEADER_ROWS = 10
"""Rows of a sheet looked at for its header when choosing among several sheets."""


def read_xlsx(path: Path, data: bytes, shown: str, problems: ProblemList) -> RawTable | None:
    """Open a workbook: the chosen sheet's header now, its rows as they are iterated."""
    import openpyxl  # imported here: reading CSV files does not need it

    if not data.startswith(b"PK"):
        old = data.startswith(b"\xd0\xcf\x11\xe0")
        problems.add(shown, None, None, None,
                     _("un classeur .xlsx : ce fichier est un ancien classeur .xls, "
                       "enregistrez-le en .xlsx") if old else
                     _("un classeur Excel .xlsx : ce fichier n'en est pas un (fichier CSV renommé "
                       "ou endommagé ?)"), kind="xlsx")
        return None
    try:
        values = openpyxl.load_workbook(path, read_only=True, data_only=True)
        formulas = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds on a damaged archive
        problems.add(shown, None, None, type(exc).__name__,
                     _("un classeur Excel .xlsx lisible (fichier endommagé ?)"), kind="xlsx")
        return None

    def close() -> None:
        values.close()
        formulas.close()

    ws = _pick_sheet(values, shown, problems)
    if ws is None:
        close()
        return None
    table = _xlsx_table(values, ws, formulas[ws.title], shown, problems)
    if table is None:
        close()
        return None
    table.close = close
    return table


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


def _merged_ranges(workbook, ws) -> list[str]:
    try:
        xml = workbook._archive.read(ws._worksheet_path)
    except (AttributeError, KeyError, zipfile.BadZipFile):
        return []
    return [m.decode() for m in re.findall(rb"<(?:\w+:)?mergeCell\s+ref=\"([A-Z0-9:]+)\"", xml)]


def _xlsx_table(values, ws, wf, shown: str, problems: ProblemList) -> RawTable | None:
    table = RawTable(file=shown, letters=True, sheet=ws.title)
    covered: set[tuple[int, int]] = set()
    for ref in _merged_ranges(values, ws):
        (c1, r1), (c2, r2) = (cell_ref(part) for part in (ref + ":" + ref).split(":")[:2])
        covered |= {(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
        problems.add(shown, r1, ref, ref,
                     _("des cellules non fusionnées : une valeur par cellule (défusionnez {ref} "
                       "et répétez la valeur sur chaque ligne)").format(
                         ref=ref), kind="merged-cells")
    ws.reset_dimensions()
    wf.reset_dimensions()
    lines = enumerate(zip(ws.iter_rows(min_row=1), wf.iter_rows(min_row=1), strict=False),
                      start=1)

    def cells_of(line: int, row, frow) -> list[Cell]:
        cells = []
        for cell, fcell in zip(row, frow, strict=False):
            value, raw = cell.value, fcell.value
            reported = (line, len(cells)) in covered
            if value is None and isinstance(raw, str) and raw.startswith("="):
                problems.add(shown, line, column_label(table, len(cells)), raw,
                             _("une valeur : cette formule n'a pas de résultat enregistré "
                               "(ouvrez le fichier dans Excel ou LibreOffice et enregistrez-le, "
                               "ou collez les valeurs)"), kind="formula")
                value, reported = "", True
            if isinstance(value, str):
                value = value.strip()
            cells.append(Cell(value, getattr(cell, "number_format", "") or "", reported))
        return cells

    for line, (row, frow) in lines:
        cells = cells_of(line, row, frow)
        if any(c.value not in (None, "") for c in cells):
            table.header = ["" if c.value is None else str(c.value).strip() for c in cells]
            table.header_line = line
            break
    if not table.header:
        problems.add(shown, None, None, ws.title, _("une feuille avec une ligne d'en-tête "
                                                    "(partenariat, indicateur, annee, valeur…)"),
                                                    kind="empty-file")
        return None

    def rows():
        for line, (row, frow) in lines:
            cells = cells_of(line, row, frow)
            if any(c.value not in (None, "") for c in cells):
                yield line, cells

    table.rows = rows()
    return table
