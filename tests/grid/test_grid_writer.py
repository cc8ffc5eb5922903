"""``maroc-eval grille``: which grids, what they show (evidence locked, the team's cells open,
lists, dates, the rubric, the evaluation's dates, the fictitious notice), how they print, and
that a grid holding text not yet imported is never overwritten by accident."""

from __future__ import annotations

import datetime as dt
import re

import openpyxl
import pytest
from grid_helpers import PAIR, cli, data_folder, fill, midterm_appraisal, row_of, store

from maroc_eval.base import paths
from maroc_eval.core.dataset import read_dataset
from maroc_eval.grid.context import phase_contexts
from maroc_eval.grid.writer import grid_bytes


@pytest.fixture
def plain_data(tmp_path):
    data = data_folder(tmp_path / "data")
    store(data, midterm_appraisal())
    return data


def workbook(dataset, phase, who, tmp_path):
    (ctx,) = phase_contexts(dataset, phase, [who])
    path = tmp_path / f"grille-{phase}-{who}.xlsx"
    path.write_bytes(grid_bytes(ctx))
    return openpyxl.load_workbook(path)


def test_the_grids_asked_for_and_no_other(plain_data, tmp_path):
    out = tmp_path / "out"
    done = cli("grille", "--phase", "midterm", "--partenariat", PAIR, "--partenariat",
               "liege-tanger", "--donnees", plain_data, "--sorties", out, check=True)
    assert sorted(p.name for p in out.iterdir()) == [
        "grille-midterm-forest-jerada.xlsx", "grille-midterm-liege-tanger.xlsx"]
    assert done.stdout.count("Grille :") == 2
    done = cli("grid", "--programme-only", "--phase", "final", "--donnees", plain_data,
               "--sorties", out, check=True)
    assert (out / "grille-final-programme.xlsx").is_file()
    assert len(list(out.iterdir())) == 3
    wrong = cli("grille", "--partenariat", "forest", "--donnees", plain_data, "--sorties", out)
    assert wrong.returncode == 2
    assert "Partenariat inconnu « forest »" in wrong.stderr and "Traceback" not in wrong.stderr


def test_the_evidence_is_locked_and_the_team_writes_beside_it(plain_data, tmp_path):
    dataset = read_dataset(paths.PROGRAMME_FILE, plain_data)
    wb = workbook(dataset, "final", PAIR, tmp_path)
    assert wb.sheetnames == ["Lisez-moi", "Questions", "Réponses", "Résultats", "Critères CAD",
                             "Conclusions", "Recommandations", "Leçons", "Suivi",
                             "Personnes rencontrées", "Visites", "Documents", "Contrôles",
                             "listes", "maroc-eval-grille"]
    q = wb["Questions"]
    r = row_of(q, "QE4", column="C", value=1)
    # Forest–Jérada, 2012: RI1.1 = 2 (« service créé ») from 0 towards 4: (2 − 0) / (4 − 0) = 50 %
    assert "RI1.1" in q[f"E{r}"].value and "2012 : 2 (service créé)" in q[f"E{r}"].value
    assert "réalisation 50\u202f%" in q[f"E{r}"].value
    # the criterion asks RI1.1 ≥ 3 (« inscrit à l'organigramme »): not met
    assert q[f"F{r}"].value.startswith("non satisfait : RI1.1 = 2 (service créé)")
    assert q[f"E{r}"].protection.locked and not q[f"J{r}"].protection.locked
    assert q.protection.sheet and q.freeze_panes == "E5"
    assert q.print_title_rows == "$1:$4" or q.print_title_rows == "1:4"
    assert q.page_setup.orientation == "landscape" and int(q.page_setup.paperSize) == 9  # A4
    # QE8 (efficiency): the costs against the median of the pairs, the execution rate as context
    r8 = row_of(q, "QE8", column="C", value=1)
    assert "Coût par agent formé" in q[f"E{r8}"].value
    assert "(contexte : il ne décide pas de la note)" in q[f"E{r8}"].value
    answers = wb["Réponses"]
    # QE1: index 50 % between « en retard » (40 %) and « en bonne voie » (75 %): proposal C
    assert answers["A5"].value == "QE1" and answers["D5"].value == "C"
    assert answers["C5"].value == "Objectif spécifique" and answers["C6"].value == "Pertinence"
    kinds = {dv.type: str(dv.sqref) for dv in answers.data_validations.dataValidation}
    assert kinds == {"list": "G5:G14"}
    recs = wb["Recommandations"]
    assert [recs[f"A{r}"].value for r in (5, 19)] == ["R1", "R15"]  # 15 blank rows, numbered
    lists = {str(dv.sqref): dv.formula1 for dv in recs.data_validations.dataValidation}
    assert lists["C5:C19"] == "listes!$B$1:$B$7" and lists["D5:D19"] == "listes!$C$1:$C$3"
    assert recs["E5"].number_format == "DD/MM/YYYY"
    follow = wb["Suivi"]  # the mid-term's recommendations, locked, to follow up
    assert [follow[f"A{r}"].value for r in (5, 6)] == ["R1", "R2"]
    assert follow["D5"].value.date() == dt.date(2011, 12, 31) and follow["D5"].protection.locked
    assert wb["Contrôles"]["A3"].value.startswith("(Aucun contrôle")


