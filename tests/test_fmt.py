"""French number formatting."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maroc_eval.base import fmt
from maroc_eval.base.status import status_code

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


def _parse_percent(text: str) -> float:
    """The ratio a printed achievement says (« 89,7 % » → 0.897)."""
    return float(text.replace(fmt.NNBSP, "").replace("%", "").replace(",", ".")) / 100


@given(value=st.floats(min_value=-2, max_value=3, allow_nan=False),
       late=st.integers(0, 10000), gap1=st.integers(0, 10000), gap2=st.integers(0, 10000))
@settings(max_examples=2000, deadline=None)
def test_a_printed_achievement_lies_in_the_band_of_its_status(value, late, gap1, gap2):
    """Parse the printed figure back: it has the status of the exact value.

    Thresholds are given to the hundredth of a percent (0,7525 = 75,25 %), as parameters are.
    """
    edges = ((late + gap1 + gap2) / 10000, (late + gap1) / 10000, late / 10000)
    printed = fmt.achievement(value, edges)
    assert status_code(_parse_percent(printed), *edges) == status_code(value, *edges), printed


@pytest.mark.parametrize(("value", "printed"), [
    (0.8966, "89,7"),    # « 90 % » would read « en bonne voie » beside « en retard »
    (0.996, "99,6"),     # « 100 % » would read « atteint » beside « en bonne voie »
    (0.89999, "89,99"),  # still 90 at one decimal: cut toward its band
    (0.90, "90"),        # on the threshold: whole percent
    (0.5, "50"),         # far from any threshold: whole percent
])
def test_achievement_near_a_threshold_shows_decimals(value, printed):
    assert fmt.achievement(value, (1.0, 0.9, 0.4)) == printed + fmt.NNBSP + "%"


@pytest.mark.parametrize(("n", "expected"), [
    (1, "un partenariat"), (6, "six partenariats"), (7, "sept partenariats"),
    (20, "vingt partenariats"), (60, "60 partenariats"), (0, "zéro partenariat" + "s"),
])
def test_counts_in_words(n, expected):
    assert fmt.count(n, "partenariat") == expected


def test_no_text_counts_the_pairs_by_hand():
    """Headings and texts count the programme's pairs: none writes « six partenariats »."""
    from maroc_eval.base import paths

    places = [*paths.NOTEBOOKS_DIR.glob("*.ipynb"), *paths.TEMPLATES_DIR.rglob("*.j2"),
              *paths.PACKAGE_DIR.rglob("*.py")]
    found = [p.name for p in places if "six partenariats" in p.read_text("utf-8")
             and p.name != "fmt.py"]
    assert found == []
