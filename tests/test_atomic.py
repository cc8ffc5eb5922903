"""Atomic writes: the previous file or the new one, never half of one, no temporary left."""

from __future__ import annotations

import multiprocessing
import os
import threading

import pytest

from maroc_eval.base import atomic
from maroc_eval.base.atomic import write_atomic


def test_text_and_bytes_replace_the_file_and_create_its_folder(tmp_path):
    target = tmp_path / "a" / "b" / "résultat.json"
    write_atomic(target, "première")
    write_atomic(target, "é".encode() * 3)
    assert target.read_text("utf-8") == "ééé"
    assert os.listdir(target.parent) == ["résultat.json"]


def test_a_failed_write_keeps_the_previous_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "rapport.html"
    target.write_text("ancien", "utf-8")

    def full_disk(_fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError):
        write_atomic(target, "nouveau " * 1000)
    assert target.read_text("utf-8") == "ancien"
    assert os.listdir(tmp_path) == ["rapport.html"]


def test_an_interrupt_during_the_write_keeps_the_previous_file(tmp_path, monkeypatch):
    target = tmp_path / "journal.json"
    target.write_text("{}", "utf-8")

    def interrupted(*_args):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, '{"a": 1}')
    assert target.read_text("utf-8") == "{}"
    assert os.listdir(tmp_path) == ["journal.json"]


def test_a_forked_child_writes_while_another_thread_of_its_parent_held_the_lock(tmp_path):
    """The report workers are forked from a process that may run other threads: a lock held by
    one of them at the fork must not block the child's writes for ever."""
    held, release = threading.Event(), threading.Event()

    def hold():
        with atomic._UMASK_LOCK:
            held.set()
            release.wait(30)

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(10)
    try:
        child = multiprocessing.get_context("fork").Process(
            target=atomic.write_atomic, args=(tmp_path / "enfant.txt", "écrit"))
        child.start()
        child.join(30)
        stuck = child.is_alive()
        if stuck:
            child.kill()
            child.join()
    finally:
        release.set()
        holder.join()
    assert not stuck and child.exitcode == 0
    assert (tmp_path / "enfant.txt").read_text("utf-8") == "écrit"
