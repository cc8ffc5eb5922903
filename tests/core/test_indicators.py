"""Tests of the indicator engine, against values computed by hand on small tables."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from maroc_eval.base.errors import ParameterError
from maroc_eval.core import indicators as ind
from maroc_eval.core import series as ser
from maroc_eval.core import targets as tg
from maroc_eval.core.programme import load_programme
from maroc_eval.core.programme_items import Indicator, Target
from maroc_eval.core.thresholds import Thresholds

COLUMNS = ["pair", "indicator", "year", "value", "dimension", "category", "source", "comment",
           "file", "line"]
PAIR = "jette-sidi-bibi"


def make_obs(rows) -> pd.DataFrame:
    """Rows ``(pair, indicator, year, value[, dimension, category])`` → observations table."""
    records = []
    for i, row in enumerate(rows):
        pair, code, year, value, *split = row
        dim, cat = split if split else ("", "")
        records.append([pair, code, year, float(value), dim, cat, "", "", "t.csv", i + 2])
    frame = pd.DataFrame(records, columns=COLUMNS)
    return frame.astype({"year": "int64", "value": "float64", "line": "int64"})


def make_indicator(code="RI9.1", *, measure="nombre", direction="hausse", accumulation="etat",
                   dimensions=(), mid=2, final=4, **extra) -> Indicator:
    data = {"code": code, "ri": code.split(".")[0], "libelle": "test", "unite": "u",
            "mesure": measure, "sens": direction, "cumul": accumulation,
            "ventilation": list(dimensions), "cibles": {"midterm": mid, "final": final}, **extra}
    return Indicator.model_validate(data)


@pytest.fixture(scope="module")
def programme():
    return load_programme()


# --- achievement -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("actual", "base", "target", "direction", "expected"),
    [
        (30, 40, 20, "baisse", (0.5, 0.5)),       # ↓: fell 10 of the 20 asked
        (10, 40, 20, "baisse", (1.5, 1.0)),       # ↓ beyond target: raw 30/20, capped
        (50, 40, 20, "baisse", (-0.5, 0.0)),      # ↓ worsened: 10 up of 20 down asked
        (3, 0, 4, "hausse", (0.75, 0.75)),
        (6, 2, 4, "hausse", (2.0, 1.0)),
        (1, 2, 4, "hausse", (-0.5, 0.0)),
        (1, 0, 1, "hausse", (1.0, 1.0)),          # yes-no 0 → 1
        (0, 0, 1, "hausse", (0.0, 0.0)),          # yes-no still no
        (3, 1, 4, "hausse", (2 / 3, 2 / 3)),      # ordinal stage 1 → 3 of target 4
    ],
)
def test_achievement_ratio(actual, base, target, direction, expected):
    raw, capped = ind.achievement(actual, base, target, direction)
    assert raw == pytest.approx(expected[0])
    assert capped == pytest.approx(expected[1])


@pytest.mark.parametrize(
    ("actual", "base", "target", "direction", "expected"),
    [
        (5, 5, 5, "hausse", (1.0, 1.0)),     # target = baseline, kept → met
        (6, 5, 5, "hausse", (1.0, 1.0)),
        (4, 5, 5, "hausse", (0.0, 0.0)),     # target = baseline, lost ground
        (4, 5, 5, "baisse", (1.0, 1.0)),
        (6, 5, 5, "baisse", (0.0, 0.0)),
        (9, 10, 8, "hausse", (1.0, 1.0)),    # hausse, target below baseline: above 8 → met
        (7, 10, 8, "hausse", (0.0, 0.0)),
        (12, 10, 15, "baisse", (1.0, 1.0)),  # baisse, target above baseline: below 15 → met
        (16, 10, 15, "baisse", (0.0, 0.0)),
    ],
)
def test_achievement_degenerate_targets(actual, base, target, direction, expected):
    assert ind.achievement(actual, base, target, direction) == expected


@pytest.mark.parametrize("missing", [None, math.nan])
@pytest.mark.parametrize("position", [0, 1, 2])
def test_achievement_missing_value(missing, position):
    args = [3.0, 1.0, 5.0]
    args[position] = missing
    assert ind.achievement(*args, "hausse") == (None, None)


# --- status ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (1.0, "atteint"), (1.7, "atteint"), (0.999, "en_bonne_voie"), (0.75, "en_bonne_voie"),
        (0.7499, "en_retard"), (0.40, "en_retard"), (0.3999, "critique"), (-2.0, "critique"),
        (None, "non_renseigne"), (math.nan, "non_renseigne"),
    ],
)
def test_status_bands_at_exact_thresholds(raw, expected):
    assert ind.status(raw, Thresholds()) == expected


def test_status_uses_given_thresholds():
    strict = Thresholds(threshold_met=1.2, threshold_on_track=0.9, threshold_late=0.5)
    assert ind.status(1.0, strict) == "en_bonne_voie"
    assert ind.status(0.8, strict) == "en_retard"


def test_status_labels_cover_codes():
    from maroc_eval.base.status import FINAL_STATUS_CODES

    assert set(ind.STATUS_LABELS) == set(ind.STATUS_CODES) | set(FINAL_STATUS_CODES)
    assert ind.STATUS_LABELS["non_renseigne"] == "Non renseigné"


@pytest.mark.parametrize(("value", "expected"), [
    (1.0, "atteint"), (0.99, "largement_atteint"), (0.8, "largement_atteint"),
    (0.75, "largement_atteint"), (0.74, "partiellement_atteint"),
    (0.4, "partiellement_atteint"), (0.39, "non_atteint"), (None, "non_renseigne")])
def test_a_summative_phase_judges_results_reached(value, expected):
    final = Thresholds().for_phase(summative=True)
    assert ind.status(value, final) == expected
    assert ind.status(value, Thresholds()) != expected or expected in ("atteint",
                                                                        "non_renseigne")


def test_the_final_scale_follows_its_thresholds():
    """Moving a threshold moves the statuses across it, and only them: 98 % and 46 % never
    read the same."""
    values = [0.98, 0.80, 0.60, 0.46, 0.30]
    default = [ind.status(v, Thresholds().for_phase(summative=True)) for v in values]
    assert default == ["largement_atteint", "largement_atteint", "partiellement_atteint",
                       "partiellement_atteint", "non_atteint"]
    stricter = Thresholds(threshold_on_track=0.9).for_phase(summative=True)
    assert [ind.status(v, stricter) for v in values] == [
        "largement_atteint", "partiellement_atteint", "partiellement_atteint",
        "partiellement_atteint", "non_atteint"]
    looser = Thresholds(threshold_on_track=0.5, threshold_late=0.3).for_phase(summative=True)
    assert [ind.status(v, looser) for v in values] == [
        "largement_atteint", "largement_atteint", "largement_atteint", "partiellement_atteint",
        "partiellement_atteint"]


def test_final_rows_never_speak_of_trajectories(programme):
    from maroc_eval.base import paths
    from maroc_eval.base.status import FINAL_STATUS_CODES, STATUS_CODES
    from maroc_eval.core.dataset import read_dataset

    data = read_dataset(paths.PROGRAMME_FILE, paths.SAMPLE_DIR)
    final = data.all_rows("final")
    midterm = data.all_rows("midterm")
    assert set(final["status"]) <= set(FINAL_STATUS_CODES)
    assert set(midterm["status"]) <= set(STATUS_CODES)
    # the same achievement is worded by the phase: 0.8 of the way is « partiellement atteint »
    # at the end, never « en bonne voie »
    assert "en_bonne_voie" not in set(final["status"])
    assert {"partiellement_atteint", "atteint"} <= set(final["status"])


# --- resolve_target --------------------------------------------------------------------------
def test_resolve_target():
    assert tg.resolve_target(Target(value=25, relative=True), 80) == pytest.approx(100.0)
    assert tg.resolve_target(Target(value=-10, relative=True), 50) == pytest.approx(45.0)
    assert tg.resolve_target(Target(value=4), None) == 4.0
    assert tg.resolve_target(Target(value=25, relative=True), None) is None


# --- series ----------------------------------------------------------------------------------
def test_annual_series_state_indicator_with_gap():
    obs = make_obs([(PAIR, "RI9.1", 2007, 1), (PAIR, "RI9.1", 2009, 3),
                    ("other", "RI9.1", 2008, 9)])
    series = ser.annual_series(obs, make_indicator(), PAIR, [2007, 2008, 2009])
    assert series.loc[2007] == 1.0
    assert math.isnan(series.loc[2008])
    assert series.loc[2009] == 3.0


def test_cumulative_running_total():
    # stock 2 before the programme, then flows 1, 0, 3 → 2, 3, 3, 6
    obs = make_obs([(PAIR, "RI9.1", y, v) for y, v in [(2007, 2), (2008, 1), (2009, 0), (2010, 3)]])
    series = ser.annual_series(obs, make_indicator(accumulation="cumulatif"), PAIR,
                               [2007, 2008, 2009, 2010])
    assert list(series) == [2.0, 3.0, 3.0, 6.0]


def test_cumulative_gap_makes_later_values_unknown():
    obs = make_obs([(PAIR, "RI9.1", y, v) for y, v in [(2007, 2), (2008, 1), (2010, 3), (2011, 1)]])
    series = ser.annual_series(obs, make_indicator(accumulation="cumulatif"), PAIR,
                               [2007, 2008, 2009, 2010, 2011])
    assert list(series[:2]) == [2.0, 3.0]
    assert series[2009:].isna().all()


def test_disaggregated_total_is_sum_and_total_row_wins():
    obs = make_obs([
        (PAIR, "RI9.1", 2007, 2, "sexe", "F"), (PAIR, "RI9.1", 2007, 3, "sexe", "H"),
        (PAIR, "RI9.1", 2008, 1, "sexe", "F"), (PAIR, "RI9.1", 2008, 1, "sexe", "H"),
        (PAIR, "RI9.1", 2008, 7),  # a total row: wins over 1 + 1
    ])
    indicator = make_indicator(dimensions=("sexe",))
    assert list(ser.annual_series(obs, indicator, PAIR, [2007, 2008])) == [5.0, 7.0]


def test_value_at_and_baseline_cumulative():
    obs = make_obs([(PAIR, "RI9.1", y, v) for y, v in [(2007, 4), (2008, 2), (2009, 5)]])
    indicator = make_indicator(accumulation="cumulatif")
    assert ser.baseline(obs, indicator, PAIR, 2007) == 4.0
    assert ser.value_at(obs, indicator, PAIR, 2009) == 11.0
    assert ser.value_at(obs, indicator, PAIR, 2010) is None
    assert ser.value_at(obs, make_indicator(), PAIR, 2008) == 2.0


def test_missing_years():
    obs = make_obs([(PAIR, "RI9.1", 2007, 1), (PAIR, "RI9.1", 2010, 1, "sexe", "F"),
                    (PAIR, "RI9.2", 2008, 1)])
    assert ser.missing_years(obs, make_indicator(), PAIR, [2007, 2008, 2009, 2010]) == [2008, 2009]


# --- disaggregation --------------------------------------------------------------------------
def test_disaggregation_cumulative_shares():
    rows = [(PAIR, "RI9.1", 2007, 1, "sexe", "F"), (PAIR, "RI9.1", 2007, 1, "sexe", "H"),
            (PAIR, "RI9.1", 2008, 2, "sexe", "F"), (PAIR, "RI9.1", 2008, 0, "sexe", "H"),
            (PAIR, "RI9.1", 2009, 3, "sexe", "F"), (PAIR, "RI9.1", 2009, 1, "sexe", "H")]
    indicator = make_indicator(accumulation="cumulatif", dimensions=("sexe",))
    frame = ser.disaggregation(make_obs(rows), indicator, PAIR, 2008)
    # F: 1 + 2 = 3, H: 1 + 0 = 1 → shares 0.75 / 0.25
    assert list(frame["category"]) == ["F", "H"]
    assert list(frame["value"]) == [3.0, 1.0]
    assert list(frame["share"]) == pytest.approx([0.75, 0.25])


def test_disaggregation_annual_and_empty():
    rows = [(PAIR, "RI9.1", 2009, 3, "partenaire", "ONG"),
            (PAIR, "RI9.1", 2009, 1, "partenaire", "DJS"),
            (PAIR, "RI9.2", 2009, 5)]
    obs = make_obs(rows)
    frame = ser.disaggregation(obs, make_indicator(dimensions=("partenaire",)), PAIR, 2009)
    assert dict(zip(frame["category"], frame["share"], strict=True)) == {"ONG": 0.75, "DJS": 0.25}
    empty = ser.disaggregation(obs, make_indicator("RI9.2"), PAIR, 2009)
    assert empty.empty and list(empty.columns) == ["category", "value", "share"]


def test_disaggregation_zero_total_has_nan_share():
    rows = [(PAIR, "RI9.1", 2009, 0, "sexe", "F"), (PAIR, "RI9.1", 2009, 0, "sexe", "H")]
    frame = ser.disaggregation(make_obs(rows), make_indicator(dimensions=("sexe",)), PAIR, 2009)
    assert list(frame["value"]) == [0.0, 0.0]
    assert frame["share"].isna().all()


def test_disaggregation_cumulative_gap_is_unknown():
    rows = [(PAIR, "RI9.1", 2007, 1, "sexe", "F"), (PAIR, "RI9.1", 2009, 1, "sexe", "F")]
    indicator = make_indicator(accumulation="cumulatif", dimensions=("sexe",))
    frame = ser.disaggregation(make_obs(rows), indicator, PAIR, 2009)
    assert frame["value"].isna().all()


# --- ri_index, per_10000, target_path --------------------------------------------------------
def test_ri_index_ignores_missing_rows():
    rows = pd.DataFrame({"achievement": [1.0, 0.5, math.nan, None]})
    index, coverage = ind.ri_index(rows)
    assert index == pytest.approx(0.75)
    assert coverage == pytest.approx(0.5)
    assert ind.ri_index(pd.DataFrame({"achievement": [math.nan]})) == (None, 0.0)
    assert ind.ri_index(pd.DataFrame({"achievement": []})) == (None, 0.0)


def test_per_10000():
    assert ser.per_10000(50, 25000) == pytest.approx(20.0)
    assert ser.per_10000(None, 25000) is None
    assert ser.per_10000(5, 0) is None


def test_target_path():
    path = tg.target_path([(2007, 10), (2010, 20), (2012, 50)],
                          [2006, 2007, 2008, 2009, 2010, 2011, 2012, 2013])
    # 10 → 20 over three years (+10/3 a year), then 20 → 50 over two (+15 a year)
    assert math.isnan(path.loc[2006]) and math.isnan(path.loc[2013])
    assert path.loc[2007] == pytest.approx(10.0)
    assert path.loc[2008] == pytest.approx(13.3333333)
    assert path.loc[2010] == pytest.approx(20.0)
    assert path.loc[2011] == pytest.approx(35.0)
    assert path.loc[2012] == pytest.approx(50.0)


def test_target_path_without_baseline(programme):
    """A relative target without baseline is unknown: the path runs between the others."""
    points = tg.anchors(programme, "RI1.2", PAIR, None)
    assert points == [(2010, 3.0), (2012, 5.0)]
    path = tg.target_path(points, [2007, 2010, 2011, 2012])
    assert math.isnan(path.loc[2007])
    assert path.loc[2011] == pytest.approx(4.0)
    assert tg.anchors(programme, "RI4.2", PAIR, None) == []  # +15 %, +30 % of nothing


# --- on the real programme -------------------------------------------------------------------
def test_indicator_rows_on_programme(programme):
    obs = make_obs([
        (PAIR, "RI4.4", 2007, 40), (PAIR, "RI4.4", 2010, 30),     # ↓ target 20 at mid-term
        (PAIR, "RI4.2", 2007, 80), (PAIR, "RI4.2", 2010, 88),     # +15 % of 80 = 92 → 8/12
        (PAIR, "RI2.1", 2007, 0), (PAIR, "RI2.1", 2010, 1),       # yes-no
        (PAIR, "RI3.1", 2007, 1, "sexe", "F"), (PAIR, "RI3.1", 2007, 1, "sexe", "H"),
        (PAIR, "RI3.1", 2008, 2, "sexe", "F"), (PAIR, "RI3.1", 2009, 1, "sexe", "H"),
        (PAIR, "RI3.1", 2010, 0, "sexe", "F"),                    # cumul 2+2+1+0 = 5 of 6
    ])
    rows = ind.indicator_rows(programme, obs, PAIR, "midterm").set_index("code")
    assert list(rows.index) == [i.code for i in programme.indicators]
    assert rows.loc["RI4.4", "achievement"] == pytest.approx(0.5)
    assert rows.loc["RI4.4", "status"] == "en_retard"
    assert rows.loc["RI4.4", "missing_years"] == [2008, 2009]
    assert rows.loc["RI4.2", "target"] == pytest.approx(92.0)
    assert rows.loc["RI4.2", "achievement"] == pytest.approx(8 / 12)
    assert rows.loc["RI2.1", "status"] == "atteint"
    assert rows.loc["RI3.1", "baseline"] == 2.0
    assert rows.loc["RI3.1", "actual"] == 5.0
    # (5 − 2) / (6 − 2) = 0.75
    assert rows.loc["RI3.1", "status"] == "en_bonne_voie"
    assert math.isnan(rows.loc["RI1.1", "actual"])
    assert rows.loc["RI1.1", "status"] == "non_renseigne"


def test_indicator_rows_pair_override_and_thresholds(programme):
    obs = make_obs([("liege-tanger", "RI1.2", 2007, 2), ("liege-tanger", "RI1.2", 2010, 5)])
    rows = ind.indicator_rows(programme, obs, "liege-tanger", "midterm",
                              Thresholds(threshold_met=0.7, threshold_on_track=0.6,
                                         threshold_late=0.1))
    row = rows.set_index("code").loc["RI1.2"]
    assert row["target"] == 6.0  # cibles_specifiques: 6 instead of 3
    assert row["achievement"] == pytest.approx(0.75)
    assert row["status"] == "atteint"


@pytest.mark.parametrize(("pair", "phase", "needle"), [
    ("jette", "midterm", "jette-sidi-bibi"), (PAIR, "mid", "midterm, final"),
])
def test_indicator_rows_unknown_codes(programme, pair, phase, needle):
    with pytest.raises(ParameterError, match="inconnu") as info:
        ind.indicator_rows(programme, make_obs([]), pair, phase)
    assert needle in str(info.value)


def test_all_pairs_rows_and_ri_index_table(programme):
    obs = make_obs([(PAIR, "RI2.1", 2007, 0), (PAIR, "RI2.1", 2012, 1),
                    (PAIR, "RI2.2", 2007, 1), (PAIR, "RI2.2", 2012, 3)])  # (3−1)/(5−1) = 0.5
    rows = ind.all_pairs_rows(programme, obs, "final")
    assert list(rows.columns) == ["pair", *ind.ROW_COLUMNS]
    assert len(rows) == len(programme.pairs) * len(programme.indicators)
    table = ind.ri_index_table(programme, obs, "final")
    assert list(table.index) == programme.pair_codes
    assert list(table.columns) == [r.code for r in programme.results]
    assert table.loc[PAIR, "RI2"] == pytest.approx(0.75)  # mean of 1.0 and 0.5
    assert math.isnan(table.loc[PAIR, "RI1"])
    assert table.drop(index=PAIR).isna().all().all()


def test_total_row_wins_even_after_categories_and_nan_is_unknown():
    obs = make_obs([(PAIR, "RI9.1", 2008, 1, "sexe", "F"), (PAIR, "RI9.1", 2008, 9),
                    (PAIR, "RI9.1", 2009, math.nan)])
    series = ser.annual_series(obs, make_indicator(dimensions=("sexe",)), PAIR, [2008, 2009])
    assert series.loc[2008] == 9.0
    assert math.isnan(series.loc[2009])
