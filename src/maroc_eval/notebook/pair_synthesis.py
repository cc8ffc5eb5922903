"""The pair synthesis: one pair at one phase, from its six RI sidecars and the judgements.

A result that failed in this run (listed in ``unavailable``) or whose sidecar is missing is shown
as "indisponible", never silently replaced by an older file. Each section displays itself.
"""

from __future__ import annotations

from functools import cached_property

import pandas as pd

from .. import fmt
from ..catalogue import RI_NOTEBOOKS
from ..core import indicators
from ..sidecar import PairResult, RIResult
from . import charts, tables
from .context import Context
from .display import show
from .sidecars import ctx_name, read_result, save

BAD_STATUSES = ("en_retard", "critique")


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
        return {spec.ri: read_result(self.ctx, self.ctx.pair.code, spec.stem, RIResult)
                for spec in RI_NOTEBOOKS}

    @property
    def unavailable(self) -> list[str]:
        """RI codes whose results are unavailable."""
        return [ri for ri, r in self.results.items() if r is None]

    @property
    def overall_index(self) -> float | None:
        """Mean of the available RI indices."""
        return _mean(r.index for r in self.results.values() if r)

    def objective(self) -> None:
        """The specific objective and the pair's identity."""
        ctx, pair = self.ctx, self.ctx.pair
        parts = [tables.key_values([
            ("Partenariat", pair.label), ("Province", pair.province),
            ("Phase", f"{ctx.phase.label} ({ctx.phase.nature}) — "
                      f"année de référence {ctx.year}")]),
            tables.paragraphs(f"Objectif spécifique : {ctx.programme.objective}")]
        if ctx.fictitious:
            parts.insert(0, tables.notice("Données fictives : échantillon de démonstration.",
                                          "attention"))
        show(tables.concat(*parts))

    def overview(self) -> None:
        """Table and chart across the six RIs: index, status, score, coverage."""
        ctx = self.ctx
        rows = []
        for ri, r in self.results.items():
            if r is None:
                rows.append([ri.replace("RI", "RI "), "indisponible",
                             tables.status_cell("non_renseigne", "Indisponible"), "—", "—"])
                continue
            rows.append([ri.replace("RI", "RI "), fmt.achievement(r.index, ctx.thresholds.edges),
                         tables.status_cell(r.status), _score_label(ctx, r.judgement.score),
                         fmt.percent(r.coverage, 0, ratio=True)])
        overall = self.overall_index
        rows.append(["Ensemble", fmt.achievement(overall, ctx.thresholds.edges),
                     tables.status_cell(indicators.status(overall, ctx.thresholds)), "", ""])
        show(tables.table(["Résultat", "Indice", "Statut", "Appréciation", "Couverture"], rows,
                          caption=f"{ctx.pair.label} — vue d'ensemble, {ctx.year}"))
        values = pd.Series({ri.replace("RI", "RI "): (r.index if r and r.index is not None
                                                      else float("nan"))
                            for ri, r in self.results.items()}, dtype=float)
        statuses = pd.Series({ri.replace("RI", "RI "): (r.status if r else "non_renseigne")
                              for ri, r in self.results.items()})
        show(charts.ranking_bars(values, None, statuses=statuses,
                                 reference=ctx.thresholds.threshold_met,
                                 edges=dict.fromkeys(values.index, ctx.thresholds.edges),
                                 title=f"Indice par résultat intermédiaire, {ctx.year}"))
        if self.unavailable:
            show(tables.notice("Sections indisponibles (échec ou absence du carnet) : "
                               + ", ".join(self.unavailable), "indisponible"))

    def criteria(self) -> None:
        """The DAC criteria with scores and justifications."""
        ctx = self.ctx
        found = ctx.judgements.criteria(ctx.phase.code, ctx.pair.code) if ctx.judgements else {}
        rows = [[c.label,
                 _score_label(ctx, found[c.code].score) if c.code in found else "non notée",
                 (found[c.code].justification or "") if c.code in found else ""]
                for c in ctx.programme.criteria]
        show(tables.table(["Critère CAD", "Appréciation", "Justification"], rows,
                          caption="Critères du CAD de l'OCDE (2019)"))

    def conclusions(self) -> None:
        """Findings and recommendations of every RI, priorities first (C/D scores, late RIs)."""
        ctx = self.ctx
        weak = [ri for ri, r in self.results.items() if r and (
            r.status in BAD_STATUSES or (r.judgement.score in ctx.programme.rating_codes[2:]))]
        parts = [tables.bullets([f"{ri.replace('RI', 'RI ')} : "
                                 f"{ctx.programme.result_map[ri].title}" for ri in weak],
                                title="Résultats qui demandent une attention prioritaire",
                                empty="Aucun résultat en retard ni noté C ou D.")]
        for ri, r in self.results.items():
            if r is None:
                continue
            parts.append(tables.heading(f"{ri.replace('RI', 'RI ')} — "
                                        f"{_score_label(ctx, r.judgement.score)}", 4))
            parts.append(tables.bullets(r.judgement.findings, title="Constats"))
            parts.append(tables.bullets(r.judgement.recommendations, title="Recommandations"))
        show(tables.concat(*parts))

    def comparison_table(self) -> pd.DataFrame | None:
        """The previous phase against this one, indicator by indicator (from the data); ``None``
        when no phase comes before this one."""
        ctx = self.ctx
        before = ctx.programme.previous_phase(ctx.phase.code)
        if before is None:
            return None
        earlier = ctx.rows_at(before.code)
        now = ctx.rows()
        return earlier[["ri", "code", "label", "actual", "achievement_raw", "status"]].merge(
            now[["code", "actual", "achievement_raw", "status"]], on="code",
            suffixes=("_before", "_now"))

    def comparison(self) -> None:
        """Each indicator and each score, at the previous phase and at this one."""
        ctx = self.ctx
        before = ctx.programme.previous_phase(ctx.phase.code)
        if before is None:
            show(tables.notice(f"Aucune évaluation ne précède la phase « {ctx.phase.label} » : "
                               "pas de comparaison.", "info"))
            return
        cmp = self.comparison_table()
        y0, y1 = before.year, ctx.year
        edges = ctx.thresholds.edges
        show(tables.table(
            ["Code", "Indicateur", f"Valeur {y0}", f"Réalisation {y0}", f"Valeur {y1}",
             f"Réalisation {y1}", f"Statut {y1}"],
            [[r.code, r.label, fmt.number(r.actual_before),
              fmt.achievement(r.achievement_raw_before, edges), fmt.number(r.actual_now),
              fmt.achievement(r.achievement_raw_now, edges), tables.status_cell(r.status_now)]
             for r in cmp.itertuples()],
            caption=f"Indicateurs : {before.label.lower()} (cibles {y0}) et "
                    f"{ctx.phase.label.lower()} (cibles {y1})"))
        judged = ctx.judgements
        rows = []
        for spec in RI_NOTEBOOKS:
            m = judged.ri(before.code, ctx.pair.code, spec.ri) if judged else None
            f = judged.ri(ctx.phase.code, ctx.pair.code, spec.ri) if judged else None
            rows.append([spec.ri.replace("RI", "RI "), m.score if m and m.score else "—",
                         f.score if f and f.score else "—", _trend(ctx, m, f)])
        for c in ctx.programme.criteria:
            m = (judged.criteria(before.code, ctx.pair.code) if judged else {}).get(c.code)
            f = (judged.criteria(ctx.phase.code, ctx.pair.code) if judged else {}).get(c.code)
            rows.append([c.label, m.score if m and m.score else "—",
                         f.score if f and f.score else "—", _trend(ctx, m, f)])
        show(tables.table(["Objet", f"Note {y0}", f"Note {y1}", "Évolution"], rows,
                          caption=f"Appréciations : {before.label.lower()} et "
                                  f"{ctx.phase.label.lower()}"))

    def save(self) -> None:
        """Write the pair sidecar."""
        ctx = self.ctx
        overall = self.overall_index
        found = ctx.judgements.criteria(ctx.phase.code, ctx.pair.code) if ctx.judgements else {}
        result = PairResult(
            notebook=ctx.notebook, pair=ctx.pair.code, phase=ctx.phase.code,
            reference_year=ctx.year,
            ri_index={ri: (r.index if r else None) for ri, r in self.results.items()},
            ri_status={ri: (r.status if r else "indisponible") for ri, r in self.results.items()},
            ri_score={ri: (r.judgement.score if r else None) for ri, r in self.results.items()},
            overall_index=overall, overall_status=indicators.status(overall, ctx.thresholds),
            criteria=found, unavailable=self.unavailable, parameters=ctx.parameters,
            origins=ctx.settings.origins, fictitious=ctx.fictitious)
        save(ctx, result)
        show(tables.paragraphs(f"Résultats enregistrés : {ctx_name(self.ctx)}."))


def _trend(ctx: Context, mid, final) -> str:
    if not (mid and final and mid.score and final.score):
        return "—"
    delta = ctx.programme.rating_value(final.score) - ctx.programme.rating_value(mid.score)
    return "amélioration" if delta > 0 else "recul" if delta < 0 else "stable"
