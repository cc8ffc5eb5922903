"""Executing one notebook with papermill's Python API, in a fresh kernel, with atomic outputs.

The runner calls :meth:`Executor.execute` from its worker threads. Each call starts a new kernel
(``python3``, working directory = project root), hands it to papermill (``km=``), and writes:

- on success, ``<stem>.json`` (the notebook writes its sidecar to a temporary name given as
  ``sidecar_path``; it is renamed here) then ``<stem>.ipynb`` (atomic), and removes an old
  ``<stem>.echec.ipynb``;
- on failure, ``<stem>.echec.ipynb`` with papermill's error banner; the previous good
  ``<stem>.ipynb``/``.json`` stay as they were.

The working directory is given to the kernel itself rather than to papermill (``cwd=``), whose
``os.chdir`` is process-wide and would race between threads. Starting kernels in
:meth:`Executor.start_kernel` is the hook for a later pool of pre-started kernels.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from .. import paths
from ..atomic import write_atomic
from ..catalogue import NotebookSpec
from ..ledger import FAILED, INTERRUPTED, OK, output_problem

KERNEL_NAME = "python3"
_TEMPORARY = re.compile(r"^\..*\.tmp(\.ipynb|\.json)?$")


@dataclass(frozen=True)
class Job:
    """One notebook to execute for a pair (or the programme) and a phase."""

    spec: NotebookSpec
    phase: str
    pair: str | None
    source: Path
    output: Path
    deps: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        """``midterm/jette-sidi-bibi/ri3_competences_personnel`` or ``final/programme/…``."""
        return f"{self.phase}/{self.pair or 'programme'}/{self.spec.stem}"

    @property
    def key(self) -> str:
        """The job's name inside its phase ledger: ``<pair>/<stem>``."""
        return f"{self.pair or 'programme'}/{self.spec.stem}"

    @property
    def sidecar(self) -> Path:
        """The final sidecar path."""
        return paths.sidecar_path(self.output)

    @property
    def failed_output(self) -> Path:
        """Where a failed execution is kept: ``<stem>.echec.ipynb``."""
        return self.output.with_name(f"{self.spec.stem}.echec.ipynb")


@dataclass
class JobResult:
    """What happened to one job."""

    status: str
    duration: float = 0.0
    cell: int | None = None
    ename: str | None = None
    evalue: str | None = None
    extra: dict = field(default_factory=dict)


def temp_path(target: Path, token: str) -> Path:
    """A temporary name beside ``target``: ``.<stem>.<token>.tmp<suffix>`` (hidden)."""
    return target.with_name(f".{target.stem}.{token}.tmp{target.suffix}")


def is_temporary(path: Path) -> bool:
    """Whether a file is a temporary this toolkit writes (swept after a crash)."""
    return bool(_TEMPORARY.match(Path(path).name))


