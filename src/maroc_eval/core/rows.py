"""A monitoring row read against the programme: pair, indicator, year, value, disaggregation.

:class:`RowReader` checks the cells of each data row (codes, years, numbers written the French
way, yes/no, percentages, ordinal stages, bounds) and records every problem with its file, line
and column; a row with an error is left out. The verdict on a row's cells is remembered: a file
repeats the same codes and values over thousands of rows (a bad export repeats the same mistake
over millions), and each distinct combination is checked once.
"""

from __future__ import annotations

import datetime as dt
import operator
import re

from ..base.errors import ERROR, WARNING, ProblemList, suggest
from ..base.fmt import plain as fr
from ..base.i18n import N_, _
from .cells import NO, YES, looks_like_date, parse_number, text, year_of
from .header import REQUIRED, normalise_name
from .programme import Programme
from .programme_items import Indicator
from .rawtable import Cell, RawTable, column_label

_MISSING_HINT = N_("si la donnée n'existe pas, supprimez la ligne")
CHECKED = ("pair", "indicator", "year", "value", "disaggregation")
MAX_REMEMBERED = 100_000
"""Distinct cell combinations whose verdict is kept (bounded memory on any file)."""

Found = list[tuple[str, object, str, str, str]]
"""Problems of a row's cells: (column key, value, expected, kind, severity)."""


