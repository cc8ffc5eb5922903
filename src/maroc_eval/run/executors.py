"""The executors a run may use, by name: how each notebook gets its fresh kernel.

As papermill's engines (``papermill_engines.register(name, cls)``), executors live in a
registry: :data:`executors` maps a name to a subclass of
:class:`~maroc_eval.run.execute.NotebookExecutor`, and ``maroc-eval run --executeur NAME``
chooses one. Every executor writes the same outputs the same way (atomic outputs, failures kept
as ``.echec.ipynb``, ``interrupted`` after Ctrl-C: :mod:`maroc_eval.run.execute`); they differ
only in how kernels start:

- ``simple``: plain papermill; each notebook's kernel is started by nbclient, the ordinary way
  (:class:`SimpleExecutor`) — the reference;
- ``rapide`` (default): kernels of the ``maroc-eval`` kernel spec started ahead of need, forked
  by its provisioner from a process that has already imported the notebooks' stack, or plain
  where that is off (:class:`~maroc_eval.run.kernel_pool.RapideExecutor`,
  :mod:`maroc_eval.run.provisioner`).

This module is light to import: the command line reads the names for its ``--executeur`` choice
and calls :func:`early_executor` before the runner's own imports.
"""

from __future__ import annotations

import subprocess
import threading
from pathlib import Path

from ..base.errors import ParameterError, suggest
from ..base.i18n import _
from .execute import KERNEL_NAME, Job, NotebookExecutor, kill_kernel
from .kernel_pool import RapideExecutor

DEFAULT_EXECUTOR = "rapide"


class ExecutorRegistry:
    """Executor classes by name (``register``, ``get``, ``names``)."""

    def __init__(self):
        self._executors: dict[str, type[NotebookExecutor]] = {}

    def register(self, name: str, executor: type[NotebookExecutor]) -> None:
        """Make ``executor`` available as ``name`` (replacing an earlier one of that name)."""
        self._executors[name] = executor

    def get(self, name: str) -> type[NotebookExecutor]:
        """The executor class registered as ``name``.

        Raises
        ------
        ParameterError
            No executor has that name (the message suggests the closest one).
        """
        try:
            return self._executors[name]
        except KeyError:
            names = self.names()
            raise ParameterError(_("Exécuteur inconnu « {name} »{hint}. Valeurs possibles : "
                                   "{choices}.").format(name=name, hint=suggest(name, names),
                                                        choices=", ".join(names))) from None

    def names(self) -> list[str]:
        """The registered names, sorted."""
        return sorted(self._executors)


class SimpleExecutor(NotebookExecutor):
    """Plain papermill: each notebook starts its own kernel through nbclient, no pool, no fork.

    The kernel's working directory is given to nbclient (``resources["metadata"]["path"]``)
    rather than through papermill's ``cwd=``, whose ``os.chdir`` is process-wide and would race
    between threads. nbclient creates, starts and shuts the kernel down as usual; its kernel
    manager class only lets this executor kill the kernel on Ctrl-C, and sends the kernel's
    own terminal output (debugger warnings…) to ``/dev/null``.
    """

    def __init__(self, workers: int | None = None, cwd: Path | None = None,
                 kernel_name: str = KERNEL_NAME, start_timeout: float = 60):
        super().__init__(workers, cwd, kernel_name, start_timeout)
        self._lock = threading.Lock()
        self._running: dict[int, object] = {}
        self._manager = None

    def run_notebook(self, job: Job, output: Path, parameters: dict):
        """Execute the notebook with papermill; nbclient starts and stops its kernel."""
        return self.papermill_execute(job, output, parameters,
                                      resources={"metadata": {"path": str(self.cwd)}},
                                      kernel_manager_class=self._manager_class())

    def cancel_all(self) -> None:
        """Stop starting work and kill every running kernel (on Ctrl-C)."""
        with self._lock:
            self.stopping = True
            running = list(self._running.values())
        for km in running:
            kill_kernel(km)

    def _manager_class(self):
        with self._lock:
            if self._manager is None:
                self._manager = _tracked_manager(self)
            return self._manager

    def _started(self, km) -> None:
        with self._lock:
            self._running[id(km)] = km
            stopping = self.stopping
        if stopping:
            kill_kernel(km)

    def _ended(self, km) -> None:
        with self._lock:
            self._running.pop(id(km), None)


def _tracked_manager(executor: SimpleExecutor):
    """nbclient's kernel manager class, telling ``executor`` which kernels are alive."""
    from jupyter_client.manager import AsyncKernelManager

    class TrackedKernelManager(AsyncKernelManager):
        async def start_kernel(self, **kwargs):
            kwargs.setdefault("stdout", subprocess.DEVNULL)
            kwargs.setdefault("stderr", subprocess.DEVNULL)
            await super().start_kernel(**kwargs)
            executor._started(self)

        async def cleanup_resources(self, restart: bool = False):
            executor._ended(self)
            await super().cleanup_resources(restart=restart)

    return TrackedKernelManager


executors = ExecutorRegistry()
"""The registry ``maroc-eval run --executeur`` chooses from."""
executors.register("simple", SimpleExecutor)
executors.register("rapide", RapideExecutor)


def early_executor(name: str, cache, workers: int | None = None,
                   force: bool = False) -> NotebookExecutor:
    """The executor ``name`` for a run, started early when notebooks will run.

    Called before the runner imports pandas or pydantic (about half a second of imports). When
    the data differ from those the last run used (or with ``force``), notebooks will run, so
    :meth:`~maroc_eval.run.execute.NotebookExecutor.start_early` lets the executor start what
    takes time now (the fast one: its warm process, importing its own stack on another core
    while the runner imports and checks everything). With the data of the last run nothing is
    started: a rerun with nothing changed stays short, and when only parameters or notebooks
    changed, kernels start when the first notebook needs one.

    Parameters
    ----------
    name : str
        A registered executor (:data:`executors`).
    cache : maroc_eval.core.dataset.DatasetCache
        The run's validated-inputs cache: its data key and the last run's.
    workers : int, optional
        Notebooks run at once (default: the number of processors).
    force : bool
        Every notebook will run (``--force``): start whether the data changed or not.

    Returns
    -------
    NotebookExecutor

    Raises
    ------
    ParameterError
        No executor has that name.
    """
    executor = executors.get(name)(workers=workers)
    if cache.key is not None and (force or cache.key != cache.last_run_key()):
        executor.start_early()  # unreadable data (no key): validation will refuse them
    return executor
