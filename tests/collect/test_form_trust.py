"""A returned form is not trusted (issue 22, items 4 and 5): editing its hidden sheet cannot
unlock a past year nor pass one pair's values as another's; a bogus row of it is an error at
its cell; edits of locked cells, extra rows and merged cells are reported, never silently
ignored; a Kobo formula without a result is an error at its cell."""

from __future__ import annotations

import hashlib
import shutil

import openpyxl
import pytest
from collect_helpers import cli, cut_sample, fill_form

from maroc_eval.collect.form import form_name
from maroc_eval.collect.formmeta import LAYOUT_START, META_SHEET
from maroc_eval.collect.rules import question_name
from maroc_eval.core.validation import validate_inputs

PAIR = "jette-sidi-bibi"


def digest(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.endswith(".lock")}


def values(data):
    report = validate_inputs([data])
    return {(r.pair, r.indicator, int(r.year), r.dimension, r.category): r.value
            for r in report.observations.itertuples()}


@pytest.fixture
def world(tmp_path, truth):
    """Jette's form for 2011, filled with the sample's values."""
    data = cut_sample(tmp_path / "data", keep=())
    result = cli("formulaire", "--annees", "2011", "--partenariat", PAIR, "--partenariat",
                 "liege-tanger", "--donnees", data, "--sorties", tmp_path / "forms")
    assert result.exit_code == 0, result.stderr
    form = tmp_path / "forms" / form_name(PAIR, [2011])
    fill_form(form, truth)
    fill_form(tmp_path / "forms" / form_name("liege-tanger", [2011]), truth)
    return data, form


def row_of(ws, code, year):
    return next(r for r in range(5, ws.max_row + 1)
                if ws[f"A{r}"].value == code and ws[f"D{r}"].value == year)


def meta_rows(wb):
    ws = wb[META_SHEET]
    return ws, [r for r in range(LAYOUT_START, ws.max_row + 1)]


def refused(result, data, before, *fragments):
    assert result.exit_code == 2, result.stdout
    assert "Traceback" not in result.stderr and "ValueError" not in result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr
    assert "Rien n'a été fusionné" in result.stderr
    assert digest(data) == before


def test_extending_the_years_to_unlock_a_past_value_is_refused(world):
    """Hidden sheet: years 2011 → 2010,2011 and the 2010 rows marked as input rows (as the
    layout of such a form would say), then the locked 2010 value 1 → 777."""
    data, form = world
    before, known = digest(data), values(data)
    wb = openpyxl.load_workbook(form)
    ws = wb["RI1"]
    row = row_of(ws, "RI1.2", 2010)
    old = ws[f"E{row}"].value
    ws.protection.sheet = False
    ws[f"E{row}"] = 777
    meta, rows = meta_rows(wb)
    meta["B3"] = "2010,2011"
    layout_row = next(r for r in rows if meta[f"A{r}"].value == "RI1" and meta[f"B{r}"].value
                      == row)
    wb.save(form)
    result = cli("importer", form, "--donnees", data, "--appliquer", "--remplacer")
    refused(result, data, before, f"{form}, {META_SHEET}!G{layout_row}: erreur : valeur « 0 »",
            "feuille cachée modifiée")
    for r in rows:  # the forger also marks every 2010 row as an input row
        if meta[f"D{r}"].value == 2010:
            meta[f"G{r}"] = 1
    wb.save(form)
    result = cli("importer", form, "--donnees", data, "--appliquer", "--remplacer")
    refused(result, data, before, f"{form}, {META_SHEET}!B6: erreur : attendu : un formulaire "
            "produit avec ce dossier de données : sa signature ne correspond pas")
    assert values(data) == known and known[(PAIR, "RI1.2", 2010, "", "")] == old


def test_another_pairs_values_cannot_pass_as_this_pairs(world, tmp_path):
    data, _form = world
    before = digest(data)
    liege = tmp_path / "forms" / form_name("liege-tanger", [2011])
    forged = tmp_path / "forged.xlsx"
    shutil.copy(liege, forged)
    wb = openpyxl.load_workbook(forged)
    wb[META_SHEET]["B2"] = PAIR  # Liège's filled form, its hidden sheet saying Jette
    wb.save(forged)
    result = cli("importer", forged, "--donnees", data, "--appliquer")
    refused(result, data, before, f"{forged}, {META_SHEET}!B6: erreur",
            "sa signature ne correspond pas")
    assert "Reçu : " in result.stdout and "0 valeur lue" in result.stdout


