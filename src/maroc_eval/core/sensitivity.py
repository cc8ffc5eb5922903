"""How robust is each status? Each threshold swept over a documented range, the others kept.

The evaluators choose the thresholds (« en bonne voie » from 75 %…); a status near a threshold
would read differently under a slightly different choice. For every RI of a pair and phase (and
every indicator of it), each threshold that plays a part in the phase is moved over
:data:`SWEEPS` in steps of one point, the status recomputed by the very rule the notebooks use
(:func:`maroc_eval.base.status.status_code`), and the first value at which it changes, on either
side of the threshold in use, is kept. Nothing is re-estimated: a sweep only reads achievements the
run computed, so it costs microseconds per status.

Ranks are another matter: the programme ranks pairs by their overall index, which no threshold
enters; they cannot flip under a threshold and the annex says so rather than sweep them.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..base.status import missing, status_code
from .setting_registry import SETTINGS, THRESHOLD_NAMES

SWEEPS = {
    "threshold_met": (0.85, 1.0),
    "threshold_on_track": (0.60, 0.90),
    "threshold_late": (0.25, 0.55),
}
"""Each threshold's range (ratios, ends included), swept in steps of :data:`STEP`: about fifteen
points on either side of the programme's defaults, the span over which evaluators usually
hesitate (a met threshold above 100 % would ask more than the target)."""
STEP = 0.01
DEFAULTS = {name: SETTINGS[name].default for name in THRESHOLD_NAMES}
"""The thresholds' defaults (:mod:`maroc_eval.core.setting_registry`), for a result that does
not record one."""


@dataclass(frozen=True)
class Flip:
    """Where a status changes when one threshold moves.

    Attributes
    ----------
    setting : str
        The threshold moved (``threshold_on_track``…).
    used : float
        Its value in use.
    lower, upper : tuple of (float, str) or None
        The nearest value below (above) the one in use, within the range, at which the status
        changes, with the status it becomes; ``None``: none within the range.
    """

    setting: str
    used: float
    lower: tuple[float, str] | None
    upper: tuple[float, str] | None

    @property
    def stable(self) -> bool:
        """No change anywhere in the range."""
        return self.lower is None and self.upper is None


@dataclass(frozen=True)
class StatusSensitivity:
    """One status (an RI's or an indicator's) and how each threshold would move it."""

    subject: str
    value: float | None
    status: str
    flips: tuple[Flip, ...]

    @property
    def stable(self) -> bool:
        """The status holds over every range swept (or no threshold decides it)."""
        return all(f.stable for f in self.flips)

    @property
    def swept(self) -> bool:
        """Whether thresholds decide this status (its figure is known and its status follows
        from it); otherwise nothing was swept."""
        return bool(self.flips) and self.value is not None


def settings_of(summative: bool) -> tuple[str, ...]:
    """The thresholds that play a part in a phase: all three (at a summative phase
    ``threshold_on_track`` is the « largement atteint » one)."""
    return tuple(THRESHOLD_NAMES)


def _status(value, thresholds: dict[str, float], summative: bool) -> str:
    return status_code(value, thresholds["threshold_met"], thresholds["threshold_on_track"],
                       thresholds["threshold_late"], summative=summative)


def _grid(low: float, high: float) -> list[float]:
    steps = round((high - low) / STEP)
    return [round(low + i * STEP, 10) for i in range(steps + 1)]


def sweep(value, thresholds: dict[str, float], summative: bool) -> StatusSensitivity:
    """How each threshold of the phase would move the status of ``value``.

    Parameters
    ----------
    value : float or None
        The achievement (an RI's index or an indicator's capped achievement).
    thresholds : dict
        The thresholds in use (``threshold_met``, ``threshold_on_track``, ``threshold_late``).
    summative : bool
        A final phase (« atteint / partiellement atteint / non atteint »).

    Examples
    --------
    >>> s = sweep(0.79, {"threshold_met": 1.0, "threshold_on_track": 0.75,
    ...                  "threshold_late": 0.4}, summative=False)
    >>> s.status, s.flips[1].upper
    ('en_bonne_voie', (0.8, 'en_retard'))
    """
    used = {**DEFAULTS, **{k: float(v) for k, v in thresholds.items() if v is not None}}
    status = _status(value, used, summative)
    flips = []
    for setting in settings_of(summative):
        low, high = SWEEPS[setting]
        here = used[setting]
        below = [v for v in _grid(low, high) if v < here - 1e-12]
        above = [v for v in _grid(low, high) if v > here + 1e-12]
        lower = upper = None
        if not missing(value):
            for v in reversed(below):
                other = _status(value, _ordered({**used, setting: v}, setting), summative)
                if other != status:
                    lower = (v, other)
                    break
            for v in above:
                other = _status(value, _ordered({**used, setting: v}, setting), summative)
                if other != status:
                    upper = (v, other)
                    break
        flips.append(Flip(setting, here, lower, upper))
    return StatusSensitivity("", None if missing(value) else float(value), status, tuple(flips))


def _ordered(thresholds: dict[str, float], moved: str) -> dict[str, float]:
    """Thresholds kept in order (met ≥ on track ≥ late) when one of them moves past another:
    the one moved wins, the others follow it."""
    met, on_track, late = (thresholds["threshold_met"], thresholds["threshold_on_track"],
                           thresholds["threshold_late"])
    if moved == "threshold_met":
        on_track, late = min(on_track, met), min(late, met)
    elif moved == "threshold_on_track":
        met, late = max(met, on_track), min(late, on_track)
    else:
        on_track, met = max(on_track, late), max(met, late)
    return {"threshold_met": met, "threshold_on_track": on_track, "threshold_late": late}


def result_sensitivity(result: dict, summative: bool) -> tuple[StatusSensitivity,
                                                               list[StatusSensitivity]]:
    """An RI's status and its indicators' statuses, each swept (``result``: the RI sidecar as a
    dict, with its ``parameters`` — the thresholds the run used)."""
    thresholds = {k: (result.get("parameters") or {}).get(k) for k in DEFAULTS}

    def swept(subject: str, value, recorded: str | None) -> StatusSensitivity:
        found = sweep(value, thresholds, summative)
        if recorded is not None and found.status != recorded:
            # a status that does not follow from its figure alone (too few indicators reported,
            # say): no threshold decides it, nothing is swept
            return StatusSensitivity(subject, found.value, recorded, ())
        return StatusSensitivity(subject, found.value, found.status, found.flips)

    ri = swept(result.get("ri", ""), result.get("index"), result.get("status"))
    return ri, [swept(row["code"], row.get("achievement"), row.get("status"))
                for row in result.get("indicators", [])]
