"""The exploration view (maroc_eval.notebook.explore): RI or indicator, stocks, axes, targets.

Expected figures are read here from ``data/sample/suivi.csv`` and ``params/programme.yml`` with
the standard library and PyYAML (csv sums, the logframe's targets), not through the package.
"""

from __future__ import annotations

import itertools
import math

import pytest
from exploration_helpers import Cells, logframe, number, stock, yearly

from maroc_eval.base.errors import ParameterError
from maroc_eval.notebook import explore
from maroc_eval.notebook.context import open_context
from maroc_eval.notebook.explore import Exploration, select_indicators

PAIRS = ["schaerbeek-al-hoceima", "jette-sidi-bibi", "forest-jerada", "liege-tanger",
         "auderghem-amerzgane", "bruxelles-tetouan"]


@pytest.fixture(scope="module")
def contexts(tmp_path_factory):
    out = tmp_path_factory.mktemp("exploration")

    def ctx(phase="final", pair="forest-jerada"):
        return open_context("exploration", phase=phase, pair=pair, output_dir=str(out))

    return ctx


# -- RI or indicator ---------------------------------------------------------------------------
def test_an_ri_selects_all_its_indicators(programme):
    wanted = [i["code"] for i in logframe()["indicateurs"] if i["ri"] == "RI3"]
    assert [i.code for i in select_indicators(programme, "RI3")] == wanted
    assert [i.code for i in select_indicators(programme, " ri 3 ")] == wanted
    assert [i.code for i in select_indicators(programme, "ri3.1")] == ["RI3.1"]


@pytest.mark.parametrize(("given", "hint"), [("RI6", None), ("RI3.9", "RI3.5"), ("R3", "RI3"),
                                             ("", None)])
def test_unknown_selection_is_refused_in_french(programme, given, hint):
    with pytest.raises(ParameterError) as err:
        select_indicators(programme, given)
    text = str(err.value)
    assert text.startswith(f"Paramètre indicator = « {given} »")
    assert "RI1, RI2, RI3, RI4, RI5, RI7" in text
    if hint:
        assert f"vouliez-vous dire « {hint} » ?" in text


# -- stocks over a late window -----------------------------------------------------------------
def test_cumulative_indicator_shows_the_stock_in_a_late_single_year(contexts):
    view = Exploration(contexts(), "RI3", 2011, 2011)
    frame = view.series(view.ctx.programme.indicator_map["RI3.1"])
    assert list(frame.index) == [2011]
    assert list(frame.columns) == ["forest-jerada", *[p for p in PAIRS if p != "forest-jerada"]]
    for pair in PAIRS:
        assert frame.loc[2011, pair] == stock(pair, "RI3.1", 2011)
    # the 2011 flow of Forest – Jérada is zero: the stock is not the flow
    assert yearly("forest-jerada", "RI3.1")[2011] == 0
    assert frame.loc[2011, "forest-jerada"] == 6


def test_stock_over_a_late_window_and_annual_values_as_they_are(contexts):
    view = Exploration(contexts(), "RI3", 2010, 2012, ["liege-tanger"])
    cum = view.series(view.ctx.programme.indicator_map["RI3.2"])
    assert list(cum.columns) == ["forest-jerada", "liege-tanger"]
    for year in (2010, 2011, 2012):
        for pair in ("forest-jerada", "liege-tanger"):
            expected = stock(pair, "RI3.2", year)
            got = cum.loc[year, pair]
            assert (math.isnan(expected) and math.isnan(got)) or got == expected
    annual = view.series(view.ctx.programme.indicator_map["RI3.3"])  # « annuel »: not summed
    for year in (2010, 2011, 2012):
        assert annual.loc[year, "forest-jerada"] == yearly("forest-jerada", "RI3.3")[year]


def test_the_phase_decides_the_years_and_the_targets(contexts):
    final = Exploration(contexts("final"), "RI3.1")
    midterm = Exploration(contexts("midterm"), "RI3.1")
    assert final.years == list(range(2007, 2013)) and midterm.years == list(range(2007, 2011))
    goals = {i["code"]: i["cibles"] for i in logframe()["indicateurs"]}["RI3.1"]
    assert set(final.targets()) == {goals["final"]}
    assert set(midterm.targets()) == {goals["midterm"]}
    with pytest.raises(ParameterError, match="first_year ≤ last_year ≤ 2010"):
        Exploration(contexts("midterm"), "RI3.1", 2011, 2011)


def test_relative_targets_are_resolved_on_each_pairs_baseline(contexts):
    view = Exploration(contexts("midterm"), "RI4.2")
    raw = {i["code"]: i["cibles"] for i in logframe()["indicateurs"]}["RI4.2"]["midterm"]
    rate = float(raw.strip().rstrip("%").replace("+", "")) / 100
    for pair in PAIRS:
        assert view.targets()[pair] == pytest.approx(yearly(pair, "RI4.2")[2007] * (1 + rate))


@pytest.mark.parametrize(("first", "last", "compare", "message"), [
    (2009, 2008, [], "first_year ≤ last_year"),
    (2006, 2008, [], "2007 ≤ first_year"),
    ("2009", None, [], "attendu une année"),
    (None, None, ["jete-sidi-bibi"], "vouliez-vous dire « jette-sidi-bibi » ?"),
])
def test_bad_years_or_pairs_are_refused(contexts, first, last, compare, message):
    with pytest.raises(ParameterError, match=message):
        Exploration(contexts(), "RI3.1", first, last, compare)


