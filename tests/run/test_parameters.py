"""Parameter layers: parsing, checks before any kernel, resolution order."""

from __future__ import annotations

import pytest

from maroc_eval import paths
from maroc_eval.errors import InputError, ParameterError
from maroc_eval.run.parameters import (
    Layer,
    check_layers,
    check_thresholds,
    cli_layer,
    load_layer,
    parse_cli_value,
    resolve,
    type_problem,
)

DEFAULTS = {"pair": "jette-sidi-bibi", "data_dir": "data/sample", "threshold_met": 1.0,
            "threshold_on_track": 0.75, "threshold_late": 0.4, "functional_stage": 4,
            "compare_pairs": True, "note": "", "unavailable": []}
ACCEPTED = {"ri1": DEFAULTS}
ROOTS = [paths.PROJ_ROOT]


@pytest.mark.parametrize(("text", "expected"), [
    ("0.8", 0.8),
    ("3", 3),
    ("true", True),
    ("[a, b]", ["a", "b"]),
    ("texte libre", "texte libre"),
    ('"); import os; os.system("x")#', '"); import os; os.system("x")#'),
    ("#commentaire", "#commentaire"),
    ("null", None),
    ("2010-01-01", "2010-01-01"),
])
def test_cli_values_are_yaml_scalars_or_the_exact_text(text, expected):
    assert parse_cli_value(text) == expected


@pytest.mark.parametrize(("value", "default", "problem"), [
    (0.8, 0.75, None),
    (1, 0.75, None),
    ("x", 0.75, "un nombre"),
    (True, 0.75, "un nombre"),
    (3, 4, None),
    (3.5, 4, "un nombre entier"),
    (False, True, None),
    (1, True, "vrai ou faux (true/false)"),
    (["a"], [], None),
    ("a", [], "une liste"),
    (12, "", "un texte"),
    ("anything", None, None),
])
def test_type_problem_follows_the_default(value, default, problem):
    assert type_problem(value, default) == problem


def test_layers_apply_in_order_and_record_their_origin():
    layers = [
        Layer("programme", "params/programme.yml", {"threshold_met": 1.0}),
        Layer("phase", "params/phases/midterm.yml", {"threshold_late": 0.3}),
        Layer("file", "a.yml", {"threshold_met": 0.9, "note": "a"}),
        cli_layer([("threshold_met", "0.95"), ("unknown_here", "1")]),
    ]
    resolved = resolve(DEFAULTS, layers)
    assert resolved.values["threshold_met"] == 0.95
    assert resolved.origins["threshold_met"] == "cli:-p"
    assert resolved.values["threshold_late"] == 0.3
    assert resolved.origins["threshold_late"] == "phase:params/phases/midterm.yml"
    assert resolved.values["note"] == "a"
    assert resolved.origins["threshold_on_track"] == "notebook"
    assert "unknown_here" not in resolved.values  # not a parameter of this notebook


def test_integer_for_a_float_parameter_becomes_a_float():
    resolved = resolve(DEFAULTS, [cli_layer([("threshold_met", "1")])])
    assert resolved.values["threshold_met"] == 1.0
    assert isinstance(resolved.values["threshold_met"], float)


def test_digest_ignores_the_sidecar_path_but_not_unavailable():
    a = resolve({**DEFAULTS, "sidecar_path": "x.json"}, [])
    b = resolve({**DEFAULTS, "sidecar_path": "y.json"}, [])
    c = resolve({**DEFAULTS, "sidecar_path": "x.json", "unavailable": ["p/ri1"]}, [])
    assert a.digest() == b.digest()
    assert a.digest() != c.digest()


def test_all_problems_are_reported_at_once():
    layer = Layer("file", "f.yml", {"treshold_met": 1, "pair": "x", "threshold_late": "bas",
                                    "data_dir": "../../etc"},
                  {"treshold_met": 1, "pair": 2, "threshold_late": 3, "data_dir": 4})
    with pytest.raises(ParameterError) as err:
        check_layers([layer], ACCEPTED, ROOTS)
    lines = str(err.value).splitlines()
    assert len(lines) == 4
    assert lines[0].startswith("f.yml:1 : paramètre inconnu « treshold_met »")
    assert "vouliez-vous dire « threshold_met »" in lines[0]
    assert "f.yml:2" in lines[1] and "choisi par --pair" in lines[1]
    assert "f.yml:3" in lines[2] and "attendu un nombre" in lines[2]
    assert "f.yml:4" in lines[3] and "sort des dossiers autorisés" in lines[3]


def test_paths_inside_the_project_or_chosen_folders_are_accepted(tmp_path):
    check_layers([cli_layer([("data_dir", "data/sample")])], ACCEPTED, ROOTS)
    check_layers([cli_layer([("data_dir", str(tmp_path / "d"))])], ACCEPTED, [*ROOTS, tmp_path])
    with pytest.raises(ParameterError):
        check_layers([cli_layer([("data_dir", "data/../../..")])], ACCEPTED, ROOTS)


