"""Charts stay readable (and cheap) when a programme has many pairs, print legibly on A4, and
say one thing each: every indicator drawn once per report."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PolyCollection
from matplotlib.text import Text

from maroc_eval.base import paths
from maroc_eval.notebook import charts, grids, style

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
    from maroc_eval.core.thresholds import Thresholds
    from maroc_eval.notebook.charts import own_thresholds_note

    common = Thresholds()
    own = {"jette-sidi-bibi": Thresholds(threshold_on_track=0.9), "forest-jerada": common}
    labels = {"jette-sidi-bibi": "Jette – Sidi Bibi", "forest-jerada": "Forest – Jérada"}
    note = own_thresholds_note(own, labels, common).replace("\u202f", " ").replace("\xa0", " ")
    assert note == "Seuils propres à Jette – Sidi Bibi : en bonne voie ≥ 90 %"
    assert own_thresholds_note({"forest-jerada": common}, labels, common) is None


# -- print quality: titles that fit, text that stays legible, one thing per chart ----------------

A4_TEXT_WIDTH_IN = (210 - 2 * 16) / 25.4  # the report's print margins: 16 mm each side
CSS_PX_PER_IN = 96


@pytest.fixture(scope="module")
def sample():
    """The programme and the sample's mid-term view of the observations (read from the files)."""
    from maroc_eval.core.dataset import read_dataset

    dataset = read_dataset(paths.PROGRAMME_FILE, paths.SAMPLE_DIR).for_phase("midterm")
    return dataset.programme, dataset.observations


def rendered(fig):
    """Render ``fig`` as the notebooks do (PNG at the style's resolution); its renderer."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return fig.canvas.get_renderer(), buffer.getvalue()


def overflowing_titles(fig) -> list[str]:
    """Titles whose drawn text leaves their axes' width or the figure."""
    renderer, _ = rendered(fig)
    width, height = fig.bbox.width, fig.bbox.height
    bad = []
    for ax in fig.axes:
        box = ax.get_window_extent(renderer)
        for title in (ax.title, ax._left_title, ax._right_title):
            if not title.get_text() or not title.get_visible():
                continue
            extent = title.get_window_extent(renderer)
            if (extent.x0 < box.x0 - 1 or extent.x1 > box.x1 + 1 or extent.x0 < 0
                    or extent.x1 > width or extent.y1 > height + 1):
                bad.append(title.get_text())
    return bad


def small_texts(fig) -> list[tuple[str, float]]:
    """Visible texts set under 8 pt."""
    rendered(fig)
    return [(t.get_text(), t.get_fontsize()) for t in fig.findobj(Text)
            if t.get_visible() and t.get_text().strip() and t.get_fontsize() < 8]


def sample_charts(programme, obs):
    """Every kind of chart the reports show, with the longest titles they get."""
    years = list(range(2007, 2011))
    figs = [charts.trend_grid(programme, obs, "auderghem-amerzgane", "midterm",
                              programme.indicators_of(ri), years) for ri in
            ("RI1", "RI2", "RI3", "RI4", "RI5", "RI7")]
    values = pd.Series({p: 0.2 + 0.15 * k for k, p in enumerate(programme.pair_codes)})
    statuses = pd.Series(dict(zip(programme.pair_codes, ["critique", "en_retard", "en_retard",
                                                         "en_bonne_voie", "atteint", "atteint"],
                                  strict=True)))
    labels = {p.code: p.label for p in programme.pairs}
    figs.append(charts.ranking_bars(values, "liege-tanger", labels=labels, statuses=statuses,
                                    title="RI4.2 — Fréquentation annuelle des infrastructures "
                                          "sociales pour 10 000 habitants, 2010 (comparaison)",
                                    note="Seuils propres à Jette – Sidi Bibi : en bonne voie "
                                         "≥ 90 %"))
    figs.append(charts.stacked_by_year(
        pd.DataFrame({"F": [0, 1, 2, 2], "H": [1, 1, 2, 3]}, index=years),
        title=charts.panel_title(programme.indicator_map["RI7.1"]) + ", par type de partenaire",
        ylabel="conventions", measure="nombre"))
    matrix = pd.DataFrame([[0.5, 1.2], [0.3, None]], index=["p1", "p2"], columns=["RI1", "RI2"])
    status = pd.DataFrame([["en_retard", "atteint"], ["critique", "non_renseigne"]],
                          index=["p1", "p2"], columns=["RI1", "RI2"])
    figs.append(grids.status_heatmap(matrix, status, title="Réalisation par partenariat et par "
                                     "RI, 2010 — indice de chaque résultat intermédiaire",
                                     note="Seuils propres à p1 : en retard ≥ 30 %"))
    return figs


