"""Report tasks run side by side in a standard process pool, in order, and failures surface."""

from __future__ import annotations

import multiprocessing
import os
import signal
import tempfile
import time

import pytest

from maroc_eval.base import i18n
from maroc_eval.base.errors import InputError, ProblemList
from maroc_eval.report import pool as report_pool


# Tasks are module-level functions with plain arguments: the workers unpickle them.
def later_first(i: int) -> list[str]:
    time.sleep(0.05 * (3 - i))  # later tasks finish first
    return [f"tâche {i}", str(os.getpid())]


def ok() -> list[str]:
    return ["ok"]


def boom(delay: float = 0) -> list[str]:
    time.sleep(delay)
    raise ValueError("rapport impossible")


def killed() -> list[str]:
    os.kill(os.getpid(), signal.SIGKILL)
    return ["jamais"]


def stuck() -> list[str]:  # a worker blocked on a lock: SIGTERM changes nothing
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    time.sleep(3600)
    return ["jamais"]


def language() -> list[str]:
    return [i18n.language(), i18n._("Rapport {phase} / programme")]


def unpicklable() -> list[str]:
    class Local(Exception):
        pass

    raise Local("erreur locale")


def bad_input() -> list[str]:
    problems = ProblemList()
    problems.add("appreciations.yml", 12, 5, "E", "une note de l'échelle A, B, C ou D")
    problems.add("appreciations.yml", 30, 5, "Z", "une note de l'échelle A, B, C ou D")
    raise InputError(problems)


@pytest.fixture
def two_workers(monkeypatch):
    monkeypatch.setattr(report_pool, "workers", lambda n: min(n, 2))


def test_lines_come_back_in_task_order_from_other_processes(two_workers):
    parent = os.getpid()
    results = list(report_pool.run_tasks([(later_first, (i,)) for i in range(4)]))
    assert [r[0] for r in results] == ["tâche 0", "tâche 1", "tâche 2", "tâche 3"]
    assert all(int(r[1]) != parent for r in results)
    assert multiprocessing.active_children() == []


def test_under_a_temporary_folder_too_long_for_a_socket_workers_are_spawned(two_workers,
                                                                           long_folder,
                                                                           monkeypatch):
    """A forkserver listens on a Unix socket two levels below the temporary folder (107 bytes at
    most on Linux): under a longer folder the workers are spawned instead, and the tasks run."""
    long = long_folder(90)
    monkeypatch.setattr(tempfile, "tempdir", str(long))
    assert report_pool.context().get_start_method() == "spawn"
    results = list(report_pool.run_tasks([(later_first, (i,)) for i in range(3)]))
    assert [r[0] for r in results] == ["tâche 0", "tâche 1", "tâche 2"]
    assert multiprocessing.active_children() == []
    monkeypatch.setattr(tempfile, "tempdir", "/tmp")
    assert report_pool.context().get_start_method() == "forkserver"


def test_workers_speak_the_callers_language(two_workers):
    previous = i18n.language()
    i18n.set_language("en")
    try:
        results = list(report_pool.run_tasks([(language, ()), (language, ())]))
    finally:
        i18n.set_language(previous)
    assert results == [["en", "Report {phase} / programme"]] * 2


def test_a_failing_task_raises_in_the_caller(two_workers):
    with pytest.raises(ValueError, match="rapport impossible"):
        list(report_pool.run_tasks([(ok, ()), (boom, ()), (ok, ())]))
    assert multiprocessing.active_children() == []


def test_an_exception_that_cannot_be_pickled_comes_back_named(two_workers):
    with pytest.raises(RuntimeError, match="Local: erreur locale"):
        list(report_pool.run_tasks([(ok, ()), (unpicklable, ())]))


def test_one_task_runs_in_the_calling_process():
    assert list(report_pool.run_tasks([(os.getpid, ())])) == [os.getpid()]


def test_workers_bounded_by_tasks_and_cores():
    assert report_pool.workers(1) == 1
    assert 1 <= report_pool.workers(100) <= min(4, os.cpu_count() or 1)


def test_a_worker_killed_from_outside_is_reported_not_waited_for(two_workers):
    started = time.monotonic()
    with pytest.raises(report_pool.WorkerLost, match="relancez « maroc-eval report »"):
        list(report_pool.run_tasks([(ok, ()), (killed, ()), (ok, ())]))
    assert time.monotonic() - started < 60
    assert multiprocessing.active_children() == []


def test_a_worker_deaf_to_sigterm_is_killed_when_another_task_fails(two_workers, monkeypatch):
    monkeypatch.setattr(report_pool, "STOP_GRACE_S", 0.5)
    started = time.monotonic()
    with pytest.raises(ValueError, match="rapport impossible"):
        list(report_pool.run_tasks([(boom, (0.5,)), (stuck, ())]))
    assert time.monotonic() - started < 60
    assert multiprocessing.active_children() == []


def test_a_task_past_its_time_is_stopped(two_workers, monkeypatch):
    monkeypatch.setattr(report_pool, "STOP_GRACE_S", 0.5)
    monkeypatch.setattr(report_pool, "TASK_TIMEOUT_S", 1)
    started = time.monotonic()
    with pytest.raises(report_pool.TaskTimeout):
        list(report_pool.run_tasks([(stuck, ()), (ok, ())]))
    assert time.monotonic() - started < 60
    assert multiprocessing.active_children() == []


def test_a_toolkit_error_in_a_worker_reaches_the_caller_whole(two_workers):
    """The CLI shows an input error's located lines, not a traceback: the error raised in a
    worker comes back to the parent with every problem."""
    with pytest.raises(InputError) as caught:
        list(report_pool.run_tasks([(ok, ()), (bad_input, ())]))
    lines = caught.value.messages()
    assert lines[0].startswith("appreciations.yml:12:5:") and "« E »" in lines[0]
    assert lines[1].startswith("appreciations.yml:30:5:") and "« Z »" in lines[1]
    assert lines[-1] == "2 erreurs, 0 avertissement."
