"""The batch runner on real kernels, with toy notebooks (see ``runner_helpers``)."""

from __future__ import annotations

import json
import os
import shutil
import stat
import time
from pathlib import Path

import nbformat
import pytest
import runner_helpers as h
import yaml

from maroc_eval.base import paths
from maroc_eval.base.catalogue import BATTERY
from maroc_eval.base.errors import InputError, ParameterError, Problem
from maroc_eval.run.execute import NotebookExecutor
from maroc_eval.run.runner import RunOptions, run_battery

pytestmark = pytest.mark.kernel

JETTE, FOREST = h.PAIRS


def ledger(tmp: Path, phase: str = "midterm") -> dict:
    return json.loads((tmp / "out" / phase / "ledger.json").read_text("utf-8"))["entries"]


def ids(*names: str) -> list[str]:
    return sorted(f"midterm/{n}" for n in names)


ALL_TOYS = ids(f"{JETTE}/toy_ri1", f"{JETTE}/toy_ri3", f"{JETTE}/toy_pair",
               f"{FOREST}/toy_ri1", f"{FOREST}/toy_ri3", f"{FOREST}/toy_pair",
               "programme/toy_programme")


def test_incremental_runs_rerun_exactly_what_changed(tmp_path):
    h.write_data(tmp_path / "data")
    first = h.run(tmp_path)
    assert first.exit_status == 0
    assert first.executed == ALL_TOYS

    second = h.run(tmp_path)
    assert second.executed == []
    assert {e["status"] for e in second.entries} == {"skipped-up-to-date"}

    # One pair's judgement on RI3: that RI3 notebook, its pair synthesis, the programme synthesis.
    judgements = {"midterm": {p: {"RI1": "constat RI1", "RI3": "constat RI3"} for p in h.PAIRS}}
    judgements["midterm"][JETTE]["RI3"] = "constat RI3 révisé"
    h.write_data(tmp_path / "data", judgements=judgements)
    third = h.run(tmp_path)
    assert third.executed == ids(f"{JETTE}/toy_ri3", f"{JETTE}/toy_pair", "programme/toy_programme")

    # One pair's RI3 value: every pair's RI3 notebook (comparison), that pair's synthesis only
    # (the other pair's RI3 sidecar is unchanged), the programme synthesis.
    rows = [(p, c, y, 12.0 if (p, c, y) == (JETTE, "RI3.1", 2010) else v)
            for p, c, y, v in h.DEFAULT_ROWS]
    h.write_data(tmp_path / "data", rows=rows, judgements=judgements)
    fourth = h.run(tmp_path)
    assert fourth.executed == ids(f"{JETTE}/toy_ri3", f"{FOREST}/toy_ri3", f"{JETTE}/toy_pair",
                                  "programme/toy_programme")
    assert ["RI3.1", "2010", "12.0"] in h.sidecar(tmp_path, JETTE, "toy_ri3")["rows"]

    # A per-pair setting other than a threshold: that pair's notebooks only (they read the pair
    # file themselves, the runner does not inject it; the toys ignore it, so their sidecars and
    # the programme synthesis reading them are unchanged).
    pair_file = tmp_path / "params" / "pairs" / f"{JETTE}.yml"
    pair_file.write_text("note: propre à Jette\n", "utf-8")
    fifth = h.run(tmp_path)
    assert fifth.executed == ids(f"{JETTE}/toy_ri1", f"{JETTE}/toy_ri3", f"{JETTE}/toy_pair")
    # A per-pair threshold: every notebook of the phase (an RI notebook judges every pair with
    # its own thresholds in its comparison); the pair's notebooks resolve it themselves.
    pair_file.write_text("note: propre à Jette\nthreshold_on_track: 0.8\n", "utf-8")
    sixth = h.run(tmp_path)
    assert sixth.executed == ALL_TOYS
    assert h.sidecar(tmp_path, JETTE, "toy_ri1")["thresholds"] == [1.0, 0.8, 0.4]
    assert h.sidecar(tmp_path, FOREST, "toy_ri1")["thresholds"] == [1.0, 0.75, 0.4]
    assert h.run(tmp_path, force=True).executed == ALL_TOYS


