"""The workbook scan that runs before openpyxl: limits, merged ranges, uncached formulas, and no
private name of openpyxl read anywhere (issue 24, item 3)."""

from __future__ import annotations

import ast
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hostile_inputs import _workbook

from maroc_eval.base import paths
from maroc_eval.base.errors import ProblemList
from maroc_eval.core import xlsx_archive
from maroc_eval.core.sheets import read_table
from maroc_eval.core.xlsx_archive import inspect_workbook, within_limits


def _sheet(path: Path, xml: str) -> Path:
    return _workbook(path, lambda stream: stream.write(xml.encode()))


def test_merged_ranges_and_uncached_formulas_come_from_the_scan(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Données"
    ws.append(["partenariat", "indicateur", "annee", "valeur"])
    ws.append(["jette-sidi-bibi", "RI1.2", 2009, "=1+1"])
    ws.merge_cells("A5:B6")
    other = wb.create_sheet("suivi")
    other.merge_cells("C3:C4")
    wb.save(tmp_path / "deux.xlsx")
    scan = inspect_workbook(tmp_path / "deux.xlsx")
    assert scan.kind == "xlsx" and scan.refused is None
    assert scan.sheets["Données"].merged == ["A5:B6"]
    assert scan.sheets["suivi"].merged == ["C3:C4"]
    assert scan.sheets["Données"].uncached == {(2, 3): "=1+1"}
    assert scan.sheets["suivi"].uncached == {}


def test_a_shared_formula_without_result_is_named_by_its_master_text(tmp_path):
    path = _sheet(tmp_path / "partagee.xlsx",
                  '<row r="2"><c r="D2"><f t="shared" ref="D2:D3" si="0">B2*2</f><v>4</v></c>'
                  '</row><row r="3"><c r="D3"><f t="shared" si="0"/></c></row>')
    assert inspect_workbook(path).sheets["suivi"].uncached == {(3, 3): "=B2*2"}
    problems = ProblemList()
    table = read_table(path, problems)
    list(table.rows)
    table.close()
    formula = [p for p in problems.items if p.kind == "formula"]
    assert [(p.line, p.column, p.value) for p in formula] == [(3, "valeur (D)", "=B2*2")]


@pytest.mark.parametrize(("xml", "expected"), [
    ('<row r="20001"><c r="A20001"><v>1</v></c></row>', "au plus 20\u202f000 lignes"),
    ('<row r="2"><c r="ALM2"><v>1</v></c></row>', "au plus 1\u202f000 colonnes"),
    ('<row r="2"><c r="ALL2"><v>1</v></c></row>', None),  # column 1 000: the last accepted
    ("".join(f'<row r="{n}"><c r="ALL{n}"><v>1</v></c></row>' for n in range(2, 102)),
     "au plus 50\u202f000 cellules"),  # 100 rows padded to 1 000 columns
])
def test_the_limits_are_checked_on_what_the_sheet_holds(tmp_path, xml, expected):
    scan = inspect_workbook(_sheet(tmp_path / "feuille.xlsx", xml))
    if expected is None:
        assert scan.refused is None
    else:
        assert expected in scan.refused[2]


def test_a_document_type_declaration_is_refused_before_any_entity_expands(tmp_path):
    laughs = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
              '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><x>&b;</x>')
    path = tmp_path / "dtd.xlsx"
    _sheet(path, "")
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/styles.xml", laughs)
    scan = inspect_workbook(path)
    assert "déclare un type de document XML" in scan.refused[2]
    assert not within_limits(path)


def test_the_ratio_of_a_large_part_is_checked_before_anything_is_inflated(tmp_path):
    path = tmp_path / "zeros.xlsx"
    _sheet(path, "")
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/vide.bin", b"\0" * (4 * 1024 * 1024))
    scan = inspect_workbook(path)
    assert "xl/media/vide.bin" in scan.refused[2] and "bombe de décompression" in scan.refused[2]


def test_the_kind_of_an_archive_is_read_from_its_content(tmp_path):
    corpus = Path(__file__).resolve().parents[1] / "corpus"
    assert inspect_workbook(corpus / "valid.xlsx").kind == "xlsx"
    assert inspect_workbook(corpus / "macro.xlsm").kind == "xlsm"
    assert inspect_workbook(corpus / "opendocument.ods").kind == "ods"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    assert inspect_workbook(io.BytesIO(buffer.getvalue())).kind == "zip"


def _private_reads(source: str) -> list[str]:
    """``x._name`` attribute reads in a module, ``self``/``cls`` and dunders left out."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") \
                and not node.attr.startswith("__") \
                and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")):
            found.append(f"{ast.unparse(node)} (ligne {node.lineno})")
    return found


def test_workbooks_are_read_through_public_interfaces_only():
    """No private name of openpyxl (or of zipfile, expat) is read where workbooks are read:
    a private attribute that moves in a release would silently empty the checks."""
    for module in ("workbook.py", "xlsx_archive.py", "sheets.py"):
        source = (paths.PACKAGE_DIR / "core" / module).read_text("utf-8")
        assert _private_reads(source) == [], module
    assert _private_reads("wb._archive.read(ws._worksheet_path)")  # the check can fail
    assert xlsx_archive.MAX_COLUMNS == 1000


def test_a_workbook_with_macros_renamed_xlsx_is_read_its_macros_never_run(tmp_path):
    corpus = Path(__file__).resolve().parents[1] / "corpus"
    renamed = tmp_path / "commune.xlsx"
    renamed.write_bytes((corpus / "macro.xlsm").read_bytes())
    problems = ProblemList()
    table = read_table(renamed, problems)
    rows = list(table.rows)
    table.close()
    assert problems.items == []
    assert [[c.value for c in cells][:4] for _line, cells in rows] == [
        ["jette-sidi-bibi", "RI1.2", 2007 + i, i + 1] for i in range(3)]
