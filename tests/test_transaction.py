"""A data-folder transaction commits every staged file or none, even killed at any write; a
second writer waits for the lock, then is refused; nothing is written outside the folder."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from kill_helpers import killed_at

from maroc_eval.base import paths
from maroc_eval.base.errors import LockedError, OutputError
from maroc_eval.base.transaction import DataTransaction, recover

OLD = {"a.csv": b"old a\n", "b.csv": b"old b\n"}
NEW = {"a.csv": b"new a\n", "b.csv": b"new b\n", "recus/c.xlsx": b"new c\n"}


def state(folder):
    """Every file of the folder and its sub-folders, by relative path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def seed(folder):
    folder.mkdir()
    for name, data in OLD.items():
        (folder / name).write_bytes(data)


def without_lock(files):
    return {k: v for k, v in files.items() if not k.endswith(".lock")}


STAGE_ALL = """
from pathlib import Path
from maroc_eval.base.transaction import DataTransaction
data = Path("data")
with DataTransaction(data) as tx:
    tx.stage(data / "a.csv", b"new a\\n")
    tx.stage(data / "b.csv", b"new b\\n")
    tx.stage(data / "recus" / "c.xlsx", b"new c\\n", new=True)
    tx.commit()
"""


def test_a_commit_lands_every_file_and_leaves_no_journal(tmp_path):
    data = tmp_path / "data"
    seed(data)
    with DataTransaction(data) as tx:
        tx.stage(data / "a.csv", NEW["a.csv"])
        tx.stage(data / "b.csv", NEW["b.csv"])
        tx.stage(data / "recus" / "c.xlsx", NEW["recus/c.xlsx"], new=True)
        assert without_lock(state(data)) != NEW  # staged files are not the data yet
        assert {k: v for k, v in state(data).items() if not k.split("/")[-1].startswith(".")} \
            == OLD
        written = tx.commit()
    assert sorted(p.relative_to(data).as_posix() for p in written) == sorted(NEW)
    assert without_lock(state(data)) == NEW


def test_leaving_without_commit_changes_nothing(tmp_path):
    data = tmp_path / "data"
    seed(data)
    with pytest.raises(KeyError), DataTransaction(data) as tx:
        tx.stage(data / "a.csv", NEW["a.csv"])
        tx.stage(data / "recus" / "c.xlsx", NEW["recus/c.xlsx"], new=True)
        raise KeyError("une erreur au milieu")
    assert without_lock(state(data)) == OLD


def test_a_new_file_is_never_overwritten_and_nothing_goes_outside(tmp_path):
    data = tmp_path / "data"
    seed(data)
    (tmp_path / "elsewhere").mkdir()
    (data / "lien").symlink_to(tmp_path / "elsewhere")
    with DataTransaction(data) as tx:
        with pytest.raises(OutputError, match="existe déjà"):
            tx.stage(data / "a.csv", b"x", new=True)
        with pytest.raises(OutputError, match="hors du dossier"):
            tx.stage(data / ".." / "evil.csv", b"x")
        with pytest.raises(OutputError, match="lien symbolique"):
            tx.stage(data / "lien" / "x.csv", b"x")
        with pytest.raises(OutputError, match="lien symbolique"):
            tx.stage(data / "lien", b"x")
    assert list((tmp_path / "elsewhere").iterdir()) == []
    assert not (tmp_path / "evil.csv").exists()
    assert without_lock(state(data)) == OLD


@pytest.mark.parametrize("step", range(1, 12))
def test_killed_at_any_write_the_next_command_sees_all_old_or_all_new(tmp_path, step):
    """SIGKILL before each write of a three-file commit (stages, journal, moves, clean-up):
    after recover() the folder holds exactly the old files or exactly the new ones."""
    data = tmp_path / "data"
    seed(data)
    done = killed_at(step, STAGE_ALL, cwd=tmp_path)
    assert done.returncode in (0, -9), done.stderr
    if done.returncode == 0:
        assert step > 10  # 3 stages, journal + rename, link + unlink, 2 renames, removal
    recover(data)
    after = without_lock(state(data))
    assert after in (OLD, NEW), (step, after)
    if done.returncode == -9 and step >= 6:  # killed after the journal was in place
        assert after == NEW
    if step <= 5:
        assert after == OLD
    assert not paths.data_journal_path(data).exists()


def test_a_garbage_journal_stops_the_command_with_a_french_message(tmp_path):
    data = tmp_path / "data"
    seed(data)
    paths.data_journal_path(data).write_text('{"files": [{"stage": "../../x"}]}', "utf-8")
    with pytest.raises(OutputError, match="illisible"):
        recover(data)
    with pytest.raises(OutputError, match="illisible"), DataTransaction(data):
        pass
    assert without_lock(state(data)) == {**OLD, ".maroc-eval-journal.json":
                                         b'{"files": [{"stage": "../../x"}]}'}


HOLD = """
import sys, time
from pathlib import Path
from maroc_eval.base.transaction import DataTransaction
with DataTransaction(Path(sys.argv[1])):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
    (Path(sys.argv[1]).parent / "fin-du-premier").touch()
"""


def holder(data, seconds):
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(data), str(seconds)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_a_second_writer_waits_then_is_refused_in_french(tmp_path):
    data = tmp_path / "data"
    seed(data)
    proc = holder(data, 30)
    try:
        told = []
        start = time.monotonic()
        with pytest.raises(LockedError) as refused, DataTransaction(data, wait=0.5,
                                                                    echo=told.append):
            pass
        assert time.monotonic() - start >= 0.5
        message = str(refused.value)
        assert "est en cours d'écriture par une autre commande (pid " in message
        assert f"pid {proc.pid}" in message and "rien n'a été écrit" in message
        assert told and "En attente" in told[0]
    finally:
        proc.kill()
        proc.wait()


def test_a_second_writer_goes_on_when_the_first_ends(tmp_path):
    data = tmp_path / "data"
    seed(data)
    proc = holder(data, 0.5)
    with DataTransaction(data, wait=20) as tx:
        assert (tmp_path / "fin-du-premier").exists()  # it waited for the first writer
        tx.stage(data / "a.csv", b"second\n")
        tx.commit()
    proc.wait()
    assert (data / "a.csv").read_bytes() == b"second\n"


def test_recover_leaves_a_live_writers_staged_files(tmp_path):
    data = tmp_path / "data"
    seed(data)
    proc = holder(data, 30)
    try:
        staged = data / f"{paths.STAGE_PREFIX}0123{paths.STAGE_SUFFIX}"
        staged.write_bytes(b"being written")
        assert recover(data) == []
        assert staged.exists()
    finally:
        proc.kill()
        proc.wait()
    assert recover(data) == [] and not staged.exists()  # no one holds the lock: a leftover


def test_a_lock_file_is_not_followed_as_a_link(tmp_path):
    data = tmp_path / "data"
    seed(data)
    target = tmp_path / "victim"
    target.write_bytes(b"keep")
    os.symlink(target, paths.data_lock_path(data))
    with pytest.raises(OutputError), DataTransaction(data):
        pass
    assert target.read_bytes() == b"keep"
