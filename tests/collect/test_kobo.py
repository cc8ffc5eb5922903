"""The XLSForm converts with pyxform (constraints, lists, groups); a Kobo export imports."""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET

import openpyxl
import pytest
from collect_helpers import cli, cut_sample, imported, imported_rows

from maroc_eval.base import paths
from maroc_eval.collect.rules import question_name
from maroc_eval.collect.xlsform import xlsform_name, xlsform_sheets

pyxform = pytest.importorskip("pyxform.xls2xform")

NS = {"h": "http://www.w3.org/1999/xhtml", "x": "http://www.w3.org/2002/xforms",
      "jr": "http://openrosa.org/javarosa"}
JR = "{http://openrosa.org/javarosa}"


@pytest.fixture(scope="module")
def xform(tmp_path_factory):
    """The XLSForm for 2011-2012 written by the command line, converted by pyxform."""
    tmp = tmp_path_factory.mktemp("xlsform")
    result = cli("formulaire", "--annees", "2011-2012", "--xlsform", "--sorties", tmp)
    assert result.exit_code == 0, result.stderr
    path = tmp / xlsform_name([2011, 2012])
    converted = pyxform.convert(xlsform=str(path))
    return ET.fromstring(converted.xform)


def bind(xform, path):
    found = [b for b in xform.iter("{http://www.w3.org/2002/xforms}bind")
             if b.get("nodeset") == path]
    assert len(found) == 1, path
    return found[0]


def choices(xform, ref):
    """Values and labels of a select's inline items (or its itemset's instance)."""
    for select in xform.iter("{http://www.w3.org/2002/xforms}select1"):
        if select.get("ref") == ref:
            itemset = select.find("x:itemset", NS)
            if itemset is None:
                return [(i.find("x:value", NS).text, i.find("x:label", NS).text)
                        for i in select.findall("x:item", NS)]
            name = itemset.get("nodeset").split("'")[1]
            inst = next(i for i in xform.iter("{http://www.w3.org/2002/xforms}instance")
                        if i.get("id") == name)
            return [(item.find("x:name", NS).text, item.find("x:label", NS).text)
                    for item in inst.iter("{http://www.w3.org/2002/xforms}item")]
    raise AssertionError(ref)


@pytest.mark.parametrize("path, kind, constraint", [
    ("/data/RI3/RI3_1_2011_sexe_F", "int", ". >= 0"),
    ("/data/RI1/RI1_3_2012", "decimal", ". >= 0 and . <= 100"),
    ("/data/RI3/RI3_3_2011", "decimal", ". >= 0 and . <= 100"),
    ("/data/RI4/RI4_3_2012", "decimal", ". >= 0"),
    ("/data/RI7/RI7_1_2012_partenaire_INDH", "int", ". >= 0"),
])
def test_constraints_match_the_validation(xform, path, kind, constraint):
    b = bind(xform, path)
    assert (b.get("type"), b.get("constraint")) == (kind, constraint)
    assert b.get(f"{JR}constraintMsg").startswith("Attendu : ")


def test_lists_groups_and_french_labels(xform, programme):
    assert choices(xform, "/data/RI2/RI2_1_2011") == [("oui", "oui"), ("non", "non")]
    levels = programme.indicator_map["RI1.1"].levels
    assert choices(xform, "/data/RI1/RI1_1_2012") == [(str(k), f"{k} — {v}")
                                                       for k, v in levels.items()]
    assert [c for c, _ in choices(xform, "/data/partenariat")] == programme.pair_codes
    assert bind(xform, "/data/partenariat").get("required") == "true()"
    groups = [g.get("ref") for g in xform.iter("{http://www.w3.org/2002/xforms}group")]
    assert groups == [f"/data/{r.code}" for r in programme.results]
    labels = [g.find("x:label", NS).text for g in
              xform.iter("{http://www.w3.org/2002/xforms}group")]
    assert labels[2].startswith("RI 3 — Les communes disposent d'un personnel compétent")


def test_one_question_per_value_asked(programme):
    survey = xlsform_sheets(programme, programme.pair_codes, [2011])["survey"]
    names = [row[1] for row in survey[1:] if row[0] in ("integer", "decimal")
             or (row[0].startswith("select_one ") and row[1] != "partenariat")]
    expected = sum(max(1, sum(len(programme.dimensions[d].categories) for d in i.dimensions))
                   for i in programme.indicators)
    assert len(names) == len(set(names)) == expected == 32


