"""One visual style for every chart and table: colour-blind-safe status colours, print-friendly.

Colours come from the Okabe–Ito palette (safe for the common colour-vision deficiencies); every
coloured status also carries its text label, so a grey-scale print stays readable.
"""

from __future__ import annotations

from ..status import STATUS_LABELS

STATUS_COLOURS = {
    "atteint": "#009E73",        # bluish green
    "en_bonne_voie": "#56B4E9",  # sky blue
    "en_retard": "#E69F00",      # orange
    "critique": "#D55E00",       # vermillion
    "non_renseigne": "#BBBBBB",  # grey
}
STATUS_HATCHES = {"atteint": "", "en_bonne_voie": "..", "en_retard": "//", "critique": "xx",
                  "non_renseigne": ""}

PAIR_COLOUR = "#0072B2"   # the pair under evaluation: blue
TARGET_COLOUR = "#000000"  # target path: black dashed
OTHERS_COLOUR = "#999999"  # other pairs: faint grey
SCORE_COLOURS = ["#009E73", "#56B4E9", "#E69F00", "#D55E00", "#CC79A7", "#F0E442"]

RC_PARAMS = {
    "figure.figsize": (7.0, 3.4),
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "legend.frameon": False,
    "legend.fontsize": 8.5,
    "axes.formatter.use_locale": False,
}


def apply() -> None:
    """Apply the toolkit's matplotlib style (call once per notebook, done by ``nbkit``)."""
    import matplotlib as mpl

    mpl.rcParams.update(RC_PARAMS)


def status_colour(status: str) -> str:
    """Fill colour of a status code."""
    return STATUS_COLOURS.get(status, STATUS_COLOURS["non_renseigne"])


def status_label(status: str) -> str:
    """French label of a status code."""
    return STATUS_LABELS.get(status, status)