def test_parameter_file_must_be_a_mapping(tmp_path):
    path = tmp_path / "p.yml"
    path.write_text("- threshold_met\n", "utf-8")
    with pytest.raises(InputError) as err:
        load_layer(path, "file")
    assert "dictionnaire" in err.value.messages()[0]


def test_parameter_file_keeps_lines_and_tab_is_an_error(tmp_path):
    path = tmp_path / "p.yml"
    path.write_text("# commentaire\nnote: a\nthreshold_met: 0.9\n", "utf-8")
    layer = load_layer(path, "file")
    assert layer.values == {"note": "a", "threshold_met": 0.9}
    assert layer.lines == {"note": 2, "threshold_met": 3}
    path.write_text("note: a\n\tthreshold_met: 0.9\n", "utf-8")
    with pytest.raises(InputError):
        load_layer(path, "file")


def test_empty_parameter_file_is_an_empty_layer(tmp_path):
    path = tmp_path / "p.yml"
    path.write_text("# rien\n", "utf-8")
    assert load_layer(path, "phase", scope="midterm").values == {}


def test_thresholds_must_be_ordered():
    ok = resolve(DEFAULTS, [])
    assert check_thresholds(ok) is None
    bad = resolve(DEFAULTS, [cli_layer([("threshold_late", "0.9")])])
    assert check_thresholds(bad).startswith("cli:-p : ")
    assert "dans l'ordre atteint ≥ en bonne voie ≥ en retard" in check_thresholds(bad)


def test_a_percentage_given_for_a_threshold_is_refused_with_the_ratio_suggested():
    bad = resolve(DEFAULTS, [cli_layer([("threshold_on_track", "80")])])
    assert check_thresholds(bad) == (
        "cli:-p : Paramètre threshold_on_track = « 80 » : attendu un seuil entre 0 et 2 "
        "(1 = 100 % de réalisation) : vouliez-vous 0,8 ?")


def test_committed_phase_files_only_use_known_parameters():
    from maroc_eval.catalogue import BATTERY
    from maroc_eval.run.parameters import notebook_parameters

    accepted = {s.stem: notebook_parameters(s.path) for s in BATTERY}
    layers = [load_layer(p, "phase") for p in sorted(paths.PHASE_PARAMS_DIR.glob("*.yml"))]
    assert layers
    check_layers(layers, accepted, ROOTS)


def test_parameters_cell_reading_is_reused_only_for_the_same_notebook_bytes(tmp_path, monkeypatch):
    import shutil
    import sys

    from maroc_eval.catalogue import RI_NOTEBOOKS
    from maroc_eval.run import parameters

    notebook = tmp_path / "ri3.ipynb"
    shutil.copy(RI_NOTEBOOKS[2].path, notebook)
    cache = tmp_path / "cache"
    fresh = parameters.notebook_parameters(notebook)
    assert fresh["min_share_women"] == 0.3 and fresh["compare_pairs"] is True  # the cell's text
    parameters.remember_parameters(notebook, cache)
    assert len(list(cache.glob("*.json"))) == 1
    parameters._read_cell.cache_clear()
    monkeypatch.setitem(sys.modules, "papermill", None)  # any import of papermill now fails
    assert parameters.notebook_parameters(notebook, cache) == fresh
    # Other bytes (a default changed): the kept reading is not used, papermill is needed again.
    notebook.write_text(notebook.read_text("utf-8").replace("min_share_women = 0.3",
                                                              "min_share_women = 0.5"), "utf-8")
    parameters._read_cell.cache_clear()
    with pytest.raises(ImportError):
        parameters.notebook_parameters(notebook, cache)
    monkeypatch.delitem(sys.modules, "papermill")
    assert parameters.notebook_parameters(notebook, cache)["min_share_women"] == 0.5


def test_kept_readings_are_pruned_to_the_most_recent(tmp_path, monkeypatch):
    import shutil
    import time

    from maroc_eval.catalogue import RI_NOTEBOOKS
    from maroc_eval.run import parameters

    monkeypatch.setattr(parameters, "KEEP_READINGS", 3)
    notebook = tmp_path / "ri1.ipynb"
    shutil.copy(RI_NOTEBOOKS[0].path, notebook)
    original = notebook.read_text("utf-8")
    cache = tmp_path / "cache"
    kept = []
    for i in range(5):  # five versions of the notebook, each read and remembered
        notebook.write_text(original.replace("# partenariat évalué", f"# partenariat évalué {i}"),
                            "utf-8")
        parameters.remember_parameters(notebook, cache)
        kept.append(parameters._reading_file(notebook, cache))
        time.sleep(0.02)  # distinct modification times (the order is what is kept)
    assert sorted(cache.glob("*.json")) == sorted(kept[-3:])

