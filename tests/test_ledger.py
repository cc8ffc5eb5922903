"""The run ledger, its lock and the run summary."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from maroc_eval.errors import LockedError
from maroc_eval.ledger import Entry, Ledger, RunLock, summary_lines


def entry(job="p/ri1", status="ok", **kw):
    base = dict(job=job, notebook=job.split("/")[1], pair=job.split("/")[0], phase="midterm",
                status=status, duration=1.25, parameters_hash="h", cache_key="k",
                output=f"midterm/{job}.ipynb", finished="2024-01-01T00:00:00+00:00")
    base.update(kw)
    return Entry(**base)


def test_ledger_keeps_entries_of_other_jobs_and_is_valid_json(tmp_path):
    path = tmp_path / "midterm" / "ledger.json"
    ledger = Ledger.load(path, "midterm")
    ledger.record(entry("a/ri1"))
    ledger.record(entry("b/ri1", "failed", cell=3, ename="ValueError", evalue="x"))
    ledger.save()
    again = Ledger.load(path, "midterm")
    again.record(entry("a/ri1", "skipped-up-to-date"))
    again.save()
    data = json.loads(path.read_text("utf-8"))
    assert data["entries"]["a/ri1"]["status"] == "skipped-up-to-date"
    assert data["entries"]["b/ri1"]["cell"] == 3
    assert [p.name for p in path.parent.iterdir()] == ["ledger.json"]  # no temporary left


def test_unreadable_ledger_starts_empty(tmp_path):
    path = tmp_path / "ledger.json"
    path.write_text("{tronqué", "utf-8")
    assert Ledger.load(path, "midterm").entries == {}


def test_lock_refuses_a_second_holder_with_its_pid(tmp_path):
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from maroc_eval.ledger import RunLock; "
         f"RunLock({str(tmp_path / 'l')!r}).acquire(); print('ok', flush=True); time.sleep(30)"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ok"
        with pytest.raises(LockedError) as err:
            RunLock(tmp_path / "l").acquire()
        assert f"pid {holder.pid}" in str(err.value)
    finally:
        holder.kill()
        holder.wait()
    with RunLock(tmp_path / "l"):  # released by the holder's death
        pass


def test_summary_counts_each_status_and_details_failures(tmp_path):
    entries = [entry("a/ri1").to_dict(), entry("a/ri3", "skipped-up-to-date").to_dict(),
               entry("b/ri1", "failed", cell=3, ename="ValueError", evalue="panne",
                     output="midterm/b/ri1.echec.ipynb").to_dict()]
    lines = summary_lines(entries, tmp_path, ["midterm"])
    assert lines[1].split() == ["Phase", "Réussis", "À", "jour", "Échecs", "Interrompus",
                                "Durée", "(s)"]
    assert lines[2].split() == ["midterm", "1", "1", "1", "0", "3,8"]
    assert "  - midterm/b/ri1 — échec (cellule 3) : ValueError: panne" in lines
    assert any(line.endswith("b/ri1.echec.ipynb") for line in lines)