def test_the_title_check_sees_a_cut_title():
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.set_title("RI4.4 — Équipements sociaux hors service, une phrase bien trop longue",
                 loc="left")
    assert overflowing_titles(fig)


def test_every_title_fits_its_axes_and_the_figure(sample):
    programme, obs = sample
    for fig in sample_charts(programme, obs):
        assert overflowing_titles(fig) == []
        plt.close(fig)


def test_chart_text_prints_at_8_pt_or_more_on_a4(sample):
    programme, obs = sample
    for fig in sample_charts(programme, obs):
        assert small_texts(fig) == []
        _, png = rendered(fig)
        width_in = fig.get_size_inches()[0]
        pixels = int.from_bytes(png[16:20], "big")  # PNG IHDR width
        # no wider than the A4 text block, and wider in CSS pixels than that block: a report
        # (img max-width: 100 %) scales it up to the text width, never down
        assert width_in <= A4_TEXT_WIDTH_IN
        assert pixels > A4_TEXT_WIDTH_IN * CSS_PX_PER_IN
        plt.close(fig)


def test_stages_tick_at_whole_levels_with_their_labels(sample):
    programme, obs = sample
    fig = charts.trend_grid(programme, obs, "forest-jerada", "midterm",
                            programme.indicators_of("RI1"), list(range(2007, 2011)))
    rendered(fig)
    stage_ax = next(ax for ax in fig.axes if ax.get_title("left").startswith("RI1.1"))
    assert list(stage_ax.get_yticks()) == [0, 1, 2, 3, 4]
    labels = [t.get_text().replace("\n", " ") for t in stage_ax.get_yticklabels()]
    assert labels[0] == "0 – inexistant" and labels[4] == "4 – fonctionnel et équipé"
    staff_ax = next(ax for ax in fig.axes if ax.get_title("left").startswith("RI1.2"))
    ticks = [t for t in staff_ax.get_yticks() if staff_ax.get_ylim()[0] <= t
             <= staff_ax.get_ylim()[1]]
    assert len(ticks) >= 2 and all(float(t).is_integer() for t in ticks)  # agents: no 12,5


