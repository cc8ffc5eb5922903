"""What an import says and does: the diff lists exactly what the team changed, a grid and the
store changed at the same place is a conflict, and two imports at once both count."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from grid_helpers import PAIR, cli, fill

from maroc_eval.base import paths
from maroc_eval.base.errors import InputError
from maroc_eval.core.appraisal_store import appraisal_path
from maroc_eval.grid.context import phase_contexts
from maroc_eval.grid.importer import import_grids
from maroc_eval.grid.writer import grid_bytes

NAME = f"grille-final-{PAIR}.xlsx"


@pytest.fixture
def grid(rich_dataset, tmp_path):
    (ctx,) = phase_contexts(rich_dataset, "final", [PAIR])
    path = tmp_path / NAME
    path.write_bytes(grid_bytes(ctx))
    return path


def run_import(grid, data, apply=True):
    """The import, in this process; returns the lines it printed."""
    lines = []
    import_grids([grid], data, paths.PROGRAMME_FILE, apply=apply, day=dt.date(2013, 2, 14),
                 echo=lines.append)
    return lines


def test_the_diff_lists_exactly_what_the_team_changed(grid, rich_data):
    # « Réponses »: QE1 on row 5, QE4 on row 8; G note. « Conclusions »: C3 on row 6.
    # « Recommandations »: R1 on row 5, E échéance. « Leçons »: two lessons, rows 5 and 6.
    fill(grid, {("Réponses", "F5"): "Réponse revue.", ("Réponses", "G8"): None,
                ("Conclusions", "B6"): None, ("Conclusions", "C6"): None,
                ("Recommandations", "E5"): dt.datetime(2014, 3, 31),
                ("Leçons", "A7"): "Une troisième leçon."})
    lines = run_import(grid, rich_data, apply=False)
    listed = [line for line in lines if line.startswith("  ")]
    assert listed == [
        "  modifié : QE1, réponse [Réponses!F5] : « Réponse : capacités en partie renforcées. "
        "— Deuxième paragr… » → « Réponse revue. »",
        "  modifié : R1, échéance [Recommandations!E5] : 31/12/2013 → 31/03/2014",
        "  ajouté : leçons [Leçons!A5] : « Une troisième leçon. »",
        "  note : QE4 [Réponses!G8] : B → —",
        "  supprimé : C3, texte [Conclusions!B6] : « =Le binôme est solide (ce texte commence "
        "par =). »",
        "  supprimé : C3, questions [Conclusions!C6] : QE3",
    ]
    assert lines[0].endswith("(Forest – Jérada, évaluation finale) : 6 modifications depuis le "
                             "dernier import :")


def test_a_grid_without_changes_writes_nothing(grid, rich_data):
    path = appraisal_path(rich_data, "final", PAIR)
    before = path.read_bytes()
    lines = run_import(grid, rich_data)
    assert lines[0].endswith("(Forest – Jérada, évaluation finale) : aucune modification depuis "
                             "le dernier import.")
    assert path.read_bytes() == before


def test_the_evidence_seen_is_the_grid_s_and_the_date_the_import_s(grid, rich_data):
    fill(grid, {("Réponses", "F6"): "Pertinent."})
    run_import(grid, rich_data)
    seen = yaml.safe_load(appraisal_path(rich_data, "final", PAIR).read_text())["preuves_vues"]
    assert seen["date"] == dt.date(2013, 2, 14)
    # the sample gives Forest–Jérada RI3.1 = 6 agents trained by 2012, RI7.1 = 3 conventions
    assert seen["valeurs"][PAIR]["RI3.1"] == 6.0 and seen["valeurs"][PAIR]["RI7.1"] == 3.0


def test_the_data_moved_since_the_grid_was_written_is_said(grid, rich_data):
    suivi = rich_data / "suivi.csv"
    lines = suivi.read_text("utf-8").splitlines(keepends=True)
    changed = [i for i, line in enumerate(lines) if line.startswith("forest-jerada,RI1.1,2012,")]
    assert len(changed) == 1
    parts = lines[changed[0]].split(",")
    assert parts[3] == "2"  # « service créé », as the grid showed
    parts[3] = "3"  # « inscrit à l'organigramme »
    lines[changed[0]] = ",".join(parts)
    suivi.write_text("".join(lines), "utf-8")
    fill(grid, {("Réponses", "F6"): "Pertinent."})
    out = run_import(grid, rich_data, apply=False)
    moved = [line for line in out if "depuis l'écriture de la grille" in line]
    assert len(moved) == 1 and "RI1.1 2 → 3" in moved[0], out


def test_a_place_changed_in_both_the_grid_and_the_store_is_a_conflict(grid, rich_data):
    path = appraisal_path(rich_data, "final", PAIR)
    text = path.read_text("utf-8")
    path.write_text(text.replace("Coûts proches de la médiane.", "Coûts revus à la main."),
                    "utf-8")
    fill(grid, {("Réponses", "F12"): "Coûts revus dans la grille.",  # QE8, row 12
                ("Réponses", "F6"): "Pertinent."})
    before = path.read_bytes()
    with pytest.raises(InputError) as error:
        run_import(grid, rich_data)
    (message,) = error.value.messages()[:-1]
    assert f"{NAME}, Réponses!F12: erreur : valeur « Coûts revus dans la grille. »" in message
    assert "il est maintenant « Coûts revus à la main. »" in message
    assert path.read_bytes() == before


def test_a_place_changed_in_the_store_only_is_kept(grid, rich_data):
    path = appraisal_path(rich_data, "final", PAIR)
    path.write_text(path.read_text("utf-8").replace("Coûts proches de la médiane.",
                                                    "Coûts revus à la main."), "utf-8")
    fill(grid, {("Réponses", "F6"): "Pertinent."})
    run_import(grid, rich_data)
    raw = yaml.safe_load(path.read_text("utf-8"))["questions"]
    assert raw["QE8"]["reponse"] == "Coûts revus à la main."
    assert raw["QE2"]["reponse"] == "Pertinent."


def test_two_imports_at_once_both_count(grid, rich_data, tmp_path):
    """Two evaluators fill copies of the same grid and import them at the same moment: under
    the data folder's lock each import reads the store as the other left it."""
    exe = Path(sys.executable).with_name("maroc-eval")
    for round_ in range(2):
        first, second = tmp_path / f"a{round_}" / NAME, tmp_path / f"b{round_}" / NAME
        for copy in (first, second):
            copy.parent.mkdir()
            shutil.copyfile(grid, copy)
        fill(first, {("Réponses", "F6"): f"Pertinence, tour {round_}."})   # QE2
        fill(second, {("Réponses", "F7"): f"Cohérence, tour {round_}."})   # QE3
        runs = [subprocess.Popen([str(exe), "importer-grille", str(g), "--donnees",
                                  str(rich_data), "--appliquer"], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True) for g in (first, second)]
        outs = [r.communicate(timeout=300) for r in runs]
        assert [r.returncode for r in runs] == [0, 0], outs
        raw = yaml.safe_load(appraisal_path(rich_data, "final", PAIR).read_text("utf-8"))
        assert raw["questions"]["QE2"]["reponse"] == f"Pertinence, tour {round_}."
        assert raw["questions"]["QE3"]["reponse"] == f"Cohérence, tour {round_}."
        grid = tmp_path / f"base{round_}" / NAME  # the next round starts from the new store
        grid.parent.mkdir()
        done = cli("grille", "--phase", "final", "--partenariat", PAIR, "--donnees",
                   rich_data, "--sorties", grid.parent, check=True)
        assert "Grille :" in done.stdout
