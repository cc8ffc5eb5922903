"""The ``maroc-eval`` kernel spec: warm kernels through jupyter_client's provisioner entry point,
for any client (plain papermill here), and the portable plain kernel when switched off."""

from __future__ import annotations

import json
import os
import tempfile
import time
from importlib.metadata import entry_points

import nbformat
import pytest
import runner_helpers as h

from maroc_eval.run import provisioner
from maroc_eval.run.kernel_pool import RapideExecutor
from maroc_eval.run.kernelspec import PROVISIONER, WARM_KERNEL, ensure_installed

pytestmark = pytest.mark.kernel

JETTE = h.PAIRS[0]


def test_the_provisioner_is_registered_by_entry_point_and_named_by_the_spec():
    found = entry_points(group="jupyter_client.kernel_provisioners", name=PROVISIONER)
    assert [e.load() for e in found] == [provisioner.WarmProvisioner]
    from jupyter_client.kernelspec import KernelSpecManager

    spec = KernelSpecManager().get_kernel_spec(ensure_installed())
    assert spec.metadata["kernel_provisioner"]["provisioner_name"] == PROVISIONER


def _papermill_warm(tmp_path, name: str) -> bool:
    """Run a one-cell notebook with plain papermill on the ``maroc-eval`` kernel; whether the
    kernel found matplotlib's figure module already imported (the warm process's)."""
    import papermill

    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell(
        "import sys\nprint('matplotlib.figure' in sys.modules)"))
    nb.metadata["kernelspec"] = {"name": WARM_KERNEL, "display_name": "x", "language": "python"}
    source, output = tmp_path / f"{name}.ipynb", tmp_path / f"{name}.out.ipynb"
    nbformat.write(nb, source)
    papermill.execute_notebook(str(source), str(output), kernel_name=WARM_KERNEL,
                               progress_bar=False)
    text = nbformat.read(output, as_version=4).cells[0].outputs[0]["text"].strip()
    return json.loads(text.lower())


def test_plain_papermill_gets_a_warm_kernel_and_the_plain_one_when_switched_off(
        tmp_path, monkeypatch):
    ensure_installed()
    before = h.descendants(os.getpid())
    try:
        assert _papermill_warm(tmp_path, "warm") is True
        assert provisioner.warm_process_running()
    finally:
        provisioner.stop_warm_process()
    monkeypatch.setenv(provisioner.ENV_SWITCH, "0")
    assert _papermill_warm(tmp_path, "plain") is False
    assert not provisioner.warm_process_running()
    deadline = time.monotonic() + 10
    while h.descendants(os.getpid()) - before and time.monotonic() < deadline:
        time.sleep(0.1)
    assert h.descendants(os.getpid()) - before == set()


def test_a_warm_process_older_than_the_package_code_is_replaced(tmp_path, monkeypatch):
    """A long-lived client (a JupyterLab server) keeps its warm process while the code stays as
    it was; once a module of the package changes on disk, the next kernel comes from a new warm
    process (which imports the code as it is now) and the old one ends."""
    from maroc_eval.base import paths

    package = tmp_path / "paquet"
    (package / "notebook").mkdir(parents=True)
    module = package / "notebook" / "riview.py"
    module.write_text("X = 1\n", "utf-8")
    monkeypatch.setattr(paths, "PACKAGE_DIR", package)
    try:
        first = provisioner.start_warm_process()
        assert first is not None and first.process.poll() is None
        assert provisioner.start_warm_process() is first  # nothing changed: the same process
        module.write_text("X = 2  # changed\n", "utf-8")
        second = provisioner.start_warm_process()
        assert second is not first and second.process.poll() is None
        assert first.process.wait(15) is not None  # the old one ended
        assert provisioner.start_warm_process() is second
    finally:
        provisioner.stop_warm_process()


