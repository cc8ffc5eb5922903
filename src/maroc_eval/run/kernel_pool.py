"""The fast executor (``rapide``): kernels started ahead of need, forked from a warm process.

Starting a kernel and importing the notebooks' stack costs about 2.5 s of CPU per notebook.
:class:`RapideExecutor` cuts it two ways, and each notebook still gets its own fresh kernel:

- kernels are ``fork()`` s of a *zygote* that imported the stack once
  (:mod:`maroc_eval.run.kernel_fork`); the zygote starts as soon as the run knows notebooks will
  run (:meth:`RapideExecutor.start_early`, before the runner's own imports);
- while notebooks run, the next kernels start in background threads (the pool); each serves
  exactly one notebook and is then shut down, so isolation is that of one kernel per notebook.

The kernel is handed to papermill (``km=``), started with the project root as its working
directory rather than through papermill's ``cwd=``, whose ``os.chdir`` is process-wide and would
race between threads.
"""

from __future__ import annotations

import contextlib
import subprocess
import tempfile
import threading
from pathlib import Path

from .execute import KERNEL_NAME, Job, NotebookExecutor, kill_kernel


class RapideExecutor(NotebookExecutor):
    """Fresh kernels from a pool, forked from a warm process.

    Parameters
    ----------
    workers, cwd, kernel_name, start_timeout
        See :class:`~maroc_eval.run.execute.NotebookExecutor`.
    spares : int, optional
        Kernels started ahead of need (default: ``workers``); never more than the notebooks that
        may still need one (:meth:`~maroc_eval.run.execute.NotebookExecutor.expect`).
        :meth:`close` shuts the unused ones down.
    fork : bool
        Fork kernels from a warm process instead of starting each from scratch; falls back to
        ordinary kernels if that process cannot start.
    """

    def __init__(self, workers: int | None = None, cwd: Path | None = None,
                 kernel_name: str = KERNEL_NAME, start_timeout: float = 60,
                 spares: int | None = None, fork: bool = True):
        super().__init__(workers, cwd, kernel_name, start_timeout)
        self.spares = self.workers if spares is None else spares
        self.fork = fork
        self._zygote = None
        self._lock = threading.Lock()
        self._running: dict[int, object] = {}
        self._ready: list = []
        self._starting = 0
        self._threads: list[threading.Thread] = []

    def run_notebook(self, job: Job, output: Path, parameters: dict):
        """Execute the notebook with papermill in a kernel from the pool."""
        km = self.acquire()
        try:
            return self.papermill_execute(job, output, parameters, km=km)
        finally:
            self.stop_kernel(km)

    # -- kernels -----------------------------------------------------------------------
    def start_kernel(self):
        """Start a fresh kernel in the calling thread's event loop and register it."""
        from jupyter_core.utils import run_sync

        km = _manager_class()(kernel_name=self.kernel_name)
        km.fork_command = self._fork_command()
        run_sync(km.start_kernel)(
            cwd=str(self.cwd), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            extra_arguments=["--HistoryManager.hist_file=:memory:"],
        )
        with self._lock:
            self._running[id(km)] = km
            stopping = self.stopping
        if stopping:
            kill_kernel(km)
        return km

    def stop_kernel(self, km) -> None:
        """Shut a kernel down and forget it."""
        from jupyter_core.utils import run_sync

        with self._lock:
            self._running.pop(id(km), None)
        for kc in km.__dict__.pop("maroc_clients", []):
            with contextlib.suppress(Exception):
                kc.stop_channels()
        try:
            run_sync(km.shutdown_kernel)(now=True)
        except Exception:
            kill_kernel(km)

    def cancel_all(self) -> None:
        """Stop starting work and kill every running kernel (on Ctrl-C)."""
        with self._lock:
            self.stopping = True
            running = list(self._running.values())
            self._ready = []
        for km in running:
            kill_kernel(km)

    def start_early(self) -> None:
        """Start the warm process kernels are forked from now, without waiting for it."""
        if self.fork:
            self._ensure_zygote()

    def _ensure_zygote(self):
        with self._lock:
            if self._zygote is None:
                from .kernel_fork import Zygote

                self._zygote = Zygote(Path(tempfile.mkdtemp(prefix="maroc-eval-")), self.cwd)
            return self._zygote

    def _fork_command(self) -> list[str] | None:
        if not self.fork:
            return None
        zygote = self._ensure_zygote()
        if not zygote.wait(self.start_timeout):
            self.fork = False
            return None
        return zygote.command()

    # -- the pool of pre-started kernels -----------------------------------------------
    def acquire(self):
        """A fresh kernel for one notebook: a pre-started one if ready, else started now."""
        with self._lock:
            km = self._ready.pop() if self._ready else None
        if km is None:
            km = self.start_kernel()
        self.refill()
        return km

    def refill(self, wanted: int | None = None) -> None:
        """Start kernels in the background until ``wanted`` are ready (default: ``spares``, or
        fewer when fewer notebooks may still need one)."""
        if wanted is None:
            waiting = self.waiting()
            wanted = self.spares if waiting is None else waiting
        wanted = min(wanted, self.spares)
        with self._lock:
            missing = 0 if self.stopping else wanted - len(self._ready) - self._starting
            self._starting += max(missing, 0)
        for _ in range(max(missing, 0)):
            thread = threading.Thread(target=self._start_spare, daemon=True,
                                      name="maroc-eval-kernel")
            self._threads.append(thread)
            thread.start()

    def _start_spare(self) -> None:
        km = None
        try:
            km = self.start_kernel()
        except Exception:  # the notebook that needs a kernel will start (and report) its own
            km = None
        finally:
            with self._lock:
                self._starting -= 1
                keep = km is not None and not self.stopping
                if keep:
                    self._ready.append(km)
        if km is not None and not keep:
            self.stop_kernel(km)

    def close(self) -> None:
        """Shut every pre-started, unused kernel and the warm process down (and wait for the
        kernels being started)."""
        with self._lock:
            self.spares = 0
            threads = list(self._threads)
        for thread in threads:
            thread.join()
        with self._lock:
            ready, self._ready = self._ready, []
            self._threads = []
        for km in ready:
            self.stop_kernel(km)
        if self._zygote is not None:
            self._zygote.close()
            self._zygote = None


_MANAGER = []


def _manager_class():
    """``AsyncKernelManager`` whose command is the fork stand-in when ``fork_command`` is set."""
    if not _MANAGER:
        from jupyter_client.manager import AsyncKernelManager

        class KernelManager(AsyncKernelManager):
            fork_command = None

            def client(self, **kwargs):
                # nbclient does not stop the channels of a client whose kernel manager it was
                # given: remembered here, they are stopped with the kernel (stop_kernel). Left
                # running, each client's heartbeat thread pings its dead kernel every second
                # until the run ends: hundreds of threads on a large programme.
                kc = super().client(**kwargs)
                self.__dict__.setdefault("maroc_clients", []).append(kc)
                return kc

            def format_kernel_cmd(self, extra_arguments=None):
                cmd = super().format_kernel_cmd(extra_arguments)
                if self.fork_command and "-f" in cmd:
                    return [*self.fork_command, *cmd[cmd.index("-f"):]]
                return cmd

        _MANAGER.append(KernelManager)
    return _MANAGER[0]
