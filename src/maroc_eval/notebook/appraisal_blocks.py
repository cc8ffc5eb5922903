"""The evaluation team's judgement beside the toolkit's evidence: grades, answers, findings.

Everything the team wrote is shown in a box of its own (« Appréciation de l'équipe
d'évaluation »); everything the toolkit computed — indicator tables, the outcome of the
verifiable criteria, the proposed grade and how it was derived — in another (« Éléments de preuve
calculés »). Where the team has not written yet, the place says « À compléter par l'équipe
d'évaluation »: no text is ever generated in its stead. Shared by the RI notebooks, the pair
synthesis and the programme synthesis; conclusions, recommendations and the later chapters are
in :mod:`maroc_eval.notebook.conclusion_blocks`, the annexes in
:mod:`maroc_eval.notebook.annex_blocks`.
"""

from __future__ import annotations

import pandas as pd

from ..base import fmt
from ..base.i18n import N_, _
from ..core.appraisal import Appraisal, Grade
from ..core.evidence import PairEvidence, QuestionEvidence
from ..core.matrix import OBJECTIVE, EvaluationMatrix, Question
from ..core.matrix_items import SOURCE_KINDS
from ..core.rubric import Proposal
from . import tables
from .tables import Html

TEAM = N_("Appréciation de l’équipe d’évaluation")
EVIDENCE = N_("Éléments de preuve calculés par l’outil")
SOURCE_LABELS = {"suivi": N_("Données de suivi"), "documents": N_("Documents"),
                 "entretiens": N_("Entretiens"), "visites": N_("Visites"),
                 "budget": N_("Données budgétaires")}
"""The kinds of source of a finding (and the budget data), as readers read them (French
source); the matrix annex describes each source in full."""


def score_label(programme, code: str | None) -> str | None:
    """« B — Bon », or ``None`` when not graded."""
    labels = {r.code: r.label for r in programme.scale}
    return f"{code} — {labels[code]}" if code in labels else None


def criterion_label(programme, code: str) -> str:
    """The label of a question's criterion (« Efficacité », « Objectif spécifique »)."""
    if code == OBJECTIVE:
        return _("Objectif spécifique")
    return next((c.label for c in programme.criteria if c.code == code), code)


def proposal_line(programme, proposal: Proposal) -> str:
    """« Proposition de l'outil : B — Bon (indice 82 %…) » or why none is proposed."""
    label = score_label(programme, proposal.grade)
    if label is None:
        return _("Aucune note proposée : {basis}.").format(basis=proposal.basis)
    return _("Note proposée par le barème : {label} ({basis}).").format(label=label,
                                                                        basis=proposal.basis)


def grade_lines(programme, item: Appraisal, score: str | None, justification: str,
                 proposal: Proposal | None) -> list[str]:
    """« Note de l'équipe : C — Problèmes » and, when it departs from the proposal, why."""
    label = score_label(programme, score)
    lines = [_("Note de l’équipe : {label}.").format(label=label)] if label else []
    if justification:
        departs = proposal is not None and proposal.grade and score != proposal.grade
        # a run-in title and a dash: the team's sentence keeps its capital after it
        head = (_("Pourquoi l’équipe s’écarte de la note proposée ({proposed}) — ").format(
                    proposed=proposal.grade) if departs else _("Justification — "))
        lines.append(head + item.text(justification))
    return lines


def grade_blocks(ctx, grade: Grade | None, proposal: Proposal, *, recommendations=(),
                 what: str | None = None) -> Html:
    """An RI's (or a DAC criterion's) grade: the team's box, then the evidence box.

    Parameters
    ----------
    grade : Grade or None
        The team's grade and reasoning (``None``: not written).
    proposal : Proposal
        The toolkit's proposal.
    recommendations : iterable of Recommendation
        The team's recommendations tied to it.
    what : str, optional
        What is to be completed, when the team has not graded it.
    """
    programme, item = ctx.programme, ctx.appraisal()
    team: list[Html] = []
    if grade is None or not grade.score:
        team.append(tables.to_complete(what or _("note et appréciation de ce résultat")))
    else:
        team.append(tables.paragraphs(*grade_lines(programme, item, grade.score,
                                                    grade.justification, proposal)))
        team.append(tables.paragraphs(item.text(grade.text)) if grade.text
                    else tables.to_complete(_("l’appréciation qui explique la note")))
    recs = [_("{id} — {text} ({addressee} ; échéance : {deadline})").format(
                id=r.id, text=item.text(r.text), addressee=_addressee(ctx, r.addressee),
                deadline=fmt.long_date(r.deadline)) for r in recommendations]
    if recs:
        team.append(tables.bullets(recs, title=_("Recommandations de l’équipe sur ce résultat")))
    return tables.concat(tables.team(_(TEAM), *team),
                         tables.evidence(_(EVIDENCE), tables.paragraphs(
                             proposal_line(programme, proposal))))


def _addressee(ctx, code: str) -> str:
    matrix = ctx.dataset.matrix
    return matrix.addressees.get(code, code) if matrix is not None else code


