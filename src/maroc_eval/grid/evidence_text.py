"""The computed evidence as the grid's locked cells say it, in the language spoken.

Per judgement criterion: the indicators it rests on (baseline → target, value at the reference
year, achievement, status), the outcome of its verification in the data, the data gaps; for the
efficiency questions, the pair's costs against the median of the pairs. Per RI and per DAC
criterion: the index, the status and the proposed grade with how it was derived. Figures are
formatted as in the reports (:mod:`maroc_eval.base.fmt`): a printed figure never contradicts its
status.
"""

from __future__ import annotations

import pandas as pd

from ..base import fmt
from ..base.i18n import _, ngettext
from ..base.status import missing, status_label
from ..core import indicators
from ..core.evidence import PairEvidence
from ..core.programme import Programme
from .context import GridContext


def _edges(evidence: PairEvidence) -> tuple[float, float, float]:
    t = evidence.thresholds
    return (t.threshold_met, t.threshold_on_track, t.threshold_late)


def indicator_line(programme: Programme, row, evidence: PairEvidence) -> str:
    """« RI1.1 Stade de mise en place… : 0 → 4 ; 2012 : 2 (service créé) ; réalisation 50 % ;
    Partiellement atteint »."""
    ind = programme.indicator_map[row.code]

    def shown(value) -> str:
        return fmt.value(None if missing(value) else value, ind.measure, ind.levels, ind.unit)

    achieved = fmt.achievement(None if missing(row.achievement_raw) else row.achievement_raw,
                               _edges(evidence))
    return _("{code} {label} : {baseline} → {target} ; {year} : {actual} ; réalisation "
             "{achievement} ; {status}").format(
        code=row.code, label=ind.label, baseline=shown(row.baseline), target=shown(row.target),
        year=evidence.year, actual=shown(row.actual), achievement=achieved,
        status=status_label(row.status))


def indicators_text(programme: Programme, evidence: PairEvidence, codes: list[str]) -> str:
    """One line per indicator of ``codes`` (in logframe order)."""
    rows = evidence.rows[evidence.rows["code"].isin(codes)]
    return "\n".join(indicator_line(programme, r, evidence) for r in rows.itertuples())


def gaps_text(evidence: PairEvidence, codes: list[str]) -> str:
    """The years without data of the indicators ``codes``; « aucune » without any."""
    rows = evidence.rows[evidence.rows["code"].isin(codes)]
    lines = []
    for r in rows.itertuples():
        years = list(r.missing_years)
        if missing(r.actual) and evidence.year not in years:
            years.append(evidence.year)
        if years:
            lines.append(f"{r.code} : " + ", ".join(map(str, sorted(years))))
    return "\n".join(lines) or _("aucune")


def costs_text(evidence: PairEvidence) -> str:
    """The pair's costs against the median of the pairs, and the execution rate as context."""
    eff = evidence.efficiency
    if eff is None:
        return _("Coûts : aucune donnée budgétaire.")
    if not eff.assessable:
        return _("Coûts : efficience non appréciable ({reason}).").format(reason=eff.reason)
    lines = [_("Coûts comparés à la médiane des partenariats (1 = la médiane) :")]
    for r in evidence.cost_ratios:
        lines.append(_("{label} : {cost} {currency} (médiane {median} {currency} sur {n} "
                       "partenariats ; rapport {ratio})").format(
            label=r.label, cost=fmt.number(r.cost, 0), median=fmt.number(r.median, 0),
            currency=eff.currency, n=r.n, ratio=fmt.number(r.ratio, 2)))
    if eff.rate is not None:
        lines.append(_("Taux d'exécution du budget : {rate} (contexte : il ne décide pas de la "
                       "note)").format(rate=fmt.percent(eff.rate, 0, ratio=True)))
    return "\n".join(lines)


def tested_codes(ctx: GridContext, question: str, number: int) -> list[str]:
    """The indicators a judgement criterion's tests read (the question's when it has none)."""
    matrix, programme = ctx.view.matrix, ctx.view.programme
    q = matrix.question_map[question]
    spec = q.judgement_criteria[number - 1]
    codes = [c for test in spec.verification for c in test.codes]
    return list(dict.fromkeys(codes)) or matrix.indicator_codes(q, programme)


