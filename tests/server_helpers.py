"""Start ``make lab`` / ``make tableau`` for real on a project copy, stop every process, and
drive the exploration panel in Chromium.

The servers run the repository's Makefile from a copy of the project (``make -f``, the
virtualenv's ``BIN``, ``STAMP=`` so that nothing is reinstalled): JupyterLab's file browser and
Voilà's kernel see the copy, and nothing is written into the repository. The server is in its
own process group, and its kernels in sessions of their own: :func:`stop` ends all of them by
their ids and says which ones needed more than SIGTERM.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil
import pytest

from maroc_eval.base import paths

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


def free_port() -> int:
    """A free loopback port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(target: str, root: Path, log: Path, *variables: str) -> subprocess.Popen:
    """``make TARGET VAR=…`` run from the project copy ``root``, output into ``log``."""
    tmp = log.parent
    if not (root / "pyproject.toml").exists():  # the Makefile's venv key reads it
        shutil.copy2(paths.PROJ_ROOT / "pyproject.toml", root / "pyproject.toml")
    env = {**os.environ, "MAROC_EVAL_ROOT": str(root), "JUPYTER_RUNTIME_DIR": str(tmp / "rt"),
           "JUPYTER_CONFIG_DIR": str(tmp / "cfg"), "JUPYTER_DATA_DIR": str(tmp / "data")}
    env.pop("SERVER_SOFTWARE", None)
    command = ["make", "-s", "-f", str(paths.PROJ_ROOT / "Makefile"), target, "STAMP=",
               f"BIN={Path(sys.executable).parent}", *variables]
    with open(log, "wb") as out:
        return subprocess.Popen(command, cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)


def wait_until_served(proc: subprocess.Popen, url: str, log: Path, timeout: float = 90) -> None:
    """Poll ``url`` until it answers; fail with the server's log if it dies or times out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, log.read_text(errors="replace")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"pas de réponse en {timeout:g} s :\n" + log.read_text(errors="replace"))


def family(proc: subprocess.Popen) -> list[psutil.Process]:
    """The server's processes: make, the server, its kernels."""
    try:
        return [psutil.Process(proc.pid), *psutil.Process(proc.pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def stop(proc: subprocess.Popen, known: list[psutil.Process]) -> list[int]:
    """SIGTERM to the server's group, then kill what is left of ``known`` and of the group.

    Returns
    -------
    list of int
        The pids still alive 20 s after SIGTERM (killed then).
    """
    members = {p.pid: p for p in [*known, *family(proc)]}
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    _gone, alive = psutil.wait_procs(list(members.values()), timeout=20)
    for survivor in alive:
        survivor.kill()
    psutil.wait_procs(alive, timeout=10)
    return [p.pid for p in alive]


def running(processes: list[psutil.Process]) -> list[int]:
    """The pids among ``processes`` still running (zombies excepted)."""
    out = []
    for p in processes:
        try:
            if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                out.append(p.pid)
        except psutil.NoSuchProcess:
            pass
    return out


PANEL = ".maroc-eval-panneau"
"""The exploration panel's CSS class (:mod:`maroc_eval.notebook.panel`)."""
OUTPUT = f"{PANEL} .widget-output"


def changes_pair(page) -> None:
    """In the exploration's live panel (Voilà or JupyterLab) showing Forest – Jérada, choose
    Liège – Tanger; wait for a new chart and the table's new first pair column."""
    before = page.locator(f"{OUTPUT} img").first.get_attribute("src")
    header = page.locator(f"{OUTPUT} th").nth(2)
    assert header.inner_text() == "Forest – Jérada"
    page.get_by_label("Partenariat", exact=True).select_option(label="Liège – Tanger")
    page.wait_for_function(
        """([sel, old]) => { const img = document.querySelector(sel);
                             return img && img.getAttribute('src') !== old; }""",
        arg=[f"{OUTPUT} img", before], timeout=60_000)
    page.wait_for_function(
        """sel => { const th = document.querySelectorAll(sel)[2];
                    return th && th.innerText === 'Liège – Tanger'; }""",
        arg=f"{OUTPUT} th", timeout=30_000)
    assert page.locator(f"{OUTPUT} img").first.get_attribute("src") != before
    assert page.locator(f"{OUTPUT} img").count() == 1
