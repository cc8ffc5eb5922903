"""The status of an indicator or a result, by achievement band: codes, French labels, bands.

Kept apart from the indicator engine so that reports and the index, which only show statuses,
do not import pandas; :func:`band` is also what :func:`maroc_eval.fmt.achievement` uses to print
a figure that never contradicts its status.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

STATUS_CODES = ("atteint", "en_bonne_voie", "en_retard", "critique", "non_renseigne")
STATUS_LABELS = {
    "atteint": "Atteint",
    "en_bonne_voie": "En bonne voie",
    "en_retard": "En retard",
    "critique": "Critique",
    "non_renseigne": "Non renseigné",
}
TOLERANCE = 1e-9
"""An achievement within this of a threshold counts as reaching it (float noise)."""


def missing(value) -> bool:
    """Whether a value is unknown (``None``, NaN, infinite or not a number)."""
    if value is None:
        return True
    try:
        return not math.isfinite(float(value))
    except (TypeError, ValueError):
        return True


def band(value, edges: Sequence[float]) -> int | None:
    """How many of the thresholds ``edges`` an achievement reaches (``None`` when unknown).

    Parameters
    ----------
    value : float or None
        Achievement ratio (1.0 = 100 %).
    edges : sequence of float
        Thresholds in any order; reaching one means ``value + TOLERANCE >= edge``.

    Examples
    --------
    >>> band(0.8, (1.0, 0.75, 0.4))
    2
    """
    if missing(value):
        return None
    return sum(float(value) + TOLERANCE >= edge for edge in edges)


def status_code(value, met: float, on_track: float, late: float) -> str:
    """The status of an achievement ratio given the three thresholds (met ≥ on track ≥ late)."""
    reached = band(value, (met, on_track, late))
    if reached is None:
        return "non_renseigne"
    return ("critique", "en_retard", "en_bonne_voie", "atteint")[reached]
