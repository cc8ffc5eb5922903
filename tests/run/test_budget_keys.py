"""A budget change reruns the syntheses of the phases that see its year, and nothing else."""

from __future__ import annotations

import pandas as pd

from maroc_eval.core.budget import COLUMNS
from maroc_eval.core.programme import load_programme
from maroc_eval.run.keys import InputDigests

PROGRAMME = load_programme()
OBS = pd.DataFrame({"pair": ["jette-sidi-bibi"], "indicator": ["RI3.1"], "year": [2007],
                    "value": [1.0], "dimension": [""], "category": [""], "source": [""],
                    "comment": [""], "file": ["f"], "line": [2]})


def budget(executed_2011: float) -> pd.DataFrame:
    rows = [("jette-sidi-bibi", 2010, "RI3", 1000.0, 900.0, "", "", "b.csv", 2),
            ("jette-sidi-bibi", 2011, "RI3", 1000.0, executed_2011, "", "", "b.csv", 3)]
    return pd.DataFrame.from_records(rows, columns=COLUMNS)


def digests(data) -> dict:
    from maroc_eval.core.dataset import Dataset

    d = InputDigests(Dataset(PROGRAMME, OBS, None, budget=data))
    return {(phase, kind): (d.pair_synthesis(phase, "jette-sidi-bibi", []) if kind == "pair"
                            else d.programme_synthesis(phase, []))
            for phase in ("midterm", "final") for kind in ("pair", "programme")}


def test_a_2011_budget_change_reruns_final_syntheses_only():
    before, after = digests(budget(900.0)), digests(budget(100.0))
    assert before[("midterm", "pair")] == after[("midterm", "pair")]
    assert before[("midterm", "programme")] == after[("midterm", "programme")]
    assert before[("final", "pair")] != after[("final", "pair")]
    assert before[("final", "programme")] != after[("final", "programme")]


def test_adding_a_budget_file_reruns_the_syntheses():
    without, with_budget = digests(None), digests(budget(900.0))
    assert all(without[k] != with_budget[k] for k in without)
