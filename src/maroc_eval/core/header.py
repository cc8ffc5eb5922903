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
from dataclasses import dataclass
from functools import cached_property

from ..base.errors import ProblemList, suggest
from ..base.i18n import N_, _
from .rawtable import RawTable, column_label

HEADER_NAMES = {
    "pair": ("partenariat", "pair", "partnership"),
    "indicator": ("indicateur", "indicator"),
    "year": ("annee", "year"),
    "value": ("valeur", "value"),
    "disaggregation": ("ventilation", "disaggregation"),
    "source": ("source",),
    "comment": ("commentaire", "commentaires", "comment", "comments"),
    "origin": ("origine", "origin"),
    "replaces": ("remplace", "replaces"),
}
"""The columns of a monitoring table. ``origine`` (the received file a value came from) and
``remplace`` (the value it replaces: :mod:`.replacements`) are the bookkeeping of
``maroc-eval importer``: never shown as a commune's source or comment."""


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


@dataclass(frozen=True)
class ColumnSet:
    """The columns a kind of table has: their names (French first, then accepted aliases), the
    required ones, and the two messages of a header that does not fit (French source texts,
    translated when reported)."""

    names: dict[str, tuple[str, ...]]
    required: tuple[str, ...]
    unknown: str
    """« une colonne parmi {accepted} … » — ``{accepted}`` lists the French names."""
    missing: str
    """« une colonne « {name} » dans l'en-tête … »."""

    @cached_property
    def by_name(self) -> dict[str, str]:
        """Every accepted name (normalised) → its column key."""
        return {alias: key for key, names in self.names.items() for alias in names}


MONITORING = ColumnSet(
    HEADER_NAMES, REQUIRED,
    N_("une colonne parmi {accepted} (ou en anglais : pair, indicator, year, value, "
       "disaggregation, source, comment, origin, replaces)"),
    N_("une colonne « {name} » dans l'en-tête (colonnes obligatoires : partenariat, "
       "indicateur, annee, valeur)"))
"""The columns of a monitoring table."""


def map_columns(table: RawTable, problems: ProblemList, spec: ColumnSet
                ) -> dict[str, int] | None:
    """The index of each known column of a table's header; ``None`` when a required one is
    missing (every problem of the header reported).

    Parameters
    ----------
    table : RawTable
        The table read (its header row and where it is).
    problems : ProblemList
        Receives an unknown, a doubled or a missing column, each at the header's line.
    spec : ColumnSet
        The columns expected (:data:`MONITORING`, or the budget's).
    """
    columns: dict[str, int] = {}
    for i, name in enumerate(table.header):
        if not name:
            continue  # a value under a column without a name is reported with its row
        key = spec.by_name.get(normalise_name(name))
        if key is None:
            accepted = ", ".join(names[0] for names in spec.names.values())
            problems.add(table.file, table.header_line, column_label(table, i), name,
                         _(spec.unknown).format(accepted=accepted)
                         + suggest(normalise_name(name), list(spec.by_name)),
                         kind="unknown-column")
        elif key in columns:
            problems.add(table.file, table.header_line, column_label(table, i), name,
                         _("une seule colonne « {value} » (colonne en double)").format(
                             value=spec.names[key][0]),
                         kind="duplicate-column")
        else:
            columns[key] = i
    missing = [spec.names[k][0] for k in spec.required if k not in columns]
    for name in missing:
        problems.add(table.file, table.header_line, name, None,
                     _(spec.missing).format(name=name), kind="missing-column")
    return None if missing else columns


def map_header(table: RawTable, problems: ProblemList) -> dict[str, int] | None:
    """The columns of a monitoring table's header (:func:`map_columns` with
    :data:`MONITORING`)."""
    return map_columns(table, problems, MONITORING)


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