# -- charts ------------------------------------------------------------------------------------
def test_single_year_chart_has_every_pair_and_a_value_axis(contexts):
    view = Exploration(contexts(), "RI3", 2011, 2011)
    fig = view.figure()
    axes = [ax for ax in fig.axes if ax.get_visible()]
    assert len(axes) == 5  # RI3.1 … RI3.5
    labels = [t.get_text() for t in axes[0].get_yticklabels()]
    assert labels[0] == "▶ Forest – Jérada" and len(labels) == 6
    low, high = axes[0].get_xlim()  # RI3.1: stocks 6…10, target 12; not years
    assert low == 0 and 12 < high < 15
    pct_low, pct_high = axes[4].get_xlim()  # RI3.5, a percentage, target 100
    assert pct_low == 0 and 100 < pct_high <= 120
    assert [t.get_text() for t in axes[3].get_xticklabels()] == ["non", "oui"]  # RI3.4
    assert "2011" in fig._suptitle.get_text()


def test_single_year_chart_draws_each_pairs_target(contexts):
    view = Exploration(contexts("midterm"), "RI4.2", 2010, 2010)
    fig = view.figure()
    ax = fig.axes[0]
    ticks = [c for c in ax.collections if getattr(c, "get_offsets", None) is not None
             and len(c.get_offsets()) == 1 and c.get_linewidths()[0] == 1.6]
    drawn = sorted(float(c.get_offsets()[0][0]) for c in ticks)
    expected = sorted(yearly(p, "RI4.2")[2007] * 1.15 for p in PAIRS)
    assert drawn == pytest.approx(expected)


def test_window_chart_has_integer_year_axis(contexts):
    view = Exploration(contexts(), "RI3.1", 2009, 2012)
    ax = view.figure().axes[0]
    assert ax.get_xlim() == pytest.approx((2008.7, 2013.1))  # room for the lines' names
    ticks = [t for t in ax.get_xticks() if 2008.7 <= t <= 2012.3]
    assert ticks == [2009, 2010, 2011, 2012]
    lines = {tuple(line.get_xdata()) for line in ax.get_lines() if len(line.get_xdata()) == 4}
    assert (2009, 2010, 2011, 2012) in lines


def test_each_grey_line_is_named_at_its_end(contexts, programme):
    """The other pairs' lines carry their Moroccan commune's name at their last known value;
    the studied pair is the coloured line of the legend, not named twice."""
    view = Exploration(contexts(), "RI3.1", 2009, 2012)
    ax = view.figure().axes[0]
    named = {t.get_text(): t for t in ax.texts if not t.get_text().startswith("cible")}
    others = {p.moroccan for p in programme.pairs if p.code != view.ctx.pair.code}
    assert set(named) == others
    series = view.series()
    for pair in programme.pairs:
        if pair.moroccan in named:
            known = series[pair.code].dropna()
            assert named[pair.moroccan].xy == (known.index[-1], known.iloc[-1])  # points there
    # names never print on top of each other: 8 % of the others' value range apart at least
    spots = sorted(t.xyann[1] for t in named.values())
    others_range = series.drop(columns=[view.ctx.pair.code]).stack()
    gap = 0.08 * (others_range.max() - others_range.min())
    assert all(b - a >= gap - 1e-9 for a, b in itertools.pairwise(spots))


# -- the table to paste ------------------------------------------------------------------------
def test_table_of_one_indicator_years_then_target(contexts):
    view = Exploration(contexts(), "RI3.1", 2010, 2011)
    rows = Cells(str(view.summary())).rows
    assert rows[0][:2] == ["Année", "Forest – Jérada"]
    assert [r[0] for r in rows[1:]] == ["2010", "2011", "Cible 2012 (Évaluation finale)"]
    order = ["forest-jerada", *[p for p in PAIRS if p != "forest-jerada"]]
    assert [number(c) for c in rows[2][1:]] == [stock(p, "RI3.1", 2011) for p in order]
    assert [number(c) for c in rows[3][1:]] == [12.0] * 6


def test_table_of_an_ri_has_an_indicator_column(contexts):
    view = Exploration(contexts(), "RI3", 2011, 2011, ["jette-sidi-bibi"])
    markup = str(view.summary())
    rows = Cells(markup).rows
    assert rows[0] == ["Indicateur", "Année", "Forest – Jérada", "Jette – Sidi Bibi"]
    assert len(rows) == 1 + 5 * 2  # a value row and a target row per indicator
    assert rows[1][0].startswith("RI3.1 — ") and rows[1][1] == "2011"
    assert [number(c) for c in rows[1][2:]] == [stock("forest-jerada", "RI3.1", 2011),
                                                 stock("jette-sidi-bibi", "RI3.1", 2011)]
    assert "Indicateurs cumulatifs\xa0: stock à la fin de l&#x27;année" in markup


def test_dashboard_shows_only_the_panel(contexts, monkeypatch):
    shown = []
    monkeypatch.setattr(explore, "show", shown.append)
    view = Exploration(contexts(), "RI3.1", 2011, 2011)
    monkeypatch.setenv("SERVER_SOFTWARE", "voila/0.5.13")
    view.chart(), view.raw(), view.table()
    assert shown == []
    monkeypatch.delenv("SERVER_SOFTWARE")
    view.chart(), view.table()
    assert len(shown) == 4  # two headings, the figure, the table
