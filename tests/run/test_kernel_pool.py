"""The pool of pre-started kernels: still one fresh kernel per notebook, none left behind."""

from __future__ import annotations

import os
import subprocess
import threading
import time
from pathlib import Path

import pytest
import runner_helpers as h

from maroc_eval.run.kernel_pool import RapideExecutor

pytestmark = pytest.mark.kernel

JETTE = h.PAIRS[0]


class RecordingExecutor(RapideExecutor):
    """Records every kernel started and which one served which notebook.

    ``acquire`` waits for kernels being started, so a pre-started kernel is always used when
    one is on its way (the test does not depend on timing). ``expect`` ignores the runner's
    estimate: the pool keeps ``spares`` kernels ready, so some are left unused at the end.
    """

    def __init__(self, spares: int, cwd: Path, fork: bool = False):
        super().__init__(cwd=cwd, spares=spares, fork=fork)
        self.pids: list[int] = []
        self.served: list[tuple[int, bool]] = []
        self._record = threading.Lock()

    def expect(self, waiting) -> None:
        pass

    def start_kernel(self):
        km = super().start_kernel()
        with self._record:
            self.pids.append(km.provisioner.process.pid)
        return km

    def acquire(self):
        deadline = time.monotonic() + 60
        while self._starting and not self._ready and time.monotonic() < deadline:
            time.sleep(0.05)
        from_pool = bool(self._ready)
        km = super().acquire()
        with self._record:
            self.served.append((km.provisioner.process.pid, from_pool))
        return km


@pytest.mark.parametrize("fork", [False, True], ids=["started", "forked"])
def test_pool_kernel_does_not_see_the_previous_notebooks_variables(tmp_path, fork):
    h.write_data(tmp_path / "data")
    executor = RecordingExecutor(spares=1, cwd=tmp_path, fork=fork)
    result = h.run(tmp_path, (h.LEAKS, h.READS), pairs=(JETTE,), jobs=1, executor=executor)
    assert result.exit_status == 0
    assert h.sidecar(tmp_path, JETTE, "leaks_global")["defined"] is True
    assert h.sidecar(tmp_path, JETTE, "reads_global")["sees_leak"] is False
    # Two notebooks, two different kernels, the second one pre-started by the pool.
    assert len({pid for pid, _ in executor.served}) == 2
    assert executor.served[1][1] is True


