"""The evaluation notebooks, executed with papermill on real kernels, judged on their sidecars.

Expected values are computed here from the sample CSV with the standard library only (csv,
statistics), following the logframe rules as written in ``params/programme.yml`` and the
domain brief — not by calling the package's engine.
"""

from __future__ import annotations

import csv
import json
import re
from statistics import mean

import nbformat
import papermill as pm
import pytest
import yaml

from maroc_eval.base import catalogue as battery
from maroc_eval.base import paths

pytestmark = [pytest.mark.kernel, pytest.mark.slow]

PAIRS = ("jette-sidi-bibi", "forest-jerada", "liege-tanger")
PHASES = {"midterm": 2010, "final": 2012}
THRESHOLDS = (1.0, 0.75, 0.40)


# -- independent reading of the sample -------------------------------------------------------
def _sample_rows():
    with open(paths.SAMPLE_OBSERVATIONS, encoding="utf-8") as fh:
        lines = [line for line in fh if not line.startswith("#")]
    return list(csv.DictReader(lines))


def _logframe():
    return yaml.safe_load(paths.PROGRAMME_FILE.read_text(encoding="utf-8"))


def _yes_no(text: str) -> float:
    words = {"oui": 1.0, "non": 0.0}
    key = text.strip().lower()
    return words[key] if key in words else float(text)


def _yearly_totals(rows, pair, code):
    """year -> value (categories summed)."""
    out: dict[int, float] = {}
    for r in rows:
        if r["partenariat"] == pair and r["indicateur"] == code:
            out[int(r["annee"])] = out.get(int(r["annee"]), 0.0) + _yes_no(r["valeur"])
    return out


def expected_row(rows, ind, pair, phase, target_phase=None):
    """(baseline, target, actual, achievement_raw, status) by the logframe rules (against the
    targets of ``target_phase``, by default the phase's own)."""
    year = PHASES[phase]
    values = _yearly_totals(rows, pair, ind["code"])
    base = values.get(2007)
    if ind["cumul"] == "cumulatif":
        span = range(2007, year + 1)
        actual = sum(values[y] for y in span) if all(y in values for y in span) else None
    else:
        actual = values.get(year)
    override = _logframe().get("cibles_specifiques", {}).get(pair, {}).get(ind["code"])
    raw_target = (override or ind["cibles"])[target_phase or phase]
    if isinstance(raw_target, str):  # "+25%" relative to the baseline
        target = base * (1 + float(raw_target.strip().rstrip("%")) / 100)
    else:
        target = float(raw_target)
    sign = 1 if ind["sens"] == "hausse" else -1
    if actual is None:
        ach = None
    elif (target - base) * sign <= 0:  # target already at or behind the baseline
        ach = 1.0 if (actual - target) * sign >= 0 else 0.0
    else:
        ach = (actual - base) / (target - base)
    if ach is None:
        status = "non_renseigne"
    elif phase == "final":  # a summative phase judges how far results were reached
        status = ("atteint" if ach >= THRESHOLDS[0] - 1e-9
                  else "largement_atteint" if ach >= THRESHOLDS[1]
                  else "partiellement_atteint" if ach >= THRESHOLDS[2] else "non_atteint")
    else:
        status = ("atteint" if ach >= THRESHOLDS[0] - 1e-9
                  else "en_bonne_voie" if ach >= THRESHOLDS[1]
                  else "en_retard" if ach >= THRESHOLDS[2] else "critique")
    return base, target, actual, ach, status


# -- execution ------------------------------------------------------------------------------------
def _execute(nb: str, out_dir, **params):
    target = (out_dir / "notebooks"
              / f"{nb}-{params.get('pair', 'programme')}-{params['phase']}.ipynb")
    target.parent.mkdir(parents=True, exist_ok=True)
    pm.execute_notebook(str(paths.NOTEBOOKS_DIR / f"{nb}.ipynb"), str(target),
                        parameters={**params, "output_dir": str(out_dir)}, kernel_name="python3",
                        cwd=str(paths.PROJ_ROOT), progress_bar=False, execution_timeout=300)
    return target


@pytest.fixture(scope="session")
def executed(battery_outputs):
    """Every battery notebook for three pairs and both phases, each in a fresh kernel, run by
    papermill through ``maroc-eval run`` (the shared session fixture)."""
    return battery_outputs


def _sidecar(out, phase, pair, stem):
    folder = paths.programme_dir(out, phase) if pair is None else paths.pair_dir(out, phase, pair)
    return json.loads((folder / f"{stem}.json").read_text(encoding="utf-8"))


