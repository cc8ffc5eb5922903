"""The indicator engine: pure functions from the observations table to logframe figures.

Nothing here reads or writes a file. Every function takes the observations DataFrame described
in :mod:`maroc_eval.core.observations` (columns ``pair, indicator, year, value, dimension, category,
source, comment, file, line``) and the typed programme, and returns numbers, Series or DataFrames.
Unknown values are ``None`` (scalars) or ``NaN`` (Series and DataFrames), never a silent zero.
"""

from __future__ import annotations

import math
import sys
import weakref

import numpy as np
import pandas as pd

from ..errors import ParameterError, suggest
from ..status import STATUS_CODES as STATUS_CODES
from ..status import STATUS_LABELS as STATUS_LABELS
from .programme import Indicator, Programme, Target, Thresholds

ROW_COLUMNS = [
    "ri", "code", "label", "unit", "direction", "measure", "baseline", "target", "actual",
    "achievement_raw", "achievement", "status", "missing_years",
]
_TOLERANCE = 1e-9  # an achievement within this of a threshold counts as reaching it


def _missing(value) -> bool:
    if value is None:
        return True
    try:
        return not math.isfinite(float(value))
    except (TypeError, ValueError):
        return True


def _scalar(value) -> float | None:
    return None if _missing(value) else float(value)


class _Lookup:
    """Where each (pair, indicator)'s rows are in an observations table, and its columns as arrays.

    Built in one pass (``groupby(...).indices``) rather than as one DataFrame per group, so that
    reading every pair of a 60-pair programme stays cheap.
    """

    def __init__(self, obs: pd.DataFrame):
        self.obs = weakref.ref(obs)
        self.positions = obs.groupby(["pair", "indicator"], sort=False).indices if len(obs) else {}
        self.year = obs["year"].to_numpy()
        self.dimension = obs["dimension"].to_numpy()
        self.value = obs["value"].to_numpy()


_LOOKUPS: dict[int, _Lookup] = {}
_NONE = np.empty(0, dtype="int64")


def _lookup(obs: pd.DataFrame) -> _Lookup:
    """The lookup of an observations table, computed once per table.

    Tables are treated as immutable (the toolkit never edits one in place); the entry goes away
    with the table.
    """
    key = id(obs)
    hit = _LOOKUPS.get(key)
    if hit is not None and hit.obs() is obs:
        return hit
    found = _LOOKUPS[key] = _Lookup(obs)
    weakref.finalize(obs, _LOOKUPS.pop, key, None)
    return found


def _positions(obs: pd.DataFrame, indicator: Indicator | str, pair: str) -> np.ndarray:
    code = indicator if isinstance(indicator, str) else indicator.code
    return _lookup(obs).positions.get((pair, code), _NONE)


def _rows(obs: pd.DataFrame, indicator: Indicator | str, pair: str) -> pd.DataFrame:
    return obs.iloc[_positions(obs, indicator, pair)]


def _yearly(obs: pd.DataFrame, indicator: Indicator, pair: str) -> dict[int, float]:
    """The year's total: the row without ventilation if any, else the sum of the categories."""
    look = _lookup(obs)
    out: dict[int, float] = {}
    totals: set[int] = set()
    for i in _positions(obs, indicator, pair):
        year, dim, value = int(look.year[i]), look.dimension[i], float(look.value[i])
        if dim == "":
            if year not in totals:  # the first total row of the year replaces any categories
                out[year] = value
                totals.add(year)
        elif year not in totals:
            out[year] = out.get(year, 0.0) + value
    return out


