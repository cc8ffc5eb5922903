"""The logframe judged: targets, achievement, status, and the indicator rows of a pair.

Pure functions over the observations table (read through :mod:`maroc_eval.core.series`) and the
typed programme. Unknown values are ``None`` (scalars) or ``NaN`` (DataFrames), never a silent
zero; an unknown achievement has the status ``non_renseigne``.
"""

from __future__ import annotations

import math
import sys

import numpy as np
import pandas as pd

from ..base.errors import ParameterError, suggest
from ..base.i18n import _
from ..base.status import STATUS_CODES as STATUS_CODES
from ..base.status import STATUS_LABELS as STATUS_LABELS
from ..base.status import missing as _missing
from ..base.status import status_code
from .programme import Programme
from .series import _scalar, annual_series, missing_years
from .targets import phase_target
from .thresholds import Thresholds

ROW_COLUMNS = [
    "ri", "code", "label", "unit", "direction", "measure", "baseline", "target", "actual",
    "achievement_raw", "achievement", "status", "missing_years",
]


def achievement(actual, baseline, target, direction: str) -> tuple[float | None, float | None]:
    """How far the indicator went from its baseline towards its target.

    Parameters
    ----------
    actual, baseline, target : float or None
        Values of the indicator.
    direction : {"hausse", "baisse"}
        Whether higher or lower values are better.

    Returns
    -------
    tuple of (float or None, float or None)
        The raw ratio ``(actual − baseline) / (target − baseline)`` and the same capped to
        [0, 1]; ``(None, None)`` if a value is missing. When the target does not ask for any
        progress (target equal to the baseline, or on the wrong side of it), the indicator is met,
        ``(1.0, 1.0)``, if the actual value reaches the target in the right direction, else
        ``(0.0, 0.0)``.

    Examples
    --------
    >>> achievement(30, 40, 20, "baisse")
    (0.5, 0.5)
    """
    if _missing(actual) or _missing(baseline) or _missing(target):
        return None, None
    sign = -1.0 if direction == "baisse" else 1.0
    a, b, t = float(actual), float(baseline), float(target)
    if (t - b) * sign <= 0:
        met = a >= t if sign > 0 else a <= t
        return (1.0, 1.0) if met else (0.0, 0.0)
    num, den = a - b, t - b
    if not (math.isfinite(num) and math.isfinite(den)):
        # Differences of huge values overflow: halving both leaves the ratio unchanged.
        num, den = a / 2 - b / 2, t / 2 - b / 2
    raw = num / den
    if not math.isfinite(raw):
        raw = math.copysign(sys.float_info.max, raw)
    return raw, min(max(raw, 0.0), 1.0)


def status(raw_achievement, thresholds: Thresholds) -> str:
    """The status band of an achievement ratio.

    Parameters
    ----------
    raw_achievement : float or None
        Uncapped achievement (1.0 = 100 %).
    thresholds : Thresholds
        The programme's bands (atteint, en_bonne_voie, en_retard).

    Returns
    -------
    str
        One of :data:`STATUS_CODES`; ``non_renseigne`` when the achievement is unknown.
    """
    return status_code(raw_achievement, thresholds.threshold_met, thresholds.threshold_on_track,
                       thresholds.threshold_late, summative=thresholds.summative)


def _check_choice(value: str, choices: list[str], what: str) -> None:
    if value not in choices:
        raise ParameterError(
            _("{what} inconnu : « {value} »{hint} ; codes valides : {choices}").format(
                what=what, value=value, hint=suggest(value, choices), choices=', '.join(choices))
        )


