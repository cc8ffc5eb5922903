"""Run report-building tasks side by side in forked worker processes.

Exporting a report is CPU work in Python (nbconvert's preprocessors, Jinja, BeautifulSoup): one
core each. The tasks are closures over what the parent already loaded (executed notebooks,
sidecars, the HTML exporter with its template), so the workers are forked *after* the tasks are
known and inherit them without any pickling; only each task's index goes to a worker and only
its progress lines come back. Each task writes its own files atomically. On one core, or for a
single task, everything runs in the calling process.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator

Task = Callable[[], list[str]]

_TASKS: list[Task] = []  # set in the parent just before forking, read by the workers


def _worker_signals() -> None:
    # Ctrl-C reaches the whole process group: the parent handles it and stops the workers, whose
    # SIGTERM then unwinds the task (an atomic write removes its temporary file on the way out).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _exit)


def _exit(_signum, _frame) -> None:
    raise SystemExit(1)


def _run(index: int) -> list[str]:
    return _TASKS[index]()


def workers(n_tasks: int) -> int:
    """How many processes to use for ``n_tasks`` tasks (at most one per core, at most 4)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(n_tasks, cores or 1, 4))


def run_tasks(tasks: list[Task]) -> Iterator[list[str]]:
    """Run every task; yield each one's progress lines, in the tasks' order.

    Raises
    ------
    Exception
        The first exception a task raised (the other workers are stopped).
    """
    global _TASKS
    n = workers(len(tasks))
    if n == 1:
        for task in tasks:
            yield task()
        return
    _TASKS = list(tasks)
    pool = multiprocessing.get_context("fork").Pool(n, initializer=_worker_signals)
    try:
        yield from pool.imap(_run, range(len(tasks)))
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()
        _TASKS = []
