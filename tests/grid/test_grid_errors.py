"""Every mistake in a returned grid is refused at its cell, with the value and what was expected,
in French, all at once, with exit status 2 and nothing written.

The grid is Forest–Jérada's final one, written from the rich store (:mod:`grid_helpers`):
« Réponses » has a row per question from row 5 (QE1 row 5, QE2 row 6…) and its note in column G;
« Recommandations » has R1 on row 5, R4 on row 6, then blank rows (R5 on row 7), columns B
action, C destinataire, D priorité, E échéance, F conclusions; « Conclusions » has C1 on row 5,
columns C questions and D constats; « Suivi » has R1 on row 5, its state in column E;
« Questions » has 21 rows (the matrix's 21 judgement criteria), rows 5 to 25.
"""

from __future__ import annotations

import datetime as dt
import shutil

import openpyxl
import pytest
from grid_helpers import PAIR, cli, fill

from maroc_eval.grid.context import phase_contexts
from maroc_eval.grid.writer import grid_bytes

NAME = f"grille-final-{PAIR}.xlsx"


@pytest.fixture
def grid(rich_dataset, tmp_path):
    (ctx,) = phase_contexts(rich_dataset, "final", [PAIR])
    path = tmp_path / "recues" / NAME
    path.parent.mkdir()
    path.write_bytes(grid_bytes(ctx))
    return path


