"""French number formatting."""

import math

import pytest

from maroc_eval import fmt

S = fmt.NNBSP


@pytest.mark.parametrize(("value", "decimals", "expected"), [
    (1234.5, 1, f"1{S}234,5"),
    (1234.0, 1, f"1{S}234"),
    (669685, 0, f"669{S}685"),
    (0.25, 2, "0,25"),
    (-3.5, 1, "-3,5"),
    (-0.01, 1, "0"),
    (None, 1, "—"),
    (math.nan, 1, "—"),
])
def test_number(value, decimals, expected):
    assert fmt.number(value, decimals) == expected


def test_percent_and_achievement():
    assert fmt.percent(45) == f"45{S}%"
    assert fmt.percent(0.45, ratio=True) == f"45{S}%"
    assert fmt.achievement(0.8) == f"80{S}%"
    assert fmt.achievement(None) == "—"


def test_value_by_measure():
    assert fmt.value(1.0, "oui_non") == "oui"
    assert fmt.value(0.0, "oui_non") == "non"
    assert fmt.value(2.0, "ordinal", {2: "service créé"}) == "2 (service créé)"
    assert fmt.value(12.5, "pourcentage") == f"12,5{S}%"
    assert fmt.value(1500, "nombre", unit="kMAD") == f"1{S}500{fmt.NBSP}kMAD"


def test_signed():
    assert fmt.signed(2.5) == "+2,5"
    assert fmt.signed(-27) == "−27"
