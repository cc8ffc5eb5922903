"""The executors behind one interface: a registry by name, and the same outputs from each."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
import runner_helpers as h
from click.testing import CliRunner

from maroc_eval.base import paths
from maroc_eval.base.errors import ParameterError
from maroc_eval.cli import main
from maroc_eval.run.execute import NotebookExecutor
from maroc_eval.run.executors import (
    DEFAULT_EXECUTOR,
    ExecutorRegistry,
    SimpleExecutor,
    executors,
)
from maroc_eval.run.kernel_pool import RapideExecutor

JETTE = h.PAIRS[0]


# -- the registry ----------------------------------------------------------------------------
def test_registry_names_the_two_executors_and_rapide_is_the_default():
    assert executors.names() == ["rapide", "simple"]
    assert executors.get("simple") is SimpleExecutor
    assert executors.get("rapide") is RapideExecutor
    assert DEFAULT_EXECUTOR == "rapide"
    assert all(issubclass(executors.get(n), NotebookExecutor) for n in executors.names())


@pytest.mark.parametrize(("name", "expected"), [
    ("rapid", "Exécuteur inconnu « rapid » (vouliez-vous dire « rapide » ?)"),
    ("Simple", "(vouliez-vous dire « simple » ?)"),
    ("dask", "Exécuteur inconnu « dask ». Valeurs possibles : rapide, simple."),
])
def test_unknown_executor_is_a_precise_error(name, expected):
    with pytest.raises(ParameterError) as err:
        executors.get(name)
    assert expected in str(err.value)
    assert err.value.exit_status == 2


def test_an_executor_can_be_registered():
    registry = ExecutorRegistry()
    registry.register("mien", SimpleExecutor)
    assert registry.names() == ["mien"] and registry.get("mien") is SimpleExecutor


def test_the_command_line_offers_the_registered_executors():
    done = CliRunner().invoke(main, ["run", "--help"])
    assert "--executeur [rapide|simple]" in done.output
    refused = CliRunner().invoke(main, ["run", "--executeur", "rapid"])
    assert refused.exit_code == 2 and "rapid" in refused.output


# -- the same outputs ------------------------------------------------------------------------
def _outputs(tmp: Path) -> dict:
    """Sidecars, notebook outputs and ledger entries of a toy run, without times and paths."""
    out = tmp / "out" / "midterm"
    found = {}
    for path in sorted(out.rglob("*")):
        name = str(path.relative_to(out))
        if path.suffix == ".json" and path.name != "ledger.json":
            found[name] = json.loads(path.read_text("utf-8"))
        elif path.suffix == ".ipynb":
            nb = nbformat.read(path, as_version=4)
            found[name] = [(c.cell_type, c.metadata.get("tags", []),
                            [{k: v for k, v in o.items() if k not in ("traceback", "metadata")}
                             for o in c.get("outputs", [])]) for c in nb.cells]
    ledger = json.loads((out / "ledger.json").read_text("utf-8"))["entries"]
    found["ledger"] = {k: {f: e.get(f) for f in ("status", "cell", "ename", "evalue", "output",
                                                 "cache_key")}
                       for k, e in ledger.items()}
    return found


@pytest.mark.kernel
def test_both_executors_write_the_same_outputs(tmp_path):
    """The toy battery with a failing notebook, run by each executor on the same inputs."""
    battery = (h.TOY_RI1, h.TOY_RI3, h.BROKEN, h.TOY_PAIR, h.TOY_PROGRAMME)
    h.write_data(tmp_path / "data")
    simple = h.run(tmp_path, battery, executor=SimpleExecutor(workers=2))
    by_simple = _outputs(tmp_path)
    rapide = h.run(tmp_path, battery, force=True, executor=RapideExecutor(workers=2))
    by_rapide = _outputs(tmp_path)
    assert simple.exit_status == rapide.exit_status == 1
    assert simple.executed == rapide.executed
    assert by_simple == by_rapide
    assert by_simple["ledger"][f"{JETTE}/broken"]["status"] == "failed"
    assert f"{JETTE}/broken.echec.ipynb" in by_simple
    assert by_simple[f"{JETTE}/toy_ri1.json"]["cwd"] == str(paths.PROJ_ROOT)


@pytest.mark.kernel
def test_simple_executor_leaves_no_kernel_nor_client_thread(tmp_path):
    """nbclient owns each kernel it starts: stopped, with its client's channels, even on failure."""
    import os
    import threading
    import time

    from jupyter_client.channels import HBChannel

    def heartbeats() -> int:
        return sum(isinstance(t, HBChannel) and t.is_alive() for t in threading.enumerate())

    before, threads = h.descendants(os.getpid()), heartbeats()
    h.write_data(tmp_path / "data")
    result = h.run(tmp_path, (h.TOY_RI1, h.BROKEN, h.DIES, h.TOY_PAIR), pairs=(JETTE,),
                   executor=SimpleExecutor(workers=2))
    assert result.exit_status == 1
    assert result.status(f"midterm/{JETTE}/dies") == "failed"
    assert result.status(f"midterm/{JETTE}/toy_pair") == "ok"
    deadline = time.monotonic() + 10
    while h.descendants(os.getpid()) - before and time.monotonic() < deadline:
        time.sleep(0.1)
    assert h.descendants(os.getpid()) - before == set()
    assert heartbeats() == threads


def test_by_default_one_notebook_more_than_processors_runs_at_once(monkeypatch):
    """A notebook waits part of its time (kernel ready, messages): one more than the processors
    this process may use, whatever the machine has in all."""
    import os

    from maroc_eval.run.execute import default_workers

    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 3}, raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 64)
    assert default_workers() == 3
