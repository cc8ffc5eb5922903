"""The exploration notebook's view: one indicator, one pair, chosen years, compared with others."""

from __future__ import annotations

import pandas as pd

from .. import fmt
from ..core import series
from ..errors import ParameterError, suggest
from . import charts, tables
from .context import Context
from .display import show


class Exploration:
    """An indicator's series for a pair over chosen years, beside other pairs.

    Parameters
    ----------
    ctx : Context
    indicator : str
        Indicator code (``"RI3.1"``).
    first_year, last_year : int
        The period shown (within the programme's years).
    compare_with : list of str
        Other pairs to draw; empty means all of them.
    """

    def __init__(self, ctx: Context, indicator: str, first_year: int, last_year: int,
                 compare_with=()):
        programme = ctx.programme
        if indicator not in programme.indicator_map:
            raise ParameterError(f"Paramètre indicator : indicateur inconnu « {indicator} »"
                                 f"{suggest(indicator, list(programme.indicator_map))}. "
                                 f"Valeurs possibles : {', '.join(programme.indicator_map)}.")
        years = ctx.years  # what the phase can see
        first_year = years[0] if first_year is None else first_year
        last_year = years[-1] if last_year is None else last_year
        if not (isinstance(first_year, int) and isinstance(last_year, int)
                and years[0] <= first_year <= last_year <= years[-1]):
            raise ParameterError(f"Paramètres first_year/last_year = {first_year}/{last_year} : "
                                 f"attendu {years[0]} ≤ first_year ≤ last_year ≤ {years[-1]}.")
        unknown = [p for p in compare_with if p not in programme.pair_codes]
        if unknown:
            raise ParameterError(f"Paramètre compare_with : partenariat(s) inconnu(s) "
                                 f"{', '.join(unknown)}. "
                                 f"Valeurs possibles : {', '.join(programme.pair_codes)}.")
        self.ctx = ctx
        self.indicator = programme.indicator_map[indicator]
        self.years = list(range(first_year, last_year + 1))
        self.others = [p for p in (compare_with or programme.pair_codes) if p != ctx.pair.code]

    def series(self) -> pd.DataFrame:
        """Years × pairs (the studied pair first)."""
        return pd.DataFrame({p: series.annual_series(self.ctx.observations, self.indicator, p,
                                                     self.years)
                             for p in [self.ctx.pair.code, *self.others]})

    def table(self) -> None:
        """The series as a French-formatted table."""
        s = self.series()
        labels = self.ctx.pair_labels()
        ind = self.indicator
        show(tables.table(["Année", *[labels[p] for p in s.columns]],
                          [[y, *[fmt.value(v, ind.measure, ind.levels) for v in row]]
                           for y, row in s.iterrows()],
                          caption=f"{ind.code} — {ind.label} ({ind.unit})"))

    def chart(self) -> None:
        """The pair highlighted against the others."""
        s = self.series()
        show(charts.lines({p: s[p] for p in s.columns}, highlight=self.ctx.pair.code,
                          title=f"{self.indicator.code} — {self.indicator.label}",
                          ylabel=self.indicator.unit, measure=self.indicator.measure,
                          labels=self.ctx.pair_labels()))

    def raw(self) -> None:
        """The observation rows behind the series, with where they come from."""
        obs = self.ctx.observations
        rows = obs[(obs["pair"] == self.ctx.pair.code) & (obs["indicator"] == self.indicator.code)
                   & obs["year"].isin(self.years)]
        show(tables.table(["Année", "Ventilation", "Valeur", "Source", "Commentaire",
                           "Fichier:ligne"],
                          [[r.year, f"{r.dimension}={r.category}" if r.dimension else "",
                            fmt.number(r.value), r.source, r.comment, f"{r.file}:{r.line}"]
                           for r in rows.itertuples()]))
