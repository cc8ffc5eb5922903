"""Faults during a run: Ctrl-C, SIGKILL, a second run, a dying kernel, an unwritable folder."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
import runner_helpers as h

from maroc_eval.base.errors import LockedError
from maroc_eval.cli import _reports_errors
from maroc_eval.run.execute import is_temporary
from maroc_eval.run.executors import executors

pytestmark = pytest.mark.kernel

JETTE = h.PAIRS[0]
SLOW = h.BATTERIES["slow"]


def start_driver(tmp: Path, params: list, jobs: int = 1,
                 executor: str = "rapide") -> subprocess.Popen:
    """``maroc-eval run`` on the toy world in its own process (SIGINT handled by Python)."""
    return subprocess.Popen(
        h.driver_command(tmp, "slow", params, jobs, executor), cwd=tmp, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def wait_for(predicate, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if proc.poll() is not None:
            pytest.fail(f"le lanceur s'est arrêté trop tôt : {proc.communicate()}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail("délai dépassé en attendant le lanceur")
        time.sleep(0.1)


def slow_is_running(tmp: Path) -> bool:
    return any((tmp / "out" / "midterm" / JETTE).glob(".slow.*.tmp.ipynb"))


def snapshot(tmp: Path) -> dict[str, bytes]:
    """Every output file but the ledger and the lock, by relative path."""
    out = tmp / "out"
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.name not in ("ledger.json", ".maroc-eval.lock")}


def assert_all_outputs_parse(tmp: Path) -> None:
    files = [p for p in (tmp / "out").rglob("*") if p.is_file()]
    assert not [p for p in files if is_temporary(p)], "fichiers temporaires restants"
    for path in files:
        if path.suffix == ".ipynb":
            nbformat.read(path, as_version=4)
        elif path.suffix == ".json":
            json.loads(path.read_text("utf-8"))


def ledger(tmp: Path) -> dict:
    return json.loads((tmp / "out" / "midterm" / "ledger.json").read_text("utf-8"))


@pytest.mark.parametrize(("executor", "signum", "status"), [
    ("rapide", signal.SIGINT, 130), ("simple", signal.SIGINT, 130),
    ("rapide", signal.SIGTERM, 143)])
def test_interrupt_records_interrupted_and_keeps_earlier_outputs(tmp_path, executor, signum,
                                                                 status):
    """Ctrl-C (SIGINT) and SIGTERM end a run the same way, with their own exit statuses."""
    h.write_data(tmp_path / "data")
    assert h.run(tmp_path, SLOW, pairs=(JETTE,), params=(("delay", "0"),)).exit_status == 0
    before = snapshot(tmp_path)

    proc = start_driver(tmp_path, [("delay", "30")], executor=executor)
    wait_for(lambda: slow_is_running(tmp_path), proc)
    # Meanwhile a second run on the same output folder refuses.
    with pytest.raises(LockedError) as err:
        h.run(tmp_path, SLOW, pairs=(JETTE,))
    assert "Une autre exécution utilise déjà" in str(err.value)
    assert err.value.exit_status == 2

    proc.send_signal(signum)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == status, stderr
    assert "Interrompu" in stderr and "Traceback" not in stderr
    data = ledger(tmp_path)
    assert data["entries"][f"{JETTE}/slow"]["status"] == "interrupted"
    assert data["run"]["interrupted"] is True
    after = snapshot(tmp_path)
    # The interrupted notebook's and the never-started synthesis's earlier outputs are intact;
    # toy_ri1 too, unless the package source changed meanwhile (then it legitimately reran).
    rerun = data["entries"][f"{JETTE}/toy_ri1"]["status"] == "ok"
    kept = {k: v for k, v in before.items() if not (rerun and "toy_ri1" in k)}
    assert {k: after.get(k) for k in kept} == kept
    assert set(after) == set(before)
    assert_all_outputs_parse(tmp_path)


def test_second_concurrent_run_exits_2_with_message(tmp_path):
    h.write_data(tmp_path / "data")
    first = start_driver(tmp_path, [("delay", "30")])
    try:
        wait_for(lambda: slow_is_running(tmp_path), first)
        second = subprocess.run(h.driver_command(tmp_path, "slow", [("delay", "30")]),
                                cwd=tmp_path, capture_output=True, text=True, timeout=60)
        assert second.returncode == 2
        assert "Une autre exécution utilise déjà" in second.stderr
        assert f"pid {first.pid}" in second.stderr
    finally:
        first.kill()
        first.wait()


def test_sigkill_midway_then_rerun_completes(tmp_path):
    h.write_data(tmp_path / "data")
    proc = start_driver(tmp_path, [("delay", "30")])
    wait_for(lambda: (tmp_path / "out" / "midterm" / JETTE / "toy_ri1.json").exists()
             and slow_is_running(tmp_path), proc)
    proc.kill()
    proc.wait()
    for path in (tmp_path / "out").rglob("*"):  # nothing truncated, even before the rerun
        if path.is_file() and not is_temporary(path) and path.suffix == ".json":
            json.loads(path.read_text("utf-8"))

    result = h.run(tmp_path, SLOW, pairs=(JETTE,), params=(("delay", "0"),))
    assert result.exit_status == 0
    # Up to date, unless the package source changed between the two processes.
    assert result.status(f"midterm/{JETTE}/toy_ri1") in ("skipped-up-to-date", "ok")
    assert result.status(f"midterm/{JETTE}/slow") == "ok"
    assert result.status(f"midterm/{JETTE}/toy_pair") == "ok"
    assert_all_outputs_parse(tmp_path)


@pytest.mark.parametrize("executor", ["rapide", "simple"])
def test_dying_kernel_is_a_recorded_failure(tmp_path, executor):
    h.write_data(tmp_path / "data")
    result = h.run(tmp_path, (h.TOY_RI1, h.DIES, h.TOY_PAIR), pairs=(JETTE,),
                   executor=executors.get(executor)(workers=2))
    assert result.exit_status == 1
    entry = ledger(tmp_path)["entries"][f"{JETTE}/dies"]
    assert entry["status"] == "failed"
    assert entry["ename"] == "DeadKernelError"
    assert "noyau" in entry["evalue"]
    assert result.status(f"midterm/{JETTE}/toy_ri1") == "ok"
    assert result.status(f"midterm/{JETTE}/toy_pair") == "ok"
    assert h.sidecar(tmp_path, JETTE, "toy_pair")["unavailable"] == [f"{JETTE}/dies"]
    assert (tmp_path / "out" / "midterm" / JETTE / "dies.echec.ipynb").exists()


@pytest.fixture
def tmpfs(tmp_path):
    """Mount a small tmpfs on ``tmp/out`` with the given options (skipped where not allowed)."""
    mounted = []

    def mount(options: str) -> Path:
        target = tmp_path / "out"
        target.mkdir(exist_ok=True)
        if sys.platform != "linux" or os.geteuid() != 0:
            pytest.skip("monter un tmpfs demande Linux et les droits root")
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)],
                              capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"montage tmpfs refusé ici : {done.stderr.strip()}")
        mounted.append(target)
        return target

    yield mount
    for target in mounted:
        subprocess.run(["umount", "-l", str(target)], check=False)


def run_like_cli(tmp: Path, capsys) -> tuple[int, str]:
    @_reports_errors
    def go():
        sys.exit(h.run(tmp, pairs=(JETTE,)).exit_status)

    with pytest.raises(SystemExit) as exit_:
        go()
    return exit_.value.code, capsys.readouterr().err


def test_read_only_output_folder_is_a_clear_error(tmp_path, tmpfs, capsys):
    h.write_data(tmp_path / "data")
    tmpfs("ro,size=64k")
    code, err = run_like_cli(tmp_path, capsys)
    assert code == 2
    assert "Impossible d'écrire" in err and "lecture seule" in err
    assert "Traceback" not in err


def test_full_output_folder_is_a_clear_error(tmp_path, tmpfs, capsys):
    h.write_data(tmp_path / "data")
    out = tmpfs("size=64k")
    with open(out / "remplissage", "wb", buffering=0) as fh:
        try:
            while True:
                fh.write(b"\0" * 4096)
        except OSError:
            pass
    code, err = run_like_cli(tmp_path, capsys)
    assert code == 2
    assert "le disque est plein" in err
    assert "Traceback" not in err