def test_sheets_copied_from_another_pairs_form_are_refused(world, tmp_path):
    """Jette's hidden sheet kept, its RI 3 sheet replaced by Liège's (cell by cell)."""
    data, form = world
    before = digest(data)
    liege = openpyxl.load_workbook(tmp_path / "forms" / form_name("liege-tanger", [2011]))
    wb = openpyxl.load_workbook(form)
    for row in liege["RI3"].iter_rows():
        for cell in row:
            wb["RI3"][cell.coordinate].value = cell.value
    wb.save(form)
    result = cli("importer", form, "--donnees", data, "--appliquer")
    refused(result, data, before, f"{form}, RI3!A2: erreur : valeur « Liège – Tanger",
            "cette feuille vient d'un autre formulaire")


@pytest.mark.parametrize("cell, value, expected", [
    ("B{n}", "abc", "attendu : « "),
    ("D{n}", "deux mille onze", "attendu : « "),
    ("H{n}", "pas une empreinte", "l'empreinte de la ligne"),
    ("A{n}", None, "attendu : « RI1 »"),
    ("B3", "2011-2099", "hors période"),
    ("B5", "quatre", "attendu : 4"),
    ("A1", "formulaire maroc-eval 1", "demandez un nouveau formulaire"),
])
def test_a_bogus_cell_of_the_hidden_sheet_is_an_error_at_that_cell(world, cell, value,
                                                                   expected):
    data, form = world
    before = digest(data)
    wb = openpyxl.load_workbook(form)
    ref = cell.format(n=LAYOUT_START + 6)
    wb[META_SHEET][ref] = value
    wb.save(form)
    result = cli("importer", form, "--donnees", data, "--appliquer")
    refused(result, data, before, f"{form}, {META_SHEET}!{ref}: erreur", expected)


def test_a_form_from_another_data_folder_is_refused(world, tmp_path, truth):
    data, _form = world
    other = cut_sample(tmp_path / "autre", keep=())
    cli("formulaire", "--annees", "2011", "--partenariat", PAIR, "--donnees", other,
        "--sorties", tmp_path / "autres")
    form = tmp_path / "autres" / form_name(PAIR, [2011])
    fill_form(form, truth)
    before = digest(data)
    result = cli("importer", form, "--donnees", data, "--appliquer")
    refused(result, data, before, "autre dossier de données")
    fresh = cut_sample(tmp_path / "neuf", keep=())  # a folder that never made a form
    result = cli("importer", form, "--donnees", fresh, "--appliquer")
    assert result.exit_code == 2 and "il n'a encore produit aucun formulaire" in result.stderr


def test_locked_cells_extra_rows_and_merged_labels_are_reported_and_ignored(world, truth):
    data, form = world
    wb = openpyxl.load_workbook(form)
    ws = wb["RI1"]
    ws.protection.sheet = False
    past = row_of(ws, "RI1.2", 2010)
    ws[f"E{past}"] = 777  # a past year, locked
    ws[f"B{past}"] = "libellé corrigé par la commune"
    last = ws.max_row
    ws[f"A{last + 2}"] = "RI1.2"
    ws[f"E{last + 2}"] = 9  # a row added under the table
    ws[f"K{past}"] = "note en marge"
    ws.merge_cells(f"B{last - 1}:C{last - 1}")  # labels only
    wb.create_sheet("Notes")["A1"] = "à revoir"
    wb.save(form)
    result = cli("importer", form, "--donnees", data, "--appliquer")
    assert result.exit_code == 0, result.stderr
    err = result.stderr
    assert (f"{form}, RI1!E{past}: avertissement : valeur « 777 » — attendu : la valeur "
            "envoyée : 2010 est une année passée, verrouillée") in err
    assert f"{form}, RI1!B{past}: avertissement : valeur « libellé corrigé" in err
    assert f"{form}, RI1!A{last + 2}: avertissement" in err
    assert f"{form}, RI1!E{last + 2}: avertissement" in err
    assert f"{form}, RI1!K{past}: avertissement : valeur « note en marge »" in err
    assert f"{form}, RI1!B{last - 1}:C{last - 1}: avertissement" in err
    assert f"{form}, Notes!A1: avertissement" in err and "n'est pas lue" in err
    got = values(data)
    assert got[(PAIR, "RI1.2", 2010, "", "")] == truth[(PAIR, "RI1.2", 2010, "", "")]
    assert got[(PAIR, "RI1.2", 2011, "", "")] == truth[(PAIR, "RI1.2", 2011, "", "")]


