"""Executing one notebook with papermill's Python API, in a fresh kernel, with atomic outputs.

:class:`NotebookExecutor` is what every executor shares (:mod:`maroc_eval.run.executors` names
them; they differ only in how a kernel is started). The runner calls
:meth:`NotebookExecutor.execute` from its worker threads; each call writes:

- on success, ``<stem>.json`` (the notebook writes its sidecar to a temporary name given as
  ``sidecar_path``; it is renamed here) then ``<stem>.ipynb`` (atomic), and removes an old
  ``<stem>.echec.ipynb``;
- on failure, ``<stem>.echec.ipynb`` with papermill's error banner; the previous good
  ``<stem>.ipynb``/``.json`` stay as they were;
- after :meth:`NotebookExecutor.cancel_all` (Ctrl-C), nothing: the job is ``interrupted``.

papermill writes the executed notebook once, at the end or on error, to a temporary name beside
the output (``request_save_on_cell_execute=False``: by default it rewrites the whole notebook at
each cell's start and end, some 40 writes of a 300 kB notebook per RI notebook). Until then a
copy of the source notebook under that name shows the notebook is running.
"""

from __future__ import annotations

import logging
import os
import re
import secrets
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..base import paths
from ..base.atomic import write_atomic
from ..base.catalogue import NotebookSpec
from ..base.i18n import _
from ..base.ledger import FAILED, INTERRUPTED, OK, output_problem

KERNEL_NAME = "python3"
CELL_TIMEOUT = 600
"""Seconds one cell may run before the notebook fails (« délai dépassé »): a battery's cell
takes seconds; a kernel stuck for ten minutes is a failure to report, not a run to wait for."""

# papermill and nbclient log their own English account of a failure (« Kernel died while waiting
# for execute reply. ») on stderr; the runner reports every failure itself, in French, in its
# summary and ledger. Their records are kept from the user's terminal, not from other handlers.
logging.getLogger("papermill").addHandler(logging.NullHandler())
logging.getLogger("papermill").propagate = False
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


def default_workers() -> int:
    """Notebooks executed at once by default: one more than the processors this process may use.

    A notebook's run waits part of the time (its kernel answering that it is ready, each cell's
    request and reply, the kernel's shutdown): with as many notebooks as processors, these were
    idle 17 % of a cold run; one more keeps them busy (07/12/2026, 2 processors, two alternated
    runs each: 59.7 and 57.0 s with 2 notebooks at once, 47.7 and 53.2 s with 3).
    """
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (cores or 1) + 1


