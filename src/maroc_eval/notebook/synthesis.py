"""The pair synthesis and the programme synthesis: they read the RI notebooks' sidecars.

A result that failed in this run (listed in ``unavailable``) or whose sidecar is missing is shown
as "indisponible", never silently replaced by an older file.
"""

from __future__ import annotations

import statistics
from functools import cached_property

import pandas as pd

from .. import fmt, paths
from ..catalogue import PAIR_SYNTHESIS, RI_NOTEBOOKS
from ..core import indicators
from ..sidecar import PairResult, ProgrammeResult, RIResult, load_sidecar
from . import charts, tables
from .context import Context, save, show
from .tables import Html

BAD_STATUSES = ("en_retard", "critique")


def _read(ctx: Context, pair: str, stem: str, kind):
    """A sidecar of this run, or None when unavailable (failed, missing or malformed)."""
    if f"{pair}/{stem}" in ctx.unavailable:
        return None
    path = paths.sidecar_path(paths.pair_dir(ctx.results_dir, ctx.phase.code, pair) / f"{stem}.ipynb")
    result = load_sidecar(path, kind)
    return result if result is not None and result.phase == ctx.phase.code else None


def _mean(values) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None


def _score_label(ctx: Context, code: str | None) -> str:
    labels = {r.code: r.label for r in ctx.programme.scale}
    return f"{code} — {labels[code]}" if code in labels else "non notée"


