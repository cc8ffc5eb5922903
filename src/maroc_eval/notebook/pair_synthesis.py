"""The pair synthesis: one pair at one phase, from its six RI sidecars and the judgements.

A result that failed in this run (listed in ``unavailable``) or whose sidecar is missing is shown
as "indisponible", never silently replaced by an older file. Each section displays itself.
"""

from __future__ import annotations

from functools import cached_property

import pandas as pd

from ..base import fmt
from ..base.catalogue import RI_NOTEBOOKS
from ..base.i18n import _
from ..base.sidecar import CheckNote, KeyConclusion, KeyRecommendation, PairResult, RIResult
from ..base.status import SHORTFALL, nature_label
from ..core import indicators
from ..core.appraisal import Appraisal
from ..core.review import Review
from . import annex_blocks, appraisal_blocks, charts, conclusion_blocks, tables
from .context import Context
from .display import show
from .sidecars import ctx_name, read_result, save, team_grade

BAD_STATUSES = SHORTFALL


def _mean(values) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None


def _score_label(ctx: Context, code: str | None) -> str:
    return appraisal_blocks.score_label(ctx.programme, code) or _("à compléter")


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
                phase=ctx.phase.label, nature=nature_label(ctx.phase.nature), year=ctx.year))]),
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
                rows.append([ri.replace("RI", "RI" + fmt.NBSP), _("indisponible"),
                             tables.status_cell("non_renseigne", _("Indisponible")), "—", "—"])
                continue
            rows.append([ri.replace("RI", "RI" + fmt.NBSP),
                         fmt.achievement(r.index, ctx.thresholds.edges),
                         tables.status_cell(r.status), _score_label(ctx, r.grade.score),
                         fmt.percent(r.coverage, 0, ratio=True)])
        overall = self.overall_index
        rows.append([_("Ensemble"), fmt.achievement(overall, ctx.thresholds.edges),
                     tables.status_cell(indicators.status(overall, ctx.thresholds)), "", ""])
        show(tables.table([_("Résultat"), _("Indice"), _("Statut"), _("Note de l’équipe"),
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
        """The DAC criteria: the team's grades and reasoning, the proposals beside them."""
        ctx = self.ctx
        evidence = self.review.evidence
        proposals = {c.code: evidence.criterion_proposal(c.code, self.appraisal)
                     for c in ctx.programme.criteria}
        show(appraisal_blocks.criteria_table(ctx, proposals, self.appraisal))

    @cached_property
    def review(self) -> Review:
        """The team's appraisal of this pair at this phase, its evidence, checks and blanks."""
        return self.ctx.review()

    @property
    def appraisal(self) -> Appraisal:
        """What the team wrote for this pair at this phase."""
        return self.ctx.appraisal()

    @property
    def has_budget(self) -> bool:
        """Whether the data hold cost rows of this pair up to the reference year."""
        b = self.ctx.dataset.budget
        return b is not None and bool((b["pair"] == self.ctx.pair.code).any())

    def _efficiency_note(self, question):
        if question.criterion != "efficience":
            return None
        return tables.paragraphs(_("Le détail par poste et les coûts unitaires, comparés aux "
                                   "autres partenariats, suivent dans la section « Efficience ».")
                                 if self.has_budget else _("Sans données de coût pour ce "
                                 "partenariat, l’efficience ne peut pas être appréciée."))

    def questions(self) -> None:
        """Each evaluation question: the team's answer and findings, then the evidence."""
        ctx, matrix = self.ctx, self.ctx.dataset.matrix
        if matrix is None:
            show(tables.notice(_("Le projet n’a pas de matrice d’évaluation."), "attention"))
            return
        evidence = self.review.evidence
        show(tables.concat(*(appraisal_blocks.question_block(
            ctx, evidence, q, has_budget=self.has_budget, extra=self._efficiency_note(q))
            for q in matrix.questions)))

    def objective_verdict(self) -> None:
        """The team's verdict on the specific objective, and the objective's indicators."""
        ctx, matrix = self.ctx, self.ctx.dataset.matrix
        if matrix is None:
            return
        question = next(q for q in matrix.questions if q.criterion == "objectif")
        found = self.review.evidence.questions[question.code]
        proof = tables.concat(
            appraisal_blocks.evidence_table(ctx.programme, self.review.evidence.rows,
                                            found.codes, ctx.thresholds.edges,
                                            _("Indicateurs de l’objectif spécifique ({code})")
                                            .format(code=question.code)),
            tables.paragraphs(appraisal_blocks.proposal_line(ctx.programme, found.proposal)))
        show(conclusion_blocks.objective_block(ctx, matrix, self.appraisal, proof,
                                               ctx.phase.summative))

    def findings(self) -> None:
        """Each RI: its computed status and proposed grade beside the team's grade."""
        ctx = self.ctx
        rows = []
        for ri, r in self.results.items():
            if r is None:
                continue
            rows.append([ri.replace("RI", "RI" + fmt.NBSP), tables.status_cell(r.status),
                         r.grade.proposed or "—", _score_label(ctx, r.grade.score),
                         r.grade.text or tables.Cell(_("À compléter"), cls="me-a-completer")])
        weak = [ri.replace("RI", "RI ") for ri, r in self.results.items()
                if r and r.status in BAD_STATUSES]
        show(tables.concat(
            tables.table([_("Résultat"), _("Statut calculé"), _("Note proposée"),
                          _("Note de l’équipe"), _("Appréciation de l’équipe")], rows,
                         caption=_("Résultats intermédiaires : preuves et appréciations")),
            tables.paragraphs(_("Résultats dont les indicateurs sont en retard : {list}.").format(
                list=", ".join(weak)) if weak else _("Aucun résultat n’a d’indicateurs en "
                                                     "retard."))))

    def conclusions(self) -> None:
        """The team's numbered conclusions and recommendations."""
        matrix = self.ctx.dataset.matrix
        if matrix is None:
            return
        show(conclusion_blocks.conclusions_block(matrix, self.appraisal))

    def lessons(self) -> None:
        """The team's lessons learned (a summative phase)."""
        show(conclusion_blocks.lessons_block(self.appraisal))

    def follow_up(self) -> None:
        """What became of the previous phase's recommendations, with the indicators' movement."""
        ctx = self.ctx
        before = ctx.programme.previous_phase(ctx.phase.code)
        if before is None or ctx.dataset.matrix is None:
            show(tables.notice(_("Aucune évaluation ne précède celle-ci : pas de recommandation "
                                 "à suivre."), "info"))
            return
        show(conclusion_blocks.follow_up_block(ctx.programme, ctx.dataset.matrix,
                                               ctx.appraisal(phase=before.code), self.appraisal,
                                               ctx.rows_at(before.code), ctx.rows(),
                                               (before.year, ctx.year)))

    def efficiency(self) -> None:
        """Budget execution and unit costs, or why efficiency cannot be assessed."""
        from .efficiency import efficiency_section

        efficiency_section(self.ctx)

    def coherence(self) -> None:
        """The checks on the team's appraisal and the team's answers; the blanks."""
        show(annex_blocks.checks_block(self.review))

    def method(self) -> None:
        """The data collection the team actually carried out, and its limits."""
        if self.ctx.dataset.matrix is not None:
            show(annex_blocks.method_block(self.ctx.dataset.matrix, self.appraisal,
                                           _("le partenariat {pair}").format(
                                               pair=self.ctx.pair.label),
                                           self.ctx.phase.code))

    def annexes(self, which: str) -> None:
        """An annex: ``matrice``, ``bareme``, ``personnes``, ``documents`` or ``sigles``."""
        show(annex(self.ctx, self.appraisal, which))

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
              conclusion_blocks.change_in_words(r.actual_before, r.actual_now, inds[r.code]),
              fmt.achievement(r.achievement_raw_before, edges),
              fmt.achievement(r.achievement_raw_now, edges), tables.status_cell(r.status_now)]
             for r in cmp.itertuples()],
            caption=_("Indicateurs : {before} (cibles {first}) et {now} (cibles {last})").format(
                before=before.label.lower(), first=y0, now=ctx.phase.label.lower(), last=y1)))
        earlier, now = ctx.appraisal(phase=before.code), self.appraisal
        rows = []
        for spec in RI_NOTEBOOKS:
            m, f = earlier.results.get(spec.ri), now.results.get(spec.ri)
            rows.append([spec.ri.replace("RI", "RI" + fmt.NBSP), m.score if m and m.score else "—",
                         f.score if f and f.score else "—", _trend(ctx, m, f)])
        for c in ctx.programme.criteria:
            m, f = earlier.criteria.get(c.code), now.criteria.get(c.code)
            rows.append([c.label, m.score if m and m.score else "—",
                         f.score if f and f.score else "—", _trend(ctx, m, f)])
        show(tables.table([_("Objet"), _("Note de l’équipe {year}").format(year=y0),
                           _("Note de l’équipe {year}").format(year=y1), _("Évolution")], rows,
                          caption=_("Notes de l’équipe : {before} et {now}").format(
                              before=before.label.lower(), now=ctx.phase.label.lower())))

    def save(self) -> None:
        """Write the pair sidecar."""
        ctx = self.ctx
        overall = self.overall_index
        item = self.appraisal
        evidence = self.review.evidence
        criteria = {c.code: team_grade(item.criteria.get(c.code),
                                       evidence.criterion_proposal(c.code, item), item.english)
                    for c in ctx.programme.criteria}
        result = PairResult(
            notebook=ctx.notebook, pair=ctx.pair.code, phase=ctx.phase.code,
            reference_year=ctx.year,
            ri_index={ri: (r.index if r else None) for ri, r in self.results.items()},
            ri_status={ri: (r.status if r else "indisponible") for ri, r in self.results.items()},
            ri_score={ri: (r.grade.score if r else None) for ri, r in self.results.items()},
            overall_index=overall, overall_status=indicators.status(overall, ctx.thresholds),
            criteria=criteria, unavailable=self.unavailable, parameters=ctx.parameters,
            origins=ctx.settings.origins, fictitious=ctx.fictitious,
            **evaluation_summary(self.review))
        save(ctx, result)
        show(tables.paragraphs(_("Résultats enregistrés : {name}.").format(
            name=ctx_name(self.ctx))))


