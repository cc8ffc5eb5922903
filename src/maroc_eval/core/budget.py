"""The budget file (``budget.csv``): planned and executed amounts per pair, year and budget line.

One row per pair, year and line (``poste``: an intermediate result ``RI1``…``RI7`` or
``coordination``), amounts in the currency the programme declares (``budget: devise: EUR`` in
``params/programme.yml``). The file is read as monitoring files are (:mod:`maroc_eval.core.sheets`:
UTF-8, UTF-8 with BOM or Windows-1252, ``,`` or ``;``, ``#`` comment lines, French numbers) and
every problem is collected with its file, line, column, value and what was expected, in French.

The table has the columns :data:`COLUMNS`, sorted by pair, year and line.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..base import paths
from ..base.errors import WARNING, ProblemList, display_path, suggest
from ..base.fmt import number
from ..base.i18n import N_, _
from .cells import looks_like_date, parse_number, text, year_of
from .header import ColumnSet, map_columns
from .programme import Programme
from .rawtable import Cell, RawTable, column_label
from .sheets import read_table

COLUMNS = ["pair", "year", "item", "planned", "executed", "source", "comment", "file", "line"]

HEADER_NAMES = {
    "pair": ("partenariat", "pair", "partnership"),
    "year": ("annee", "year"),
    "item": ("poste", "item", "budget_line"),
    "planned": ("prevu", "planned", "budget_prevu"),
    "executed": ("execute", "executed", "budget_execute"),
    "source": ("source",),
    "comment": ("commentaire", "commentaires", "comment", "comments"),
}
REQUIRED = ("pair", "year", "item", "planned", "executed")
BUDGET = ColumnSet(
    HEADER_NAMES, REQUIRED,
    N_("une colonne parmi partenariat, annee, poste, prevu, execute, source, commentaire"),
    N_("une colonne « {name} » dans l'en-tête (colonnes obligatoires : partenariat, annee, "
       "poste, prevu, execute)"))
"""The columns of a budget table (:func:`~maroc_eval.core.header.map_columns`)."""

OVERRUN = 1.5
"""Executed above this share of planned is reported as a warning (150 %)."""

_CURRENCY_MARKS = ("€", "eur", "euros", "euro")


def empty_budget() -> pd.DataFrame:
    """A budget table without rows, with the right columns and types."""
    return _frame([])


def _frame(records: list[tuple]) -> pd.DataFrame:
    df = pd.DataFrame.from_records(records, columns=COLUMNS)
    df = df.astype({"year": "int64", "planned": "float64", "executed": "float64",
                    "line": "int64", **dict.fromkeys(("pair", "item", "source", "comment",
                                                      "file"), str)})
    return df.sort_values(["pair", "year", "item", "line"], kind="stable").reset_index(drop=True)


class _RowChecker:
    """Checks the budget rows of one table against the programme."""

    def __init__(self, table: RawTable, columns: dict[str, int], programme: Programme,
                 problems: ProblemList):
        self.table, self.columns, self.problems = table, columns, problems
        self.pairs = {p.lower(): p for p in programme.pair_codes}
        self.items = {i.lower(): i for i in programme.budget.items}
        self.first, self.last = programme.period
        self.currency = programme.budget.currency
        self.labels = {k: column_label(table, i) for k, i in columns.items()}
        self.seen: dict[tuple[str, int, str], tuple[int, float, float]] = {}

    def read(self, line: int, cells: list) -> tuple | None:
        """The row as a tuple of :data:`COLUMNS`, or ``None`` when it has an error (reported)."""
        if isinstance(cells[0], Cell) and any(c.reported for c in cells):
            return None
        raw = {key: _cell(cells, index) for key, index in self.columns.items()}
        pair = self._pair(line, raw["pair"])
        year = self._year(line, raw["year"])
        item = self._item(line, raw["item"])
        planned = self._amount(line, "planned", raw["planned"])
        executed = self._amount(line, "executed", raw["executed"])
        extra = [_cell(cells, i) for i in range(len(self.table.header), len(cells))]
        extra = [value for value in extra if value]
        if extra:
            self.problems.add(self.table.file, line, _("colonne {n}").format(
                                                         n=len(self.table.header) + 1),
                              extra[0], _("pas plus de cellules que de colonnes dans l'en-tête"),
                              kind="long-row")
        if extra or any(v is None for v in (pair, year, item, planned, executed)):
            return None
        if executed > OVERRUN * planned:
            share = f", soit {number(executed / planned * 100, 0)} %" if planned else ""
            self._add(line, "executed", raw["executed"],
                      _("un montant exécuté d'au plus {number} % du prévu ({executed} exécutés "
                        "pour {planned} prévus{share}) : vérifiez le montant").format(
                          number=number(OVERRUN * 100, 0), executed=self.money(executed),
                          planned=self.money(planned), share=share), "overrun", severity=WARNING)
        key = (pair, year, item)
        if key in self.seen:
            first_line, p0, e0 = self.seen[key]
            if (p0, e0) == (planned, executed):
                self._add(line, "item", raw["item"], _("une seule ligne par partenariat, année "
                                                       "et poste : copie identique de la ligne "
                                                       "{first_line}, ignorée").format(
                                                         first_line=first_line),
                          "duplicate", severity=WARNING)
            else:
                self._add(line, "item", raw["item"], _("une seule ligne par partenariat, année "
                                                       "et poste : la ligne {first_line} donne "
                                                       "déjà {pair} {year} {item} (prévu {p0}, "
                                                       "exécuté {e0})").format(
                                                         first_line=first_line, pair=pair,
                                                         year=year, item=item, p0=self.money(p0),
                                                         e0=self.money(e0)), "duplicate")
            return None
        self.seen[key] = (line, planned, executed)
        return (pair, year, item, planned, executed, raw.get("source", ""),
                raw.get("comment", ""), self.table.file, line)

    def money(self, amount: float) -> str:
        """An amount as messages print it: ``12 000 €``."""
        return f"{number(amount, 0)} {'€' if self.currency == 'EUR' else self.currency}"

    def _add(self, line: int, key: str, value, expected: str, kind: str, **kw) -> None:
        self.problems.add(self.table.file, line, self.labels[key], value, expected, kind=kind,
                          **kw)

    def _pair(self, line: int, value: str) -> str | None:
        if not value:
            self._add(line, "pair", None, _("un code de partenariat"), "missing-pair")
            return None
        found = self.pairs.get(value.lower())
        if found is None:
            self._add(line, "pair", value, _("un partenariat du programme")
                      + suggest(value, list(self.pairs.values())), "unknown-pair")
        return found

    def _year(self, line: int, value: str) -> int | None:
        if not value:
            self._add(line, "year", None, _("une année de {first} à {last}").format(
                                              first=self.first, last=self.last),
                      "missing-year")
            return None
        year = year_of(value)
        if year is None:
            kind = "date-year" if looks_like_date(value) else "bad-year"
            self._add(line, "year", value,
                      _("une année (ex. {first}), pas une date ni un texte").format(
                                               first=self.first), kind)
            return None
        if not self.first <= year <= self.last:
            self._add(line, "year", value, _("une année du programme, de {first} à {last} (le "
                                             "budget couvre les années du programme)").format(
                                               first=self.first, last=self.last),
                      "year-out-of-range")
            return None
        return year

    def _item(self, line: int, value: str) -> str | None:
        choices = list(self.items.values())
        if not value:
            self._add(line, "item", None, _("un poste : ") + ", ".join(choices), "missing-item")
            return None
        found = self.items.get(value.replace(" ", "").lower())
        if found is None:
            self._add(line, "item", value, _("un poste du budget (") + ", ".join(choices) + ")"
                      + suggest(value, choices), "unknown-item")
        return found

    def _amount(self, line: int, key: str, value: str) -> float | None:
        what = "prévu" if key == "planned" else "exécuté"
        if not value:
            self._add(line, key, None, _("un montant {what} en euros (0 s'il est nul)").format(
                                           what=what),
                      "missing-value")
            return None
        cleaned = value.strip()
        for mark in _CURRENCY_MARKS:
            if cleaned.lower().endswith(mark):
                cleaned = cleaned[: -len(mark)].rstrip()
                break
        parsed = parse_number(cleaned)
        if parsed is None or parsed[1]:
            self._add(line, key, value,
                      _("un montant {what} en euros (ex. 12 500 ou 12 500,50)").format(
                                            what=what),
                      "not-numeric")
            return None
        amount = parsed[0]
        if amount < 0:
            self._add(line, key, value,
                      _("un montant {what} positif ou nul (en euros) ; une annulation se note en "
                        "réduisant le montant de l'année").format(what=what), "negative")
            return None
        return amount


def _cell(cells: list, index: int | None) -> str:
    if index is None or index >= len(cells):
        return ""
    raw = cells[index]
    return text(raw.value if isinstance(raw, Cell) else raw)


def _set_checks(df: pd.DataFrame, programme: Programme, problems: ProblemList, file: str) -> None:
    """Warnings on the file as a whole: pairs without budget, years missing for a pair."""
    first = programme.period[0]
    for pair in programme.pair_codes:
        years = set(df.loc[df["pair"] == pair, "year"])
        if not years:
            problems.add(file, None, "partenariat", pair, _("des lignes de budget pour chaque "
                                                            "partenariat : sans elles, son "
                                                            "efficience ne peut être appréciée"),
                         kind="budget-missing-pair", severity=WARNING)
            continue
        gaps = [y for y in range(first, max(years) + 1) if y not in years]
        if gaps:
            problems.add(file, None, "annee", f"{pair} : " + ", ".join(map(str, gaps)),
                         _("des lignes de budget pour chaque année de {first} à {years} : sans "
                           "elles, l'efficience ne peut être appréciée aux phases qui couvrent "
                           "ces années").format(
                             first=first, years=max(years)), kind="budget-missing-year",
                             severity=WARNING)


def read_budget(path: Path | str, programme: Programme, *, encoding: str | None = None,
                separator: str | None = None) -> tuple[pd.DataFrame, ProblemList]:
    """Read a budget file and return its table with every problem, without raising.

    Parameters
    ----------
    path : Path or str
        The budget file (``budget.csv``).
    programme : Programme
        The programme: pairs, period, and its ``budget`` declaration (currency, lines).
    encoding, separator : str, optional
        Force the CSV encoding or separator (detected otherwise).

    Returns
    -------
    tuple of (DataFrame, ProblemList)
        The valid rows (:data:`COLUMNS`; an identical duplicate kept once) and the errors and
        warnings, in line order.
    """
    problems = ProblemList()
    shown = display_path(Path(path))
    if programme.budget is None:
        problems.add(shown, None, None, None, _("une déclaration du budget dans le programme "
                                                "(clé « budget » de params/programme.yml : "
                                                "devise, postes)"),
                     kind="budget-undeclared")
        return empty_budget(), problems
    table = read_table(path, problems, encoding=encoding, separator=separator)
    if table is None:
        return empty_budget(), problems
    records: list[tuple] = []
    try:
        columns = map_columns(table, problems, BUDGET)
        if columns is None:
            return empty_budget(), problems
        checker = _RowChecker(table, columns, programme, problems)
        n = 0
        for line, cells in table.rows:
            n += 1
            record = checker.read(line, cells)
            if record is not None:
                records.append(record)
        if not n and not table.stopped:
            problems.add(table.file, table.header_line, None, None, _("au moins une ligne de "
                                                                      "budget sous l'en-tête "
                                                                      "(le fichier ne contient "
                                                                      "que l'en-tête)"),
                         kind="no-data")
    finally:
        if table.close is not None:
            table.close()
    df = _frame(records)
    if len(df):
        _set_checks(df, programme, problems, table.file)
    problems.items.sort(key=lambda p: (p.line is None, p.line or 0))
    return df, problems


def load_budget(data_dir: Path | str, programme: Programme) -> pd.DataFrame | None:
    """The budget table of a data folder, ``None`` when the folder has no budget file.

    Parameters
    ----------
    data_dir : Path or str
        The data folder (its ``budget.csv``: :func:`maroc_eval.base.paths.budget_file`).
    programme : Programme
        The programme.

    Returns
    -------
    DataFrame or None
        Columns :data:`COLUMNS`.

    Raises
    ------
    InputError
        Every problem of the file when at least one is an error.
    """
    path = paths.budget_file(Path(data_dir))
    if not path.is_file():
        return None
    df, problems = read_budget(path, programme)
    problems.raise_if_errors()
    return df