def criterion_texts(ctx: GridContext, programme: Programme, question: str, number: int,
                    costs: bool) -> dict[str, str]:
    """The locked cells of a row of « Questions »: indicators, verification, gaps."""
    codes = tested_codes(ctx, question, number)
    whole = ctx.programme_evidence
    if not ctx.is_programme:
        ev = whole.pairs[ctx.who]
        outcome = ev.questions[question].criteria[number - 1].outcome
        shown = indicators_text(programme, ev, codes)
        if costs:
            shown = "\n".join(t for t in (shown, costs_text(ev)) if t)
        return {"indicateurs": shown, "verification": _outcome(outcome),
                "lacunes": gaps_text(ev, codes)}
    labels = {p.code: p.label for p in programme.pairs}
    pq = whole.questions[question]
    indices, verdicts, gaps = [], [], []
    for pair, qe in pq.pairs.items():
        ev = whole.pairs[pair]
        line = _("{pair} : indice {index} ({n} indicateurs renseignés sur {total})").format(
            pair=labels[pair], index=fmt.achievement(qe.index, _edges(ev)),
            n=int(pd.to_numeric(qe.rows["achievement"], errors="coerce").notna().sum()),
            total=len(qe.rows))
        if costs:
            ratios = [r.ratio for r in ev.cost_ratios]
            if ratios:
                line += _(" ; coûts : médiane des rapports à la médiane des partenariats "
                          "{ratio}").format(ratio=fmt.number(pd.Series(ratios).median(), 2))
        indices.append(line)
        outcome = qe.criteria[number - 1].outcome
        if outcome is not None:
            verdicts.append(f"{labels[pair]} : {_outcome(outcome)}")
        found = gaps_text(ev, codes)
        if found != _("aucune"):
            gaps.append(f"{labels[pair]} : " + found.replace("\n", " ; "))
    met, decided = pq.satisfied(number)
    if verdicts:
        verdicts.insert(0, ngettext("Satisfait dans {met} partenariat sur {n} où il se décide",
                                    "Satisfait dans {met} partenariats sur {n} où il se décide",
                                    met).format(met=met, n=decided))
    return {"indicateurs": "\n".join(indices),
            "verification": "\n".join(verdicts) or _outcome(None),
            "lacunes": "\n".join(gaps) or _("aucune")}


def _outcome(outcome) -> str:
    if outcome is None:
        return _("non vérifiable dans les données : à juger sur les constats de l'équipe")
    return f"{outcome.label} : {outcome.detail}"


def result_texts(ctx: GridContext, ri: str) -> dict[str, str]:
    """The locked cells of a row of « Résultats »."""
    ev = ctx.programme_evidence.pairs[ctx.who]
    found = ev.results[ri]
    known = int(pd.to_numeric(found.rows["achievement"], errors="coerce").notna().sum())
    status = (indicators.status(found.index, ev.thresholds) if found.index is not None
              else "non_renseigne")
    return {"indice": fmt.achievement(found.index, _edges(ev)),
            "couverture": _("{n} sur {total}").format(n=known, total=len(found.rows)),
            "statut": status_label(status),
            "proposition": found.proposal.grade or "—", "base": found.proposal.basis}


def criterion_grades_text(ctx: GridContext, criterion: str) -> str:
    """The questions of a DAC criterion and their grades when the grid was written."""
    lines = []
    for code, q in ctx.evidence.questions.items():
        if q.question.criterion != criterion:
            continue
        answer = ctx.appraisal.questions.get(code)
        if answer is not None and answer.score:
            lines.append(_("{code} : note de l'équipe {grade}").format(code=code,
                                                                       grade=answer.score))
        else:
            lines.append(_("{code} : pas encore de note (proposition {grade})").format(
                code=code, grade=q.proposal.grade or "—"))
    return "\n".join(lines) or _("aucune question de la matrice")
