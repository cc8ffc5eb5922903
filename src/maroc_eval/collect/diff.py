"""What received values change in the data folder: new, changed, disappeared, in conflict.

A value is keyed by pair, indicator, year and disaggregation. Against the data folder's
validated rows, a received value is *new* (no value yet), *unchanged* or *changed* (old → new);
a value of the data folder inside a received file's scope (its pair and years) that the file does
not give has *disappeared* (it is kept: nothing is ever deleted by an import). Two received
files giving two different values for the same key are in *conflict*: neither is merged.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..fmt import plain
from ..i18n import _
from .received import Received

KEY = ("pair", "indicator", "year", "dimension", "category")


@dataclass(frozen=True)
class Value:
    """A value of a received file, or of the data folder."""

    key: tuple
    value: float
    source: str = ""
    comment: str = ""
    where: str = ""
    received: Received | None = None


@dataclass
class Diff:
    """The changes a set of received files brings (see the module's docstring)."""

    new: list[Value] = field(default_factory=list)
    changed: list[tuple[Value, Value]] = field(default_factory=list)
    unchanged: list[Value] = field(default_factory=list)
    disappeared: list[Value] = field(default_factory=list)
    conflicts: list[list[Value]] = field(default_factory=list)

    def lines(self, limit: int = 30) -> list[str]:
        """The diff in French, each section cut after ``limit`` lines."""
        out = []
        sections = (
            ("Nouvelles valeurs", [f"{label(v.key)} : {plain(v.value)}  [{v.where}]"
                                   for v in self.new]),
            (_("Valeurs modifiées (ancienne → nouvelle)"),
             [f"{label(new.key)} : {plain(old.value)} → {plain(new.value)}  [{new.where} ; "
              f"avant : {old.where}]" for old, new in self.changed]),
            (_("Valeurs disparues (absentes du fichier reçu, gardées dans les données)"),
             [f"{label(v.key)} : {plain(v.value)}  [{v.where}]" for v in self.disappeared]),
            (_("Conflits entre fichiers reçus (non fusionnés)"),
             [f"{label(vs[0].key)} : " + " ≠ ".join(f"{plain(v.value)} [{v.where}]" for v in vs)
              for vs in self.conflicts]),
        )
        for title, items in sections:
            out.append(f"{title} : {len(items)}")
            out += [f"  {item}" for item in items[:limit]]
            if len(items) > limit:
                out.append(_("  … et {n} autres").format(n=len(items) - limit))
        out.append(_("Valeurs inchangées : {unchanged}").format(unchanged=len(self.unchanged)))
        return out


def label(key: tuple) -> str:
    """``liege-tanger · RI3.1 (sexe=F) · 2011``."""
    pair, code, year, dim, cat = key
    return f"{pair} · {code}{f' ({dim}={cat})' if dim else ''} · {year}"


def _values(frame: pd.DataFrame, received: Received | None = None) -> dict[tuple, Value]:
    out = {}
    for r in frame.itertuples(index=False):
        key = (r.pair, r.indicator, int(r.year), r.dimension, r.category)
        where = getattr(r, "where", None) or f"{r.file}:{r.line}"
        out[key] = Value(key, float(r.value), r.source, r.comment, where, received)
    return out


def compute_diff(current: pd.DataFrame, received: list[Received]) -> Diff:
    """Compare received values with the data folder's.

    Parameters
    ----------
    current : DataFrame
        The data folder's validated observations (with ``file`` and ``line``).
    received : list of Received
        The files read (:func:`.received.read_received`), in the order given.

    Returns
    -------
    Diff
    """
    diff = Diff()
    now = _values(current)
    given: dict[tuple, list[Value]] = {}
    for item in received:
        for key, value in _values(item.rows, item).items():
            given.setdefault(key, []).append(value)
    for key, values in given.items():
        if len({v.value for v in values}) > 1:
            diff.conflicts.append(values)
            continue
        value, old = values[0], now.get(key)
        if old is None:
            diff.new.append(value)
        elif old.value == value.value:
            diff.unchanged.append(value)
        else:
            diff.changed.append((old, value))
    scope = {s for item in received for s in item.scope}
    diff.disappeared = [v for key, v in now.items()
                        if (key[0], key[2]) in scope and key not in given]
    return diff
