"""Reports made only from outputs the runner vouches for, the same wherever the outputs live,
and labelled fictitious by what the data folder says, not by where it lies."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from project_helpers import cli, copy_project

from maroc_eval.base import paths
from maroc_eval.base.errors import OutputError
from maroc_eval.report.build import build_reports

CLI = Path(sys.executable).with_name("maroc-eval")


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


def _plant(outputs):
    """An RI result edited by hand: index 0.9999, status « atteint », grade A."""
    sidecar = paths.pair_dir(outputs, "final", "jette-sidi-bibi") / "ri5_elus_budget_social.json"
    data = json.loads(sidecar.read_text("utf-8"))
    data.update(index=0.9999, status="atteint")
    data["grade"]["score"] = "A"
    sidecar.write_text(json.dumps(data, ensure_ascii=False), "utf-8")


def _tree(root) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.name != ".maroc-eval.lock"}  # the lock says who held it last


LEDGER_ATTACKS = {
    "supprime": lambda ledger: ledger.unlink(),
    "tronque": lambda ledger: ledger.write_bytes(ledger.read_bytes()[:300]),
    "illisible": lambda ledger: ledger.write_bytes(b"\x00\xff garbage \x00"),
    "vide": lambda ledger: ledger.write_text("{}\n", "utf-8"),
    "autre-phase": lambda ledger: ledger.write_bytes(
        ledger.with_name("..").joinpath("midterm", "ledger.json").read_bytes()),
}


@pytest.mark.parametrize("attack", list(LEDGER_ATTACKS))
def test_a_planted_result_is_never_reported_whatever_is_done_to_the_ledger(outputs, attack):
    """Issue 22, item 6: deleting, truncating or garbling the ledger must not make an edited
    result acceptable: ``report`` refuses the phase, names the ledger and says to run."""
    if attack == "supprime":  # reports made before stay as they were
        build_reports(outputs=outputs, echo=lambda _line: None, formats=("html",))
    _plant(outputs)
    LEDGER_ATTACKS[attack](paths.ledger_path(outputs, "final"))
    before = _tree(outputs)
    done = subprocess.run([str(CLI), "report", "--sorties", str(outputs), "--formats", "html"],
                          cwd=outputs.parent, capture_output=True, text=True, check=False,
                          timeout=600)
    said = done.stdout + done.stderr
    assert done.returncode == 2, said
    assert "Traceback" not in said
    assert "maroc-eval run" in said
    if attack == "vide":  # read, but vouching for nothing: each result is named
        assert "ri5_elus_budget_social.ipynb : absent du journal d'exécution" in said
    else:
        assert said.count("outputs/final/ledger.json") == 1, said
        assert "ri5_elus_budget_social" not in said  # one line for the phase, not 21
    assert _tree(outputs) == before  # nothing written, the planted figures nowhere


def test_a_truncated_ledger_is_located_at_its_line_and_column(outputs):
    ledger = paths.ledger_path(outputs, "final")
    text = ledger.read_text("utf-8")
    ledger.write_text(text[:text.index('"entries"') + 20], "utf-8")
    with pytest.raises(OutputError) as err:
        build_reports(outputs=outputs, echo=lambda _line: None, formats=("html",))
    line = text[:text.index('"entries"') + 20].count("\n") + 1
    assert re.search(rf"outputs/final/ledger\.json:{line}:\d+: erreur : journal d'exécution "
                     r"illisible \(JSON tronqué ou modifié\) — attendu : le journal qu'écrit "
                     r"« maroc-eval run »", str(err.value)), str(err.value)


def test_entries_without_digests_vouch_for_nothing(outputs):
    ledger = paths.ledger_path(outputs, "midterm")
    data = json.loads(ledger.read_text("utf-8"))
    for entry in data["entries"].values():
        entry.pop("outputs", None)
    ledger.write_text(json.dumps(data), "utf-8")
    with pytest.raises(OutputError, match=r"ri1_service_action_sociale\.ipynb : aucune "
                                          r"empreinte enregistrée"):
        build_reports(outputs=outputs, echo=lambda _line: None, formats=("html",))


def test_a_phase_never_run_needs_no_ledger(outputs):
    shutil.rmtree(paths.phase_dir(outputs, "final"))
    build_reports(outputs=outputs, phase="midterm", echo=lambda _line: None, formats=("html",))
    assert paths.pair_report_path(outputs, "midterm", "jette-sidi-bibi").is_file()
