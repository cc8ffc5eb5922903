"""A grid opened and saved again by LibreOffice Calc (headless) reads back the same, keeps its
protection, lists and hidden sheets, and imports through the command line.

LibreOffice is Debian's ``libreoffice-calc``, installed by ``make test`` when ``soffice`` is
missing (``make office``).
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import openpyxl
import pytest
import yaml
from grid_helpers import PAIR, cli, fill, rich_appraisal

from maroc_eval.base.errors import ProblemList
from maroc_eval.core.appraisal_store import appraisal_path
from maroc_eval.grid.context import phase_contexts
from maroc_eval.grid.reader import read_grid
from maroc_eval.grid.writer import grid_bytes

pytestmark = pytest.mark.slow
SOFFICE = shutil.which("soffice")
NAME = f"grille-final-{PAIR}.xlsx"


def through_libreoffice(path, tmp_path):
    out = tmp_path / "libreoffice"
    done = subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{tmp_path / 'profil'}", "--headless",
         "--convert-to", "xlsx", "--outdir", str(out), str(path)],
        capture_output=True, text=True, timeout=180, check=False)
    saved = out / path.name
    assert done.returncode == 0 and saved.is_file(), done.stderr
    assert saved.read_bytes() != path.read_bytes()  # really written again by Calc
    return saved


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice absent : make office l'installe")
def test_a_grid_saved_by_libreoffice_reads_back_the_same(rich_data, rich_dataset, tmp_path):
    (ctx,) = phase_contexts(rich_dataset, "final", [PAIR])
    grid = tmp_path / NAME
    grid.write_bytes(grid_bytes(ctx))
    saved = through_libreoffice(grid, tmp_path)

    problems = ProblemList()
    read = read_grid(saved, rich_dataset.programme, rich_dataset.matrix, problems)
    assert not problems.items, [p.format() for p in problems.items]
    got = read.appraisal(rich_dataset.programme, rich_dataset.matrix)
    assert got.model_dump(exclude={"seen", "file"}) == \
        rich_appraisal().model_dump(exclude={"seen", "file"})

    wb = openpyxl.load_workbook(saved)
    assert wb["maroc-eval-grille"].sheet_state == "hidden"
    assert wb["listes"].sheet_state == "hidden"
    answers = wb["Réponses"]
    assert answers.protection.sheet
    assert answers["F5"].protection.locked is False and answers["A5"].protection.locked
    assert {dv.type for dv in answers.data_validations.dataValidation} == {"list"}
    recs = wb["Recommandations"]
    assert {dv.type for dv in recs.data_validations.dataValidation} == {"list", "date"}
    assert wb["Conclusions"]["B6"].value.startswith("=Le binôme")
    assert wb["Conclusions"]["B6"].data_type == "s"

    # the team goes on in LibreOffice's file: a new lesson, and the import takes it
    fill(saved, {("Leçons", "A7"): "Une leçon écrite après LibreOffice.",
                 ("Recommandations", "E6"): dt.datetime(2014, 9, 30)})
    done = cli("importer-grille", saved, "--donnees", rich_data, "--appliquer")
    assert done.returncode == 0, done.stdout + done.stderr
    raw = yaml.safe_load(appraisal_path(rich_data, "final", PAIR).read_text("utf-8"))
    assert raw["lecons"][-1] == "Une leçon écrite après LibreOffice."
    assert raw["recommandations"][1]["echeance"] == dt.date(2014, 9, 30)
    assert len(raw["lecons"]) == 3