def annual_series(obs: pd.DataFrame, indicator: Indicator, pair: str, years: list[int]) -> pd.Series:
    """The indicator's value for each year, as the logframe reads it.

    Parameters
    ----------
    obs : pandas.DataFrame
        The observations table.
    indicator : Indicator
        The indicator (its ``accumulation`` decides how rows add up).
    pair : str
        Pair code.
    years : list of int
        Years wanted, consecutive; for a cumulative indicator the first one is where the running
        total starts (normally the baseline year, whose row holds the stock before the programme).

    Returns
    -------
    pandas.Series
        Float values indexed by year, ``NaN`` where unknown. For a cumulative indicator, the
        running total of the annual flows, ``NaN`` from the first missing year on (a gap is never
        counted as zero).
    """
    years = [int(y) for y in years]
    yearly = _yearly(obs, indicator, pair)
    values = [yearly.get(y, math.nan) for y in years]
    if indicator.accumulation == "cumulatif":
        running, cumulated = 0.0, []
        for v in values:
            running = running + v if not math.isnan(running) else math.nan
            cumulated.append(running)
        values = cumulated
    index = pd.Index(years, name="year", dtype="int64")
    return pd.Series(values, index=index, dtype="float64", name=indicator.code)


def value_at(obs: pd.DataFrame, indicator: Indicator, pair: str, year: int, *,
             first_year: int | None = None) -> float | None:
    """The indicator's value at one year (cumulated from ``first_year`` if cumulative).

    Parameters
    ----------
    obs : pandas.DataFrame
        The observations table.
    indicator : Indicator
        The indicator.
    pair : str
        Pair code.
    year : int
        The year.
    first_year : int, optional
        Start of the running total of a cumulative indicator; defaults to the earliest year of
        ``obs`` (the baseline year on a complete table).

    Returns
    -------
    float or None
        ``None`` when unknown.
    """
    year = int(year)
    if first_year is None:
        first_year = int(obs["year"].min()) if len(obs) else year
    if indicator.accumulation != "cumulatif" or first_year > year:
        first_year = year
    series = annual_series(obs, indicator, pair, list(range(first_year, year + 1)))
    return _scalar(series.iloc[-1])


def baseline(obs: pd.DataFrame, indicator: Indicator, pair: str, baseline_year: int) -> float | None:
    """The indicator's value at the baseline year (``None`` when unknown).

    Parameters
    ----------
    obs : pandas.DataFrame
        The observations table.
    indicator : Indicator
        The indicator.
    pair : str
        Pair code.
    baseline_year : int
        Usually ``programme.baseline_year`` (2007).

    Returns
    -------
    float or None
    """
    return value_at(obs, indicator, pair, baseline_year, first_year=baseline_year)


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
    if _missing(raw_achievement):
        return "non_renseigne"
    value = float(raw_achievement) + _TOLERANCE
    if value >= thresholds.met:
        return "atteint"
    if value >= thresholds.on_track:
        return "en_bonne_voie"
    if value >= thresholds.late:
        return "en_retard"
    return "critique"


def missing_years(obs: pd.DataFrame, indicator: Indicator, pair: str, years: list[int]) -> list[int]:
    """Years without any row for this pair and indicator.

    Parameters
    ----------
    obs : pandas.DataFrame
        The observations table.
    indicator : Indicator
        The indicator.
    pair : str
        Pair code.
    years : list of int
        Years expected.

    Returns
    -------
    list of int
    """
    look = _lookup(obs)
    present = {int(look.year[i]) for i in _positions(obs, indicator, pair)}
    return [int(y) for y in years if int(y) not in present]