def kobo_rows(truth, pairs, year, *, grouped: bool, labels: bool, programme):
    """A Kobo export of one submission per pair: header and rows, as Kobo writes them."""
    questions = [(ind, dim, cat) for ind in programme.indicators
                 for dim in (ind.dimensions or ("",))
                 for cat in (programme.dimensions[dim].categories if dim else ("",))]
    header = ["start", "end", "partenariat"]
    for ind, dim, cat in questions:
        name = question_name(ind.code, year, dim, cat)
        header.append(f"{ind.ri}/{name}" if grouped else name)
    header += ["RI3/RI3_source" if grouped else "RI3_source", "_id", "_uuid",
               "_submission_time"]
    rows = []
    for n, pair in enumerate(pairs, start=1):
        row = ["2012-03-10T09:00:00", "2012-03-10T09:30:00",
               programme.pair_map[pair].label if labels else pair]
        for ind, dim, cat in questions:
            value = truth.get((pair, ind.code, year, dim, cat))
            if value is None:
                row.append(None)
            elif ind.measure == "oui_non":
                row.append("oui" if value else "non")
            elif ind.measure == "ordinal" and labels:
                row.append(f"{int(value)} — {ind.levels[int(value)]}")
            else:
                row.append(int(value) if value.is_integer() else value)
        row += ["Registre communal", n, f"uuid-{n}", "2012-03-10T09:31:00"]
        rows.append(row)
    return header, rows


def test_a_kobo_export_imports_excel_and_csv(tmp_path, truth, programme):
    data = cut_sample(tmp_path / "data", keep=())
    header, rows = kobo_rows(truth, ["jette-sidi-bibi", "forest-jerada"], 2011,
                             grouped=True, labels=False, programme=programme)
    wb = openpyxl.Workbook()
    wb.active.title = "Suivi — Intervention spécifi"
    wb.active.append(header)
    for row in rows:
        wb.active.append(row)
    wb.save(tmp_path / "kobo.xlsx")
    header, rows = kobo_rows(truth, ["liege-tanger"], 2011, grouped=False, labels=True,
                             programme=programme)
    with open(tmp_path / "kobo.csv", "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(header)
        writer.writerows([["" if v is None else str(v).replace(".", ",") for v in row]
                          for row in rows])
    result = cli("importer", tmp_path / "kobo.xlsx", tmp_path / "kobo.csv", "--donnees", data,
                 "--appliquer", "--recu-le", "2012-03-15")
    assert result.exit_code == 0, result.stderr
    sent = {k: v for k, v in truth.items()
            if k[0] in ("jette-sidi-bibi", "forest-jerada", "liege-tanger") and k[2] == 2011}
    assert f"Fusionné : {len(sent)} valeur" in result.stdout
    assert cli("validate", data).exit_code == 0
    merged = imported_rows(data)
    got = {(r["partenariat"], r["indicateur"], int(r["annee"]),
            *(r["ventilation"].split("=") if r["ventilation"] else ("", ""))): float(r["valeur"])
           for r in merged}
    assert got == sent
    for r in merged:
        # a file of one pair is kept under its pair's name too
        kept = "liege-tanger-kobo.csv" if r["partenariat"] == "liege-tanger" else "kobo.xlsx"
        origin = f"export Kobo reçu le 2012-03-15 (recus/2012-03-15-{kept})"
        ri3 = r["indicateur"].startswith("RI3.")
        assert r["source"] == ("Registre communal" if ri3 else "")  # the commune's own words
        assert r["origine"] == origin and r["remplace"] == ""


def test_a_bad_kobo_value_is_named_by_its_cell(tmp_path, truth, programme):
    data = cut_sample(tmp_path / "data", keep=())
    header, rows = kobo_rows(truth, ["jette-sidi-bibi"], 2012, grouped=True, labels=False,
                             programme=programme)
    at = header.index("RI1/RI1_3_2012")
    rows[0][at] = 120
    wb = openpyxl.Workbook()
    wb.active.title = "export"
    wb.active.append(header)
    wb.active.append(rows[0])
    wb.save(tmp_path / "kobo.xlsx")
    result = cli("importer", tmp_path / "kobo.xlsx", "--donnees", data, "--appliquer")
    assert result.exit_code == 2
    letter = openpyxl.utils.get_column_letter(at + 1)
    assert (f"kobo.xlsx, export!{letter}2: erreur : valeur « 120 » — attendu : un pourcentage "
            "entre 0 et 100") in result.stderr
    assert imported(data) == "" and not paths.received_dir(data).exists()
