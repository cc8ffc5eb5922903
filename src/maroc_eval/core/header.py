"""A monitoring table's header: which column is which, and where the header really is.

Column names are matched without accents or case, in French or English (``annee`` / ``year``…).
A title row above the header (« Suivi 2011 — Tanger ») is recognised as such: the file is
refused with one message naming the line where the header seems to be, not with five
unrelated ones.
"""

from __future__ import annotations

import itertools
import re
import unicodedata

from ..errors import ProblemList, suggest
from ..i18n import _
from .sheets import RawTable, column_label

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


def header_fits(header: list[str]) -> bool:
    """Whether a row of cells names every required column (for finding a misplaced header)."""
    found = {_BY_NAME.get(normalise_name(h)) for h in header if h}
    return all(k in found for k in REQUIRED)


def map_header(table: RawTable, problems: ProblemList) -> dict[str, int] | None:
    """The index of each known column of a table's header; ``None`` when a required one is
    missing (every problem of the header reported)."""
    columns: dict[str, int] = {}
    for i, name in enumerate(table.header):
        if not name:
            continue  # a value under a column without a name is reported with its row
        key = _BY_NAME.get(normalise_name(name))
        if key is None:
            accepted = ", ".join(names[0] for names in HEADER_NAMES.values())
            problems.add(table.file, table.header_line, column_label(table, i), name,
                         _("une colonne parmi {accepted} (ou en anglais : pair, indicator, "
                           "year, value, disaggregation, source, comment)").format(
                             accepted=accepted)
                         + suggest(normalise_name(name), list(_BY_NAME)), kind="unknown-column")
        elif key in columns:
            problems.add(table.file, table.header_line, column_label(table, i), name,
                         _("une seule colonne « {value} » (colonne en double)").format(
                             value=HEADER_NAMES[key][0]),
                         kind="duplicate-column")
        else:
            columns[key] = i
    missing = [HEADER_NAMES[k][0] for k in REQUIRED if k not in columns]
    for name in missing:
        problems.add(table.file, table.header_line, name, None,
                     _("une colonne « {name} » dans l'en-tête (colonnes obligatoires : "
                       "partenariat, indicateur, annee, valeur)").format(
                         name=name), kind="missing-column")
    return None if missing else columns


LOOK_AHEAD = 10
"""Rows looked at below a header that does not fit, for the real one."""


def locate_header(table: RawTable, problems: ProblemList) -> dict[str, int] | None:
    """The columns of a table, or ``None`` when its header does not fit (reported).

    When one of the next rows names every required column, the first row was a title: a single
    problem says where the header seems to be, instead of one per unknown or missing column.
    The rows are not read otherwise: a file whose header does not fit costs its header only.
    """
    found = ProblemList()
    columns = map_header(table, found)
    if columns is not None:
        problems.extend(found)
        return columns
    for line, cells in itertools.islice(table.rows, LOOK_AHEAD):
        names = [cell if isinstance(cell, str) else ("" if cell.value is None else str(cell.value))
                 for cell in cells]
        if header_fits(names):
            shown = " ".join(h for h in table.header if h)
            problems.add(table.file, table.header_line, None, shown,
                         _("l'en-tête (partenariat, indicateur, annee, valeur…) en première "
                           "ligne : l'en-tête semble être à la ligne {line} ; supprimez les "
                           "lignes au-dessus (titre, notes)").format(
                             line=line), kind="header-below")
            return None
    problems.extend(found)
    return None
