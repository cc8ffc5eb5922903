"""Tests of the monitoring-data reader: CSV dialects, XLSX, and every row-level problem."""

from __future__ import annotations

import datetime as dt
import zipfile

import openpyxl
import pandas as pd
import pytest

from maroc_eval.base.errors import InputError
from maroc_eval.core import sheets
from maroc_eval.core.cells import parse_number
from maroc_eval.core.observations import COLUMNS, load_observations, read_observations

HEADER = "partenariat,indicateur,annee,valeur,ventilation,source,commentaire"
GOOD = "jette-sidi-bibi,RI1.3,2007,10,,,"

# A small table, then the same table as a French-locale Excel export would write it.
UTF8_TABLE = (
    "# Données fictives pour les tests\n"
    f"{HEADER}\n"
    "jette-sidi-bibi,RI1.3,2007,12.5,,Rapport annuel,\n"
    "jette-sidi-bibi,RI3.1,2007,2,sexe=F,Registre,Élus sensibilisés\n"
    "jette-sidi-bibi,RI3.1,2007,3,sexe=H,Registre,\n"
    "forest-jerada,RI4.2,2008,1234.5,,Compte administratif,Fréquentation « été »\n"
    "forest-jerada,RI2.1,2007,0,,PV,\n"
)
FRENCH_TABLE = (
    "# Données fictives – export Excel (français)\n"
    "partenariat;indicateur;année;valeur;ventilation;source;commentaire\n"
    "jette-sidi-bibi;RI1.3;2007;12,5;;Rapport annuel;\n"
    "jette-sidi-bibi;RI3.1;2007;2;sexe=F;Registre;Élus sensibilisés\n"
    "jette-sidi-bibi;RI3.1;2007;3;sexe=H;Registre;\n"
    "forest-jerada;RI4.2;2008;1\u00a0234,5;;Compte administratif;Fréquentation « été »\n"
    "forest-jerada;RI2.1;2007;non;;PV;\n"
)


def expected_table() -> pd.DataFrame:
    """The small table as the loader must return it, written out by hand (sorted)."""
    rows = [
        ["forest-jerada", "RI2.1", 2007, 0.0, "", "", "PV", "", 7],
        ["forest-jerada", "RI4.2", 2008, 1234.5, "", "", "Compte administratif",
         "Fréquentation « été »", 6],
        ["jette-sidi-bibi", "RI1.3", 2007, 12.5, "", "", "Rapport annuel", "", 3],
        ["jette-sidi-bibi", "RI3.1", 2007, 2.0, "sexe", "F", "Registre", "Élus sensibilisés", 4],
        ["jette-sidi-bibi", "RI3.1", 2007, 3.0, "sexe", "H", "Registre", "", 5],
    ]
    frame = pd.DataFrame([[*r[:8], "x", r[8]] for r in rows], columns=COLUMNS)
    return frame.astype({"year": "int64", "value": "float64", "line": "int64"})


