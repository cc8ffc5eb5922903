"""exploration.ipynb run by papermill on a real kernel with the README's three questions.

The figures the notebook prints are checked against sums made here from
``data/sample/suivi.csv`` and the logframe's targets (``exploration_helpers``).
"""

from __future__ import annotations

import math

import nbformat
import papermill as pm
import pytest
from exploration_helpers import Cells, logframe, number, stock, yearly

from maroc_eval.base import catalogue as battery
from maroc_eval.base import paths

pytestmark = [pytest.mark.kernel, pytest.mark.slow]

# The README's questions (section « Explorer dans JupyterLab ») and their parameters.
QUESTIONS = {
    "ri3-2011": {"pair": "forest-jerada", "indicator": "RI3", "first_year": 2011,
                 "last_year": 2011},
    "frequentation-mi-parcours": {"pair": "liege-tanger", "indicator": "RI4.2",
                                  "phase": "midterm"},
    "conventions-depuis-2010": {"pair": "jette-sidi-bibi", "indicator": "RI7.1",
                                "first_year": 2010, "compare_with": ["bruxelles-tetouan"]},
}


def _run(tmp_path, name: str):
    out = tmp_path / f"{name}.ipynb"
    pm.execute_notebook(str(battery.EXPLORATION.path), str(out),
                        parameters={**QUESTIONS[name], "output_dir": str(tmp_path / "sorties")},
                        kernel_name="python3", cwd=str(paths.PROJ_ROOT), progress_bar=False,
                        execution_timeout=300)
    nb = nbformat.read(out, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    html = [o.get("data", {}).get("text/html", "") for o in outputs]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    return html, images


def _close(a: float, b: float, tolerance: float = 0.05) -> bool:
    return (math.isnan(a) and math.isnan(b)) or abs(a - b) <= tolerance


def test_forest_jerada_on_ri3_in_2011(tmp_path):
    html, images = _run(tmp_path, "ri3-2011")
    assert len(images) == 1  # one chart: dots, every pair
    assert images[0]["metadata"]["image/png"]["alt"].startswith("RI3 — ")
    rows = Cells(html[-1]).rows
    pairs = ["forest-jerada", "schaerbeek-al-hoceima", "jette-sidi-bibi", "liege-tanger",
             "auderghem-amerzgane", "bruxelles-tetouan"]
    assert rows[0][:3] == ["Indicateur", "Année", "Forest – Jérada"]
    by_code = {r[0].split(" — ")[0]: (r, rows[i + 1]) for i, r in enumerate(rows) if r[0]}
    value_row, target_row = by_code["RI3.1"]
    assert value_row[1] == "2011"
    assert [number(c) for c in value_row[2:]] == [stock(p, "RI3.1", 2011) for p in pairs]
    assert number(value_row[2]) == 6  # Forest – Jérada's stock, not its 2011 flow (0)
    final = {i["code"]: i["cibles"]["final"] for i in logframe()["indicateurs"]}
    assert target_row[1] == "Cible 2012 (Évaluation finale)"
    assert [number(c) for c in target_row[2:]] == [final["RI3.1"]] * 6
    score_row = by_code["RI3.3"][0]  # an annual indicator: the 2011 value as such
    assert _close(number(score_row[2]), yearly("forest-jerada", "RI3.3")[2011])
    assert any("Observations brutes : Forest – Jérada" in h for h in html)


def test_liege_tanger_attendance_at_midterm(tmp_path):
    html, images = _run(tmp_path, "frequentation-mi-parcours")
    assert len(images) == 1
    rows = Cells(html[-1]).rows
    assert rows[0][:2] == ["Année", "Liège – Tanger"]
    assert [r[0] for r in rows[1:]] == ["2007", "2008", "2009", "2010",
                                        "Cible 2010 (Évaluation à mi-parcours)"]
    values = yearly("liege-tanger", "RI4.2")
    assert [number(r[1]) for r in rows[1:5]] == [values[y] for y in (2007, 2008, 2009, 2010)]
    raw = {i["code"]: i["cibles"] for i in logframe()["indicateurs"]}["RI4.2"]["midterm"]
    rate = float(raw.strip().rstrip("%").replace("+", "")) / 100
    assert _close(number(rows[5][1]), values[2007] * (1 + rate))  # 15 883,8: not reached


def test_jette_sidi_bibi_conventions_since_2010(tmp_path):
    html, images = _run(tmp_path, "conventions-depuis-2010")
    assert len(images) == 1
    rows = Cells(html[-1]).rows
    assert rows[0] == ["Année", "Jette – Sidi Bibi", "Ville de Bruxelles – Tétouan"]
    for row, year in zip(rows[1:4], (2010, 2011, 2012), strict=True):
        assert row[0] == str(year)
        assert [number(c) for c in row[1:]] == [stock("jette-sidi-bibi", "RI7.1", year),
                                                stock("bruxelles-tetouan", "RI7.1", year)]
    assert [number(c) for c in rows[4][1:]] == \
        [{i["code"]: i["cibles"]["final"] for i in logframe()["indicateurs"]}["RI7.1"]] * 2
