"""The status of an indicator or a result, by achievement band: codes, labels, bands.

The labels are French catalogue messages marked with ``N_``: translate them where they are shown,
with ``_(STATUS_LABELS[code])`` or :func:`status_label`.

Kept apart from the indicator engine so that reports and the index, which only show statuses,
do not import pandas; :func:`band` is also what :func:`maroc_eval.base.fmt.achievement` uses to
print a figure that never contradicts its status.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from .i18n import N_, _

STATUS_CODES = ("atteint", "en_bonne_voie", "en_retard", "critique", "non_renseigne")
"""Statuses of a formative (mid-term) phase: a trajectory towards the target."""
FINAL_STATUS_CODES = ("atteint", "largement_atteint", "partiellement_atteint", "non_atteint",
                      "non_renseigne")
"""Statuses of a summative (final) phase: how far a result was reached, never a trajectory.
The scale discriminates: « largement atteint » from the phase's ``threshold_on_track`` (set for
the final phase in ``params/phases/final.yml``), « partiellement atteint » from
``threshold_late``."""
STATUS_LABELS = {
    "atteint": N_("Atteint"),
    "en_bonne_voie": N_("En bonne voie"),
    "en_retard": N_("En retard"),
    "critique": N_("Critique"),
    "largement_atteint": N_("Largement atteint"),
    "partiellement_atteint": N_("Partiellement atteint"),
    "non_atteint": N_("Non atteint"),
    "non_renseigne": N_("Non renseigné"),
}
"""Status code → its label (French source; translate at the point of use)."""
PHASE_NATURES = {"formative": N_("formative"), "sommative": N_("sommative")}
"""The nature of a phase as ``params/programme.yml`` writes it → its word (catalogue message:
« Final evaluation (summative) » in English)."""


def nature_label(nature: str) -> str:
    """The nature of a phase in the current language (« sommative », « summative »)."""
    return _(PHASE_NATURES[nature]) if nature in PHASE_NATURES else nature


SHORTFALL = ("en_retard", "critique", "non_atteint")
"""Statuses that call for attention whatever the phase."""
TOLERANCE = 1e-9
"""An achievement within this of a threshold counts as reaching it (float noise)."""


def status_label(code: str) -> str:
    """The label of a status code in the current language (the code itself if unknown).

    Examples
    --------
    >>> status_label("en_retard")
    'En retard'
    """
    return _(STATUS_LABELS[code]) if code in STATUS_LABELS else code


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


def status_code(value, met: float, on_track: float, late: float, *,
                summative: bool = False) -> str:
    """The status of an achievement ratio given the three thresholds (met ≥ on track ≥ late).

    A summative (final) phase judges how far results were reached: « atteint » from ``met``,
    « largement atteint » from ``on_track``, « partiellement atteint » from ``late``,
    « non atteint » below (a result at 98 % and one at 46 % never read the same).
    """
    if summative:
        reached = band(value, (met, on_track, late))
        return "non_renseigne" if reached is None else \
            ("non_atteint", "partiellement_atteint", "largement_atteint", "atteint")[reached]
    reached = band(value, (met, on_track, late))
    if reached is None:
        return "non_renseigne"
    return ("critique", "en_retard", "en_bonne_voie", "atteint")[reached]
