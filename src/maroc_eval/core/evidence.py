"""The evidence the toolkit puts in front of the evaluation team, per pair (or for the programme)
and phase: for each evaluation question its indicators, the outcome of its verifiable judgement
criteria and a proposed grade; the same for each RI; the costs compared with the other pairs.

Computed from a phase's view of the data (:meth:`maroc_eval.core.dataset.Dataset.for_phase`:
nothing after the reference year) and each pair's own thresholds. What the grid shows locked
beside the team's columns, what the report shows as « éléments de preuve », and what the checks
compare the team's grades with. The team's grades themselves are never computed here.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from ..base.i18n import _
from . import indicators
from .appraisal import Appraisal
from .efficiency import UNIT_COSTS, Efficiency, programme_efficiency
from .matrix import EvaluationMatrix, Question
from .rubric import (
    CostRatio,
    Facts,
    Outcome,
    Proposal,
    propose_achievement,
    propose_costs,
    propose_criteria,
    propose_from_grades,
    verify,
    verify_one,
)
from .thresholds import Thresholds

if TYPE_CHECKING:
    from .dataset import Dataset


@dataclass(frozen=True)
class CriterionEvidence:
    """One judgement criterion of a question, and what the data say of it."""

    question: str
    number: int
    text: str
    outcome: Outcome | None

    @property
    def id(self) -> str:
        """``QE4.2``."""
        return f"{self.question}.{self.number}"


@dataclass
class QuestionEvidence:
    """A question's evidence for one pair: its indicators, criteria and proposed grade."""

    question: Question
    codes: list[str]
    rows: pd.DataFrame
    index: float | None
    coverage: float
    criteria: list[CriterionEvidence]
    proposal: Proposal

    @property
    def unmet(self) -> list[CriterionEvidence]:
        """The verifiable criteria the data show unmet."""
        return [c for c in self.criteria if c.outcome and c.outcome.state == "non_satisfait"]


@dataclass
class ResultEvidence:
    """An intermediate result's evidence for one pair."""

    code: str
    rows: pd.DataFrame
    index: float | None
    coverage: float
    proposal: Proposal
    unmet: list[CriterionEvidence] = field(default_factory=list)


@dataclass
class PairEvidence:
    """Everything computed for one pair at one phase."""

    pair: str
    phase: str
    year: int
    thresholds: Thresholds
    rows: pd.DataFrame
    overall_index: float | None
    questions: dict[str, QuestionEvidence]
    results: dict[str, ResultEvidence]
    efficiency: Efficiency | None
    cost_ratios: list[CostRatio]
    matrix: EvaluationMatrix
    scale: list[str]

    def criterion_proposal(self, criterion: str, appraisal: Appraisal | None) -> Proposal:
        """A DAC criterion's proposal: the median of its questions' grades (the team's where
        given, else the proposal)."""
        grades = {}
        for code, q in self.questions.items():
            if q.question.criterion != criterion:
                continue
            answer = appraisal.questions.get(code) if appraisal else None
            grades[code] = (answer.score if answer and answer.score else q.proposal.grade)
        return propose_from_grades(grades, self.scale, _("des notes de ses questions"))

    @property
    def missing_years(self) -> dict[str, list[int]]:
        """Indicator code → the years without data up to the reference year."""
        return {r.code: list(r.missing_years) for r in self.rows.itertuples() if r.missing_years}

    def values(self) -> dict[str, float | None]:
        """Indicator code → value at the reference year (``None`` when unknown)."""
        return {r.code: (None if pd.isna(r.actual) else float(r.actual))
                for r in self.rows.itertuples()}


def _proposal_method(matrix: EvaluationMatrix, question: Question) -> str:
    return matrix.rubric.method(question.criterion)


def _overall(rows: pd.DataFrame) -> float | None:
    found = [indicators.ri_index(group)[0] for _ri, group in rows.groupby("ri", sort=False)]
    known = [v for v in found if v is not None]
    return sum(known) / len(known) if known else None


