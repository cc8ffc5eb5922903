"""The rubric at work: what the data say of the verifiable judgement criteria, and the grade
the toolkit *proposes* — a starting point the evaluation team accepts or departs from in writing,
never a grade (:mod:`maroc_eval.core.matrix_items` holds the rubric as the matrix states it).

Pure functions of indicator rows (:func:`maroc_eval.core.indicators.indicator_rows`), the
observations a phase sees and the pair's own thresholds. Every outcome and proposal carries the
figures that decide it, in French, so that the report can state how it was derived.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

import pandas as pd

from ..base import fmt
from ..base.i18n import N_, _, ngettext
from ..base.status import TOLERANCE
from ..base.status import missing as unknown
from . import series
from .matrix_items import JudgementCriterion, Rubric, Verification
from .programme import Programme
from .setting_registry import SETTINGS
from .thresholds import Thresholds

SATISFIED, UNMET, UNDETERMINED = "satisfait", "non_satisfait", "indetermine"
OUTCOME_LABELS = {SATISFIED: N_("satisfait"), UNMET: N_("non satisfait"),
                  UNDETERMINED: N_("indéterminé (valeur manquante)")}


@dataclass(frozen=True)
class Outcome:
    """What the data say of a verifiable judgement criterion."""

    state: str
    detail: str

    @property
    def label(self) -> str:
        """« satisfait », « non satisfait »… in the language spoken."""
        return _(OUTCOME_LABELS[self.state])


@dataclass(frozen=True)
class Proposal:
    """A proposed grade (``None``: none can be proposed) and how it was derived, in words."""

    grade: str | None
    basis: str


@dataclass(frozen=True)
class Facts:
    """What a verification reads: a pair's indicator rows (by code) and the phase's data."""

    programme: Programme
    rows: pd.DataFrame
    observations: pd.DataFrame
    pair: str
    year: int
    thresholds: Thresholds


def _pct(value) -> str:
    return fmt.percent(value, 0, ratio=True)


def _row(facts: Facts, code: str):
    if "code" not in facts.rows.columns:
        return None
    found = facts.rows[facts.rows["code"] == code]
    return None if found.empty else found.iloc[0]


def _shown(facts: Facts, code: str, value) -> str:
    ind = facts.programme.indicator_map[code]
    return fmt.value(value, ind.measure, ind.levels, ind.unit)


def verify_one(test: Verification, facts: Facts) -> Outcome:
    """The outcome of one test on the data."""
    programme = facts.programme
    if test.threshold:
        edge = getattr(facts.thresholds, test.threshold)
        parts, states = [], []
        for code in test.codes:
            row = _row(facts, code)
            raw = None if row is None or unknown(row["achievement_raw"]) else row["achievement_raw"]
            states.append(UNDETERMINED if raw is None else
                          SATISFIED if raw + TOLERANCE >= edge else UNMET)
            parts.append(f"{code} {_pct(raw)}")
        state = (UNMET if UNMET in states else UNDETERMINED if UNDETERMINED in states
                 else SATISFIED)
        return Outcome(state, _("{figures} (seuil {name} : {edge})").format(
            figures=", ".join(parts), name=SETTINGS[test.threshold].word, edge=_pct(edge)))
    code = test.indicator
    ind = programme.indicator_map[code]
    row = _row(facts, code)
    actual = None if row is None or unknown(row["actual"]) else float(row["actual"])
    if test.all_categories:
        dim = ind.dimensions[0]
        names = programme.dimensions[dim].categories
        split = series.disaggregation(facts.observations, ind, facts.pair, facts.year,
                                      first_year=programme.baseline_year)
        values = {c: v for c, v in zip(split["category"], split["value"], strict=True)}
        if split.empty or any(unknown(v) for v in values.values()):
            return Outcome(UNDETERMINED, _("{code} : ventilation {year} inconnue").format(
                code=code, year=facts.year))
        present = [c for c in names if values.get(c, 0) > 0]
        absent = [c for c in names if c not in present]
        detail = _("{code} : {n} modalités sur {total} ({present})").format(
            code=code, n=len(present), total=len(names), present=", ".join(present) or "—")
        if absent:
            detail += _(" ; aucune pour {absent}").format(absent=", ".join(absent))
        return Outcome(SATISFIED if not absent else UNMET, detail)
    if test.min_value is not None:
        if actual is None:
            return Outcome(UNDETERMINED, _("{code} : valeur {year} inconnue").format(
                code=code, year=facts.year))
        wanted = (_("attendu : {minimum}") if ind.measure == "oui_non"
                  else _("attendu : au moins {minimum}"))
        return Outcome(SATISFIED if actual + TOLERANCE >= test.min_value else UNMET,
                       _("{code} = {value} ({wanted})").format(
                           code=code, value=_shown(facts, code, actual),
                           wanted=wanted.format(minimum=_shown(facts, code, test.min_value))))
    base = None if row is None or unknown(row["baseline"]) else float(row["baseline"])
    if actual is None or base is None:
        return Outcome(UNDETERMINED, _("{code} : valeur de base ou {year} inconnue").format(
            code=code, year=facts.year))
    sign = 1 if ind.direction == "hausse" else -1
    moved = sign * (actual - base) > TOLERANCE
    return Outcome(SATISFIED if moved else UNMET, _("{code} : {before} → {after}").format(
        code=code, before=_shown(facts, code, base), after=_shown(facts, code, actual)))


def verify(criterion: JudgementCriterion, facts: Facts) -> Outcome | None:
    """The outcome of a judgement criterion's tests (all must hold); ``None`` if it has none."""
    if not criterion.verifiable:
        return None
    found = [verify_one(test, facts) for test in criterion.verification]
    states = {o.state for o in found}
    state = UNMET if UNMET in states else UNDETERMINED if UNDETERMINED in states else SATISFIED
    return Outcome(state, " ; ".join(o.detail for o in found))


