"""Reports made only from outputs the runner vouches for, the same wherever the outputs live,
and labelled fictitious by what the data folder says, not by where it lies."""

from __future__ import annotations

import os
import shutil

import pytest
from project_helpers import cli, copy_project

from maroc_eval import paths
from maroc_eval.errors import OutputError
from maroc_eval.report.build import build_reports


@pytest.fixture
def outputs(battery_outputs, tmp_path):
    folder = tmp_path / "outputs"
    shutil.copytree(battery_outputs, folder)
    return folder


def test_a_damaged_notebook_stops_the_report_and_names_the_file(outputs):
    build_reports(outputs=outputs, echo=lambda _line: None)
    report = paths.pair_report_path(outputs, "midterm", "forest-jerada")
    before = report.read_bytes()
    folder = paths.pair_dir(outputs, "midterm", "forest-jerada")
    notebook = folder / "ri3_competences_personnel.ipynb"
    notebook.write_text(notebook.read_text("utf-8")[:1000], "utf-8")  # truncated
    with pytest.raises(OutputError) as err:
        build_reports(outputs=outputs, echo=lambda _line: None)
    message = str(err.value)
    assert "ri3_competences_personnel.ipynb" in message and "maroc-eval run" in message
    assert "carnet illisible" not in message or "modifié" in message
    assert report.read_bytes() == before  # nothing rebuilt from damaged outputs


def test_a_result_changed_by_hand_stops_the_report(outputs):
    sidecar = paths.pair_dir(outputs, "final", "jette-sidi-bibi") / "ri5_elus_budget_social.json"
    sidecar.write_text(sidecar.read_text("utf-8").replace('"index": 0.', '"index": 0.1'), "utf-8")
    with pytest.raises(OutputError, match=r"ri5_elus_budget_social\.ipynb : modifié"):
        build_reports(outputs=outputs, echo=lambda _line: None)


def test_the_outputs_folder_spelled_otherwise_rebuilds_nothing(outputs, monkeypatch):
    build_reports(outputs=outputs, echo=lambda _line: None)
    lines = []
    monkeypatch.chdir(outputs.parent)
    build_reports(outputs=outputs.relative_to(outputs.parent), echo=lines.append)
    assert not [line for line in lines if line.startswith("Rapport ")]
    assert "déjà à jour" in lines[-1]
    moved = outputs.parent / "copie"
    shutil.copytree(outputs, moved)
    lines = []
    build_reports(outputs=moved, echo=lines.append)
    assert not [line for line in lines if line.startswith("Rapport ")]


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return copy_project(tmp_path_factory.mktemp("projet"))


def _cover(root, data_folder: str | None) -> str:
    args = ["run", "--phase", "midterm", "--pair", "jette-sidi-bibi", "--ri", "RI1", "-q"]
    if data_folder:
        args += ["--donnees", data_folder]
    out = root / "outputs"
    if out.exists():
        shutil.rmtree(out)
    cli(root, *args)
    cli(root, "report", "--phase", "midterm")
    report = paths.pair_report_path(out, "midterm", "jette-sidi-bibi")
    html = report.read_text("utf-8")
    return html[html.find("rapport-couverture"):html.find("</section>")]


def test_real_data_in_the_sample_folder_are_not_called_fictitious(project):
    info = project / "data" / "sample" / "donnees.yml"
    original = info.read_text("utf-8")
    info.write_text("fictives: false\ndescription: Données réelles des communes\n", "utf-8")
    try:
        assert "Données fictives" not in _cover(project, None)
    finally:
        info.write_text(original, "utf-8")


def test_the_sample_keeps_its_notice_wherever_it_is_copied(project):
    shutil.copytree(project / "data" / "sample", project / "data" / "ailleurs")
    assert "Données fictives" in _cover(project, "data/ailleurs")


def test_the_data_folder_given_for_one_command_is_said(project):
    other = project / "data" / "autre"
    if not other.is_dir():
        shutil.copytree(project / "data" / "sample", other)
    said = cli(project, "summary", "--phase", "midterm", "--donnees", "data/autre").stderr
    assert ("Données : data/autre (--donnees, pour cette commande ; le projet indique "
            "data/sample dans params/projet.yml).") in said
    assert cli(project, "summary", "--phase", "midterm", "--donnees", "data/sample").stderr == ""


def test_summary_judges_each_pair_with_its_own_thresholds(project):
    before = cli(project, "summary", "--phase", "midterm", "--pair", "jette-sidi-bibi").stdout
    pair_file = project / "params" / "pairs" / "jette-sidi-bibi.yml"
    pair_file.write_text("threshold_met: 0.98\nthreshold_on_track: 0.95\n", "utf-8")
    try:
        after = cli(project, "summary", "--phase", "midterm", "--pair", "jette-sidi-bibi").stdout
    finally:
        os.unlink(pair_file)
    assert "Jette – Sidi Bibi" in after and "Forest" not in after
    assert before.splitlines()[3].endswith("En bonne voie")  # 91 % against 75 %
    assert after.splitlines()[3].endswith("En retard")  # 91 % against Jette's own 95 %
