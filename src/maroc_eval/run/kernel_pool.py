"""The fast executor (``rapide``): warm kernels started ahead of need.

Starting a kernel and importing the notebooks' stack costs about 2.5 s of CPU per notebook.
:class:`RapideExecutor` cuts it two ways, and each notebook still gets its own fresh kernel:

- its kernels are of the ``maroc-eval`` kernel spec, whose provisioner forks them from a warm
  process that imported the stack once (:mod:`maroc_eval.run.provisioner`); that process starts as
  soon as the run knows notebooks will run (:meth:`RapideExecutor.start_early`, before the
  runner's own imports);
- while notebooks run, the next kernels start in background threads (the pool); each serves
  exactly one notebook and is then shut down, so isolation is that of one kernel per notebook.

The kernel is handed to papermill (``km=``), started with the project root as its working
directory rather than through papermill's ``cwd=``, whose ``os.chdir`` is process-wide and would
race between threads. Only public jupyter_client API is used: a plain ``AsyncKernelManager``
whose ``client_class`` (a configurable trait) records each client, so that its channels stop
with the kernel (nbclient leaves running the channels of a client whose manager it was given).
"""

from __future__ import annotations

import subprocess
import threading
from pathlib import Path

from .execute import Job, NotebookExecutor, kill_kernel
from .kernelspec import PLAIN_KERNEL, WARM_KERNEL, ensure_installed

CLIENT_CLASS = "maroc_eval.run.kernel_clients.RecordedClient"  # imported by jupyter_client


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
        Use the ``maroc-eval`` kernel spec (kernels forked from a warm process, or plain ones
        where that is off: :mod:`maroc_eval.run.provisioner`) rather than the plain ``python3``.
    """

    def __init__(self, workers: int | None = None, cwd: Path | None = None,
                 kernel_name: str | None = None, start_timeout: float = 60,
                 spares: int | None = None, fork: bool = True):
        super().__init__(workers, cwd, kernel_name or (WARM_KERNEL if fork else PLAIN_KERNEL),
                         start_timeout)
        self.spares = self.workers if spares is None else spares
        self.fork = fork and self.kernel_name == WARM_KERNEL
        self._warm = False
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
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        if self.fork:
            ensure_installed()
            self._warm = True  # the provisioner starts the warm process if it is not running
        km = AsyncKernelManager(kernel_name=self.kernel_name,
                                client_class=CLIENT_CLASS)
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
        from .kernel_clients import stop_clients

        stop_clients(km)
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
            from .provisioner import start_warm_process

            self._warm = start_warm_process() is not None

    def warm_started(self) -> bool:
        """Whether this executor has started a warm process that is still running."""
        from .provisioner import warm_process_running

        return self._warm and warm_process_running()

    # -- the pool of pre-started kernels -----------------------------------------------
    def acquire(self):
        """A fresh kernel for one notebook: a pre-started one if ready and still alive (a spare
        can die while it waits, e.g. when another program took one of its ports as it started),
        else one started now."""
        from jupyter_core.utils import run_sync

        while True:
            with self._lock:
                km = self._ready.pop() if self._ready else None
            if km is None:
                km = self.start_kernel()
                break
            if run_sync(km.is_alive)():
                break
            self.stop_kernel(km)
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
        if self._warm:
            from .provisioner import stop_warm_process

            stop_warm_process()
            self._warm = False
