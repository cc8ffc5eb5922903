"""A phase sees only its own years: the data a notebook gets do not depend on later rows.

The sample is changed after the phase's reference year in every way a commune could change it —
values, comments, sources, disaggregated rows, rows added or deleted — and the phase's view of
the data (observations, appraisals, every pair's indicator rows) must be exactly what it was.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maroc_eval.base import paths
from maroc_eval.core.dataset import Dataset, read_dataset
from maroc_eval.core.programme import load_programme

SAMPLE = read_dataset(paths.PROGRAMME_FILE, paths.SAMPLE_DIR)


def _later(frame: pd.DataFrame, year: int) -> pd.Index:
    return frame.index[frame["year"] > year]


@st.composite
def later_changes(draw, year: int):
    """A copy of the sample's observations changed only after ``year``."""
    obs = SAMPLE.observations.copy()
    later = list(_later(obs, year))
    chosen = draw(st.lists(st.sampled_from(later), min_size=1, max_size=30, unique=True))
    for i in chosen:
        what = draw(st.sampled_from(["value", "comment", "source", "delete"]))
        if what == "value":
            obs.loc[i, "value"] = draw(st.floats(0, 1e4, allow_nan=False))
        elif what in ("comment", "source"):
            obs.loc[i, what] = draw(st.text(max_size=20))
        else:
            obs = obs.drop(index=i)
    added = draw(st.lists(st.tuples(st.sampled_from(SAMPLE.programme.pair_codes),
                                    st.sampled_from(list(SAMPLE.programme.indicator_map)),
                                    st.integers(year + 1, SAMPLE.programme.period[1]),
                                    st.sampled_from(["", "sexe=F", "partenaire=ONG"]),
                                    st.floats(0, 100, allow_nan=False)), max_size=10))
    for pair, code, y, split, value in added:
        dim, _, cat = split.partition("=")
        obs.loc[len(obs) + 10_000] = [pair, code, y, value, dim, cat, "ajout", "ajout", "x", 1]
    return obs.sort_values(["pair", "indicator", "year", "dimension", "category"],
                           kind="stable").reset_index(drop=True)


def _view(observations, phase: str) -> Dataset:
    data = Dataset(SAMPLE.programme, observations, SAMPLE.appraisals, SAMPLE.info)
    return data.for_phase(phase)


def _same_view(before: Dataset, after: Dataset, phase: str) -> None:
    columns = ["pair", "indicator", "year", "value", "dimension", "category", "source",
               "comment"]
    pd.testing.assert_frame_equal(before.observations[columns],
                                  after.observations[columns])
    full_before = Dataset(SAMPLE.programme, before.observations, None)
    full_after = Dataset(SAMPLE.programme, after.observations, None)
    pd.testing.assert_frame_equal(full_before.all_rows(phase), full_after.all_rows(phase))


@pytest.mark.parametrize("phase", ["midterm", "final"])
def test_a_phase_view_holds_no_row_after_its_year(phase):
    view = SAMPLE.for_phase(phase)
    year = SAMPLE.programme.phases[phase].year
    assert view.observations["year"].max() == year
    assert len(view.observations) == int((SAMPLE.observations["year"] <= year).sum())


@given(changed=later_changes(2010))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_mid_term_view_does_not_depend_on_rows_after_2010(changed):
    _same_view(_view(SAMPLE.observations, "midterm"), _view(changed, "midterm"), "midterm")


def test_appraisals_of_later_phases_are_not_seen():
    view = SAMPLE.for_phase("midterm")
    assert {phase for phase, _pair in view.appraisals.items} == {"midterm"}
    assert {phase for phase, _pair in SAMPLE.for_phase("final").appraisals.items} == \
        {"midterm", "final"}


def test_a_phase_added_to_the_programme_gets_its_own_view(tmp_path):
    """An intermediate review in 2009, defined in the programme file only: no code knows it."""
    text = paths.PROGRAMME_FILE.read_text("utf-8").replace(
        "phases:\n", "phases:\n  revue2009:\n    libelle: Revue intermédiaire\n"
        "    annee: 2009\n    nature: formative\n", 1)
    (tmp_path / "programme.yml").write_text(text, "utf-8")
    programme = load_programme(tmp_path / "programme.yml")
    data = Dataset(programme, SAMPLE.observations, SAMPLE.appraisals)
    view = data.for_phase("revue2009")
    assert view.observations["year"].max() == 2009
    rows = data.all_rows("revue2009")
    assert len(rows) == len(programme.pairs) * len(programme.indicators)
    assert programme.previous_phase("midterm").code == "revue2009"
    changed = SAMPLE.observations.assign(
        value=[v + 1 if y > 2009 else v for v, y in zip(SAMPLE.observations["value"],
                                                          SAMPLE.observations["year"],
                                                          strict=True)])
    again = Dataset(programme, changed, SAMPLE.appraisals)
    pd.testing.assert_frame_equal(rows, again.all_rows("revue2009"))


def test_a_phase_without_its_own_target_is_judged_on_the_target_path(tmp_path):
    """RI1.2 (absolute targets 3 in 2010, 5 in 2012): in 2009, a third of the way from the
    baseline to the mid-term target; after the last target, that target."""
    from maroc_eval.core import targets

    text = paths.PROGRAMME_FILE.read_text("utf-8").replace(
        "phases:\n", "phases:\n  revue2009:\n    libelle: Revue\n    annee: 2009\n"
        "    nature: formative\n", 1)
    (tmp_path / "programme.yml").write_text(text, "utf-8")
    programme = load_programme(tmp_path / "programme.yml")
    # baseline 1 in 2007, target 3 in 2010: 1 + (3 - 1) * 2/3 in 2009
    value = targets.phase_target(programme, "RI1.2", "jette-sidi-bibi", "revue2009", 1.0)
    assert value == pytest.approx(1 + 2 * 2 / 3)
    assert targets.phase_target(programme, "RI1.2", "jette-sidi-bibi", "midterm", 1.0) == 3.0


def test_dataset_views_are_kept_with_the_data():
    data = dataclasses.replace(SAMPLE, _views={})
    assert data.for_phase("midterm") is data.for_phase("midterm")