def test_broken_notebook_fails_alone_and_keeps_previous_output(tmp_path):
    battery = (h.TOY_RI1, h.BROKEN, h.TOY_PAIR, h.TOY_PROGRAMME)
    h.write_data(tmp_path / "data")
    good = h.run(tmp_path, battery, pairs=(JETTE,), params=(("fail", "false"),))
    assert good.exit_status == 0
    pair_dir = tmp_path / "out" / "midterm" / JETTE
    before = {name: (pair_dir / name).read_bytes() for name in ("broken.ipynb", "broken.json")}

    lines: list[str] = []
    bad = h.run(tmp_path, battery, pairs=(JETTE,), echo=lines.append)
    assert bad.exit_status == 1
    assert bad.status(f"midterm/{JETTE}/broken") == "failed"
    assert bad.status(f"midterm/{JETTE}/toy_pair") == "ok"
    assert bad.status("midterm/programme/toy_programme") == "ok"
    entry = ledger(tmp_path)[f"{JETTE}/broken"]
    assert (entry["status"], entry["ename"]) == ("failed", "ValueError")
    assert entry["evalue"] == "panne volontaire du carnet de test"
    assert entry["cell"] == 4  # markdown, parameters, injected-parameters, helpers, the raise
    assert entry["output"] == f"midterm/{JETTE}/broken.echec.ipynb"
    # The previous good outputs are untouched; the failure is kept with papermill's banner.
    assert {n: (pair_dir / n).read_bytes() for n in before} == before
    failed = nbformat.read(pair_dir / "broken.echec.ipynb", as_version=4)
    assert "papermill-error-cell-tag" in failed.cells[0].metadata.get("tags", [])
    assert failed.metadata["maroc_eval"]["error"]["ename"] == "ValueError"
    # The syntheses ran, showing the failed input as unavailable.
    assert f"{JETTE}/broken" in h.sidecar(tmp_path, JETTE, "toy_pair")["unavailable"]
    assert f"{JETTE}/broken" in h.sidecar(tmp_path, "programme", "toy_programme")["unavailable"]
    assert any("ValueError: panne volontaire" in line for line in lines)

    fixed = h.run(tmp_path, battery, pairs=(JETTE,), params=(("fail", "false"),))
    assert fixed.exit_status == 0
    assert not (pair_dir / "broken.echec.ipynb").exists()
    assert f"{JETTE}/broken" not in h.sidecar(tmp_path, JETTE, "toy_pair")["unavailable"]


def test_notebook_without_sidecar_is_a_failure(tmp_path):
    h.write_data(tmp_path / "data")
    result = h.run(tmp_path, (h.SILENT,), pairs=(JETTE,))
    assert result.exit_status == 1
    assert ledger(tmp_path)[f"{JETTE}/silent"]["ename"] == "RésultatAbsent"


def test_a_cell_that_never_ends_fails_its_notebook_instead_of_hanging(tmp_path, monkeypatch):
    from maroc_eval.run import execute

    monkeypatch.setattr(execute, "CELL_TIMEOUT", 2)
    h.write_data(tmp_path / "data")
    lines: list[str] = []
    # a 60 s cell against a 2 s limit: it can only fail by the limit (run to its end, it passes)
    result = h.run(tmp_path, (h.TOY_RI1, h.SLOW), pairs=(JETTE,), echo=lines.append,
                   params=(("delay", "60"),))
    assert result.exit_status == 1
    assert result.status(f"midterm/{JETTE}/toy_ri1") == "ok"
    entry = ledger(tmp_path)[f"{JETTE}/slow"]
    assert (entry["status"], entry["ename"]) == ("failed", "DélaiDépassé")
    assert entry["evalue"] == ("une cellule a tourné plus de 2 secondes sans finir "
                               "(noyau bloqué ?)")
    assert any("DélaiDépassé" in line for line in lines), lines


def test_each_notebook_gets_a_fresh_kernel(tmp_path):
    h.write_data(tmp_path / "data")
    result = h.run(tmp_path, (h.LEAKS, h.READS), pairs=(JETTE,), jobs=1)
    assert result.exit_status == 0
    assert h.sidecar(tmp_path, JETTE, "leaks_global")["defined"] is True
    assert h.sidecar(tmp_path, JETTE, "reads_global")["sees_leak"] is False


def test_injected_text_stays_an_inert_literal(tmp_path):
    marker = tmp_path / "pwned"
    payload = f'"); import os; os.system("touch {marker}")#'
    h.write_data(tmp_path / "data")
    result = h.run(tmp_path, (h.TOY_RI1,), pairs=(JETTE,), params=(("note", payload),))
    assert result.exit_status == 0
    assert not marker.exists()
    assert h.sidecar(tmp_path, JETTE, "toy_ri1")["note"] == payload


