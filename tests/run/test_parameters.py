"""What the runner gives notebooks: -p values, checks before any kernel, injected layers."""

from __future__ import annotations

import pytest

from maroc_eval.base import paths
from maroc_eval.base.errors import InputError, ParameterError
from maroc_eval.core.settings import Layer, Settings, load_layer, resolve_settings
from maroc_eval.core.settings import thresholds_problem as check_thresholds
from maroc_eval.run.parameters import (
    CellParameter,
    check_layers,
    cli_layer,
    injected,
    parse_cli_value,
    type_problem,
)

CELL = {"pair": CellParameter("jette-sidi-bibi", str),
        "data_dir": CellParameter(None, str),
        "threshold_met": CellParameter(None, float),
        "threshold_on_track": CellParameter(None, float),
        "threshold_late": CellParameter(None, float),
        "functional_stage": CellParameter(None, int),
        "compare_pairs": CellParameter(None, bool),
        "note": CellParameter("", str),
        "unavailable": CellParameter([], list)}
ACCEPTED = {"ri1": CELL}


@pytest.mark.parametrize(("text", "expected"), [
    ("0.8", 0.8),
    ("3", 3),
    ("true", True),
    ("[a, b]", ["a", "b"]),
    ("texte libre", "texte libre"),
    ('"); import os; os.system("x")#', '"); import os; os.system("x")#'),
    ("#commentaire", "#commentaire"),
    ("null", None),
    ("2010-01-01", "2010-01-01"),     # no date
    ("1:30", "1:30"),                 # YAML 1.1 read 90 (sexagesimal): YAML 1.2 does not
    ("final #2", "final #2"),         # no comment cut off
    ("yes", "yes"),                   # YAML 1.1's boolean, a word in YAML 1.2
    ("0x1A", 26),
])
def test_cli_values_are_yaml_1_2_literals_or_the_exact_text(text, expected):
    assert parse_cli_value(text) == expected


def test_a_text_parameter_keeps_the_text_typed():
    assert parse_cli_value("2010", str) == "2010"
    assert cli_layer([("note", "12"), ("threshold_met", "1")],
                     {"note": str, "threshold_met": float}).values == \
        {"note": "12", "threshold_met": 1}


@pytest.mark.parametrize(("value", "kind", "problem"), [
    (0.8, float, None),
    (1, float, None),
    ("x", float, "un nombre"),
    (True, float, "un nombre"),
    (3, int, None),
    (3.5, int, "un nombre entier"),
    (False, bool, None),
    (1, bool, "vrai ou faux (true/false)"),
    (["a"], list, None),
    ("a", list, "une liste"),
    (12, str, "un texte"),
    ("anything", None, None),
    (None, float, None),  # back to the layers
])
def test_type_problem_follows_the_declared_type(value, kind, problem):
    assert type_problem(value, kind) == problem


def test_the_runner_injects_its_values_then_the_explicit_ones():
    layers = [
        Layer("runner", "", {"pair": "jette-sidi-bibi", "data_dir": "data/sample"}),
        Layer("file", "a.yml", {"threshold_met": 0.9, "note": "a"}),
        cli_layer([("threshold_met", "0.95"), ("unknown_here", "1")]),
    ]
    given = injected(CELL, layers)
    assert given.values == {"pair": "jette-sidi-bibi", "data_dir": "data/sample",
                            "threshold_met": 0.95, "note": "a"}
    assert given.origins["threshold_met"] == "cli:-p"
    assert given.origins["note"] == "file:a.yml"
    assert isinstance(injected(CELL, [cli_layer([("threshold_met", "1")])])
                      .values["threshold_met"], float)


def test_digest_ignores_where_outputs_go_but_not_unavailable():
    cell = {**CELL, "output_dir": CellParameter(None, str),
            "sidecar_path": CellParameter(None, str)}

    def given(out, sidecar, unavailable=()):
        return injected(cell, [Layer("runner", "", {"output_dir": out, "sidecar_path": sidecar,
                                                    "unavailable": list(unavailable)})])

    assert given("outputs", "x.json").digest() == given("/ailleurs/outputs", "y.json").digest()
    assert given("outputs", "x.json").digest() != given("outputs", "x.json", ["p/ri1"]).digest()


def test_all_problems_are_reported_at_once():
    layer = Layer("file", "f.yml", {"treshold_met": 1, "pair": "x", "threshold_late": "bas",
                                    "data_dir": "../../etc"},
                  {"treshold_met": 1, "pair": 2, "threshold_late": 3, "data_dir": 4})
    with pytest.raises(ParameterError) as err:
        check_layers([layer], ACCEPTED)
    lines = str(err.value).splitlines()
    assert len(lines) == 4
    assert lines[0].startswith("f.yml:1 : paramètre inconnu « treshold_met »")
    assert "vouliez-vous dire « threshold_met »" in lines[0]
    assert "f.yml:2" in lines[1] and "choisi par --pair" in lines[1]
    assert "f.yml:3" in lines[2] and "attendu un nombre" in lines[2]
    assert "f.yml:4" in lines[3] and "--donnees ou params/projet.yml" in lines[3]


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


