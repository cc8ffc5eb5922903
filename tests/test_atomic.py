"""Atomic writes: the previous file or the new one, never half of one, no temporary left."""

from __future__ import annotations

import os

import pytest

from maroc_eval.atomic import write_atomic


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
