"""The monitoring data: communes' CSV/XLSX files turned into one tidy, checked table.

The table has one row per value, with the columns ``pair, indicator, year, value, dimension,
category, source, comment, file, line`` (see :data:`COLUMNS`), sorted by pair, indicator, year,
dimension and category. Every problem of every file is collected, each with its file, line,
column, value and what was expected, in French.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from ..base.errors import ProblemList
from ..base.i18n import _
from . import quality
from .header import locate_header
from .programme import Programme
from .replacements import apply_replacements
from .rows import RowReader
from .sheets import read_table

COLUMNS = ["pair", "indicator", "year", "value", "dimension", "category", "source", "comment",
           "file", "line"]
SORT_KEYS = ["pair", "indicator", "year", "dimension", "category"]


def _read_file(path: Path, programme: Programme, problems: ProblemList, encoding, separator,
               declared: list):
    """The valid rows of one file (as tuples of :data:`COLUMNS`) and how many rows it has; the
    rows that replace others are added to ``declared``."""
    table = read_table(path, problems, encoding=encoding, separator=separator)
    if table is None:
        return [], 0
    try:
        columns = locate_header(table, problems)
        if columns is None:
            return [], 0
        reader = RowReader(table, columns, programme, problems)
        records, n = [], 0
        for line, cells in table.rows:
            n += 1
            record = reader.read(line, cells)
            if record is not None:
                records.append(record)
        if not n and not table.stopped:
            problems.add(table.file, table.header_line, None, None,
                         _("au moins une ligne de données sous l'en-tête (le fichier ne "
                           "contient que l'en-tête)"),
                         kind="no-data")
        declared += reader.declared
        return records, n
    finally:
        if table.close is not None:
            table.close()


def empty_table() -> pd.DataFrame:
    """An observations table without rows, with the right columns and types."""
    return _frame([])


def _frame(records: list[tuple]) -> pd.DataFrame:
    df = pd.DataFrame.from_records(records, columns=COLUMNS)
    text = [c for c in COLUMNS if c not in ("year", "value", "line")]
    df = df.astype({"year": "int64", "value": "float64", "line": "int64",
                    **dict.fromkeys(text, str)})
    return df.sort_values([*SORT_KEYS, "file", "line"], kind="stable").reset_index(drop=True)


def read_observations(files: Iterable[Path | str], programme: Programme, *,
                      encoding: str | None = None, separator: str | None = None,
                      whole: bool = True) -> tuple[pd.DataFrame, ProblemList]:
    """Read monitoring files and return the table with every problem, without raising.

    Parameters
    ----------
    files : iterable of Path or str
        CSV or XLSX files.
    programme : Programme
        The programme the codes are checked against.
    encoding, separator : str, optional
        Force the CSV encoding or separator (detected otherwise).
    whole : bool
        The files are a whole data folder: check it as a data set too (baseline rows, missing
        years). ``False`` for files validated on their own (a commune's partial file).

    Returns
    -------
    tuple of (DataFrame, ProblemList)
        The valid rows (see :data:`COLUMNS`; identical duplicates kept once, rows replaced by
        others left out: :mod:`.replacements`) and the errors and
        warnings, per file in line order. ``df.attrs["rows_read"]`` counts the data rows read.
    """
    problems = ProblemList()
    records: list[tuple] = []
    declared: list[tuple] = []
    rows_read = 0
    for path in files:
        local = ProblemList()
        found, n = _read_file(Path(path), programme, local, encoding, separator, declared)
        records += found
        rows_read += n
        problems.extend(local)
    records = apply_replacements(records, declared, problems)
    df = _frame(records)
    df = quality.check(df, programme, problems, whole=whole)
    files_rank = {f: i for i, f in enumerate(dict.fromkeys(p.file for p in problems.items))}
    problems.items.sort(key=lambda p: (files_rank[p.file], p.line is None, p.line or 0))
    df.attrs["rows_read"] = rows_read
    return df, problems


def load_observations(files: Iterable[Path | str], programme: Programme, *,
                      encoding: str | None = None, separator: str | None = None) -> pd.DataFrame:
    """Load monitoring files into the observations table.

    Parameters
    ----------
    files : iterable of Path or str
        CSV or XLSX files (one per commune, or one for all).
    programme : Programme
        The programme the codes are checked against.
    encoding, separator : str, optional
        Force the CSV encoding (``utf-8``, ``cp1252``) or separator (``,``, ``;``).

    Returns
    -------
    DataFrame
        Columns :data:`COLUMNS`, sorted by pair, indicator, year, dimension, category.

    Raises
    ------
    InputError
        Every problem of every file (warnings included) when at least one is an error.
    """
    df, problems = read_observations(files, programme, encoding=encoding, separator=separator)
    problems.raise_if_errors()
    return df
