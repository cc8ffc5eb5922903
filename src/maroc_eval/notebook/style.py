"""One visual style for every chart and table: colour-blind-safe status colours, print-friendly.

Colours come from the Okabe–Ito palette (safe for the common colour-vision deficiencies); every
coloured status also carries a second channel — a hatch pattern on bars and cells, a marker shape
on dots — and its text label, so that orange (« en retard ») and vermillion (« critique ») stay
apart for every reader and in a grey-scale print.

Print size: figures are :data:`FIGURE_WIDTH` inches wide, no wider than the text block of an A4
page (210 mm less the margins), and rendered at :data:`PRINT_DPI`, so that a report scales them
*up* to the text width, never down: text set at :data:`MIN_FONT_PT` or more prints at least
that size.
"""

from __future__ import annotations

from ..base.i18n import _
from ..base.status import STATUS_LABELS

STATUS_COLOURS = {
    "atteint": "#009E73",        # bluish green
    "en_bonne_voie": "#56B4E9",  # sky blue
    "en_retard": "#E69F00",      # orange
    "critique": "#D55E00",       # vermillion
    "largement_atteint": "#56B4E9",      # final phase: sky blue, as « en bonne voie »
    "partiellement_atteint": "#E69F00",  # final phase: orange, as « en retard »
    "non_atteint": "#D55E00",            # final phase: vermillion, as « critique »
    "non_renseigne": "#BBBBBB",  # grey
}
STATUS_HATCHES = {"atteint": "", "en_bonne_voie": "..", "en_retard": "//", "critique": "xx",
                  "largement_atteint": "..", "partiellement_atteint": "//", "non_atteint": "xx",
                  "non_renseigne": ""}
STATUS_MARKERS = {"atteint": "o", "en_bonne_voie": "s", "en_retard": "^", "critique": "X",
                  "largement_atteint": "s", "partiellement_atteint": "^", "non_atteint": "X",
                  "non_renseigne": "."}
HATCH_COLOUR = "#333333"   # hatch lines on status bars (dark, visible on every status colour)

PAIR_COLOUR = "#0072B2"   # the pair under evaluation: blue
TARGET_COLOUR = "#000000"  # target path: black dashed
OTHERS_COLOUR = "#999999"  # other pairs: faint grey
SCORE_COLOURS = ["#009E73", "#56B4E9", "#E69F00", "#D55E00", "#CC79A7", "#F0E442"]

FIGURE_WIDTH = 6.5
"""Inches: 165 mm, within the 178 mm text block of an A4 page with 16 mm margins."""
PRINT_DPI = 150
"""Dots per inch of the rendered PNG: 975 pixels across, sharp in print, small in a report."""
MIN_FONT_PT = 8.0
"""No chart text is smaller than this (points, at the figure's size)."""

RC_PARAMS = {
    "figure.figsize": (FIGURE_WIDTH, 3.2),
    "figure.dpi": 100,
    "savefig.dpi": PRINT_DPI,
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "axes.labelsize": 9,
    "xtick.labelsize": 8.5,
    "ytick.labelsize": 8.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "legend.frameon": False,
    "legend.fontsize": 8.5,
    "legend.title_fontsize": 8.5,
    "hatch.linewidth": 0.8,
    "axes.formatter.use_locale": False,
}


def apply() -> None:
    """Apply the toolkit's matplotlib style (call once per notebook, done by ``nbkit``)."""
    import matplotlib as mpl

    mpl.rcParams.update(RC_PARAMS)


def status_colour(status: str) -> str:
    """Fill colour of a status code."""
    return STATUS_COLOURS.get(status, STATUS_COLOURS["non_renseigne"])


def status_hatch(status: str) -> str:
    """Hatch pattern of a status code (the second channel of bars and grid cells)."""
    return STATUS_HATCHES.get(status, "")


def status_marker(status: str) -> str:
    """Marker shape of a status code (the second channel of dots)."""
    return STATUS_MARKERS.get(status, "o")


def status_label(status: str) -> str:
    """Label of a status code, in the language spoken."""
    return _(STATUS_LABELS[status]) if status in STATUS_LABELS else status
