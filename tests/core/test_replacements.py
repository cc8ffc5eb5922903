"""A value replaces another by saying so (column ``remplace``), never by editing a file: every
command reads the same values whatever the order of the files, a hand correction is not
silently overridden, and deleting an import's file brings back what it replaced."""

from __future__ import annotations

import openpyxl
import pytest

from maroc_eval.core.observations import read_observations
from maroc_eval.core.replacements import declaration, describe, parse_declaration
from maroc_eval.core.validation import validate_inputs

HEAD = "partenariat,indicateur,annee,valeur,ventilation,source,commentaire"
BOOKED = HEAD + ",origine,remplace"
RAW = [HEAD, "jette-sidi-bibi,RI1.2,2007,1,,PV,", "jette-sidi-bibi,RI1.2,2008,2,,PV,",
       "jette-sidi-bibi,RI3.1,2008,4,sexe=F,Registre,"]


def folder(tmp_path, **files):
    data = tmp_path / "data"
    data.mkdir(parents=True)
    for name, lines in files.items():
        (data / name.replace("_", "-").replace("-csv", ".csv")).write_text(
            "\n".join(lines) + "\n", "utf-8")
    return data


def values(data):
    report = validate_inputs([data])
    obs = report.observations
    got = {(r.indicator, int(r.year), r.category): (r.value, r.file.rsplit("/", 1)[-1], r.line)
           for r in obs.itertuples()}
    return report, got


def test_a_replacing_row_takes_out_the_row_it_names(tmp_path):
    data = folder(tmp_path, suivi_csv=RAW, collecte_1_csv=[
        BOOKED, "jette-sidi-bibi,RI1.2,2008,7,,PV 2012,,recus/a.xlsx,suivi.csv:3=2",
        "jette-sidi-bibi,RI3.1,2008,5,sexe=F,,,recus/a.xlsx,suivi.csv:4=4"])
    report, got = values(data)
    assert report.exit_status == 0, [p.format() for p in report.errors]
    assert got == {("RI1.2", 2007, ""): (1.0, "suivi.csv", 2),
                   ("RI1.2", 2008, ""): (7.0, "collecte-1.csv", 2),
                   ("RI3.1", 2008, "F"): (5.0, "collecte-1.csv", 3)}
    assert not [w for w in report.warnings if w.kind == "duplicate"]  # replaced, not repeated


def test_a_value_replaced_twice_leaves_the_last_whatever_the_order_of_the_files(
        tmp_path, programme):
    data = folder(tmp_path, suivi_csv=RAW,
                  collecte_2_csv=[BOOKED, "jette-sidi-bibi,RI1.2,2008,9,,,,b,collecte-1.csv:2=7"],
                  collecte_1_csv=[BOOKED, "jette-sidi-bibi,RI1.2,2008,7,,,,a,suivi.csv:3=2"])
    files = sorted(data.glob("*.csv"))
    for order in (files, files[::-1]):
        df, found = read_observations(order, programme)
        assert not found.errors
        assert df[df["year"] == 2008]["value"].tolist() == [9.0, 4.0]


def test_a_hand_corrected_row_is_not_overridden_silently(tmp_path):
    raw = [*RAW[:2], "jette-sidi-bibi,RI1.2,2008,3,,PV corrigé,", RAW[3]]
    data = folder(tmp_path, suivi_csv=raw, collecte_1_csv=[
        BOOKED, "jette-sidi-bibi,RI1.2,2008,7,,,,a,suivi.csv:3=2"])
    report, _got = values(data)
    assert report.exit_status == 2
    [error] = report.errors
    assert error.kind == "duplicate" and "valeurs contradictoires" in error.expected
    assert {error.file.rsplit("/", 1)[-1], error.line} in ({"collecte-1.csv", 2},
                                                            {"suivi.csv", 3})


def test_a_row_gone_takes_nothing_out_and_deleting_the_import_brings_back_the_old(tmp_path):
    data = folder(tmp_path, suivi_csv=RAW[:3], collecte_1_csv=[
        BOOKED, "jette-sidi-bibi,RI3.1,2008,5,sexe=F,,,a,suivi.csv:4=4"])
    report, got = values(data)
    assert report.exit_status == 0 and got[("RI3.1", 2008, "F")][0] == 5.0
    data2 = folder(tmp_path / "b", suivi_csv=RAW, collecte_1_csv=[
        BOOKED, "jette-sidi-bibi,RI1.2,2008,7,,,,a,suivi.csv:3=2"])
    assert values(data2)[1][("RI1.2", 2008, "")][0] == 7.0
    (data2 / "collecte-1.csv").unlink()
    assert values(data2)[1][("RI1.2", 2008, "")] == (2.0, "suivi.csv", 3)


def test_a_value_in_a_workbook_is_replaced_without_touching_the_workbook(tmp_path):
    data = folder(tmp_path, collecte_1_csv=[
        BOOKED, "jette-sidi-bibi,RI1.2,2008,7,,,,a,sidi-bibi.xlsx:3=2"])
    wb = openpyxl.Workbook()
    wb.active.title = "suivi"
    for row in RAW:
        wb.active.append(row.split(","))
    wb.active["D3"] = 2
    wb.save(data / "sidi-bibi.xlsx")
    report, got = values(data)
    assert report.exit_status == 0, [p.format() for p in report.errors]
    assert got[("RI1.2", 2008, "")][:2] == (7.0, "collecte-1.csv")


def test_bad_and_circular_declarations_are_located_errors(tmp_path):
    data = folder(tmp_path, suivi_csv=[
        BOOKED, "jette-sidi-bibi,RI1.2,2007,1,,,,,",
        "jette-sidi-bibi,RI1.2,2008,2,,,,,suivi.csv:4=3",
        "jette-sidi-bibi,RI1.2,2009,3,,,,,ligne 640",
        "jette-sidi-bibi,RI1.2,2008,3,,,,,suivi.csv:3=2"])
    report, got = values(data)
    lines = sorted((p.line, p.column, p.kind) for p in report.errors)
    assert lines == [(3, "remplace", "replaces-circle"), (4, "remplace", "bad-replaces"),
                     (5, "remplace", "replaces-circle")]
    assert ("RI1.2", 2008, "") not in got


@pytest.mark.parametrize("text, parsed", [
    ("suivi.csv:640=2", ("suivi.csv", 640, 2.0)),
    (" collecte-2012-03-14.csv:3 = 61.5 ", ("collecte-2012-03-14.csv", 3, 61.5)),
    ("suivi.csv:640=2,5", ("suivi.csv", 640, 2.5)),
    ("../suivi.csv:640=2", None), ("suivi.csv=2", None), ("suivi.csv:640=nan", None),
    ("suivi.csv:640=", None), ("", None)])
def test_declarations_read_back(text, parsed):
    assert parse_declaration(text) == parsed


def test_a_declaration_is_written_as_it_is_read_and_shown_in_french():
    text = declaration("data/suivi.csv", 640, 3178.0)
    assert text == "suivi.csv:640=3178"
    assert parse_declaration(declaration("x.csv", 2, 0.1 + 0.2))[2] == 0.1 + 0.2
    assert describe(text) == "3178 (suivi.csv, ligne 640)"
