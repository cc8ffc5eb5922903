"""Reading back received files: damaged forms, long-format files, conflicts, disappearances."""

from __future__ import annotations

import openpyxl
import pytest
from collect_helpers import cli, cut_sample, fill_form, imported

from maroc_eval.base.errors import ProblemList
from maroc_eval.collect.form import META_SHEET, form_name
from maroc_eval.collect.received import FORM, LONG, read_received
from maroc_eval.core.validation import validate_inputs

PAIR = "jette-sidi-bibi"


@pytest.fixture
def world(tmp_path):
    data = cut_sample(tmp_path / "data", keep=())
    result = cli("formulaire", "--annees", "2011", "--partenariat", PAIR, "--donnees", data,
                 "--sorties", tmp_path / "forms")
    assert result.exit_code == 0, result.stderr
    return data, tmp_path / "forms" / form_name(PAIR, [2011])


def cell_of(path, code, year, sheet=None):
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet or code.split(".")[0]]
    row = next(r for r in range(5, ws.max_row + 1)
               if ws[f"A{r}"].value == code and ws[f"D{r}"].value == year)
    return wb, ws, row


def test_a_form_reads_back_its_values(world, programme, truth):
    data, form = world
    fill_form(form, truth)
    problems = ProblemList()
    got = read_received(form, programme, problems, data)
    assert not problems.items
    assert (got.kind, got.pair, got.scope) == (FORM, PAIR, {(PAIR, 2011)})
    values = {(r.pair, r.indicator, r.year, r.dimension, r.category): r.value
              for r in got.rows.itertuples()}
    assert values == {k: v for k, v in truth.items() if k[0] == PAIR and k[2] == 2011}
    stage = got.rows[got.rows["indicator"] == "RI1.1"]["value"].item()
    assert stage == truth[(PAIR, "RI1.1", 2011, "", "")]  # « 2 — service créé » read as 2


def test_a_formula_without_result_and_a_moved_row_are_refused(world, programme):
    data, form = world
    wb, ws, row = cell_of(form, "RI3.2", 2011)
    ws[f"E{row}"] = "=3+4"
    ws2 = wb["RI7"]
    row2 = next(r for r in range(5, ws2.max_row + 1) if ws2[f"D{r}"].value == 2011)
    ws2[f"A{row2}"] = "RI7.9"
    wb.save(form)
    problems = ProblemList()
    read_received(form, programme, problems, data)
    lines = [p.format() for p in problems.items]
    assert any(line.startswith(f"{form}, RI3!E{row}: erreur : valeur « =3+4 »")
               and "formule" in line for line in lines)
    assert any(line.startswith(f"{form}, RI7!A{row2}: erreur : valeur « RI7.9 »")
               and "ligne déplacée" in line for line in lines)
    assert len(lines) == 2


def test_a_form_whose_machinery_was_changed_is_refused(world, programme):
    data, form = world
    wb = openpyxl.load_workbook(form)
    wb[META_SHEET]["B2"] = "tanger"
    wb.save(form)
    result = cli("importer", form, "--donnees", data)
    assert result.exit_code == 2
    assert (f"{form}, {META_SHEET}!B2: erreur : valeur « tanger » — attendu : un partenariat "
            "du programme") in result.stderr


def test_a_partial_long_file_shows_its_one_error_only(world, tmp_path):
    data, _ = world
    path = tmp_path / "sidi-bibi.csv"
    path.write_text("partenariat;indicateur;annee;valeur\n"
                    f"{PAIR};RI3.3;2011;61,5\n{PAIR};RI3.5;2011;130\n", "cp1252")
    result = cli("importer", path, "--donnees", data)
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if ": erreur :" in line
              or ": avertissement :" in line]
    assert errors == [f"{path}:3:valeur: erreur : valeur « 130 » — attendu : un pourcentage "
                      "entre 0 et 100"]


def test_conflicts_between_files_are_not_merged(world, tmp_path, programme):
    data, _ = world
    one, two = tmp_path / "a.csv", tmp_path / "b.csv"
    one.write_text(f"partenariat,indicateur,annee,valeur\n{PAIR},RI3.3,2011,61\n"
                   f"{PAIR},RI3.5,2011,40\n", "utf-8")
    two.write_text(f"partenariat,indicateur,annee,valeur\n{PAIR},RI3.3,2011,62\n", "utf-8")
    result = cli("importer", one, two, "--donnees", data, "--appliquer")
    assert result.exit_code == 0, result.stderr
    assert "Conflits entre fichiers reçus (non fusionnés) : 1" in result.stdout
    assert f"{PAIR} · RI3.3 · 2011 : 61 [" in result.stdout and " ≠ 62 [" in result.stdout
    merged = imported(data)
    assert f"{PAIR},RI3.5,2011,40," in merged and "RI3.3" not in merged
    problems = ProblemList()
    assert read_received(one, programme, problems).kind == LONG


def test_an_erased_value_is_listed_and_kept(world, truth):
    data, form = world
    fill_form(form, truth)
    applied = cli("importer", form, "--donnees", data, "--appliquer")
    assert applied.exit_code == 0, applied.stderr
    fresh = data.parent / "fresh"
    cli("formulaire", "--annees", "2011", "--partenariat", PAIR, "--donnees", data,
        "--sorties", fresh)
    again = fresh / form.name
    wb, ws, row = cell_of(again, "RI2.2", 2011)
    assert ws[f"E{row}"].value == truth[(PAIR, "RI2.2", 2011, "", "")]  # known now
    ws[f"E{row}"] = None
    wb.save(again)
    result = cli("importer", again, "--donnees", data, "--appliquer")
    assert "Valeurs disparues (absentes du fichier reçu, gardées dans les données) : 1" \
        in result.stdout
    value = truth[(PAIR, "RI2.2", 2011, "", "")]
    assert f"{PAIR} · RI2.2 · 2011 : {value:g}" in result.stdout
    assert "Rien à fusionner" in result.stdout
    assert f"{PAIR},RI2.2,2011,{value:g}," in imported(data)


def test_a_value_held_in_a_workbook_of_the_data_folder_is_replaced_without_rewriting_it(
        tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    wb = openpyxl.Workbook()
    wb.active.title = "suivi"
    wb.active.append(["partenariat", "indicateur", "annee", "valeur"])
    wb.active.append([PAIR, "RI3.3", 2011, 60])
    wb.save(data / "sidi-bibi.xlsx")
    sent = tmp_path / "recu.csv"
    sent.write_text(f"partenariat,indicateur,annee,valeur\n{PAIR},RI3.3,2011,65\n"
                    f"{PAIR},RI3.5,2011,40\n", "utf-8")
    before = (data / "sidi-bibi.xlsx").read_bytes()
    result = cli("importer", sent, "--donnees", data, "--appliquer", "--remplacer",
                 "--recu-le", "2012-03-15")
    assert result.exit_code == 0, result.stderr
    assert "Fusionné : 2 valeurs" in result.stdout
    assert (data / "sidi-bibi.xlsx").read_bytes() == before  # raw data stay as they came
    assert f"{PAIR},RI3.3,2011,65,,,,fichier reçu le 2012-03-15 " \
        "(recus/2012-03-15-jette-sidi-bibi-recu.csv),sidi-bibi.xlsx:2=60" in imported(data)
    report = validate_inputs([data])
    assert report.exit_status == 0
    assert sorted(report.observations["value"]) == [40.0, 65.0]
