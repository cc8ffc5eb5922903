"""The Excel annex of a pair report: the logframe with values, achievement and status."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..atomic import write_atomic
from ..sidecar import RIResult
from .sections import STATUS_TEXT

COLUMNS = [  # (title, width, number format)
    ("RI", 6, None), ("Code", 8, None), ("Indicateur", 52, None), ("Unité", 14, None),
    ("Sens", 7, None), ("Base", 11, "#,##0.0#"), ("Cible", 11, "#,##0.0#"),
    ("Valeur", 11, "#,##0.0#"), ("Réalisation brute", 12, "0%"), ("Réalisation", 12, "0%"),
    ("Statut", 15, None), ("Années manquantes", 18, None),
]
HEADER_ROW = 3
STATUS_FILLS = {"atteint": "7FCEB9", "en_bonne_voie": "AAD8F2", "en_retard": "F2CF80",
                "critique": "EAAF80", "non_renseigne": "DDDDDD"}


def _text(value) -> str:
    """A cell text that Excel never reads as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def annex_workbook(ri_results: dict[str, RIResult | None], *, title: str,
                   baseline_year: int, year: int) -> Workbook:
    """Build the workbook: a title row, a frozen header, one row per indicator.

    Parameters
    ----------
    ri_results : dict
        RI sidecars by RI code (``None`` for an unavailable RI: its rows are left out).
    title : str
        Written in the first row.
    baseline_year, year : int
        Shown in the column titles of baseline, target and value.
    """
    wb = Workbook()
    ws = wb.active
    ws.title = "Cadre logique"
    ws.cell(row=1, column=1, value=_text(title)).font = Font(bold=True, size=14)
    ws.cell(row=2, column=1, value=f"Base {baseline_year} ; cible et valeur {year} ; "
            "réalisation = (valeur − base) / (cible − base).").font = Font(italic=True)
    titles = {"Base": f"Base {baseline_year}", "Cible": f"Cible {year}", "Valeur": f"Valeur {year}"}
    for col, (name, width, _) in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=HEADER_ROW, column=col, value=titles.get(name, name))
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E4E9EE")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(col)].width = width
    row = HEADER_ROW
    for ri, result in ri_results.items():
        if result is None:
            continue
        for ind in result.indicators:
            row += 1
            values = [ri, ind.code, _text(ind.label), _text(ind.unit),
                      "hausse" if ind.direction == "hausse" else "baisse", ind.baseline,
                      ind.target, ind.actual, ind.achievement_raw, ind.achievement,
                      STATUS_TEXT.get(ind.status, ind.status),
                      ", ".join(str(y) for y in ind.missing_years)]
            for col, value in enumerate(values, start=1):
                cell = ws.cell(row=row, column=col, value=value)
                number_format = COLUMNS[col - 1][2]
                if number_format and value is not None:
                    cell.number_format = number_format
            fill = STATUS_FILLS.get(ind.status)
            if fill:
                ws.cell(row=row, column=11).fill = PatternFill("solid", fgColor=fill)
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=3)
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(COLUMNS))}{max(row, HEADER_ROW)}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    return wb


def write_annex(path: Path, ri_results: dict[str, RIResult | None], *, title: str,
                baseline_year: int, year: int) -> Path:
    """Write the annex atomically; return its path."""
    buffer = io.BytesIO()
    annex_workbook(ri_results, title=title, baseline_year=baseline_year, year=year).save(buffer)
    write_atomic(Path(path), buffer.getvalue())
    return Path(path)
