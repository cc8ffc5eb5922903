"""The rubric: what the data say of the verifiable criteria, and the grades it proposes.

Expected grades are worked out by hand from the rubric as params/evaluation.yml states it.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from maroc_eval.core.matrix import load_matrix
from maroc_eval.core.matrix_items import Verification
from maroc_eval.core.rubric import (
    CostRatio,
    Facts,
    Outcome,
    median_grade,
    propose_achievement,
    propose_costs,
    propose_criteria,
    verify_one,
)
from maroc_eval.core.thresholds import Thresholds

SCALE = ["A", "B", "C", "D"]
BANDS = Thresholds()  # 1.0 / 0.75 / 0.40
MET, UNMET, UNKNOWN = (Outcome("satisfait", ""), Outcome("non_satisfait", ""),
                       Outcome("indetermine", ""))


@pytest.fixture(scope="module")
def rubric(programme):
    return load_matrix(programme).rubric


def rows(*achievements) -> pd.DataFrame:
    raw = [math.nan if a is None else a for a in achievements]
    return pd.DataFrame({"achievement": [min(max(a, 0), 1) if a == a else a for a in raw],
                         "achievement_raw": raw})


@pytest.mark.parametrize(("achievements", "outcomes", "grade"), [
    ((1.0, 0.8, 0.9), [], "A"),            # every indicator at least « en bonne voie »
    ((1.2, 0.75, 0.76), [MET, None], "A"),  # 0.75 reaches the threshold exactly
    ((1.0, 0.8, 0.9), [UNMET], "B"),        # an unmet verifiable criterion caps at B
    ((1.0, 0.5, 0.9), [], "B"),             # index 0.8 ≥ 0.75, one indicator below
    ((0.5, 0.5, 0.4), [], "C"),             # index 0.467 ≥ 0.40
    ((0.2, 0.3), [], "D"),                  # index 0.25
    ((0.2, 0.3), [UNMET], "D"),             # the cap never raises a grade
    ((1.0, None, None), [], None),          # 1 indicator of 3 known: under 50 % coverage
    ((1.0, 1.0, None, None), [], "A"),      # exactly 50 % coverage is enough
])
def test_achievement_proposal(rubric, achievements, outcomes, grade):
    assert propose_achievement(rows(*achievements), outcomes, BANDS, rubric, SCALE).grade == grade


def test_achievement_proposal_follows_the_pairs_own_thresholds(rubric):
    strict = Thresholds(threshold_met=1.0, threshold_on_track=0.9, threshold_late=0.6)
    # index (1.0 + 0.8 + 0.9) / 3 = 0.9 reaches « en bonne voie » at 0.9, but 0.8 does not: B
    found = propose_achievement(rows(1.0, 0.8, 0.9), [], strict, rubric, SCALE)
    assert found.grade == "B"
    assert "90" in found.basis
    # with the programme's thresholds the same figures are all « en bonne voie »: A
    assert propose_achievement(rows(1.0, 0.8, 0.9), [], BANDS, rubric, SCALE).grade == "A"


@pytest.mark.parametrize(("outcomes", "grade"), [
    ([MET, MET], "A"), ([MET, UNMET], "B"), ([MET, UNMET, UNMET], "C"),
    ([UNMET, UNMET], "D"), ([MET, UNKNOWN], "A"),  # undetermined ones are left out
    ([None, None], None), ([UNKNOWN, None], None),
])
def test_criteria_proposal(outcomes, grade):
    assert propose_criteria(outcomes, SCALE).grade == grade


def ratios(*values, n=6):
    return [CostRatio(f"coût {i}", value * 1000, 1000, n) for i, value in enumerate(values)]


@pytest.mark.parametrize(("values", "grade"), [
    ((0.5, 0.6), "A"),          # median 0.55 ≤ 0.85
    ((0.85, 0.85, 2.0), "A"),   # median 0.85: the cut-off itself
    ((1.0, 1.1), "B"),          # 1.05
    ((1.3, 1.4), "C"),          # 1.35
    ((2.0, 3.0), "D"),
    ((0.5,), None),             # one comparable cost is not enough
])
def test_cost_proposal_is_results_per_euro_against_the_median(rubric, values, grade):
    found = propose_costs(ratios(*values), 0.31, rubric, SCALE)
    assert found.grade == grade
    if grade:
        assert "31" in found.basis  # the execution rate is stated, as context


def test_execution_rate_never_changes_the_cost_proposal(rubric):
    low = propose_costs(ratios(0.5, 0.6), 0.2, rubric, SCALE)
    high = propose_costs(ratios(0.5, 0.6), 1.0, rubric, SCALE)
    assert low.grade == high.grade == "A"


def test_costs_compared_with_fewer_than_three_pairs_are_left_out(rubric):
    assert propose_costs(ratios(0.5, 0.6, n=2), None, rubric, SCALE).grade is None


def test_no_cost_data_proposes_nothing(rubric):
    found = propose_costs([], None, rubric, SCALE, reason="aucune donnée de coût")
    assert (found.grade, found.basis) == (None, "non appréciable : aucune donnée de coût")


@pytest.mark.parametrize(("grades", "median"), [
    (["A", "B", "C"], "B"), (["A", "B", "C", "D"], "C"), (["B", None, "B"], "B"),
    ([None], None), (["D", "A"], "D")])
def test_median_grade_takes_the_lower_middle(grades, median):
    assert median_grade(grades, SCALE) == median


def facts(programme, observations, indicator_rows):
    return Facts(programme, pd.DataFrame(indicator_rows), observations, "jette-sidi-bibi", 2012,
                 BANDS)


def obs(*records):
    return pd.DataFrame([{"pair": "jette-sidi-bibi", "indicator": i, "year": y, "value": v,
                          "dimension": d, "category": c} for i, y, v, d, c in records])


def test_every_partner_type_is_needed(programme):
    found = obs(("RI7.1", 2007, 0, "partenaire", "DJS"), ("RI7.1", 2007, 0, "partenaire", "DAS"),
                ("RI7.1", 2007, 0, "partenaire", "ONG"), ("RI7.1", 2007, 0, "partenaire", "INDH"),
                *[("RI7.1", y, v, "partenaire", c) for y in range(2008, 2013)
                  for c, v in (("DJS", 1), ("DAS", 0), ("ONG", 1), ("INDH", 0))])
    test = Verification(indicateur="RI7.1", toutes_modalites=True)
    outcome = verify_one(test, facts(programme, found, []))
    assert outcome.state == "non_satisfait"
    assert "2 modalités sur 4" in outcome.detail and "DAS, INDH" in outcome.detail


def test_a_missing_year_leaves_the_split_undetermined(programme):
    found = obs(("RI7.1", 2007, 0, "partenaire", "DJS"), ("RI7.1", 2012, 1, "partenaire", "DJS"))
    test = Verification(indicateur="RI7.1", toutes_modalites=True)
    assert verify_one(test, facts(programme, found, [])).state == "indetermine"


ROW = {"code": "RI4.4", "baseline": 33.0, "actual": 29.0, "achievement_raw": 0.17}


@pytest.mark.parametrize(("test", "row", "state"), [
    (Verification(indicateur="RI4.4", progres=True), ROW, "satisfait"),  # ↓: 33 → 29 is progress
    (Verification(indicateur="RI4.4", progres=True), {**ROW, "actual": 35.0}, "non_satisfait"),
    (Verification(indicateur="RI4.4", progres=True), {**ROW, "actual": math.nan}, "indetermine"),
    (Verification(indicateur="RI1.1", valeur_min=3),
     {"code": "RI1.1", "baseline": 0.0, "actual": 3.0, "achievement_raw": 0.75}, "satisfait"),
    (Verification(indicateur="RI1.1", valeur_min=3),
     {"code": "RI1.1", "baseline": 0.0, "actual": 2.0, "achievement_raw": 0.5}, "non_satisfait"),
    (Verification(indicateurs=["RI4.4"], seuil="threshold_on_track"), ROW, "non_satisfait"),
    (Verification(indicateurs=["RI4.4"], seuil="threshold_late"),
     {**ROW, "achievement_raw": 0.4}, "satisfait"),
])
def test_single_indicator_tests(programme, test, row, state):
    assert verify_one(test, facts(programme, obs(), [row])).state == state


def test_a_test_names_one_kind(programme):
    with pytest.raises(ValueError):
        Verification(indicateur="RI1.1", valeur_min=3, progres=True)
    with pytest.raises(ValueError):
        Verification(indicateurs=["RI1.1"])  # a threshold is needed