def indicator_rows(programme: Programme, obs: pd.DataFrame, pair: str, phase: str,
                   thresholds: Thresholds | None = None, ri: str | None = None) -> pd.DataFrame:
    """The logframe of one pair at one phase: baseline, target, actual, achievement, status.

    Parameters
    ----------
    programme : Programme
        The programme definition.
    obs : pandas.DataFrame
        The observations table.
    pair : str
        Pair code.
    phase : str
        Phase code (``midterm`` or ``final``); its reference year gives the actual value.
    thresholds : Thresholds, optional
        Status bands; default ``programme.thresholds``.
    ri : str, optional
        Only the indicators of this intermediate result.

    Returns
    -------
    pandas.DataFrame
        One row per indicator in logframe order, columns :data:`ROW_COLUMNS`; numbers are
        ``NaN`` when unknown; ``missing_years`` lists the years without data from the baseline
        year to the reference year.

    Raises
    ------
    ParameterError
        Unknown pair or phase (the message lists the valid codes).
    """
    _check_choice(pair, programme.pair_codes, _("partenariat"))
    _check_choice(phase, list(programme.phases), _("phase"))
    # The phase decides the vocabulary (a final evaluation never says « en bonne voie »).
    thresholds = (thresholds or programme.thresholds).for_phase(programme.phases[phase].summative)
    year0, year = programme.baseline_year, programme.phases[phase].year
    span = list(range(year0, year + 1))
    records = []
    for ind in (programme.indicators_of(ri) if ri else programme.indicators):
        series = annual_series(obs, ind, pair, span)
        base, actual = _scalar(series.iloc[0]), _scalar(series.iloc[-1])
        target = phase_target(programme, ind, pair, phase, base)
        raw, capped = achievement(actual, base, target, ind.direction)
        records.append({
            "ri": ind.ri, "code": ind.code, "label": ind.label, "unit": ind.unit,
            "direction": ind.direction, "measure": ind.measure,
            "baseline": base, "target": target, "actual": actual,
            "achievement_raw": raw, "achievement": capped, "status": status(raw, thresholds),
            "missing_years": missing_years(obs, ind, pair, span),
        })
    rows = pd.DataFrame.from_records(records, columns=ROW_COLUMNS)
    for col in ("baseline", "target", "actual", "achievement_raw", "achievement"):
        rows[col] = pd.to_numeric(rows[col], errors="coerce").astype("float64")
    return rows


def ri_index(rows: pd.DataFrame) -> tuple[float | None, float]:
    """Summary index of a set of indicator rows (usually one RI).

    Parameters
    ----------
    rows : pandas.DataFrame
        Rows of :func:`indicator_rows` (column ``achievement``).

    Returns
    -------
    tuple of (float or None, float)
        Mean capped achievement over the rows that have one, and coverage (share of rows that
        have one); ``(None, 0.0)`` when no row has a value.
    """
    if len(rows) == 0:
        return None, 0.0
    values = pd.to_numeric(rows["achievement"], errors="coerce").astype("float64")
    known = values[np.isfinite(values)]
    if known.empty:
        return None, 0.0
    return float(known.mean()), len(known) / len(rows)


def all_pairs_rows(programme: Programme, obs: pd.DataFrame, phase: str,
                   thresholds: Thresholds | None = None, ri: str | None = None) -> pd.DataFrame:
    """:func:`indicator_rows` of every pair, concatenated, with a first column ``pair``.

    Parameters
    ----------
    programme : Programme
        The programme definition.
    obs : pandas.DataFrame
        The observations table.
    phase : str
        Phase code.
    thresholds : Thresholds, optional
        Status bands; default ``programme.thresholds``.
    ri : str, optional
        Only the indicators of this intermediate result.

    Returns
    -------
    pandas.DataFrame
        Pairs in programme order, indicators in logframe order.
    """
    frames = []
    for pair in programme.pair_codes:
        rows = indicator_rows(programme, obs, pair, phase, thresholds, ri)
        rows.insert(0, "pair", pair)
        frames.append(rows)
    return pd.concat(frames, ignore_index=True)


def ri_index_table(programme: Programme, obs: pd.DataFrame, phase: str,
                   thresholds: Thresholds | None = None) -> pd.DataFrame:
    """The RI index of every pair: the matrix of the programme synthesis.

    Parameters
    ----------
    programme : Programme
        The programme definition.
    obs : pandas.DataFrame
        The observations table.
    phase : str
        Phase code.
    thresholds : Thresholds, optional
        Status bands; default ``programme.thresholds``.

    Returns
    -------
    pandas.DataFrame
        Index ``pair`` (programme order), one column per RI code, ``NaN`` when no indicator of the
        RI has a value.
    """
    rows = all_pairs_rows(programme, obs, phase, thresholds)
    ri_codes = [r.code for r in programme.results]
    table = pd.DataFrame(index=pd.Index(programme.pair_codes, name="pair"), columns=ri_codes,
                         dtype="float64")
    for (pair, ri), group in rows.groupby(["pair", "ri"], sort=False):
        index, _coverage = ri_index(group)
        table.loc[pair, ri] = math.nan if index is None else index
    return table
