"""What received values change in the data folder: new, changed, disappeared, in conflict.

A value is keyed by pair, indicator, year and disaggregation. Against the data folder's
validated rows, a received value is *new* (no value yet), *unchanged* or *changed* (old → new);
a value of the data folder inside a received file's scope (its pair and years) that the file does
not give has *disappeared* (it is kept: nothing is ever deleted by an import). Two received
files giving two different values for the same key are in *conflict*: neither is merged.

**Unusual jumps.** A new or changed value far from the pair's own series is a located warning
(never a refusal): for a count or a percentage, the value is compared with the pair's values of
the nearest earlier and later years (same indicator and disaggregation, the received values
included); the jump, the larger of the two ratios ``new/old`` and ``old/new``, is flagged when
it exceeds :data:`JUMP_FACTOR` (``--saut-max``) times the series' usual year-on-year change
(the median of the same ratio between its other consecutive known years; 1 without any).
Values of 0 are not compared (a ratio says nothing there), nor yes/no answers and stages.
3 178 → 15 000 in a series that moves by ×1.1 a year is flagged (×4.7 > 3 × 1.1).
"""

from __future__ import annotations

import itertools
import statistics
from dataclasses import dataclass, field

import pandas as pd

from ..base import fmt
from ..base.errors import WARNING, Problem
from ..base.fmt import plain
from ..base.i18n import _
from ..core.programme import Programme
from .received import Received

KEY = ("pair", "indicator", "year", "dimension", "category")
JUMP_FACTOR = 3.0
"""How many times the series' usual year-on-year change a jump may be before it is flagged."""
COMPARED = ("nombre", "pourcentage")
"""Measures whose jumps are compared (yes/no and stages are not)."""


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
    jumps: list[Problem] = field(default_factory=list)
    """Located warnings: new or changed values far from the pair's series."""

    def lines(self, limit: int = 30) -> list[str]:
        """The diff in the user's language, each section cut after ``limit`` lines."""
        out = []
        sections = (
            (_("Nouvelles valeurs"),
             [_("{label} : {value}  [{where}]").format(label=label(v.key), value=plain(v.value),
                                                     where=v.where) for v in self.new]),
            (_("Valeurs modifiées (ancienne → nouvelle)"),
             [_("{label} : {old} → {new}  [{where} ; avant : {before}]").format(
                 label=label(new.key), old=plain(old.value), new=plain(new.value),
                 where=new.where, before=old.where) for old, new in self.changed]),
            (_("Valeurs disparues (absentes du fichier reçu, gardées dans les données)"),
             [_("{label} : {value}  [{where}]").format(label=label(v.key), value=plain(v.value),
                                                     where=v.where) for v in self.disappeared]),
            (_("Conflits entre fichiers reçus (non fusionnés)"),
             [_("{label} : {values}").format(
                 label=label(vs[0].key),
                 values=" ≠ ".join(f"{plain(v.value)} [{v.where}]" for v in vs))
              for vs in self.conflicts]),
            (_("Sauts inhabituels dans la série du partenariat (à vérifier)"),
             [p.format() for p in self.jumps]),
        )
        for title, items in sections:
            out.append(_("{title} : {n}").format(title=title, n=len(items)))
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


def compute_diff(current: pd.DataFrame, received: list[Received],
                 programme: Programme | None = None,
                 jump_factor: float = JUMP_FACTOR) -> Diff:
    """Compare received values with the data folder's.

    Parameters
    ----------
    current : DataFrame
        The data folder's validated observations (with ``file`` and ``line``).
    received : list of Received
        The files read (:func:`.received.read_received`), in the order given.
    programme : Programme, optional
        To flag unusual jumps (its measures); without it, none is flagged.
    jump_factor : float
        :data:`JUMP_FACTOR`, or the user's choice.

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
    if programme is not None:
        diff.jumps = unusual_jumps(now, [*diff.new, *(new for _, new in diff.changed)],
                                   programme, jump_factor)
    return diff


def _factor(a: float, b: float) -> float:
    return max(a / b, b / a)


def unusual_jumps(now: dict[tuple, Value], incoming: list[Value], programme: Programme,
                  factor: float = JUMP_FACTOR) -> list[Problem]:
    """Located warnings for incoming values far from their pair's series (module's rule)."""
    series: dict[tuple, dict[int, float]] = {}
    for key, value in now.items():
        series.setdefault((key[0], key[1], key[3], key[4]), {})[key[2]] = value.value
    for value in incoming:
        key = value.key
        series.setdefault((key[0], key[1], key[3], key[4]), {})[key[2]] = value.value
    found = []
    for value in incoming:
        pair, code, year, dim, cat = value.key
        indicator = programme.indicator_map.get(code)
        if indicator is None or indicator.measure not in COMPARED or value.value <= 0:
            continue
        known = series[(pair, code, dim, cat)]
        years = sorted(y for y, v in known.items() if v > 0)
        if year not in years:
            continue
        at = years.index(year)
        neighbours = [y for y in (years[at - 1] if at else None,
                                  years[at + 1] if at + 1 < len(years) else None) if y]
        if not neighbours:
            continue
        other = max(neighbours, key=lambda y: _factor(value.value, known[y]))
        jump = _factor(value.value, known[other])
        usual = [_factor(known[a], known[b]) for a, b in itertools.pairwise(years)
                 if year not in (a, b)]
        typical = statistics.median(usual) if usual else 1.0
        if jump > factor * typical:
            found.append(Problem(
                value.where, None, None, plain(value.value),
                _("une valeur proche de la série du partenariat : ×{jump} par rapport à {year} "
                  "({before}), quand la série varie d'habitude de ×{typical} d'une année à "
                  "l'autre (signalé au-delà de ×{limit}) ; vérifiez l'unité, les zéros et "
                  "l'année").format(jump=fmt.number(jump, 1), year=other,
                                    before=plain(known[other]), typical=fmt.number(typical, 1),
                                    limit=fmt.number(factor * typical, 1)),
                severity=WARNING, kind="unusual-jump"))
    return found