def test_the_readme_states_the_rubric_and_the_evaluation_s_own_dates(plain_data, tmp_path):
    dataset = read_dataset(paths.PROGRAMME_FILE, plain_data)
    wb = workbook(dataset, "midterm", PAIR, tmp_path)
    text = "\n".join(str(c.value) for c in wb["Lisez-moi"]["A"] if c.value)
    assert "Forest – Jérada — Évaluation à mi-parcours (2010)" in text
    # params/evaluation.yml calendrier.midterm: mission 15–26/11/2010, report 31/01/2011
    assert ("mission de terrain du 15 novembre 2010 au 26 novembre 2010 ; remise du rapport le "
            "31 janvier 2011") in text
    assert "Données fictives : Échantillon de démonstration" in text  # donnees.yml: fictives
    assert "A — Très bon : Critère pleinement satisfait, sans faiblesse significative." in text
    assert "D — Sérieuses déficiences : Critère non satisfait ; déficiences sérieuses." in text
    assert "propose A jusqu'à 0,85, B jusqu'à 1,15, C jusqu'à 1,5, D au-delà" in text
    assert "Le taux d'exécution du budget est un contexte, jamais la note." in text
    assert "• Leçons" not in text and "• Suivi" not in text  # mid-term: nothing to follow up
    assert "Leçons" not in wb.sheetnames and "Suivi" not in wb.sheetnames


def test_the_programme_grid_shows_every_pair(plain_data, tmp_path):
    dataset = read_dataset(paths.PROGRAMME_FILE, plain_data)
    wb = workbook(dataset, "final", "programme", tmp_path)
    assert "Résultats" not in wb.sheetnames  # RIs are graded per pair
    q = wb["Questions"]
    r = row_of(q, "QE3", column="C", value=1)
    labels = [p.label for p in dataset.programme.pairs]
    assert all(label in q[f"E{r}"].value for label in labels)
    assert q[f"F{r}"].value.startswith("Satisfait dans ")


def test_a_grid_with_text_not_yet_imported_is_not_overwritten(plain_data, tmp_path):
    out = tmp_path / "out"
    args = ("grille", "--phase", "final", "--partenariat", PAIR, "--donnees", plain_data,
            "--sorties", out)
    cli(*args, check=True)
    grid = out / f"grille-final-{PAIR}.xlsx"
    cli(*args, check=True)  # nothing written in it yet: replaced freely
    fill(grid, {("Réponses", "F5"): "Une réponse pas encore importée."})
    before = grid.read_bytes()
    done = cli(*args)
    assert done.returncode == 2
    assert "contient du texte non encore importé (1 endroit : QE1, réponse)" in done.stderr
    assert grid.read_bytes() == before
    cli("importer-grille", grid, "--donnees", plain_data, "--appliquer", check=True)
    cli(*args, check=True)  # imported: the new grid shows the text
    wb = openpyxl.load_workbook(grid)
    assert wb["Réponses"]["F5"].value == "Une réponse pas encore importée."
    fill(grid, {("Réponses", "F6"): "Encore une."})
    cli(*args, "--remplacer", check=True)
    assert openpyxl.load_workbook(grid)["Réponses"]["F6"].value is None


def test_an_english_grid_reads_back_in_french(plain_data, tmp_path):
    out = tmp_path / "out"
    cli("grid", "--language", "en", "--phase", "final", "--pair", PAIR, "--donnees",
        plain_data, "--sorties", out, check=True)
    grid = out / f"grille-final-{PAIR}.xlsx"
    wb = openpyxl.load_workbook(grid)
    assert wb.sheetnames[0] == "Read me"
    recs = wb[wb.sheetnames[6]]
    assert recs.title == "Recommendations"
    actor, priority = wb["listes"]["B1"].value, wb["listes"]["C1"].value
    assert actor != "Commune marocaine (président et conseil communal)" and priority == "High"
    fill(grid, {(recs.title, "B5"): "Que la commune crée deux postes au budget 2013, pour "
                                    "garder les agents formés.",
                (recs.title, "C5"): actor, (recs.title, "D5"): priority,
                (recs.title, "E5"): dt.datetime(2013, 12, 31)})
    done = cli("importer-grille", grid, "--donnees", plain_data, "--appliquer")
    assert done.returncode == 0, done.stdout + done.stderr
    import yaml

    from maroc_eval.core.appraisal_store import appraisal_path

    raw = yaml.safe_load(appraisal_path(plain_data, "final", PAIR).read_text("utf-8"))
    assert raw["recommandations"][0]["destinataire"] == "commune_marocaine"
    assert raw["recommandations"][0]["priorite"] == "haute"


def test_a_stored_text_a_cell_cannot_hold_is_refused_not_cut(plain_data, tmp_path):
    from maroc_eval.core.appraisal import Answer, Appraisal

    store(plain_data, Appraisal(who=PAIR, phase="final", questions={
        "QE1": Answer(text="x" * 40_000), "QE2": Answer(text="Une cloche \a ici.")}))
    out = tmp_path / "out"
    done = cli("grille", "--phase", "final", "--partenariat", PAIR, "--donnees", plain_data,
               "--sorties", out)
    assert done.returncode == 2, done.stdout + done.stderr
    assert re.search(r"appreciations/final/forest-jerada\.yml:\d+:QE1, réponse: erreur",
                     done.stderr), done.stderr
    assert "un texte de 32767 caractères au plus" in done.stderr
    assert "celui-ci en a 40000" in done.stderr
    assert "QE2, réponse: erreur" in done.stderr and "sans caractère de contrôle" in done.stderr
    assert not out.exists() or not list(out.iterdir())