def pair_evidence(dataset: Dataset, phase: str, pair: str,
                  thresholds: dict[str, Thresholds] | Thresholds | None = None,
                  _costs: dict | None = None) -> PairEvidence:
    """The evidence of one pair at one phase.

    Parameters
    ----------
    dataset : Dataset
        The validated inputs (whole or the phase's view; the phase's view is used).
    phase, pair : str
        Codes.
    thresholds : Thresholds or dict, optional
        The pair's thresholds (or every pair's); default the programme's.

    Returns
    -------
    PairEvidence
    """
    view = dataset.for_phase(phase) if dataset.phase is None else dataset
    programme, matrix = view.programme, view.matrix
    own = (thresholds.get(pair) if isinstance(thresholds, dict) else thresholds) \
        or programme.thresholds
    own = own.for_phase(programme.phases[phase].summative)
    rows = view.all_rows(phase, own)
    rows = rows[rows["pair"] == pair].reset_index(drop=True)
    year = programme.phases[phase].year
    facts = Facts(programme, rows, view.observations, pair, year, own)
    scale = programme.rating_codes
    costs = _costs if _costs is not None else cost_comparisons(view, phase)
    efficiency, ratios = costs.get(pair, (None, []))
    questions: dict[str, QuestionEvidence] = {}
    for q in matrix.questions:
        codes = matrix.indicator_codes(q, programme)
        subset = rows[rows["code"].isin(codes)]
        index, coverage = indicators.ri_index(subset)
        criteria = [CriterionEvidence(q.code, n, c.text, verify(c, facts))
                    for n, c in enumerate(q.judgement_criteria, start=1)]
        outcomes = [c.outcome for c in criteria]
        method = _proposal_method(matrix, q)
        if method == "couts":
            proposal = propose_costs(ratios, efficiency.rate if efficiency else None,
                                     matrix.rubric, scale,
                                     reason=None if efficiency and efficiency.assessable
                                     else (efficiency.reason if efficiency
                                           else _("aucune donnée de coût")))
        elif method == "criteres":
            proposal = propose_criteria(outcomes, scale)
        else:
            proposal = propose_achievement(subset, outcomes, own, matrix.rubric, scale)
        questions[q.code] = QuestionEvidence(q, codes, subset, index, coverage, criteria,
                                             proposal)
    results = {r.code: result_evidence(view, phase, pair, r.code, own, rows)
               for r in programme.results}
    return PairEvidence(pair, phase, year, own, rows, _overall(rows), questions, results,
                        efficiency, ratios, matrix, scale)


def result_evidence(dataset: Dataset, phase: str, pair: str, ri: str,
                    thresholds: Thresholds | None = None,
                    rows: pd.DataFrame | None = None) -> ResultEvidence:
    """The evidence of one intermediate result of a pair: its index and the proposed grade.

    The proposal is :func:`~maroc_eval.core.rubric.propose_achievement` on the RI's indicators,
    capped at B by any verification test of the matrix that reads only this RI's indicators and
    fails (« 2 types de partenaires sur 4 » caps RI 7).

    Parameters
    ----------
    dataset : Dataset
        The phase's view (or the whole data).
    phase, pair, ri : str
        Codes.
    thresholds : Thresholds, optional
        The pair's thresholds (default: the programme's).
    rows : DataFrame, optional
        The pair's indicator rows at the phase, if already computed.
    """
    view = dataset.for_phase(phase) if dataset.phase is None else dataset
    programme, matrix = view.programme, view.matrix
    own = (thresholds or programme.thresholds).for_phase(programme.phases[phase].summative)
    if rows is None:
        rows = view.all_rows(phase, own, ri)
        rows = rows[rows["pair"] == pair].reset_index(drop=True)
    subset = rows[rows["ri"] == ri]
    codes = set(subset["code"])
    facts = Facts(programme, rows, view.observations, pair, programme.phases[phase].year, own)
    unmet = []
    for q in matrix.questions if matrix is not None else []:
        for n, criterion in enumerate(q.judgement_criteria, start=1):
            for test in criterion.verification:
                if set(test.codes) <= codes:
                    found = verify_one(test, facts)
                    if found.state == "non_satisfait":
                        unmet.append(CriterionEvidence(q.code, n, criterion.text, found))
    index, coverage = indicators.ri_index(subset)
    rubric = matrix.rubric if matrix is not None else None
    proposal = (propose_achievement(subset, [c.outcome for c in unmet], own, rubric,
                                    programme.rating_codes) if rubric is not None
                else Proposal(None, _("aucune proposition : le projet n'a pas de barème")))
    return ResultEvidence(ri, subset, index, coverage, proposal, unmet)


