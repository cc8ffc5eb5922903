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
from ..core.conclusions import Evaluation, localised
from ..core.consistency import check_consistency
from ..i18n import _
from ..sidecar import KeyRecommendation, PairResult, RIResult
from ..status import SHORTFALL
from . import charts, evaluation, tables
from .context import Context
from .display import show
from .sidecars import ctx_name, read_result, save

BAD_STATUSES = SHORTFALL


def _mean(values) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None


def _score_label(ctx: Context, code: str | None) -> str:
    labels = {r.code: r.label for r in ctx.programme.scale}
    return f"{code} — {labels[code]}" if code in labels else _("non notée")


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
            (_("Partenariat"), pair.label), (_("Province"), pair.province),
            (_("Phase"), _("{phase} ({nature}) — année de référence {year}").format(
                phase=ctx.phase.label, nature=ctx.phase.nature, year=ctx.year))]),
            tables.paragraphs(_("Objectif spécifique : {objective}").format(
                objective=fmt.after_colon(ctx.programme.objective)))]
        if ctx.fictitious:
            parts.insert(0, tables.notice(_("Données fictives : échantillon de démonstration."),
                                          "attention"))
        show(tables.concat(*parts))

    def overview(self) -> None:
        """Table and chart across the six RIs: index, status, score, coverage."""
        ctx = self.ctx
        rows = []
        for ri, r in self.results.items():
            if r is None:
                rows.append([ri.replace("RI", "RI "), _("indisponible"),
                             tables.status_cell("non_renseigne", _("Indisponible")), "—", "—"])
                continue
            rows.append([ri.replace("RI", "RI "), fmt.achievement(r.index, ctx.thresholds.edges),
                         tables.status_cell(r.status), _score_label(ctx, r.judgement.score),
                         fmt.percent(r.coverage, 0, ratio=True)])
        overall = self.overall_index
        rows.append([_("Ensemble"), fmt.achievement(overall, ctx.thresholds.edges),
                     tables.status_cell(indicators.status(overall, ctx.thresholds)), "", ""])
        show(tables.table([_("Résultat"), _("Indice"), _("Statut"), _("Appréciation"),
                           _("Couverture")], rows,
                          caption=_("{pair} — vue d'ensemble, {year}").format(
                              pair=ctx.pair.label, year=ctx.year)))
        values = pd.Series({ri.replace("RI", "RI "): (r.index if r and r.index is not None
                                                      else float("nan"))
                            for ri, r in self.results.items()}, dtype=float)
        statuses = pd.Series({ri.replace("RI", "RI "): (r.status if r else "non_renseigne")
                              for ri, r in self.results.items()})
        show(charts.ranking_bars(values, None, statuses=statuses,
                                 reference=ctx.thresholds.threshold_met,
                                 edges=dict.fromkeys(values.index, ctx.thresholds.edges),
                                 title=_("Indice par résultat intermédiaire, {year}").format(
                                     year=ctx.year)))
        if self.unavailable:
            show(tables.notice(_("Sections indisponibles (échec ou absence du carnet) : {list}")
                               .format(list=", ".join(self.unavailable)), "indisponible"))

    def criteria(self) -> None:
        """The DAC criteria with scores and justifications."""
        ctx = self.ctx
        found = ctx.judgements.criteria(ctx.phase.code, ctx.pair.code) if ctx.judgements else {}
        english = ctx.judgements.english if ctx.judgements else {}
        rows = [[c.label,
                 _score_label(ctx, found[c.code].score) if c.code in found else _("non notée"),
                 (localised(found[c.code].justification, english) or "") if c.code in found
                 else ""]
                for c in ctx.programme.criteria]
        show(tables.table([_("Critère CAD"), _("Appréciation"), _("Justification")], rows,
                          caption=_("Critères du CAD de l'OCDE (2019)")))

    @cached_property
    def evaluation(self) -> Evaluation:
        """What the evaluators concluded for this pair at this phase."""
        ctx = self.ctx
        return (ctx.judgements.evaluation(ctx.phase.code, ctx.pair.code) if ctx.judgements
                else Evaluation())

    @cached_property
    def flags(self):
        """Scores that contradict the figures, questions unanswered (this pair, this phase)."""
        ctx = self.ctx
        return check_consistency(ctx.programme, ctx.dataset.matrix, ctx.observations,
                                 ctx.judgements, ctx.dataset.budget, [ctx.phase.code],
                                 [ctx.pair.code])

    @property
    def has_budget(self) -> bool:
        """Whether the data hold cost rows of this pair up to the reference year."""
        b = self.ctx.dataset.budget
        return b is not None and bool((b["pair"] == self.ctx.pair.code).any())

    def _efficiency_evidence(self, question):
        if question.criterion != "efficience":
            return None
        return tables.paragraphs(_("Le détail par poste et les coûts unitaires, comparés aux "
                                   "autres partenariats, suivent dans la section « Efficience ».")
                                 if self.has_budget else _("Sans données de coût pour ce "
                                 "partenariat, l'efficience ne peut pas être appréciée."))

    def questions(self) -> None:
        """Each evaluation question: verdict, the evaluators' answer, the evidence."""
        ctx, matrix = self.ctx, self.ctx.dataset.matrix
        if matrix is None:
            show(tables.notice(_("Le projet n'a pas de matrice d'évaluation "
                                 "(params/evaluation.yml)."), "attention"))
            return
        show(evaluation.question_blocks(ctx.programme, matrix, self.evaluation, ctx.rows(),
                                        ctx.thresholds.edges, has_budget=self.has_budget,
                                        evidence=self._efficiency_evidence))

    def objective_verdict(self) -> None:
        """The verdict on the specific objective, with its justification and indicators."""
        ctx = self.ctx
        if ctx.dataset.matrix is None:
            return
        show(evaluation.objective_block(ctx.programme, ctx.dataset.matrix, self.evaluation,
                                        ctx.rows(), ctx.thresholds.edges, ctx.phase.summative))

    def findings(self) -> None:
        """Each RI's score and findings, priorities first (results short of target, C/D)."""
        ctx = self.ctx
        weak = [ri for ri, r in self.results.items() if r and (
            r.status in BAD_STATUSES or (r.judgement.score in ctx.programme.rating_codes[2:]))]
        parts = [tables.bullets([f"{ri.replace('RI', 'RI ')} : "
                                 f"{ctx.programme.result_map[ri].title}" for ri in weak],
                                title=_("Résultats qui demandent une attention prioritaire"),
                                empty=_("Aucun résultat en retard ni noté C ou D."))]
        english = ctx.judgements.english if ctx.judgements else {}
        for ri, r in self.results.items():
            if r is None:
                continue
            parts.append(tables.heading(f"{ri.replace('RI', 'RI ')} — "
                                        f"{_score_label(ctx, r.judgement.score)}", 4))
            parts.append(tables.bullets([localised(t, english) for t in r.judgement.findings],
                                        title=_("Constats")))
        show(tables.concat(*parts))

    def conclusions(self) -> None:
        """Numbered conclusions and recommendations (addressee, priority, deadline)."""
        matrix = self.ctx.dataset.matrix
        if matrix is None:
            return
        show(evaluation.conclusions_block(matrix, self.evaluation))

    def lessons(self) -> None:
        """Lessons learned (a summative phase)."""
        show(evaluation.lessons_block(self.evaluation))

    def follow_up(self) -> None:
        """What became of the previous phase's recommendations, with the indicators' movement."""
        ctx = self.ctx
        before = ctx.programme.previous_phase(ctx.phase.code)
        if before is None or ctx.dataset.matrix is None:
            show(tables.notice(_("Aucune évaluation ne précède celle-ci : pas de recommandation "
                                 "à suivre."), "info"))
            return
        earlier = ctx.judgements.evaluation(before.code, ctx.pair.code) if ctx.judgements \
            else Evaluation()
        show(evaluation.follow_up_block(ctx.programme, ctx.dataset.matrix, earlier,
                                        self.evaluation, ctx.rows_at(before.code), ctx.rows(),
                                        (before.year, ctx.year)))

    def efficiency(self) -> None:
        """Budget execution and unit costs, or why efficiency cannot be assessed."""
        from .efficiency import efficiency_section

        efficiency_section(self.ctx)

    def coherence(self) -> None:
        """Inconsistencies between scores and figures, unanswered questions."""
        show(evaluation.flags_block(self.flags))

    def method(self) -> None:
        """The data collection actually carried out, and its limits."""
        if self.ctx.dataset.matrix is not None:
            show(evaluation.method_block(self.ctx.dataset.matrix, self.evaluation,
                                         _("le partenariat {pair}").format(
                                             pair=self.ctx.pair.label),
                                         self.ctx.phase.code))

    def annexes(self, which: str) -> None:
        """An annex: ``matrice``, ``personnes``, ``documents`` or ``sigles``."""
        matrix = self.ctx.dataset.matrix
        if matrix is None:
            return
        show({"matrice": lambda: evaluation.matrix_annex(self.ctx.programme, matrix),
              "personnes": lambda: evaluation.people_annex(self.evaluation),
              "documents": lambda: evaluation.documents_annex(self.evaluation),
              "sigles": lambda: evaluation.acronyms_annex(matrix)}[which]())

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
            show(tables.notice(_("Aucune évaluation ne précède la phase « {phase} » : "
                                 "pas de comparaison.").format(phase=ctx.phase.label), "info"))
            return
        cmp = self.comparison_table()
        y0, y1 = before.year, ctx.year
        edges = ctx.thresholds.edges
        inds = ctx.programme.indicator_map
        show(tables.table(
            [_("Code"), _("Indicateur"), _("Évolution {first} → {last}").format(first=y0, last=y1),
             _("Réalisation {year}").format(year=y0), _("Réalisation {year}").format(year=y1),
             _("Statut {year}").format(year=y1)],
            [[r.code, r.label,
              evaluation.change_in_words(r.actual_before, r.actual_now, inds[r.code]),
              fmt.achievement(r.achievement_raw_before, edges),
              fmt.achievement(r.achievement_raw_now, edges), tables.status_cell(r.status_now)]
             for r in cmp.itertuples()],
            caption=_("Indicateurs : {before} (cibles {first}) et {now} (cibles {last})").format(
                before=before.label.lower(), first=y0, now=ctx.phase.label.lower(), last=y1)))
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
        show(tables.table([_("Objet"), _("Note {year}").format(year=y0),
                           _("Note {year}").format(year=y1), _("Évolution")], rows,
                          caption=_("Appréciations : {before} et {now}").format(
                              before=before.label.lower(), now=ctx.phase.label.lower())))

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
            origins=ctx.settings.origins, fictitious=ctx.fictitious,
            **evaluation_summary(self.evaluation, self.flags))
        save(ctx, result)
        show(tables.paragraphs(_("Résultats enregistrés : {name}.").format(
            name=ctx_name(self.ctx))))


def _trend(ctx: Context, mid, final) -> str:
    if not (mid and final and mid.score and final.score):
        return "—"
    delta = ctx.programme.rating_value(final.score) - ctx.programme.rating_value(mid.score)
    return _("amélioration") if delta > 0 else _("recul") if delta < 0 else _("stable")


def evaluation_summary(ev: Evaluation, flags) -> dict:
    """What a synthesis sidecar carries of the evaluation: verdict, recommendations, flags."""
    # the texts in the notebook's language (an English run: the English text, or the French
    # one with its « original text » marker), as the report cites them
    return {"objective_score": ev.objective.score if ev.objective else None,
            "objective_text": localised(ev.objective.text, ev.english) if ev.objective else "",
            "question_scores": {q: a.score for q, a in ev.questions.items()},
            "recommendations": [KeyRecommendation(id=r.id, text=localised(r.text, ev.english),
                                                  addressee=r.addressee, priority=r.priority,
                                                  deadline=r.deadline)
                                for r in ev.recommendations],
            "flags": [f.message for f in flags]}
