"""Pairs × results grids for the programme synthesis: statuses and evaluators' scores.

Each function returns a :class:`matplotlib.figure.Figure` (shown with
:func:`maroc_eval.notebook.display.show`); colours carry their labels too, for grey prints, and
status cells a hatch pattern as a second channel. Figures sit on a white box over the hatching,
so that the pattern never covers them.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.patches import Patch

from ..base import fmt
from ..base.i18n import _
from ..base.status import STATUS_CODES, STATUS_LABELS
from . import style
from .chart_layout import finish, set_title


def _frame(ax, columns: list[str], rows: list[str], title: str, **xtick_style) -> None:
    """Frame a grid of unit cells: one tick per column and row at its centre, no spines."""
    ax.set_xlim(0, len(columns))
    ax.set_ylim(len(rows), 0)
    ax.set_xticks(np.arange(len(columns)) + 0.5, columns, **xtick_style)
    ax.set_yticks(np.arange(len(rows)) + 0.5, rows)
    ax.grid(False)
    ax.tick_params(length=0)
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    set_title(ax, title)


def status_heatmap(achievement: pd.DataFrame, statuses: pd.DataFrame, *, title: str,
                   row_labels: dict | None = None, edges: dict | None = None,
                   note: str | None = None):
    """Pairs × RIs grid coloured by status and annotated with the achievement.

    ``edges`` gives each row's status thresholds (its figures printed in their status's band);
    ``note`` a line under the legend (pairs judged with thresholds of their own).
    """
    style.apply()
    nrows = len(achievement.index)
    height = 0.5 * nrows + 1.6 + (0.4 if note else 0)
    fig, ax = plt.subplots(figsize=(style.FIGURE_WIDTH, height))
    for i, pair in enumerate(achievement.index):
        for j, ri in enumerate(achievement.columns):
            st = statuses.loc[pair, ri]
            ax.add_patch(plt.Rectangle((j, i), 1, 1, facecolor=style.status_colour(st),
                                       edgecolor="white", lw=2, hatch=style.status_hatch(st)))
            v = achievement.loc[pair, ri]
            shown = fmt.achievement(v, (edges or {}).get(pair, ()))
            ax.text(j + 0.5, i + 0.5, _("n.r.") if pd.isna(v) else shown,
                    ha="center", va="center", fontsize=9,
                    bbox={"boxstyle": "round,pad=0.25", "fc": "white", "ec": "none"})
    _frame(ax, [c.replace("RI", "RI ") for c in achievement.columns],
           [(row_labels or {}).get(p, p) for p in achievement.index], title)
    present = set(statuses.to_numpy().ravel())
    shown = [c for c in STATUS_LABELS if c in present] or list(STATUS_CODES)
    legend = [Patch(facecolor=style.status_colour(c), hatch=style.status_hatch(c),
                    edgecolor=style.HATCH_COLOUR, lw=0.4, label=style.status_label(c))
              for c in shown]
    used = 0.0
    if note:
        fig.text(0.01, 0.01, note, fontsize=8, ha="left", va="bottom", wrap=True)
        used += 0.4
    fig.legend(handles=legend, loc="lower center", ncol=5, bbox_to_anchor=(0.5, used / height))
    finish(fig, rect=(0, (used + 0.35) / height, 1, 1))
    return fig


def score_grid(scores: pd.DataFrame, scale: list[str], *, title: str,
               row_labels: dict | None = None, col_labels: dict | None = None):
    """Pairs × criteria grid of rating letters (A best), coloured along the scale."""
    style.apply()
    palette = ["#009E73", "#56B4E9", "#E69F00", "#D55E00", "#CC79A7", "#999999"]
    nrows = len(scores.index)
    fig, ax = plt.subplots(figsize=(style.FIGURE_WIDTH, 0.5 * nrows + 1.4))
    for i, r in enumerate(scores.index):
        for j, c in enumerate(scores.columns):
            s = scores.loc[r, c]
            colour = palette[scale.index(s)] if isinstance(s, str) and s in scale else "#eeeeee"
            ax.add_patch(plt.Rectangle((j, i), 1, 1, facecolor=colour, edgecolor="white", lw=2))
            ax.text(j + 0.5, i + 0.5, s if isinstance(s, str) else "—", ha="center", va="center",
                    fontsize=10, fontweight="bold")
    _frame(ax, [(col_labels or {}).get(c, c) for c in scores.columns],
           [(row_labels or {}).get(p, p) for p in scores.index], title,
           rotation=20, ha="right")
    finish(fig)
    return fig
