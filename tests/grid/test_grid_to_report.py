"""From the team's grid to the signed-off report's text: an evaluator fills the grid of a draft
with openpyxl, the grid is imported through the real command line, the battery and the report
are made, and the evaluator's words are in the report at their places, apart from the evidence.
"""

from __future__ import annotations

import re

import openpyxl
import pytest
import yaml
from project_helpers import cli, copy_project

from maroc_eval.base import paths
from maroc_eval.grid.layout import ANSWERS, QUESTIONS

pytestmark = [pytest.mark.kernel, pytest.mark.slow]

PAIR = "forest-jerada"
ANSWER = ("Le service existe sur le papier, mais les deux agents formés ont quitté Jérada en "
          "2010 et n’ont pas été remplacés : la capacité installée s’est évaporée.")
FINDING = ("La cheffe du service explique, en entretien le 14 novembre 2012, que les postes "
           "restent gelés faute de crédits de personnel.")


def _row(ws, first, column_letter=None, value=None) -> int:
    for r in range(5, ws.max_row + 1):
        if ws[f"A{r}"].value == first and (column_letter is None
                                           or ws[f"{column_letter}{r}"].value == value):
            return r
    raise AssertionError(f"no row {first} in {ws.title}")


def test_an_evaluators_grid_reaches_the_report(tmp_path):
    root = copy_project(tmp_path / "projet")
    data = root / "data" / "sample"
    store = paths.appraisals_dir(data) / "final" / f"{PAIR}.yml"
    item = yaml.safe_load(store.read_text("utf-8"))
    del item["questions"]["QE4"]["reponse"]          # a draft: QE4 not answered yet
    item["questions"]["QE4"]["constats"][0].pop("entretiens", None)
    store.write_text(yaml.safe_dump(item, allow_unicode=True, sort_keys=False), "utf-8")

    grids = root / "outputs" / "grilles"
    cli(root, "grille", "--phase", "final", "--partenariat", PAIR, "--sorties", str(grids))
    grid = grids / f"grille-final-{PAIR}.xlsx"
    wb = openpyxl.load_workbook(grid)
    answers, questions = wb["Réponses"], wb["Questions"]
    answers[f"{ANSWERS.letter('reponse')}{_row(answers, 'QE4')}"] = ANSWER
    crit = QUESTIONS.letter("critere")
    questions[f"{QUESTIONS.letter('entretiens')}{_row(questions, 'QE4', crit, 1)}"] = FINDING
    wb.save(grid)

    refused = cli(root, "importer-grille", str(grid), check=False)  # the diff, nothing written
    assert refused.returncode == 0 and "--appliquer" in refused.stdout
    assert "reponse" not in yaml.safe_load(store.read_text("utf-8"))["questions"]["QE4"]
    cli(root, "importer-grille", str(grid), "--appliquer")
    stored = yaml.safe_load(store.read_text("utf-8"))["questions"]["QE4"]
    assert " ".join(stored["reponse"].split()) == ANSWER
    assert " ".join(stored["constats"][0]["entretiens"].split()) == FINDING

    outputs = root / "outputs"
    cli(root, "run", "--partenariat", PAIR, "--phase", "final", "--sorties", str(outputs),
        "--quiet")
    cli(root, "report", "--phase", "final", "--sorties", str(outputs), "--formats", "html")
    html = paths.pair_report_path(outputs, "final", PAIR).read_text("utf-8")
    text = " ".join(html.replace("\u00a0", " ").replace("\u202f", " ").split())
    block = text[text.index("QE4 — "):]
    team = block[:block.index("Éléments de preuve calculés par l’outil")]
    assert ANSWER in team
    # the source's name, then the team's words
    assert re.search(r">Entretiens</dt>\s*<dd[^>]*>" + re.escape(FINDING) + "</dd>", team)
