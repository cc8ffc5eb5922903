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

from ..errors import InputError, ProblemList
from . import quality
from .programme import Programme
from .rows import RowReader, map_header
from .sheets import read_table

COLUMNS = ["pair", "indicator", "year", "value", "dimension", "category", "source", "comment",
           "file", "line"]
SORT_KEYS = ["pair", "indicator", "year", "dimension", "category"]


def _read_file(path: Path, programme: Programme, problems: ProblemList, encoding, separator):
    table = read_table(path, problems, encoding=encoding, separator=separator)
    if table is None:
        return [], 0
    columns = map_header(table, problems)
    if columns is None:
        return [], len(table.rows)
    if not table.rows:
        problems.add(table.file, table.header_line, None, None, "au moins une ligne de données "
                     "sous l'en-tête (le fichier ne contient que l'en-tête)", kind="no-data")
    reader = RowReader(table, columns, programme, problems)
    records = [r for r in (reader.read(line, cells) for line, cells in table.rows) if r]
    return records, len(table.rows)


def empty_table() -> pd.DataFrame:
    """An observations table without rows, with the right columns and types."""
    return _frame([])


def _frame(records: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(records, columns=COLUMNS)
    text = [c for c in COLUMNS if c not in ("year", "value", "line")]
    df = df.astype({"year": "int64", "value": "float64", "line": "int64", **dict.fromkeys(text, str)})
    return df.sort_values([*SORT_KEYS, "file", "line"], kind="stable").reset_index(drop=True)


def read_observations(files: Iterable[Path | str], programme: Programme, *,
                      encoding: str | None = None, separator: str | None = None,
                      ) -> tuple[pd.DataFrame, ProblemList]:
    """Read monitoring files and return the table with every problem, without raising.

    Parameters
    ----------
    files : iterable of Path or str
        CSV or XLSX files.
    programme : Programme
        The programme the codes are checked against.
    encoding, separator : str, optional
        Force the CSV encoding or separator (detected otherwise).

    Returns
    -------
    tuple of (DataFrame, ProblemList)
        The valid rows (see :data:`COLUMNS`; identical duplicates kept once) and the errors and
        warnings, per file in line order. ``df.attrs["rows_read"]`` counts the data rows read.
    """
    problems = ProblemList()
    records: list[dict] = []
    rows_read = 0
    for path in files:
        local = ProblemList()
        found, n = _read_file(Path(path), programme, local, encoding, separator)
        records += found
        rows_read += n
        problems.extend(local)
    df = _frame(records)
    df = quality.check(df, programme, problems)
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
    if problems.errors:
        raise InputError(problems.items)
    return df
