"""Scores that contradict the figures are flagged (warnings a justification silences); broken
references are errors; the sample is consistent.

The contradictions are planted in a copy of the sample's judgements: the figures they contradict
are read from the sample data, independently of the checker (mean of the capped achievements
computed here from the indicator rows).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from maroc_eval import paths
from maroc_eval.core import indicators
from maroc_eval.core.consistency import check_consistency
from maroc_eval.core.dataset import read_dataset
from maroc_eval.core.judgements import load_judgements
from maroc_eval.core.matrix import load_matrix
from maroc_eval.core.validation import validate_inputs


@pytest.fixture(scope="module")
def sample(programme):
    return read_dataset(paths.PROGRAMME_FILE, paths.SAMPLE_DIR)


def _ri_index(dataset, phase: str, pair: str, ri: str) -> float:
    obs = dataset.observations
    rows = indicators.indicator_rows(dataset.programme,
                                     obs[obs["year"] <= dataset.programme.phases[phase].year],
                                     pair, phase, ri=ri)
    known = rows["achievement"].dropna()
    return float(known.mean())


def _planted(tmp_path: Path, change) -> Path:
    folder = tmp_path / "donnees"
    shutil.copytree(paths.SAMPLE_DIR, folder)
    target = folder / "appreciations.yml"
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    change(data)
    target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return folder


def _flags(programme, folder: Path):
    from maroc_eval.core.dataset import Dataset

    d = read_dataset(paths.PROGRAMME_FILE, folder)
    assert isinstance(d, Dataset)
    return check_consistency(programme, d.matrix, d.observations, d.judgements, d.budget)


def test_the_sample_is_consistent(programme, sample):
    flags = check_consistency(programme, sample.matrix, sample.observations, sample.judgements,
                              sample.budget)
    assert flags == []
    report = validate_inputs([paths.SAMPLE_DIR])
    assert not [p for p in report.problems if p.kind in ("coherence", "unanswered",
                                                         "bad-reference")]


def _weakest(sample, phase: str) -> tuple[str, str, float]:
    found = [(p, r.code, _ri_index(sample, phase, p, r.code))
             for p in sample.programme.pair_codes for r in sample.programme.results]
    return min(found, key=lambda t: t[2])


def test_high_score_on_a_low_index_is_flagged_with_its_figures(programme, sample, tmp_path):
    pair, ri, index = _weakest(sample, "final")
    assert index < programme.thresholds.threshold_late  # the sample has such an RI

    def plant(data):
        data["final"][pair]["resultats"][ri]["note"] = "A"

    flags = [f for f in _flags(programme, _planted(tmp_path, plant)) if "indice" in f.message]
    assert len(flags) == 1
    flag = flags[0]
    assert (flag.phase, flag.who, flag.path[-1], flag.value) == ("final", pair, ri, "A")
    assert f"{round(index * 100)}" in flag.message and "« en retard »" in flag.message


def test_a_justification_silences_the_warning(programme, sample, tmp_path):
    pair, ri, _ = _weakest(sample, "final")

    def plant(data):
        entry = data["final"][pair]["resultats"][ri]
        entry["note"] = "A"
        entry["justification"] = "Les visites montrent des progrès que les données ignorent."

    assert _flags(programme, _planted(tmp_path, plant)) == []


def test_low_score_on_a_high_index_is_flagged(programme, sample, tmp_path):
    found = [(p, r.code, _ri_index(sample, "midterm", p, r.code))
             for p in programme.pair_codes for r in programme.results]
    pair, ri, index = max(found, key=lambda t: t[2])
    assert index >= programme.thresholds.threshold_on_track

    def plant(data):
        data["midterm"][pair]["resultats"][ri]["note"] = "D"

    flags = _flags(programme, _planted(tmp_path, plant))
    assert [(f.who, f.path[-1], f.value) for f in flags] == [(pair, ri, "D")]
    assert "au-dessus du seuil « en bonne voie »" in flags[0].message


def test_a_better_final_score_while_nothing_moved_is_flagged(programme, sample, tmp_path):
    # Forest–Jérada stalls after 2010: find an RI none of whose indicators moved 2010 → 2012.
    obs = sample.observations
    still = None
    for r in programme.results:
        a = indicators.indicator_rows(programme, obs[obs["year"] <= 2010], "forest-jerada",
                                      "midterm", ri=r.code).set_index("code")["actual"]
        b = indicators.indicator_rows(programme, obs, "forest-jerada", "final",
                                      ri=r.code).set_index("code")["actual"]
        sign = [1 if programme.indicator_map[c].direction == "hausse" else -1 for c in a.index]
        if all(s * (b[c] - a[c]) <= 0 for s, c in zip(sign, a.index, strict=True)):
            still = r.code
            break
    assert still is not None

    def plant(data):
        data["midterm"]["forest-jerada"]["resultats"][still]["note"] = "D"
        data["final"]["forest-jerada"]["resultats"][still]["note"] = "C"
        data["final"]["forest-jerada"]["resultats"][still]["justification"] = None

    flags = _flags(programme, _planted(tmp_path, plant))
    moved = [f for f in flags if "n'a progressé" in f.message]
    assert [(f.phase, f.path[-1]) for f in moved] == [("final", still)]
    assert "entre 2010 et 2012" in moved[0].message


def test_unanswered_question_and_broken_references(programme, tmp_path):
    def plant(data):
        del data["final"]["jette-sidi-bibi"]["questions"]["QE3"]
        data["final"]["jette-sidi-bibi"]["suivi"]["R9"] = {"etat": "partielle"}
        data["final"]["jette-sidi-bibi"]["recommandations"][0]["conclusions"] = ["C42"]

    folder = _planted(tmp_path, plant)
    report = validate_inputs([folder])
    kinds = sorted((p.kind, p.value) for p in report.problems
                   if p.kind in ("unanswered", "bad-reference"))
    assert kinds == [("bad-reference", "C42"), ("bad-reference", "R9"), ("unanswered", "QE3")]
    assert report.exit_status == 2
    where = {p.value: p for p in report.problems}
    assert where["R9"].line is not None and where["R9"].column == "final.jette-sidi-bibi.suivi.R9"


def test_efficiency_scored_without_costs_is_flagged(programme, tmp_path):
    folder = _planted(tmp_path, lambda data: None)
    (folder / "budget.csv").unlink()
    flags = _flags(programme, folder)
    scored = [f for f in flags if f.path[-1] == "efficience"]
    assert {f.who for f in scored} == set(programme.pair_codes)
    assert all("sans données de coût" in f.message for f in scored)


def test_unknown_addressee_is_an_error_naming_the_choices(programme, tmp_path):
    def plant(data):
        data["midterm"]["liege-tanger"]["recommandations"][0]["destinataire"] = "le maire"

    report = validate_inputs([_planted(tmp_path, plant)])
    bad = [p for p in report.problems if p.value == "le maire"]
    assert len(bad) == 1 and bad[0].is_error
    assert "commune_marocaine" in bad[0].expected and bad[0].line is not None


def test_judgements_read_every_part_of_the_evaluation(programme):
    matrix = load_matrix(programme)
    j = load_judgements(paths.SAMPLE_JUDGEMENTS, programme, matrix)
    ev = j.evaluation("final", "auderghem-amerzgane")
    assert set(ev.questions) == set(matrix.question_map)
    assert [c.id for c in ev.conclusions][:2] == ["C1", "C2"]
    assert all(r.addressee in matrix.addressees and r.priority in matrix.priorities
               for r in ev.recommendations)
    assert ev.lessons and set(ev.follow_up) == {r.id for r in
                                               j.evaluation("midterm", "auderghem-amerzgane")
                                               .recommendations}
    assert ev.method.interviews and ev.method.documents
    assert j.evaluation("final", "programme").objective.score in programme.rating_codes
