"""A form opened and saved again by LibreOffice Calc (headless) stays importable, identical.

LibreOffice is Debian's ``libreoffice-calc``, installed by ``make test`` when ``soffice`` is
missing (``make office``).
"""

from __future__ import annotations

import shutil
import subprocess

import openpyxl
import pytest
from collect_helpers import cli, cut_sample, fill_form

from maroc_eval.base.errors import ProblemList
from maroc_eval.collect.form import META_SHEET, form_name
from maroc_eval.collect.received import read_received

pytestmark = pytest.mark.slow
SOFFICE = shutil.which("soffice")
PAIR = "bruxelles-tetouan"


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice absent : make office l'installe")
def test_a_form_saved_by_libreoffice_imports_the_same(tmp_path, truth, programme):
    data = cut_sample(tmp_path / "data", keep=())
    cli("formulaire", "--annees", "2011-2012", "--partenariat", PAIR, "--donnees", data,
        "--sorties", tmp_path / "forms")
    form = tmp_path / "forms" / form_name(PAIR, [2011, 2012])
    fill_form(form, truth)
    out = tmp_path / "libreoffice"
    done = subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{tmp_path / 'profil'}", "--headless",
         "--convert-to", "xlsx", "--outdir", str(out), str(form)],
        capture_output=True, text=True, timeout=120, check=False)
    saved = out / form.name
    assert done.returncode == 0 and saved.is_file(), done.stderr
    assert saved.read_bytes() != form.read_bytes()  # really written again by Calc

    values = {}
    for path in (form, saved):
        problems = ProblemList()
        got = read_received(path, programme, problems, data)
        assert not problems.items, [p.format() for p in problems.items]
        values[path] = sorted(got.rows.drop(columns="where").itertuples(index=False))
    assert values[form] == values[saved]
    assert len(values[saved]) == sum(1 for k in truth if k[0] == PAIR and k[2] >= 2011)

    wb = openpyxl.load_workbook(saved)
    assert wb[META_SHEET].sheet_state == "hidden"
    ws = wb["RI1"]
    assert ws.protection.sheet
    kinds = {dv.type for dv in ws.data_validations.dataValidation}
    assert kinds == {"list", "decimal"}  # stages, ETP, percentages

    result = cli("importer", saved, "--donnees", data, "--appliquer")
    assert result.exit_code == 0, result.stderr
    assert cli("validate", data).exit_code == 0
