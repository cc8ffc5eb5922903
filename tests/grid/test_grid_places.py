"""Places: an appraisal flattened and built back, the three-way merge of an import, changes."""

from __future__ import annotations

import datetime as dt

from grid_helpers import rich_appraisal

from maroc_eval.core.appraisal import Answer, Appraisal, Findings
from maroc_eval.grid.places import build, changes, flatten, merge


def test_flatten_then_build_gives_the_appraisal_back(programme, matrix):
    item = rich_appraisal()
    places = flatten(item)
    assert places[("questions", "QE4", "constats", 2, "visites")].startswith("Çà et là")
    assert places[("recommandations", "R1", "echeance")] == dt.date(2013, 12, 31)
    assert places[("conclusions", "C1", "constats")] == ("QE1.1", "QE4.2")
    assert ("questions", "QE8", "justification") not in places  # empty: no place
    back = build(item.who, item.phase, places, english=item.english, seen=item.seen,
                 programme=programme, matrix=matrix)
    assert back.model_dump() == item.model_dump()


def test_two_findings_on_one_criterion_are_joined_not_lost():
    item = Appraisal(who="x", phase="final", questions={"QE1": Answer(findings=[
        Findings(question="QE1", criterion=1, texts={"suivi": "Premier."}),
        Findings(question="QE1", criterion=1, texts={"suivi": "Second."})])})
    assert flatten(item)[("questions", "QE1", "constats", 1, "suivi")] == "Premier.\n\nSecond."


def test_english_is_kept_only_for_texts_still_present(programme, matrix):
    places = {("lecons",): ("Texte gardé.",)}
    built = build("x", "final", places, english={"Texte gardé.": "Kept.", "Parti.": "Gone."},
                  seen=None, programme=programme, matrix=matrix)
    assert built.english == {"Texte gardé.": "Kept."}


A, B, C = ("questions", "QE1", "reponse"), ("questions", "QE2", "reponse"), \
    ("questions", "QE3", "note")


def test_places_the_team_left_keep_the_store_s_newer_text():
    base = {A: "a0", B: "b0"}
    grid = {A: "a1", B: "b0"}          # this grid changed A only
    store = {A: "a0", B: "b1", C: "B"}  # meanwhile another import changed B and added C
    merged, conflicts = merge(base, grid, store)
    assert merged == {A: "a1", B: "b1", C: "B"} and not conflicts


def test_a_place_both_changed_differently_is_a_conflict_and_the_store_is_kept():
    merged, conflicts = merge({A: "a0"}, {A: "grille"}, {A: "dossier"})
    assert merged == {A: "dossier"}
    assert [(c.place, c.base, c.grid, c.store) for c in conflicts] == \
        [(A, "a0", "grille", "dossier")]


def test_the_same_change_on_both_sides_is_no_conflict():
    merged, conflicts = merge({A: "a0"}, {A: "a1"}, {A: "a1"})
    assert merged == {A: "a1"} and not conflicts


def test_a_text_the_team_cleared_is_removed_unless_the_store_changed_it():
    assert merge({A: "a0"}, {}, {A: "a0"}) == ({}, [])
    merged, conflicts = merge({A: "a0"}, {}, {A: "a2"})
    assert merged == {A: "a2"} and len(conflicts) == 1


def test_changes_name_what_was_added_changed_and_removed():
    found = changes({A: "old", C: "B"}, {A: "new", B: "added"})
    assert [(c.kind, c.place, c.old, c.new) for c in found] == [
        ("changed", A, "old", "new"), ("added", B, None, "added"), ("removed", C, "B", None)]