def test_a_temporary_folder_too_long_for_a_socket_gets_the_plain_kernel(tmp_path, monkeypatch,
                                                                        long_folder):
    """The warm process listens on a Unix socket in a folder of the temporary folder; a socket's
    path has 107 bytes at most on Linux. Under a longer temporary folder the notebook runs on the
    plain kernel, and no folder is left behind (the warm process would never have cleaned it)."""
    provisioner.stop_warm_process()
    ensure_installed()
    long = long_folder(100)
    monkeypatch.setattr(tempfile, "tempdir", str(long))
    monkeypatch.setenv("TMPDIR", str(long))
    assert not provisioner.warm_enabled()
    assert provisioner.start_warm_process() is None
    assert _papermill_warm(tmp_path, "long") is False
    assert not provisioner.warm_process_running()
    assert list(long.glob("maroc-eval-*")) == []
    monkeypatch.setattr(tempfile, "tempdir", "/tmp")
    assert provisioner.warm_enabled()


def _sidecars(tmp_path) -> dict:
    out = tmp_path / "out"
    return {str(p.relative_to(out)): json.loads(p.read_text("utf-8"))
            for p in sorted(out.rglob("*.json")) if p.name != "ledger.json"
            and not p.name.startswith(".")}


def test_the_portable_path_writes_the_same_sidecars(tmp_path, monkeypatch):
    """The fast path switched off (what macOS and Windows get): same results, no warm process."""
    battery = (h.TOY_RI1, h.TOY_RI3, h.TOY_PAIR, h.TOY_PROGRAMME)
    h.write_data(tmp_path / "data")
    warm = RapideExecutor(workers=2, cwd=tmp_path)
    assert h.run(tmp_path, battery, executor=warm).exit_status == 0
    by_warm = _sidecars(tmp_path)
    monkeypatch.setenv(provisioner.ENV_SWITCH, "0")
    plain = RapideExecutor(workers=2, cwd=tmp_path)
    plain.start_early()
    assert not plain.warm_started()
    assert h.run(tmp_path, battery, force=True, executor=plain).exit_status == 0
    assert not provisioner.warm_process_running()
    by_plain = _sidecars(tmp_path)
    assert len(by_warm) >= 4 * len(h.PAIRS) // 2
    assert by_plain == by_warm


@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="needs Linux's /proc")
def test_the_warm_process_is_single_threaded_when_it_forks(tmp_path):
    """Every kernel is a fork of the warm process: with its imports done (numpy's BLAS pool
    included), it must hold one thread only, or a lock held by another thread is inherited."""
    from maroc_eval.run.warm_kernel import WarmProcess

    folder = tmp_path / "chaud"
    folder.mkdir()
    warm = WarmProcess(folder)
    try:
        assert warm.wait(120)
        threads = os.listdir(f"/proc/{warm.process.pid}/task")
        with open(f"/proc/{warm.process.pid}/maps", encoding="utf-8", errors="replace") as fh:
            assert "numpy" in fh.read()  # its imports are done, numpy's included
        assert len(threads) == 1, threads
    finally:
        warm.close()


def test_many_threads_asking_whether_the_warm_process_is_ready_never_block(tmp_path):
    """Kernels start in several threads at once, each asking the warm process whether it
    listens: every one gets its answer, none waits on a line another thread already read."""
    import threading

    from maroc_eval.run.warm_kernel import WarmProcess

    folder = tmp_path / "chaud"
    folder.mkdir()
    warm = WarmProcess(folder)
    answers: list[bool] = []
    go = threading.Barrier(8)

    def ask() -> None:
        go.wait()
        deadline = time.monotonic() + 120
        while not warm.ready() and time.monotonic() < deadline:
            time.sleep(0.001)
        answers.append(warm.ready())

    threads = [threading.Thread(target=ask, daemon=True) for _ in range(8)]
    try:
        for thread in threads:
            thread.start()
        until = time.monotonic() + 150
        for thread in threads:
            thread.join(max(0.0, until - time.monotonic()))
        assert not any(t.is_alive() for t in threads)  # no thread stuck reading
        assert answers == [True] * 8
    finally:
        warm.close()
