"""One appraisal reviewed: the team's text, the evidence beside it, the checks and the blanks.

What ``validate``, the grid, the reports and the sign-off all need for a pair (or the programme)
at a phase, computed in one place: :func:`review` for one appraisal, :func:`review_all` for every
appraisal a data folder may hold (written or not).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import indicators
from .appraisal import PROGRAMME_KEY, Appraisal
from .checks import Blank, Check, blanks, check_appraisal
from .evidence import (
    PairEvidence,
    ProgrammeEvidence,
    cost_comparisons,
    pair_evidence,
    programme_evidence,
)
from .settings import checked_settings
from .thresholds import Thresholds

if TYPE_CHECKING:
    from .dataset import Dataset


@dataclass
class Review:
    """An appraisal, its evidence, the checks raised on it and its places « à compléter »."""

    phase: str
    who: str
    appraisal: Appraisal
    evidence: PairEvidence | ProgrammeEvidence
    checks: list[Check]
    blanks: list[Blank]

    @property
    def open_checks(self) -> list[Check]:
        """The checks neither fixed nor answered."""
        return [c for c in self.checks if c.open]

    @property
    def complete(self) -> bool:
        """Whether nothing is left « à compléter » and every check is fixed or answered."""
        return not self.blanks and not self.open_checks


def thresholds_of(dataset: Dataset, phase: str) -> dict[str, Thresholds]:
    """Each pair's thresholds at a phase, from the parameter files (programme, phase, pair)."""
    programme = dataset.programme
    return {pair: checked_settings(programme, phase, pair).thresholds
            for pair in programme.pair_codes}


def review(dataset: Dataset, phase: str, who: str,
           thresholds: dict[str, Thresholds] | None = None,
           evidence: PairEvidence | ProgrammeEvidence | None = None) -> Review:
    """Review the appraisal of a pair (or ``"programme"``) at a phase.

    Parameters
    ----------
    dataset : Dataset
        The validated inputs (whole, or a view of this phase or a later one).
    phase, who : str
        The phase, and a pair code or ``"programme"``.
    thresholds : dict, optional
        Pair → thresholds (default: each pair's from the parameter files).
    evidence : PairEvidence or ProgrammeEvidence, optional
        Already computed for this phase (default: computed here).

    Returns
    -------
    Review
    """
    programme, matrix = dataset.programme, dataset.matrix
    thresholds = thresholds or thresholds_of(dataset, phase)
    view = dataset.for_phase(phase) if dataset.phase is None else dataset
    appraisals = view.appraisals
    item = appraisals.evaluation(phase, who)
    before = programme.previous_phase(phase)
    earlier = appraisals.evaluation(before.code, who) if before else None
    before_rows = None
    if evidence is None:
        evidence = (programme_evidence(view, phase, thresholds) if who == PROGRAMME_KEY
                    else pair_evidence(view, phase, who, thresholds))
    if before is not None and who != PROGRAMME_KEY:
        obs = view.observations
        before_rows = indicators.indicator_rows(programme, obs[obs["year"] <= before.year], who,
                                                before.code)
    checks = check_appraisal(programme, matrix, item, evidence, earlier=earlier,
                             before_rows=before_rows)
    return Review(phase, who, item, evidence, checks, blanks(programme, matrix, item, earlier))


def review_all(dataset: Dataset, written_only: bool = False) -> list[Review]:
    """Every appraisal of every phase (pairs, then the programme), in programme order.

    With ``written_only``, only the appraisals the team has started (a store file exists).
    """
    programme = dataset.programme
    out = []
    for phase in programme.phases:
        whos = [w for w in [*programme.pair_codes, PROGRAMME_KEY]
                if not written_only or (phase, w) in dataset.appraisals.items]
        if not whos:
            continue
        thresholds = thresholds_of(dataset, phase)
        view = dataset.for_phase(phase)
        costs = cost_comparisons(view, phase)
        pairs = {p: pair_evidence(view, phase, p, thresholds, costs)
                 for p in programme.pair_codes}
        whole = None
        for who in whos:
            if who == PROGRAMME_KEY:
                whole = whole or programme_evidence(view, phase, thresholds)
                evidence = whole
            else:
                evidence = pairs[who]
            out.append(review(dataset, phase, who, thresholds, evidence))
    return out