def _check_choice(value: str, choices: list[str], what: str) -> None:
    if value not in choices:
        raise ParameterError(
            f"{what} inconnu : « {value} »{suggest(value, choices)} ; "
            f"codes valides : {', '.join(choices)}"
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
    _check_choice(pair, programme.pair_codes, "partenariat")
    _check_choice(phase, list(programme.phases), "phase")
    thresholds = thresholds or programme.thresholds
    year0, year = programme.baseline_year, programme.phases[phase].year
    span = list(range(year0, year + 1))
    records = []
    for ind in (programme.indicators_of(ri) if ri else programme.indicators):
        series = annual_series(obs, ind, pair, span)
        base, actual = _scalar(series.iloc[0]), _scalar(series.iloc[-1])
        target = resolve_target(programme.target(ind.code, pair, phase), base)
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


def per_10000(value, population) -> float | None:
    """A count per 10 000 inhabitants.

    Parameters
    ----------
    value : float or None
        The count.
    population : int or float
        Inhabitants.

    Returns
    -------
    float or None
        ``None`` when the value is unknown or the population not positive.
    """
    if _missing(value) or _missing(population) or float(population) <= 0:
        return None
    return float(value) * 10000.0 / float(population)


def disaggregation(obs: pd.DataFrame, indicator: Indicator, pair: str, year: int, *,
                   first_year: int | None = None) -> pd.DataFrame:
    """The indicator split by category (sex, partner type…) at one year.

    Parameters
    ----------
    obs : pandas.DataFrame
        The observations table.
    indicator : Indicator
        The indicator.
    pair : str
        Pair code.
    year : int
        The year.
    first_year : int, optional
        Start of the running total of a cumulative indicator (default: earliest year of ``obs``).

    Returns
    -------
    pandas.DataFrame
        Columns ``category, value, share`` (share of the categories' total, in [0, 1], ``NaN``
        when the total is zero or unknown). A cumulative indicator is cumulated per category up
        to ``year``; a year without any row makes every category unknown, a category absent in
        a reported year counts as zero. Empty when the pair has no disaggregated rows.
    """
    year = int(year)
    rows = _rows(obs, indicator, pair)
    split = rows[rows["dimension"] != ""]
    if indicator.accumulation == "cumulatif":
        start = int(obs["year"].min()) if first_year is None and len(obs) else (first_year or year)
        span = range(min(start, year), year + 1)
    else:
        span = range(year, year + 1)
    split = split[split["year"].isin(list(span))]
    if split.empty:
        return pd.DataFrame({"category": pd.Series(dtype="object"),
                             "value": pd.Series(dtype="float64"),
                             "share": pd.Series(dtype="float64")})
    reported = set(rows["year"].astype(int))
    categories = list(dict.fromkeys(split["category"]))
    if any(y not in reported for y in span):
        values = [math.nan] * len(categories)
    else:
        sums = split.groupby("category", sort=False)["value"].sum(min_count=1)
        values = [float(sums.get(c, math.nan)) for c in categories]
    frame = pd.DataFrame({"category": categories, "value": values}, columns=["category", "value"])
    frame["value"] = frame["value"].astype("float64")
    total = frame["value"].sum(min_count=len(frame), skipna=False)
    if _missing(total) or total <= 0:
        frame["share"] = math.nan
    else:
        frame["share"] = (frame["value"] / total).clip(0.0, 1.0)
    return frame


def target_path(baseline, mid_target, final_target, years: list[int], baseline_year: int,
                mid_year: int, final_year: int) -> pd.Series:
    """The expected trajectory: straight lines baseline → mid-term target → final target.

    Parameters
    ----------
    baseline, mid_target, final_target : float or None
        The three anchor values (a missing one is skipped).
    years : list of int
        Years of the returned series.
    baseline_year, mid_year, final_year : int
        Years of the anchors.

    Returns
    -------
    pandas.Series
        Values indexed by year, ``NaN`` outside the known anchors or when fewer than two are
        known (a lone anchor keeps its own year's value).
    """
    anchors = [(y, float(v)) for y, v in ((baseline_year, baseline), (mid_year, mid_target),
                                          (final_year, final_target)) if not _missing(v)]
    anchors.sort()
    xs = [a[0] for a in anchors]
    ys = [a[1] for a in anchors]
    values = []
    for year in years:
        if xs and xs[0] <= year <= xs[-1]:
            values.append(float(np.interp(year, xs, ys)))
        else:
            values.append(math.nan)
    return pd.Series(values, index=pd.Index([int(y) for y in years], name="year", dtype="int64"),
                     dtype="float64", name="cible")


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
        index, _ = ri_index(group)
        table.loc[pair, ri] = math.nan if index is None else index
    return table
