"""The toolkit's charts (matplotlib), one style for all, readable in print.

Each function returns a :class:`matplotlib.figure.Figure`; notebooks display it through
:func:`maroc_eval.notebook.context.show`, which closes it afterwards.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from .. import fmt
from ..core import series, targets
from . import style

# Beyond this many other pairs, charts summarise them (median and range, or a strip of dots)
# instead of drawing each one: a line per pair is unreadable past a dozen, and drawing cost grows.
MAX_DRAWN_OTHERS = 12

_FR = FuncFormatter(lambda v, _pos: fmt.number(v, 2))
_FR_PCT = FuncFormatter(lambda v, _pos: fmt.percent(v, 0))


def _french_axes(ax, measure: str | None = None, levels: dict | None = None) -> None:
    ax.yaxis.set_major_formatter(_FR_PCT if measure == "pourcentage" else _FR)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if measure == "oui_non":
        ax.set_yticks([0, 1], ["non", "oui"])
        ax.set_ylim(-0.1, 1.15)
    elif measure == "ordinal" and levels:
        ax.set_yticks(sorted(levels), [str(k) for k in sorted(levels)])
        ax.set_ylim(min(levels) - 0.2, max(levels) + 0.3)


def _others(ax, series: list[pd.Series]) -> str:
    """Draw the other pairs faintly; return the legend's label for them.

    Up to :data:`MAX_DRAWN_OTHERS` pairs, one thin line each; beyond, their median by year and
    the band from their lowest to their highest value (pairs without data that year left out).
    """
    if len(series) <= MAX_DRAWN_OTHERS:
        for s in series:
            ax.plot(s.index, s.values, color=style.OTHERS_COLOUR, lw=0.8, alpha=0.6)
        return "Autres partenariats"
    frame = pd.concat(series, axis=1)
    ax.fill_between(frame.index, frame.min(axis=1), frame.max(axis=1), color=style.OTHERS_COLOUR,
                    alpha=0.3, lw=0)
    ax.plot(frame.index, frame.median(axis=1), color=style.OTHERS_COLOUR, lw=1.2)
    return f"Autres partenariats ({len(series)}) : médiane et étendue"


def _wrap(text: str, width: int = 40) -> str:
    words, lines, line = text.split(), [], ""
    for w in words:
        if len(line) + len(w) + 1 > width and line:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    return "\n".join([*lines, line])


def trend_grid(programme, obs: pd.DataFrame, pair: str, phase: str, inds, years: list[int], *,
               compare: bool = True, ncols: int = 2):
    """One trend panel per indicator: the pair's values against its target path.

    The x-axis ends at the phase's reference year (``years``: what the phase can see); a target
    set for a later phase is written at the right edge (« cible 2012 : 12 »).

    Parameters
    ----------
    programme : Programme
    obs : DataFrame
        Observations (see :mod:`maroc_eval.core.observations`), cut at the phase.
    pair, phase : str
        The pair evaluated and the phase.
    inds : list of Indicator
    years : list of int
        The years shown: the baseline year through the phase's reference year.
    compare : bool
        Draw the other pairs faintly for comparison.
    ncols : int
        Panels per row.
    """
    style.apply()
    nrows = math.ceil(len(inds) / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(7.2, 2.6 * nrows), squeeze=False)
    others_label = "Autres partenariats"
    for ax, ind in zip(axes.flat, inds, strict=False):
        if compare:
            others_label = _others(ax, [series.annual_series(obs, ind, other, years)
                                        for other in programme.pair_codes if other != pair])
        s = series.annual_series(obs, ind, pair, years)
        base = series.baseline(obs, ind, pair, programme.baseline_year)
        path = targets.target_path(targets.anchors(programme, ind, pair, base), years)
        if path.notna().any():
            ax.plot(path.index, path.values, ls="--", color=style.TARGET_COLOUR, lw=1.1)
        later = targets.final_target(programme, ind, pair, base)
        if later is not None and later[0] > years[-1]:
            ax.annotate(f"cible {later[0]} : {fmt.value(later[1], ind.measure, ind.levels)}",
                        xy=(1, 1), xycoords="axes fraction", ha="right", va="bottom",
                        fontsize=7.5, color=style.TARGET_COLOUR)
        ax.plot(s.index, s.values, color=style.PAIR_COLOUR, lw=2.2, marker="o", ms=4)
        ax.set_title(_wrap(f"{ind.code} — {ind.label}"), fontsize=9, loc="left")
        ax.set_xlim(years[0] - 0.3, years[-1] + 0.3)
        _french_axes(ax, ind.measure, ind.levels)
    for ax in list(axes.flat)[len(inds):]:
        ax.set_visible(False)
    handles = [plt.Line2D([], [], color=style.PAIR_COLOUR, lw=2.2, marker="o",
                          label="Partenariat"),
               plt.Line2D([], [], color=style.TARGET_COLOUR, ls="--", label="Trajectoire cible")]
    if compare:
        handles.append(plt.Line2D([], [], color=style.OTHERS_COLOUR, label=others_label))
    fig.legend(handles=handles, loc="lower center", ncol=3, bbox_to_anchor=(0.5, -0.01))
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    return fig


def own_thresholds_note(own: dict, labels: dict, common) -> str | None:
    """A legend line naming the pairs judged with thresholds of their own.

    Parameters
    ----------
    own : dict
        Pair code → its :class:`~maroc_eval.core.programme.Thresholds`.
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
    words = (("threshold_met", "atteint"), ("threshold_on_track", "en bonne voie"),
             ("threshold_late", "en retard"))
    clauses = []
    for pair, bands in own.items():
        if bands == common:
            continue
        differ = [f"{word} ≥ {fmt.achievement(getattr(bands, name))}" for name, word in words
                  if getattr(bands, name) != getattr(common, name)]
        clauses.append(f"{labels.get(pair, pair)} : {', '.join(differ)}")
    return fmt.typo("Seuils propres à " + " ; ".join(clauses)) if clauses else None


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
        Status per pair, to colour the bars.
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
    # up to ~16 bars at full size; beyond, the chart keeps a printable height and smaller text
    bar = min(0.42, 7.0 / max(len(ordered), 1))
    fig, ax = plt.subplots(figsize=(7.0, bar * len(ordered) + 1.0))
    small = bar < 0.42
    ys = np.arange(len(ordered))
    for y, (code, v) in zip(ys, ordered.items(), strict=True):
        if statuses is not None:
            colour = style.status_colour(statuses.get(code, "non_renseigne"))
        else:
            colour = style.PAIR_COLOUR if code == highlight else style.OTHERS_COLOUR
        shown = 0 if pd.isna(v) else v
        ax.barh(y, shown, color=colour, edgecolor="#000" if code == highlight else colour,
                lw=1.5 if code == highlight else 0)
        text = ("non renseigné" if pd.isna(v) else
                (fmt.achievement(v, (edges or {}).get(code, ())) if as_percent
                 else fmt.number(v)))
        ax.text(shown, y, " " + text, va="center", fontsize=6 if small else 8.5)
    names = [(labels or {}).get(c, c) for c in ordered.index]
    ax.set_yticks(ys, [f"▶ {n}" if c == highlight else n
                       for n, c in zip(names, ordered.index, strict=True)],
                  fontsize=6 if small else None)
    ax.xaxis.set_major_formatter(FuncFormatter(
        lambda v, _p: fmt.achievement(v) if as_percent else fmt.number(v)))
    if reference is not None:
        ax.axvline(reference, color="#000", ls="--", lw=1)
    ax.set_title(title, loc="left")
    ax.grid(axis="y", visible=False)
    _note(fig, note)
    return fig


