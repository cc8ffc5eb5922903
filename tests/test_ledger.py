"""The run ledger, its lock and the run summary."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from maroc_eval.base.errors import LockedError
from maroc_eval.base.ledger import (
    LEDGER_GARBLED,
    LEDGER_MISSING,
    LEDGER_OTHER_PHASE,
    LEDGER_SHAPE,
    NO_ENTRY,
    Entry,
    Ledger,
    RunLock,
    summary_lines,
    unvouched,
    vouched,
)


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


@pytest.mark.parametrize(("text", "reason", "where"), [
    (None, LEDGER_MISSING, None),
    ('{"phase": "midterm", "entries": {\n  "a/ri1": {', LEDGER_GARBLED, (2, 13)),
    (b"\xff\xfe\x00", LEDGER_GARBLED, None),
    ('{"phase": "final", "entries": {}}', LEDGER_OTHER_PHASE, None),
    ('"texte"', LEDGER_SHAPE, None),
])
def test_why_a_ledger_vouches_for_nothing_is_kept_with_its_place(tmp_path, text, reason, where):
    path = tmp_path / "midterm" / "ledger.json"
    path.parent.mkdir()
    if isinstance(text, bytes):
        path.write_bytes(text)
    elif text is not None:
        path.write_text(text, "utf-8")
    ledger = Ledger.load(path, "midterm")
    assert ledger.entries == {}
    assert ledger.unreadable.reason == reason
    assert (ledger.unreadable.line, ledger.unreadable.column) == (where or (None, None))
    # said only when the phase holds results the ledger should vouch for
    assert unvouched(ledger) is None
    (path.parent / "jette-sidi-bibi").mkdir()
    (path.parent / "jette-sidi-bibi" / "ri1.json").write_text("{}", "utf-8")
    shown, why = unvouched(ledger)
    assert shown.endswith("midterm/ledger.json" + (f":{where[0]}:{where[1]}" if where else ""))
    assert why == reason  # French: the message itself


def test_a_ledger_read_whole_vouches_through_its_entries(tmp_path):
    path = tmp_path / "ledger.json"
    Ledger(path, "midterm").save()
    ledger = Ledger.load(path, "midterm")
    assert ledger.unreadable is None and unvouched(ledger) is None
    assert vouched(None, tmp_path / "x.ipynb", tmp_path / "x.json") == NO_ENTRY


def test_lock_refuses_a_second_holder_with_its_pid(tmp_path):
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from maroc_eval.base.ledger import RunLock; "
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
    (tmp_path / "midterm" / "b").mkdir(parents=True)
    (tmp_path / "midterm" / "b" / "ri1.echec.ipynb").write_text("{}")
    lines = summary_lines(entries, tmp_path, ["midterm"])
    assert lines[1].split() == ["Phase", "Réussis", "À", "jour", "Échecs", "Interrompus",
                                "Durée", "(s)"]
    assert lines[2].split() == ["midterm", "1", "1", "1", "0", "3,8"]
    assert "  - midterm/b/ri1 — échec (cellule 3) : ValueError: panne" in lines
    assert any(line.endswith("b/ri1.echec.ipynb") for line in lines)


def _failed_entry(**extra) -> dict:
    return {"phase": "midterm", "job": "jette/ri1", "status": "failed", "duration": 1.0,
            "output": "midterm/jette/ri1.echec.ipynb", "cell": None, **extra}


def test_failure_summary_names_the_kept_notebook_only_when_it_exists(tmp_path):
    from maroc_eval.base.ledger import summary_lines

    entry = _failed_entry(ename="OSError", evalue="Impossible d'écrire : le disque est plein.")
    lines = summary_lines([entry], tmp_path, ["midterm"])
    assert not any("carnet conservé" in line for line in lines)  # never written: disk full
    assert any("le disque est plein" in line and "OSError" not in line for line in lines)
    kept = tmp_path / "midterm" / "jette" / "ri1.echec.ipynb"
    kept.parent.mkdir(parents=True)
    kept.write_text("{}")
    lines = summary_lines([entry], tmp_path, ["midterm"])
    assert any("carnet conservé" in line and "ri1.echec.ipynb" in line for line in lines)


@pytest.mark.parametrize(("make", "expected"), [
    (lambda p: (p / "file").write_text("x") and (p / "file" / "sub").write_text("y"),
     "un élément du chemin n'est pas un dossier"),
    (lambda p: p.read_text(), "c'est un dossier, un fichier est attendu"),
    (lambda p: os.mkdir(p), "un fichier de ce nom existe déjà"),
    (lambda p: (p / "absent.csv").read_text(), "fichier ou dossier introuvable"),
])
def test_system_errors_are_french_and_name_the_path(tmp_path, make, expected):
    from maroc_eval.base.errors import os_message

    with pytest.raises(OSError) as err:
        make(tmp_path)
    message = os_message(err.value)
    assert expected in message
    assert str(tmp_path) in message or tmp_path.name in message
    assert "Errno" not in message


def test_write_refusals_give_the_remedy_that_fits():
    import errno

    from maroc_eval.base.ledger import output_problem

    full = output_problem(Path("out/x.json"), OSError(errno.ENOSPC, "No space left on device"))
    assert "le disque est plein" in full and "Libérez de la place" in full
    readonly = output_problem(Path("out/x.json"), OSError(errno.EROFS, "Read-only file system"))
    assert "lecture seule" in readonly and "place" not in readonly