def evidence_table(programme, rows: pd.DataFrame, codes: list[str], edges: tuple,
                   caption: str) -> Html:
    """The indicators a question rests on: value, target, achievement, status."""
    body = []
    for r in rows[rows["code"].isin(codes)].itertuples(index=False):
        ind = programme.indicator_map[r.code]
        body.append([tables.Cell(r.code), r.label,
                     fmt.value(r.actual, ind.measure, ind.levels, r.unit),
                     fmt.target(r.target, ind.measure, ind.levels, r.unit),
                     fmt.achievement(r.achievement_raw, edges), tables.status_cell(r.status)])
    return tables.table([_("Code"), _("Indicateur"), _("Valeur"), _("Cible"), _("Réalisation"),
                         _("Statut")], body, caption=caption)


def findings_html(item: Appraisal, question: Question) -> Html:
    """The team's findings on each judgement criterion, by kind of source."""
    answer = item.questions.get(question.code)
    parts = []
    for n, criterion in enumerate(question.judgement_criteria, start=1):
        found = answer.finding(n) if answer else None
        title = _("Critère {n} — {text}").format(n=n, text=criterion.text)
        if found is None or not found.written:
            parts += [tables.paragraphs(title, cls="me-critere"),
                      tables.to_complete(_("les constats de ce critère"))]
            continue
        lines = [(_(SOURCE_LABELS[k]), item.text(found.texts[k])) for k in SOURCE_KINDS
                 if found.texts.get(k)]
        if found.references:
            lines.append((_("Références"), item.text(found.references)))
        parts.append(tables.sourced(lines, title=title))
    return tables.concat(*parts)


def _outcomes(found: QuestionEvidence) -> list[str]:
    out = []
    for c in found.criteria:
        if c.outcome is None:
            out.append(_("Critère {n} : non vérifiable dans les données.").format(n=c.number))
        else:
            out.append(_("Critère {n} : {state} — {detail}.").format(
                n=c.number, state=c.outcome.label, detail=c.outcome.detail))
    return out


def source_label(matrix: EvaluationMatrix, code: str) -> str:
    """A source as readers read it (« Entretiens »); the matrix annex describes it in full."""
    return _(SOURCE_LABELS[code]) if code in SOURCE_LABELS else matrix.sources[code]


def sources_line(matrix: EvaluationMatrix, sources: list[str], item: Appraisal,
                 has_budget: bool) -> str:
    """« Sources : … » — only the sources the team's method actually mobilised, the others
    named as not mobilised (a report never claims a method it did not use); the matrix annex
    describes each source."""
    used, missing = [], []
    for code in sources:
        ok = item.method.used(code) and (code != "budget" or has_budget)
        (used if ok else missing).append(source_label(matrix, code).lower())
    found = ", ".join(used) if used else _("aucune")
    if missing:
        return _("Sources : {used} — prévues mais non mobilisées : {missing}.").format(
            used=found, missing=", ".join(missing))
    return _("Sources : {used}.").format(used=found)


def question_block(ctx, evidence: PairEvidence, question: Question, *, has_budget: bool,
                   extra: Html | None = None) -> Html:
    """One evaluation question for a pair: the team's answer and findings, then the evidence."""
    programme, matrix, item = ctx.programme, ctx.dataset.matrix, ctx.appraisal()
    found = evidence.questions[question.code]
    answer = item.questions.get(question.code)
    team: list[Html] = []
    if answer is None or not answer.score:
        team.append(tables.to_complete(_("la note de {code}").format(code=question.code)))
    if answer is not None and (answer.score or answer.justification):
        team.append(tables.paragraphs(*grade_lines(programme, item, answer.score,
                                                    answer.justification, found.proposal)))
    team.append(tables.paragraphs(item.text(answer.text)) if answer and answer.text
                else tables.to_complete(_("la réponse à {code}").format(code=question.code)))
    team.append(findings_html(item, question))
    proof = [evidence_table(programme, evidence.rows, found.codes, evidence.thresholds.edges,
                            caption=_("{code} — indicateurs mobilisés").format(
                                code=question.code)),
             tables.bullets(_outcomes(found), title=_("Critères de jugement vérifiables")),
             tables.paragraphs(proposal_line(programme, found.proposal))]
    if extra is not None:
        proof.append(extra)
    return tables.concat(
        tables.heading(f"{question.code} — {question.text}", 3),
        tables.key_values([(_("Critère"), criterion_label(programme, question.criterion))]),
        tables.team(_(TEAM), *team),
        tables.evidence(_(EVIDENCE), *proof),
        tables.paragraphs(sources_line(matrix, question.sources, item, has_budget)))


def criteria_table(ctx, proposals: dict[str, Proposal], item: Appraisal) -> Html:
    """The six DAC criteria: the team's grade, the proposal (the median of the questions), the
    team's reasoning and, when it departs, why."""
    programme = ctx.programme
    rows = []
    for c in programme.criteria:
        grade = item.criteria.get(c.code)
        proposal = proposals[c.code]
        score = score_label(programme, grade.score) if grade and grade.score else None
        rows.append([c.label,
                     score or tables.Cell(_("À compléter"), cls="me-a-completer"),
                     score_label(programme, proposal.grade) or "—",
                     item.text(grade.text) if grade and grade.text else
                     tables.Cell(_("À compléter"), cls="me-a-completer"),
                     item.text(grade.justification) if grade and grade.justification else "—"])
    return tables.table([_("Critère du CAD"), _("Note de l’équipe"), _("Note proposée"),
                         _("Appréciation de l’équipe"), _("Écart justifié par")], rows,
                        caption=_("Critères du CAD de l’OCDE (2019)"))
