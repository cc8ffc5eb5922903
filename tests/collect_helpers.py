"""Shared helpers of the collection tests (``tests/collect``): a data folder cut at 2010, the
sample's values, filling a form programmatically as a commune would, the command line."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from maroc_eval.base import paths
from maroc_eval.cli import main
from maroc_eval.collect.form import META_SHEET
from maroc_eval.core.validation import validate_inputs

CHANGED = ("liege-tanger", "RI3.2", 2011, "", "")
"""The value the data folder already holds, wrong, and that the form corrects."""
WRONG_BY = 5.0


def sample_values() -> dict[tuple, float]:
    """Every value of the shipped sample, keyed as the diff keys them."""
    report = validate_inputs([paths.SAMPLE_DIR])
    return {(r.pair, r.indicator, int(r.year), r.dimension, r.category): float(r.value)
            for r in report.observations.itertuples(index=False)}


def cut_sample(folder: Path, last_year: int = 2010, keep=(CHANGED,), shift: float = WRONG_BY):
    """A copy of the sample data folder with the rows after ``last_year`` taken out, except the
    ``keep`` keys, whose value is moved by ``shift`` (a wrong value to be corrected)."""
    shutil.copytree(paths.SAMPLE_DIR, folder)
    source = paths.SAMPLE_DIR / "suivi.csv"
    lines = source.read_text("utf-8").splitlines(keepends=True)
    out = [line for line in lines if line.startswith("#")]
    rows = list(csv.reader([line for line in lines if not line.startswith("#")]))
    header, body = rows[0], rows[1:]
    kept = []
    for row in body:
        record = dict(zip(header, row, strict=True))
        dim, _, cat = record["ventilation"].partition("=")
        key = (record["partenariat"], record["indicateur"], int(record["annee"]), dim, cat)
        if key in keep:
            if shift:
                row[header.index("valeur")] = str(float(record["valeur"]) + shift)
            kept.append(row)
        elif int(record["annee"]) <= last_year:
            kept.append(row)
    with open(folder / "suivi.csv", "w", encoding="utf-8", newline="") as fh:
        fh.writelines(out)
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(kept)
    return folder


def fill_form(path: Path, values: dict[tuple, float], overrides: dict[tuple, object] = ()):
    """Fill a form's input cells from ``values`` (oui/non as words, stages as their list
    entry), ``overrides`` winning; return ``{key: "RI3!E14"}`` of the cells written."""
    wb = openpyxl.load_workbook(path)
    meta = list(wb[META_SHEET].iter_rows(values_only=True))
    pair = meta[1][1]
    start = next(i for i, r in enumerate(meta) if r[0] == "feuille") + 1
    cells = {}
    for sheet, row, code, year, dim, cat in (r[:6] for r in meta[start:] if r[6] == 1):
        key = (pair, code, int(year), dim or "", cat or "")
        ws = wb[sheet]
        if key in dict(overrides):
            value = dict(overrides)[key]
        elif key in values:
            value = _as_entered(ws, row, values[key])
        else:
            continue
        ws[f"E{row}"].value = value
        cells[key] = f"{sheet}!E{row}"
    wb.save(path)
    return cells


def _as_entered(ws, row: int, value: float):
    rule = ws[f"G{row}"].value
    if rule.startswith("oui ou non"):
        return "oui" if value else "non"
    if rule.startswith("un stade"):
        return next(part.strip() for part in rule.split(":", 1)[1].split(";")
                    if part.strip().startswith(f"{int(value)} "))
    return int(value) if value.is_integer() else value


def imported(data: Path) -> str:
    """The text of every import's file of a data folder (``collecte-*.csv``), in name order."""
    return "".join(p.read_text("utf-8") for p in sorted(data.glob("collecte-*.csv")))


def imported_rows(data: Path) -> list[dict]:
    """The rows of every import's file of a data folder, as dictionaries by column name."""
    rows = []
    for path in sorted(data.glob("collecte-*.csv")):
        lines = [line for line in path.read_text("utf-8").splitlines(keepends=True)
                 if not line.startswith("#")]
        rows += csv.DictReader(lines)
    return rows


def cli(*args: str):
    """Run the command line in-process; the result has ``exit_code``, ``stdout``, ``stderr``."""
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
