"""Issue 26, item 1: what moved between two states of the results, by hand-made states."""

from __future__ import annotations

import copy

import pytest

from maroc_eval.core.matrix import load_matrix
from maroc_eval.core.result_changes import FIGURE_TOLERANCE, compare_states


def _ri(index=0.8, status="en_bonne_voie", actual=6.0, ind_status="en_retard", grade="B",
        on_track=0.75, origin="programme:params/programme.yml"):
    return {"kind": "ri", "ri": "RI3", "index": index, "status": status,
            "grade": {"score": grade},
            "indicators": [{"code": "RI3.1", "actual": actual, "status": ind_status}],
            "parameters": {"threshold_on_track": on_track}, "origins": {"threshold_on_track":
                                                                        origin}}


def _pair(text="Les agents formés appliquent les outils.", grade="B"):
    return {"kind": "pair", "overall_index": 0.7, "overall_status": "en_retard",
            "questions": {"QE5": {"score": grade, "text": text}}, "criteria": {}}


def _state(ri=None, pair=None, values=()):
    return {"results": {"forest-jerada/ri3": ri or _ri(),
                        "forest-jerada/synthese": pair or _pair()},
            "values": [list(v) for v in values]}


@pytest.fixture(scope="module")
def matrix(programme):
    return load_matrix(programme)


def test_nothing_moved_is_empty(programme, matrix):
    state = _state(values=[("forest-jerada", "RI3.1", 2010, "", "", 4.0, "suivi.csv:10")])
    assert compare_states("midterm", state, copy.deepcopy(state), programme, matrix).empty


def test_a_value_moves_its_figures_and_names_the_row(programme, matrix):
    before = _state(values=[("forest-jerada", "RI3.1", 2010, "sexe", "F", 4.0, "suivi.csv:10")])
    after = _state(_ri(index=0.9, status="atteint", actual=8.0, ind_status="atteint"),
                   values=[("forest-jerada", "RI3.1", 2010, "sexe", "F", 8.0,
                            "collecte.csv:3")])
    found = compare_states("midterm", before, after, programme, matrix)
    assert [(c.subject, c.kind, c.before, c.after) for c in found.results] == [
        ("RI3", "index", 0.8, 0.9), ("RI3", "status", "en_bonne_voie", "atteint"),
        ("RI3.1", "value", 6.0, 8.0), ("RI3.1", "status", "en_retard", "atteint")]
    (row,) = found.rows
    assert (row.key, row.before, row.after, row.where) == (
        ("forest-jerada", "RI3.1", 2010, "sexe", "F"), 4.0, 8.0, "collecte.csv:3")
    # the team wrote on QE5 (it rests on RI 3) and did not rewrite it: to reread
    (stale,) = found.stale
    assert (stale.who, stale.question, stale.because) == ("forest-jerada", "QE5",
                                                          ("RI3", "RI3.1"))
    assert found.pairs() == ["forest-jerada"]


def test_a_figure_within_the_tolerance_did_not_move(programme, matrix):
    before = _state()
    after = _state(_ri(index=0.8 + FIGURE_TOLERANCE / 2))
    assert compare_states("midterm", before, after, programme, matrix).empty


@pytest.mark.parametrize("text_after, stale", [
    ("Les agents formés appliquent les outils.", True),  # same words: to reread
    ("Réécrit après l'import de 2012.", False),  # the team rewrote it
    ("", False),  # nothing written: nothing to reread
])
def test_only_unchanged_written_findings_are_stale(programme, matrix, text_after, stale):
    text_before = text_after if text_after == "" else "Les agents formés appliquent les outils."
    before = _state(pair=_pair(text=text_before))
    after = _state(_ri(actual=9.0), pair=_pair(text=text_after))
    found = compare_states("midterm", before, after, programme, matrix)
    assert bool(found.stale) is stale


def test_a_setting_is_named_with_its_origin_and_grades_are_compared(programme, matrix):
    before = _state()
    after = _state(_ri(on_track=0.9, origin="cli"), pair=_pair(grade="C"))
    found = compare_states("midterm", before, after, programme, matrix)
    (setting,) = found.settings
    assert (setting.name, setting.before, setting.after, setting.origin) == (
        "threshold_on_track", 0.75, 0.9, "cli")
    assert [(c.subject, c.kind, c.before, c.after) for c in found.results] == [
        ("QE5", "grade", "B", "C")]


def test_results_that_appear_or_disappear_are_said(programme, matrix):
    before = _state()
    after = copy.deepcopy(before)
    del after["results"]["forest-jerada/ri3"]
    after["results"]["jette-sidi-bibi/ri3"] = _ri()
    found = compare_states("midterm", before, after, programme, matrix)
    assert sorted((c.who, c.kind) for c in found.results) == [
        ("forest-jerada", "removed"), ("jette-sidi-bibi", "added")]
