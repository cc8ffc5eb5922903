"""The ``maroc-eval`` kernel spec's provisioner: warm kernels for any Jupyter client.

jupyter_client chooses how a kernel process is started through *kernel provisioners*, registered
by entry point (``jupyter_client.kernel_provisioners`` in ``pyproject.toml``) and named by a kernel
spec (``metadata.kernel_provisioner``). :class:`WarmProvisioner` is jupyter_client's
``LocalProvisioner`` with one change, made through its documented hook ``pre_launch``: the
command it launches is the stand-in of :mod:`maroc_eval.run.warm_kernel`, which asks this client's
warm process for a forked kernel. So ``maroc-eval run``, ``papermill -k maroc-eval`` and
JupyterLab all get the warm start; the notebook and the kernel are the same either way.

The plain kernel is launched instead (same kernel, same results, only slower to start) when the
platform cannot fork warm kernels (not Linux), when ``MAROC_EVAL_WARM_KERNELS=0``, when the
temporary folder's path is too long for the warm process's Unix socket, or when the warm process
does not start in time. The kernel spec is installed by ``make venv``
(:mod:`maroc_eval.run.kernelspec`).
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import hashlib
import os
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from jupyter_client.provisioning import LocalProvisioner
from traitlets import Float

from ..base import paths
from .warm_kernel import SOCKET_NAME, WarmProcess, supported

ENV_SWITCH = "MAROC_EVAL_WARM_KERNELS"
_OFF = {"0", "false", "no", "non", "off"}

SOCKET_ROOM = len(f"/maroc-eval-{'x' * 8}/{SOCKET_NAME}")
"""What the warm process's socket adds to the temporary folder's path (``mkdtemp``'s folder)."""

_LOCK = threading.Lock()
_WARM: list[WarmProcess] = []  # this client's warm process, once started
_ATEXIT: list[bool] = []


def warm_enabled() -> bool:
    """Whether kernels are forked from a warm process here: Linux, not switched off, and a
    temporary folder whose path leaves room for the warm process's socket."""
    return supported() and os.environ.get(ENV_SWITCH, "1").strip().lower() not in _OFF \
        and paths.socket_fits(tempfile.gettempdir(), SOCKET_ROOM)


def code_fingerprint() -> str:
    """The package's code as it is on disk now: the name, size and modification time of each of
    its modules (a ``stat`` each, nothing read; about 170 files)."""
    h = hashlib.sha256()
    for path in sorted(paths.PACKAGE_DIR.rglob("*.py")):
        with contextlib.suppress(OSError):
            info = path.stat()
            h.update(f"{path}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    return h.hexdigest()


def start_warm_process() -> WarmProcess | None:
    """This client's warm process, started now if it is not running (without waiting for it);
    ``None`` when warm kernels are off.

    A client may live long (a JupyterLab server): when the package's code changed on disk since
    its warm process imported it, that process is stopped (the kernels forked from it go on) and
    a new one imports the code as it is now, so a restarted kernel runs the current code.
    """
    if not warm_enabled():
        return None
    with _LOCK:
        code = code_fingerprint()  # taken before the new process imports anything
        if _WARM and _WARM[0].process.poll() is None and _WARM[0].code == code:
            return _WARM[0]
        while _WARM:
            _WARM.pop().close()
        warm = WarmProcess(Path(tempfile.mkdtemp(prefix="maroc-eval-")))
        warm.code = code
        _WARM.append(warm)
        if not _ATEXIT:
            atexit.register(stop_warm_process)
            _ATEXIT.append(True)
        return _WARM[0]


def warm_process_running() -> bool:
    """Whether this client has a live warm process."""
    with _LOCK:
        return bool(_WARM) and _WARM[0].process.poll() is None


def stop_warm_process() -> None:
    """Stop this client's warm process, if any (kernels already forked end with their
    stand-ins); the next warm kernel starts a new one."""
    with _LOCK:
        while _WARM:
            _WARM.pop().close()


class WarmProvisioner(LocalProvisioner):
    """``LocalProvisioner`` launching kernels forked from a warm process (see the module)."""

    warm_timeout = Float(60.0, config=True,
                         help="Seconds to wait for the warm process before a plain kernel.")

    async def pre_launch(self, **kwargs: Any) -> dict[str, Any]:
        """Prepare the launch as ``LocalProvisioner`` does; then, if the warm process is ready,
        replace the kernel command by the stand-in (the connection file's ``-f`` kept)."""
        kwargs = await super().pre_launch(**kwargs)
        cmd = kwargs.get("cmd") or []
        warm = start_warm_process() if "-f" in cmd else None
        if warm is not None:
            deadline = time.monotonic() + self.warm_timeout
            while not warm.ready() and warm.process.poll() is None \
                    and time.monotonic() < deadline:
                await asyncio.sleep(0.02)
            if warm.ready():
                kwargs["cmd"] = [*warm.command(), *cmd[cmd.index("-f"):]]
        return kwargs
