"""Issue 26, item 2: how each status holds when one threshold moves over its range."""

from __future__ import annotations

import random

import pytest

from maroc_eval.base.status import status_code
from maroc_eval.core.sensitivity import STEP, SWEEPS, result_sensitivity, sweep

USED = {"threshold_met": 1.0, "threshold_on_track": 0.75, "threshold_late": 0.4}


def _flip(found, setting):
    return next(f for f in found.flips if f.setting == setting)


def test_a_status_just_above_on_track_flips_when_the_threshold_rises_past_it():
    found = sweep(0.79, USED, summative=False)
    assert found.status == "en_bonne_voie"
    on_track = _flip(found, "threshold_on_track")
    # 79 % stays « en bonne voie » down to 60 %, and turns « en retard » from 80 %
    assert (on_track.lower, on_track.upper) == (None, (0.8, "en_retard"))
    # « atteint » from 85 % at the lowest: never reached; « en retard » up to 55 %: never
    assert _flip(found, "threshold_met").stable and _flip(found, "threshold_late").stable
    assert not found.stable


def test_a_final_phase_sweeps_its_three_thresholds():
    found = sweep(0.93, USED, summative=True)
    assert [f.setting for f in found.flips] == ["threshold_met", "threshold_on_track",
                                                  "threshold_late"]
    assert found.status == "largement_atteint"  # 93 % ≥ 75 %, the « largement atteint » edge
    assert _flip(found, "threshold_met").lower == (0.93, "atteint")
    assert _flip(found, "threshold_on_track").stable  # 93 %: above the whole 60–90 % range
    assert _flip(found, "threshold_late").stable
    nearer = sweep(0.80, USED, summative=True)
    assert _flip(nearer, "threshold_on_track").upper == (0.81, "partiellement_atteint")


def test_a_critical_status_rises_when_late_comes_down_to_it():
    found = sweep(0.35, USED, summative=False)
    assert found.status == "critique"
    assert _flip(found, "threshold_late").lower == (0.35, "en_retard")


def test_an_unknown_figure_is_stable_and_not_swept():
    found = sweep(None, USED, summative=False)
    assert found.status == "non_renseigne" and found.stable and not found.swept


def test_a_status_that_does_not_follow_from_its_figure_is_not_swept():
    result = {"ri": "RI3", "index": 0.9, "status": "non_renseigne", "parameters": USED,
              "indicators": [{"code": "RI3.1", "achievement": 0.5, "status": "en_retard"}]}
    ri, (indicator,) = result_sensitivity(result, summative=False)
    assert ri.status == "non_renseigne" and not ri.swept  # too little reported, say
    assert indicator.swept and _flip(indicator, "threshold_on_track").stable


@pytest.mark.parametrize("seed", range(5))
def test_each_flip_is_the_nearest_change_on_its_side(seed):
    """Brute force over the grid: between the threshold in use and the flip the status is the
    current one; at the flip it is the one stated."""
    rng = random.Random(seed)
    for _ in range(40):
        value = round(rng.uniform(0.2, 1.1), 4)
        summative = rng.random() < 0.5
        found = sweep(value, USED, summative)
        for flip in found.flips:
            low, high = SWEEPS[flip.setting]
            grid = [round(low + i * STEP, 10) for i in range(round((high - low) / STEP) + 1)]

            def status_at(v, setting=flip.setting, value=value, summative=summative):
                # the defaults keep met ≥ on track ≥ late over every range: no reordering
                t = {**USED, setting: v}
                return status_code(value, t["threshold_met"], t["threshold_on_track"],
                                   t["threshold_late"], summative=summative)

            above = [v for v in grid if v > flip.used]
            below = [v for v in grid if v < flip.used][::-1]
            for side, candidates in ((flip.upper, above), (flip.lower, below)):
                changed = [v for v in candidates if status_at(v) != found.status]
                assert side == ((changed[0], status_at(changed[0])) if changed else None), (
                    value, summative, flip)
