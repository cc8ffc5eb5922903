"""A chart's layout measured once gives matplotlib's tight layout; titles rewrap to their axes."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest

from maroc_eval.notebook import chart_layout, style

LONG = "Agents du service disposant d'une fiche de fonction à jour et validée par le conseil"


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def grid_figure(shape: str):
    """A figure of one of the charts' shapes, with labels of very different widths."""
    style.apply()
    fig = plt.figure(figsize=(style.FIGURE_WIDTH, 6))
    if shape == "one":
        ax = fig.add_subplot()
        ax.barh(range(3), [1, 2, 3])
        ax.set_yticks(range(3), ["Ville de Bruxelles – Tétouan", "Jette", "Forest – Jérada"])
        ax.set_title(LONG, loc="left")
        return fig
    if shape == "twin":
        ax = fig.add_subplot()
        ax.plot([2007, 2010], [0, 40])
        other = ax.twinx()
        other.plot([2007, 2010], [5000, 120000])
        other.set_ylabel("bénéficiaires par an")
        ax.set_title(LONG, loc="left")
        return fig
    grid = fig.add_gridspec(3, 2)
    wide = fig.add_subplot(grid[0, :])
    wide.plot([2007, 2010], [0, 4])
    wide.set_yticks(range(5), ["0 – inexistant", "1", "2 – service créé", "3", "4 – équipé"])
    wide.set_title("RI1.1 — Stade de mise en place", loc="left")
    for r, c in ((1, 0), (1, 1), (2, 0)):
        ax = fig.add_subplot(grid[r, c])
        ax.plot([2007, 2008, 2009, 2010], [10 ** (r + c), 0, 5, 2 * 10 ** (r + c + 3)])
        ax.set_title(f"RI1.{r + c} — {LONG[: 20 * (c + 1)]}", loc="left")
        ax.set_xlabel("année")
    return fig


def subplot_params(fig) -> tuple:
    p = fig.subplotpars
    return p.left, p.right, p.bottom, p.top, p.wspace, p.hspace


@pytest.mark.parametrize("shape", ["one", "grid", "twin"])
@pytest.mark.parametrize("rect", [(0, 0, 1, 1), (0, 0.12, 1, 1), (0.05, 0.2, 0.9, 0.95)])
def test_one_measure_places_the_subplots_where_tight_layout_does(shape, rect):
    """matplotlib's own tight layout is the reference: same margins and gaps, to 1e-9."""
    measured_once = grid_figure(shape)
    chart_layout.fit(measured_once, rect)
    reference = grid_figure(shape)
    reference.tight_layout(rect=rect)
    assert subplot_params(measured_once) == pytest.approx(subplot_params(reference), abs=1e-9)
    # and the subplots moved: the layout is not the figure's default one
    assert subplot_params(measured_once) != pytest.approx(subplot_params(grid_figure(shape)))


def test_a_figure_title_is_left_to_tight_layout():
    with_title = grid_figure("grid")
    with_title.suptitle("Titre de la figure")
    chart_layout.fit(with_title, (0, 0.1, 1, 1))
    reference = grid_figure("grid")
    reference.suptitle("Titre de la figure")
    reference.tight_layout(rect=(0, 0.1, 1, 1))
    assert subplot_params(with_title) == pytest.approx(subplot_params(reference), abs=1e-9)


def test_finish_wraps_a_long_title_to_its_axes_and_keeps_no_layout_engine():
    style.apply()
    fig, (left, right) = plt.subplots(1, 2, figsize=(style.FIGURE_WIDTH, 3))
    title = chart_layout.set_title(left, LONG)
    chart_layout.set_title(right, "Court")
    chart_layout.finish(fig)
    renderer = fig.canvas.get_renderer()
    assert title.get_text().count("\n") >= 1
    assert " ".join(title.get_text().split()) == LONG
    assert title.get_window_extent(renderer).x1 <= left.get_window_extent(renderer).x1 + 1
    assert right.get_title("left") == "Court"
    assert fig.get_layout_engine() is None