# -- RI notebooks ---------------------------------------------------------------------------------
@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("pair", PAIRS)
@pytest.mark.parametrize("spec", battery.RI_NOTEBOOKS, ids=lambda s: s.ri)
def test_ri_sidecar_matches_the_logframe_rules(executed, spec, pair, phase):
    rows = _sample_rows()
    side = _sidecar(executed, phase, pair, spec.stem)
    inds = [i for i in _logframe()["indicateurs"] if i["ri"] == spec.ri]
    assert [r["code"] for r in side["indicators"]] == [i["code"] for i in inds]
    capped = []
    for got, ind in zip(side["indicators"], inds, strict=True):
        base, target, actual, ach, status = expected_row(rows, ind, pair, phase)
        assert got["baseline"] == pytest.approx(base), ind["code"]
        assert got["target"] == pytest.approx(target), ind["code"]
        assert got["actual"] == (None if actual is None else pytest.approx(actual)), ind["code"]
        assert got["achievement_raw"] == (None if ach is None
                                          else pytest.approx(ach, abs=1e-6)), ind["code"]
        assert got["status"] == status, ind["code"]
        if ach is not None:
            capped.append(min(max(ach, 0.0), 1.0))
    assert side["index"] == pytest.approx(mean(capped), abs=1e-6)
    assert side["coverage"] == pytest.approx(len(capped) / len(inds))
    judged = _appraisal(phase, pair)
    assert side["grade"]["score"] == judged["resultats"][spec.ri]["note"]
    assert side["grade"]["text"] == " ".join(judged["resultats"][spec.ri]["appreciation"].split())
    assert side["reference_year"] == PHASES[phase]


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("pair", PAIRS)
def test_ri_sidecars_carry_the_sources_and_comments_known_at_the_reference_year(executed, pair,
                                                                               phase):
    """What the report cites, read here straight from the CSV lines of the pair's RI rows."""
    rows = _sample_rows()
    for spec in battery.RI_NOTEBOOKS:
        side = _sidecar(executed, phase, pair, spec.stem)
        mine = [r for r in rows if r["partenariat"] == pair
                and r["indicateur"].startswith(spec.ri + ".") and int(r["annee"]) <= PHASES[phase]]
        assert side["sources"] == sorted({r["source"] for r in mine if r["source"]}), spec.ri
        expected = []
        for r in mine:
            note = (r["indicateur"], int(r["annee"]), r["commentaire"])
            if r["commentaire"] and note not in expected:
                expected.append(note)
        assert [(c["indicator"], c["year"], c["text"]) for c in side["comments"]] == expected


def test_comments_after_the_reference_year_wait_for_the_final_evaluation(executed):
    """forest-jerada's only RI 4 comment is on a 2011 value: absent at mid-term, there at the
    end."""
    mid = _sidecar(executed, "midterm", "forest-jerada", "ri4_infrastructures_sociales")
    end = _sidecar(executed, "final", "forest-jerada", "ri4_infrastructures_sociales")
    assert mid["comments"] == []
    assert [(c["indicator"], c["year"]) for c in end["comments"]] == [("RI4.4", 2011)]
    assert end["comments"][0]["text"].startswith("Pièces de rechange non budgétées")


def test_hand_computed_anchors(executed):
    """A few values worked out by hand from the CSV lines."""
    ri3 = _sidecar(executed, "midterm", "jette-sidi-bibi", "ri3_competences_personnel")
    trained = next(r for r in ri3["indicators"] if r["code"] == "RI3.1")
    # flows F 1,0,1,0 and H 0,1,1,1 over 2007-2010: 5 agents; baseline 1; target 6
    assert trained["actual"] == 5 and trained["baseline"] == 1
    assert trained["achievement_raw"] == pytest.approx(0.8)
    assert trained["status"] == "en_bonne_voie"
    assert ri3["extras"]["share_women"] == pytest.approx(2 / 5)
    ri4 = _sidecar(executed, "midterm", "liege-tanger", "ri4_infrastructures_sociales")
    use = next(r for r in ri4["indicators"] if r["code"] == "RI4.2")
    # baseline 13 812, target +15 % = 15 883.8, value 2010 = 15 334
    assert use["target"] == pytest.approx(15883.8)
    assert use["achievement_raw"] == pytest.approx((15334 - 13812) / (15883.8 - 13812))
    assert use["status"] == "en_retard"
    assert ri4["extras"]["use_per_10000"] == pytest.approx(15334 / 669685 * 10000)
    ri2 = _sidecar(executed, "midterm", "liege-tanger", "ri2_planification_suivi")
    gap = next(r for r in ri2["indicators"] if r["code"] == "RI2.3")
    assert (gap["actual"] is None and gap["status"] == "non_renseigne"
            and 2010 in gap["missing_years"])