def test_parameters_and_their_layers_are_recorded(tmp_path):
    h.write_data(tmp_path / "data")
    h.params(tmp_path)
    (tmp_path / "params" / "phases" / "midterm.yml").write_text("threshold_late: 0.3\n", "utf-8")
    extra = tmp_path / "extra.yml"
    extra.write_text("threshold_met: 0.95\nnote: fichier\n", "utf-8")
    result = h.run(tmp_path, (h.TOY_RI1,), pairs=(JETTE,), params_files=(extra,),
                   params=(("note", "ligne de commande"),))
    assert result.exit_status == 0
    nb = nbformat.read(tmp_path / "out" / "midterm" / JETTE / "toy_ri1.ipynb", as_version=4)
    meta = nb.metadata["maroc_eval"]
    assert meta["parameters"]["threshold_met"] == 0.95
    assert meta["parameters"]["threshold_on_track"] == 0.75
    assert meta["parameters"]["threshold_late"] == 0.3
    assert meta["parameters"]["note"] == "ligne de commande"
    assert meta["origins"]["threshold_met"].startswith("file:")
    assert meta["origins"]["threshold_on_track"].startswith("programme")
    assert meta["origins"]["threshold_late"].startswith("phase:")
    assert meta["origins"]["note"] == "cli:-p"
    assert meta["origins"]["pair"] == "runner"
    assert meta["parameters"]["sidecar_path"].endswith(
        f"{JETTE}/toy_ri1.json")
    assert len(meta["cache_key"]) == 64
    # The kernel worked in the project root.
    assert h.sidecar(tmp_path, JETTE, "toy_ri1")["cwd"] == str(paths.PROJ_ROOT)


class NoKernel(NotebookExecutor):
    """An executor that fails the test if a notebook is ever started."""

    def execute(self, job, parameters, metadata):  # pragma: no cover - must not run
        raise AssertionError("a kernel was started")


@pytest.mark.parametrize(("params", "expected"), [
    ((("threshold_on_trak", "0.8"),), "vouliez-vous dire « threshold_on_track »"),
    ((("data_dir", "../../etc"),), "choisi par --donnees ou params/projet.yml"),
    ((("output_dir", "/etc"),), "choisi par --sorties"),
    ((("threshold_met", "beaucoup"),), "attendu un nombre"),
    ((("threshold_on_track", "1.5"),), "seuils cohérents"),
    ((("pair", "liege-tanger"),), "choisi par --pair"),
])
def test_bad_parameter_stops_before_any_kernel(tmp_path, params, expected):
    h.write_data(tmp_path / "data")
    started = time.monotonic()
    with pytest.raises(ParameterError) as err:
        h.run(tmp_path, params=params, executor=NoKernel())
    assert expected in str(err.value)
    assert err.value.exit_status == 2
    assert not (tmp_path / "out").exists()
    assert time.monotonic() - started < 30  # generous: no kernel could have run


def test_bad_data_stops_before_any_kernel(tmp_path):
    def refuse(data_dir, programme_file):
        raise InputError([Problem("suivi.csv", 3, "valeur", "abc", "un nombre")])

    with pytest.raises(InputError) as err:
        run_battery(h.options(tmp_path), battery=h.TOY_BATTERY, notebooks_dir=h.TOYS,
                    inputs_loader=refuse,
                    executor=NoKernel())
    assert err.value.messages()[0].startswith("suivi.csv:3:valeur")
    assert not (tmp_path / "out").exists()


def test_unknown_name_lists_the_accepted_ones(tmp_path):
    h.write_data(tmp_path / "data")
    with pytest.raises(ParameterError) as err:
        h.run(tmp_path, params=(("seuil", "0.8"),), executor=NoKernel())
    message = str(err.value)
    assert "paramètre inconnu « seuil »" in message
    assert "threshold_on_track" in message and "note" in message


def test_parameter_file_error_names_file_and_line(tmp_path):
    h.write_data(tmp_path / "data")
    bad = tmp_path / "bad.yml"
    bad.write_text("note: ok\ndata_dir: ../../../etc\n", "utf-8")
    with pytest.raises(ParameterError) as err:
        h.run(tmp_path, params_files=(bad,), executor=NoKernel())
    assert "bad.yml:2" in str(err.value)


@pytest.mark.parametrize(("overrides", "expected"), [
    ({"phase": "mid"}, "Phase inconnue « mid »"),
    ({"pairs": ("jette",)}, "Partenariat inconnu « jette »"),
    ({"ris": ("RI9",)}, "Valeurs possibles : RI1, RI3"),
])
def test_unknown_selection_is_a_usage_error(tmp_path, overrides, expected):
    h.write_data(tmp_path / "data")
    with pytest.raises(ParameterError) as err:
        h.run(tmp_path, executor=NoKernel(), **overrides)
    assert expected in str(err.value)


def test_ri_and_pair_selection_builds_the_graph(tmp_path):
    h.write_data(tmp_path / "data")
    result = h.run(tmp_path, pairs=(FOREST,), ris=("3",))
    assert result.executed == ids(f"{FOREST}/toy_ri3", f"{FOREST}/toy_pair",
                                  "programme/toy_programme")
    unavailable = h.sidecar(tmp_path, "programme", "toy_programme")["unavailable"]
    assert f"{JETTE}/toy_ri3" in unavailable and f"{FOREST}/toy_ri3" not in unavailable
    assert f"{FOREST}/toy_ri1" in h.sidecar(tmp_path, FOREST, "toy_pair")["unavailable"]