def _grade(rubric_codes: list[str], rank: int) -> str:
    return rubric_codes[max(0, min(rank, len(rubric_codes) - 1))]


def propose_achievement(rows: pd.DataFrame, outcomes: list[Outcome | None],
                        thresholds: Thresholds, rubric: Rubric, scale: list[str]) -> Proposal:
    """The proposal from the indicators' achievement (objective, effectiveness, RI grades).

    A: every indicator with a value reaches « en bonne voie » and no verifiable criterion is
    unmet; B: the index (mean capped achievement) reaches « en bonne voie »; C: it reaches
    « en retard »; D below. An unmet verifiable criterion caps the proposal at B; under the
    rubric's minimum coverage, nothing is proposed.
    """
    values = pd.to_numeric(rows["achievement"], errors="coerce")
    raw = pd.to_numeric(rows["achievement_raw"], errors="coerce")
    known = values.dropna()
    total = len(rows)
    if total == 0 or len(known) / total < rubric.min_coverage:
        return Proposal(None, ngettext(
            "aucune proposition : {n} indicateur renseigné sur {total}",
            "aucune proposition : {n} indicateurs renseignés sur {total}",
            len(known)).format(n=len(known), total=total))
    index = float(known.mean())
    on_track, late = thresholds.threshold_on_track, thresholds.threshold_late
    below = int((raw.dropna() + TOLERANCE < on_track).sum())
    unmet = [o for o in outcomes if o is not None and o.state == UNMET]
    if below == 0 and not unmet:
        rank = 0
    elif index + TOLERANCE >= on_track:
        rank = 1
    elif index + TOLERANCE >= late:
        rank = 2
    else:
        rank = 3
    basis = ngettext("indice {index} sur {n} indicateur renseigné", "indice {index} sur {n} "
                     "indicateurs renseignés", len(known)).format(index=_pct(index), n=len(known))
    basis += _(" ; sous le seuil « en bonne voie » ({on_track}) : {below} ; seuil « en retard » "
               ": {late}").format(below=below, on_track=_pct(on_track), late=_pct(late))
    if unmet:
        basis += ngettext(" ; {n} critère vérifiable non satisfait : la proposition ne dépasse "
                          "pas {cap}", " ; {n} critères vérifiables non satisfaits : la "
                          "proposition ne dépasse pas {cap}", len(unmet)).format(
            n=len(unmet), cap=_grade(scale, 1))
        rank = max(rank, 1)
    return Proposal(_grade(scale, rank), basis)


