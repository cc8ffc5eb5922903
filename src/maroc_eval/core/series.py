"""An indicator's values over the years, from the observations table: pure functions.

Nothing here reads or writes a file. Every function takes the observations DataFrame described
in :mod:`maroc_eval.core.observations` (columns ``pair, indicator, year, value, dimension,
category, source, comment, file, line``) and returns numbers, Series or DataFrames. Unknown
values are ``None`` (scalars) or ``NaN`` (Series and DataFrames), never a silent zero: a gap in a
cumulative series makes the later totals unknown.
"""

from __future__ import annotations

import math
import weakref

import numpy as np
import pandas as pd

from ..base.status import missing as _missing
from .programme_items import Indicator


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


def annual_series(obs: pd.DataFrame, indicator: Indicator, pair: str,
                  years: list[int]) -> pd.Series:
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


def baseline(obs: pd.DataFrame, indicator: Indicator, pair: str,
             baseline_year: int) -> float | None:
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


def missing_years(obs: pd.DataFrame, indicator: Indicator, pair: str,
                  years: list[int]) -> list[int]:
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