def test_ri4_out_of_service_is_a_falling_indicator(executed):
    rows = _sample_rows()
    side = _sidecar(executed, "final", "jette-sidi-bibi", "ri4_infrastructures_sociales")
    row = next(r for r in side["indicators"] if r["code"] == "RI4.4")
    values = _yearly_totals(rows, "jette-sidi-bibi", "RI4.4")
    assert row["direction"] == "baisse"
    assert row["achievement_raw"] == pytest.approx((values[2007] - values[2012])
                                                   / (values[2007] - 10))
    assert side["extras"]["out_of_service_change"] == pytest.approx(values[2012] - values[2007])


# -- syntheses -------------------------------------------------------------------------------------
def _appraisal(phase: str, who: str) -> dict:
    """The sample team's appraisal file of a pair at a phase, as plain YAML."""
    path = paths.appraisals_dir(paths.SAMPLE_DIR) / phase / f"{who}.yml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("pair", PAIRS)
def test_pair_synthesis(executed, pair, phase):
    rows = _sample_rows()
    side = _sidecar(executed, phase, pair, battery.PAIR_SYNTHESIS.stem)
    indices = {}
    for spec in battery.RI_NOTEBOOKS:
        inds = [i for i in _logframe()["indicateurs"] if i["ri"] == spec.ri]
        achs = [expected_row(rows, i, pair, phase)[3] for i in inds]
        indices[spec.ri] = mean(min(max(a, 0), 1) for a in achs if a is not None)
    assert side["ri_index"] == {k: pytest.approx(v, abs=1e-6) for k, v in indices.items()}
    assert side["overall_index"] == pytest.approx(mean(indices.values()), abs=1e-6)
    judged = _appraisal(phase, pair)
    assert side["ri_score"] == {ri: v["note"] for ri, v in judged["resultats"].items()}
    assert {k: v["score"] for k, v in side["criteria"].items()} == {
        k: v["note"] for k, v in judged["criteres_cad"].items()}
    assert [r["id"] for r in side["recommendations"]] == [
        r["id"] for r in judged["recommandations"]]
    assert side["objective"]["score"] == judged["questions"]["QE1"]["note"]
    assert side["blanks"] == [] and all(c["answer"] for c in side["checks"])
    assert side["unavailable"] == []


@pytest.mark.parametrize("phase", PHASES)
def test_programme_synthesis(executed, phase):
    side = _sidecar(executed, phase, None, battery.PROGRAMME_SYNTHESIS.stem)
    pairs = {p: _sidecar(executed, phase, p, battery.PAIR_SYNTHESIS.stem) for p in PAIRS}
    for pair in PAIRS:
        assert side["matrix"][pair] == pytest.approx(pairs[pair]["ri_index"])
    # the pairs not executed here are shown unavailable, not invented
    others = [p for p in side["matrix"] if p not in PAIRS]
    assert len(others) == 6 - len(PAIRS) and all(v is None for p in others
                                                 for v in side["matrix"][p].values())
    assert all(f"{p}/{battery.PAIR_SYNTHESIS.stem}" in side["unavailable"] for p in others)
    ranked = [p for p in side["ranking"] if p in PAIRS]
    best = max(PAIRS, key=lambda p: pairs[p]["overall_index"])
    assert ranked[0] == best
    for ri, value in side["programme_index"].items():
        assert value == pytest.approx(mean(pairs[p]["ri_index"][ri] for p in PAIRS), abs=1e-6)


def test_final_pair_synthesis_compares_with_midterm(executed):
    nb = nbformat.read(paths.pair_dir(executed, "final", "liege-tanger")
                       / "synthese_partenariat.ipynb", as_version=4)
    html = "".join(o.get("data", {}).get("text/html", "") for c in nb.cells if c.cell_type == "code"
                   for o in c.outputs)
    assert "Évolution 2010 → 2012" in html and "Réalisation 2012" in html
    assert "Note de l’équipe 2010" in html
    # the movement in words and units, e.g. « 36 → 36 jours : aucun progrès »
    assert re.search(r"→ [0-9][0-9\u202f\u00a0 ,]*[^<]* : (aucun progrès|progrès|recul)", html)


