"""The toolkit's charts (matplotlib), one style for all, readable in print.

Each function returns a :class:`matplotlib.figure.Figure`; notebooks display it through
:func:`maroc_eval.notebook.display.show`, which closes it afterwards. Every chart says one thing:
its title names what is drawn (the indicator and its unit, « pour 10 000 habitants » when values
are normalised), titles are wrapped to fit (:mod:`~maroc_eval.notebook.chart_layout`), counts and
ordinal scales tick at whole numbers, stages carry their labels. The rankings are in
:mod:`~maroc_eval.notebook.ranking` (re-exported here).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator

from ..base import fmt
from ..base.i18n import _
from ..core import series, targets
from . import style
from .chart_layout import finish, set_title, wrap
from .ranking import MAX_DRAWN_OTHERS, own_thresholds_note, rank_strip, ranking_bars

__all__ = ["MAX_DRAWN_OTHERS", "FuncFormatter", "lines", "own_thresholds_note", "panel_title",
           "rank_strip", "ranking_bars", "stacked_by_year", "trend_grid"]

PER = 10000
"""Indicators marked ``par_habitants`` are drawn per this many inhabitants."""

_FR = FuncFormatter(lambda v, _pos: fmt.number(v, 2))
_FR_INT = FuncFormatter(lambda v, _pos: fmt.number(v, 0))
_FR_PCT = FuncFormatter(lambda v, _pos: fmt.percent(v, 0))


def _all_whole(values) -> bool:
    finite = [float(v) for v in values if v is not None and np.isfinite(v)]
    return bool(finite) and all(v.is_integer() for v in finite)


def _french_axes(ax, measure: str | None = None, levels: dict | None = None,
                 values=()) -> None:
    """French tick labels; whole-number ticks for counts (``values`` all whole) and stages."""
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if measure == "pourcentage":
        ax.yaxis.set_major_formatter(_FR_PCT)
    elif measure == "oui_non":
        ax.yaxis.set_major_locator(FixedLocator([0, 1]))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: {0: _("non"), 1: _("oui")}.get(
            round(v), "")))
        ax.set_ylim(-0.1, 1.15)
    elif measure == "ordinal" and levels:
        ticks = sorted(levels)
        ax.set_yticks(ticks, [f"{k} – {wrap(levels[k], 22)}" for k in ticks])
        ax.set_ylim(min(ticks) - 0.3, max(ticks) + 0.4)
    elif _all_whole(values):
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.yaxis.set_major_formatter(_FR_INT)
    else:
        ax.yaxis.set_major_formatter(_FR)


def _others(ax, drawn: list[pd.Series]) -> str:
    """Draw the other pairs faintly; return the legend's label for them.

    Up to :data:`MAX_DRAWN_OTHERS` pairs, one thin line each; beyond, their median by year and
    the band from their lowest to their highest value (pairs without data that year left out).
    """
    if len(drawn) <= MAX_DRAWN_OTHERS:
        for s in drawn:
            ax.plot(s.index, s.values, color=style.OTHERS_COLOUR, lw=0.8, alpha=0.6)
        return _("Autres partenariats")
    frame = pd.concat(drawn, axis=1)
    ax.fill_between(frame.index, frame.min(axis=1), frame.max(axis=1), color=style.OTHERS_COLOUR,
                    alpha=0.3, lw=0)
    ax.plot(frame.index, frame.median(axis=1), color=style.OTHERS_COLOUR, lw=1.2)
    return _("Autres partenariats ({n}) : médiane et étendue").format(n=len(drawn))


def per_inhabitants(programme, ind, pair: str) -> float:
    """What divides a value of ``ind`` for ``pair`` before it is drawn: the pair's population
    in tens of thousands for an indicator marked ``par_habitants``, else 1."""
    if not ind.per_inhabitants:
        return 1.0
    return programme.pair_map[pair].population / PER


def panel_title(ind) -> str:
    """What a panel of ``ind`` draws: « RI4.2 — Fréquentation… (bénéficiaires/an pour
    10 000 habitants) »; the unit is left out when the axis says it (%, oui/non, stades)."""
    unit = (_("{unit} pour {n} habitants").format(unit=ind.unit, n=fmt.number(PER, 0))
            if ind.per_inhabitants else ind.unit)
    label = ind.label
    if ind.measure in ("pourcentage", "oui_non", "ordinal"):
        pass
    elif label.endswith(")"):  # « (cumul) » and the unit in one bracket: « (cumul, agents) »
        label = f"{label[:-1]}, {unit})"
    else:
        label = f"{label} ({unit})"
    lower = _(" — plus bas = mieux") if ind.direction == "baisse" else ""
    return fmt.typo(f"{ind.code} — {label}{lower}")


def _layout(inds) -> list[list]:
    """Panels by row: an ordinal indicator (labelled stages) alone on a full-width row, the
    others two by two."""
    rows, pending = [], None
    for ind in inds:
        if ind.measure == "ordinal":
            rows.append([ind])
        elif pending is None:
            pending = ind
        else:
            rows.append([pending, ind])
            pending = None
    if pending is not None:
        rows.append([pending, None])
    return rows


def trend_grid(programme, obs: pd.DataFrame, pair: str, phase: str, inds, years: list[int], *,
               compare: bool = True):
    """One trend panel per indicator: the pair's values against its target path.

    The x-axis ends at the phase's reference year (``years``: what the phase can see); a target
    set for a later phase is written at the right edge (« cible 2012 : 12 »). Indicators marked
    ``par_habitants`` (absolute counts and budgets compared across communes of very different
    sizes) are drawn per 10 000 inhabitants, for every pair and the target alike.

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
    """
    style.apply()
    rows = _layout(inds)
    fig = plt.figure(figsize=(style.FIGURE_WIDTH, 2.5 * len(rows) + 0.4))
    grid = fig.add_gridspec(len(rows), 2)
    others_label = _("Autres partenariats")
    for r, row in enumerate(rows):
        for c, ind in enumerate(row):
            if ind is None:
                continue
            ax = fig.add_subplot(grid[r, :] if len(row) == 1 else grid[r, c])
            drawn = []
            if compare:
                others = [series.annual_series(obs, ind, other, years)
                          / per_inhabitants(programme, ind, other)
                          for other in programme.pair_codes if other != pair]
                others_label = _others(ax, others)
                drawn += [v for s in others for v in s.values]
            scale = per_inhabitants(programme, ind, pair)
            s = series.annual_series(obs, ind, pair, years) / scale
            base = series.baseline(obs, ind, pair, programme.baseline_year)
            path = targets.target_path(targets.anchors(programme, ind, pair, base), years) / scale
            if path.notna().any():
                ax.plot(path.index, path.values, ls="--", color=style.TARGET_COLOUR, lw=1.1)
            later = targets.final_target(programme, ind, pair, base)
            if later is not None and later[0] > years[-1]:
                shown = (fmt.number(later[1] / scale, 1) if ind.per_inhabitants
                         else fmt.target(later[1], ind.measure, ind.levels))
                # inside the panel's top right corner, on a light ground: never over the
                # panel's title above the axes
                ax.annotate(_("cible {year} : {value}").format(year=later[0], value=shown),
                            xy=(1, 1), xycoords="axes fraction", xytext=(-3, -3),
                            textcoords="offset points", ha="right", va="top", fontsize=8,
                            color=style.TARGET_COLOUR,
                            bbox={"boxstyle": "square,pad=0.15", "fc": "white", "ec": "none",
                                  "alpha": 0.85})
            ax.plot(s.index, s.values, color=style.PAIR_COLOUR, lw=2.2, marker="o", ms=4)
            set_title(ax, panel_title(ind), fontsize=9)
            ax.set_xlim(years[0] - 0.3, years[-1] + 0.3)
            _french_axes(ax, ind.measure, ind.levels, [*drawn, *s.values])
    handles = [plt.Line2D([], [], color=style.PAIR_COLOUR, lw=2.2, marker="o",
                          label=_("Partenariat")),
               plt.Line2D([], [], color=style.TARGET_COLOUR, ls="--",
                          label=_("Trajectoire cible"))]
    if compare:
        handles.append(plt.Line2D([], [], color=style.OTHERS_COLOUR, label=others_label))
    fig.legend(handles=handles, loc="lower center", ncol=3, bbox_to_anchor=(0.5, 0.0))
    finish(fig, rect=(0, 0.4 / (2.5 * len(rows) + 0.4), 1, 1))
    return fig


def stacked_by_year(table: pd.DataFrame, *, title: str, ylabel: str,
                    category_labels: dict | None = None, measure: str | None = None,
                    target: pd.Series | None = None):
    """Stacked bars by year (index: years, columns: categories), with the target path.

    Parameters
    ----------
    table : DataFrame
        Values by year (rows) and category (columns).
    title, ylabel : str
    category_labels : dict, optional
        Display label per category code.
    measure : str, optional
        The indicator's measure (whole-number ticks for counts).
    target : Series, optional
        The target path by year, drawn dashed over the bars (their total).
    """
    style.apply()
    fig, ax = plt.subplots(figsize=(style.FIGURE_WIDTH, 3.6))
    bottom = np.zeros(len(table))
    for i, col in enumerate(table.columns):
        vals = table[col].fillna(0).to_numpy(dtype=float)
        ax.bar(table.index, vals, bottom=bottom, label=(category_labels or {}).get(col, col),
               color=style.SCORE_COLOURS[i % len(style.SCORE_COLOURS)], edgecolor="#333", lw=0.4)
        bottom += vals
    if target is not None and target.notna().any():
        ax.plot(target.index, target.values, ls="--", color=style.TARGET_COLOUR, lw=1.1,
                label=_("Trajectoire cible"))
    set_title(ax, title)
    ax.set_ylabel(ylabel)
    _french_axes(ax, measure, values=[*table.to_numpy().ravel(), *bottom])
    handles, names = ax.get_legend_handles_labels()
    fig.legend(handles, names, loc="lower center", ncol=3, bbox_to_anchor=(0.5, 0.0))
    rows = -(-len(handles) // 3)
    finish(fig, rect=(0, (0.22 * rows + 0.05) / 3.6, 1, 1))
    return fig


def lines(series: dict[str, pd.Series], *, title: str, ylabel: str, highlight: str | None = None,
          measure: str | None = None, target: pd.Series | None = None, labels: dict | None = None,
          levels: dict | None = None):
    """Several lines on one axis, one highlighted (others faint), an optional target path.

    ``levels`` labels the ticks of an ordinal scale (its stages).
    """
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
        ax.plot(target.index, target.values, ls="--", color=style.TARGET_COLOUR,
                label=_("Cible"))
    set_title(ax, title)
    ax.set_ylabel(ylabel)
    _french_axes(ax, measure, levels, [v for s in series.values() for v in s.values])
    ax.legend(loc="best")
    finish(fig)
    return fig
