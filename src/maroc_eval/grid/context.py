"""What a grid is written from: the appraisal of a pair (or the programme) at a phase, the
evidence beside it, the checks raised on it, and the evidence the team is shown.

The evidence of a phase is computed once for all its grids (each pair with its own thresholds,
the costs compared across the pairs, the programme's proposals), from the phase's view of the
data: a mid-term grid never shows what happened after the mid-term.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core.appraisal import PROGRAMME_KEY, Appraisal
from ..core.checks import Check
from ..core.dataset import Dataset
from ..core.evidence import PairEvidence, ProgrammeEvidence, programme_evidence
from ..core.review import review, thresholds_of
from ..core.thresholds import Thresholds


@dataclass
class GridContext:
    """Everything one grid shows.

    Attributes
    ----------
    view : Dataset
        The phase's view of the data.
    phase, who : str
        The phase, and a pair code or ``"programme"``.
    appraisal : Appraisal
        The team's appraisal as stored (empty when not written yet).
    earlier : Appraisal or None
        The same pair's appraisal at the previous phase (its recommendations are followed up).
    evidence : PairEvidence or ProgrammeEvidence
    programme_evidence : ProgrammeEvidence
        Every pair's evidence at the phase (the costs and ranks of the others).
    checks : list of Check
        The checks raised on the appraisal as stored.
    thresholds : dict
        Each pair's thresholds at the phase.
    """

    view: Dataset
    phase: str
    who: str
    appraisal: Appraisal
    earlier: Appraisal | None
    evidence: PairEvidence | ProgrammeEvidence
    programme_evidence: ProgrammeEvidence
    checks: list[Check]
    thresholds: dict[str, Thresholds]

    @property
    def is_programme(self) -> bool:
        """Whether this is the programme's grid."""
        return self.who == PROGRAMME_KEY

    @property
    def pairs(self) -> list[str]:
        """The pairs whose evidence the grid shows (one, or all for the programme)."""
        return list(self.programme_evidence.pairs) if self.is_programme else [self.who]

    def seen(self) -> dict:
        """The evidence the team is shown, as ``preuves_vues`` records it: each pair's
        indicator values at the reference year and the years then missing."""
        pairs = self.programme_evidence.pairs
        return {"valeurs": {p: pairs[p].values() for p in self.pairs},
                "manquantes": {p: pairs[p].missing_years for p in self.pairs}}


def phase_contexts(dataset: Dataset, phase: str, whos: list[str]) -> list[GridContext]:
    """The contexts of the grids of one phase (pair codes and ``"programme"``), the evidence
    computed once and each appraisal reviewed (:func:`maroc_eval.core.review.review`)."""
    programme = dataset.programme
    view = dataset.for_phase(phase) if dataset.phase is None else dataset
    thresholds = thresholds_of(view, phase)
    whole = programme_evidence(view, phase, thresholds)
    before = programme.previous_phase(phase)
    out = []
    for who in whos:
        evidence = whole if who == PROGRAMME_KEY else whole.pairs[who]
        found = review(view, phase, who, thresholds, evidence)
        earlier = view.appraisals.evaluation(before.code, who) if before else None
        out.append(GridContext(view, phase, who, found.appraisal, earlier, evidence, whole,
                               found.checks, thresholds))
    return out
