"""Input errors and the validation summary in English, from a temporary catalogue: the located
problem keeps its file, line, column and value; counts take English plurals."""

from __future__ import annotations

import pytest
from english_helpers import reset, use_catalogue, write_catalogue

from maroc_eval.base.errors import InputError
from maroc_eval.core.project import load_project
from maroc_eval.core.validation import validate_inputs

ENGLISH = {
    "{where}: {severity} : {what} — attendu : {expected}":
        "{where}: {severity}: {what} — expected: {expected}",
    "erreur": "error",
    "valeur « {value} »": "value “{value}”",
    "une langue parmi {choices}": "a language among {choices}",
    "Validation : {rows} dans {files}": "Validation: {rows} in {files}",
    " ; {errors}, {warnings}.": "; {errors}, {warnings}.",
    ("{n} ligne lue", "{n} lignes lues"): ("{n} line read", "{n} lines read"),
    ("{n} fichier", "{n} fichiers"): ("{n} file", "{n} files"),
    ("{n} erreur", "{n} erreurs"): ("{n} error", "{n} errors"),
    ("{n} avertissement", "{n} avertissements"): ("{n} warning", "{n} warnings"),
    "un partenariat du programme : ": "a pair of the programme: ",
}


@pytest.fixture
def english(tmp_path, monkeypatch):
    write_catalogue(tmp_path / "locale", ENGLISH)
    use_catalogue(monkeypatch, tmp_path / "locale")
    yield
    reset()


def test_bad_project_language_in_english(english, tmp_path):
    project = tmp_path / "projet.yml"
    project.write_text("donnees: data/sample\nlangue: de\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_project(project)
    assert caught.value.messages()[0].endswith(
        "projet.yml:2:langue: error: value “de” — expected: a language among fr, en")


def test_validation_summary_in_english(english, tmp_path):
    data = tmp_path / "suivi.csv"
    data.write_text("partenariat,indicateur,annee,valeur\n"
                    "jette-sidi-bibi,RI1.2,2007,3\n"
                    "nulle-part,RI1.2,2010,4\n", encoding="utf-8")
    report = validate_inputs([data])
    lines = report.lines()
    assert lines[-1] == "Validation: 2 lines read in 1 file; 1 error, 0 warnings."
    assert lines[0].startswith(f"{data}:3:partenariat: error: value “nulle-part” — expected: "
                               "a pair of the programme: ")


def test_the_same_summary_in_french(tmp_path):
    data = tmp_path / "suivi.csv"
    data.write_text("partenariat,indicateur,annee,valeur\n"
                    "jette-sidi-bibi,RI1.2,2007,3\n"
                    "nulle-part,RI1.2,2010,4\n", encoding="utf-8")
    lines = validate_inputs([data]).lines()
    assert lines[-1] == "Validation : 2 lignes lues dans 1 fichier ; 1 erreur, 0 avertissement."
    assert lines[0].startswith(f"{data}:3:partenariat: erreur : valeur « nulle-part » — "
                               "attendu : un partenariat du programme : ")
