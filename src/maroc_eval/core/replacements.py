"""Values that replace others: the ``remplace`` column of a monitoring file.

The files of a data folder are never edited to change a value (raw data are immutable):
``maroc-eval importer --remplacer`` writes the new value in the file of its import
(``collecte-….csv``) and says in its column ``remplace`` which value it replaces, as
``suivi.csv:640=2`` — the file (its name, in the same folder), the line it was read from (for
the reader; lines move when a file is edited) and the value replaced. Reading the folder, every
command then leaves out, for the same pair, indicator, year and disaggregation, the rows of that
file holding that value. The rule is the same for every command and every order of the files:

- every declaration applies, even that of a row replaced later in its turn (a value replaced
  twice leaves only the last one);
- a declaration whose row is gone (the file was corrected by hand) takes nothing out;
- a row of the declared file with the same key and another value is not taken out: both values
  stay, a contradictory duplicate reported with its two lines;
- a key all of whose rows would be taken out (declarations in a circle) is an error.

Undoing an import is deleting its file: the values it replaced come back.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

from ..base.errors import ProblemList
from ..base.fmt import plain
from ..base.i18n import _

_DECLARATION = re.compile(r"^\s*(?P<file>[^/\\]+?):(?P<line>\d+)\s*=\s*(?P<value>\S+)\s*$")
FILE, LINE = 8, 9
"""Positions of the file and the line in an observation record (``observations.COLUMNS``)."""


def declaration(file: str, line: int, value: float) -> str:
    """The ``remplace`` cell of a value replacing ``value`` of ``file`` (line ``line``)."""
    number = str(int(value)) if float(value).is_integer() else repr(float(value))
    return f"{Path(file).name}:{line}={number}"


def parse_declaration(text: str) -> tuple[str, int, float] | None:
    """``"suivi.csv:640=2"`` → ``("suivi.csv", 640, 2.0)``; ``None`` when it is not one."""
    match = _DECLARATION.match(text or "")
    if not match:
        return None
    try:
        value = float(match["value"].replace(",", "."))
    except ValueError:
        return None
    if not math.isfinite(value):
        return None
    return match["file"], int(match["line"]), value


def _key(record: tuple) -> tuple:
    return record[0], record[1], record[2], record[4], record[5]


def apply_replacements(records: list[tuple], declared: list[tuple[tuple, str, str]],
                       problems: ProblemList) -> list[tuple]:
    """The records without those that others replace (see the module's rule).

    Parameters
    ----------
    records : list of tuple
        Valid observation records (``observations.COLUMNS`` order).
    declared : list of (record, text, column)
        Each record with a non-empty ``remplace`` cell, that cell's text and the column's name
        as messages show it.
    problems : ProblemList
        Receives a declaration that cannot be read, and keys emptied by a circle.

    Returns
    -------
    list of tuple
    """
    targets: dict[tuple, list[tuple[float, tuple]]] = {}
    for record, text, column in declared:
        parsed = parse_declaration(text)
        if parsed is None:
            problems.add(record[FILE], record[LINE], column, text,
                         _("la valeur que cette ligne remplace, sous la forme fichier:ligne=valeur "
                           "(ex. suivi.csv:640=2), ou une cellule vide"), kind="bad-replaces")
            continue
        name, _line, value = parsed
        where = (Path(record[FILE]).parent, name, _key(record))
        targets.setdefault(where, []).append((value, record))
    if not targets:
        return records
    kept, taken = [], {}
    for record in records:
        found = targets.get((Path(record[FILE]).parent, Path(record[FILE]).name, _key(record)))
        by = next((declarer for value, declarer in found or ()
                   if declarer is not record and math.isclose(record[3], value, rel_tol=1e-9,
                                                              abs_tol=1e-9)), None)
        if by is None:
            kept.append(record)
        else:
            taken.setdefault(_key(record), []).append(by)
    left = {_key(r) for r in kept}
    for key, declarers in taken.items():
        if key not in left:
            for declarer in declarers:
                problems.add(declarer[FILE], declarer[LINE], "remplace", None,
                             _("une valeur qui en remplace une autre sans être remplacée à son "
                               "tour : les lignes de {label} se remplacent l'une l'autre, il "
                               "n'en reste aucune").format(label=_label(key)),
                             kind="replaces-circle")
    return kept


def _label(key: tuple) -> str:
    pair, code, year, dim, cat = key
    return f"{pair} × {code} × {year}" + (f" ({dim}={cat})" if dim else "")


def describe(text: str) -> str:
    """A ``remplace`` cell for people: « 2 (suivi.csv, ligne 640) »."""
    parsed = parse_declaration(text)
    if parsed is None:
        return text
    name, line, value = parsed
    return _("{value} ({file}, ligne {line})").format(value=plain(value), file=name, line=line)
