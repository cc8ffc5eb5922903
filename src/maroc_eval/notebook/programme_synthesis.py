"""The programme synthesis: every pair at one phase, from the pair and RI sidecars.

Each section displays itself; a result that failed in this run or is missing is shown as
unavailable.
"""

from __future__ import annotations

import statistics
from functools import cached_property

import pandas as pd

from .. import fmt
from ..catalogue import PAIR_SYNTHESIS, RI_NOTEBOOKS
from ..core import indicators
from ..sidecar import PairResult, ProgrammeResult, RIResult
from . import charts, grids, tables
from .context import Context
from .display import show
from .pair_synthesis import BAD_STATUSES
from .sidecars import ctx_name, read_result, save


def _criterion_score(ctx: Context, pair: str, criterion: str) -> str | None:
    found = (ctx.judgements.criteria(ctx.phase.code, pair).get(criterion) if ctx.judgements
             else None)
    return found.score if found else None


class ProgrammeSynthesis:
    """Synthesis of every pair at one phase, from the pair and RI sidecars."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.ri_codes = [spec.ri for spec in RI_NOTEBOOKS]

    @cached_property
    def ri_results(self) -> dict[tuple[str, str], RIResult | None]:
        """(pair, RI) → sidecar or None."""
        return {(p, spec.ri): read_result(self.ctx, p, spec.stem, RIResult)
                for p in self.ctx.programme.pair_codes for spec in RI_NOTEBOOKS}

    @cached_property
    def pair_results(self) -> dict[str, PairResult | None]:
        """pair → pair-synthesis sidecar or None."""
        return {p: read_result(self.ctx, p, PAIR_SYNTHESIS.stem, PairResult)
                for p in self.ctx.programme.pair_codes}

    @property
    def unavailable(self) -> list[str]:
        """``pair/RI`` and ``pair/synthese`` entries that are missing."""
        out = [f"{p}/{ri}" for (p, ri), r in self.ri_results.items() if r is None]
        return out + [f"{p}/{PAIR_SYNTHESIS.stem}" for p, r in self.pair_results.items()
                      if r is None]

    def matrix(self) -> pd.DataFrame:
        """Pairs × RIs: the RI index (NaN when unavailable or not filled)."""
        return pd.DataFrame({ri: {p: (r.index
                                      if (r := self.ri_results[(p, ri)]) and r.index is not None
                                      else float("nan")) for p in self.ctx.programme.pair_codes}
                             for ri in self.ri_codes}, dtype=float)

    def statuses(self) -> pd.DataFrame:
        """Pairs × RIs: the status codes."""
        return pd.DataFrame({ri: {p: (r.status if (r := self.ri_results[(p, ri)])
                                      else "non_renseigne")
                                  for p in self.ctx.programme.pair_codes} for ri in self.ri_codes})

    def own_thresholds(self) -> dict:
        """Each pair's status thresholds (its own files, under the same explicit values)."""
        return {p: self.ctx.thresholds_of(p) for p in self.ctx.programme.pair_codes}

    def heatmap(self) -> None:
        """Display the pairs × RIs status heatmap, each pair judged with its own thresholds."""
        ctx, own = self.ctx, self.own_thresholds()
        show(grids.status_heatmap(self.matrix(), self.statuses(), row_labels=ctx.pair_labels(),
                                  title=f"Réalisation par partenariat et par RI, {ctx.year}",
                                  edges={p: t.edges for p, t in own.items()},
                                  note=charts.own_thresholds_note(own, ctx.pair_labels(),
                                                                  ctx.thresholds)))
        if self.unavailable:
            show(tables.notice("Résultats indisponibles : " + ", ".join(self.unavailable),
                               "indisponible"))

    def overall(self) -> pd.Series:
        """Overall index per pair (mean of its available RI indices)."""
        return self.matrix().mean(axis=1, skipna=True)

    def ranked_pairs(self) -> list[str]:
        """Pairs from the highest overall index to the lowest (pairs without data last)."""
        return list(self.overall().sort_values(ascending=False, na_position="last").index)

    def spread(self) -> pd.DataFrame:
        """Per RI: mean, minimum, maximum and standard deviation of the pairs' indices."""
        m = self.matrix()
        return pd.DataFrame({"moyenne": m.mean(), "minimum": m.min(), "maximum": m.max(),
                             "ecart_type": m.std(ddof=0), "n": m.count()})

    def ranking(self) -> None:
        """Ranking of the pairs and spread per RI."""
        ctx, own = self.ctx, self.own_thresholds()
        overall = self.overall()
        statuses = pd.Series({p: indicators.status(None if pd.isna(v) else v, own[p])
                              for p, v in overall.items()})
        show(charts.ranking_bars(overall, None, labels=ctx.pair_labels(), statuses=statuses,
                                 reference=ctx.thresholds.threshold_met,
                                 edges={p: t.edges for p, t in own.items()},
                                 note=charts.own_thresholds_note(own, ctx.pair_labels(),
                                                                 ctx.thresholds),
                                 title=f"Indice global par partenariat, {ctx.year}"))
        s = self.spread()
        show(tables.table(["RI", "Moyenne", "Minimum", "Maximum", "Écart-type", "Partenariats"],
                          [[ri.replace("RI", "RI "), fmt.achievement(r.moyenne),
                            fmt.achievement(r.minimum), fmt.achievement(r.maximum),
                            fmt.number(None if pd.isna(r.ecart_type) else r.ecart_type * 100, 1),
                            int(r.n)] for ri, r in s.iterrows()],
                          caption="Dispersion des indices entre partenariats "
                                  "(écart-type en points de %)"))

    def aggregate_table(self) -> pd.DataFrame:
        """Programme-wide totals at the reference year, summed over pairs with a value."""
        ctx = self.ctx
        wanted = ["RI1.2", "RI3.1", "RI3.2", "RI5.2", "RI5.4", "RI7.1", "RI7.4"]
        rows = []
        for code in wanted:
            ind = ctx.programme.indicator_map[code]
            values = [row.actual for (p, ri), r in self.ri_results.items() if r and ri == ind.ri
                      for row in r.indicators if row.code == code and row.actual is not None]
            rows.append({"code": code, "label": ind.label, "unit": ind.unit,
                         "total": sum(values) if values else None, "pairs": len(values)})
        return pd.DataFrame(rows)

    def aggregates(self) -> None:
        """The programme-wide aggregates."""
        a = self.aggregate_table()
        show(tables.table(["Code", "Indicateur", f"Total {self.ctx.year}", "Unité",
                           "Partenariats renseignés"],
                          [[r.code, r.label, fmt.number(r.total, 0), r.unit, r.pairs]
                           for r in a.itertuples()],
                          caption="Agrégats du programme (somme des partenariats renseignés)"))

    def dac_scores(self) -> None:
        """The DAC scores of all pairs."""
        ctx = self.ctx
        grid = pd.DataFrame({c.code: {p: _criterion_score(ctx, p, c.code)
                                      for p in ctx.programme.pair_codes}
                             for c in ctx.programme.criteria})
        show(grids.score_grid(grid, ctx.programme.rating_codes,
                              title="Critères du CAD par partenariat",
                              row_labels=ctx.pair_labels(),
                              col_labels={c.code: c.label for c in ctx.programme.criteria}))

    def common_findings(self) -> None:
        """Shared strengths and weaknesses across pairs, and every pair's recommendations per RI."""
        ctx = self.ctx
        st = self.statuses()
        weak, strong = [], []
        for ri in self.ri_codes:
            known = [s for s in st[ri] if s != "non_renseigne"]
            if not known:
                continue
            if sum(s in BAD_STATUSES for s in known) * 2 >= len(known):
                weak.append(f"{ri.replace('RI', 'RI ')} : {sum(s in BAD_STATUSES for s in known)} "
                            f"partenariats sur {len(known)} en retard ou critiques")
            elif all(s in ("atteint", "en_bonne_voie") for s in known):
                strong.append(f"{ri.replace('RI', 'RI ')} : tous les partenariats renseignés "
                              "sont en bonne voie ou ont atteint leurs cibles")
        parts = [tables.bullets(weak, title="Faiblesses communes (au moins la moitié des "
                                            "partenariats en retard)",
                                empty="Aucune faiblesse partagée par la moitié des partenariats."),
                 tables.bullets(strong, title="Points forts communs",
                                empty="Aucun point fort partagé par tous.")]
        labels = ctx.pair_labels()
        for ri in self.ri_codes:
            recs = [f"{labels[p]} : {rec}" for p in ctx.programme.pair_codes
                    if (r := self.ri_results[(p, ri)]) for rec in r.judgement.recommendations]
            parts.append(tables.bullets(recs, title=f"Recommandations — {ri.replace('RI', 'RI ')}",
                                        empty="Aucune recommandation."))
        show(tables.concat(*parts))

    def save(self) -> None:
        """Write the programme sidecar."""
        ctx = self.ctx
        m = self.matrix()
        clean = {p: {ri: (None if pd.isna(v) else float(v)) for ri, v in row.items()}
                 for p, row in m.iterrows()}
        means = {ri: (None if pd.isna(v) else float(v)) for ri, v in m.mean().items()}
        spread = {ri: (statistics.pstdev(col.dropna()) if col.count() else None)
                  for ri, col in m.items()}
        result = ProgrammeResult(notebook=ctx.notebook, phase=ctx.phase.code,
                                 reference_year=ctx.year, matrix=clean,
                                 ranking=self.ranked_pairs(), programme_index=means,
                                 spread=spread, unavailable=self.unavailable,
                                 parameters=ctx.parameters, origins=ctx.settings.origins,
                                 fictitious=ctx.fictitious)
        save(ctx, result)
        show(tables.paragraphs(f"Résultats enregistrés : {ctx_name(self.ctx)}."))
