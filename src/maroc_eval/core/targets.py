"""An indicator's targets, for any phase the programme defines.

The logframe gives targets for some phases (``cibles: {midterm: 2, final: 4}``), absolute or
relative to the pair's baseline (``+25%``), possibly overridden for a pair. A phase without its
own target (an intermediate review added in ``params/programme.yml``, say) is judged against the
target path: the straight lines from the baseline through the targets of the phases that have
one, read at the phase's year. Adding a phase therefore needs no code.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..base.status import missing as _missing
from .programme import Programme
from .programme_items import Indicator, Target


def resolve_target(target: Target, baseline: float | None) -> float | None:
    """The target as a number: absolute as is, relative as ``baseline × (1 + value/100)``.

    Parameters
    ----------
    target : Target
        The logframe target (``relative=True`` for « +25 % »).
    baseline : float or None
        The pair's baseline value.

    Returns
    -------
    float or None
        ``None`` when a relative target has no baseline.

    Examples
    --------
    >>> resolve_target(Target(value=25, relative=True), 80)
    100.0
    """
    if not target.relative:
        return float(target.value)
    if _missing(baseline):
        return None
    return float(baseline) * (1.0 + target.value / 100.0)


def anchors(programme: Programme, indicator: Indicator | str, pair: str,
            baseline: float | None) -> list[tuple[int, float]]:
    """The points the target path goes through: the baseline, then each phase's own target.

    Returns
    -------
    list of (int, float)
        ``(year, value)`` sorted by year; unknown values (no baseline for a relative target)
        left out.
    """
    code = indicator if isinstance(indicator, str) else indicator.code
    points = [(programme.baseline_year, baseline)]
    for phase in programme.phases.values():
        own = programme.target(code, pair, phase.code)
        if own is not None:
            points.append((phase.year, resolve_target(own, baseline)))
    return sorted((int(y), float(v)) for y, v in points if not _missing(v))


def phase_target(programme: Programme, indicator: Indicator | str, pair: str, phase: str,
                 baseline: float | None) -> float | None:
    """The target of an indicator for a pair at a phase, as a number.

    The phase's own target (per-pair override first) when the logframe gives one; otherwise
    the target path at the phase's year (after the last target: that target).

    Returns
    -------
    float or None
        ``None`` when it cannot be known (a relative target without baseline).
    """
    code = indicator if isinstance(indicator, str) else indicator.code
    own = programme.target(code, pair, phase)
    if own is not None:
        return resolve_target(own, baseline)
    points = anchors(programme, code, pair, baseline)
    if len(points) < 2:
        return None
    year = programme.phases[phase].year
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return float(np.interp(year, xs, ys))


def final_target(programme: Programme, indicator: Indicator | str, pair: str,
                 baseline: float | None) -> tuple[int, float] | None:
    """The last target of the path: ``(year, value)``, the end of the programme's ambition."""
    points = anchors(programme, indicator, pair, baseline)
    return points[-1] if len(points) > 1 else None


def target_path(points: list[tuple[int, float]], years: list[int]) -> pd.Series:
    """The expected trajectory through ``points``, read at ``years``.

    Parameters
    ----------
    points : list of (int, float)
        :func:`anchors`.
    years : list of int
        Years of the returned series.

    Returns
    -------
    pandas.Series
        Values indexed by year; ``NaN`` outside the points or with fewer than two of them.
    """
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    values = [float(np.interp(y, xs, ys)) if len(xs) > 1 and xs[0] <= y <= xs[-1] else math.nan
              for y in years]
    return pd.Series(values, index=pd.Index([int(y) for y in years], name="year", dtype="int64"),
                     dtype="float64", name="cible")
