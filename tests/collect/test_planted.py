"""Nothing planted (issue 22, item 3): text that a spreadsheet would run — typed in a source or
a comment, or the cached result of a formula in a returned form — reaches the next forms as
text, intact, never as a formula."""

from __future__ import annotations

import re
import shutil
import zipfile

import openpyxl
import pytest
from collect_helpers import cli, cut_sample, fill_form, imported_rows

from maroc_eval.base.sheetcells import append, put
from maroc_eval.collect.form import form_name

PAIR = "jette-sidi-bibi"
PLANTED = ["=cmd|' /C calc'!A0", '=HYPERLINK("http://example.org/x","cliquez ici")',
           "+33 6 12 34 56 78", "-2 agents (départs)", "@SUM(A1:A9)", "=1+1"]
"""Texts a spreadsheet reads as formulas (DDE, a link, signs, a function)."""


def no_formula_anywhere(path):
    """Every cell of every sheet: none is a formula; return ``{text: sheet!cell}`` of texts."""
    wb = openpyxl.load_workbook(path)
    texts = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.setdefault(cell.value, f"{ws.title}!{cell.coordinate}")
    with zipfile.ZipFile(path) as archive:  # the file itself: no formula element at all
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)
    return texts


def with_cached_formula(path, ref: str, sheet_file: str, formula: str, cached: str):
    """Put a formula with a cached text result in a cell, as Excel saves one."""
    tmp = path.with_suffix(".tmp.xlsx")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == sheet_file:
                text = data.decode("utf-8")
                cell = re.search(rf'<c r="{ref}"( s="\d+")?( t="\w+")?\s*(/>|>.*?</c>)', text)
                assert cell, ref
                style = cell.group(1) or ""
                escape = (cached.replace("&", "&amp;").replace("<", "&lt;")
                          .replace('"', "&quot;"))
                text = text.replace(cell.group(0), f'<c r="{ref}"{style} t="str"><f>'
                                    f'{formula}</f><v>{escape}</v></c>')
                data = text.encode("utf-8")
            out.writestr(item, data)
    shutil.move(tmp, path)


@pytest.fixture
def planted(tmp_path, truth):
    """A data folder whose 2011 values came with texts that look like formulas: typed in a long
    file, and as cached formula results in a returned form."""
    data = cut_sample(tmp_path / "data", keep=())
    lines = ["partenariat,indicateur,annee,valeur,ventilation,source,commentaire"]
    codes = ["RI3.3", "RI3.5", "RI2.2"]
    for code, (source, comment) in zip(codes, zip(PLANTED[::2], PLANTED[1::2], strict=True),
                                       strict=True):
        value = truth[(PAIR, code, 2011, "", "")]
        quoted = [f'"{t.replace(chr(34), chr(34) * 2)}"' for t in (source, comment)]
        lines.append(f"{PAIR},{code},2011,{value:g},,{quoted[0]},{quoted[1]}")
    (tmp_path / "recu.csv").write_text("\n".join(lines) + "\n", "utf-8")
    done = cli("importer", tmp_path / "recu.csv", "--donnees", data, "--appliquer")
    assert done.exit_code == 0, done.stderr

    forms = tmp_path / "forms"
    assert cli("formulaire", "--annees", "2012", "--partenariat", "liege-tanger",
               "--donnees", data, "--sorties", forms).exit_code == 0
    form = forms / form_name("liege-tanger", [2012])
    cells = fill_form(form, {k: v for k, v in truth.items() if k[2] == 2012})
    sheet, ref = cells[("liege-tanger", "RI3.2", 2012, "", "")].split("!")
    wb = openpyxl.load_workbook(form)
    index = wb.sheetnames.index(sheet) + 1
    row = ref[1:]
    with_cached_formula(form, f"I{row}", f"xl/worksheets/sheet{index}.xml",
                        'CONCATENATE("=cmd|"," /C calc!A0")', "=cmd| /C calc!A0")
    done = cli("importer", form, "--donnees", data, "--appliquer")
    assert done.exit_code == 0, done.stdout + done.stderr
    return data, tmp_path


def test_planted_texts_reach_the_data_intact(planted):
    data, _tmp = planted
    comments = {(r["partenariat"], r["indicateur"]): (r["source"], r["commentaire"])
                for r in imported_rows(data)}
    assert comments[(PAIR, "RI3.3")] == tuple(PLANTED[0:2])
    assert comments[(PAIR, "RI2.2")] == tuple(PLANTED[4:6])
    assert comments[("liege-tanger", "RI3.2")][1] == "=cmd| /C calc!A0"  # the cached result


@pytest.mark.parametrize("years", ["2011", "2012"])
def test_the_next_forms_hold_them_as_text_never_as_formulas(planted, years):
    """2011 (values known, pre-filled in input cells) and 2012 (2011 locked, for reference)."""
    data, tmp = planted
    out = tmp / f"forms-{years}"
    for pair in (PAIR, "liege-tanger"):
        result = cli("formulaire", "--annees", years, "--partenariat", pair, "--donnees",
                     data, "--sorties", out)
        assert result.exit_code == 0, result.stderr
        texts = no_formula_anywhere(out / form_name(pair, [int(years)]))
        wanted = PLANTED if pair == PAIR else ["=cmd| /C calc!A0"] if years == "2012" else []
        for text in wanted:
            assert text in texts, (pair, text)  # intact: no apostrophe, nothing cut
            assert re.fullmatch(r"RI\d![HI]\d+", texts[text])
        if pair == PAIR:
            wb = openpyxl.load_workbook(out / form_name(pair, [int(years)]))
            sheet, ref = texts[PLANTED[0]].split("!")
            assert wb[sheet][ref].quotePrefix  # kept text even when someone edits the cell


def test_the_xlsform_holds_no_formula(tmp_path):
    result = cli("formulaire", "--annees", "2011", "--xlsform", "--sorties", tmp_path)
    assert result.exit_code == 0, result.stderr
    no_formula_anywhere(tmp_path / "xlsform-2011.xlsx")


@pytest.mark.parametrize("text", PLANTED)
def test_sheetcells_keeps_text_as_text_through_a_save(tmp_path, text):
    wb = openpyxl.Workbook()
    ws = wb.active
    append(ws, [text, 3, None, "ordinaire"])
    put(ws["B2"], text)
    wb.save(tmp_path / "x.xlsx")
    back = openpyxl.load_workbook(tmp_path / "x.xlsx").active
    assert [(c.value, c.data_type) for c in back[1]] == [
        (text, "s"), (3, "n"), (None, "n"), ("ordinaire", "s")]
    assert back["A1"].quotePrefix and back["B2"].quotePrefix and not back["D1"].quotePrefix
    assert back["B2"].value == text and back["B2"].data_type == "s"