@pytest.mark.parametrize("fork", [False, True], ids=["started", "forked"])
def test_pyplot_is_the_kernels_own_and_draws_inline(tmp_path, fork):
    """The warm process holds matplotlib and pyplot, but pyplot's backend is chosen in the kernel,
    at its first figure: a bare ``plt.plot`` then shows its figure in the executed notebook, as in
    JupyterLab. The warm process's objects reach a forked kernel frozen, out of its collector's
    reach (a full collection would copy their memory pages into each kernel)."""
    import nbformat

    h.write_data(tmp_path / "data")
    result = h.run(tmp_path, (h.PLOTS,), pairs=(JETTE,), jobs=1,
                   executor=RapideExecutor(cwd=tmp_path, spares=0, fork=fork))
    assert result.exit_status == 0
    seen = h.sidecar(tmp_path, JETTE, "plots_inline")
    assert seen["pyplot_before"] is fork
    assert seen["frozen"] is fork
    assert seen["backend"] == "module://matplotlib_inline.backend_inline"
    warm = ["matplotlib.backends.backend_agg", "matplotlib.figure"]
    assert seen["warm"] == (warm if fork else [])
    nb = nbformat.read(tmp_path / "out" / "midterm" / JETTE / "plots_inline.ipynb", as_version=4)
    images = [o for c in nb.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    assert len(images) == 1


def test_pool_shuts_every_kernel_down_including_unused_spares(tmp_path):
    executor = RapideExecutor(cwd=tmp_path, spares=2, fork=False)
    executor.refill()
    km = executor.acquire()  # one kernel used, the pool refills to two spares
    pids = [km.provisioner.process.pid]
    executor.stop_kernel(km)
    for thread in list(executor._threads):
        thread.join()
    pids += [k.provisioner.process.pid for k in executor._ready]
    assert len(pids) == 3
    assert all(h.alive(pid) for pid in pids[1:])
    executor.close()
    assert executor._ready == []
    assert not any(h.alive(pid) for pid in pids)


@pytest.mark.parametrize("fork", [False, True], ids=["started", "forked"])
def test_no_kernel_left_after_a_run_with_failures(tmp_path, fork):
    h.write_data(tmp_path / "data")
    before = h.descendants(os.getpid())
    executor = RecordingExecutor(spares=2, cwd=tmp_path, fork=fork)
    result = h.run(tmp_path, (h.TOY_RI1, h.BROKEN, h.DIES, h.TOY_PAIR), pairs=(JETTE,),
                   jobs=2, executor=executor)
    assert result.exit_status == 1
    assert result.status(f"midterm/{JETTE}/broken") == "failed"
    assert result.status(f"midterm/{JETTE}/dies") == "failed"
    # Four notebooks each in its own kernel; spares were started and left unused.
    assert len({pid for pid, _ in executor.served}) == 4
    assert len(executor.pids) > 4
    assert not any(h.alive(pid) for pid in executor.pids)
    # Forked kernels are not the processes jupyter_client started: none survives either.
    deadline = time.monotonic() + 10
    while h.descendants(os.getpid()) - before and time.monotonic() < deadline:
        time.sleep(0.1)
    assert h.descendants(os.getpid()) - before == set()


def test_killing_the_runner_leaves_no_kernel_behind(tmp_path):
    h.write_data(tmp_path / "data")
    h.params(tmp_path)
    proc = subprocess.Popen(h.driver_command(tmp_path, "slow", [("delay", "30")]), cwd=tmp_path,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        folder = tmp_path / "out" / "midterm" / JETTE
        deadline = time.monotonic() + 120
        while not any(folder.glob(".slow.*.tmp.ipynb")) and time.monotonic() < deadline:
            assert proc.poll() is None, "the runner ended too early"
            time.sleep(0.2)
        below = h.descendants(proc.pid)
        assert below  # the zygote, the stand-in and the forked kernel at least
    finally:
        proc.kill()
        proc.wait()
    deadline = time.monotonic() + 15
    while any(h.alive(pid) for pid in below) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(h.alive(pid) for pid in below)


def test_no_client_thread_outlives_its_notebook(tmp_path):
    """Each notebook's client channels stop with its kernel (no heartbeat thread piles up)."""
    from jupyter_client.channels import HBChannel

    def heartbeats() -> int:
        return sum(isinstance(t, HBChannel) and t.is_h.alive() for t in threading.enumerate())

    before = heartbeats()
    h.write_data(tmp_path / "data")
    result = h.run(tmp_path, (h.LEAKS, h.READS), pairs=(JETTE,), jobs=1,
                   executor=RapideExecutor(cwd=tmp_path, spares=1, fork=True))
    assert result.exit_status == 0
    assert h.sidecar(tmp_path, JETTE, "reads_global")["sees_leak"] is False  # both really ran
    assert heartbeats() == before


def test_refused_data_leave_no_warm_process_behind(tmp_path):
    """New data start the warm process early; when validation refuses them, it is stopped."""
    import shutil

    from maroc_eval.base import paths
    from maroc_eval.base.errors import InputError
    from maroc_eval.core.dataset import DatasetCache
    from maroc_eval.run.executors import early_executor
    from maroc_eval.run.runner import RunOptions, run_battery

    data = tmp_path / "donnees"
    shutil.copytree(paths.SAMPLE_DIR, data)
    csv = data / "suivi.csv"
    csv.write_text(csv.read_text("utf-8") + "jette-sidi-bibi,RI3.1,2010,beaucoup,,,\n", "utf-8")
    # Processes already there (an earlier test's multiprocessing forkserver) are not the run's.
    before = h.descendants(os.getpid())
    started = time.monotonic()
    # What the command line does: new data, so the fast executor starts its warm process early.
    cache = DatasetCache(paths.PROGRAMME_FILE, data, tmp_path / "out")
    executor = early_executor("rapide", cache, 2)
    assert executor.warm_started()
    with pytest.raises(InputError):
        run_battery(RunOptions(data_dir=data, outputs=tmp_path / "out", quiet=True),
                    cache=cache, executor=executor)
    assert time.monotonic() - started < 5  # not waiting for the warm process to finish importing
    assert h.descendants(os.getpid()) - before == set()
    assert not (tmp_path / "out").exists()  # refused before anything was written


def test_a_spare_kernel_that_died_while_waiting_is_replaced(tmp_path):
    """A pre-started kernel killed before a notebook asks for one is never handed out: the
    notebook gets a live kernel, and the dead one is forgotten."""
    executor = RapideExecutor(cwd=tmp_path, spares=0, fork=False)
    try:
        dead = executor.start_kernel()
        pid = dead.provisioner.process.pid
        dead.provisioner.process.kill()
        dead.provisioner.process.wait(10)
        executor._ready.append(dead)
        km = executor.acquire()
        assert km is not dead
        assert km.provisioner.process.poll() is None
        assert km.provisioner.process.pid != pid
        assert executor._ready == [] and id(dead) not in executor._running
        executor.stop_kernel(km)
    finally:
        executor.close()