def _same(actual: pd.DataFrame, expected: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(actual.drop(columns="file"), expected.drop(columns="file"),
                                  check_dtype=False)
    assert actual["year"].dtype == "int64" and actual["value"].dtype == "float64"


@pytest.mark.parametrize(("text", "encoding"), [
    (UTF8_TABLE, "utf-8"),
    (UTF8_TABLE, "utf-8-sig"),
    (FRENCH_TABLE, "cp1252"),
    (FRENCH_TABLE, "utf-8-sig"),
    (FRENCH_TABLE.replace("\n", "\r\n"), "cp1252"),
])
def test_csv_dialects_load_the_same_table(programme, write_file, text, encoding):
    path = write_file("suivi.csv", text, encoding)
    df = load_observations([path], programme)
    _same(df, expected_table())
    assert set(df["file"]) == {str(path)}


def test_forced_encoding_and_separator(programme, write_file):
    path = write_file("suivi.csv", FRENCH_TABLE, "cp1252")
    _same(load_observations([path], programme, encoding="cp1252", separator=";"), expected_table())
    with pytest.raises(InputError) as info:
        load_observations([path], programme, separator=",")
    assert {p.kind for p in info.value.problems} >= {"unknown-column", "missing-column"}


def test_excel_sep_line_is_honoured(programme, write_file):
    text = FRENCH_TABLE.replace("# Données fictives – export Excel (français)\n", "sep=;\n")
    _same(load_observations([write_file("s.csv", text)], programme), expected_table())


def test_english_header_aliases(programme, write_file):
    text = UTF8_TABLE.replace(HEADER, "Pair,INDICATOR,Year,Value,Disaggregation,Source,Comment")
    _same(load_observations([write_file("s.csv", text)], programme), expected_table())


@pytest.mark.parametrize(("text", "number"), [
    ("12", (12.0, False)), ("12,5", (12.5, False)), ("12.5", (12.5, False)),
    ("1 234,5", (1234.5, False)), ("1\u00a0234,5", (1234.5, False)),
    ("1\u202f234", (1234.0, False)), ("1.234,5", (1234.5, False)), ("1,234.5", (1234.5, False)),
    ("1.234.567", (1234567.0, False)), ("45%", (45.0, True)), ("45 %", (45.0, True)),
    ("-3", (-3.0, False)), ("1E+05", (100000.0, False)),
    ("n.d.", None), ("NA", None), ("-", None), ("?", None), ("xx", None), ("12 5", None),
])
def test_parse_number(text, number):
    assert parse_number(text) == number


def _problems(programme, write_file, rows, *, encoding="utf-8", sep=","):
    text = "\n".join([HEADER, *rows]).replace(",", sep) + "\n"
    path = write_file("suivi.csv", text, encoding)
    return path, read_observations([path], programme)[1]


DIALECTS = [("utf-8", ","), ("cp1252", ";"), ("utf-8-sig", ";")]

# (bad row, kind, column); the bad row is line 3 (header line 1, a good row line 2).
ROW_ERRORS = [
    ("jete-sidi-bibi,RI1.3,2008,10,,,", "unknown-pair", "partenariat"),
    ("../jette,RI1.3,2008,10,,,", "unsafe-pair", "partenariat"),
    ("a\\b,RI1.3,2008,10,,,", "unsafe-pair", "partenariat"),
    (",RI1.3,2008,10,,,", "missing-pair", "partenariat"),
    ("jette-sidi-bibi,RI1.9,2008,10,,,", "unknown-indicator", "indicateur"),
    ("jette-sidi-bibi,RI3.1,2008,2,sexe=X,,", "unknown-category", "ventilation"),
    ("jette-sidi-bibi,RI3.1,2008,2,age=F,,", "unknown-dimension", "ventilation"),
    ("jette-sidi-bibi,RI1.3,2008,2,sexe=F,,", "wrong-dimension", "ventilation"),
    ("jette-sidi-bibi,RI7.1,2008,2,sexe=F,,", "wrong-dimension", "ventilation"),
    ("jette-sidi-bibi,RI3.1,2008,2,sexe,,", "bad-disaggregation", "ventilation"),
    ("jette-sidi-bibi,RI1.3,2008,101,,,", "out-of-range", "valeur"),
    ("jette-sidi-bibi,RI1.3,2008,-5,,,", "out-of-range", "valeur"),
    ("jette-sidi-bibi,RI1.1,2008,5,,,", "out-of-range", "valeur"),
    ("jette-sidi-bibi,RI1.1,2008,2.5,,,", "out-of-range", "valeur"),
    ("jette-sidi-bibi,RI2.1,2008,peut-être,,,", "out-of-range", "valeur"),
    ("jette-sidi-bibi,RI2.1,2008,2,,,", "out-of-range", "valeur"),
    ("jette-sidi-bibi,RI1.2,2008,-1,,,", "out-of-range", "valeur"),
    ("jette-sidi-bibi,RI3.3,2008,120,,,", "out-of-range", "valeur"),
    ("jette-sidi-bibi,RI1.2,2008,45%,,,", "percent-sign", "valeur"),
    ("jette-sidi-bibi,RI1.3,2013,10,,,", "year-out-of-range", "annee"),
    ("jette-sidi-bibi,RI1.3,2006,10,,,", "year-out-of-range", "annee"),
    ("jette-sidi-bibi,RI1.3,2009-01-01,10,,,", "date-year", "annee"),
    ("jette-sidi-bibi,RI1.3,01/01/2009,10,,,", "date-year", "annee"),
    ("jette-sidi-bibi,RI1.3,deux mille,10,,,", "bad-year", "annee"),
    ("jette-sidi-bibi,RI1.3,2008,n.d.,,,", "not-numeric", "valeur"),
    ("jette-sidi-bibi,RI1.3,2008,NA,,,", "not-numeric", "valeur"),
    ("jette-sidi-bibi,RI1.3,2008,-,,,", "not-numeric", "valeur"),
    ("jette-sidi-bibi,RI1.3,2008,?,,,", "not-numeric", "valeur"),
    ("jette-sidi-bibi,RI1.3,2008,xx,,,", "not-numeric", "valeur"),
    ("jette-sidi-bibi,RI1.3,2008,,,,", "missing-value", "valeur"),
]


@pytest.mark.parametrize(("encoding", "sep"), DIALECTS)
@pytest.mark.parametrize(("row", "kind", "column"), ROW_ERRORS)
def test_row_error_names_file_line_column(programme, write_file, encoding, sep, row, kind, column):
    path, problems = _problems(programme, write_file, [GOOD, row], encoding=encoding, sep=sep)
    [error] = problems.errors
    assert (error.kind, error.line, error.column, error.file) == (kind, 3, column, str(path))
    assert error.format().startswith(f"{path}:3:{column}: erreur : ")


def test_unknown_codes_come_with_a_suggestion(programme, write_file):
    _, problems = _problems(programme, write_file, [GOOD, "jete-sidi-bibi,RI1.3,2008,10,,,"])
    assert "vouliez-vous dire « jette-sidi-bibi »" in problems.errors[0].expected


def test_empty_value_message(programme, write_file):
    _, problems = _problems(programme, write_file, [GOOD, "jette-sidi-bibi,RI1.3,2008,,,,"])
    assert "supprimez la ligne si la donnée n'existe pas" in problems.errors[0].expected


def test_every_problem_of_every_file_is_raised(programme, write_file, tmp_path):
    a = write_file("a.csv", f"{HEADER}\nxx,RI1.3,2007,1,,,\njette-sidi-bibi,RI1.3,2099,n.d.,,,\n")
    b = tmp_path / "b.csv"
    b.write_text(f"{HEADER}\njette-sidi-bibi,RI9.9,2007,1,,,\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_observations([a, b], programme)
    found = {(p.file, p.line, p.column) for p in info.value.problems if p.is_error}
    assert found == {(str(a), 2, "partenariat"), (str(a), 3, "annee"), (str(a), 3, "valeur"),
                     (str(b), 2, "indicateur")}


@pytest.mark.parametrize("value", ["45%", "45 %", "45\u00a0%"])
def test_percent_sign_is_a_warning_and_read_as_number(programme, write_file, value):
    path = write_file("s.csv", f"{HEADER}\njette-sidi-bibi,RI1.3,2007,{value},,,\n")
    df, problems = read_observations([path], programme)
    [warning] = [p for p in problems.items if p.kind == "percent-sign"]
    assert (warning.severity, warning.line, warning.column) == ("avertissement", 2, "valeur")
    assert df["value"].tolist() == [45.0]


def test_yes_no_spellings(programme, write_file):
    spellings = {"oui": 1, "Non": 0, "yes": 1, "no": 0, "vrai": 1, "faux": 0, "1": 1, "0": 0,
                 "O": 1, "n": 0}
    rows = [f"jette-sidi-bibi,RI2.1,{2007 + i % 6},{s},,,"
            for i, s in enumerate(spellings)]
    paths = []
    for i in range(0, len(rows), 5):
        paths.append(write_file(f"s{i}.csv", "\n".join([HEADER, *rows[i:i + 5]]) + "\n"))
    df = pd.concat([load_observations([p], programme) for p in paths])
    assert sorted(df["value"].tolist()) == sorted(float(v) for v in spellings.values())


def test_short_row_from_mixed_separators(programme, write_file):
    text = (HEADER.replace(",", ";")
            + "\njette-sidi-bibi;RI1.3;2007;10;;;\njette-sidi-bibi,RI1.3,2008,11\n")
    _, problems = read_observations([write_file("s.csv", text)], programme)
    [error] = problems.errors
    assert (error.kind, error.line) == ("short-row", 3)


def test_mixed_utf8_and_cp1252_bytes_is_an_encoding_error(programme, write_file):
    data = (f"{HEADER}\njette-sidi-bibi,RI1.3,2007,10,,,Élus\n".encode()
            + "jette-sidi-bibi,RI1.3,2008,11,,,Réunion\n".encode("cp1252"))
    path = write_file("s.csv", data)
    _, problems = read_observations([path], programme)
    [error] = problems.errors
    assert (error.kind, error.line, error.column) == ("encoding", 3, "commentaire")


def test_pure_cp1252_is_decoded(programme, write_file):
    path = write_file("s.csv", f"{HEADER}\njette-sidi-bibi,RI1.3,2007,10,,,Réunion été\n", "cp1252")
    assert load_observations([path], programme)["comment"].tolist() == ["Réunion été"]


@pytest.mark.parametrize(("content", "kind"), [
    (b"", "empty-file"),
    (b"\n\n  \n", "empty-file"),
    (b"# seulement un commentaire\n", "empty-file"),
    (HEADER.encode() + b"\n", "no-data"),
    (bytes(range(256)) * 10, "binary"),
    (b"PK\x03\x04" + b"\x00" * 100, "binary"),
    (b"partenariat indicateur annee valeur\nx y 2007 1\n", "separator"),
    ((HEADER + "\njette-sidi-bibi,RI1.3,2007,10,,\"non fermé\n").encode(), "csv-syntax"),
])
def test_unusable_csv_files(programme, write_file, content, kind):
    _, problems = read_observations([write_file("s.csv", content)], programme)
    assert kind in {p.kind for p in problems.errors}


def test_header_problems(programme, write_file):
    text = "partenariat,indicator,annee,valeurs,commentaire\njette-sidi-bibi,RI1.3,2007,10,\n"
    _, problems = read_observations([write_file("s.csv", text)], programme)
    kinds = {(p.kind, p.column) for p in problems.errors}
    assert kinds == {("unknown-column", "valeurs"), ("missing-column", "valeur")}
    unknown = next(p for p in problems.errors if p.kind == "unknown-column")
    assert "partenariat, indicateur, annee, valeur" in unknown.expected


def test_too_large_file_is_refused_before_reading(programme, write_file, monkeypatch):
    monkeypatch.setattr(sheets, "MAX_BYTES", 100)
    path = write_file("s.csv", UTF8_TABLE)
    _, problems = read_observations([path], programme)
    assert [p.kind for p in problems.errors] == ["too-large"]


def test_identical_duplicate_is_warned_and_kept_once(programme, write_file):
    path = write_file("s.csv", f"{HEADER}\n{GOOD}\n{GOOD}\n")
    df, problems = read_observations([path], programme)
    [dup] = [p for p in problems.items if p.kind == "duplicate"]
    assert (dup.severity, dup.line) == ("avertissement", 3)
    assert "ligne 2" in dup.expected
    assert len(df) == 1


def test_disagreeing_duplicates_are_an_error_naming_both_lines(programme, write_file):
    path = write_file("s.csv", f"{HEADER}\n{GOOD}\njette-sidi-bibi,RI1.3,2008,20,,,\n"
                      "jette-sidi-bibi,RI1.3,2007,11,,,\n")
    _, problems = read_observations([path], programme)
    [dup] = problems.errors
    assert (dup.kind, dup.line) == ("duplicate", 4)
    assert f"{path} ligne 2" in dup.expected


def test_percent_written_as_share_is_questioned(programme, write_file):
    rows = ["jette-sidi-bibi,RI1.3,2007,10,,,", "jette-sidi-bibi,RI1.3,2008,0,45,,"]
    text = "\n".join([HEADER.replace(",", ";"), *(r.replace(",", ";") for r in rows)])
    text = text.replace(";0;45;", ";0,45;") + "\njette-sidi-bibi;RI1.3;2009;60;;;\n"
    df, problems = read_observations([write_file("s.csv", text)], programme)
    [warning] = [p for p in problems.items if p.kind == "percent-scale"]
    assert (warning.line, warning.value) == (3, "0,45")
    assert "s'agit-il de 45 % ?" in warning.expected
    assert 0.45 in df["value"].tolist()  # never rescaled silently


def test_missing_baseline_and_years_are_warnings(programme, write_file):
    path = write_file("s.csv", f"{HEADER}\njette-sidi-bibi,RI1.2,2008,1,,,\n"
                      "jette-sidi-bibi,RI1.2,2011,2,,,\n")
    df, problems = read_observations([path], programme)
    kinds = {p.kind: p for p in problems.items}
    assert not problems.errors and len(df) == 2
    # no line of their own: the series' first row, the row after which 2009 belongs
    assert (kinds["missing-baseline"].line, kinds["missing-baseline"].column) == (2, "annee")
    assert kinds["missing-years"].line == 2
    assert kinds["missing-years"].expected.endswith(" : 2009, 2010 manquent")


def test_one_missing_year_is_said_in_the_singular_at_the_row_before_it(programme, write_file):
    path = write_file("s.csv", f"{HEADER}\njette-sidi-bibi,RI1.2,2007,1,,,\n"
                      "jette-sidi-bibi,RI1.2,2009,2,,,\njette-sidi-bibi,RI1.2,2008,2,,,\n"
                      "jette-sidi-bibi,RI1.2,2011,2,,,\n")
    _df, problems = read_observations([path], programme)
    [warning] = [p for p in problems.items if p.kind == "missing-years"]
    assert warning.line == 3  # the 2009 row: 2010 belongs after it
    assert warning.expected.endswith("jusqu'à 2011 : 2010 manque")


def test_category_rows_count_for_the_baseline(programme, write_file):
    path = write_file("s.csv", f"{HEADER}\njette-sidi-bibi,RI3.1,2007,1,sexe=F,,\n"
                      "jette-sidi-bibi,RI3.1,2008,1,sexe=H,,\n")
    assert read_observations([path], programme)[1].items == []


# -- XLSX ----------------------------------------------------------------------------------------
def _workbook(rows, title="Feuil1"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    ws.append(HEADER.split(","))
    for row in rows:
        ws.append(row)
    return wb, ws


def test_xlsx_loads_like_the_csv(programme, tmp_path):
    wb, ws = _workbook([])
    ws.delete_rows(1)
    ws.append(["Données fictives"])  # a title row above the header
    ws.append(["partenariat", "indicateur", "Année", "valeur", "ventilation", "source",
               "commentaire"])
    ws.append(["jette-sidi-bibi", "RI1.3", 2007, 12.5, None, "Rapport annuel"])
    ws.append(["jette-sidi-bibi", "RI3.1", 2007.0, 2, "sexe=F", "Registre", "Élus sensibilisés"])
    ws.append(["jette-sidi-bibi", "RI3.1", "2007", "3", "sexe=H", "Registre"])
    ws.append(["forest-jerada", "RI4.2", 2008, "1 234,5", None, "Compte administratif",
               "Fréquentation « été »"])
    ws.append(["forest-jerada", "RI2.1", 2007, "non", None, "PV"])
    path = tmp_path / "suivi.xlsx"
    wb.save(path)
    with pytest.raises(InputError):  # the title row is not a header
        load_observations([path], programme)
    ws.delete_rows(1)
    wb.save(path)
    expected = expected_table()
    expected["line"] -= 1
    _same(load_observations([path], programme), expected)


def test_xlsx_sheet_named_suivi_is_preferred(programme, tmp_path):
    wb, _ = _workbook([], title="Notes")
    ws = wb.create_sheet("Suivi")
    ws.append(HEADER.split(","))
    ws.append(["jette-sidi-bibi", "RI1.3", 2007, 10])
    path = tmp_path / "s.xlsx"
    wb.save(path)
    assert load_observations([path], programme)["value"].tolist() == [10.0]


def _cache_formula(path, formula: str, cached: str) -> None:
    """Add a cached result to a formula cell written by openpyxl (which writes none)."""
    with zipfile.ZipFile(path) as zin:
        items = {n: zin.read(n) for n in zin.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    before = items[sheet]
    # openpyxl writes an empty cached value as <v /> (xml.etree) or <v></v> (with lxml)
    for empty in ("<v />", "<v></v>"):
        before_this = items[sheet] if empty == "<v></v>" else before
        items[sheet] = before_this.replace(f"<f>{formula}</f>{empty}".encode(),
                                           f"<f>{formula}</f><v>{cached}</v>".encode())
    assert items[sheet] != before
    with zipfile.ZipFile(path, "w") as zout:
        for name, data in items.items():
            zout.writestr(name, data)


def test_xlsx_cell_problems_use_excel_rows_and_letters(programme, tmp_path):
    wb, ws = _workbook([
        ["jette-sidi-bibi", "RI1.3", 2007, 10],
        ["jette-sidi-bibi", "RI1.3", dt.datetime(2009, 1, 1), 10],
        ["jette-sidi-bibi", "RI1.3", 2010, "=8*5"],
        ["jette-sidi-bibi", "RI1.3", 2011, "=8*6"],
        ["jette-sidi-bibi", "RI1.3", 2012, 0.45],
    ])
    ws["D6"].number_format = "0%"
    path = tmp_path / "s.xlsx"
    wb.save(path)
    _cache_formula(path, "8*5", "40")
    df, problems = read_observations([path], programme)
    found = {(p.kind, p.line, p.column, p.severity) for p in problems.items}
    assert ("date-year", 3, "annee (C)", "erreur") in found
    assert ("formula", 5, "valeur (D)", "erreur") in found
    assert ("percent-format", 6, "valeur (D)", "avertissement") in found
    values = dict(zip(df["year"], df["value"], strict=True))
    assert values[2010] == 40.0 and values[2012] == 45.0


def test_xlsx_merged_cells_are_an_error(programme, tmp_path):
    wb, ws = _workbook([["jette-sidi-bibi", "RI1.3", 2007, 10],
                        ["jette-sidi-bibi", "RI1.3", 2008, 11]])
    ws.merge_cells("A2:A3")
    path = tmp_path / "s.xlsx"
    wb.save(path)
    _, problems = read_observations([path], programme)
    merged = [p for p in problems.errors if p.kind == "merged-cells"]
    assert [(p.line, p.value) for p in merged] == [(2, "A2:A3")]


@pytest.mark.parametrize(("content", "kind"), [
    (b"partenariat,indicateur\n", "xlsx"),
    (b"PK\x03\x04 damaged", "xlsx"),
    (b"\xd0\xcf\x11\xe0" + b"\x00" * 64, "xlsx"),
])
def test_unreadable_xlsx(programme, write_file, content, kind):
    _, problems = read_observations([write_file("s.xlsx", content)], programme)
    assert [p.kind for p in problems.errors] == [kind]