class RowReader:
    """Checks the data rows of one table against the programme.

    Parameters
    ----------
    table : RawTable
        The table (its header, file and column names).
    columns : dict
        Column key (``pair``, ``indicator``…) → index, from :func:`~.header.map_header`.
    programme : Programme
        The codes, years, measures and bounds accepted.
    problems : ProblemList
        Receives each problem with its line.
    """

    missing_hint: str = _MISSING_HINT
    """What to do when a datum does not exist (French source): in a long file, delete the row;
    a form's reader says to leave the cell blank."""

    def __init__(self, table: RawTable, columns: dict[str, int], programme: Programme,
                 problems: ProblemList):
        self.table, self.columns, self.programme, self.problems = (
            table, columns, programme, problems)
        self.pairs = {p.lower(): p for p in programme.pair_codes}
        self.first, self.last = programme.baseline_year, programme.period[1]
        self.width = len(table.header)
        self.unnamed = [i for i, h in enumerate(table.header) if not h]
        self.index = [columns.get(k) for k in CHECKED]
        present = [i for i in self.index if i is not None]
        # a CSV row of the header's width: its checked cells as one tuple, at C speed
        self.text_key = operator.itemgetter(*present) if len(present) > 1 else \
            (lambda cells, i=present[0]: (cells[i],))
        self.labels = {k: column_label(table, i) for k, i in columns.items()}
        self.verdicts: dict[tuple, tuple[tuple | None, Found]] = {}
        self.declared: list[tuple[tuple, str, str]] = []
        """Valid rows with a ``remplace`` cell: ``(record, text, column)``
        (:mod:`.replacements`)."""

    # -- one row --------------------------------------------------------------------------
    def read(self, line: int, cells: list) -> tuple | None:
        """The row's values in :data:`maroc_eval.core.observations.COLUMNS` order, or
        ``None`` when it has an error (reported)."""
        text_row = type(cells[0]) is str
        if not text_row and any(c.reported for c in cells):
            return None  # its error is already reported (formula, merged cells)
        irregular = len(cells) != self.width or self.unnamed or not text_row
        if irregular and not self.shape_ok(line, cells):
            return None
        if text_row and len(cells) == self.width:
            key = self.text_key(cells)
        else:
            key = tuple(_key(self.raw(cells, i), cells, i) for i in self.index)
        verdict = self.verdicts.get(key)
        if verdict is None:
            verdict = self.check([self.raw(cells, i) for i in self.index], cells)
            if len(self.verdicts) < MAX_REMEMBERED:
                self.verdicts[key] = verdict
        parsed, found = verdict
        for column, value, expected, kind, severity in found:
            self.problems.add(self.table.file, line, self.labels[column], value, expected,
                              kind=kind, severity=severity)
        if parsed is None:
            return None
        source = text(self.raw(cells, self.columns.get("source")))
        comment = text(self.raw(cells, self.columns.get("comment")))
        record = (*parsed, source, comment, self.table.file, line)
        if "replaces" in self.columns:
            replaces = text(self.raw(cells, self.columns["replaces"]))
            if replaces:
                self.declared.append((record, replaces, self.labels["replaces"]))
        return record

    @staticmethod
    def raw(cells: list, i: int | None):
        if i is None or i >= len(cells):
            return None
        cell = cells[i]
        return cell if isinstance(cell, str) else cell.value

    def shape_ok(self, line: int, cells: list) -> bool:
        """Rows of another width than the header's, or values under a column without a name."""
        n = len(cells)
        if n < self.width and not self.table.letters \
                and any(self.columns[k] >= n for k in REQUIRED):
            self.problems.add(self.table.file, line, None, self.table.separator.join(
                text(self.raw(cells, i)) for i in range(n)),
                _("{width} champs comme l'en-tête, pas {n} (ligne incomplète, fichier tronqué "
                  "ou séparateur différent de celui de l'en-tête ?)").format(
                    width=self.width, n=n), kind="short-row")
            return False
        if n > self.width:
            extra = next((text(self.raw(cells, i)) for i in range(self.width, n)
                          if text(self.raw(cells, i))), "")
            if extra:
                self.problems.add(self.table.file, line, None, extra,
                                  _("{width} champs comme l'en-tête, pas {n} (séparateur dans "
                                    "une valeur ? mettez-la entre guillemets)").format(
                                      width=self.width, n=n), kind="long-row")
                return False
        for i in self.unnamed:
            value = text(self.raw(cells, i))
            if value:
                self.problems.add(self.table.file, line, column_label(self.table, i), value,
                                  _("une valeur sous une colonne qui a un nom : donnez un nom à "
                                    "cette colonne dans l'en-tête ou videz-la"),
                                  kind="unknown-column")
                return False
        return True

    def check(self, values: list, cells: list) -> tuple[tuple | None, Found]:
        """The verdict on a row's checked cells: parsed values (or ``None``) and problems."""
        found: Found = []
        raw_pair, raw_ind, raw_year, raw_value, raw_split = values
        pair = self.pair(text(raw_pair), found)
        indicator = self.indicator(text(raw_ind), found)
        year = self.year(raw_year, found)
        value = self.value(raw_value, _format(cells, self.index[3]), indicator, found)
        dimension, category = self.disaggregation(text(raw_split), indicator, found)
        if any(severity == ERROR for *_, severity in found):
            return None, found
        return (pair, indicator.code, year, value, dimension, category), found

    # -- one cell ------------------------------------------------------------------------
    def pair(self, raw: str, found: Found) -> str | None:
        if not raw:
            found.append(("pair", None, _("un code de partenariat (ex. jette-sidi-bibi)"),
                          "missing-pair", ERROR))
        elif any(bad in raw for bad in ("/", "\\", "..")):
            found.append(("pair", raw, _("un code de partenariat sans « / », « \\ » ni « .. » "
                                         "(ex. jette-sidi-bibi)"), "unsafe-pair", ERROR))
        elif raw.lower() not in self.pairs:
            codes = self.programme.pair_codes
            found.append(("pair", raw, _("un partenariat du programme : ") + ", ".join(codes)
                          + suggest(raw, codes), "unknown-pair", ERROR))
        else:
            return self.pairs[raw.lower()]
        return None

    def indicator(self, raw: str, found: Found) -> Indicator | None:
        code = re.sub(r"\s+", "", raw).upper()
        indicator = self.programme.indicator_map.get(code)
        if indicator is None:
            codes = list(self.programme.indicator_map)
            what = _("un code d'indicateur (ex. RI1.1)") if not raw else \
                _("un indicateur du cadre logique (RI1.1 … RI7.4){hint}").format(
                    hint=suggest(code, codes))
            found.append(("indicator", raw or None, what,
                          "missing-indicator" if not raw else "unknown-indicator", ERROR))
        return indicator

    def year(self, raw: object, found: Found) -> int | None:
        expected = _("une année (ex. 2009) entre {first} et {last}").format(
                       first=self.first, last=self.last)
        year = year_of(raw)
        if year is None:
            date = looks_like_date(raw)
            kind = "date-year" if date else ("missing-year" if raw in (None, "") else "bad-year")
            found.append(("year", text(raw) or None,
                          expected + (_(" — une année, pas une date") if date else ""), kind,
                          ERROR))
        elif not self.first <= year <= self.last:
            found.append(("year", year, expected + _(" ({first} = situation de référence)").format(
                                                       first=self.first),
                          "year-out-of-range", ERROR))
            year = None
        return year

    def value(self, raw: object, number_format: str, ind: Indicator | None,
              found: Found) -> float | None:
        measure = ind.measure if ind else None
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            found.append(("value", None, _("une valeur (valeur manquante : supprimez la ligne "
                                           "si la donnée n'existe pas)"), "missing-value", ERROR))
            return None
        if measure == "oui_non":
            return self.yes_no(raw, found)
        if isinstance(raw, bool | dt.date):
            found.append(("value", text(raw), _("un nombre ; {missing_hint}").format(
                                                  missing_hint=_(self.missing_hint)),
                          "not-numeric", ERROR))
            return None
        if isinstance(raw, int | float):
            value = float(raw)
            if "%" in number_format and measure == "pourcentage":
                value = round(value * 100, 9)
                found.append(("value", fr(raw),
                              _("un nombre de 0 à 100 ; cellule au format pourcentage d'Excel, "
                                "lue comme {value} %").format(value=fr(value)), "percent-format",
                              WARNING))
        else:
            parsed = parse_number(str(raw))
            if parsed is None:
                found.append(("value", raw, _("un nombre (ex. 12 ou 12,5) ; {missing_hint}").format(
                                                missing_hint=_(self.missing_hint)),
                              "not-numeric", ERROR))
                return None
            value, percent = parsed
            if percent and measure == "pourcentage":
                found.append(("value", raw,
                              _("un nombre sans « % » (accepté : lu comme {value})").format(
                                  value=fr(value)), "percent-sign", WARNING))
            elif percent:
                found.append(("value", raw, _("un nombre sans « % » (l'indicateur {code} n'est "
                                              "pas un pourcentage : {unit})").format(
                                                code=ind.code, unit=ind.unit) if ind else
                              _("un nombre sans « % »"), "percent-sign", ERROR))
                return None
        return self.in_range(value, raw, ind, found) if ind else value

    def yes_no(self, raw: object, found: Found) -> float | None:
        if isinstance(raw, bool):
            return float(raw)
        word = text(raw).lower()
        if word in YES or word in ("1.0", "1,0"):
            return 1.0
        if word in NO or word in ("0.0", "0,0"):
            return 0.0
        found.append(("value", text(raw), _("oui ou non (ou 1 / 0)"), "out-of-range", ERROR))
        return None

    def in_range(self, value: float, raw: object, ind: Indicator, found: Found) -> float | None:
        low, high = ind.value_range
        if ind.measure == "ordinal":
            if not value.is_integer() or int(value) not in ind.levels:
                levels = ", ".join(f"{k} ({v})" for k, v in ind.levels.items())
                found.append(("value", text(raw), _("un stade entier parmi {levels}").format(
                                                      levels=levels),
                              "out-of-range", ERROR))
                return None
        elif (low is not None and value < low) or (high is not None and value > high):
            if ind.measure == "pourcentage":
                expected = _("un pourcentage entre 0 et 100")
            elif high is None:
                expected = _("un nombre positif ou nul")
            else:
                expected = _("un nombre entre {low} et {high}").format(
                               low=fr(low), high=fr(high))
            found.append(("value", text(raw), expected, "out-of-range", ERROR))
            return None
        return value

    def disaggregation(self, raw: str, ind: Indicator | None, found: Found) -> tuple[str, str]:
        if not raw:
            return "", ""
        dims = self.programme.dimensions
        match = re.fullmatch(r"\s*([^=:]+?)\s*[=:]\s*(.+?)\s*", raw)
        if not match:
            found.append(("disaggregation", raw, _("une ventilation de la forme "
                                                   "dimension=modalité (ex. sexe=F), ou rien"),
                          "bad-disaggregation", ERROR))
            return "", ""
        dim, cat = normalise_name(match.group(1)), match.group(2)
        if dim not in dims:
            found.append(("disaggregation", raw, _("une ventilation parmi ") + ", ".join(dims)
                          + suggest(dim, list(dims)), "unknown-dimension", ERROR))
            return "", ""
        if ind is not None and dim not in ind.dimensions:
            has = ", ".join(ind.dimensions) if ind.dimensions else None
            found.append(("disaggregation", raw, _("une ventilation par {has} pour {code}").format(
                                                     has=has, code=ind.code)
                          if has else _("aucune ventilation : {code} n'est pas ventilé (laissez "
                                        "la cellule vide)").format(
                                          code=ind.code), "wrong-dimension", ERROR))
            return "", ""
        categories = {c.lower(): c for c in dims[dim].categories}
        if cat.lower() not in categories:
            names = list(dims[dim].categories)
            found.append(("disaggregation", raw, _("une modalité de {dim} parmi ").format(
                                                     dim=dim)
                          + ", ".join(names) + suggest(cat, names), "unknown-category", ERROR))
            return "", ""
        return dim, categories[cat.lower()]


def _key(value, cells: list, i: int | None):
    """A cell's part of a row's key: text as is, other values with their type and format."""
    return value if isinstance(value, str | None) else (type(value), value, _format(cells, i))


def _format(cells: list, i: int | None) -> str:
    """The Excel number format of a cell (``""`` for CSV text)."""
    if i is None or i >= len(cells) or isinstance(cells[i], str):
        return ""
    return cells[i].number_format if isinstance(cells[i], Cell) else ""