def annex(ctx: Context, item: Appraisal, which: str):
    """An annex of a synthesis: ``matrice``, ``bareme``, ``personnes``, ``documents`` or
    ``sigles`` (nothing without an evaluation matrix)."""
    matrix = ctx.dataset.matrix
    if matrix is None:
        return tables.notice(_("Le projet n’a pas de matrice d’évaluation."), "attention")
    return {"matrice": lambda: annex_blocks.matrix_annex(ctx.programme, matrix),
            "bareme": lambda: annex_blocks.rubric_annex(ctx.programme, matrix, ctx.thresholds),
            "personnes": lambda: annex_blocks.people_annex(item),
            "documents": lambda: annex_blocks.documents_annex(item),
            "sigles": lambda: annex_blocks.acronyms_annex(matrix)}[which]()


def _trend(ctx: Context, mid, final) -> str:
    if not (mid and final and mid.score and final.score):
        return "—"
    delta = ctx.programme.rating_value(final.score) - ctx.programme.rating_value(mid.score)
    return _("amélioration") if delta > 0 else _("recul") if delta < 0 else _("stable")


def evaluation_summary(found: Review) -> dict:
    """What a synthesis sidecar carries of the team's evaluation: the verdict on the objective,
    every answer (with the proposals), the conclusions and recommendations, the checks and the
    places still « à compléter » — texts in the notebook's language, as the report cites them."""
    item, evidence = found.appraisal, found.evidence
    questions = {}
    for code, q in evidence.questions.items():
        answer = item.questions.get(code)
        questions[code] = team_grade(answer, q.proposal, item.english)
    objective = next((c for c, q in evidence.questions.items()
                      if q.question.criterion == "objectif"), None)
    return {"objective": questions[objective] if objective else team_grade(None, None),
            "questions": questions,
            "conclusions": [KeyConclusion(id=c.id, text=item.text(c.text), findings=c.findings)
                            for c in item.conclusions],
            "recommendations": [KeyRecommendation(
                id=r.id, text=item.text(r.text), addressee=r.addressee, priority=r.priority,
                deadline=r.deadline.isoformat(), conclusions=r.conclusions, results=r.results)
                for r in item.recommendations],
            "checks": [CheckNote(id=c.id, kind=c.kind, place=c.place, message=c.message,
                                 answer=c.answer) for c in found.checks],
            "blanks": [b.what for b in found.blanks]}
