"""The parts of a synthesis that make it an evaluation: answers to the evaluation questions with
their evidence, the verdict on the specific objective, numbered conclusions and
recommendations, lessons learned, the follow-up of the previous phase's recommendations, the
comparison in words, the method actually used and the annexes (matrix, people met, documents,
acronyms).

Shared by the pair synthesis (a pair's answers, judged with its figures) and the programme
synthesis (``"programme"``'s answers, with every pair's figures). Each function returns escaped
HTML built by :mod:`maroc_eval.notebook.tables` (markup in the fragment templates).
"""

from __future__ import annotations

import pandas as pd

from .. import fmt
from ..core.conclusions import Evaluation, Recommendation, localised
from ..core.consistency import Flag
from ..core.matrix import OBJECTIVE, EvaluationMatrix
from ..i18n import _
from . import tables
from .tables import Cell, Html


def score_label(programme, code: str | None) -> str:
    """« B — Bon », or « non notée »."""
    labels = {r.code: r.label for r in programme.scale}
    return f"{code} — {labels[code]}" if code in labels else _("non notée")


def criterion_label(programme, code: str) -> str:
    """The label of a question's criterion (« Efficacité », « Objectif spécifique »)."""
    if code == OBJECTIVE:
        return _("Objectif spécifique")
    return next((c.label for c in programme.criteria if c.code == code), code)


def join_criteria(criteria: list[str]) -> str:
    """Judgement criteria as one sentence: « a ; b ; c. »"""
    return " ; ".join(c.rstrip(" .") for c in criteria) + "."


def _ri_link(ri: str) -> str:
    return ri.replace("RI", "RI" + fmt.NBSP)


