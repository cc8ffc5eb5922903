"""Run report-building tasks side by side in forked worker processes.

Exporting a report is CPU work in Python (nbconvert's preprocessors, Jinja, BeautifulSoup): one
core each. The tasks are closures over what the parent already loaded (executed notebooks,
sidecars, the HTML exporter with its template), so the workers are forked *after* the tasks are
known and inherit them without any pickling; only each task's index goes to a worker and only
its progress lines come back. Each task writes its own files atomically. On one core, or for a
single task, everything runs in the calling process.

Why not ``multiprocessing.Pool``: forking a process that runs other threads (a kernel client's,
a browser driver's) can leave a child blocked for ever on a lock another thread held at the
fork, and ``Pool.terminate`` then waits for it without end. Here a worker gets a task only once
it said it is ready, every wait for a worker to stop is bounded, and one that does not stop when
asked is killed.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection, wait

from ..errors import OutputError
from ..i18n import _

Task = Callable[[], list[str]]

STOP_GRACE_S = 10  # how long a worker has to stop (unwinding its task) before it is killed

_TASKS: list[Task] = []  # set in the parent just before forking, read by the workers


class WorkerLost(OutputError):
    """A worker process ended without reporting its task (killed from outside, out of memory)."""

    def __init__(self):
        super().__init__(_("Un processus de production des rapports s'est arrêté avant d'avoir "
                           "fini (arrêté de l'extérieur ou mémoire épuisée ?) : relancez « "
                           "maroc-eval report » ; les rapports déjà écrits sont gardés."))


def _serve(conn: Connection) -> None:
    # Ctrl-C reaches the whole process group: the parent handles it and stops the workers, whose
    # SIGTERM then unwinds the task (an atomic write removes its temporary file on the way out).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _exit)
    conn.send(None)  # ready
    while (index := conn.recv()) is not None:
        try:
            conn.send((index, True, _TASKS[index]()))
        except Exception as exc:  # sent to the parent, which raises it
            conn.send((index, False, _picklable(exc)))


def _picklable(exc: Exception) -> Exception:
    import pickle

    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc


def _exit(_signum, _frame) -> None:
    raise SystemExit(1)


def workers(n_tasks: int) -> int:
    """How many processes to use for ``n_tasks`` tasks (at most one per core, at most 4)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(n_tasks, cores or 1, 4))


def run_tasks(tasks: list[Task]) -> Iterator[list[str]]:
    """Run every task; yield each one's progress lines, in the tasks' order.

    Raises
    ------
    Exception
        The first exception a task raised (the other workers are stopped); one that cannot be
        pickled comes as a ``RuntimeError`` naming it.
    WorkerLost
        A worker process ended without reporting its task.
    """
    global _TASKS
    n = workers(len(tasks))
    if n == 1:
        for task in tasks:
            yield task()
        return
    _TASKS = list(tasks)
    context = multiprocessing.get_context("fork")
    started: list[tuple[multiprocessing.Process, Connection]] = []
    finished = False
    try:
        for _ in range(n):
            mine, theirs = context.Pipe()
            process = context.Process(target=_serve, args=(theirs,), daemon=True)
            process.start()
            theirs.close()
            started.append((process, mine))
        yield from _dispatch([conn for _, conn in started], len(tasks))
        finished = True
    finally:
        _TASKS = []
        _stop(started, finished)


def _dispatch(conns: list[Connection], n_tasks: int) -> Iterator[list[str]]:
    """Hand the tasks to the workers as each is ready; yield the results in the tasks' order.

    Only the worker holds the other end of its pipe: when it ends, its pipe reads as ended.
    """
    pending = list(range(n_tasks))
    busy: dict[Connection, int] = {}
    live = list(conns)
    results: dict[int, list[str]] = {}
    following = 0
    while following < n_tasks:
        for conn in wait(live):
            try:
                message = conn.recv()
            except EOFError:  # the worker ended
                live.remove(conn)
                if conn in busy or not live:
                    raise WorkerLost from None
                continue
            if message is not None:  # a result; None: the worker is ready
                index, ok, payload = message
                del busy[conn]
                if not ok:
                    raise payload
                results[index] = payload
            if pending:
                busy[conn] = pending.pop(0)
                conn.send(busy[conn])
        while following in results:
            yield results.pop(following)
            following += 1


def _stop(started, finished: bool) -> None:
    """Stop every worker, each wait bounded: idle workers are told to end (``finished``), busy
    ones get SIGTERM (their task unwinds); one still there after the grace period is killed."""
    for process, conn in started:
        if finished:
            with contextlib.suppress(OSError):
                conn.send(None)
        else:
            process.terminate()
    for process, conn in started:
        process.join(STOP_GRACE_S)
        if process.is_alive():
            process.terminate()
            process.join(STOP_GRACE_S)
        if process.is_alive():
            process.kill()
            process.join()
        conn.close()
