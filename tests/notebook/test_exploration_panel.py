"""The exploration's live panel (ipywidgets) without a browser: controls rebuild the view."""

from __future__ import annotations

import yaml

from maroc_eval.base import paths
from maroc_eval.notebook.context import open_context
from maroc_eval.notebook.explore import Exploration
from maroc_eval.notebook.panel import ExplorationPanel, choices


def _panel(tmp_path, **kwargs) -> ExplorationPanel:
    ctx = open_context("exploration", phase="final", pair="forest-jerada",
                       output_dir=str(tmp_path))
    return ExplorationPanel(Exploration(ctx, "RI3", 2011, 2011, **kwargs))


def test_controls_start_from_the_parameters(tmp_path):
    panel = _panel(tmp_path)
    assert (panel.pair.value, panel.indicator.value, panel.phase.value) == \
        ("forest-jerada", "RI3", "final")
    assert panel.years.value == (2011, 2011) and (panel.years.min, panel.years.max) == (2007, 2012)
    logframe = yaml.safe_load(paths.PROGRAMME_FILE.read_text(encoding="utf-8"))
    codes = [code for _, code in choices(panel.view.ctx)["indicator"]]
    assert codes[:2] == ["RI1", "RI1.1"]
    assert set(codes) == {r["code"] for r in logframe["resultats"]} | \
        {i["code"] for i in logframe["indicateurs"]}


def test_changing_the_pair_rebuilds_the_view(tmp_path):
    panel = _panel(tmp_path)
    panel.pair.value = "liege-tanger"
    assert panel.view.ctx.pair.code == "liege-tanger"
    assert panel.view.pairs[0] == "liege-tanger" and len(panel.view.pairs) == 6
    assert '<th style="font-weight:700">Liège – Tanger</th>' in str(panel.view.summary())


def test_changing_the_phase_moves_the_last_year_and_the_targets(tmp_path):
    panel = _panel(tmp_path)
    panel.years.value = (2008, 2012)
    panel.phase.value = "midterm"
    assert panel.years.max == 2010 and panel.years.value == (2008, 2010)
    assert panel.view.years == [2008, 2009, 2010]
    assert panel.view.ctx.phase.code == "midterm"
    assert panel.view.targets(panel.view.ctx.programme.indicator_map["RI3.1"]).iloc[0] == 6
    panel.indicator.value = "RI4.2"
    assert [i.code for i in panel.view.indicators] == ["RI4.2"]


def test_compare_with_is_kept_when_the_pair_changes(tmp_path):
    panel = _panel(tmp_path, compare_with=["jette-sidi-bibi"])
    panel.pair.value = "jette-sidi-bibi"
    assert panel.view.pairs == ["jette-sidi-bibi", "forest-jerada"]
