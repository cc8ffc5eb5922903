"""Scores that contradict the figures, references that lead nowhere, questions left unanswered.

The rules are in the evaluation matrix (``params/evaluation.yml``, ``coherence``); the
thresholds are each pair's own (:mod:`maroc_eval.core.settings`). A contradiction is a warning,
not an error — the evaluator may have reasons — and a ``justification`` written under the score
silences it. A broken reference (a conclusion citing an unknown question, a follow-up of a
recommendation the mid-term never made) is an error. ``maroc-eval validate`` prints them; the
syntheses list them in the report's data-quality annex.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .. import fmt
from ..errors import ERROR, WARNING, ProblemList
from ..i18n import N_, _
from . import indicators
from .conclusions import PROGRAMME_KEY
from .matrix import OBJECTIVE, EvaluationMatrix
from .settings import resolve_settings

THRESHOLD_WORDS = {"threshold_met": N_("« atteint »"),
                   "threshold_on_track": N_("« en bonne voie »"),
                   "threshold_late": N_("« en retard »")}


@dataclass(frozen=True)
class Flag:
    """One inconsistency: where (phase, pair or programme, key path) and what, in French."""

    phase: str
    who: str
    path: tuple
    value: str | None
    message: str
    severity: str = WARNING
    kind: str = "coherence"


def _short(text: str, width: int = 70) -> str:
    return text if len(text) <= width else text[:width].rsplit(" ", 1)[0] + "…"


def _pct(value: float | None) -> str:
    return fmt.percent(value, 0, ratio=True)


class _Checker:
    def __init__(self, programme, matrix: EvaluationMatrix, obs: pd.DataFrame, judgements,
                 budget: pd.DataFrame | None):
        self.programme, self.matrix, self.obs = programme, matrix, obs
        self.judgements, self.budget = judgements, budget
        self.flags: list[Flag] = []
        self._rows: dict[tuple, pd.DataFrame] = {}

    def rows(self, phase: str, pair: str) -> pd.DataFrame:
        if (phase, pair) not in self._rows:
            year = self.programme.phases[phase].year
            thresholds = resolve_settings(self.programme, phase, pair).thresholds
            self._rows[(phase, pair)] = indicators.indicator_rows(
                self.programme, self.obs[self.obs["year"] <= year], pair, phase, thresholds)
        return self._rows[(phase, pair)]

    def flag(self, phase, who, path, value, message, severity=WARNING, kind="coherence"):
        self.flags.append(Flag(phase, who, path, value, message, severity, kind))

    # -- scores against figures ------------------------------------------------------------
    def score_rules(self, phase: str, pair: str, path: tuple, what: str, score: str | None,
                    codes: list[str], justified: bool) -> None:
        if score is None or justified:
            return
        rows = self.rows(phase, pair)
        group = rows[rows["code"].isin(codes)]
        index, _coverage = indicators.ri_index(group)
        if index is None:
            return
        thresholds = resolve_settings(self.programme, phase, pair).thresholds
        detail = "; ".join(f"{r.code} {_pct(r.achievement_raw)}" for r in group.itertuples()
                           if not pd.isna(r.achievement_raw))
        rules = self.matrix.coherence
        # (rule, threshold name, whether the index contradicts the score, the message)
        checks = []
        if rules.high_score_low_index:
            name = rules.high_score_low_index.below
            checks.append((rules.high_score_low_index.notes, name,
                           index < getattr(thresholds, name),
                           N_("{what} noté {score} alors que son indice est de {index}, sous le "
                              "seuil {threshold} ({edge}) ; indicateurs : {detail}")))
        if rules.low_score_high_index:
            name = rules.low_score_high_index.from_
            checks.append((rules.low_score_high_index.notes, name,
                           index >= getattr(thresholds, name),
                           N_("{what} noté {score} alors que son indice est de {index}, "
                              "au-dessus du seuil {threshold} ({edge}) ; indicateurs : "
                              "{detail}")))
        for notes, name, contradicts, message in checks:
            if score in notes and contradicts:
                self.flag(phase, pair, path, score, _(message).format(
                    what=what, score=score, index=_pct(index),
                    threshold=_(THRESHOLD_WORDS[name]),
                    edge=_pct(getattr(thresholds, name)), detail=detail))

    def moved(self, pair: str, before: str, now: str, codes: list[str]) -> bool:
        """Whether any of these indicators moved the right way between two phases' years."""
        a = self.rows(before, pair).set_index("code")
        b = self.rows(now, pair).set_index("code")
        for code in codes:
            x, y = a.at[code, "actual"], b.at[code, "actual"]
            if pd.isna(x) or pd.isna(y):
                return True  # unknown: no claim of stagnation
            sign = 1 if self.programme.indicator_map[code].direction == "hausse" else -1
            if sign * (y - x) > 0:
                return True
        return False

    def pair(self, phase: str, pair: str) -> None:
        j, programme = self.judgements, self.programme
        codes_of = {r.code: [i.code for i in programme.indicators_of(r.code)]
                    for r in programme.results}
        before = programme.previous_phase(phase)
        for ri, codes in codes_of.items():
            finding = j.ri(phase, pair, ri)
            if finding is None:
                continue
            path = (phase, pair, "resultats", ri)
            self.score_rules(phase, pair, path, ri.replace("RI", "RI "), finding.score, codes,
                             bool(finding.justification))
            earlier = j.ri(before.code, pair, ri) if before else None
            if (self.matrix.coherence.progress_without_movement and earlier and earlier.score
                    and finding.score and not finding.justification
                    and programme.rating_value(finding.score)
                    > programme.rating_value(earlier.score)
                    and not self.moved(pair, before.code, phase, codes)):
                self.flag(phase, pair, path, finding.score,
                          _("{ri} noté {score} contre {earlier} à l'évaluation précédente, "
                            "alors qu'aucun de ses indicateurs n'a progressé entre {start} et "
                            "{end}").format(
                              ri=ri.replace("RI", "RI "), score=finding.score,
                              earlier=earlier.score, start=before.year,
                              end=programme.phases[phase].year))
        self.answers(phase, pair)
        if self.matrix.coherence.efficiency_without_costs:
            scored = j.criteria(phase, pair).get("efficience")
            if scored is not None and scored.score and not self.has_costs(phase, pair):
                self.flag(phase, pair, (phase, pair, "criteres_cad", "efficience"), scored.score,
                          _("efficience notée {score} sans données de coût pour ce partenariat "
                            "(budget.csv) : l'efficience ne peut pas être appréciée").format(
                              score=scored.score))

    def answers(self, phase: str, who: str) -> None:
        ev = self.judgements.evaluation(phase, who)
        is_pair = who != PROGRAMME_KEY
        missing = [q for q in self.matrix.questions if q.code not in ev.questions]
        if missing or ev.objective is None:
            wanted = []
            if len(missing) == 1:
                wanted.append(_("une réponse à la question {code} de la matrice d'évaluation (« "
                                "{text} »)").format(
                                  code=missing[0].code, text=_short(missing[0].text)))
            elif missing:
                wanted.append(_("une réponse à chaque question de la matrice d'évaluation : ")
                              + ", ".join(q.code for q in missing))
            if ev.objective is None:
                wanted.append(_("un verdict sur l'objectif spécifique (clé « objectif »)"))
            self.flag(phase, who, (phase, who),
                      ", ".join(q.code for q in missing) if missing else "objectif",
                      " et ".join(wanted), kind="unanswered")
        for q in self.matrix.questions:
            answer = ev.questions.get(q.code)
            if answer is not None and is_pair and q.criterion != "efficience":
                self.score_rules(phase, who, (phase, who, "questions", q.code), q.code,
                                 answer.score, self.matrix.indicator_codes(q, self.programme),
                                 bool(answer.justification))
        objective = next(q for q in self.matrix.questions if q.criterion == OBJECTIVE)
        if ev.objective is not None and is_pair:
            self.score_rules(phase, who, (phase, who, "objectif"), _("l'objectif spécifique"),
                             ev.objective.score,
                             self.matrix.indicator_codes(objective, self.programme),
                             bool(ev.objective.justification))
        self.references(phase, who)

    def references(self, phase: str, who: str) -> None:
        ev = self.judgements.evaluation(phase, who)
        conclusions = {c.id for c in ev.conclusions}
        results = {r.code for r in self.programme.results}
        for c in ev.conclusions:
            for q in c.questions:
                if q not in self.matrix.question_map:
                    self.flag(phase, who, (phase, who, "conclusions", c.id), q,
                              _("une question de la matrice ({question_map})").format(
                                  question_map=', '.join(self.matrix.question_map)),
                              ERROR, "bad-reference")
            for ri in c.results:
                if ri not in results:
                    self.flag(phase, who, (phase, who, "conclusions", c.id), ri,
                              _("un RI du programme ({join})").format(
                                  join=', '.join(sorted(results))), ERROR,
                              "bad-reference")
        for r in ev.recommendations:
            for c in r.conclusions:
                if c not in conclusions:
                    known = ", ".join(sorted(conclusions)) or "aucune"
                    self.flag(phase, who, (phase, who, "recommandations", r.id), c,
                              _("une conclusion de ce partenariat ({known})").format(known=known),
                              ERROR,
                              "bad-reference")
        before = self.programme.previous_phase(phase)
        earlier = self.judgements.evaluation(before.code, who) if before else None
        made = {r.id for r in earlier.recommendations} if earlier else set()
        for rec_id in ev.follow_up:
            if rec_id not in made:
                self.flag(phase, who, (phase, who, "suivi", rec_id), rec_id,
                          _("une recommandation de l'évaluation précédente (")
                          + (", ".join(sorted(made)) or "aucune") + ")", ERROR, "bad-reference")
        if earlier is not None and earlier.recommendations and ev.questions:
            for rec_id in sorted(made - set(ev.follow_up)):
                self.flag(phase, who, (phase, who, "suivi"), rec_id,
                          _("le suivi de la recommandation {rec_id} de l'évaluation précédente "
                            "(clé « suivi »)").format(rec_id=rec_id), kind="unanswered")

    def has_costs(self, phase: str, pair: str) -> bool:
        if self.budget is None or self.budget.empty:
            return False
        year = self.programme.phases[phase].year
        b = self.budget
        return bool(((b["pair"] == pair) & (b["year"] <= year)).any())