def cost_comparisons(dataset: Dataset, phase: str) -> dict[str, tuple[Efficiency, list[CostRatio]]]:
    """Each pair's cost evidence and its costs against the median of the pairs: every unit cost
    and the cost per point of achievement (executed budget / overall index)."""
    view = dataset.for_phase(phase) if dataset.phase is None else dataset
    found = programme_efficiency(view, phase)
    rows = view.all_rows(phase)
    overall = {pair: _overall(group) for pair, group in rows.groupby("pair", sort=False)}
    per_point = {e.pair: e.executed / (overall[e.pair] * 100) for e in found.pairs
                 if e.assessable and overall.get(e.pair) and e.executed}
    point_median = statistics.median(per_point.values()) if per_point else None
    out = {}
    for e in found.pairs:
        ratios = []
        if e.assessable:
            for spec in UNIT_COSTS:
                cost = e.unit_cost(spec.code)
                spread = found.unit_cost_spreads.get(spec.code)
                if cost and cost.cost is not None and spread and spread.median:
                    ratios.append(CostRatio(_(spec.label), cost.cost, spread.median, spread.n))
            if e.pair in per_point and point_median:
                ratios.append(CostRatio(_("Coût par point de réalisation"), per_point[e.pair],
                                        point_median, len(per_point)))
        out[e.pair] = (e, ratios)
    return out


@dataclass
class ProgrammeQuestion:
    """A question across the pairs: each pair's evidence, the programme's proposal."""

    question: Question
    pairs: dict[str, QuestionEvidence]
    proposal: Proposal

    def satisfied(self, number: int) -> tuple[int, int]:
        """How many pairs satisfy a verifiable criterion, out of those where it is decided."""
        states = [q.criteria[number - 1].outcome for q in self.pairs.values()]
        decided = [o for o in states if o is not None and o.state != "indetermine"]
        return sum(o.state == "satisfait" for o in decided), len(decided)


@dataclass
class ProgrammeEvidence:
    """Every pair's evidence at a phase and the programme's proposals."""

    phase: str
    pairs: dict[str, PairEvidence]
    questions: dict[str, ProgrammeQuestion]
    scale: list[str]

    def criterion_proposal(self, criterion: str, appraisal: Appraisal | None) -> Proposal:
        """A DAC criterion's proposal at programme level (the median of its questions)."""
        grades = {}
        for code, q in self.questions.items():
            if q.question.criterion != criterion:
                continue
            answer = appraisal.questions.get(code) if appraisal else None
            grades[code] = answer.score if answer and answer.score else q.proposal.grade
        return propose_from_grades(grades, self.scale, _("des notes de ses questions"))


def programme_evidence(dataset: Dataset, phase: str,
                       thresholds: dict[str, Thresholds] | None = None) -> ProgrammeEvidence:
    """Every pair's evidence at a phase, and for each question the programme's proposal: the
    median of the pairs' proposals."""
    view = dataset.for_phase(phase) if dataset.phase is None else dataset
    costs = cost_comparisons(view, phase)
    pairs = {pair: pair_evidence(view, phase, pair, thresholds, costs)
             for pair in view.programme.pair_codes}
    scale = view.programme.rating_codes
    questions = {}
    for q in view.matrix.questions:
        own = {pair: ev.questions[q.code] for pair, ev in pairs.items()}
        proposal = propose_from_grades({pair: e.proposal.grade for pair, e in own.items()}, scale,
                                       _("des propositions des partenariats"))
        questions[q.code] = ProgrammeQuestion(q, own, proposal)
    return ProgrammeEvidence(phase, pairs, questions, scale)
