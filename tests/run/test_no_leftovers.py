"""However a run ends, no process of it and no temporary folder outlive it — machine loaded.

Each run is the toy battery in its own process (the CLI's error handling around the runner),
tagged by an environment variable that its zygote, stand-ins and kernels inherit; after the run
ends, no live process may carry the tag and no ``maroc-eval-*`` folder it made may remain (its
``TMPDIR`` is a folder of the test's own, so that nothing else on the machine is counted).
Two CPU-bound processes load the two cores meanwhile, as a busy CI machine would.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import subprocess
import time
import uuid
from pathlib import Path

import pytest
import runner_helpers as h

pytestmark = pytest.mark.kernel

JETTE = h.PAIRS[0]
TAG = "MAROC_EVAL_TEST_RUN"


def _burn(stop) -> None:
    while not stop.is_set():
        sum(i * i for i in range(10_000))


@pytest.fixture
def loaded_machine():
    """Two busy processes (one per core of the CI machine) for the test's duration."""
    ctx = multiprocessing.get_context("fork")
    stop = ctx.Event()
    burners = [ctx.Process(target=_burn, args=(stop,), daemon=True) for _ in range(2)]
    for burner in burners:
        burner.start()
    yield
    stop.set()
    for burner in burners:
        burner.join(5)
        if burner.is_alive():
            burner.kill()


def tagged(tag: str) -> set[int]:
    """Live processes whose environment carries ``tag``."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and h.alive(int(entry.name)):
            with contextlib.suppress(OSError):
                if f"{TAG}={tag}".encode() in (entry / "environ").read_bytes().split(b"\0"):
                    found.add(int(entry.name))
    return found


def scratch_folders(tmp: Path) -> set[str]:
    return {p.name for p in (tmp / "tmp").glob("maroc-eval-*")}


def start(tmp: Path, battery: str, params: list, tag: str, executor: str) -> subprocess.Popen:
    """The run in its own process; ``rapide-ordinaire``: the fast executor with warm kernels
    switched off (the portable path: plain kernels from the ``maroc-eval`` kernel spec)."""
    (tmp / "tmp").mkdir(exist_ok=True)
    env = {**os.environ, TAG: tag, "TMPDIR": str(tmp / "tmp")}
    if executor == "rapide-ordinaire":
        executor, env["MAROC_EVAL_WARM_KERNELS"] = "rapide", "0"
    return subprocess.Popen(
        h.driver_command(tmp, battery, params, executor=executor), cwd=tmp, text=True,
        env=env, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def slow_is_running(tmp: Path) -> bool:
    return any((tmp / "out" / "midterm" / JETTE).glob(".slow.*.tmp.ipynb"))


def assert_nothing_left(tag: str, tmp: Path, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while (left := tagged(tag)) and time.monotonic() < deadline:
        time.sleep(0.2)
    commands = {pid: (Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
                      if Path(f"/proc/{pid}").exists() else b"") for pid in left}
    for pid in left:  # never leave them to the next test
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    assert not left, f"processus restants : {commands}"
    assert scratch_folders(tmp) == set()


ENDINGS = [
    ("fin normale", "slow", [("delay", "0")], 0),
    ("refus d'un paramètre", "slow", [("nexiste", "1")], 2),
    ("carnet en échec", "dies", [], 1),
    ("SIGINT", "slow", [("delay", "60")], 130),
    ("SIGTERM", "slow", [("delay", "60")], 143),
    ("SIGKILL du lanceur", "slow", [("delay", "60")], -9),
]


@pytest.mark.parametrize("executor", ["rapide", "simple", "rapide-ordinaire"])
@pytest.mark.parametrize(("ending", "battery", "params", "status"), ENDINGS)
def test_no_process_or_folder_outlives_a_run(tmp_path, loaded_machine, ending, battery, params,
                                             status, executor):
    h.write_data(tmp_path / "data")
    tag = uuid.uuid4().hex
    proc = start(tmp_path, battery, params, tag, executor)
    signum = {"SIGINT": signal.SIGINT, "SIGTERM": signal.SIGTERM,
              "SIGKILL du lanceur": signal.SIGKILL}.get(ending)
    if signum is not None:
        # The slow notebook's kernel is up (else the test would prove nothing).
        deadline = time.monotonic() + 120
        while not (slow_is_running(tmp_path) and tagged(tag) - {proc.pid}):
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "le carnet lent n'a pas démarré"
            time.sleep(0.1)
        proc.send_signal(signum)
    _, stderr = proc.communicate(timeout=180)
    assert proc.returncode == status, stderr
    assert "Traceback" not in stderr
    assert_nothing_left(tag, tmp_path)