@pytest.mark.slow
def test_real_battery_for_one_pair(tmp_path):
    options = RunOptions(phase="midterm", pairs=("jette-sidi-bibi",), outputs=tmp_path / "out",
                         quiet=True, jobs=2)
    result = run_battery(options, echo=lambda line: None)
    assert result.exit_status == 0, result.entries
    entries = ledger(tmp_path)
    assert {e["status"] for e in entries.values()} == {"ok"}
    assert len(entries) == len(BATTERY)  # 6 RI notebooks, the pair and programme syntheses
    for spec in BATTERY:
        folder = "programme" if spec.scope == "programme" else "jette-sidi-bibi"
        data = json.loads((tmp_path / "out" / "midterm" / folder / f"{spec.stem}.json")
                          .read_text("utf-8"))
        assert data["kind"] == spec.scope
    yaml.safe_dump(entries)  # plain data


# -- outputs the runner vouches for ------------------------------------------------------------
@pytest.mark.parametrize("damage", ["edit-sidecar", "truncate-notebook", "delete-sidecar"])
def test_a_damaged_output_is_rerun_and_said(tmp_path, damage):
    h.write_data(tmp_path / "data")
    assert h.run(tmp_path, (h.TOY_RI1,), pairs=(JETTE,)).exit_status == 0
    folder = tmp_path / "out" / "midterm" / JETTE
    if damage == "edit-sidecar":
        (folder / "toy_ri1.json").write_text('{"kind": "toy-ri", "falsifié": 1}', "utf-8")
    elif damage == "truncate-notebook":
        text = (folder / "toy_ri1.ipynb").read_text("utf-8")
        (folder / "toy_ri1.ipynb").write_text(text[: len(text) // 2], "utf-8")
    else:
        (folder / "toy_ri1.json").unlink()
    said = []
    again = h.run(tmp_path, (h.TOY_RI1,), pairs=(JETTE,), echo=said.append)
    assert again.executed == [f"midterm/{JETTE}/toy_ri1"]
    why = "absent" if damage == "delete-sidecar" else "modifié depuis son exécution"
    assert f"midterm/{JETTE}/toy_ri1 : résultat {why}, réexécuté" in said
    assert h.sidecar(tmp_path, JETTE, "toy_ri1")["kind"] == "toy-ri"
    assert h.run(tmp_path, (h.TOY_RI1,), pairs=(JETTE,)).executed == []


def test_a_garbled_ledger_makes_the_run_redo_its_notebooks_and_say_so(tmp_path):
    h.write_data(tmp_path / "data")
    assert h.run(tmp_path, (h.TOY_RI1,), pairs=(JETTE,)).exit_status == 0
    (tmp_path / "out" / "midterm" / "ledger.json").write_text('{"entries": {', "utf-8")
    said = []
    again = h.run(tmp_path, (h.TOY_RI1,), pairs=(JETTE,), echo=said.append)
    assert again.executed == [f"midterm/{JETTE}/toy_ri1"]  # nothing taken as up to date
    assert any("/out/midterm/ledger.json:1:14 : journal d'exécution illisible" in line
               and "ceux de cette exécution sont refaits" in line for line in said), said
    assert ledger(tmp_path)[f"{JETTE}/toy_ri1"]["outputs"]  # vouched for again


def test_outputs_are_written_with_the_users_umask(tmp_path):
    h.write_data(tmp_path / "data")
    old = os.umask(0o022)
    try:
        assert h.run(tmp_path, (h.TOY_RI1,), pairs=(JETTE,)).exit_status == 0
    finally:
        os.umask(old)
    out = tmp_path / "out" / "midterm"
    for path in (out / JETTE / "toy_ri1.ipynb", out / JETTE / "toy_ri1.json", out / "ledger.json"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, path
    assert stat.S_IMODE((out / JETTE).stat().st_mode) == 0o755


def test_a_moved_outputs_folder_stays_up_to_date(tmp_path):
    h.write_data(tmp_path / "data")
    assert h.run(tmp_path).exit_status == 0
    shutil.move(tmp_path / "out", tmp_path / "ailleurs")
    moved = h.run(tmp_path, outputs=tmp_path / "ailleurs")
    assert moved.executed == []
    os.chdir(tmp_path)  # the same folder spelled relative to the working directory
    try:
        assert h.run(tmp_path, outputs=Path("ailleurs")).executed == []
    finally:
        os.chdir(paths.PROJ_ROOT)
