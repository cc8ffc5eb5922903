"""The labels of params/ go through the catalogues: extracted with their lines, and shown in the
reader's language by ``Programme.localised`` and ``EvaluationMatrix.localised``."""

from __future__ import annotations

import pytest
from english_helpers import reset, use_catalogue, write_catalogue

from maroc_eval.base import paths
from maroc_eval.core.matrix import load_matrix
from maroc_eval.core.params_extract import extract_params, texts


def test_texts_are_the_labels_readers_see_with_their_lines():
    source = ("phases:\n  final:\n    libelle: Évaluation finale\n    annee: 2012\n"
              "indicateurs:\n  - code: RI1.1\n    libelle: Stade\n    unite: stade\n"
              "    niveaux:\n      0: inexistant\n      4: fonctionnel\n    mesure: ordinal\n"
              "sigles:\n  DAS: Direction de l'action sociale\n"
              "objectif_specifique: >-\n  Dans les 5 ans,\n  les communes\n")
    assert texts(source) == [(3, "Évaluation finale"), (7, "Stade"), (8, "stade"),
                             (10, "inexistant"), (11, "fonctionnel"),
                             (14, "Direction de l'action sociale"),
                             (15, "Dans les 5 ans, les communes")]


def test_the_shipped_params_are_extracted():
    with open(paths.PROGRAMME_FILE, "rb") as fh:
        found = [m for _, _, m, _ in extract_params(fh, None, None, {})]
    assert "Stade de mise en place du Service d'Action sociale" in found
    assert "Évaluation à mi-parcours" in found and "Sérieuses déficiences" in found
    assert "schaerbeek-al-hoceima" not in found and "ordinal" not in found  # codes, not texts


@pytest.fixture
def english(tmp_path, monkeypatch):
    write_catalogue(tmp_path, {"Évaluation finale": "Final evaluation",
                               "Stade de mise en place du Service d'Action sociale":
                                   "Stage of set-up of the Social Action Service",
                               "inexistant": "non-existent", "Très bon": "Very good",
                               "Pertinence": "Relevance", "Haute": "High"})
    use_catalogue(monkeypatch, tmp_path)
    yield
    reset()


def test_localised_programme_speaks_english(programme, english):
    en = programme.localised()
    assert en.phases["final"].label == "Final evaluation"
    assert en.indicator_map["RI1.1"].label == "Stage of set-up of the Social Action Service"
    assert en.indicator_map["RI1.1"].levels[0] == "non-existent"
    assert en.scale[0].label == "Very good"
    assert en.criteria[0].label == "Relevance"
    # codes, figures and the original untouched
    assert en.pair_codes == programme.pair_codes and en.baseline_year == 2007
    assert programme.phases["final"].label == "Évaluation finale"
    assert programme.indicator_map["RI1.1"].label.startswith("Stade")
    matrix = load_matrix(programme).localised()
    assert matrix.priorities["haute"] == "High"
    assert matrix.question_map["QE1"].code == "QE1"


def test_in_french_the_programme_is_itself(programme):
    assert programme.localised() is programme
    matrix = load_matrix(programme)
    assert matrix.localised() is matrix
