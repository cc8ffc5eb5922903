"""Every RI sidecar of the mid-term is the same whatever happens after 2010 (in-process views).

Hypothesis changes the sample after 2010 (values, comments, sources, deleted and added rows)
and each RI view of a pair is computed again, with its own analysis: its sidecar — indicator
rows, index, status, the analysis's figures, sources and comments — must not move. The end-to-end
version of this rule, on kernels and reports, is ``tests/run/test_phase_invariance.py``.
"""

from __future__ import annotations

import matplotlib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maroc_eval.base import paths
from maroc_eval.core.dataset import Dataset, read_dataset
from maroc_eval.core.settings import resolve_settings
from maroc_eval.notebook import display, riview
from maroc_eval.notebook.context import Context
from maroc_eval.notebook.sidecars import ri_result

matplotlib.use("Agg")
SAMPLE = read_dataset(paths.PROGRAMME_FILE, paths.SAMPLE_DIR)
PAIR = "forest-jerada"


def _quiet(monkeypatch):
    """Sections draw, but nothing is displayed (figures are closed as ``show`` would)."""
    import matplotlib.pyplot as plt

    def close(obj):
        if hasattr(obj, "savefig"):
            plt.close(obj)

    for module in (display, riview):
        monkeypatch.setattr(module, "show", close, raising=False)
    from maroc_eval.notebook import ri_specific

    monkeypatch.setattr(ri_specific, "show", close)


def _sidecars(observations, tmp_path) -> dict[str, str]:
    programme = SAMPLE.programme
    view = Dataset(programme, observations, SAMPLE.appraisals, SAMPLE.info).for_phase("midterm")
    found = {}
    for ri in ("RI1", "RI2", "RI3", "RI4", "RI5", "RI7"):
        ctx = Context(programme=programme, dataset=view, phase=programme.phases["midterm"],
                      pair=programme.pair_map[PAIR],
                      settings=resolve_settings(programme, "midterm", PAIR), explicit={},
                      data_dir=paths.SAMPLE_DIR, output_dir=tmp_path, results_dir=tmp_path,
                      sidecar_path=tmp_path / f"{ri}.json", notebook=ri.lower())
        view_ri = riview.RIView(ctx, ri)
        view_ri.analysis()
        found[ri] = ri_result(ctx, ri, view_ri.rows, view_ri.extras).model_dump_json()
    return found


@st.composite
def changed_after_2010(draw):
    obs = SAMPLE.observations.copy()
    later = list(obs.index[(obs["year"] > 2010) & (obs["pair"] == PAIR)])
    for i in draw(st.lists(st.sampled_from(later), min_size=1, max_size=15, unique=True)):
        what = draw(st.sampled_from(["value", "comment", "source", "delete"]))
        if what == "value":
            obs.loc[i, "value"] = draw(st.floats(0, 100, allow_nan=False))
        elif what == "delete":
            obs = obs.drop(index=i)
        else:
            obs.loc[i, what] = draw(st.text(min_size=1, max_size=12))
    return obs.reset_index(drop=True)


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    with pytest.MonkeyPatch.context() as monkeypatch:
        _quiet(monkeypatch)
        return _sidecars(SAMPLE.observations, tmp_path_factory.mktemp("base"))


@given(changed=changed_after_2010())
@settings(max_examples=6, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
def test_mid_term_sidecars_do_not_depend_on_rows_after_2010(baseline, changed, tmp_path):
    with pytest.MonkeyPatch.context() as monkeypatch:
        _quiet(monkeypatch)
        assert _sidecars(changed, tmp_path) == baseline


def test_the_sidecars_do_depend_on_the_rows_of_their_years(baseline, tmp_path):
    """The test above can fail: a 2010 change moves a sidecar."""
    obs = SAMPLE.observations.copy()
    i = obs.index[(obs["pair"] == PAIR) & (obs["year"] == 2010)
                  & (obs["indicator"] == "RI3.2")][0]
    obs.loc[i, "value"] += 5
    with pytest.MonkeyPatch.context() as monkeypatch:
        _quiet(monkeypatch)
        assert _sidecars(obs, tmp_path)["RI3"] != baseline["RI3"]
