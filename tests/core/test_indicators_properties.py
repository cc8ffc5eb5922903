"""Property tests of the achievement and status rules."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from maroc_eval.core import indicators as ind
from maroc_eval.core.thresholds import Thresholds

finite = st.floats(allow_nan=False, allow_infinity=False)
moderate = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
directions = st.sampled_from(["hausse", "baisse"])


@given(a1=moderate, a2=moderate, base=moderate, target=moderate, direction=directions)
def test_achievement_monotone_in_actual(a1, a2, base, target, direction):
    low, high = sorted((a1, a2))
    raw_low, cap_low = ind.achievement(low, base, target, direction)
    raw_high, cap_high = ind.achievement(high, base, target, direction)
    if direction == "hausse":
        assert raw_low <= raw_high and cap_low <= cap_high
    else:
        assert raw_low >= raw_high and cap_low >= cap_high


@given(actual=finite, base=finite, target=finite, direction=directions)
def test_achievement_never_leaks_inf_or_nan(actual, base, target, direction):
    raw, capped = ind.achievement(actual, base, target, direction)
    assert math.isfinite(raw) and math.isfinite(capped)
    assert 0.0 <= capped <= 1.0
    assert capped == min(max(raw, 0.0), 1.0)


@given(value=finite, direction=directions, actual=finite)
def test_target_equal_to_baseline_is_met_or_not(value, direction, actual):
    result = ind.achievement(actual, value, value, direction)
    reached = actual >= value if direction == "hausse" else actual <= value
    assert result == ((1.0, 1.0) if reached else (0.0, 0.0))


thresholds = st.tuples(
    st.floats(0, 2), st.floats(0, 2), st.floats(0, 2)
).map(lambda t: sorted(t, reverse=True)).map(
    lambda t: Thresholds(threshold_met=t[0], threshold_on_track=t[1], threshold_late=t[2])
)


@given(raw=st.floats(min_value=-5, max_value=5), bands=thresholds)
def test_status_consistent_with_thresholds(raw, bands):
    code = ind.status(raw, bands)
    assert code in ind.STATUS_CODES
    eps = 2e-9  # the engine absorbs float noise within 1e-9 of a threshold: stay clear of it
    if raw >= bands.threshold_met:
        assert code == "atteint"
    elif raw < bands.threshold_met - eps and raw >= bands.threshold_on_track:
        assert code == "en_bonne_voie"
    elif raw < bands.threshold_on_track - eps and raw >= bands.threshold_late:
        assert code == "en_retard"
    elif raw < bands.threshold_late - eps:
        assert code == "critique"
    order = ["atteint", "en_bonne_voie", "en_retard", "critique"]
    # a higher achievement never gets a worse status
    assert order.index(ind.status(raw + 0.5, bands)) <= order.index(code)


def test_tiny_and_huge_values_stay_finite():
    tiny = 5e-324
    assert ind.achievement(0.0, tiny, tiny, "hausse") == (0.0, 0.0)
    assert ind.achievement(tiny, 0.0, tiny, "hausse") == (1.0, 1.0)
    raw, capped = ind.achievement(1.7e308, -1.7e308, 1.7e308, "hausse")
    assert raw == 1.0 and capped == 1.0
    raw, capped = ind.achievement(1e300, 0.0, tiny, "hausse")
    assert math.isfinite(raw) and capped == 1.0