class PairSynthesis:
    """Synthesis of one pair at one phase, from its six RI sidecars and the judgements."""

    def __init__(self, ctx: Context):
        self.ctx = ctx

    @cached_property
    def results(self) -> dict[str, RIResult | None]:
        """RI code → its sidecar (None when unavailable)."""
        return {spec.ri: _read(self.ctx, self.ctx.pair.code, spec.stem, RIResult) for spec in RI_NOTEBOOKS}

    @property
    def unavailable(self) -> list[str]:
        """RI codes whose results are unavailable."""
        return [ri for ri, r in self.results.items() if r is None]

    @property
    def overall_index(self) -> float | None:
        """Mean of the available RI indices."""
        return _mean(r.index for r in self.results.values() if r)

    def objective(self) -> Html:
        """The specific objective and the pair's identity."""
        ctx, pair = self.ctx, self.ctx.pair
        parts = [tables.key_values([
            ("Partenariat", pair.label), ("Province", pair.province),
            ("Phase", f"{ctx.phase.label} ({ctx.phase.nature}) — année de référence {ctx.year}")]),
            tables.paragraphs(f"Objectif spécifique : {ctx.programme.objective}")]
        if ctx.uses_sample:
            parts.insert(0, tables.notice("Données fictives : échantillon de démonstration.", "attention"))
        return tables.concat(*parts)

    def overview(self) -> None:
        """Table and chart across the six RIs: index, status, score, coverage."""
        ctx = self.ctx
        rows = []
        for ri, r in self.results.items():
            if r is None:
                rows.append([ri.replace("RI", "RI "), "indisponible", tables.status_cell("non_renseigne", "Indisponible"), "—", "—"])
                continue
            rows.append([ri.replace("RI", "RI "), fmt.achievement(r.index), tables.status_cell(r.status),
                         _score_label(ctx, r.judgement.score), fmt.percent(r.coverage, 0, ratio=True)])
        overall = self.overall_index
        rows.append(["Ensemble", fmt.achievement(overall),
                     tables.status_cell(indicators.status(overall, ctx.thresholds)), "", ""])
        show(tables.table(["Résultat", "Indice", "Statut", "Appréciation", "Couverture"], rows,
                          caption=f"{ctx.pair.label} — vue d'ensemble, {ctx.year}"))
        values = pd.Series({ri.replace("RI", "RI "): (r.index if r and r.index is not None else float("nan"))
                            for ri, r in self.results.items()}, dtype=float)
        statuses = pd.Series({ri.replace("RI", "RI "): (r.status if r else "non_renseigne")
                              for ri, r in self.results.items()})
        show(charts.ranking_bars(values, None, statuses=statuses, reference=ctx.thresholds.met,
                                 title=f"Indice par résultat intermédiaire, {ctx.year}"))
        if self.unavailable:
            show(tables.notice("Sections indisponibles (échec ou absence du carnet) : "
                               + ", ".join(self.unavailable), "indisponible"))

    def criteria(self) -> Html:
        """The DAC criteria with scores and justifications."""
        ctx = self.ctx
        found = ctx.judgements.criteria(ctx.phase.code, ctx.pair.code) if ctx.judgements else {}
        rows = [[c.label, _score_label(ctx, found[c.code].score) if c.code in found else "non notée",
                 (found[c.code].justification or "") if c.code in found else ""]
                for c in ctx.programme.criteria]
        return tables.table(["Critère CAD", "Appréciation", "Justification"], rows,
                            caption="Critères du CAD de l'OCDE (2019)")

    def conclusions(self) -> Html:
        """Findings and recommendations of every RI, priorities first (C/D scores, late RIs)."""
        ctx = self.ctx
        weak = [ri for ri, r in self.results.items() if r and (
            r.status in BAD_STATUSES or (r.judgement.score in ctx.programme.rating_codes[2:]))]
        parts = [tables.bullets([f"{ri.replace('RI', 'RI ')} : {ctx.programme.result_map[ri].title}" for ri in weak],
                                title="Résultats qui demandent une attention prioritaire",
                                empty="Aucun résultat en retard ni noté C ou D.")]
        for ri, r in self.results.items():
            if r is None:
                continue
            parts.append(tables.heading(f"{ri.replace('RI', 'RI ')} — {_score_label(ctx, r.judgement.score)}", 4))
            parts.append(tables.bullets(r.judgement.findings, title="Constats"))
            parts.append(tables.bullets(r.judgement.recommendations, title="Recommandations"))
        return tables.concat(*parts)

    def comparison_table(self) -> pd.DataFrame:
        """Mid-term → final comparison of every indicator (computed from the data)."""
        ctx = self.ctx
        mid = indicators.indicator_rows(ctx.programme, ctx.observations, ctx.pair.code, "midterm", ctx.thresholds)
        fin = indicators.indicator_rows(ctx.programme, ctx.observations, ctx.pair.code, "final", ctx.thresholds)
        out = mid[["ri", "code", "label", "actual", "achievement_raw", "status"]].merge(
            fin[["code", "actual", "achievement_raw", "status"]], on="code", suffixes=("_mid", "_final"))
        return out

    def comparison(self) -> None:
        """Final phase: each indicator and each score, mid-term against final."""
        ctx = self.ctx
        if ctx.phase.code != "final":
            show(tables.notice("La comparaison mi-parcours → finale n'existe qu'en phase finale.", "info"))
            return
        cmp = self.comparison_table()
        mid_y, fin_y = ctx.programme.phases["midterm"].year, ctx.programme.phases["final"].year
        show(tables.table(
            ["Code", "Indicateur", f"Valeur {mid_y}", f"Réalisation {mid_y}", f"Valeur {fin_y}",
             f"Réalisation {fin_y}", "Statut final"],
            [[r.code, r.label, fmt.number(r.actual_mid), fmt.achievement(r.achievement_raw_mid),
              fmt.number(r.actual_final), fmt.achievement(r.achievement_raw_final),
              tables.status_cell(r.status_final)] for r in cmp.itertuples()],
            caption="Indicateurs : mi-parcours (cibles 2010) et fin de programme (cibles 2012)"))
        rows = []
        for spec in RI_NOTEBOOKS:
            m = ctx.judgements.ri("midterm", ctx.pair.code, spec.ri) if ctx.judgements else None
            f = ctx.judgements.ri("final", ctx.pair.code, spec.ri) if ctx.judgements else None
            rows.append([spec.ri.replace("RI", "RI "), m.score if m and m.score else "—",
                         f.score if f and f.score else "—", _trend(ctx, m, f)])
        for c in ctx.programme.criteria:
            m = (ctx.judgements.criteria("midterm", ctx.pair.code) if ctx.judgements else {}).get(c.code)
            f = (ctx.judgements.criteria("final", ctx.pair.code) if ctx.judgements else {}).get(c.code)
            rows.append([c.label, m.score if m and m.score else "—", f.score if f and f.score else "—",
                         _trend(ctx, m, f)])
        show(tables.table(["Objet", "Note mi-parcours", "Note finale", "Évolution"], rows,
                          caption="Appréciations : mi-parcours et finale"))

    def save(self) -> Html:
        """Write the pair sidecar."""
        ctx = self.ctx
        overall = self.overall_index
        found = ctx.judgements.criteria(ctx.phase.code, ctx.pair.code) if ctx.judgements else {}
        result = PairResult(
            notebook=ctx.notebook, pair=ctx.pair.code, phase=ctx.phase.code, reference_year=ctx.year,
            ri_index={ri: (r.index if r else None) for ri, r in self.results.items()},
            ri_status={ri: (r.status if r else "indisponible") for ri, r in self.results.items()},
            ri_score={ri: (r.judgement.score if r else None) for ri, r in self.results.items()},
            overall_index=None if overall is None else round(overall, 6),
            overall_status=indicators.status(overall, ctx.thresholds),
            criteria=found, unavailable=self.unavailable, parameters=ctx.parameters)
        path = save(ctx, result)
        return tables.paragraphs(f"Résultats enregistrés : {path.name}.")


