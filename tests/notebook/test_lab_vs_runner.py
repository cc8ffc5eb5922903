"""One truth for settings: a notebook run as in JupyterLab gives the runner's figures.

With a pair file setting a threshold (``params/pairs/jette-sidi-bibi.yml``), the RI 5 notebook
of Jette – Sidi Bibi is executed twice on a project copy: by ``maroc-eval run``, and by plain
papermill with nothing but its pair (what *Run All* does once the pair is typed in the cell).
Both resolve the pair file themselves; their sidecars hold the same figures and statuses. The
interactive run writes to ``outputs/interactif`` and leaves the runner's result untouched.
"""

from __future__ import annotations

import json
import re

import papermill as pm
import pytest
from project_helpers import cli, copy_project

from maroc_eval.base.status import status_code
from maroc_eval.core.thresholds import Thresholds

PAIR = "jette-sidi-bibi"
STEM = "ri5_elus_budget_social"
ON_TRACK = 0.9


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = copy_project(tmp_path_factory.mktemp("projet"))
    (root / "params" / "pairs" / f"{PAIR}.yml").write_text(
        f"threshold_on_track: {ON_TRACK}\n", "utf-8")
    cli(root, "run", "--phase", "midterm", "--pair", PAIR, "--ri", "RI5", "-q")
    runner = root / "outputs" / "midterm" / PAIR / f"{STEM}.json"
    before = runner.read_bytes()
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("MAROC_EVAL_ROOT", str(root))
        pm.execute_notebook(str(root / "notebooks" / f"{STEM}.ipynb"),
                            str(root / "lab.ipynb"), parameters={"pair": PAIR},
                            kernel_name="python3", cwd=str(root), progress_bar=False,
                            execution_timeout=300)
    return root, before


def _sidecar(path):
    return json.loads(path.read_text("utf-8"))


def test_lab_and_runner_give_the_same_figures_and_statuses(project):
    root, _ = project
    runner = _sidecar(root / "outputs" / "midterm" / PAIR / f"{STEM}.json")
    lab = _sidecar(root / "outputs" / "interactif" / "midterm" / PAIR / f"{STEM}.json")
    for key in ("index", "status", "indicators", "extras", "comments", "sources"):
        assert lab[key] == runner[key], key
    assert lab["parameters"]["threshold_on_track"] == runner["parameters"]["threshold_on_track"]
    assert runner["parameters"]["threshold_on_track"] == ON_TRACK
    assert runner["origins"]["threshold_on_track"].startswith("pair:")


def test_the_pair_file_mattered(project):
    """Some status under 0.9 differs from what the programme's 0.75 gives: the test can fail."""
    root, _ = project
    runner = _sidecar(root / "outputs" / "midterm" / PAIR / f"{STEM}.json")
    default = Thresholds()
    differ = [row["code"] for row in runner["indicators"]
              if row["status"] != status_code(row["achievement_raw"], *default.edges)]
    assert differ, "no status depends on the pair's threshold: choose another notebook"


def test_an_interactive_run_never_writes_over_the_runner_results(project):
    root, before = project
    assert (root / "outputs" / "midterm" / PAIR / f"{STEM}.json").read_bytes() == before
    # and the runner still calls its result up to date
    done = cli(root, "run", "--phase", "midterm", "--pair", PAIR, "--ri", "RI5", "-q")
    assert re.search(r"midterm\s+0\s+3\s+0\s+0", done.stdout), done.stdout  # 3 up to date
