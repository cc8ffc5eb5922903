"""A grid loses nothing: store → workbook → store gives the same appraisal, and workbook → store
→ workbook the same cells; texts from the data or the team stay text in every file."""

from __future__ import annotations

import datetime as dt

import openpyxl
import yaml
from grid_helpers import ENGLISH, LONG, PAIR, fill, rich_appraisal, row_of

from maroc_eval.base.errors import ProblemList
from maroc_eval.core.appraisal_store import appraisal_path, read_appraisal
from maroc_eval.core.dataset import read_dataset
from maroc_eval.grid.context import phase_contexts
from maroc_eval.grid.importer import import_grids
from maroc_eval.grid.reader import read_grid
from maroc_eval.grid.writer import grid_bytes

EXCLUDED = {"seen", "file"}  # the evidence seen is recorded at import; the file is where read


def write_grid(dataset, path, phase="final", who=PAIR):
    (ctx,) = phase_contexts(dataset, phase, [who])
    path.write_bytes(grid_bytes(ctx, day=dt.date(2013, 1, 20)))
    return path


def read_back(path, dataset):
    problems = ProblemList()
    read = read_grid(path, dataset.programme, dataset.matrix, problems)
    assert not problems.items, [p.format() for p in problems.items]
    return read.appraisal(dataset.programme, dataset.matrix)


def team_cells(path):
    """Every visible cell of a grid but the metadata: sheet → {coordinate: (value, type)}."""
    wb = openpyxl.load_workbook(path)
    return {ws.title: {c.coordinate: (c.value, c.data_type) for row in ws.iter_rows()
                       for c in row if c.value is not None}
            for ws in wb.worksheets if ws.title != "maroc-eval-grille"}


def test_a_rich_appraisal_reads_back_from_its_grid_unchanged(rich_dataset, tmp_path):
    path = write_grid(rich_dataset, tmp_path / "grille-final-forest-jerada.xlsx")
    got = read_back(path, rich_dataset)
    expected = rich_appraisal()  # the object the store was written from
    assert got.model_dump(exclude=EXCLUDED) == expected.model_dump(exclude=EXCLUDED)
    assert got.questions["QE1"].findings[1].texts["visites"] == LONG and len(LONG) == 5000
    assert got.english == ENGLISH  # both French texts unchanged: their English kept


def test_workbook_to_store_to_workbook_gives_the_same_cells(rich_data, rich_dataset, tmp_path):
    first = write_grid(rich_dataset, tmp_path / "first.xlsx")
    got = read_back(first, rich_dataset)
    path = appraisal_path(rich_data, "final", PAIR)
    from maroc_eval.core.appraisal_store import dump_appraisal

    path.write_text(dump_appraisal(got), encoding="utf-8")
    again = read_dataset(rich_dataset.programme.source, rich_data)
    second = write_grid(again, tmp_path / "second.xlsx")
    assert team_cells(first) == team_cells(second)
    assert read_back(second, again).model_dump(exclude=EXCLUDED) == \
        rich_appraisal().model_dump(exclude=EXCLUDED)


def test_texts_beginning_like_formulas_stay_text(rich_dataset, tmp_path):
    path = write_grid(rich_dataset, tmp_path / "g.xlsx")
    wb = openpyxl.load_workbook(path)
    questions, conclusions = wb["Questions"], wb["Conclusions"]
    cell = questions[f"H{row_of(questions, 'QE1', column='C', value=1)}"]
    assert cell.value.startswith("=SOMME(A1:A3)") and cell.data_type == "s"
    c3 = conclusions[f"B{row_of(conclusions, 'C3')}"]
    assert c3.value.startswith("=Le binôme") and c3.data_type == "s"
    for row in wb["Questions"].iter_rows(min_row=5):
        for c in row:
            assert c.data_type != "f", c.coordinate
    # and in the XML itself: no formula element anywhere in the sheets
    import zipfile

    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name), name


def test_english_is_kept_for_unchanged_french_and_dropped_for_changed(rich_data, rich_dataset,
                                                                      tmp_path):
    path = write_grid(rich_dataset, tmp_path / "grille-final-forest-jerada.xlsx")
    wb = openpyxl.load_workbook(path)
    recs = wb["Recommandations"]
    r1 = row_of(recs, "R1")
    fill(path, {("Recommandations", f"B{r1}"): "Stabiliser l'équipe du service social avant "
                "2014 : deux postes au budget."})
    import_grids([path], rich_data, rich_dataset.programme.source, apply=True,
                 echo=lambda *_: None)
    raw = yaml.safe_load(appraisal_path(rich_data, "final", PAIR).read_text("utf-8"))
    action = raw["recommandations"][0]["action"]
    assert action == "Stabiliser l'équipe du service social avant 2014 : deux postes au budget."
    finding = raw["questions"]["QE1"]["constats"][0]["entretiens"]
    assert finding == {"fr": "Le service fonctionne mais manque de personnel.",
                       "en": "The service works but lacks staff."}
    problems = ProblemList()
    stored, _doc = read_appraisal(appraisal_path(rich_data, "final", PAIR),
                                  rich_dataset.programme, rich_dataset.matrix, "final", PAIR,
                                  problems)
    assert not problems.items
    assert stored.english == {"Le service fonctionne mais manque de personnel.":
                              "The service works but lacks staff."}