def change_in_words(before, after, ind) -> str:
    """An indicator's movement between two years, in words and units.

    « 36 → 36 jours : aucun progrès », « 6 → 11 agents : +5 », « 45 → 38 % : recul de 7
    points » (a ↓ indicator progresses when it falls).

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


def evidence_table(programme, rows: pd.DataFrame, codes: list[str], edges: tuple,
                   caption: str) -> Html:
    """The indicators a question rests on: value, target, achievement, status."""
    body = []
    for r in rows[rows["code"].isin(codes)].itertuples(index=False):
        ind = programme.indicator_map[r.code]
        body.append([Cell(r.code), r.label, fmt.value(r.actual, ind.measure, ind.levels, r.unit),
                     fmt.value(r.target, ind.measure, ind.levels, r.unit),
                     fmt.achievement(r.achievement_raw, edges), tables.status_cell(r.status)])
    return tables.table([_("Code"), _("Indicateur"), _("Valeur"), _("Cible"), _("Réalisation"),
                         _("Statut")], body, caption=caption)


def sources_line(matrix: EvaluationMatrix, sources: list[str], ev: Evaluation,
                 has_budget: bool) -> str:
    """« Sources : … » — only the sources this evaluation actually mobilised, the others named
    as not mobilised (a report never claims a method it did not use)."""
    used, missing = [], []
    for code in sources:
        ok = ev.method.used(code) and (code != "budget" or has_budget)
        (used if ok else missing).append(matrix.sources[code])
    found = fmt.after_colon(" ; ".join(used)) if used else _("aucune")
    if missing:
        return _("Sources : {used} — prévues mais non mobilisées : {missing}.").format(
            used=found, missing=fmt.after_colon(" ; ".join(missing)))
    return _("Sources : {used}.").format(used=found)


def question_blocks(programme, matrix: EvaluationMatrix, ev: Evaluation, rows: pd.DataFrame,
                    edges: tuple, *, has_budget: bool, evidence=None) -> Html:
    """Each evaluation question: the verdict, the evaluators' answer, the evidence.

    Parameters
    ----------
    evidence : callable, optional
        ``question → Html`` of extra evidence (the cost figures of the efficiency question).
    """
    parts = []
    for q in matrix.questions:
        answer = ev.questions.get(q.code)
        parts.append(tables.heading(f"{q.code} — {q.text}", 3))
        verdict = score_label(programme, answer.score) if answer else _("sans réponse")
        parts.append(tables.key_values([
            (_("Critère"), criterion_label(programme, q.criterion)),
            (_("Verdict"), verdict),
            (_("Critères de jugement"), join_criteria(q.judgement_criteria))]))
        if answer is None:
            parts.append(tables.notice(_("Cette question n'a pas reçu de réponse des "
                                         "évaluateurs : elle figure à l'annexe « Qualité des "
                                         "données »."), "attention"))
        else:
            parts.append(tables.paragraphs(*(localised(t, ev.english)
                                             for t in (answer.text, answer.justification) if t)))
        codes = matrix.indicator_codes(q, programme)
        ris = matrix.results_of(q, programme)
        parts.append(evidence_table(programme, rows, codes, edges,
                                    caption=_("{code} — indicateurs mobilisés (voir {results})")
                                    .format(code=q.code,
                                            results=", ".join(_ri_link(r) for r in ris))))
        if evidence is not None:
            extra = evidence(q)
            if extra is not None:
                parts.append(extra)
        parts.append(tables.paragraphs(sources_line(matrix, q.sources, ev, has_budget)))
    return tables.concat(*parts)


def objective_block(programme, matrix: EvaluationMatrix, ev: Evaluation, rows: pd.DataFrame,
                    edges: tuple, summative: bool) -> Html:
    """The verdict on the specific objective and its justification."""
    question = next(q for q in matrix.questions if q.criterion == OBJECTIVE)
    codes = matrix.indicator_codes(question, programme)
    question_text = (_("L'objectif est-il atteint ? Verdict : {verdict}.") if summative else
                     _("L'objectif est-il en voie d'être atteint ? Verdict : {verdict}."))
    score = ev.objective.score if ev.objective else None
    parts = [tables.paragraphs(_("Objectif spécifique : {objective}").format(
                                   objective=fmt.after_colon(programme.objective)),
                               question_text.format(verdict=score_label(programme, score)))]
    if ev.objective is None:
        parts.append(tables.notice(_("Aucun verdict sur l'objectif spécifique n'a été rendu."),
                                   "attention"))
    else:
        parts.append(tables.paragraphs(*(localised(t, ev.english) for t in (
            ev.objective.text, ev.objective.justification) if t)))
    parts.append(evidence_table(programme, rows, codes, edges,
                                caption=_("Indicateurs de l'objectif spécifique ({code})").format(
                                    code=question.code)))
    return tables.concat(*parts)


def _addressee(matrix: EvaluationMatrix, rec: Recommendation) -> str:
    return matrix.addressees.get(rec.addressee, rec.addressee)


def conclusions_block(matrix: EvaluationMatrix, ev: Evaluation) -> Html:
    """Numbered conclusions (with what they rest on), then the recommendations table."""
    items = []
    for c in ev.conclusions:
        refs = [*c.questions, *(_ri_link(r) for r in c.results)]
        text = f"{c.id}. {localised(c.text, ev.english)}"
        items.append(_("{text} (repose sur : {refs})").format(text=text, refs=", ".join(refs))
                     if refs else text)
    parts = [tables.bullets(items, title=_("Conclusions"),
                            empty=_("Aucune conclusion rédigée."))]
    rows = [[r.id, localised(r.text, ev.english), _addressee(matrix, r),
             matrix.priorities.get(r.priority, r.priority),
             r.deadline, ", ".join(r.conclusions) or "—"] for r in ev.recommendations]
    if rows:
        parts.append(tables.table([_("N°"), _("Recommandation"), _("Destinataire"),
                                   _("Priorité"), _("Échéance"), _("Conclusions")], rows,
                                  caption=_("Recommandations")))
    else:
        parts.append(tables.notice(_("Aucune recommandation rédigée."), "attention"))
    return tables.concat(*parts)


def lessons_block(ev: Evaluation) -> Html:
    """The lessons learned (final phase), a list of their own."""
    return tables.bullets([localised(t, ev.english) for t in ev.lessons], title=None,
                          empty=_("Aucune leçon rédigée."))


def follow_up_block(programme, matrix: EvaluationMatrix, earlier: Evaluation, ev: Evaluation,
                    before_rows: pd.DataFrame, rows: pd.DataFrame, years: tuple[int, int]
                    ) -> Html:
    """Each recommendation of the previous phase: its state, the evidence, the comment."""
    if not earlier.recommendations:
        return tables.notice(_("L'évaluation précédente n'a pas formulé de recommandation "
                               "numérotée : rien à suivre."), "info")
    a, b = before_rows.set_index("code"), rows.set_index("code")
    body = []
    for rec in earlier.recommendations:
        done = ev.follow_up.get(rec.id)
        moves = []
        for ri in rec.results:
            for ind in programme.indicators_of(ri):
                if ind.code in a.index and ind.code in b.index:
                    moves.append(f"{ind.code} : " + change_in_words(
                        a.at[ind.code, "actual"], b.at[ind.code, "actual"], ind))
        state = (matrix.follow_up_states.get(done.state, done.state) if done
                 else _("non renseigné"))
        body.append([rec.id, localised(rec.text, earlier.english), _addressee(matrix, rec),
                     state, " ; ".join(moves) if moves else "—",
                     localised(done.comment, ev.english) if done and done.comment else "—"])
    return tables.table([_("N°"), _("Recommandation"), _("Destinataire"), _("État"),
                         _("Évolution {first} → {last}").format(first=years[0], last=years[1]),
                         _("Commentaire")], body,
                        caption=_("Suivi des recommandations de l'évaluation précédente"))


def flags_block(flags: list[Flag]) -> Html:
    """The inconsistencies and unanswered questions, for the data-quality annex."""
    return tables.bullets([f.message[0].upper() + f.message[1:] for f in flags],
                          title=_("Cohérence des appréciations avec les chiffres"),
                          empty=_("Aucune incohérence relevée entre les notes et les chiffres ; "
                                  "chaque question a reçu une réponse."))


def method_block(matrix: EvaluationMatrix, ev: Evaluation, label: str, phase: str) -> Html:
    """The terms of reference, then what was actually done: documents, interviews, visits —
    and what was not."""
    m = ev.method
    facts = [(_("Commanditaire"), matrix.commissioner), (_("Équipe"), " ; ".join(matrix.team)),
             (_("Questions d'évaluation"), _("{questions} (matrice en annexe)").format(
                 questions=fmt.count(len(matrix.questions), _("question"), _("questions"),
                                     feminine=True))),
             (_("Documents examinés"), fmt.count(len(m.documents), _("document"), _("documents"))),
             (_("Entretiens"), fmt.count(len(m.interviews), _("entretien"), _("entretiens"))),
             (_("Visites de terrain"), fmt.count(len(m.visits), _("visite"), _("visites"),
                                                    feminine=True))]
    limits = []
    if not m.interviews:
        limits.append(_("Aucun entretien n'a été mené pour {who} : les constats reposent sur les "
                        "données de suivi et les documents.").format(who=label))
    if not m.visits:
        limits.append(_("Aucune visite de terrain pour {who} : l'état des équipements n'a pas "
                        "été constaté sur place.").format(who=label))
    if not m.documents:
        limits.append(_("Aucun document n'a été examiné pour {who}.").format(who=label))
    terms = matrix.terms.get(phase)
    shown = _("Termes de référence : {terms}").format(terms=fmt.after_colon(terms or ""))
    return tables.concat(tables.paragraphs(shown)
                         if terms
                         else tables.notice(_("Les termes de référence de cette phase ne sont "
                                              "pas résumés dans params/evaluation.yml."),
                                            "attention"),
                         tables.key_values(facts),
                         tables.bullets(limits, title=_("Limites propres à la collecte"),
                                        empty=_("Documents, entretiens et visites prévus ont été "
                                                "réalisés.")))


def matrix_annex(programme, matrix: EvaluationMatrix) -> Html:
    """The evaluation matrix as a table."""
    rows = [[q.code, criterion_label(programme, q.criterion), q.text,
             join_criteria(q.judgement_criteria), ", ".join(q.indicators),
             ", ".join(matrix.sources[s].split(" (")[0] for s in q.sources)]
            for q in matrix.questions]
    return tables.table([_("QE"), _("Critère"), _("Question"), _("Critères de jugement"),
                         _("Indicateurs"), _("Sources")], rows,
                        caption=_("Matrice d'évaluation"))


def people_annex(ev: Evaluation) -> Html:
    """The people met (by function and institution) and the places visited."""
    people = [[i.role, i.institution, i.date or "—"] for i in ev.method.interviews]
    visits = [[v.place, v.date or "—"] for v in ev.method.visits]
    return tables.concat(
        tables.table([_("Fonction"), _("Institution"), _("Date")], people,
                     caption=_("Personnes rencontrées"))
        if people else tables.notice(_("Aucun entretien."), "info"),
        tables.table([_("Lieu"), _("Date")], visits, caption=_("Visites de terrain"))
        if visits else tables.notice(_("Aucune visite de terrain."), "info"))


def documents_annex(ev: Evaluation) -> Html:
    """The documents consulted."""
    return tables.bullets(ev.method.documents, empty=_("Aucun document examiné."))


def acronyms_annex(matrix: EvaluationMatrix) -> Html:
    """The acronyms of the report."""
    return tables.table([_("Sigle"), _("Signification")], sorted(matrix.acronyms.items()),
                        caption=_("Sigles et acronymes"))

