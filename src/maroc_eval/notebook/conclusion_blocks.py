"""The end of the chain of reasoning, as the evaluation team wrote it: the verdict on the
objective, the numbered conclusions and recommendations, the lessons and the follow-up of the
previous phase's recommendations — each beside the evidence the toolkit computed, each
« à compléter » where the team has not written.
"""

from __future__ import annotations

import pandas as pd

from ..base import fmt
from ..base.i18n import _
from ..core.appraisal import Appraisal
from ..core.matrix import EvaluationMatrix
from . import tables
from .appraisal_blocks import EVIDENCE, TEAM, score_label
from .tables import Html


def change_in_words(before, after, ind) -> str:
    """An indicator's movement between two years, in words and units.

    « 36 → 36 jours : aucun progrès », « 6 → 11 agents : progrès (+5) », « 45 → 38 % : progrès
    (−7 points) » (a ↓ indicator progresses when it falls).

    Parameters
    ----------
    before, after : float or None
        The values at the two years.
    ind : Indicator
        The indicator (measure, unit, direction, levels).
    """
    shown = [fmt.value(v, ind.measure, ind.levels) for v in (before, after)]
    unit = "" if ind.measure != "nombre" else f"{fmt.NBSP}{fmt.agreed(ind.unit, after)}"
    if fmt._is_missing(before) or fmt._is_missing(after):
        return _("{before} → {after}{unit} : évolution inconnue (valeur manquante)").format(
            before=shown[0], after=shown[1], unit=unit)
    delta = float(after) - float(before)
    better = delta * (1 if ind.direction == "hausse" else -1)
    if ind.measure == "oui_non":
        word = (_("acquis") if better > 0 else _("perdu") if better < 0 else _("inchangé"))
        return f"{shown[0]} → {shown[1]} : {word}"
    if ind.measure == "pourcentage":
        amount = fmt.number(abs(delta), 1) + fmt.NBSP + (_("point") if abs(delta) < 2
                                                          else _("points"))
    elif ind.measure == "ordinal":
        amount = fmt.number(abs(delta), 0) + fmt.NBSP + (_("stade") if abs(delta) < 2
                                                          else _("stades"))
    else:
        amount = fmt.number(abs(delta), 1) + fmt.NBSP + fmt.agreed(ind.unit, abs(delta))
    head = (f"{fmt.number(before, 1)} → {fmt.number(after, 1)}{unit}"
            if ind.measure == "nombre" else f"{shown[0]} → {shown[1]}")
    if abs(delta) < 1e-9:
        return _("{head} : aucun progrès").format(head=head)
    change = f"{'+' if delta > 0 else '−'}{amount}"
    if better > 0:
        return _("{head} : progrès ({change})").format(head=head, change=change)
    return _("{head} : recul ({change})").format(head=head, change=change)


def objective_block(ctx, matrix: EvaluationMatrix, item: Appraisal, proof: Html,
                    summative: bool) -> Html:
    """The team's verdict on the specific objective (its answer to the objective's question),
    then the evidence (``proof``: the objective's indicators)."""
    programme = ctx.programme
    question = next(q for q in matrix.questions if q.criterion == "objectif")
    answer = item.questions.get(question.code)
    asked = (_("L’objectif spécifique est-il atteint ?") if summative
             else _("L’objectif spécifique est-il en voie d’être atteint ?"))
    team = []
    label = score_label(programme, answer.score) if answer else None
    team.append(tables.paragraphs(_("Verdict de l’équipe ({code}) : {label}.").format(
        code=question.code, label=label)) if label
        else tables.to_complete(_("le verdict sur l’objectif ({code})").format(
            code=question.code)))
    team.append(tables.paragraphs(item.text(answer.text)) if answer and answer.text
                else tables.to_complete(_("la réponse à {code}").format(code=question.code)))
    return tables.concat(
        tables.paragraphs(_("Objectif spécifique : {objective}").format(
            objective=fmt.after_colon(programme.objective)), asked),
        tables.team(_(TEAM), *team), tables.evidence(_(EVIDENCE), proof))


def conclusions_block(matrix: EvaluationMatrix, item: Appraisal) -> Html:
    """The team's numbered conclusions (with the findings they rest on), then their
    recommendations: who does what, by when, following which conclusions."""
    items = []
    for c in item.conclusions:
        refs = [*c.findings, *(q for q in c.questions if not any(
            f.startswith(q + ".") for f in c.findings))]
        text = f"{c.id}. {item.text(c.text)}"
        items.append(_("{text} (repose sur : {refs})").format(text=text, refs=", ".join(refs))
                     if refs else text)
    parts = [tables.bullets(items, title=_("Conclusions"))] if items else [
        tables.paragraphs(_("Conclusions"), cls="me-critere"),
        tables.to_complete(_("les conclusions"))]
    rows = [[r.id, item.text(r.text), matrix.addressees.get(r.addressee, r.addressee),
             matrix.priorities.get(r.priority, r.priority), fmt.long_date(r.deadline),
             ", ".join(r.conclusions) or "—"] for r in item.recommendations]
    if rows:
        parts.append(tables.table([_("N°"), _("Recommandation"), _("Destinataire"),
                                   _("Priorité"), _("Échéance"), _("Conclusions")], rows,
                                  caption=_("Recommandations de l’équipe d’évaluation")))
    else:
        parts.append(tables.to_complete(_("les recommandations")))
    return tables.team(_(TEAM), *parts)


def lessons_block(item: Appraisal) -> Html:
    """The team's lessons learned (final phase), a list of their own."""
    if not item.lessons:
        return tables.to_complete(_("les leçons apprises"))
    return tables.team(_(TEAM), tables.bullets([item.text(t) for t in item.lessons]))


def follow_up_block(programme, matrix: EvaluationMatrix, earlier: Appraisal, item: Appraisal,
                    before_rows: pd.DataFrame, rows: pd.DataFrame, years: tuple[int, int]
                    ) -> Html:
    """Each recommendation of the previous phase: the team's account of what became of it, and
    the movement of the indicators it aimed at (computed)."""
    if not earlier.recommendations:
        return tables.notice(_("L’évaluation précédente n’a pas formulé de recommandation "
                               "numérotée : rien à suivre."), "info")
    a = before_rows.set_index("code") if len(before_rows) else before_rows
    b = rows.set_index("code") if len(rows) else rows
    body = []
    for rec in earlier.recommendations:
        done = item.follow_up.get(rec.id)
        moves = []
        for ri in rec.results:
            for ind in programme.indicators_of(ri):
                if ind.code in a.index and ind.code in b.index:
                    moves.append(f"{ind.code} : " + change_in_words(
                        a.at[ind.code, "actual"], b.at[ind.code, "actual"], ind))
        state = (matrix.follow_up_states.get(done.state, done.state) if done
                 else tables.Cell(_("À compléter"), cls="me-a-completer"))
        comment = (item.text(done.comment) if done and done.comment
                   else tables.Cell(_("À compléter"), cls="me-a-completer"))
        body.append([rec.id, earlier.text(rec.text),
                     matrix.addressees.get(rec.addressee, rec.addressee), state, comment,
                     " ; ".join(moves) if moves else "—"])
    return tables.table([_("N°"), _("Recommandation"), _("Destinataire"),
                         _("État (équipe)"), _("Commentaire de l’équipe"),
                         _("Indicateurs visés {first} → {last} (calculé)").format(
                             first=years[0], last=years[1])], body,
                        caption=_("Suivi des recommandations de l’évaluation précédente"))
