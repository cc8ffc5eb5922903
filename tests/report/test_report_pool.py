"""Report tasks run side by side in forked workers, in order, and failures surface."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time

import pytest

from maroc_eval.errors import InputError, ProblemList
from maroc_eval.report import pool as report_pool


def test_lines_come_back_in_task_order_from_other_processes(monkeypatch):
    monkeypatch.setattr(report_pool, "workers", lambda n: min(n, 2))
    parent = os.getpid()

    def task(i):
        def run():
            time.sleep(0.05 * (3 - i))  # later tasks finish first
            return [f"tâche {i}", str(os.getpid())]
        return run

    results = list(report_pool.run_tasks([task(i) for i in range(4)]))
    assert [r[0] for r in results] == ["tâche 0", "tâche 1", "tâche 2", "tâche 3"]
    assert all(int(r[1]) != parent for r in results)


def test_a_failing_task_raises_in_the_caller(monkeypatch):
    monkeypatch.setattr(report_pool, "workers", lambda n: min(n, 2))

    def boom():
        raise ValueError("rapport impossible")

    with pytest.raises(ValueError, match="rapport impossible"):
        list(report_pool.run_tasks([lambda: ["ok"], boom, lambda: ["ok"]]))


def test_one_task_runs_in_the_calling_process():
    assert list(report_pool.run_tasks([lambda: [str(os.getpid())]])) == [[str(os.getpid())]]


def test_workers_bounded_by_tasks_and_cores():
    assert report_pool.workers(1) == 1
    assert 1 <= report_pool.workers(100) <= min(4, os.cpu_count() or 1)


def test_a_worker_killed_from_outside_is_reported_not_waited_for(monkeypatch):
    monkeypatch.setattr(report_pool, "workers", lambda n: min(n, 2))

    def killed():
        os.kill(os.getpid(), signal.SIGKILL)
        return ["jamais"]

    with pytest.raises(report_pool.WorkerLost, match="relancez « maroc-eval report »"):
        list(report_pool.run_tasks([lambda: ["ok"], killed, lambda: ["ok"]]))
    assert multiprocessing.active_children() == []


def test_a_worker_deaf_to_sigterm_is_killed_when_another_task_fails(monkeypatch):
    monkeypatch.setattr(report_pool, "workers", lambda n: min(n, 2))
    monkeypatch.setattr(report_pool, "STOP_GRACE_S", 0.5)

    def stuck():  # as a child blocked on a lock held at the fork: SIGTERM changes nothing
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        time.sleep(3600)
        return ["jamais"]

    def boom():
        time.sleep(0.3)  # the other worker is stuck by then
        raise ValueError("rapport impossible")

    started = time.monotonic()
    with pytest.raises(ValueError, match="rapport impossible"):
        list(report_pool.run_tasks([stuck, boom]))
    assert time.monotonic() - started < 60
    assert multiprocessing.active_children() == []


def test_a_worker_that_never_gets_ready_gets_no_task(monkeypatch):
    """A child blocked from its start (a lock held at the fork) never says it is ready: the
    other worker does every task, and the blocked one is killed at the end."""
    monkeypatch.setattr(report_pool, "workers", lambda n: min(n, 2))
    monkeypatch.setattr(report_pool, "STOP_GRACE_S", 0.5)
    count = multiprocessing.get_context("fork").Value("i", 0)
    serve = report_pool._serve

    def first_blocked(conn):
        with count.get_lock():
            count.value += 1
            first = count.value == 1
        if first:
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            time.sleep(3600)
        serve(conn)

    monkeypatch.setattr(report_pool, "_serve", first_blocked)
    results = list(report_pool.run_tasks([(lambda i=i: [f"tâche {i}", str(os.getpid())])
                                          for i in range(4)]))
    assert [r[0] for r in results] == ["tâche 0", "tâche 1", "tâche 2", "tâche 3"]
    assert len({r[1] for r in results}) == 1  # all done by the one ready worker
    assert multiprocessing.active_children() == []


def test_a_toolkit_error_in_a_worker_reaches_the_caller_whole(monkeypatch):
    """The CLI shows an input error's located lines, not a traceback: the error raised in a
    worker comes back to the parent with every problem."""
    monkeypatch.setattr(report_pool, "workers", lambda n: min(n, 2))
    problems = ProblemList()
    problems.add("appreciations.yml", 12, 5, "E", "une note de l'échelle A, B, C ou D")
    problems.add("appreciations.yml", 30, 5, "Z", "une note de l'échelle A, B, C ou D")

    def bad_input():
        raise InputError(problems)

    with pytest.raises(InputError) as caught:
        list(report_pool.run_tasks([lambda: ["ok"], bad_input]))
    lines = caught.value.messages()
    assert lines[0].startswith("appreciations.yml:12:5:") and "« E »" in lines[0]
    assert lines[1].startswith("appreciations.yml:30:5:") and "« Z »" in lines[1]
    assert lines[-1] == "2 erreurs, 0 avertissement."
