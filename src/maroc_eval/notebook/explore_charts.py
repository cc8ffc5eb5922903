"""The exploration's two charts: every pair at one year (dots), or the years of a window (lines).

Both draw one panel per indicator (an RI draws all its indicators), the studied pair in the pair
colour, the others in grey, and the chosen phase's targets in black. Axes follow the indicator's
measure (« oui »/« non », stages, percentages, French numbers) and the data shown: one year never
gets a time axis, a window gets integer years only.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.ticker import FuncFormatter, MaxNLocator

from ..base import fmt
from ..base.i18n import _
from ..core.programme_items import Indicator
from . import style
from .chart_layout import wrap
from .charts import MAX_DRAWN_OTHERS

_NUMBER = FuncFormatter(lambda v, _pos: fmt.number(v, 2))
_PERCENT = FuncFormatter(lambda v, _pos: fmt.percent(v, 0))


def value_limits(ind: Indicator, numbers) -> tuple[float, float]:
    """The value axis of an indicator: its scale for yes/no and stages, else the data and
    targets shown from zero (or below, for negative values), with room above.

    Parameters
    ----------
    ind : Indicator
    numbers : iterable of float
        Values and targets drawn (``NaN`` ignored).

    Returns
    -------
    tuple of float
        ``(low, high)``, ``low < high``.
    """
    if ind.measure == "oui_non":
        return (-0.1, 1.15)
    if ind.measure == "ordinal" and ind.levels:
        return (min(ind.levels) - 0.2, max(ind.levels) + 0.3)
    known = [float(v) for v in numbers if v is not None and not math.isnan(float(v))]
    low = min([0.0, *known])
    high = max([low, *known])
    if ind.measure == "pourcentage":
        high = max(high, 10.0)
    if high <= low:
        high = low + 1.0
    return (low, high + (high - low) * 0.15)


def _value_axis(axis, ind: Indicator, numbers=()) -> None:
    if ind.measure == "oui_non":
        axis.set_ticks([0, 1], [_("non"), _("oui")])
    elif ind.measure == "ordinal" and ind.levels:
        axis.set_ticks(sorted(ind.levels), [str(k) for k in sorted(ind.levels)])
    else:
        axis.set_major_formatter(_PERCENT if ind.measure == "pourcentage" else _NUMBER)
        known = [float(v) for v in numbers if not pd.isna(v)]
        if ind.measure == "nombre" and all(v.is_integer() for v in known):
            axis.set_major_locator(MaxNLocator(integer=True))  # counts: no « 2,5 agents »


def _unit(ind: Indicator, baseline_year: int | None = None) -> str:
    if ind.accumulation == "cumulatif":
        if baseline_year:
            return _("{unit} (stock cumulé depuis {year})").format(unit=ind.unit,
                                                                  year=baseline_year)
        return _("{unit} (stock cumulé)").format(unit=ind.unit)
    return ind.unit


def _grid(count: int, height: float, *, sharey: bool = False):
    ncols = 1 if count == 1 else 2
    nrows = math.ceil(count / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(7.4 if ncols == 2 else 7.0, height * nrows),
                             squeeze=False, sharey=sharey)
    for ax in list(axes.flat)[count:]:
        ax.set_visible(False)
    return fig, list(axes.flat)[:count]


def year_dots(items: list[tuple[Indicator, pd.Series, pd.Series]], *, year: int, highlight: str,
              labels: dict[str, str], target_label: str, title: str,
              baseline_year: int | None = None):
    """Every pair at one year: a dot per pair (studied pair first, on top), its target a tick.

    Parameters
    ----------
    items : list of (Indicator, Series, Series)
        Per indicator: value by pair, target by pair (same pairs, same order).
    year : int
        The year shown (in the title).
    highlight : str
        The studied pair.
    labels : dict
        Pair code → display label.
    target_label : str
        Legend of the target ticks (« Cible 2012 (Évaluation finale) »).
    title : str
        The figure's title (the RI or indicator).
    baseline_year : int, optional
        Start of the stocks of cumulative indicators (in the axis label).
    """
    style.apply()
    pairs = list(items[0][1].index)
    fig, axes = _grid(len(items), 0.32 * len(pairs) + 1.3, sharey=True)
    ys = {p: len(pairs) - 1 - i for i, p in enumerate(pairs)}
    for ax, (ind, values, goals) in zip(axes, items, strict=True):
        low, high = value_limits(ind, [*values.to_list(), *goals.to_list()])
        for pair in pairs:
            y, v, own = ys[pair], values.get(pair), pair == highlight
            colour = style.PAIR_COLOUR if own else style.OTHERS_COLOUR
            if pd.isna(v):
                ax.text(low, y, " " + _("non renseigné"), va="center", fontsize=8, color="#555",
                        style="italic")
            else:
                ax.hlines(y, max(low, 0.0) if low < 0 <= v else low, v, color=colour,
                          lw=2.4 if own else 1.2, alpha=1 if own else 0.7)
                ax.scatter([v], [y], s=70 if own else 36, color=colour, zorder=3,
                           edgecolors="#000" if own else colour, linewidths=1.2 if own else 0)
                ax.text(v, y + 0.22, fmt.value(v, ind.measure, ind.levels), ha="center",
                        fontsize=8, fontweight="bold" if own else "normal")
            goal = goals.get(pair)
            if not pd.isna(goal):
                ax.scatter([goal], [y], marker="|", s=220, color=style.TARGET_COLOUR, zorder=4,
                           linewidths=1.6)
        ax.set_xlim(low, high)
        ax.set_ylim(-0.7, len(pairs) - 0.3)
        _value_axis(ax.xaxis, ind, [*values.to_list(), *goals.to_list()])
        ax.set_xlabel(_unit(ind, baseline_year), fontsize=8)
        if len(items) > 1:
            ax.set_title(wrap(f"{ind.code} — {ind.label}", 30), fontsize=8.5, loc="left")
        ax.grid(axis="y", visible=False)
    axes[0].set_yticks([ys[p] for p in pairs],
                       [f"▶ {labels.get(p, p)}" if p == highlight else labels.get(p, p)
                        for p in pairs], fontsize=8)
    handles = [plt.Line2D([], [], color=style.PAIR_COLOUR, marker="o", lw=2.4,
                          label=labels.get(highlight, highlight)),
               plt.Line2D([], [], color=style.OTHERS_COLOUR, marker="o", lw=1.2,
                          label=_("Autres partenariats")),
               plt.Line2D([], [], color=style.TARGET_COLOUR, marker="|", ls="", ms=12,
                          label=target_label)]
    fig.suptitle(wrap(f"{title} : {year}", 80), fontsize=10.5, fontweight="bold", x=0.01,
                 ha="left")
    fig.legend(handles=handles, loc="lower center", ncol=3, bbox_to_anchor=(0.5, 0.0),
               fontsize=8)
    fig.tight_layout(rect=(0, 0.06, 1, 0.97 if len(items) > 1 else 0.95))
    return fig


def _spread_ends(ends: list[tuple], frame: pd.DataFrame) -> list[tuple]:
    """Where to write each line's name: ``(x, y of the line's end, y of its name, name)``,
    names of ends that would print on top of each other (same year, closer than 8 % of the
    value range) moved apart, upwards, in the order of their values."""
    values = frame.to_numpy(dtype="float64").ravel()
    values = values[~pd.isna(values)]
    gap = 0.08 * (float(values.max() - values.min()) if len(values) else 0.0) or 1.0
    out: list[tuple] = []
    for x, y, label in sorted(ends, key=lambda e: (e[0], e[1])):
        placed = y
        if out and out[-1][0] == x and placed - out[-1][2] < gap:
            placed = out[-1][2] + gap
        out.append((x, y, placed, label))
    return out


def _others(ax, frame: pd.DataFrame, names: dict[str, str] | None = None) -> str:
    """The other pairs, faint: a line each, named at its last known value (``names``: pair →
    short name), or their median and range beyond a dozen."""
    if frame.shape[1] <= MAX_DRAWN_OTHERS:
        ends = []
        for pair in frame.columns:
            ax.plot(frame.index, frame[pair].to_numpy(), color=style.OTHERS_COLOUR, lw=0.9,
                    alpha=0.7, marker="o", ms=2.5)
            known = frame[pair].dropna()
            if names and not known.empty:
                ends.append((known.index[-1], float(known.iloc[-1]), names.get(pair, pair)))
        for x, y, placed, label in _spread_ends(ends, frame):
            ax.annotate(label, xy=(x, y), xytext=(x + 0.12, placed), va="center",
                        fontsize=6.5, color="#555555", annotation_clip=False,
                        arrowprops={"arrowstyle": "-", "color": "#bbbbbb", "lw": 0.5}
                        if placed != y else None)
        return _("Autres partenariats (nommés en bout de ligne)") if names else \
            _("Autres partenariats")
    ax.fill_between(frame.index, frame.min(axis=1), frame.max(axis=1),
                    color=style.OTHERS_COLOUR, alpha=0.3, lw=0)
    ax.plot(frame.index, frame.median(axis=1), color=style.OTHERS_COLOUR, lw=1.2)
    return _("Autres partenariats ({n}) : médiane et étendue").format(n=frame.shape[1])


def year_lines(items: list[tuple[Indicator, pd.DataFrame, float | None]], *, highlight: str,
               labels: dict[str, str], target_year: int, target_label: str, title: str,
               names: dict[str, str] | None = None):
    """The years of a window: a line per pair (studied pair in colour), its target dashed.

    Parameters
    ----------
    items : list of (Indicator, DataFrame, float or None)
        Per indicator: years × pairs (studied pair among the columns), the studied pair's
        target at the chosen phase.
    highlight : str
        The studied pair.
    labels : dict
        Pair code → display label.
    target_year : int
        The phase's reference year (a diamond there when it is inside the window).
    target_label : str
        Legend of the target line.
    title : str
        The figure's title.
    names : dict, optional
        Pair code → short name written at the end of each grey line (the Moroccan commune).
    """
    style.apply()
    fig, axes = _grid(len(items), 2.7)
    others_label = _("Autres partenariats")
    for ax, (ind, frame, goal) in zip(axes, items, strict=True):
        years = [int(y) for y in frame.index]
        others = frame.drop(columns=[highlight])
        if others.shape[1]:
            others_label = _others(ax, others, names)
        ax.plot(years, frame[highlight].to_numpy(), color=style.PAIR_COLOUR, lw=2.2,
                marker="o", ms=4)
        has_goal = goal is not None and not pd.isna(goal)
        if has_goal:
            ax.axhline(goal, color=style.TARGET_COLOUR, ls="--", lw=1)
            if years[0] <= target_year <= years[-1]:
                ax.scatter([target_year], [goal], marker="D", s=30, color=style.TARGET_COLOUR,
                           zorder=4)
            ax.annotate(_("cible {year} : {value}").format(
                            year=target_year, value=fmt.target(goal, ind.measure, ind.levels)),
                        xy=(0.01, goal), xycoords=("axes fraction", "data"), ha="left",
                        va="bottom", fontsize=8, color=style.TARGET_COLOUR)
        drawn = [*frame.to_numpy().ravel().tolist(), *([goal] if has_goal else [])]
        ax.set_ylim(*value_limits(ind, drawn))
        _value_axis(ax.yaxis, ind, drawn)
        ax.set_xlim(years[0] - 0.3, years[-1] + (1.1 if names else 0.3))  # room for names
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylabel(wrap(_unit(ind), 28), fontsize=8)
        period = f"{years[0]}-{years[-1]}"
        ax.set_title(wrap(f"{ind.code} — {ind.label}", 40) if len(items) > 1 else
                     wrap(f"{title} : {period}", 70), fontsize=8.5 if len(items) > 1 else 10.5,
                     loc="left")
    handles = [plt.Line2D([], [], color=style.PAIR_COLOUR, lw=2.2, marker="o",
                          label=labels.get(highlight, highlight)),
               plt.Line2D([], [], color=style.OTHERS_COLOUR, label=others_label),
               plt.Line2D([], [], color=style.TARGET_COLOUR, ls="--", label=target_label)]
    if len(items) > 1:
        fig.suptitle(wrap(f"{title} : {period}", 80), fontsize=10.5, fontweight="bold",
                     x=0.01, ha="left")
    fig.legend(handles=handles, loc="lower center", ncol=3, bbox_to_anchor=(0.5, 0.0),
               fontsize=8)
    fig.tight_layout(rect=(0, 0.07, 1, 0.96 if len(items) > 1 else 1))
    return fig
