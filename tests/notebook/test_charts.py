"""Charts stay readable (and cheap) when a programme has many pairs."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PolyCollection

from maroc_eval.notebook import charts, style

YEARS = [2007, 2008, 2009, 2010]


def series_for(n: int) -> dict[str, pd.Series]:
    """``n`` pairs ``p0…``; pair k has value k + year offset (so the range is known)."""
    return {f"p{k}": pd.Series([k + i for i in range(len(YEARS))], index=YEARS, dtype=float)
            for k in range(n)}


def grey_lines(ax) -> list:
    return [line for line in ax.get_lines()
            if line.get_color() == style.OTHERS_COLOUR and len(line.get_xdata())]


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_few_pairs_are_drawn_one_line_each():
    n = charts.MAX_DRAWN_OTHERS + 1  # the pair and MAX others
    fig = charts.lines(series_for(n), title="t", ylabel="y", highlight="p0")
    ax = fig.axes[0]
    assert len(grey_lines(ax)) == charts.MAX_DRAWN_OTHERS
    assert not [c for c in ax.collections if isinstance(c, PolyCollection)]


def test_many_pairs_become_median_and_range():
    fig = charts.lines(series_for(40), title="t", ylabel="y", highlight="p0")
    ax = fig.axes[0]
    [median] = grey_lines(ax)
    # Others are p1…p39: values k + i, so the median is 20 + i, the range [1 + i, 39 + i].
    assert list(median.get_ydata()) == [20.0, 21.0, 22.0, 23.0]
    [band] = [c for c in ax.collections if isinstance(c, PolyCollection)]
    ys = band.get_paths()[0].vertices[:, 1]
    assert ys.min() == 1.0 and ys.max() == 39.0 + len(YEARS) - 1
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "Autres partenariats (39) : médiane et étendue" in labels


def test_ranking_with_many_pairs_places_the_pair_on_a_strip():
    values = pd.Series({f"p{k}": k / 20 for k in range(20)})  # p0 = 0 %, …, p19 = 95 %
    values["p5"] = np.nan
    fig = charts.ranking_bars(values, "p12", title="Indice", labels={"p12": "Douze"})
    ax = fig.axes[0]
    assert not ax.patches  # no bars
    texts = [t.get_text() for t in ax.texts]
    # 19 pairs with a value; p13…p19 (7 pairs) are above p12 (60 %): rank 8.
    assert any("Douze" in t and "rang 8 sur 19" in t for t in texts), texts
    assert "1 non renseigné" in ax.get_xlabel()


def test_ranking_with_few_pairs_keeps_bars():
    values = pd.Series({f"p{k}": k / 6 for k in range(6)})
    fig = charts.ranking_bars(values, "p2", title="Indice")
    assert len(fig.axes[0].patches) == 6


def test_a_legend_names_the_pairs_judged_with_thresholds_of_their_own():
    from maroc_eval.core.programme import Thresholds
    from maroc_eval.notebook.charts import own_thresholds_note

    common = Thresholds()
    own = {"jette-sidi-bibi": Thresholds(threshold_on_track=0.9), "forest-jerada": common}
    labels = {"jette-sidi-bibi": "Jette – Sidi Bibi", "forest-jerada": "Forest – Jérada"}
    note = own_thresholds_note(own, labels, common).replace("\u202f", " ").replace("\xa0", " ")
    assert note == "Seuils propres à Jette – Sidi Bibi : en bonne voie ≥ 90 %"
    assert own_thresholds_note({"forest-jerada": common}, labels, common) is None
