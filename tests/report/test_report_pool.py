"""Report tasks run side by side in forked workers, in order, and failures surface."""

from __future__ import annotations

import os
import time

import pytest

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
