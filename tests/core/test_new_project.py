"""Issue 26, item 5: a real project from day one — its own data folder and matrix, the project
file pointed at them, commune data out of git, and a warning while demonstration text remains."""

from __future__ import annotations

import shutil
import subprocess

import pytest
import yaml
from project_helpers import cli, copy_project

from maroc_eval.base import paths
from maroc_eval.core.matrix import EvaluationMatrix, read_matrix
from maroc_eval.core.new_project import demonstration_warning, matrix_without_demonstration

DEMO_NAMES = ("Nadia Berrada", "Pieter Claes", "Samira El Idrissi", "mandant fictif")
WARNING = "porte encore le commanditaire, l'équipe et le calendrier de la démonstration"


def test_the_new_matrix_keeps_the_method_and_drops_the_demonstration(programme, tmp_path):
    demo = paths.evaluation_file(paths.PROGRAMME_FILE)
    text = demo.read_text("utf-8")
    assert all(name in text for name in DEMO_NAMES)  # the sample's file is the demonstration's
    new = matrix_without_demonstration(text)
    assert not [name for name in DEMO_NAMES if name in new]
    assert "demonstration" not in new

    written = tmp_path / "evaluation-reel.yml"
    written.write_text(new, "utf-8")
    matrix, problems = read_matrix(programme, written)
    assert not problems.errors, [p.expected for p in problems.errors]
    before = EvaluationMatrix.model_validate(yaml.safe_load(text))
    assert (matrix.commissioner, matrix.team, matrix.calendar) == ("", [], {})
    assert not matrix.demonstration and before.demonstration
    # the method is the same: questions, criteria and their checks, the scale, the actors
    assert matrix.questions == before.questions
    assert (matrix.rubric, matrix.checks, matrix.addressees, matrix.sources) == (
        before.rubric, before.checks, before.addressees, before.sources)
    # and the reports say what is missing, never an empty cell
    assert matrix.commissioner_label() == matrix.team_label() == (
        "à compléter par l’équipe d’évaluation")
    assert before.team_label().startswith("Nadia Berrada")


@pytest.fixture
def project(tmp_path):
    root = copy_project(tmp_path / "projet")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return root


def test_nouveau_projet_points_the_project_at_a_real_folder(project):
    done = cli(project, "nouveau-projet", "reel")
    assert "params/evaluation-reel.yml" in done.stdout
    settings = yaml.safe_load((project / "params" / "projet.yml").read_text("utf-8"))
    assert settings == {"donnees": "data/reel", "evaluation": "params/evaluation-reel.yml",
                        "langue": "fr"}
    info = yaml.safe_load((project / "data" / "reel" / "donnees.yml").read_text("utf-8"))
    assert info["fictives"] is False
    assert (project / "data" / "reel" / "appreciations").is_dir()
    # the demonstration is untouched, and the new project names none of its people
    assert "Nadia Berrada" in (project / "params" / "evaluation.yml").read_text("utf-8")
    assert "Nadia Berrada" not in (project / "params" / "evaluation-reel.yml").read_text("utf-8")

    # commune data stay out of git; the folder's own description does not
    (project / "data" / "reel" / "suivi.csv").write_text("partenariat\n", "utf-8")
    ignored = subprocess.run(["git", "-C", str(project), "check-ignore", "data/reel/suivi.csv",
                              "data/reel/donnees.yml"], capture_output=True, text=True,
                             check=False).stdout.split()
    assert ignored == ["data/reel/suivi.csv"]
    (project / "data" / "reel" / "suivi.csv").unlink()

    # a project with no data yet validates (with its next step) and can send its forms
    checked = cli(project, "validate")
    assert "maroc-eval formulaire" in checked.stdout + checked.stderr
    assert WARNING not in checked.stdout + checked.stderr
    cli(project, "formulaire", "--annees", "2008", "--partenariat", "jette-sidi-bibi")
    assert (project / "outputs" / "formulaires" / "formulaire-jette-sidi-bibi-2008.xlsx").is_file()


def test_a_second_project_of_the_same_name_is_refused_and_writes_nothing(project):
    cli(project, "nouveau-projet", "reel")
    before = {p: p.read_bytes() for p in (project / "params").rglob("*") if p.is_file()}
    again = cli(project, "nouveau-projet", "reel", check=False)
    assert again.returncode == 2
    assert "data/reel existe déjà" in again.stderr and "Traceback" not in again.stderr
    assert {p: p.read_bytes() for p in (project / "params").rglob("*") if p.is_file()} == before
    bad = cli(project, "nouveau-projet", "../ailleurs", check=False)
    assert bad.returncode == 2 and "nom court en minuscules" in bad.stderr
    assert not (project.parent / "ailleurs").exists()


def test_every_command_warns_while_real_data_meet_the_demonstration_text(project):
    quiet = cli(project, "validate")
    assert WARNING not in quiet.stderr  # the sample: fictitious data, demonstration text
    cli(project, "nouveau-projet", "reel")
    text = (project / "params" / "projet.yml").read_text("utf-8")
    (project / "params" / "projet.yml").write_text(  # the project back on the demo's matrix
        "".join(line for line in text.splitlines(keepends=True)
                if not line.startswith("evaluation:")), "utf-8")
    for command in (["validate"], ["formulaire", "--annees", "2008"]):
        said = cli(project, *command).stderr
        assert WARNING in said and "params/evaluation.yml" in said, command


def test_the_warning_reads_the_files_it_names(tmp_path):
    demo = tmp_path / "evaluation.yml"
    shutil.copy(paths.evaluation_file(paths.PROGRAMME_FILE), demo)
    assert demonstration_warning(False, demo)
    assert demonstration_warning(True, demo) is None  # fictitious data: the demo is right
    demo.write_text(matrix_without_demonstration(demo.read_text("utf-8")), "utf-8")
    assert demonstration_warning(False, demo) is None
