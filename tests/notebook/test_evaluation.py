"""The evaluation parts of the syntheses: the movement between phases in words and units, the
sources a question may credit, the follow-up table, the matrix annex."""

from __future__ import annotations

import pandas as pd
import pytest

from maroc_eval.core.conclusions import (
    Evaluation,
    FollowUp,
    Interview,
    Method,
    Recommendation,
)
from maroc_eval.core.matrix import load_matrix
from maroc_eval.fmt import NBSP, NNBSP
from maroc_eval.notebook import evaluation


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
    assert plain(evaluation.change_in_words(before, after, ind)) == expected


def test_sources_credit_only_what_the_method_did(matrix):
    done = Evaluation(method=Method(documents=["PV"], interviews=[
        Interview(role="Maire", institution="Commune")]))
    line = evaluation.sources_line(matrix, ["suivi", "entretiens", "visites", "budget"], done,
                                   has_budget=False)
    assert line.startswith("Sources : données de suivi transmises par les communes (suivi.csv) "
                           "; Entretiens avec les élus")
    assert line.endswith("prévues mais non mobilisées : visites de terrain ; Données "
                         "budgétaires du programme (budget.csv).")


def test_follow_up_table_states_and_movement(programme, matrix):
    earlier = Evaluation(recommendations=[Recommendation(
        id="R1", text="Former les agents.", addressee="commune_belge", priority="haute",
        deadline="31/12/2011", results=["RI3"])])
    now = Evaluation(follow_up={"R1": FollowUp(state="partielle", comment="En cours.")})
    codes = [i.code for i in programme.indicators_of("RI3")]
    before = pd.DataFrame({"code": codes, "actual": [6, 36, 59, 1, 44]})
    after = pd.DataFrame({"code": codes, "actual": [9, 36, 59, 1, 50]})
    html = plain(str(evaluation.follow_up_block(programme, matrix, earlier, now, before, after,
                                                (2010, 2012))))
    assert "<td>R1</td><td>Former les agents.</td><td>Commune belge</td>" \
           "<td>Partiellement mise en œuvre</td>" in html
    assert "RI3.1 : 6 → 9 agents : progrès (+3 agents)" in html
    assert "RI3.2 : 36 → 36 jours : aucun progrès" in html
    assert "<td>En cours.</td>" in html


def test_a_recommendation_never_made_is_not_followed(programme, matrix):
    html = str(evaluation.follow_up_block(programme, matrix, Evaluation(), Evaluation(),
                                          pd.DataFrame(), pd.DataFrame(), (2010, 2012)))
    assert "rien à suivre" in html


def test_matrix_annex_lists_every_question(programme, matrix):
    html = plain(str(evaluation.matrix_annex(programme, matrix)))
    assert html.count("<tr>") == len(matrix.questions) + 1
    assert "<td>QE8</td><td>Efficience</td>" in html
    assert "<td>QE1</td><td>Objectif spécifique</td>" in html