def check_consistency(programme, matrix: EvaluationMatrix | None, observations: pd.DataFrame,
                      judgements, budget: pd.DataFrame | None = None,
                      phases: list[str] | None = None, who: list[str] | None = None
                      ) -> list[Flag]:
    """Every inconsistency between the judgements and the figures.

    Parameters
    ----------
    programme : Programme
    matrix : EvaluationMatrix or None
        Its rules and questions; ``None``: nothing to check.
    observations : DataFrame
        The monitoring rows (each phase sees only its years).
    judgements : Judgements or None
    budget : DataFrame, optional
        The budget rows (:mod:`maroc_eval.core.budget`).
    phases, who : list of str, optional
        Restrict to these phases and these pairs (or ``"programme"``); default: every entry of
        the judgements file.

    Returns
    -------
    list of Flag
    """
    if matrix is None or judgements is None:
        return []
    checker = _Checker(programme, matrix, observations, judgements, budget)
    entries = sorted({*judgements.entries, *judgements.evaluations},
                     key=lambda k: (programme.phases[k[0]].year, k[1]))
    for phase, entry in entries:
        if (phases and phase not in phases) or (who and entry not in who):
            continue
        if entry == PROGRAMME_KEY:
            checker.answers(phase, entry)
        else:
            checker.pair(phase, entry)
    return checker.flags


def add_problems(flags: list[Flag], judgements, problems: ProblemList) -> None:
    """Record the flags as located problems of the judgements file (``validate``)."""
    for f in flags:
        line = judgements.line(*f.path) or judgements.line(*f.path[:2])
        problems.add(judgements.file, line, ".".join(map(str, f.path)), f.value,
                     _("une note cohérente avec les chiffres, ou une « justification » : "
                       "{message}").format(message=f.message)
                     if f.kind == "coherence" else f.message,
                     kind=f.kind, severity=f.severity)