def propose_criteria(outcomes: list[Outcome | None], scale: list[str]) -> Proposal:
    """The proposal from the verifiable criteria only (relevance, coherence, impact,
    sustainability): A all satisfied, B at least half, C some, D none."""
    tested = [o for o in outcomes if o is not None]
    decided = [o for o in tested if o.state != UNDETERMINED]
    if not tested:
        return Proposal(None, _("aucune proposition : aucun critère de jugement n'est vérifiable "
                                "dans les données ; la note repose sur les constats de "
                                "l'équipe"))
    if not decided:
        return Proposal(None, _("aucune proposition : les critères vérifiables ne peuvent pas "
                                "être vérifiés (valeurs manquantes)"))
    met = sum(o.state == SATISFIED for o in decided)
    share = met / len(decided)
    rank = 0 if share == 1 else 1 if share >= 0.5 else 2 if met else 3
    return Proposal(_grade(scale, rank), _("critères vérifiables satisfaits : {met} sur {n}")
                    .format(met=met, n=len(decided)))


@dataclass(frozen=True)
class CostRatio:
    """A pair's cost against the median of the pairs (1.0 = the median)."""

    label: str
    cost: float
    median: float
    n: int

    @property
    def ratio(self) -> float:
        """The pair's cost divided by the median."""
        return self.cost / self.median


def propose_costs(ratios: list[CostRatio], rate: float | None, rubric: Rubric,
                  scale: list[str], reason: str | None = None) -> Proposal:
    """The proposal from the results obtained per euro, against the other pairs.

    The median of the pair's cost ratios (each unit cost and the cost per point of achievement,
    divided by the median of the pairs) gives A up to the rubric's first cut-off, B, C, then D.
    The execution rate is stated as context, never graded.
    """
    if reason:
        return Proposal(None, _("non appréciable : {reason}").format(reason=reason))
    usable = [r for r in ratios if r.median > 0 and r.n >= 3]
    if len(usable) < 2:
        return Proposal(None, _("non appréciable : moins de deux coûts comparables à ceux "
                                "d'au moins trois partenariats"))
    middle = statistics.median(r.ratio for r in usable)
    cut = rubric.cost_cutoffs
    rank = next((i for i, code in enumerate(scale[:-1]) if code in cut
                 and middle <= cut[code] + TOLERANCE), len(scale) - 1)
    parts = " ; ".join(f"{r.label.lower()} {fmt.number(r.ratio, 2)}" for r in usable)
    basis = _("coûts rapportés à la médiane des partenariats (1 = la médiane) : {parts} ; "
              "médiane {middle}").format(parts=parts, middle=fmt.number(middle, 2))
    if rate is not None:
        basis += _(" ; taux d'exécution du budget {rate} (contexte, sans effet sur la "
                   "proposition)").format(rate=_pct(rate))
    return Proposal(_grade(scale, rank), basis)


def median_grade(grades: list[str | None], scale: list[str]) -> str | None:
    """The median of grades, the lower one of the two middles (``None`` without any)."""
    ranks = sorted(scale.index(g) for g in grades if g in scale)
    if not ranks:
        return None
    return scale[ranks[len(ranks) // 2]]


def propose_from_grades(grades: dict[str, str | None], scale: list[str], of_what: str
                        ) -> Proposal:
    """A proposal from other grades (a DAC criterion from its questions, the programme from
    its pairs): their median, the lower middle on a tie. ``of_what`` completes « médiane… »
    (« des notes de ses questions »)."""
    grade = median_grade(list(grades.values()), scale)
    shown = ", ".join(f"{k} {v or '—'}" for k, v in grades.items())
    if grade is None:
        return Proposal(None, _("aucune proposition : aucune note ni proposition ({shown})")
                        .format(shown=shown))
    return Proposal(grade, _("médiane {of_what} ({shown})").format(of_what=of_what, shown=shown))
