"""The data-entry workbook: layout, reference years locked, input cells open and validated."""

from __future__ import annotations

import openpyxl
import pytest
from collect_helpers import cli, cut_sample

from maroc_eval.collect.form import META_SHEET, form_name
from maroc_eval.collect.rules import parse_years, rule_of

PAIR = "forest-jerada"


@pytest.fixture(scope="module")
def form(tmp_path_factory):
    """The form of Forest–Jérada for 2011-2012, from the sample cut at 2010."""
    tmp = tmp_path_factory.mktemp("form")
    data = cut_sample(tmp / "data")
    result = cli("formulaire", "--annees", "2011-2012", "--partenariat", PAIR, "--donnees",
                 data, "--sorties", tmp / "forms", "--echeance", "15 mars 2012",
                 "--contact", "Mme Alaoui, alaoui@example.org")
    assert result.exit_code == 0, result.stderr
    path = tmp / "forms" / form_name(PAIR, [2011, 2012])
    assert str(path) in result.stdout
    return openpyxl.load_workbook(path)


def rows_of(ws, code):
    return {(ws[f"C{r}"].value, ws[f"D{r}"].value): r for r in range(5, ws.max_row + 1)
            if ws[f"A{r}"].value == code}


def validation_of(ws, ref):
    found = [dv for dv in ws.data_validations.dataValidation if ref in dv.sqref]
    assert len(found) == 1, ref
    return found[0]


def test_sheets_in_order_with_the_machinery_hidden(form):
    assert form.sheetnames == ["Instructions", "RI1", "RI2", "RI3", "RI4", "RI5", "RI7",
                               "listes", META_SHEET]
    assert form["listes"].sheet_state == form[META_SHEET].sheet_state == "hidden"
    assert all(form[s].sheet_state == "visible" for s in form.sheetnames[:7])


def test_instructions_say_who_when_whom_and_each_indicator(form, programme):
    text = "\n".join(str(v) for row in form["Instructions"].iter_rows(values_only=True)
                     for v in row if v)
    assert "Forest – Jérada" in text and "2011 et 2012" in text
    assert "Date limite de retour : 15 mars 2012" in text
    assert "Contact : Mme Alaoui, alaoui@example.org" in text
    codes = [row[0] for row in form["Instructions"].iter_rows(values_only=True)]
    assert [c for c in codes if c and c.startswith("RI") and "." in c] == \
        [i.code for i in programme.indicators]
    assert "le flux de l'année" in text  # what a cumulative indicator's yearly value is


def test_one_row_per_indicator_year_and_disaggregation(form, programme):
    ws = form["RI3"]
    rows = rows_of(ws, "RI3.1")
    assert sorted(rows) == sorted((f"{label} (sexe={c})", y)
                                  for c, label in (("F", "Femmes"), ("H", "Hommes"))
                                  for y in range(2007, 2013))
    assert set(rows_of(ws, "RI3.2")) == {(None, y) for y in range(2007, 2013)}
    assert ws["F5"].value == "agents"  # the unit beside the value


def test_reference_years_prefilled_and_locked_input_years_open(form, truth):
    ws = form["RI3"]
    rows = rows_of(ws, "RI3.2")
    for year in range(2007, 2011):
        cell = ws[f"E{rows[(None, year)]}"]
        assert cell.value == truth[(PAIR, "RI3.2", year, "", "")]
        assert cell.protection.locked
    for year in (2011, 2012):
        row = rows[(None, year)]
        assert ws[f"E{row}"].value is None  # not in the cut data folder
        for col in "EHI":
            assert not ws[f"{col}{row}"].protection.locked
        for col in "ABCDFG":
            assert ws[f"{col}{row}"].protection.locked
    assert ws.protection.sheet and not ws.protection.password
    assert form["Instructions"].protection.sheet


@pytest.mark.parametrize("sheet, code, kind, operator, bounds", [
    ("RI3", "RI3.2", "decimal", "greaterThanOrEqual", ("0", None)),   # jours: decimals
    ("RI3", "RI3.3", "decimal", "between", ("0", "100")),             # score /100
    ("RI1", "RI1.2", "decimal", "greaterThanOrEqual", ("0", None)),   # ETP
    ("RI1", "RI1.3", "decimal", "between", ("0", "100")),             # %
    ("RI2", "RI2.2", "whole", "greaterThanOrEqual", ("0", None)),     # projets
    ("RI7", "RI7.2", "whole", "greaterThanOrEqual", ("0", None)),     # réunions/an
])
def test_number_cells_validated_as_validate_accepts(form, sheet, code, kind, operator, bounds):
    ws = form[sheet]
    for key, row in rows_of(ws, code).items():
        if key[1] < 2011:
            assert not [dv for dv in ws.data_validations.dataValidation
                        if f"E{row}" in dv.sqref]
            continue
        dv = validation_of(ws, f"E{row}")
        assert (dv.type, dv.operator, dv.formula1, dv.formula2) == (kind, operator, *bounds)
        assert dv.showErrorMessage and dv.allow_blank


def test_lists_for_yes_no_and_stages_with_their_labels(form, programme):
    ws = form["RI1"]
    row = rows_of(ws, "RI1.1")[(None, 2011)]
    dv = validation_of(ws, f"E{row}")
    assert dv.type == "list"
    sheet, cells = dv.formula1.split("!")
    first, last = (c.replace("$", "") for c in cells.split(":"))
    listed = [c.value for r in form[sheet][first:last] for c in r]
    assert listed == [f"{k} — {v}" for k, v in programme.indicator_map["RI1.1"].levels.items()]
    assert ws[f"E{rows_of(ws, 'RI1.1')[(None, 2010)]}"].value in listed  # shown as its label
    ws = form["RI2"]
    dv = validation_of(ws, f"E{rows_of(ws, 'RI2.1')[(None, 2012)]}")
    sheet, cells = dv.formula1.split("!")
    first, last = (c.replace("$", "") for c in cells.split(":"))
    assert [c.value for r in form[sheet][first:last] for c in r] == ["oui", "non"]


def test_rules_follow_the_programme(programme):
    kinds = {i.code: rule_of(i).kind for i in programme.indicators}
    assert kinds["RI3.1"] == "entier" and kinds["RI4.3"] == "decimal"
    assert kinds["RI2.1"] == kinds["RI1.1"] == "liste"


@pytest.mark.parametrize("text, years", [
    ("2011-2012", [2011, 2012]), ("2011", [2011]), ("2012,2010", [2010, 2012]),
    ("2007 – 2008", [2007, 2008]),
])
def test_years_read(programme, text, years):
    assert parse_years(text, programme) == years


def test_bad_years_refused_before_anything_is_written(tmp_path):
    result = cli("formulaire", "--annees", "2011-2014", "--sorties", tmp_path / "f")
    assert result.exit_code == 2
    assert "hors période : 2013, 2014" in result.stderr
    result = cli("formulaire", "--annees", "2011", "--partenariat", "forest-jerda",
                 "--sorties", tmp_path / "f")
    assert result.exit_code == 2 and "vouliez-vous dire « forest-jerada »" in result.stderr
    result = cli("formulaire", "--sorties", tmp_path / "f")
    assert result.exit_code == 2 and "Option manquante : --annees" in result.stderr
    assert not (tmp_path / "f").exists()
    result = cli("importer")
    assert result.exit_code == 2 and "Argument manquant : au moins un fichier" in result.stderr
