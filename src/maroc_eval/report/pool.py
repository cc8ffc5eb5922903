"""Run report-building tasks side by side in worker processes (``concurrent.futures``).

Exporting a report is CPU work in Python (nbconvert's preprocessors, Jinja): one core each. A
task is a module-level function and plain, picklable arguments (the executed notebooks, sidecars
and settings it reports on); it runs in a :class:`~concurrent.futures.ProcessPoolExecutor` whose
workers are started by a *forkserver* (``spawn`` where there is none), never forked from this
process and its threads (a kernel client's, a browser driver's: a child forked while another
thread holds a lock may block on it for ever). The forkserver imports the report modules once
(:data:`PRELOAD`), so each worker starts with them. Each task writes its own files atomically.
On one core, or for a single task, everything runs in the calling process.

Every wait is bounded: a task's result (:data:`TASK_TIMEOUT_S`), a worker's stop
(:data:`STOP_GRACE_S`, then it is killed). A worker that dies (killed from outside, out of
memory) breaks the pool: :class:`WorkerLost`, said in French, and no wait.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool

from ..base import i18n, paths
from ..base.errors import OutputError
from ..base.i18n import _

Task = tuple[Callable[..., list[str]], tuple]
"""A module-level function and its arguments; it returns its progress lines."""

STOP_GRACE_S = 10  # how long a worker has to stop (unwinding its task) before it is killed
TASK_TIMEOUT_S = 1800  # the longest wait for one task's result
PRELOAD = ["maroc_eval.report.build", "maroc_eval.report.exporter", "maroc_eval.report.notebooks",
           "maroc_eval.report.annex", "nbformat", "nbconvert"]
"""What the forkserver imports once for all workers: what a report task needs (nbformat and
nbconvert are imported only when a report is exported; 1.9 s of imports per worker otherwise)."""


class WorkerLost(OutputError):
    """A worker process ended without reporting its task (killed from outside, out of memory)."""

    def __init__(self):
        super().__init__(_("Un processus de production des rapports s'est arrêté avant d'avoir "
                           "fini (arrêté de l'extérieur ou mémoire épuisée ?) : relancez « "
                           "maroc-eval report » ; les rapports déjà écrits sont gardés."))


class TaskTimeout(OutputError):
    """A task gave no result within :data:`TASK_TIMEOUT_S`."""

    def __init__(self, seconds: float):
        super().__init__(_("La production d'un rapport n'a pas fini en {seconds} s : elle est "
                           "arrêtée ; relancez « maroc-eval report » ; les rapports déjà écrits "
                           "sont gardés.").format(seconds=int(seconds)))


def workers(n_tasks: int) -> int:
    """How many processes to use for ``n_tasks`` tasks (at most one per core, at most 4)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(n_tasks, cores or 1, 4))


FORKSERVER_ROOM = 32
"""What the forkserver's socket adds to the temporary folder's path (multiprocessing makes it
two levels below: ``pymp-…/listener-…``)."""


def context():
    """The workers' start method: a forkserver where there is one and the temporary folder's
    path leaves room for its socket, else ``spawn``."""
    if "forkserver" in multiprocessing.get_all_start_methods() \
            and paths.socket_fits(tempfile.gettempdir(), FORKSERVER_ROOM):
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(PRELOAD)
        return ctx
    return multiprocessing.get_context("spawn")


def _start_worker(language: str) -> None:
    # Ctrl-C reaches the whole process group: the parent handles it and stops the workers, whose
    # SIGTERM then unwinds the task (an atomic write removes its temporary file on the way out).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _exit)
    i18n.set_language(language)


def _exit(_signum, _frame) -> None:
    raise SystemExit(1)


def _call(function: Callable[..., list[str]], args: tuple) -> list[str]:
    """Run one task in a worker; an exception that cannot be pickled comes back as a
    ``RuntimeError`` naming it."""
    try:
        return function(*args)
    except Exception as exc:
        raise _picklable(exc) from None


def _picklable(exc: Exception) -> Exception:
    import pickle

    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc


def run_tasks(tasks: list[Task]) -> Iterator[list[str]]:
    """Run every task; yield each one's progress lines, in the tasks' order.

    Raises
    ------
    Exception
        The first exception a task raised (the other workers are stopped); one that cannot be
        pickled comes as a ``RuntimeError`` naming it.
    WorkerLost
        A worker process ended without reporting its task.
    TaskTimeout
        A task gave no result within :data:`TASK_TIMEOUT_S`.
    """
    n = workers(len(tasks))
    if n == 1:
        for function, args in tasks:
            yield function(*args)
        return
    before = set(multiprocessing.active_children())
    pool = ProcessPoolExecutor(n, mp_context=context(), initializer=_start_worker,
                               initargs=(i18n.language(),))
    finished = False
    try:
        futures = [pool.submit(_call, function, args) for function, args in tasks]
        for future in futures:
            try:
                yield future.result(timeout=TASK_TIMEOUT_S)
            except BrokenProcessPool:
                raise WorkerLost from None
            except FutureTimeout:
                raise TaskTimeout(TASK_TIMEOUT_S) from None
        finished = True
    finally:
        _stop(pool, set(multiprocessing.active_children()) - before, finished)


def _stop(pool: ProcessPoolExecutor, started: set, finished: bool) -> None:
    """Stop every worker, each wait bounded: when all tasks are done they are told to end;
    otherwise pending tasks are cancelled and busy workers get SIGTERM (their task unwinds); one
    still there after the grace period is killed."""
    pool.shutdown(wait=False, cancel_futures=True)
    if not finished:
        for process in started:
            process.terminate()
    for process in started:
        process.join(STOP_GRACE_S)
        if process.is_alive():
            process.terminate()
            process.join(STOP_GRACE_S)
        if process.is_alive():
            process.kill()
            process.join(STOP_GRACE_S)
