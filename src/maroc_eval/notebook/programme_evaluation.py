"""The programme-level parts of the evaluation: the programme's answers beside every pair's
evidence, its verdict on the objective beside the pairs', and its totals compared between phases.

The pair-level parts, and the helpers both share, are in :mod:`maroc_eval.notebook.evaluation`.
"""

from __future__ import annotations

import pandas as pd

from .. import fmt
from ..core.conclusions import Evaluation, localised
from ..core.matrix import EvaluationMatrix
from ..i18n import _
from . import tables
from .evaluation import change_in_words, criterion_label, score_label, sources_line
from .tables import Html


def programme_question_blocks(programme, matrix: EvaluationMatrix, ev: Evaluation,
                              all_rows: pd.DataFrame, pair_answers: dict, labels: dict,
                              *, has_budget: bool) -> Html:
    """The programme's answer to each question, with every pair's evidence beside it.

    Parameters
    ----------
    all_rows : DataFrame
        Every pair's indicator rows at the phase (column ``pair``), each with its own
        thresholds.
    pair_answers : dict
        ``pair → Evaluation`` of the pairs (their own verdicts).
    """
    parts = []
    for q in matrix.questions:
        answer = ev.questions.get(q.code)
        parts.append(tables.heading(f"{q.code} — {q.text}", 3))
        parts.append(tables.key_values([
            (_("Critère"), criterion_label(programme, q.criterion)),
            (_("Verdict du programme"), score_label(programme, answer.score) if answer
             else _("sans réponse"))]))
        if answer is None:
            parts.append(tables.notice(_("Cette question n'a pas reçu de réponse au niveau du "
                                         "programme."), "attention"))
        else:
            parts.append(tables.paragraphs(*(localised(t, ev.english)
                                             for t in (answer.text, answer.justification) if t)))
        codes = matrix.indicator_codes(q, programme)
        body = []
        for pair, label in labels.items():
            group = all_rows[(all_rows["pair"] == pair) & all_rows["code"].isin(codes)]
            known = group["achievement"].dropna()
            met = int((group["status"] == "atteint").sum())
            own = pair_answers.get(pair)
            verdict = own.questions.get(q.code) if own else None
            body.append([label, fmt.achievement(known.mean() if len(known) else None),
                         _("{met} sur {n}").format(met=met, n=len(group)),
                         score_label(programme, verdict.score if verdict else None)])
        parts.append(tables.table([_("Partenariat"), _("Réalisation moyenne"),
                                   _("Indicateurs atteints"), _("Verdict du partenariat")], body,
                                  caption=_("{code} — les partenariats ({indicators})").format(
                                      code=q.code, indicators=", ".join(codes))))
        parts.append(tables.paragraphs(sources_line(matrix, q.sources, ev, has_budget)))
    return tables.concat(*parts)


def programme_objective_block(programme, ev: Evaluation, pair_answers: dict, labels: dict,
                              summative: bool) -> Html:
    """The programme's verdict on the specific objective, with each pair's verdict."""
    question = (_("L'objectif est-il atteint à l'échelle du programme ? Verdict : {verdict}.")
                if summative else
                _("L'objectif est-il en voie d'être atteint à l'échelle du programme ? "
                  "Verdict : {verdict}."))
    score = ev.objective.score if ev.objective else None
    parts = [tables.paragraphs(_("Objectif spécifique : {objective}").format(
                                   objective=fmt.after_colon(programme.objective)),
                               question.format(verdict=score_label(programme, score)))]
    if ev.objective is None:
        parts.append(tables.notice(_("Aucun verdict sur l'objectif spécifique n'a été rendu "
                                     "pour le programme."), "attention"))
    else:
        parts.append(tables.paragraphs(*(localised(t, ev.english) for t in (
            ev.objective.text, ev.objective.justification) if t)))
    rows = [[labels[p], score_label(programme, e.objective.score if e.objective else None),
             localised(e.objective.text, e.english) if e.objective else "—"]
            for p, e in pair_answers.items()]
    parts.append(tables.table([_("Partenariat"), _("Verdict"), _("Justification")], rows,
                              caption=_("Verdicts des partenariats sur l'objectif spécifique")))
    return tables.concat(*parts)


def aggregate_comparison(before: pd.DataFrame, now: pd.DataFrame, programme,
                         years: tuple[int, int]) -> Html:
    """The programme's totals at two reference years, the movement in words and units."""
    a, b = before.set_index("code"), now.set_index("code")
    rows = [[code, a.at[code, "label"],
             change_in_words(a.at[code, "total"], b.at[code, "total"],
                             programme.indicator_map[code]),
             f"{a.at[code, 'pairs']} → {b.at[code, 'pairs']}"]
            for code in a.index if code in b.index]
    return tables.table([_("Code"), _("Indicateur"),
                         _("Total {first} → {last}").format(first=years[0], last=years[1]),
                         _("Partenariats renseignés")], rows,
                        caption=_("Agrégats du programme : évolution depuis l'évaluation "
                                  "précédente"))