class Executor:
    """Runs notebooks, each in its own fresh kernel; can kill every running kernel at once.

    Parameters
    ----------
    kernel_name : str
        The Jupyter kernel.
    cwd : Path
        The kernels' working directory (relative paths in notebooks are relative to it).
    start_timeout : float
        Seconds to wait for a kernel to start.
    spares : int
        Kernels started ahead of need (the pool): while notebooks run, up to ``spares`` fresh
        kernels are started in background threads; each serves exactly one notebook and is then
        shut down, so isolation is that of one kernel per notebook. :meth:`close` shuts the
        unused ones down.
    fork : bool
        Fork kernels from a warm process (:mod:`maroc_eval.run.kernel_fork`) instead of starting
        each from scratch; falls back to ordinary kernels if that process cannot start.
    """

    def __init__(self, kernel_name: str = KERNEL_NAME, cwd: Path | None = None,
                 start_timeout: float = 60, spares: int = 0, fork: bool = False):
        self.kernel_name = kernel_name
        self.cwd = Path(cwd or paths.PROJ_ROOT)
        self.start_timeout = start_timeout
        self.spares = spares
        self.demand = None  # callable: how many notebooks may still need a kernel
        self.fork = fork
        self._zygote = None
        self._lock = threading.Lock()
        self._running: dict[int, object] = {}
        self._ready: list = []
        self._starting = 0
        self._threads: list[threading.Thread] = []
        self.stopping = False

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
            self._kill(km)
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
            self._kill(km)

    @staticmethod
    def _kill(km) -> None:
        process = getattr(getattr(km, "provisioner", None), "process", None)
        if process is not None and process.poll() is None:
            process.kill()

    def cancel_all(self) -> None:
        """Stop starting work and kill every running kernel (on Ctrl-C)."""
        with self._lock:
            self.stopping = True
            running = list(self._running.values())
            self._ready = []
        for km in running:
            self._kill(km)

    def warm_up(self) -> None:
        """Start the warm process kernels are forked from now, without waiting for it."""
        if self.fork:
            self._ensure_zygote()

    def _ensure_zygote(self):
        with self._lock:
            if self._zygote is None:
                import tempfile

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
        """Start kernels in the background until ``wanted`` (default ``spares``) are ready."""
        if wanted is None:
            wanted = self.demand() if self.demand is not None else self.spares
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
        """Shut every pre-started, unused kernel down (and wait for those being started)."""
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

    # -- one notebook ------------------------------------------------------------------
    def execute(self, job: Job, parameters: dict, metadata: dict) -> JobResult:
        """Execute one job and write its outputs atomically.

        Parameters
        ----------
        job : Job
            What to run and where its outputs go.
        parameters : dict
            The resolved parameters (``sidecar_path`` is replaced by a temporary name).
        metadata : dict
            Recorded in the output notebook's ``metadata.maroc_eval``.

        Returns
        -------
        JobResult
        """
        import papermill
        from papermill.exceptions import PapermillExecutionError

        start = time.monotonic()
        if self.stopping:
            return JobResult(INTERRUPTED)
        job.output.parent.mkdir(parents=True, exist_ok=True)
        token = f"{os.getpid()}-{secrets.token_hex(4)}"
        tmp_nb, tmp_sidecar = temp_path(job.output, token), temp_path(job.sidecar, token)
        params = dict(parameters)
        if "sidecar_path" in params:
            params["sidecar_path"] = str(tmp_sidecar)
        km = None
        try:
            km = self.acquire()
            nb = papermill.execute_notebook(
                str(job.source), str(tmp_nb), parameters=params, km=km,
                kernel_name=self.kernel_name, progress_bar=False, log_output=False,
                start_timeout=self.start_timeout, engine_name=_engine(),
            )
            if not tmp_sidecar.exists():
                result = JobResult(FAILED, ename="RésultatAbsent",
                                   evalue="le carnet s'est terminé sans écrire son fichier "
                                          "de résultats (sidecar_path)")
                self._keep_failed(job, tmp_nb, metadata, result)
            else:
                self._publish(job, nb, tmp_sidecar, metadata)
                result = JobResult(OK)
        except PapermillExecutionError as exc:
            if self.stopping:
                result = JobResult(INTERRUPTED)
            else:
                result = JobResult(FAILED, cell=exc.cell_index, ename=exc.ename,
                                   evalue=str(exc.evalue))
                self._keep_failed(job, tmp_nb, metadata, result, banner=False)
        except OSError as exc:
            result = JobResult(FAILED, ename=type(exc).__name__, evalue=output_problem(job.output, exc))
        except Exception as exc:
            if self.stopping:
                result = JobResult(INTERRUPTED)
            else:
                result = JobResult(FAILED, ename=type(exc).__name__, evalue=_describe(exc))
                self._keep_failed(job, tmp_nb, metadata, result)
        finally:
            if km is not None:
                self.stop_kernel(km)
            for tmp in (tmp_nb, tmp_sidecar):
                tmp.unlink(missing_ok=True)
        result.duration = round(time.monotonic() - start, 3)
        return result

    @staticmethod
    def _publish(job: Job, nb, tmp_sidecar: Path, metadata: dict) -> None:
        import nbformat

        nb.metadata["maroc_eval"] = metadata
        os.replace(tmp_sidecar, job.sidecar)
        write_atomic(job.output, nbformat.writes(nb))
        job.failed_output.unlink(missing_ok=True)

    @staticmethod
    def _keep_failed(job: Job, tmp_nb: Path, metadata: dict, result: JobResult,
                     banner: bool = True) -> None:
        """Keep the failed notebook as ``<stem>.echec.ipynb`` (best effort)."""
        import nbformat

        try:
            nb = nbformat.read(str(tmp_nb), as_version=4) if tmp_nb.exists() \
                else nbformat.read(str(job.source), as_version=4)
            if banner:
                cell = nbformat.v4.new_markdown_cell(
                    f"<span style=\"color:red;font-family:Helvetica Neue, Helvetica, Arial, "
                    f"sans-serif;font-size:2em;\">Échec de l'exécution : {result.ename} — "
                    f"{result.evalue}</span>")
                cell.metadata["tags"] = ["papermill-error-cell-tag"]
                nb.cells.insert(0, cell)
            nb.metadata["maroc_eval"] = {**metadata, "error": {
                "cell": result.cell, "ename": result.ename, "evalue": result.evalue}}
            write_atomic(job.failed_output, nbformat.writes(nb))
        except (OSError, ValueError):
            pass


_ENGINE = "maroc-eval"
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


def _engine() -> str:
    """Register (once) papermill's nbclient engine without its save after every cell.

    papermill writes the whole output notebook at each cell's start and end (some 40 writes of a
    300 kB notebook per RI notebook, in the runner's process). We write it once at the start (the
    temporary file shows the notebook is running) and papermill's ``execute_notebook`` writes it
    at the end and on error.
    """
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.iorw import write_ipynb

    if _ENGINE not in papermill_engines._engines:

        class QuietEngine(NBClientEngine):
            @classmethod
            def execute_notebook(cls, nb, kernel_name, output_path=None, **kwargs):
                if output_path:  # once at the start: shows the notebook is running
                    write_ipynb(nb, output_path)
                return super().execute_notebook(nb, kernel_name, output_path=None, **kwargs)

        papermill_engines.register(_ENGINE, QuietEngine)
    return _ENGINE


def _describe(exc: Exception) -> str:
    name = type(exc).__name__
    if name == "DeadKernelError":
        return "le noyau Python s'est arrêté pendant l'exécution (plantage ou sortie brutale)"
    if name in ("TimeoutError", "CellTimeoutError"):
        return f"délai dépassé : {exc}"
    return str(exc) or name
