"""The programme-level parts of the evaluation: the team's cross-cutting answers beside every
pair's evidence, and the programme's totals compared between phases.

The blocks both syntheses share are in :mod:`maroc_eval.notebook.appraisal_blocks` and
:mod:`maroc_eval.notebook.conclusion_blocks`.
"""

from __future__ import annotations

import pandas as pd

from ..base import fmt
from ..base.i18n import _, ngettext
from ..core.appraisal import Appraisal
from ..core.evidence import ProgrammeEvidence
from ..core.matrix import Question
from . import tables
from .appraisal_blocks import (
    EVIDENCE,
    TEAM,
    criterion_label,
    findings_html,
    grade_lines,
    proposal_line,
    score_label,
    sources_line,
)
from .conclusion_blocks import change_in_words
from .tables import Html


def _pairs_table(programme, found, question: Question, appraisals: dict[str, Appraisal],
                 labels: dict[str, str]) -> Html:
    """Each pair on one question: its index, its verifiable criteria, the proposal and the
    team's grade for the pair."""
    body = []
    for pair, label in labels.items():
        own = found.pairs[pair]
        met = sum(c.outcome is not None and c.outcome.state == "satisfait" for c in own.criteria)
        tested = sum(c.outcome is not None for c in own.criteria)
        answer = appraisals[pair].questions.get(question.code)
        body.append([label, fmt.achievement(own.index),
                     _("{met} sur {n}").format(met=met, n=tested) if tested else "—",
                     own.proposal.grade or "—",
                     score_label(programme, answer.score if answer else None)
                     or tables.Cell(_("À compléter"), cls="me-a-completer")])
    return tables.table([_("Partenariat"), _("Réalisation moyenne"),
                         _("Critères vérifiables satisfaits"), _("Note proposée"),
                         _("Note de l’équipe")], body,
                        caption=_("{code} — les partenariats").format(code=question.code))


def programme_question_blocks(ctx, evidence: ProgrammeEvidence, item: Appraisal,
                              appraisals: dict[str, Appraisal], *, has_budget: bool) -> Html:
    """The team's answer to each question for the programme, then every pair's evidence."""
    programme, matrix = ctx.programme, ctx.dataset.matrix
    labels = ctx.pair_labels()
    parts = []
    for q in matrix.questions:
        found = evidence.questions[q.code]
        answer = item.questions.get(q.code)
        team: list[Html] = []
        if answer is None or not answer.score:
            team.append(tables.to_complete(_("la note de {code}").format(code=q.code)))
        if answer is not None and (answer.score or answer.justification):
            team.append(tables.paragraphs(*grade_lines(programme, item, answer.score,
                                                        answer.justification, found.proposal)))
        team.append(tables.paragraphs(item.text(answer.text)) if answer and answer.text
                    else tables.to_complete(_("la réponse à {code}").format(code=q.code)))
        team.append(findings_html(item, q))
        counts = []
        for n, criterion in enumerate(q.judgement_criteria, start=1):
            if criterion.verifiable:
                met, decided = found.satisfied(n)
                counts.append(ngettext("Critère {n} : satisfait dans {met} partenariat sur "
                                       "{decided}.", "Critère {n} : satisfait dans {met} "
                                       "partenariats sur {decided}.", met).format(
                                           n=n, met=met, decided=decided))
            else:
                counts.append(_("Critère {n} : non vérifiable dans les données.").format(n=n))
        parts += [tables.heading(f"{q.code} — {q.text}", 3),
                  tables.key_values([(_("Critère"), criterion_label(programme, q.criterion))]),
                  tables.team(_(TEAM), *team),
                  tables.evidence(_(EVIDENCE), _pairs_table(programme, found, q, appraisals,
                                                            labels),
                                  tables.bullets(counts, title=_("Critères de jugement")),
                                  tables.paragraphs(proposal_line(programme, found.proposal))),
                  tables.paragraphs(sources_line(matrix, q.sources, item, has_budget))]
    return tables.concat(*parts)


def objective_proof(ctx, evidence: ProgrammeEvidence, appraisals: dict[str, Appraisal]) -> Html:
    """The evidence of the programme's verdict on the objective: each pair's verdict."""
    programme, matrix = ctx.programme, ctx.dataset.matrix
    question = next(q for q in matrix.questions if q.criterion == "objectif")
    found = evidence.questions[question.code]
    return tables.concat(_pairs_table(programme, found, question, appraisals,
                                      ctx.pair_labels()),
                         tables.paragraphs(proposal_line(programme, found.proposal)))


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
                        caption=_("Agrégats du programme : évolution depuis l’évaluation "
                                  "précédente"))


def ranking_caveat(programme, matrix_frame: pd.DataFrame) -> str:
    """Why a ranking of the pairs is not a ranking of performances: targets, size and data
    coverage differ (the figures from the programme and the data)."""
    sizes = sorted(programme.pairs, key=lambda p: p.population)
    small, large = sizes[0], sizes[-1]
    covered = matrix_frame.notna().sum(axis=1)
    return _("Ce classement compare des indices de réalisation, chacun rapporté aux cibles du "
             "partenariat : il ne classe pas des performances. Les communes diffèrent de taille "
             "({small} : {small_pop} habitants ; {large} : {large_pop}) et de couverture des "
             "données (de {least} à {most} RI renseignés sur {total}) ; une différence de "
             "quelques points entre deux partenariats ne distingue pas leur travail.").format(
        small=small.moroccan, small_pop=fmt.number(small.population, 0), large=large.moroccan,
        large_pop=fmt.number(large.population, 0), least=int(covered.min()),
        most=int(covered.max()), total=matrix_frame.shape[1])
