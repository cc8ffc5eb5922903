"""An evaluator fills a grid as in a spreadsheet; the real command line writes it into the store.

Two rounds, as a team works: a first grid from an empty store, filled and imported; then a new
grid, which now shows the checks the toolkit raises on that text, one of which the team answers.
"""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
import yaml
from grid_helpers import PAIR, cli, data_folder, fill, midterm_appraisal, row_of, store

from maroc_eval.core.appraisal_store import appraisal_path

GRID = f"grille-final-{PAIR}.xlsx"


@pytest.fixture
def folders(tmp_path):
    data = data_folder(tmp_path / "data")
    store(data, midterm_appraisal())
    return data, tmp_path / "grilles"


def write_grid(data, out):
    done = cli("grille", "--phase", "final", "--partenariat", PAIR, "--donnees", data,
               "--sorties", out, check=True)
    assert done.stdout.count("Grille :") == 1
    return out / GRID


def test_an_evaluator_fills_a_grid_and_it_is_stored(folders):
    data, out = folders
    grid = write_grid(data, out)
    wb = openpyxl.load_workbook(grid)
    q, answers, results = wb["Questions"], wb["Réponses"], wb["Résultats"]
    qe1 = row_of(q, "QE1", column="C", value=1)
    qe42 = row_of(q, "QE4", column="C", value=2)
    edits = {
        # « Questions »: H suivi, I documents, J entretiens, K visites, L références
        ("Questions", f"J{qe1}"): "Les agents formés en 2009 ont quitté la commune en 2011.",
        ("Questions", f"J{qe42}"): "Le chef de service dit manquer d'ordinateurs.",
        ("Questions", f"K{qe42}"): "Deux bureaux sur cinq sont équipés (visite du 15/11).",
        ("Questions", f"L{qe42}"): "Entretien 4 ; visite 2",
        # « Réponses »: F réponse, G note, H justification
        ("Réponses", f"F{row_of(answers, 'QE1')}"): "Les capacités progressent peu.",
        ("Réponses", f"G{row_of(answers, 'QE1')}"): "c",
        # « Résultats »: H note, I appréciation
        ("Résultats", f"H{row_of(results, 'RI1')}"): "C",
        ("Résultats", f"I{row_of(results, 'RI1')}"): "Un service créé, sans poste au budget.",
        # « Conclusions » row 5 is C1 (A id, B texte, C questions, D constats)
        ("Conclusions", "B5"): "Les capacités partent avec les agents formés.",
        ("Conclusions", "C5"): "QE1, QE4",
        ("Conclusions", "D5"): "qe1.1; QE4.2",
        # « Recommandations » row 5 is R1
        ("Recommandations", "B5"): "Que la commune de Jérada inscrive au budget 2013 deux "
                                   "postes permanents au service social.",
        ("Recommandations", "C5"): "Commune marocaine (président et conseil communal)",
        ("Recommandations", "D5"): "Haute",
        ("Recommandations", "E5"): dt.datetime(2013, 12, 31),
        ("Recommandations", "F5"): "C1",
        ("Recommandations", "G5"): "RI1",
        ("Leçons", "A5"): "Un poste au budget retient mieux un agent qu'une formation.",
        ("Suivi", "E5"): "Partiellement mise en œuvre",
        ("Suivi", "F5"): "Un poste créé sur deux.",
        ("Personnes rencontrées", "A5"): "Chef du service social",
        ("Personnes rencontrées", "B5"): "Commune de Jérada",
        ("Personnes rencontrées", "C5"): "14/11/2012",
        ("Visites", "A5"): "Service social, hôtel de ville",
        ("Documents", "A5"): "Budget communal 2012",
    }
    fill(grid, edits)
    done = cli("importer-grille", grid, "--donnees", data, "--appliquer")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Enregistré :" in done.stdout

    text = appraisal_path(data, "final", PAIR).read_text("utf-8")
    raw = yaml.safe_load(text)
    assert raw["partenariat"] == PAIR and raw["phase"] == "final"
    qe1_found, = raw["questions"]["QE1"]["constats"]
    assert qe1_found == {"critere": 1, "entretiens": "Les agents formés en 2009 ont quitté la "
                                                     "commune en 2011."}
    assert raw["questions"]["QE4"]["constats"] == [{
        "critere": 2, "entretiens": "Le chef de service dit manquer d'ordinateurs.",
        "visites": "Deux bureaux sur cinq sont équipés (visite du 15/11).",
        "references": "Entretien 4 ; visite 2"}]
    assert raw["questions"]["QE1"]["reponse"] == "Les capacités progressent peu."
    assert raw["questions"]["QE1"]["note"] == "C"  # typed « c »
    assert raw["resultats"] == {"RI1": {"note": "C", "appreciation": "Un service créé, sans "
                                                                     "poste au budget."}}
    assert raw["conclusions"] == [{"id": "C1", "texte": "Les capacités partent avec les agents "
                                   "formés.", "questions": ["QE1", "QE4"],
                                   "constats": ["QE1.1", "QE4.2"]}]
    assert raw["recommandations"] == [{
        "id": "R1", "action": "Que la commune de Jérada inscrive au budget 2013 deux postes "
                              "permanents au service social.",
        "destinataire": "commune_marocaine", "priorite": "haute",
        "echeance": dt.date(2013, 12, 31), "conclusions": ["C1"], "resultats": ["RI1"]}]
    assert raw["lecons"] == ["Un poste au budget retient mieux un agent qu'une formation."]
    assert raw["suivi"] == {"R1": {"etat": "partielle", "commentaire": "Un poste créé sur "
                                                                       "deux."}}
    assert raw["methode"] == {
        "documents": ["Budget communal 2012"],
        "entretiens": [{"fonction": "Chef du service social", "institution": "Commune de Jérada",
                        "date": dt.date(2012, 11, 14)}],
        "visites": [{"lieu": "Service social, hôtel de ville"}]}
    seen = raw["preuves_vues"]
    assert seen["date"] == dt.date.today()
    # Forest–Jérada's RI1.1 in 2012 is 2 (« service créé ») in the sample's suivi.csv
    assert set(seen["valeurs"]) == {PAIR} and set(seen["manquantes"]) == {PAIR}
    assert seen["valeurs"][PAIR]["RI1.1"] == 2.0 and len(seen["valeurs"][PAIR]) == 27

    # Round 2: a new grid shows the checks on this text; the team answers one.
    grid = write_grid(data, out)  # the first grid is all imported: it may be replaced
    wb = openpyxl.load_workbook(grid)
    checks = wb["Contrôles"]
    ids = [checks[f"A{r}"].value for r in range(5, checks.max_row + 1)]
    # QE1.1 rests on interviews only: a triangulation check, at its cell of « Questions »
    assert "triangulation:QE1.1" in ids
    r = row_of(checks, "triangulation:QE1.1")
    assert checks[f"B{r}"].value == f"QE1.1 — Questions!H{qe1}"
    fill(grid, {("Contrôles", f"D{r}"): "Les registres du personnel confirment ces départs."})
    done = cli("importer-grille", grid, "--donnees", data, "--appliquer")
    assert done.returncode == 0, done.stdout + done.stderr
    changed = [line for line in done.stdout.splitlines() if line.startswith("  ")]
    assert changed == [f"  ajouté : réponse au contrôle triangulation:QE1.1 [Contrôles!D{r}] : "
                       "« Les registres du personnel confirment ces départs. »"]
    raw = yaml.safe_load(appraisal_path(data, "final", PAIR).read_text("utf-8"))
    assert raw["controles"] == {"triangulation:QE1.1": "Les registres du personnel confirment "
                                                       "ces départs."}
    assert raw["conclusions"][0]["texte"] == "Les capacités partent avec les agents formés."


def test_without_apply_nothing_is_written(folders):
    data, out = folders
    grid = write_grid(data, out)
    fill(grid, {("Réponses", "F5"): "Une réponse."})
    before = sorted(p.relative_to(data) for p in data.rglob("*"))
    done = cli("importer-grille", grid, "--donnees", data)
    assert done.returncode == 0, done.stderr
    assert "  ajouté : QE1, réponse [Réponses!F5] : « Une réponse. »" in done.stdout
    assert "relancez avec --appliquer" in done.stdout
    assert sorted(p.relative_to(data) for p in data.rglob("*")) == before
    assert not appraisal_path(data, "final", PAIR).exists()
