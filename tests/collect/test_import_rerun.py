"""After a merge, the next run reruns what the new values touch, and nothing else.

Toy notebooks on real kernels (``tests/notebooks``), keyed on the real, validated data: the
2012 RI 3 values of Forest–Jérada arrive by form; only the final phase's RI 3 notebooks (every
pair's: they compare pairs), Forest–Jérada's synthesis, the syntheses whose cost ratios to
the pairs' medians moved, and the programme synthesis (it reads every row) may run again.
"""

from __future__ import annotations

import pytest
from collect_helpers import cli, cut_sample, fill_form
from runner_helpers import TOY_BATTERY, TOYS, options

from maroc_eval.base import paths
from maroc_eval.collect.form import form_name
from maroc_eval.core.dataset import read_dataset
from maroc_eval.core.evidence import cost_comparisons
from maroc_eval.run.runner import run_battery

pytestmark = [pytest.mark.kernel, pytest.mark.slow]
PAIR = "forest-jerada"


def test_the_next_run_reruns_only_what_the_merged_values_touch(tmp_path, truth):
    late = tuple(k for k in truth if k[0] == PAIR and k[1].startswith("RI3.") and k[2] == 2012)
    data = cut_sample(tmp_path / "data", last_year=2012, keep=late, shift=0.0)
    lines = (data / "suivi.csv").read_text("utf-8").splitlines(keepends=True)
    (data / "suivi.csv").write_text("".join(
        line for line in lines if not line.startswith(f"{PAIR},RI3.") or ",2012," not in line),
        "utf-8")

    def run():
        return run_battery(options(tmp_path, phase="all", data_dir=data), echo=lambda _: None,
                           battery=TOY_BATTERY, notebooks_dir=TOYS)

    def ratios(pair):  # what a pair synthesis reads of the other pairs: its ratios to the medians
        dataset = read_dataset(paths.PROGRAMME_FILE, data)
        return [(r.label, r.cost, r.median) for r in cost_comparisons(dataset, "final")[pair][1]]

    jette_before = ratios("jette-sidi-bibi")
    first = run()
    assert first.exit_status == 0 and len(first.executed) == 14
    assert run().executed == []

    cli("formulaire", "--annees", "2012", "--partenariat", PAIR, "--donnees", data,
        "--sorties", tmp_path / "forms")
    form = tmp_path / "forms" / form_name(PAIR, [2012])
    fill_form(form, {k: v for k, v in truth.items() if k in late})
    result = cli("importer", form, "--donnees", data, "--appliquer")
    assert result.exit_code == 0, result.stderr
    assert f"Fusionné : {len(late)} valeur" in result.stdout

    # Forest's agents trained in 2012 change its cost per agent and its overall index, hence the
    # medians of the pairs: Jette's synthesis reruns exactly when its ratios moved.
    jette_moved = ratios("jette-sidi-bibi") != jette_before
    again = run()
    assert again.exit_status == 0
    assert again.executed == sorted([
        "final/forest-jerada/toy_ri3", "final/jette-sidi-bibi/toy_ri3",
        "final/forest-jerada/toy_pair", "final/programme/toy_programme",  # reads every row
        *(["final/jette-sidi-bibi/toy_pair"] if jette_moved else []),
    ])
