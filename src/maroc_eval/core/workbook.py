"""Reading an Excel (``.xlsx``) monitoring file: the sheet named ``suivi``, else the first.

Formulas are read as their cached value, never evaluated; a formula without a cached result, and
merged cells, are errors. An XLSX line is the Excel row number.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from ..errors import ProblemList
from .sheets import Cell, RawTable, _cell_ref, column_label


# -- XLSX ---------------------------------------------------------------------------------------
def read_xlsx(path: Path, data: bytes, shown: str, problems: ProblemList) -> RawTable | None:
    import openpyxl  # imported here: reading CSV files does not need it

    if not data.startswith(b"PK"):
        old = data.startswith(b"\xd0\xcf\x11\xe0")
        problems.add(shown, None, None, None,
                     "un classeur .xlsx : ce fichier est un ancien classeur .xls, enregistrez-le "
                     "en .xlsx" if old else "un classeur Excel .xlsx : ce fichier n'en est pas un "
                     "(fichier CSV renommé ou endommagé ?)", kind="xlsx")
        return None
    try:
        values = openpyxl.load_workbook(path, read_only=True, data_only=True)
        formulas = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds on a damaged archive
        problems.add(shown, None, None, type(exc).__name__,
                     "un classeur Excel .xlsx lisible (fichier endommagé ?)", kind="xlsx")
        return None
    try:
        return _xlsx_table(values, formulas, shown, problems)
    finally:
        values.close()
        formulas.close()


def _pick_sheet(workbook):
    for ws in workbook.worksheets:
        if ws.title.strip().lower() == "suivi":
            return ws
    return workbook.worksheets[0]


def _merged_ranges(workbook, ws) -> list[str]:
    try:
        xml = workbook._archive.read(ws._worksheet_path)
    except (AttributeError, KeyError, zipfile.BadZipFile):
        return []
    return [m.decode() for m in re.findall(rb"<(?:\w+:)?mergeCell\s+ref=\"([A-Z0-9:]+)\"", xml)]


def _xlsx_table(values, formulas, shown: str, problems: ProblemList) -> RawTable | None:
    ws = _pick_sheet(values)
    wf = formulas[ws.title]
    table = RawTable(file=shown, letters=True)
    covered: set[tuple[int, int]] = set()
    for ref in _merged_ranges(values, ws):
        (c1, r1), (c2, r2) = (_cell_ref(part) for part in (ref + ":" + ref).split(":")[:2])
        covered |= {(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
        problems.add(shown, r1, ref, ref,
                     "des cellules non fusionnées : une valeur par cellule (défusionnez "
                     f"{ref} et répétez la valeur sur chaque ligne)", kind="merged-cells")
    ws.reset_dimensions()
    wf.reset_dimensions()
    for line, (row, frow) in enumerate(zip(ws.iter_rows(min_row=1), wf.iter_rows(min_row=1),
                                           strict=False), start=1):
        cells = []
        for cell, fcell in zip(row, frow, strict=False):
            value, raw = cell.value, fcell.value
            reported = (line, len(cells)) in covered
            if value is None and isinstance(raw, str) and raw.startswith("="):
                problems.add(shown, line, column_label(table, len(cells)), raw,
                             "une valeur : cette formule n'a pas de résultat enregistré (ouvrez "
                             "le fichier dans Excel ou LibreOffice et enregistrez-le, ou collez "
                             "les valeurs)", kind="formula")
                value, reported = "", True
            if isinstance(value, str):
                value = value.strip()
            cells.append(Cell(value, getattr(cell, "number_format", "") or "", reported))
        if not any(c.value not in (None, "") for c in cells):
            continue
        if not table.header:
            table.header = ["" if c.value is None else str(c.value).strip() for c in cells]
            table.header_line = line
            continue
        table.rows.append((line, cells))
    if not table.header:
        problems.add(shown, None, None, ws.title, "une feuille avec une ligne d'en-tête "
                     "(partenariat, indicateur, annee, valeur…)", kind="empty-file")
        return None
    return table