def test_a_merged_input_cell_and_a_formula_without_result_are_errors(world):
    data, form = world
    before = digest(data)
    wb = openpyxl.load_workbook(form)
    ws = wb["RI3"]
    ws.protection.sheet = False
    a = row_of(ws, "RI3.3", 2011)
    ws.merge_cells(f"E{a}:E{a + 1}")
    b = row_of(ws, "RI3.5", 2011)
    ws[f"I{b}"] = '=CONCATENATE("vu ", "le PV")'  # no cached result: openpyxl computes none
    wb.save(form)
    result = cli("importer", form, "--donnees", data, "--appliquer")
    refused(result, data, before,
            f"{form}, RI3!E{a}:E{a + 1}: erreur : attendu : une valeur par cellule",
            f"{form}, RI3!I{b}: erreur : valeur « =CONCATENATE(",
            "n'a pas de résultat enregistré")


def test_unknown_value_advice_fits_a_form(world):
    data, form = world
    wb = openpyxl.load_workbook(form)
    ws = wb["RI3"]
    row = row_of(ws, "RI3.3", 2011)
    ws[f"E{row}"] = "n.d."
    wb.save(form)
    result = cli("importer", form, "--donnees", data)
    assert result.exit_code == 2
    line = next(x for x in result.stderr.splitlines() if f"RI3!E{row}" in x)
    assert "laissez la cellule vide" in line and "supprimez la ligne" not in line


def test_a_kobo_formula_without_result_is_an_error_at_its_cell(tmp_path, truth):
    data = cut_sample(tmp_path / "data", keep=())
    names = [question_name("RI3.3", 2011), question_name("RI3.5", 2011)]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "export"
    ws.append(["partenariat", *names])
    ws.append([PAIR, truth[(PAIR, "RI3.3", 2011, "", "")], "=B2*1"])
    wb.save(tmp_path / "kobo.xlsx")
    before = digest(data)
    result = cli("importer", tmp_path / "kobo.xlsx", "--donnees", data, "--appliquer")
    refused(result, data, before, "kobo.xlsx, export!C2: erreur : valeur « =B2*1 »",
            "n'a pas de résultat enregistré")


def test_a_swollen_form_is_refused_before_it_is_opened_whole(world):
    """A sheet of 5 MB added to a form: refused from the sizes the archive declares (text that
    compresses like real text: a repeated letter would be refused as a decompression bomb)."""
    import random
    import string

    data, form = world
    before = digest(data)
    wb = openpyxl.load_workbook(form)
    ws = wb.create_sheet("Annexe")
    letters = random.Random(2007)
    for row in range(1, 201):
        ws.cell(row=row, column=1, value="".join(letters.choices(string.ascii_letters, k=25_000)))
    wb.save(form)
    result = cli("importer", form, "--donnees", data, "--appliquer")
    refused(result, data, before, f"{form}: erreur : attendu : un formulaire ou un export Kobo "
            "de 4 Mo au plus une fois décompressé (celui-ci en déclare 5 Mo")


def test_thousands_of_cells_typed_outside_the_form_print_a_few_lines(world):
    data, form = world
    wb = openpyxl.load_workbook(form)
    ws = wb["RI2"]
    for row in range(1, 101):
        for column in range(11, 41):
            ws.cell(row=row, column=column, value="x")
    wb.save(form)
    result = cli("importer", form, "--donnees", data)
    assert result.exit_code == 0, result.stderr
    lines = [x for x in result.stderr.splitlines() if "RI2" in x]
    assert len(lines) == 21
    assert lines[-1] == (f"{form}, RI2: avertissement : attendu : … et 2980 autres cellules : "
                         "rien hors des lignes et colonnes du formulaire (contenu ignoré : "
                         "écrivez-le dans « Commentaire »)")