def _criterion_score(ctx: Context, pair: str, criterion: str) -> str | None:
    found = ctx.judgements.criteria(ctx.phase.code, pair).get(criterion) if ctx.judgements else None
    return found.score if found else None


def _trend(ctx: Context, mid, final) -> str:
    if not (mid and final and mid.score and final.score):
        return "—"
    delta = ctx.programme.rating_value(final.score) - ctx.programme.rating_value(mid.score)
    return "amélioration" if delta > 0 else "recul" if delta < 0 else "stable"


class ProgrammeSynthesis:
    """Synthesis of the six pairs at one phase, from the pair and RI sidecars."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.ri_codes = [spec.ri for spec in RI_NOTEBOOKS]

    @cached_property
    def ri_results(self) -> dict[tuple[str, str], RIResult | None]:
        """(pair, RI) → sidecar or None."""
        return {(p, spec.ri): _read(self.ctx, p, spec.stem, RIResult)
                for p in self.ctx.programme.pair_codes for spec in RI_NOTEBOOKS}

    @cached_property
    def pair_results(self) -> dict[str, PairResult | None]:
        """pair → pair-synthesis sidecar or None."""
        return {p: _read(self.ctx, p, PAIR_SYNTHESIS.stem, PairResult) for p in self.ctx.programme.pair_codes}

    @property
    def unavailable(self) -> list[str]:
        """``pair/RI`` and ``pair/synthese`` entries that are missing."""
        out = [f"{p}/{ri}" for (p, ri), r in self.ri_results.items() if r is None]
        return out + [f"{p}/{PAIR_SYNTHESIS.stem}" for p, r in self.pair_results.items() if r is None]

    def matrix(self) -> pd.DataFrame:
        """Pairs × RIs: the RI index (NaN when unavailable or not filled)."""
        return pd.DataFrame({ri: {p: (r.index if (r := self.ri_results[(p, ri)]) and r.index is not None
                                       else float("nan")) for p in self.ctx.programme.pair_codes}
                             for ri in self.ri_codes}, dtype=float)

    def statuses(self) -> pd.DataFrame:
        """Pairs × RIs: the status codes."""
        return pd.DataFrame({ri: {p: (r.status if (r := self.ri_results[(p, ri)]) else "non_renseigne")
                                  for p in self.ctx.programme.pair_codes} for ri in self.ri_codes})

    def heatmap(self) -> None:
        """Display the pairs × RIs status heatmap."""
        show(charts.status_heatmap(self.matrix(), self.statuses(), row_labels=self.ctx.pair_labels(),
                                   title=f"Réalisation par partenariat et par RI, {self.ctx.year}"))
        if self.unavailable:
            show(tables.notice("Résultats indisponibles : " + ", ".join(self.unavailable), "indisponible"))

    def overall(self) -> pd.Series:
        """Overall index per pair (mean of its available RI indices)."""
        return self.matrix().mean(axis=1, skipna=True)

    def ranking(self) -> list[str]:
        """Pairs from the highest overall index to the lowest (pairs without data last)."""
        return list(self.overall().sort_values(ascending=False, na_position="last").index)

    def spread(self) -> pd.DataFrame:
        """Per RI: mean, minimum, maximum and standard deviation of the pairs' indices."""
        m = self.matrix()
        return pd.DataFrame({"moyenne": m.mean(), "minimum": m.min(), "maximum": m.max(),
                             "ecart_type": m.std(ddof=0), "n": m.count()})

    def ranking_view(self) -> None:
        """Ranking of the pairs and spread per RI."""
        ctx = self.ctx
        overall = self.overall()
        statuses = overall.map(lambda v: indicators.status(None if pd.isna(v) else v, ctx.thresholds))
        show(charts.ranking_bars(overall, None, labels=ctx.pair_labels(), statuses=statuses,
                                 reference=ctx.thresholds.met, title=f"Indice global par partenariat, {ctx.year}"))
        s = self.spread()
        show(tables.table(["RI", "Moyenne", "Minimum", "Maximum", "Écart-type", "Partenariats"],
                          [[ri.replace("RI", "RI "), fmt.achievement(r.moyenne), fmt.achievement(r.minimum),
                            fmt.achievement(r.maximum), fmt.number(None if pd.isna(r.ecart_type) else r.ecart_type * 100, 1),
                            int(r.n)] for ri, r in s.iterrows()],
                          caption="Dispersion des indices entre partenariats (écart-type en points de %)"))

    def aggregates(self) -> pd.DataFrame:
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

    def aggregates_view(self) -> Html:
        """Display the programme-wide aggregates."""
        a = self.aggregates()
        return tables.table(["Code", "Indicateur", f"Total {self.ctx.year}", "Unité", "Partenariats renseignés"],
                            [[r.code, r.label, fmt.number(r.total, 0), r.unit, r.pairs] for r in a.itertuples()],
                            caption="Agrégats du programme (somme des partenariats renseignés)")

    def dac_scores(self) -> None:
        """The DAC scores of all pairs."""
        ctx = self.ctx
        grid = pd.DataFrame({c.code: {p: _criterion_score(ctx, p, c.code) for p in ctx.programme.pair_codes}
                             for c in ctx.programme.criteria})
        show(charts.score_grid(grid, ctx.programme.rating_codes, title="Critères du CAD par partenariat",
                               row_labels=ctx.pair_labels(), col_labels={c.code: c.label for c in ctx.programme.criteria}))

    def common_findings(self) -> Html:
        """Shared strengths and weaknesses across pairs, and every pair's recommendations per RI."""
        ctx = self.ctx
        st = self.statuses()
        weak, strong = [], []
        for ri in self.ri_codes:
            known = [s for s in st[ri] if s != "non_renseigne"]
            if not known:
                continue
            if sum(s in BAD_STATUSES for s in known) * 2 >= len(known):
                weak.append(f"{ri.replace('RI', 'RI ')} : {sum(s in BAD_STATUSES for s in known)} partenariats sur {len(known)} en retard ou critiques")
            elif all(s in ("atteint", "en_bonne_voie") for s in known):
                strong.append(f"{ri.replace('RI', 'RI ')} : tous les partenariats renseignés sont en bonne voie ou ont atteint leurs cibles")
        parts = [tables.bullets(weak, title="Faiblesses communes (au moins la moitié des partenariats en retard)",
                                empty="Aucune faiblesse partagée par la moitié des partenariats."),
                 tables.bullets(strong, title="Points forts communs", empty="Aucun point fort partagé par tous.")]
        labels = ctx.pair_labels()
        for ri in self.ri_codes:
            recs = [f"{labels[p]} : {rec}" for p in ctx.programme.pair_codes
                    if (r := self.ri_results[(p, ri)]) for rec in r.judgement.recommendations]
            parts.append(tables.bullets(recs, title=f"Recommandations — {ri.replace('RI', 'RI ')}",
                                        empty="Aucune recommandation."))
        return tables.concat(*parts)

    def save(self) -> Html:
        """Write the programme sidecar."""
        ctx = self.ctx
        m = self.matrix()
        clean = {p: {ri: (None if pd.isna(v) else round(float(v), 6)) for ri, v in row.items()}
                 for p, row in m.iterrows()}
        means = {ri: (None if pd.isna(v) else round(float(v), 6)) for ri, v in m.mean().items()}
        spread = {ri: (round(statistics.pstdev(col.dropna()), 6) if col.count() else None) for ri, col in m.items()}
        result = ProgrammeResult(notebook=ctx.notebook, phase=ctx.phase.code, reference_year=ctx.year,
                                 matrix=clean, ranking=self.ranking(), programme_index=means, spread=spread,
                                 unavailable=self.unavailable, parameters=ctx.parameters)
        path = save(ctx, result)
        return tables.paragraphs(f"Résultats enregistrés : {path.name}.")