# -- parameters ------------------------------------------------------------------------------------
def test_unknown_pair_fails_in_the_first_cell_with_a_french_message(tmp_path):
    out = tmp_path / "bad.ipynb"
    with pytest.raises(pm.PapermillExecutionError) as err:
        pm.execute_notebook(str(battery.RI_NOTEBOOKS[0].path), str(out),
                            parameters={"pair": "jette-sidi-bib", "output_dir": str(tmp_path)},
                            kernel_name="python3", cwd=str(paths.PROJ_ROOT), progress_bar=False,
                            execution_timeout=300)
    assert err.value.ename == "ParameterError"
    assert "partenariat inconnu" in err.value.evalue
    assert "jette-sidi-bibi" in err.value.evalue  # the suggestion and the list of valid pairs
    nb = nbformat.read(out, as_version=4)
    cells = [c for c in nb.cells if "papermill-error-cell-tag" not in c.metadata.get("tags", [])]
    code = [c for c in cells if c.cell_type == "code"]
    # parameters cell, papermill's injected cell, then the notebook's first own code cell fails
    assert "injected-parameters" in code[1].metadata.tags
    assert code[2].source == err.value.source and code[2].outputs[0].ename == "ParameterError"
    assert all(not c.outputs for c in code[3:])
    assert not list(tmp_path.glob("**/*.json"))


@pytest.mark.parametrize("typed", [0.7, "0,7"])  # "0,7": plain papermill -p with a comma
def test_threshold_parameter_changes_the_status(tmp_path, typed):
    _execute("ri4_infrastructures_sociales", tmp_path, pair="liege-tanger", phase="midterm",
             threshold_on_track=typed)
    side = _sidecar(tmp_path, "midterm", "liege-tanger", "ri4_infrastructures_sociales")
    use = next(r for r in side["indicators"] if r["code"] == "RI4.2")
    assert use["achievement_raw"] == pytest.approx(0.7346, abs=1e-4)
    assert use["status"] == "en_bonne_voie"  # was "en_retard" with the default 0.75
    assert side["parameters"]["threshold_on_track"] == 0.7


def _expected_maturity(pair: str, target_phase: str) -> float:
    """RI 2's maturity in 2012 by hand: the mean of the RI 2 indicators' achievements, each
    capped to 0–100 %, against the targets of ``target_phase``."""
    rows = _sample_rows()
    capped = []
    for ind in (i for i in _logframe()["indicateurs"] if i["ri"] == "RI2"):
        ach = expected_row(rows, ind, pair, "final", target_phase)[3]
        if ach is not None:
            capped.append(min(max(ach, 0.0), 1.0))
    return mean(capped)


def test_maturity_reference_is_used_by_the_ri2_notebook(executed, tmp_path):
    """Issue 22, item 14: ``maturity_reference`` reaches the analysis (it was passed under
    another name and silently ignored): against the midterm's targets, the same 2012 data give
    the maturity computed by hand with those targets, not the default's."""
    default = _sidecar(executed, "final", "jette-sidi-bibi", "ri2_planification_suivi")
    assert default["extras"]["maturity"] == pytest.approx(
        _expected_maturity("jette-sidi-bibi", "final"))
    _execute("ri2_planification_suivi", tmp_path, pair="jette-sidi-bibi", phase="final",
             maturity_reference="midterm")
    side = _sidecar(tmp_path, "final", "jette-sidi-bibi", "ri2_planification_suivi")
    assert side["parameters"]["maturity_reference"] == "midterm"
    expected = _expected_maturity("jette-sidi-bibi", "midterm")
    assert side["extras"]["maturity"] == pytest.approx(expected)
    assert expected != pytest.approx(default["extras"]["maturity"])


def test_exploration_notebook(tmp_path):
    out = tmp_path / "exploration.ipynb"
    pm.execute_notebook(str(battery.EXPLORATION.path), str(out),
                        parameters={"pair": "liege-tanger", "indicator": "RI2.3",
                                    "first_year": 2008, "last_year": 2011,
                                    "compare_with": ["jette-sidi-bibi"]},
                        kernel_name="python3", cwd=str(paths.PROJ_ROOT), progress_bar=False,
                        execution_timeout=300)
    nb = nbformat.read(out, as_version=4)
    html = "".join(o.get("data", {}).get("text/html", "") for c in nb.cells if c.cell_type == "code"
                   for o in c.outputs)
    assert "<td>2008</td>" in html and "<td>2011</td>" in html and "<td>2012</td>" not in html
    # 2010 has no row: the series shows a dash; the commune's comment sits on the 2011 row
    assert "<tr><td>2010</td><td>—</td>" in html
    assert "Donnée 2010 non transmise" in html
    assert sum(1 for c in nb.cells for o in c.get("outputs", [])
               if "image/png" in o.get("data", {})) == 1


@pytest.mark.parametrize("phase", PHASES)
def test_programme_figures_are_computed_from_unrounded_values(executed, phase):
    """The programme index of an RI is the exact mean of the pairs' unrounded RI indices."""
    programme = _sidecar(executed, phase, None, "synthese_programme")
    for spec in battery.RI_NOTEBOOKS:
        values = [_sidecar(executed, phase, pair, spec.stem)["index"] for pair in PAIRS]
        known = [v for v in values if v is not None]
        assert programme["programme_index"][spec.ri] == sum(known) / len(known)