class NotebookExecutor:
    """Runs notebooks, each in its own fresh kernel; subclasses say how a kernel starts.

    A subclass implements :meth:`run_notebook` (papermill, with its way of starting the kernel)
    and, when it holds kernels, extends :meth:`cancel_all` and :meth:`close`. Outputs, failures
    and interruptions are handled here, the same way for every executor.

    Parameters
    ----------
    workers : int, optional
        Notebooks the runner executes at once (default: :func:`default_workers`).
    cwd : Path, optional
        The kernels' working directory (default: the project root); relative paths in notebooks
        are relative to it.
    kernel_name : str
        The Jupyter kernel.
    start_timeout : float
        Seconds to wait for a kernel to start.
    """

    def __init__(self, workers: int | None = None, cwd: Path | None = None,
                 kernel_name: str = KERNEL_NAME, start_timeout: float = 60):
        self.workers = workers or default_workers()
        self.cwd = Path(cwd or paths.PROJ_ROOT)
        self.kernel_name = kernel_name
        self.start_timeout = start_timeout
        self.stopping = False
        self._waiting: Callable[[], int] | None = None

    # -- what the runner tells it, and asks of it ------------------------------------------
    def start_early(self) -> None:
        """Notebooks will run: start now what takes time (called before the runner's imports).

        Nothing by default.
        """

    def expect(self, waiting: Callable[[], int]) -> None:
        """Learn how many notebooks may still need a kernel: ``waiting()``, asked when needed."""
        self._waiting = waiting

    def waiting(self) -> int | None:
        """How many notebooks may still need a kernel (``None``: not told)."""
        return self._waiting() if self._waiting is not None else None

    def cancel_all(self) -> None:
        """Stop starting work and kill every running kernel (on Ctrl-C)."""
        self.stopping = True

    def close(self) -> None:
        """Release what the executor holds (the runner calls it once, at the end of a run)."""

    def run_notebook(self, job: Job, output: Path, parameters: dict):
        """Execute ``job.source`` with papermill into ``output`` in a fresh kernel.

        Returns
        -------
        nbformat.NotebookNode
            The executed notebook (papermill's errors propagate).
        """
        raise NotImplementedError

    def papermill_execute(self, job: Job, output: Path, parameters: dict, **engine_kwargs):
        """``papermill.execute_notebook`` with the settings every executor shares.

        ``engine_kwargs`` go to nbclient's ``NotebookClient`` (``km``, ``resources``…).
        """
        import papermill

        return papermill.execute_notebook(
            str(job.source), str(output), parameters=parameters, kernel_name=self.kernel_name,
            progress_bar=False, log_output=False, start_timeout=self.start_timeout,
            execution_timeout=CELL_TIMEOUT, request_save_on_cell_execute=False, **engine_kwargs)

    # -- one notebook ------------------------------------------------------------------------
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
        from nbclient.exceptions import CellTimeoutError
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
        try:
            shutil.copyfile(job.source, tmp_nb)  # shows the notebook is running
            nb = self.run_notebook(job, tmp_nb, params)
            if not tmp_sidecar.exists():
                result = JobResult(FAILED, ename="RésultatAbsent",
                                   evalue=_("le carnet s'est terminé sans écrire son "
                                            "fichier de résultats (sidecar_path)"))
                _keep_failed(job, tmp_nb, metadata, result)
            else:
                _publish(job, nb, tmp_sidecar, metadata)
                result = JobResult(OK)
        except PapermillExecutionError as exc:
            if self.stopping:
                result = JobResult(INTERRUPTED)
            else:
                result = JobResult(FAILED, cell=exc.cell_index, ename=exc.ename,
                                   evalue=str(exc.evalue))
                _keep_failed(job, tmp_nb, metadata, result, banner=False)
        except CellTimeoutError:  # an OSError too (TimeoutError): told as what it is
            result = JobResult(FAILED, ename="DélaiDépassé", evalue=_(
                "une cellule a tourné plus de {n} secondes sans finir (noyau bloqué ?)").format(
                n=CELL_TIMEOUT))
            _keep_failed(job, tmp_nb, metadata, result)
        except OSError as exc:
            result = JobResult(FAILED, ename=type(exc).__name__,
                               evalue=output_problem(job.output, exc))
        except Exception as exc:
            if self.stopping:
                result = JobResult(INTERRUPTED)
            else:
                result = JobResult(FAILED, ename=type(exc).__name__, evalue=_describe(exc))
                _keep_failed(job, tmp_nb, metadata, result)
        finally:
            for tmp in (tmp_nb, tmp_sidecar):
                tmp.unlink(missing_ok=True)
        result.duration = round(time.monotonic() - start, 3)
        return result


def kill_kernel(km) -> None:
    """Kill a kernel's process now, whatever it is doing (``km``: its kernel manager)."""
    process = getattr(getattr(km, "provisioner", None), "process", None)
    if process is not None and process.poll() is None:
        process.kill()


def _publish(job: Job, nb, tmp_sidecar: Path, metadata: dict) -> None:
    import nbformat

    nb.metadata["maroc_eval"] = metadata
    os.replace(tmp_sidecar, job.sidecar)
    write_atomic(job.output, nbformat.writes(nb))
    job.failed_output.unlink(missing_ok=True)


def _keep_failed(job: Job, tmp_nb: Path, metadata: dict, result: JobResult,
                 banner: bool = True) -> None:
    """Keep the failed notebook as ``<stem>.echec.ipynb`` (best effort)."""
    import nbformat

    try:
        nb = nbformat.read(str(tmp_nb), as_version=4) if tmp_nb.exists() \
            else nbformat.read(str(job.source), as_version=4)
        if banner:
            cell = nbformat.v4.new_markdown_cell(
                "<span style=\"color:red;font-family:Helvetica Neue, Helvetica, Arial, "
                "sans-serif;font-size:2em;\">"
                + _("Échec de l'exécution : {name} — {value}").format(name=result.ename,
                                                                      value=result.evalue)
                + "</span>")
            cell.metadata["tags"] = ["papermill-error-cell-tag"]
            nb.cells.insert(0, cell)
        nb.metadata["maroc_eval"] = {**metadata, "error": {
            "cell": result.cell, "ename": result.ename, "evalue": result.evalue}}
        write_atomic(job.failed_output, nbformat.writes(nb))
    except (OSError, ValueError):
        pass


def _describe(exc: Exception) -> str:
    name = type(exc).__name__
    if name == "DeadKernelError":
        return _("le noyau Python s'est arrêté pendant l'exécution (plantage ou sortie brutale)")
    if name in ("TimeoutError", "CellTimeoutError"):
        return _("délai dépassé : {error}").format(error=exc)
    return str(exc) or name
