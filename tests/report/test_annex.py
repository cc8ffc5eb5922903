"""The Excel annex reopens with openpyxl with the sidecars' values, formatted."""

from __future__ import annotations

import openpyxl

from maroc_eval.report.annex import HEADER_ROW, write_annex
from maroc_eval.sidecar import Finding, IndicatorRow, RIResult


def ri_result(ri, rows):
    return RIResult(notebook="x", pair="jette-sidi-bibi", phase="midterm", ri=ri,
                    reference_year=2010, index=0.5, coverage=1.0, status="en_retard",
                    judgement=Finding(score="C"), indicators=rows)


def row(code, baseline, target, actual, raw, capped, status, missing=()):
    return IndicatorRow(code=code, label=f"Libellé {code}", unit="agents", direction="hausse",
                        baseline=baseline, target=target, actual=actual, achievement_raw=raw,
                        achievement=capped, status=status, missing_years=list(missing))


def test_annex_values_formats_and_layout(tmp_path):
    results = {
        "RI1": ri_result("RI1", [row("RI1.1", 0, 2, 3, 1.5, 1.0, "atteint"),
                                 row("RI1.2", 1, 5, None, None, None, "non_renseigne",
                                     [2009, 2010])]),
        "RI2": None,  # unavailable: no rows
        "RI3": ri_result("RI3", [row("RI3.1", 10, 20, 13, 0.3, 0.3, "critique")]),
    }
    path = write_annex(tmp_path / "annexe.xlsx", results, title="=Cadre logique — Jette",
                       baseline_year=2007, year=2010)
    ws = openpyxl.load_workbook(path).active
    assert ws["A1"].value == "'=Cadre logique — Jette"  # never a formula
    header = [c.value for c in ws[HEADER_ROW]]
    assert header[:10] == ["RI", "Code", "Indicateur", "Unité", "Sens", "Base 2007",
                           "Cible 2010", "Valeur 2010", "Réalisation brute", "Réalisation"]
    data = [[c.value for c in r] for r in ws.iter_rows(min_row=HEADER_ROW + 1)]
    assert [r[1] for r in data] == ["RI1.1", "RI1.2", "RI3.1"]
    assert data[0][5:11] == [0, 2, 3, 1.5, 1.0, "Atteint"]
    assert data[1][7:12] == [None, None, None, "Non renseigné", "2009, 2010"]
    assert data[2][5:11] == [10, 20, 13, 0.3, 0.3, "Critique"]
    assert ws.cell(HEADER_ROW + 1, 9).number_format == "0%"
    assert ws.cell(HEADER_ROW + 1, 6).number_format == "#,##0.0#"
    assert ws.freeze_panes == f"C{HEADER_ROW + 1}"
    assert ws.column_dimensions["C"].width >= 40
    assert ws.cell(HEADER_ROW, 1).font.bold
