"""Hostile paths and files given to every command that reads data: a located message in the
user's language and exit status 2, never a traceback (issue 22, items 7 to 10).

The validator's own corpus (``tests/core/test_corpus.py``) covers ``validate``; here the same
inputs go through the other doors: ``summary``, ``run``, ``formulaire`` and ``importer``.
"""

from __future__ import annotations

import shutil

import pytest
from hostile_inputs import WRITERS, symlink_loop
from project_helpers import cli, copy_project


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = copy_project(tmp_path_factory.mktemp("projet"))
    hostile = root / "hostile"
    hostile.mkdir()
    symlink_loop(hostile / "boucle")
    symlink_loop(hostile / "boucle.csv")
    (hostile / "dossier.xlsx").mkdir()
    for name in ("xlsx-bombe.xlsx", "xlsx-200000-lignes.xlsx", "csv-200000-colonnes.csv",
                 "csv-cellule-15-mo.csv"):
        WRITERS[name](hostile / name)
    return root


def _refused(done, *fragments: str) -> str:
    said = done.stdout + done.stderr
    assert "Traceback" not in said and "RuntimeError" not in said, said
    assert done.returncode == 2, said
    for fragment in fragments:
        assert fragment in said, said
    return said


DATA_FOLDER_COMMANDS = [
    ("summary",),
    ("run", "-q", "--sorties", "sorties-boucle"),
    ("formulaire", "--annees", "2011", "--sorties", "formulaires-boucle"),
    ("importer", "data/sample/suivi.csv"),
]


@pytest.mark.parametrize("command", DATA_FOLDER_COMMANDS, ids=lambda c: c[0])
def test_a_data_folder_that_is_a_symlink_loop_is_refused_by_name(project, command):
    done = cli(project, *command, "--donnees", "hostile/boucle", check=False)
    _refused(done, "--donnees « hostile/boucle » : lien symbolique en boucle (il mène à "
                   "lui-même) ; attendu : un dossier existant.")
    assert not (project / "sorties-boucle").exists()
    assert not (project / "formulaires-boucle").exists()


@pytest.mark.parametrize("command", DATA_FOLDER_COMMANDS, ids=lambda c: c[0])
def test_the_refusal_is_in_english_on_request(project, command):
    done = cli(project, *command, "--donnees", "hostile/boucle", "--langue", "en", check=False)
    _refused(done, "symbolic link loop")


def test_a_data_file_that_is_a_symlink_loop_is_said_by_validate_and_importer(project):
    _refused(cli(project, "validate", "hostile/boucle.csv", check=False),
             "hostile/boucle.csv: erreur : lien symbolique en boucle (il mène à lui-même)")
    _refused(cli(project, "importer", "hostile/boucle.csv", check=False),
             "hostile/boucle.csv: erreur : lien symbolique en boucle (il mène à lui-même) — "
             "attendu : un fichier reçu (.xlsx ou .csv) ; remplacez le lien")


def test_a_symlink_loop_inside_the_data_folder_stops_run_and_summary(project):
    data = project / "data" / "avec-boucle"
    shutil.copytree(project / "data" / "sample", data)
    symlink_loop(data / "commune.csv")
    for command in (("summary",), ("run", "-q", "--sorties", "sorties-avec-boucle")):
        _refused(cli(project, *command, "--donnees", "data/avec-boucle", check=False),
                 "data/avec-boucle/commune.csv: erreur : lien symbolique en boucle")
    assert not (project / "sorties-avec-boucle").exists()


def test_a_folder_given_to_the_importer_is_called_a_folder(project):
    said = _refused(cli(project, "importer", "hostile/dossier.xlsx", check=False),
                    "hostile/dossier.xlsx: erreur : c'est un dossier — attendu : un fichier "
                    "reçu (.xlsx ou .csv) ; donnez les fichiers qu'il contient")
    assert "introuvable" not in said


@pytest.mark.parametrize(("name", "fragment"), [
    ("xlsx-bombe.xlsx", "hostile/xlsx-bombe.xlsx: erreur : valeur « 399,9 Mo » — attendu : un "
                        "classeur de moins de 50 Mo une fois décompressé"),
    ("xlsx-200000-lignes.xlsx", "hostile/xlsx-200000-lignes.xlsx, suivi:20001: erreur"),
    ("csv-200000-colonnes.csv", "hostile/csv-200000-colonnes.csv:1: erreur : valeur "
                                "« 200\u202f000 colonnes »"),
    ("csv-cellule-15-mo.csv", "hostile/csv-cellule-15-mo.csv:2:commentaire: erreur"),
])
def test_the_importer_refuses_hostile_files_at_once(project, name, fragment):
    said = _refused(cli(project, "importer", f"hostile/{name}", check=False), fragment)
    assert "ne contient que l'en-tête" not in said and "field larger" not in said


def test_a_hostile_file_in_the_data_folder_stops_run_before_any_notebook(project):
    data = project / "data" / "large"
    shutil.copytree(project / "data" / "sample", data)
    shutil.copy(project / "hostile" / "csv-200000-colonnes.csv", data / "commune.csv")
    _refused(cli(project, "run", "-q", "--donnees", "data/large", "--sorties", "sorties-large",
                 check=False), "data/large/commune.csv:1: erreur")
    assert not list((project / "sorties-large").rglob("*.ipynb"))


@pytest.mark.parametrize("command", [("run", "-q"), ("report",),
                                     ("formulaire", "--annees", "2011")], ids=lambda c: c[0])
def test_an_output_folder_that_is_a_symlink_loop_is_refused_by_name(project, command):
    _refused(cli(project, *command, "--sorties", "hostile/boucle", check=False),
             "Erreur : « hostile/boucle » : lien symbolique en boucle (il mène à lui-même).")
