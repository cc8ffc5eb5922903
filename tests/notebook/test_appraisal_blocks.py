"""The evaluation parts of the syntheses: the movement between phases in words and units, the
sources a question may credit, the follow-up table, the matrix annex, the team's text apart from
the evidence and « à compléter » where the team has not written."""

from __future__ import annotations

import datetime as dt
from html import unescape

import pandas as pd
import pytest

from maroc_eval.base.fmt import NBSP, NNBSP
from maroc_eval.core.appraisal import (
    Appraisal,
    Conclusion,
    FollowUp,
    Interview,
    Method,
    Recommendation,
)
from maroc_eval.core.matrix import load_matrix
from maroc_eval.notebook import annex_blocks, appraisal_blocks, conclusion_blocks


def plain(text: str) -> str:
    return text.replace(NBSP, " ").replace(NNBSP, " ")


@pytest.fixture(scope="module")
def matrix(programme):
    return load_matrix(programme)


@pytest.mark.parametrize(("code", "before", "after", "expected"), [
    ("RI3.2", 36, 36, "36 → 36 jours : aucun progrès"),
    ("RI3.1", 6, 11, "6 → 11 agents : progrès (+5 agents)"),
    ("RI4.4", 25, 29, "25 % → 29 % : recul (+4 points)"),       # ↓: a rise is a setback
    ("RI4.4", 29, 20, "29 % → 20 % : progrès (−9 points)"),
    ("RI1.1", 2, 4, "2 (service créé) → 4 (fonctionnel et équipé) : progrès (+2 stades)"),
    ("RI2.1", 0, 1, "non → oui : acquis"),
    ("RI3.1", None, 4, "— → 4 agents : évolution inconnue (valeur manquante)"),
])
def test_change_in_words(programme, code, before, after, expected):
    ind = programme.indicator_map[code]
    assert plain(conclusion_blocks.change_in_words(before, after, ind)) == expected


def test_sources_credit_only_what_the_method_did(matrix):
    done = Appraisal(who="jette-sidi-bibi", phase="final", method=Method(
        documents=["PV"], interviews=[Interview(role="Maire", institution="Commune")]))
    line = appraisal_blocks.sources_line(matrix, ["suivi", "entretiens", "visites", "budget"],
                                         done, has_budget=False)
    assert line == ("Sources : données de suivi, entretiens — prévues mais non mobilisées : "
                    "visites, données budgétaires.")


def test_follow_up_table_states_and_movement(programme, matrix):
    earlier = Appraisal(who="jette-sidi-bibi", phase="midterm", recommendations=[Recommendation(
        id="R1", text="Former les agents.", addressee="commune_belge", priority="haute",
        deadline=dt.date(2011, 12, 31), results=["RI3"])])
    now = Appraisal(who="jette-sidi-bibi", phase="final",
                    follow_up={"R1": FollowUp(state="partielle", comment="En cours.")})
    codes = [i.code for i in programme.indicators_of("RI3")]
    before = pd.DataFrame({"code": codes, "actual": [6, 36, 59, 1, 44]})
    after = pd.DataFrame({"code": codes, "actual": [9, 36, 59, 1, 50]})
    html = plain(str(conclusion_blocks.follow_up_block(programme, matrix, earlier, now, before,
                                                       after, (2010, 2012))))
    assert "<td>R1</td><td>Former les agents.</td><td>Commune belge partenaire</td>" \
           "<td>Partiellement mise en œuvre</td><td>En cours.</td>" in html
    assert "RI3.1 : 6 → 9 agents : progrès (+3 agents)" in html
    assert "RI3.2 : 36 → 36 jours : aucun progrès" in html
    blank = plain(str(conclusion_blocks.follow_up_block(
        programme, matrix, earlier, Appraisal(who="jette-sidi-bibi", phase="final"), before,
        after, (2010, 2012))))
    assert "<td>R1</td><td>Former les agents.</td><td>Commune belge partenaire</td>" \
           '<td class="me-a-completer">À compléter</td>' in blank


def test_a_recommendation_never_made_is_not_followed(programme, matrix):
    empty = Appraisal(who="jette-sidi-bibi", phase="final")
    html = str(conclusion_blocks.follow_up_block(programme, matrix, empty, empty,
                                                 pd.DataFrame(), pd.DataFrame(), (2010, 2012)))
    assert "rien à suivre" in html


def test_conclusions_are_the_teams_and_say_what_they_rest_on(matrix):
    item = Appraisal(who="jette-sidi-bibi", phase="final", conclusions=[
        Conclusion(id="C1", text="Le service <b>tient</b>.", questions=["QE4", "QE9"],
                   findings=["QE4.1", "QE4.2"])], recommendations=[Recommendation(
        id="R1", text="Que la commune inscrive deux postes.", addressee="service_social",
        priority="haute", deadline=dt.date(2013, 12, 31), conclusions=["C1"])])
    html = plain(str(conclusion_blocks.conclusions_block(matrix, item)))
    assert "Appréciation de l’équipe d’évaluation" in html
    assert "C1. Le service &lt;b&gt;tient&lt;/b&gt;. (repose sur : QE4.1, QE4.2, QE9)" in html
    assert ("<td>R1</td><td>Que la commune inscrive deux postes.</td><td>Service d’action "
            "sociale de la commune marocaine</td><td>Haute</td><td>31 décembre 2013</td>"
            "<td>C1</td>") in unescape(html).replace("'", "’")


def test_nothing_written_says_a_compléter_never_a_generated_text(matrix):
    empty = Appraisal(who="jette-sidi-bibi", phase="final")
    html = plain(str(conclusion_blocks.conclusions_block(matrix, empty)))
    assert html.count("À compléter par l’équipe d’évaluation") == 2  # conclusions, recommendations
    assert "<li>" not in html and "<td>" not in html
    assert "À compléter" in str(conclusion_blocks.lessons_block(empty))
    assert "À compléter" in str(annex_blocks.documents_annex(empty))


def test_matrix_annex_lists_every_question(programme, matrix):
    html = plain(str(annex_blocks.matrix_annex(programme, matrix)))
    table = html.split("<h3>Sources de la matrice</h3>")[0]
    assert table.count("<tr>") == len(matrix.questions) + 1
    assert "<td>QE8</td><td>Efficience</td>" in html
    assert "<td>QE1</td><td>Objectif spécifique</td>" in html


def test_matrix_annex_names_each_source_short_and_describes_it_once(programme, matrix):
    """A question's sources are short names (params: suivi, documents, entretiens for QE1); each
    source any question uses is described once under the table, in the words of the params."""
    html = plain(str(annex_blocks.matrix_annex(programme, matrix)))
    table, legend = html.split("<h3>Sources de la matrice</h3>")
    assert "<td>Données de suivi, documents, entretiens</td></tr>" in table
    assert "<td>Données budgétaires, données de suivi, documents</td></tr>" in table  # QE8
    for description in matrix.sources.values():
        assert description not in table
        assert legend.count(description) == 1
    assert "<th>Visites</th><td>Visites de terrain</td>" in legend


def test_the_rubric_annex_states_grades_methods_and_cut_offs(programme, matrix):
    from maroc_eval.core.thresholds import Thresholds

    html = plain(str(annex_blocks.rubric_annex(programme, matrix, Thresholds())))
    assert "<td>A</td><td>Très bon</td><td>Critère pleinement satisfait" in html
    assert "résultats obtenus par euro, comparés aux autres partenariats" in html
    assert "A ≤ 0,85 ; B ≤ 1,15 ; C ≤ 1,5" in html