def _note(fig, note: str | None) -> None:
    """Lay the figure out, with a line of text under it when there is one."""
    if note:
        fig.text(0.01, 0.005, _wrap(note, 110), fontsize=7.5, ha="left", va="bottom")
        fig.tight_layout(rect=(0, 0.06 * (note.count(" ; ") + 1), 1, 1))
    else:
        fig.tight_layout()


def rank_strip(values: pd.Series, highlight: str, *, title: str, labels: dict | None = None,
               statuses: pd.Series | None = None, as_percent: bool = True,
               reference: float | None = None, edges: dict | None = None,
               note: str | None = None):
    """One pair among many: every pair a dot on one axis, the pair marked with its rank.

    Parameters are those of :func:`ranking_bars`. Dots are coloured by status when ``statuses``
    is given; pairs without a value are counted under the axis.
    """
    style.apply()
    known = values.dropna().sort_values()
    fig, ax = plt.subplots(figsize=(7.0, 2.4))
    jitter = np.array([(i % 5 - 2) * 0.12 for i in range(len(known))])
    colours = [style.status_colour(statuses.get(c, "non_renseigne")) if statuses is not None
               else style.OTHERS_COLOUR for c in known.index]
    ax.scatter(known.to_numpy(), jitter, s=24, c=colours, alpha=0.8, edgecolors="none")
    if statuses is not None:
        shown = dict.fromkeys(statuses.get(c, "non_renseigne") for c in known.index)
        ax.legend(handles=[Patch(color=style.status_colour(st), label=style.status_label(st))
                           for st in shown], loc="upper left", fontsize=7, ncol=4)
    as_text = (lambda v: fmt.achievement(v)) if as_percent else (lambda v: fmt.number(v))
    if highlight in known.index:
        mine = known[highlight]
        rank = int((known > mine).sum()) + 1
        ax.scatter([mine], [0], s=110, c=style.PAIR_COLOUR, edgecolors="#000", linewidths=1.5,
                   zorder=3)
        name = (labels or {}).get(highlight, highlight)
        mine_text = fmt.achievement(mine, (edges or {}).get(highlight, ())) if as_percent \
            else as_text(mine)
        ax.annotate(f"▶ {name} : {mine_text}, rang {rank} sur {len(known)}", (mine, 0),
                    xytext=(0, -26), textcoords="offset points", ha="center", fontsize=8.5)
    ax.axvline(known.median() if len(known) else 0, color="#555", ls=":", lw=1)
    if reference is not None:
        ax.axvline(reference, color="#000", ls="--", lw=1)
    ax.set_ylim(-0.9, 0.7)
    ax.set_yticks([])
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: as_text(v)))
    missing = len(values) - len(known)
    ax.set_xlabel(f"{len(known)} partenariats ; pointillé : médiane"
                  + (f" ; {missing} non renseigné{'s' if missing > 1 else ''}" if missing else ""))
    ax.set_title(title, loc="left")
    ax.grid(axis="y", visible=False)
    _note(fig, note)
    return fig


