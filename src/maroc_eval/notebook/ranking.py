"""Charts that rank the pairs: bars for a few, a strip of dots for many.

Bars and dots coloured by status carry a second channel — the status's hatch on bars, its marker
shape on dots (:mod:`~maroc_eval.notebook.style`) — and a legend naming each status shown.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from ..base import fmt
from ..base.i18n import _, ngettext
from ..core.setting_registry import SETTINGS, THRESHOLD_NAMES
from . import style
from .chart_layout import finish, set_title, wrap

# Beyond this many other pairs, charts summarise them (median and range, or a strip of dots)
# instead of drawing each one: a line per pair is unreadable past a dozen, and drawing cost grows.
MAX_DRAWN_OTHERS = 12


def own_thresholds_note(own: dict, labels: dict, common) -> str | None:
    """A legend line naming the pairs judged with thresholds of their own.

    Parameters
    ----------
    own : dict
        Pair code → its :class:`~maroc_eval.core.thresholds.Thresholds`.
    labels : dict
        Pair code → display label.
    common : Thresholds
        The thresholds the others share (this notebook's).

    Returns
    -------
    str or None
        « Seuils propres à Jette – Sidi Bibi : en bonne voie ≥ 90 % » (one clause per pair),
        ``None`` when every pair has the same.
    """
    words = [(name, style.status_label(SETTINGS[name].status).lower())
             for name in THRESHOLD_NAMES]
    clauses = []
    for pair, bands in own.items():
        if bands == common:
            continue
        differ = [f"{word} ≥ {fmt.achievement(getattr(bands, name))}" for name, word in words
                  if getattr(bands, name) != getattr(common, name)]
        clauses.append(f"{labels.get(pair, pair)} : {', '.join(differ)}")
    return fmt.typo(_("Seuils propres à {clauses}").format(clauses=" ; ".join(clauses))) \
        if clauses else None


def status_handles(statuses) -> list[Patch]:
    """Legend entries (colour and hatch) for the statuses shown, in the order met."""
    return [Patch(facecolor=style.status_colour(st), hatch=style.status_hatch(st),
                  edgecolor=style.HATCH_COLOUR, lw=0.4, label=style.status_label(st))
            for st in dict.fromkeys(statuses)]


def _bottom(fig, handles: list | None, note: str | None) -> None:
    """Lay the figure out above a legend of statuses and a note, when there are."""
    height = fig.get_size_inches()[1]
    used = 0.0
    if note:
        text = wrap(note, 105)
        fig.text(0.01, 0.01, text, fontsize=8, ha="left", va="bottom")
        used += 0.16 * (text.count("\n") + 1) + 0.05
    if handles:
        fig.legend(handles=handles, loc="lower center", ncol=min(len(handles), 5),
                   bbox_to_anchor=(0.5, used / height))
        used += 0.32
    finish(fig, rect=(0, min(used / height, 0.5), 1, 1))


def ranking_bars(values: pd.Series, highlight: str | None, *, title: str,
                 labels: dict | None = None, statuses: pd.Series | None = None,
                 as_percent: bool = True, reference: float | None = None,
                 edges: dict | None = None, note: str | None = None):
    """Horizontal bars ranking the pairs, the evaluated pair highlighted.

    With a highlighted pair and more than :data:`MAX_DRAWN_OTHERS` others, the pair is placed
    on a strip of all pairs instead (:func:`rank_strip`).

    Parameters
    ----------
    values : Series
        Value per pair code (NaN = no data, shown as such).
    highlight : str or None
        Pair drawn in the pair colour (others in grey unless ``statuses`` colours them).
    title : str
    labels : dict, optional
        Display label per pair code.
    statuses : Series, optional
        Status per pair, to colour and hatch the bars.
    as_percent : bool
        Values are ratios shown as percentages.
    reference : float, optional
        A vertical reference line (e.g. the target).
    edges : dict, optional
        Pair code → its status thresholds: each figure printed in its status's band.
    note : str, optional
        A line under the chart (thresholds of their own, for instance).
    """
    style.apply()
    if highlight is not None and len(values) > MAX_DRAWN_OTHERS + 1:
        return rank_strip(values, highlight, title=title, labels=labels, statuses=statuses,
                          as_percent=as_percent, reference=reference, edges=edges, note=note)
    ordered = values.sort_values(ascending=True, na_position="first")
    # a row per pair, never under 0.17 in (8-pt labels); a long ranking takes a page
    bar = max(0.17, min(0.36, 6.0 / max(len(ordered), 1)))
    extra = (0.45 if statuses is not None else 0) + (0.4 if note else 0)
    fig, ax = plt.subplots(figsize=(style.FIGURE_WIDTH, bar * len(ordered) + 1.0 + extra))
    ys = np.arange(len(ordered))
    shown_statuses = []
    for y, (code, v) in zip(ys, ordered.items(), strict=True):
        hatch = ""
        if statuses is not None:
            status = statuses.get(code, "non_renseigne")
            shown_statuses.append(status)
            colour, hatch = style.status_colour(status), style.status_hatch(status)
        else:
            colour = style.PAIR_COLOUR if code == highlight else style.OTHERS_COLOUR
        shown = 0 if pd.isna(v) else v
        ax.barh(y, shown, color=colour, hatch=hatch,
                edgecolor="#000" if code == highlight else style.HATCH_COLOUR,
                lw=1.5 if code == highlight else 0)
        text = (_("non renseigné") if pd.isna(v) else
                (fmt.achievement(v, (edges or {}).get(code, ())) if as_percent
                 else fmt.number(v)))
        ax.text(shown, y, " " + text, va="center", fontsize=8.5,
                bbox={"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.8})
    names = [(labels or {}).get(c, c) for c in ordered.index]
    ax.set_yticks(ys, [f"▶ {n}" if c == highlight else n
                       for n, c in zip(names, ordered.index, strict=True)])
    ax.set_ylim(-0.6, len(ordered) - 0.4)
    ax.xaxis.set_major_formatter(FuncFormatter(
        lambda v, _p: fmt.achievement(v) if as_percent else fmt.number(v)))
    ax.set_xlim(0, max([*values.dropna(), reference or 0, 1e-9]) * 1.18)
    if reference is not None:
        ax.axvline(reference, color="#000", ls="--", lw=1)
    set_title(ax, title)
    ax.grid(axis="y", visible=False)
    _bottom(fig, status_handles(shown_statuses) if statuses is not None else None, note)
    return fig


def rank_strip(values: pd.Series, highlight: str, *, title: str, labels: dict | None = None,
               statuses: pd.Series | None = None, as_percent: bool = True,
               reference: float | None = None, edges: dict | None = None,
               note: str | None = None):
    """One pair among many: every pair a dot on one axis, the pair marked with its rank.

    Parameters are those of :func:`ranking_bars`. Dots are coloured by status, with the
    status's marker shape, when ``statuses`` is given; pairs without a value are counted under
    the axis.
    """
    style.apply()
    known = values.dropna().sort_values()
    fig, ax = plt.subplots(figsize=(style.FIGURE_WIDTH, 2.8 + (0.4 if note else 0)))
    jitter = pd.Series([(i % 5 - 2) * 0.12 for i in range(len(known))], index=known.index)
    groups = (known.index.to_series().map(lambda c: statuses.get(c, "non_renseigne"))
              if statuses is not None else pd.Series("", index=known.index))
    handles = []
    for status, codes in groups.groupby(groups, sort=False).groups.items():
        colour = style.status_colour(status) if statuses is not None else style.OTHERS_COLOUR
        marker = style.status_marker(status) if statuses is not None else "o"
        ax.scatter(known[codes].to_numpy(), jitter[codes].to_numpy(), s=30, c=colour,
                   marker=marker, alpha=0.85, edgecolors="none")
        if statuses is not None:
            handles.append(plt.Line2D([], [], ls="", marker=marker, color=colour,
                                      label=style.status_label(status)))
    as_text = (lambda v: fmt.achievement(v)) if as_percent else (lambda v: fmt.number(v))
    if highlight in known.index:
        mine = known[highlight]
        rank = int((known > mine).sum()) + 1
        ax.scatter([mine], [0], s=110, c=style.PAIR_COLOUR, edgecolors="#000", linewidths=1.5,
                   zorder=3)
        name = (labels or {}).get(highlight, highlight)
        mine_text = fmt.achievement(mine, (edges or {}).get(highlight, ())) if as_percent \
            else as_text(mine)
        ax.annotate(_("▶ {name} : {value}, rang {rank} sur {n}").format(
                        name=name, value=mine_text, rank=rank, n=len(known)), (mine, 0),
                    xytext=(0, -26), textcoords="offset points", ha="center", fontsize=8.5)
    ax.axvline(known.median() if len(known) else 0, color="#555", ls=":", lw=1)
    if reference is not None:
        ax.axvline(reference, color="#000", ls="--", lw=1)
    ax.set_ylim(-0.9, 0.7)
    ax.set_yticks([])
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: as_text(v)))
    missing = len(values) - len(known)
    ax.set_xlabel(_("{n} partenariats ; pointillé : médiane").format(n=len(known))
                  + (ngettext(" ; {n} non renseigné", " ; {n} non renseignés", missing).format(
                      n=missing) if missing else ""))
    set_title(ax, title)
    ax.grid(axis="y", visible=False)
    _bottom(fig, handles or None, note)
    return fig
