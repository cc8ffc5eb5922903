"""JupyterLab starts for real on a loopback port and serves the notebooks through its REST API."""

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from maroc_eval.base import catalogue as battery
from maroc_eval.base import paths


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_jupyterlab_serves_the_notebooks(tmp_path):
    port, token = _free_port(), secrets.token_hex(16)
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "rt"),
           "JUPYTER_CONFIG_DIR": str(tmp_path / "cfg")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={paths.PROJ_ROOT}",
         "--ServerApp.port_retries=0", "--allow-root"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    try:
        url = f"http://127.0.0.1:{port}/api/contents/notebooks?token={token}"
        deadline, listing = time.monotonic() + 60, None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(url, timeout=2) as resp:
                    listing = json.load(resp)
                break
            except OSError:
                time.sleep(0.3)
        assert listing is not None, (proc.stdout.read1().decode(errors="replace")
                                     if proc.poll() is not None else "timeout")
        names = {item["name"] for item in listing["content"]}
        assert {f"{s.stem}.ipynb" for s in battery.ALL_NOTEBOOKS} <= names
        with urllib.request.urlopen(
                f"http://127.0.0.1:{port}/api/contents/notebooks/ri1_service_action_sociale.ipynb?token={token}",
                timeout=5) as resp:
            model = json.load(resp)
        assert model["type"] == "notebook"
        assert model["content"]["metadata"]["kernelspec"]["name"] == "python3"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/lab?token={token}",
                                    timeout=5) as resp:
            assert resp.status == 200
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