def read_sample_rows(pair: str, code: str) -> dict[int, float]:
    """The sample CSV's values (undisaggregated) of one pair and indicator, by year."""
    with open(paths.SAMPLE_OBSERVATIONS, encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return {int(r["annee"]): float(r["valeur"]) for r in csv.DictReader(lines)
            if r["partenariat"] == pair and r["indicateur"] == code and not r["ventilation"]}


def test_counts_compared_across_pairs_are_drawn_per_10000_inhabitants(sample):
    programme, obs = sample
    fig = charts.trend_grid(programme, obs, "forest-jerada", "midterm",
                            programme.indicators_of("RI4"), list(range(2007, 2011)))
    ax = next(a for a in fig.axes if a.get_title("left").startswith("RI4.2"))
    assert "10 000 habitants" in " ".join(ax.get_title("left").split()).replace("\u202f", " ")
    populations = {"forest-jerada": 43916, "liege-tanger": 669685}  # RGPH 2004, as the logframe
    for pair, population in populations.items():
        expected = [v * 10000 / population for y, v in sorted(read_sample_rows(pair, "RI4.2")
                                                             .items()) if y <= 2010]
        drawn = [list(line.get_ydata()) for line in ax.get_lines()]
        assert any(len(d) == 4 and d == pytest.approx(expected) for d in drawn), pair


def test_statuses_carry_a_hatch_on_bars_and_a_shape_on_dots():
    values = pd.Series({"a": 0.9, "b": 0.5, "c": 0.2})
    statuses = pd.Series({"a": "en_bonne_voie", "b": "en_retard", "c": "critique"})
    fig = charts.ranking_bars(values, "b", statuses=statuses, title="Indice")
    hatches = {p.get_hatch() for p in fig.axes[0].patches}
    assert len(hatches) == 3 and None not in hatches and "" not in hatches
    legend = fig.legends[0]
    assert {t.get_text() for t in legend.get_texts()} == {"En bonne voie", "En retard",
                                                          "Critique"}
    many = pd.Series({f"p{k}": k / 20 for k in range(20)})
    states = pd.Series({f"p{k}": ("critique", "en_retard")[k % 2] for k in range(20)})
    strip = charts.ranking_bars(many, "p3", statuses=states, title="Indice")
    markers = {tuple(map(tuple, c.get_paths()[0].vertices.round(3)))
               for c in strip.axes[0].collections if len(c.get_offsets()) > 1}
    assert len(markers) == 2  # « en retard » and « critique » differ by shape, not only colour


def test_heatmap_figures_sit_on_white_over_the_hatching():
    matrix = pd.DataFrame([[0.5, 0.2]], index=["p"], columns=["RI1", "RI2"])
    status = pd.DataFrame([["en_retard", "critique"]], index=["p"], columns=["RI1", "RI2"])
    fig = grids.status_heatmap(matrix, status, title="Réalisation")
    ax = fig.axes[0]
    assert {p.get_hatch() for p in ax.patches if p.get_hatch()} == {"//", "xx"}
    figures = [t for t in ax.texts if t.get_text().endswith("%")]
    assert len(figures) == 2
    fig.canvas.draw()  # boxes placed at the screen resolution the extents are measured in
    renderer = fig.canvas.get_renderer()
    for text in figures:
        box = text.get_bbox_patch()
        assert box is not None and box.get_facecolor()[:3] == (1.0, 1.0, 1.0)
        inner, outer = text.get_window_extent(renderer), box.get_window_extent(renderer)
        assert outer.x0 <= inner.x0 and outer.x1 >= inner.x1  # the box covers the figure


CODE = re.compile(r"^(RI\d+\.\d+) — ")


def drawn_indicators(html: str) -> tuple[int, Counter]:
    """Number of chart images in a report, and how often each indicator is drawn (from the
    titles the charts carry as text alternatives)."""
    from html import unescape

    images = [tag for tag in re.findall(r"<img [^>]*>", html)
              if 'src="data:image/png;base64,' in tag]
    alts = [unescape(re.search(r'\balt="([^"]*)"', tag).group(1)) for tag in images]
    found = Counter()
    for alt in alts:
        for title in alt.split(" ; "):
            match = CODE.match(title)
            if match:
                found[match.group(1)] += 1
    return len(alts), found


@pytest.mark.slow
@pytest.mark.kernel
def test_each_pair_report_draws_every_indicator_once(battery_outputs, tmp_path, programme):
    import shutil

    from maroc_eval.report.build import build_reports

    outputs = tmp_path / "outputs"
    shutil.copytree(battery_outputs, outputs)
    build_reports(outputs=outputs, echo=lambda _line: None, formats=("html",))
    every = {i.code for i in programme.indicators}
    reports = sorted(outputs.glob("*/*/rapport-*-*.html"))
    pair_reports = [r for r in reports if not r.name.endswith("-programme.html")]
    assert len(pair_reports) >= 6  # three pairs, two phases
    for report in pair_reports:
        html = report.read_text(encoding="utf-8")
        images, drawn = drawn_indicators(html)
        assert set(drawn) == every, report.name
        assert max(drawn.values()) == 1, (report.name, drawn.most_common(3))
        # one trend grid per RI (6), the disaggregated indicators' bars (3), the RI 2 maturity,
        # an index ranking per RI (6) and the pair synthesis's ranking: 17 images, 27 indicators
        assert images == 17, report.name
        assert report.stat().st_size < 2_000_000


@pytest.mark.parametrize("codes", [("en_retard", "critique"),
                                   ("partiellement_atteint", "non_atteint")])
def test_heatmap_legend_names_the_statuses_it_shows(codes):
    matrix = pd.DataFrame([[0.5, 0.2, None]], index=["p"], columns=["RI1", "RI2", "RI3"])
    status = pd.DataFrame([[*codes, "non_renseigne"]], index=["p"], columns=matrix.columns)
    fig = grids.status_heatmap(matrix, status, title="Réalisation")
    names = [t.get_text() for t in fig.legends[0].get_texts()]
    assert names == [style.status_label(c) for c in (*codes, "non_renseigne")]
    hatches = [h.get_hatch() for h in fig.legends[0].legend_handles]
    assert hatches[0] != hatches[1] and all(hatches[:2])
