"""A monitoring table's columns and rows read against the programme.

:func:`map_header` finds the columns (French or English names, accents and case ignored).

:class:`RowReader` checks each cell of a data row (codes, years, numbers written the French
way, yes/no, percentages, ordinal stages, bounds) and records every problem with its file, line
and column; a row with an error is left out.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from ..errors import WARNING, ProblemList, suggest
from ..fmt import plain as fr
from .programme import Indicator, Programme
from .sheets import Cell, RawTable, column_label

YES = {"oui", "o", "yes", "y", "vrai", "true", "1"}


NO = {"non", "n", "no", "faux", "false", "0"}


_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


_THOUSANDS = re.compile(r"(?<=\d)[ \u00a0\u202f'](?=\d{3}(?:\D|$))")


_YEAR = re.compile(r"(\d{4})(?:[.,]0+)?")


_MISSING_HINT = "si la donnée n'existe pas, supprimez la ligne"


def parse_number(text: str) -> tuple[float, bool] | None:
    """Read ``12``, ``12,5``, ``1 234,5``, ``1.234,5``, ``45 %``; ``None`` if not a number.

    Returns
    -------
    tuple of (float, bool) or None
        The number and whether it was written with a ``%`` sign.
    """
    t = text.strip()
    percent = t.endswith("%")
    if percent:
        t = t[:-1].rstrip()
    t = _THOUSANDS.sub("", t)
    if "," in t and "." in t:
        t = t.replace(".", "").replace(",", ".") if t.rfind(",") > t.rfind(".") else t.replace(",", "")
    elif t.count(",") == 1:
        t = t.replace(",", ".")
    elif t.count(",") > 1 and re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+", t):
        t = t.replace(",", "")
    elif t.count(".") > 1 and re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+", t):
        t = t.replace(".", "")
    if not _NUMBER.fullmatch(t):
        return None
    return float(t), percent


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    return str(value).strip()


HEADER_NAMES = {
    "pair": ("partenariat", "pair", "partnership"),
    "indicator": ("indicateur", "indicator"),
    "year": ("annee", "year"),
    "value": ("valeur", "value"),
    "disaggregation": ("ventilation", "disaggregation"),
    "source": ("source",),
    "comment": ("commentaire", "commentaires", "comment", "comments"),
}


REQUIRED = ("pair", "indicator", "year", "value")


def normalise_name(name: str) -> str:
    """A header cell reduced for matching: no accents, lower case, ``_`` for spaces."""
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    return re.sub(r"[\s\-]+", "_", text.strip().lower())


_BY_NAME = {alias: key for key, names in HEADER_NAMES.items() for alias in names}


def map_header(table: RawTable, problems: ProblemList) -> dict[str, int] | None:
    columns: dict[str, int] = {}
    for i, name in enumerate(table.header):
        if not name:
            if any(i < len(c) and c[i].value not in (None, "") for _, c in table.rows):
                problems.add(table.file, table.header_line, column_label(table, i), None,
                             "un nom de colonne (cette colonne a des valeurs mais pas d'en-tête)",
                             kind="unknown-column")
            continue
        key = _BY_NAME.get(normalise_name(name))
        if key is None:
            accepted = ", ".join(names[0] for names in HEADER_NAMES.values())
            problems.add(table.file, table.header_line, column_label(table, i), name,
                         f"une colonne parmi {accepted} (ou en anglais : pair, indicator, year, "
                         f"value, disaggregation, source, comment){suggest(normalise_name(name), list(_BY_NAME))}",
                         kind="unknown-column")
        elif key in columns:
            problems.add(table.file, table.header_line, column_label(table, i), name,
                         f"une seule colonne « {HEADER_NAMES[key][0]} » (colonne en double)",
                         kind="duplicate-column")
        else:
            columns[key] = i
    missing = [HEADER_NAMES[k][0] for k in REQUIRED if k not in columns]
    for name in missing:
        problems.add(table.file, table.header_line, name, None,
                     f"une colonne « {name} » dans l'en-tête (colonnes obligatoires : "
                     "partenariat, indicateur, annee, valeur)", kind="missing-column")
    return None if missing else columns


class RowReader:
    """Parses the cells of one data row against the programme, recording problems."""

    def __init__(self, table: RawTable, columns: dict[str, int], programme: Programme,
                 problems: ProblemList):
        self.table, self.columns, self.programme, self.problems = table, columns, programme, problems
        self.pairs = {p.lower(): p for p in programme.pair_codes}
        self.first, self.last = programme.baseline_year, programme.period[1]

    def cell(self, cells: list[Cell], key: str) -> Cell:
        i = self.columns.get(key)
        return cells[i] if i is not None and i < len(cells) else Cell(None)

    def error(self, line: int, key: str, value, expected: str, kind: str, severity="erreur"):
        self.problems.add(self.table.file, line, column_label(self.table, self.columns[key]),
                          value, expected, kind=kind, severity=severity)

    def read(self, line: int, cells: list[Cell]) -> dict | None:
        if any(c.reported for c in cells):
            return None  # its error is already reported (encoding, formula, merged cells)
        before = len(self.problems.items)
        if len(cells) < len(self.table.header) and self.table.letters is False:
            absent = [k for k in REQUIRED if self.columns[k] >= len(cells)]
            if absent:
                self.problems.add(self.table.file, line, None,
                                  self.table.separator.join(_text(c.value) for c in cells),
                                  f"{len(self.table.header)} champs comme l'en-tête, pas "
                                  f"{len(cells)} (ligne incomplète, fichier tronqué ou séparateur "
                                  "différent de celui de l'en-tête ?)", kind="short-row")
                return None
        extra = [c for c in cells[len(self.table.header):] if _text(c.value)]
        if extra:
            self.problems.add(self.table.file, line, None, _text(extra[0].value),
                              f"{len(self.table.header)} champs comme l'en-tête, pas {len(cells)} "
                              "(séparateur dans une valeur ? mettez-la entre guillemets)",
                              kind="long-row")
            return None
        pair = self.pair(line, _text(self.cell(cells, "pair").value))
        indicator = self.indicator(line, _text(self.cell(cells, "indicator").value))
        year = self.year(line, self.cell(cells, "year").value)
        value = self.value(line, self.cell(cells, "value"), indicator)
        dimension, category = self.disaggregation(line, cells, indicator)
        if any(p.is_error for p in self.problems.items[before:]):
            return None
        return {"pair": pair, "indicator": indicator.code, "year": year, "value": value,
                "dimension": dimension, "category": category,
                "source": _text(self.cell(cells, "source").value),
                "comment": _text(self.cell(cells, "comment").value),
                "file": self.table.file, "line": line}

    def pair(self, line: int, raw: str) -> str | None:
        if not raw:
            self.error(line, "pair", None, "un code de partenariat (ex. jette-sidi-bibi)", "missing-pair")
        elif any(bad in raw for bad in ("/", "\\", "..")):
            self.error(line, "pair", raw, "un code de partenariat sans « / », « \\ » ni « .. » "
                       "(ex. jette-sidi-bibi)", "unsafe-pair")
        elif raw.lower() not in self.pairs:
            self.error(line, "pair", raw, "un partenariat du programme : "
                       + ", ".join(self.programme.pair_codes)
                       + suggest(raw, self.programme.pair_codes), "unknown-pair")
        else:
            return self.pairs[raw.lower()]
        return None

    def indicator(self, line: int, raw: str) -> Indicator | None:
        code = re.sub(r"\s+", "", raw).upper()
        found = self.programme.indicator_map.get(code)
        if found is None:
            codes = list(self.programme.indicator_map)
            what = "un code d'indicateur (ex. RI1.1)" if not raw else \
                f"un indicateur du cadre logique (RI1.1 … RI7.4){suggest(code, codes)}"
            self.error(line, "indicator", raw or None, what,
                       "missing-indicator" if not raw else "unknown-indicator")
        return found

    def year(self, line: int, raw: object) -> int | None:
        expected = f"une année (ex. 2009) entre {self.first} et {self.last}"
        year = None
        if isinstance(raw, int | float) and not isinstance(raw, bool) and float(raw).is_integer():
            year = int(raw)
        elif isinstance(raw, str) and _YEAR.fullmatch(raw.strip()):
            year = int(_YEAR.fullmatch(raw.strip()).group(1))
        if year is None:
            date = isinstance(raw, dt.date) or (isinstance(raw, str) and re.search(r"\d[/-]\d", raw))
            kind = "date-year" if date else ("missing-year" if raw in (None, "") else "bad-year")
            self.error(line, "year", _text(raw) or None,
                       expected + (" — une année, pas une date" if date else ""), kind)
        elif not self.first <= year <= self.last:
            self.error(line, "year", year, expected + f" ({self.first} = situation de référence)",
                       "year-out-of-range")
            year = None
        return year

    def value(self, line: int, cell: Cell, ind: Indicator | None) -> float | None:
        raw = cell.value
        measure = ind.measure if ind else None
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            self.error(line, "value", None, "une valeur (valeur manquante : supprimez la ligne "
                       "si la donnée n'existe pas)", "missing-value")
            return None
        if measure == "oui_non":
            return self.yes_no(line, raw)
        if isinstance(raw, (bool, dt.date)):
            self.error(line, "value", _text(raw), f"un nombre ; {_MISSING_HINT}", "not-numeric")
            return None
        if isinstance(raw, int | float):
            value = float(raw)
            if "%" in cell.number_format and measure == "pourcentage":
                value = round(value * 100, 9)
                self.error(line, "value", fr(raw), f"un nombre de 0 à 100 ; cellule au format "
                           f"pourcentage d'Excel, lue comme {fr(value)} %",
                           "percent-format", WARNING)
        else:
            parsed = parse_number(str(raw))
            if parsed is None:
                self.error(line, "value", raw, f"un nombre (ex. 12 ou 12,5) ; {_MISSING_HINT}",
                           "not-numeric")
                return None
            value, percent = parsed
            if percent and measure == "pourcentage":
                self.error(line, "value", raw, f"un nombre sans « % » (accepté : lu comme "
                           f"{fr(value)})", "percent-sign", WARNING)
            elif percent:
                self.error(line, "value", raw, f"un nombre sans « % » (l'indicateur {ind.code} "
                           f"n'est pas un pourcentage : {ind.unit})" if ind else "un nombre sans « % »",
                           "percent-sign")
                return None
        return self.in_range(line, value, raw, ind) if ind else value

    def yes_no(self, line: int, raw: object) -> float | None:
        text = _text(raw).lower()
        if isinstance(raw, bool):
            return float(raw)
        if text in YES or text in ("1.0", "1,0"):
            return 1.0
        if text in NO or text in ("0.0", "0,0"):
            return 0.0
        self.error(line, "value", _text(raw), "oui ou non (ou 1 / 0)", "out-of-range")
        return None

    def in_range(self, line: int, value: float, raw: object, ind: Indicator) -> float | None:
        low, high = ind.value_range
        if ind.measure == "ordinal":
            if not value.is_integer() or int(value) not in ind.levels:
                levels = ", ".join(f"{k} ({v})" for k, v in ind.levels.items())
                self.error(line, "value", _text(raw), f"un stade entier parmi {levels}", "out-of-range")
                return None
        elif (low is not None and value < low) or (high is not None and value > high):
            if ind.measure == "pourcentage":
                expected = "un pourcentage entre 0 et 100"
            elif high is None:
                expected = "un nombre positif ou nul"
            else:
                expected = f"un nombre entre {fr(low)} et {fr(high)}"
            self.error(line, "value", _text(raw), expected, "out-of-range")
            return None
        return value

    def disaggregation(self, line: int, cells: list[Cell], ind: Indicator | None) -> tuple[str, str]:
        raw = _text(self.cell(cells, "disaggregation").value)
        if not raw:
            return "", ""
        dims = self.programme.dimensions
        match = re.fullmatch(r"\s*([^=:]+?)\s*[=:]\s*(.+?)\s*", raw)
        if not match:
            self.error(line, "disaggregation", raw, "une ventilation de la forme dimension=modalité "
                       "(ex. sexe=F), ou rien", "bad-disaggregation")
            return "", ""
        dim, cat = normalise_name(match.group(1)), match.group(2)
        if dim not in dims:
            self.error(line, "disaggregation", raw, "une ventilation parmi "
                       + ", ".join(dims) + suggest(dim, list(dims)), "unknown-dimension")
            return "", ""
        if ind is not None and dim not in ind.dimensions:
            has = ", ".join(ind.dimensions) if ind.dimensions else None
            self.error(line, "disaggregation", raw,
                       f"une ventilation par {has} pour {ind.code}" if has else
                       f"aucune ventilation : {ind.code} n'est pas ventilé (laissez la cellule vide)",
                       "wrong-dimension")
            return "", ""
        categories = {c.lower(): c for c in dims[dim].categories}
        if cat.lower() not in categories:
            self.error(line, "disaggregation", raw, f"une modalité de {dim} parmi "
                       + ", ".join(dims[dim].categories) + suggest(cat, list(dims[dim].categories)),
                       "unknown-category")
            return "", ""
        return dim, categories[cat.lower()]
