"""What a grid is written from: the appraisal of a pair (or the programme) at a phase, the
evidence beside it, the checks raised on it, and the evidence the team is shown.

The evidence of a phase is computed once for all its grids (each pair with its own thresholds,
the costs compared across the pairs, the programme's proposals), from the phase's view of the
data: a mid-term grid never shows what happened after the mid-term.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core import indicators
from ..core.appraisal import PROGRAMME_KEY, Appraisal
from ..core.checks import Check, check_appraisal
from ..core.dataset import Dataset
from ..core.evidence import PairEvidence, ProgrammeEvidence, programme_evidence
from ..core.settings import resolve_settings
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


def thresholds_of(view: Dataset, phase: str) -> dict[str, Thresholds]:
    """Each pair's thresholds at a phase (programme, phase and pair parameter files)."""
    programme = view.programme
    return {pair: resolve_settings(programme, phase, pair).thresholds
            for pair in programme.pair_codes}


def phase_contexts(dataset: Dataset, phase: str, whos: list[str]) -> list[GridContext]:
    """The contexts of the grids of one phase (pair codes and ``"programme"``), the evidence
    computed once."""
    programme = dataset.programme
    view = dataset.for_phase(phase) if dataset.phase is None else dataset
    thresholds = thresholds_of(view, phase)
    whole = programme_evidence(view, phase, thresholds)
    before = programme.previous_phase(phase)
    out = []
    for who in whos:
        item = view.appraisals.evaluation(phase, who)
        earlier = view.appraisals.evaluation(before.code, who) if before else None
        if who == PROGRAMME_KEY:
            evidence, before_rows = whole, None
        else:
            evidence = whole.pairs[who]
            before_rows = None
            if before is not None:
                obs = view.observations
                before_rows = indicators.indicator_rows(
                    programme, obs[obs["year"] <= before.year], who, before.code)
        checks = check_appraisal(programme, view.matrix, item, evidence, earlier=earlier,
                                 before_rows=before_rows)
        out.append(GridContext(view, phase, who, item, earlier, evidence, whole, checks,
                               thresholds))
    return out