def _settings(programme, *layers) -> Settings:
    return resolve_settings(programme, "midterm", "jette-sidi-bibi", layers=list(layers))


def test_thresholds_must_be_ordered(programme):
    assert check_thresholds(_settings(programme)) is None
    bad = _settings(programme, cli_layer([("threshold_late", "0.9")]))
    assert check_thresholds(bad).startswith("cli:-p : ")
    assert "dans l'ordre atteint ≥ en bonne voie ≥ en retard" in check_thresholds(bad)


def test_a_percentage_given_for_a_threshold_is_refused_with_the_ratio_suggested(programme):
    bad = _settings(programme, cli_layer([("threshold_on_track", "80")]))
    assert check_thresholds(bad) == (
        "cli:-p : Paramètre threshold_on_track = « 80 » : attendu un seuil entre 0 et 2 "
        "(1 = 100 % de réalisation) : vouliez-vous 0,8 ?")


def test_committed_phase_files_only_use_known_parameters():
    from maroc_eval.base.catalogue import BATTERY
    from maroc_eval.run.parameters import notebook_parameters

    accepted = {s.stem: notebook_parameters(s.path) for s in BATTERY}
    phases, _pairs = paths.settings_dirs(paths.PROGRAMME_FILE)
    layers = [load_layer(p, "phase") for p in sorted(phases.glob("*.yml"))]
    assert layers
    check_layers(layers, accepted)


def test_battery_settings_are_declared_with_their_type():
    """A setting left to the layers (``None``) declares its type, so -p values are checked."""
    from maroc_eval.base.catalogue import RI_NOTEBOOKS
    from maroc_eval.run.parameters import notebook_parameters

    cell = notebook_parameters(RI_NOTEBOOKS[2].path)  # RI3
    assert cell["threshold_on_track"] == CellParameter(None, float)
    assert cell["min_share_women"] == CellParameter(None, float)
    assert cell["compare_pairs"] == CellParameter(None, bool)


def test_parameters_cell_reading_is_reused_only_for_the_same_notebook_bytes(tmp_path, monkeypatch):
    import shutil
    import sys

    from maroc_eval.base.catalogue import RI_NOTEBOOKS
    from maroc_eval.run import parameters

    notebook = tmp_path / "ri3.ipynb"
    shutil.copy(RI_NOTEBOOKS[2].path, notebook)
    cache = tmp_path / "cache"
    fresh = parameters.notebook_parameters(notebook)
    assert fresh["pair"].default == "schaerbeek-al-hoceima"
    parameters.remember_parameters(notebook, cache)
    assert len(list(cache.glob("*.json"))) == 1
    parameters._read_cell.cache_clear()
    monkeypatch.setitem(sys.modules, "papermill", None)  # any import of papermill now fails
    assert parameters.notebook_parameters(notebook, cache) == fresh
    # Other bytes (a default changed): the kept reading is not used, papermill is needed again.
    notebook.write_text(notebook.read_text("utf-8").replace(
        "min_share_women: float = None", "min_share_women: float = 0.5"), "utf-8")
    parameters._read_cell.cache_clear()
    with pytest.raises(ImportError):
        parameters.notebook_parameters(notebook, cache)
    monkeypatch.delitem(sys.modules, "papermill")
    assert parameters.notebook_parameters(notebook, cache)["min_share_women"].default == 0.5


def test_kept_readings_are_pruned_to_the_most_recent(tmp_path, monkeypatch):
    import shutil
    import time

    from maroc_eval.base.catalogue import RI_NOTEBOOKS
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


def test_a_setting_naming_a_phase_must_name_one(programme):
    """``-p maturity_reference autre`` is refused before any kernel, naming where it came from;
    a phase of the programme is accepted."""
    from maroc_eval.core.settings import phase_setting_problem

    def settings(value):
        return resolve_settings(programme, "final", "jette-sidi-bibi",
                                layers=[cli_layer([("maturity_reference", value)])])

    assert phase_setting_problem(settings("midterm"), programme) is None
    assert phase_setting_problem(settings("autre"), programme) == (
        "cli:-p : paramètre « maturity_reference » = « autre » : attendu une phase du "
        "programme, midterm ou final.")


def test_every_setting_of_an_ri_notebook_reaches_its_analysis():
    """A parameter that does nothing must not be accepted: each setting of an RI notebook's
    cell (beyond the thresholds and the comparison switch) is a parameter of its analysis, and
    the notebook passes it under that name."""
    import nbformat

    from maroc_eval.base.catalogue import RI_NOTEBOOKS
    from maroc_eval.notebook.ri_specific import ANALYSES, options
    from maroc_eval.run.parameters import RESERVED, notebook_parameters

    generic = {"threshold_met", "threshold_on_track", "threshold_late", "compare_pairs"}
    for spec in RI_NOTEBOOKS:
        path = paths.NOTEBOOKS_DIR / f"{spec.stem}.ipynb"
        own = set(notebook_parameters(path)) - set(RESERVED) - generic
        assert own == set(options(ANALYSES[spec.ri])), spec.stem
        code = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells
                         if c.cell_type == "code")
        for name in own:
            assert f"{name}={name}" in code, (spec.stem, name)
