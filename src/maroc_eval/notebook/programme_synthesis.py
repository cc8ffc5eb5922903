"""The programme synthesis: every pair at one phase, from the pair and RI sidecars.

Each section displays itself; a result that failed in this run or is missing is shown as
unavailable.
"""

from __future__ import annotations

import statistics
from functools import cached_property

import pandas as pd

from ..base import fmt
from ..base.catalogue import PAIR_SYNTHESIS, RI_NOTEBOOKS
from ..base.i18n import _, ngettext
from ..base.sidecar import PairResult, ProgrammeResult, RIResult
from ..core import indicators
from ..core.appraisal import PROGRAMME_KEY, Appraisal
from ..core.review import Review
from ..core.settings import THRESHOLD_NAMES
from ..core.thresholds import Thresholds
from . import (
    annex_blocks,
    appraisal_blocks,
    charts,
    conclusion_blocks,
    grids,
    programme_evaluation,
    tables,
)
from .context import Context
from .display import show
from .pair_synthesis import BAD_STATUSES, annex, evaluation_summary
from .sidecars import ctx_name, read_result, save


def _criterion_score(ctx: Context, pair: str, criterion: str) -> str | None:
    found = ctx.appraisal(pair).criteria.get(criterion)
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

    @cached_property
    def pair_settings(self) -> dict[str, tuple[dict, dict]]:
        """Each pair's thresholds and where each came from: those its own synthesis recorded
        (the pair's report judged with them, the RI statuses shown here were computed with
        them), else resolved as its notebooks would (its files, under the explicit values)."""
        out = {}
        for p in self.ctx.programme.pair_codes:
            found = self.pair_results.get(p)
            if found is not None and all(found.parameters.get(n) is not None
                                         for n in THRESHOLD_NAMES):
                values, origins = found.parameters, found.origins
            else:
                own = self.ctx.settings_of(p)
                values, origins = own.values, own.origins
            out[p] = ({n: values[n] for n in THRESHOLD_NAMES},
                      {n: origins.get(n) or "" for n in THRESHOLD_NAMES})
        return out

    def own_thresholds(self) -> dict:
        """Each pair's status thresholds (:attr:`pair_settings`)."""
        summative = self.ctx.phase.summative
        return {p: Thresholds.from_parameters(values).for_phase(summative)
                for p, (values, _origins) in self.pair_settings.items()}

    def heatmap(self) -> None:
        """Display the pairs × RIs status heatmap, each pair judged with its own thresholds."""
        ctx, own = self.ctx, self.own_thresholds()
        show(grids.status_heatmap(self.matrix(), self.statuses(), row_labels=ctx.pair_labels(),
                                  title=_("Réalisation par partenariat et par RI, {year}").format(
                                      year=ctx.year),
                                  edges={p: t.edges for p, t in own.items()},
                                  note=charts.own_thresholds_note(own, ctx.pair_labels(),
                                                                  ctx.thresholds)))
        if self.unavailable:
            show(tables.notice(_("Résultats indisponibles : {list}").format(
                list=", ".join(self.unavailable)), "indisponible"))

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
                                 title=_("Indice global par partenariat, {year}").format(
                                     year=ctx.year)))
        show(tables.paragraphs(programme_evaluation.ranking_caveat(ctx.programme,
                                                                   self.matrix())))
        s = self.spread()
        show(tables.table([_("RI"), _("Indice moyen"), _("Minimum"), _("Maximum"), _("Écart-type"),
                           _("Partenariats")],
                          [[ri.replace("RI", "RI" + fmt.NBSP), fmt.achievement(r.moyenne),
                            fmt.achievement(r.minimum), fmt.achievement(r.maximum),
                            fmt.number(None if pd.isna(r.ecart_type) else r.ecart_type * 100, 1),
                            int(r.n)] for ri, r in s.iterrows()],
                          caption=_("Dispersion des indices entre partenariats "
                                    "(écart-type en points de %)")))

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
        show(tables.table([_("Code"), _("Indicateur"),
                           _("Total {year}").format(year=self.ctx.year), _("Unité"),
                           _("Partenariats renseignés")],
                          [[r.code, r.label, fmt.number(r.total, 0), r.unit, r.pairs]
                           for r in a.itertuples()],
                          caption=_("Agrégats du programme (somme des partenariats "
                                    "renseignés)")))

    def dac_scores(self) -> None:
        """The DAC scores of all pairs."""
        ctx = self.ctx
        grid = pd.DataFrame({c.code: {p: _criterion_score(ctx, p, c.code)
                                      for p in ctx.programme.pair_codes}
                             for c in ctx.programme.criteria})
        show(grids.score_grid(grid, ctx.programme.rating_codes,
                              title=_("Critères du CAD par partenariat"),
                              row_labels=ctx.pair_labels(),
                              col_labels={c.code: c.label for c in ctx.programme.criteria}))

    def common_findings(self) -> None:
        """What the indicators show across the pairs (computed: the team's cross-cutting
        findings are its answers to the questions)."""
        ctx = self.ctx
        st = self.statuses()
        weak, strong = [], []
        for ri in self.ri_codes:
            known = [s for s in st[ri] if s != "non_renseigne"]
            if not known:
                continue
            if sum(s in BAD_STATUSES for s in known) * 2 >= len(known):
                bad = sum(s in BAD_STATUSES for s in known)
                weak.append(ngettext("{ri} : {bad} partenariat sur {n} en retard ou critique",
                                     "{ri} : {bad} partenariats sur {n} en retard ou critiques",
                                     bad).format(ri=ri.replace("RI", "RI" + fmt.NBSP), bad=bad,
                                                 n=len(known)))
            elif all(s in ("atteint", "en_bonne_voie") for s in known):
                strong.append((_("{ri} : tous les partenariats renseignés ont atteint leurs "
                                 "cibles") if ctx.phase.summative else
                               _("{ri} : tous les partenariats renseignés sont en bonne voie ou "
                                 "ont atteint leurs cibles")).format(ri=ri.replace("RI", "RI ")))
        parts = [tables.bullets(weak, title=_("RI en retard dans au moins la moitié des "
                                              "partenariats"),
                                empty=_("Aucun RI n’est en retard dans la moitié des "
                                        "partenariats.")),
                 tables.bullets(strong, title=_("RI au niveau attendu dans tous les "
                                                "partenariats"),
                                empty=_("Aucun RI n’est au niveau attendu dans tous les "
                                        "partenariats."))]
        show(tables.evidence(_(appraisal_blocks.EVIDENCE), *parts))

    # -- the evaluation of the programme -------------------------------------------------
    @cached_property
    def review(self) -> Review:
        """The team's appraisal of the programme, its evidence, checks and blanks."""
        return self.ctx.review(PROGRAMME_KEY)

    @property
    def appraisal(self) -> Appraisal:
        """What the team wrote for the programme at this phase."""
        return self.ctx.appraisal(PROGRAMME_KEY)

    def pair_appraisals(self) -> dict[str, Appraisal]:
        """What the team wrote for each pair at this phase."""
        return {p: self.ctx.appraisal(p) for p in self.ctx.programme.pair_codes}

    @property
    def has_budget(self) -> bool:
        """Whether the data hold cost rows up to the reference year."""
        return self.ctx.dataset.budget is not None and not self.ctx.dataset.budget.empty

    def questions(self) -> None:
        """The team's answer to each question for the programme, every pair's evidence."""
        if self.ctx.dataset.matrix is None:
            show(tables.notice(_("Le projet n’a pas de matrice d’évaluation."), "attention"))
            return
        show(programme_evaluation.programme_question_blocks(
            self.ctx, self.review.evidence, self.appraisal, self.pair_appraisals(),
            has_budget=self.has_budget))

    def objective_verdict(self) -> None:
        """The team's verdict on the specific objective for the programme, each pair's beside."""
        ctx = self.ctx
        if ctx.dataset.matrix is None:
            return
        proof = programme_evaluation.objective_proof(ctx, self.review.evidence,
                                                     self.pair_appraisals())
        show(conclusion_blocks.objective_block(ctx, ctx.dataset.matrix, self.appraisal, proof,
                                               ctx.phase.summative))

    def efficiency(self) -> None:
        """Every pair's budget execution and unit costs."""
        from .efficiency import efficiency_section

        efficiency_section(self.ctx)

    def criteria(self) -> None:
        """The DAC criteria for the programme: the team's grades, the proposals beside them."""
        evidence = self.review.evidence
        proposals = {c.code: evidence.criterion_proposal(c.code, self.appraisal)
                     for c in self.ctx.programme.criteria}
        show(appraisal_blocks.criteria_table(self.ctx, proposals, self.appraisal))

    def conclusions(self) -> None:
        """The team's numbered conclusions and recommendations for the programme."""
        if self.ctx.dataset.matrix is not None:
            show(conclusion_blocks.conclusions_block(self.ctx.dataset.matrix, self.appraisal))

    def lessons(self) -> None:
        """The team's lessons learned for the programme."""
        show(conclusion_blocks.lessons_block(self.appraisal))

    def follow_up(self) -> None:
        """What became of the programme's recommendations of the previous phase."""
        ctx = self.ctx
        before = ctx.programme.previous_phase(ctx.phase.code)
        if before is None or ctx.dataset.matrix is None:
            show(tables.notice(_("Aucune évaluation ne précède celle-ci : pas de recommandation "
                                 "à suivre."), "info"))
            return
        empty = pd.DataFrame(columns=["code", "actual"])
        show(conclusion_blocks.follow_up_block(ctx.programme, ctx.dataset.matrix,
                                               ctx.appraisal(PROGRAMME_KEY, before.code),
                                               self.appraisal, empty, empty,
                                               (before.year, ctx.year)))

    def comparison(self) -> None:
        """The programme's totals at the previous phase and at this one, in words."""
        ctx = self.ctx
        before = ctx.programme.previous_phase(ctx.phase.code)
        if before is None:
            show(tables.notice(_("Aucune évaluation ne précède celle-ci : pas de comparaison."),
                               "info"))
            return
        obs = ctx.observations
        earlier = indicators.all_pairs_rows(ctx.programme, obs[obs["year"] <= before.year],
                                            before.code)
        rows = []
        for code in self.aggregate_table()["code"]:
            values = earlier.loc[earlier["code"] == code, "actual"].dropna()
            rows.append({"code": code, "label": ctx.programme.indicator_map[code].label,
                         "total": values.sum() if len(values) else None, "pairs": len(values)})
        show(programme_evaluation.aggregate_comparison(pd.DataFrame(rows),
                                                       self.aggregate_table(), ctx.programme,
                                                       (before.year, ctx.year)))

    def coherence(self) -> None:
        """The checks on the programme's appraisal (each pair's are in its own report)."""
        show(annex_blocks.checks_block(self.review))

    def method(self) -> None:
        """The data collection at programme level, and its limits."""
        if self.ctx.dataset.matrix is not None:
            show(annex_blocks.method_block(self.ctx.dataset.matrix, self.appraisal,
                                           _("le programme"), self.ctx.phase.code))

    def annexes(self, which: str) -> None:
        """An annex: ``matrice``, ``bareme``, ``personnes``, ``documents`` or ``sigles``."""
        show(annex(self.ctx, self.appraisal, which))

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
                                 pair_settings={p: v for p, (v, _o) in self.pair_settings.items()},
                                 pair_origins={p: o for p, (_v, o) in self.pair_settings.items()},
                                 fictitious=ctx.fictitious,
                                 **evaluation_summary(self.review))
        save(ctx, result)
        show(tables.paragraphs(_("Résultats enregistrés : {name}.").format(
            name=ctx_name(self.ctx))))