def snapshot(folder):
    return {p: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def refused(grid, data, *located: tuple[str, str, str]):
    """Import with --appliquer; it must exit 2, write nothing, and say each ``(cell, value,
    expected)``."""
    before = snapshot(data)
    done = cli("importer-grille", grid, "--donnees", data, "--appliquer")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert "Enregistré" not in done.stdout
    for cell, value, expected in located:
        lines = [line for line in done.stderr.splitlines() if f"{NAME}, {cell}: erreur" in line]
        assert lines, (cell, done.stderr)
        assert any(value in line and expected in line for line in lines), (lines, value,
                                                                          expected)
    assert snapshot(data) == before
    return done.stderr


CASES = {
    "grade off the scale": ({("Réponses", "G6"): "E"},
                            [("Réponses!G6", "valeur « E »",
                              "attendu : une note de l'échelle : A (Très bon), B (Bon)")]),
    "unknown actor": ({("Recommandations", "C5"): "Le maire"},
                      [("Recommandations!C5", "valeur « Le maire »",
                        "un destinataire de la liste : Commune marocaine")]),
    "unknown priority": ({("Recommandations", "D5"): "urgente"},
                         [("Recommandations!D5", "« urgente »", "une priorité de la liste : "
                                                                "Haute ; Moyenne ; Basse")]),
    "unknown state": ({("Suivi", "E5"): "faite"},
                      [("Suivi!E5", "« faite »", "un état de mise en œuvre de la liste")]),
    "a date that is not a date": ({("Recommandations", "E5"): "bientôt"},
                                  [("Recommandations!E5", "« bientôt »",
                                    "une date (JJ/MM/AAAA)")]),
    "unknown question": ({("Conclusions", "C5"): "QE1, QE42"},
                         [("Conclusions!C5", "« QE42 »", "une question de la matrice parmi "
                                                         "QE1, QE2")]),
    "unknown finding": ({("Conclusions", "D5"): "QE4.9"},
                        [("Conclusions!D5", "« QE4.9 »", "un constat QE<n>.<critère>")]),
    "unknown conclusion": ({("Recommandations", "F5"): "C1, C9"},
                           [("Recommandations!F5", "« C9 »",
                             "une conclusion de la feuille « Conclusions » parmi C1, C3")]),
    "a recommendation without action": (
        {("Recommandations", "C7"): "Binôme (les deux communes partenaires)",
         ("Recommandations", "D7"): "Haute", ("Recommandations", "E7"): dt.datetime(2014, 1, 1)},
        [("Recommandations!B7", "cellule", "l'action recommandée")]),
    "a formula in a text cell": ({("Réponses", "F5"): "=1+1"},
                                 [("Réponses!F5", "« =1+1 »", "un texte, pas une formule")]),
    "a row added below the last row": ({("Questions", "H26"): "Un constat de plus."},
                                       [("Questions!H26", "« Un constat de plus. »",
                                         "une cellule vide : ce qui est écrit hors des lignes")]),
    "a locked cell edited": ({("Questions", "E5"): "Mes propres chiffres"},
                             [("Questions!E5", "« Mes propres chiffres »",
                               "la valeur d'origine de cette cellule grise verrouillée")]),
    "an identity title edited": ({("Questions", "A1"): "Questions — Jette – Sidi Bibi"},
                                 [("Questions!A1", "« Questions — Jette – Sidi Bibi »",
                                   "sa feuille cachée dit forest-jerada (final)")]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_each_mistake_is_refused_at_its_cell(case, grid, rich_data):
    edits, located = CASES[case]
    fill(grid, edits)
    refused(grid, rich_data, *located)


def test_every_mistake_is_listed_at_once(grid, rich_data):
    fill(grid, {**CASES["grade off the scale"][0], **CASES["unknown actor"][0],
                **CASES["a locked cell edited"][0], **CASES["unknown conclusion"][0]})
    err = refused(grid, rich_data, *CASES["grade off the scale"][1],
                  *CASES["unknown actor"][1], *CASES["a locked cell edited"][1],
                  *CASES["unknown conclusion"][1])
    assert "4 erreurs, 0 avertissement." in err


def test_merged_cells_are_refused(grid, rich_data):
    wb = openpyxl.load_workbook(grid)
    wb["Réponses"].merge_cells("F5:H5")
    wb.save(grid)
    refused(grid, rich_data, ("Réponses!F5:H5", "", "les cellules fusionnées ne se relisent "
                                                    "pas"))


def test_a_grid_renamed_for_another_pair_is_refused(grid, rich_data):
    other = grid.with_name("grille-final-jette-sidi-bibi.xlsx")
    shutil.move(grid, other)
    before = snapshot(rich_data)
    done = cli("importer-grille", other, "--donnees", rich_data, "--appliquer")
    assert done.returncode == 2
    assert ("grille-final-jette-sidi-bibi.xlsx: erreur : valeur « "
            "grille-final-jette-sidi-bibi.xlsx » — attendu : une grille de forest-jerada "
            "(final)") in done.stderr
    assert snapshot(rich_data) == before


def test_a_grid_of_another_phase_in_its_name_is_refused(grid, rich_data):
    other = grid.with_name(f"grille-midterm-{PAIR}.xlsx")
    shutil.move(grid, other)
    done = cli("importer-grille", other, "--donnees", rich_data)
    assert done.returncode == 2
    assert "une grille de forest-jerada (final)" in done.stderr


def test_metadata_edited_to_another_pair_is_refused(grid, rich_data):
    wb = openpyxl.load_workbook(grid)
    meta = wb["maroc-eval-grille"]
    row = next(r for r in range(1, meta.max_row + 1) if meta[f"A{r}"].value == "partenariat")
    meta[f"B{row}"].value = "jette-sidi-bibi"
    wb.save(grid)
    err = refused(grid, rich_data)
    assert f"{NAME}, maroc-eval-grille: erreur : attendu : une feuille cachée « " \
           "maroc-eval-grille » intacte" in err


def test_another_layout_version_is_refused(grid, rich_data):
    wb = openpyxl.load_workbook(grid)
    wb["maroc-eval-grille"]["B1"].value = "0"
    wb.save(grid)
    err = refused(grid, rich_data)
    assert (f"{NAME}, maroc-eval-grille: erreur : valeur « 0 » — attendu : une grille de la "
            "version de mise en page 1") in err


def test_a_communes_form_is_told_apart(tmp_path, rich_data):
    form = tmp_path / "formulaire.xlsx"
    wb = openpyxl.Workbook()
    wb.create_sheet("maroc-eval")
    wb.save(form)
    done = cli("importer-grille", form, "--donnees", rich_data)
    assert done.returncode == 2
    assert "à importer avec « maroc-eval importer »" in done.stderr


def test_a_missing_file_is_said(tmp_path, rich_data):
    done = cli("importer-grille", tmp_path / "absente.xlsx", "--donnees", rich_data)
    assert done.returncode == 2
    assert "absente.xlsx: erreur : fichier ou dossier introuvable" in done.stderr