def stacked_by_year(table: pd.DataFrame, *, title: str, ylabel: str,
                    category_labels: dict | None = None):
    """Stacked bars by year (index: years, columns: categories)."""
    style.apply()
    fig, ax = plt.subplots()
    bottom = np.zeros(len(table))
    for i, col in enumerate(table.columns):
        vals = table[col].fillna(0).to_numpy(dtype=float)
        ax.bar(table.index, vals, bottom=bottom, label=(category_labels or {}).get(col, col),
               color=style.SCORE_COLOURS[i % len(style.SCORE_COLOURS)], edgecolor="#333", lw=0.4)
        bottom += vals
    ax.set_title(title, loc="left")
    ax.set_ylabel(ylabel)
    _french_axes(ax)
    ax.legend(loc="upper left")
    fig.tight_layout()
    return fig


def lines(series: dict[str, pd.Series], *, title: str, ylabel: str, highlight: str | None = None,
          measure: str | None = None, target: pd.Series | None = None, labels: dict | None = None):
    """Several lines on one axis, one highlighted (others faint), an optional target path."""
    style.apply()
    fig, ax = plt.subplots()
    if highlight is None:
        for i, (key, s) in enumerate(series.items()):
            ax.plot(s.index, s.values, color=style.SCORE_COLOURS[i % len(style.SCORE_COLOURS)],
                    lw=2.2, marker="o", ms=4, label=(labels or {}).get(key, key))
    else:
        others = _others(ax, [s for key, s in series.items() if key != highlight])
        ax.plot([], [], color=style.OTHERS_COLOUR, label=others)
        if highlight in series:
            s = series[highlight]
            ax.plot(s.index, s.values, color=style.PAIR_COLOUR, lw=2.2, marker="o", ms=4,
                    label=(labels or {}).get(highlight, highlight))
    if target is not None:
        ax.plot(target.index, target.values, ls="--", color=style.TARGET_COLOUR, label="Cible")
    ax.set_title(title, loc="left")
    ax.set_ylabel(ylabel)
    _french_axes(ax, measure)
    ax.legend(loc="best")
    fig.tight_layout()
    return fig


