"""Fresh kernels forked from a warm process: kernel start without the import cost.

Starting an IPython kernel costs about a second of CPU (Python, IPython, ipykernel, zmq), and
each notebook then imports pandas, matplotlib and this package (about 1.5 s more). A *zygote*
process imports all that once per run; each kernel is a ``fork()`` of it, so it starts with those
modules already in memory, and with nothing else: no notebook has run in the zygote, every
notebook still gets its own new process and an empty namespace (``matplotlib.pyplot``, which
hooks itself into the running kernel on import, is left for the kernel to import; the modules
behind it are warm).

jupyter_client launches, as the kernel command, a tiny stand-in (``python -S -m`` of this module
with ``connect``): it asks the zygote over a Unix socket to fork a kernel for its connection file,
then waits for that kernel to end, passing on interrupt and termination signals. The forked kernel
watches the stand-in and exits as soon as it is gone, so killing the stand-in (which is what
``KernelManager`` does) kills the kernel; the stand-in kills its kernel when the runner dies
(even by ``kill -9``), and the zygote exits when the runner's pipe to it closes.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

# matplotlib.figure and the Agg renderer are most of what importing pyplot costs (0.18 s of
# 0.2 s per notebook); neither touches IPython, so pyplot itself is still imported, and hooked
# into the kernel, by each notebook. For the same reason the notebook views that import pyplot
# (charts, grids, riview, ri_specific, pair_synthesis, programme_synthesis, explore) are left to
# the kernel: what they add once the modules below are warm is about 0.02 s. Names only: run/
# never imports notebook/ itself.
WARM_MODULES = ("numpy", "pandas", "matplotlib", "matplotlib.figure",
                "matplotlib.backends.backend_agg", "IPython", "ipykernel.kernelapp",
                "ipykernel.ipkernel", "maroc_eval.markup", "maroc_eval.sidecar",
                "maroc_eval.core.indicators", "maroc_eval.core.series", "maroc_eval.notebook",
                "maroc_eval.notebook.context", "maroc_eval.notebook.display",
                "maroc_eval.notebook.sidecars", "maroc_eval.notebook.tables")
# The fragment template notebooks render, compiled once here rather than in each kernel
# (``sections.html.j2`` is the reports' own: no kernel renders it).
WARM_TEMPLATES = ("fragments/blocks.html.j2",)
INLINE = "module://matplotlib_inline.backend_inline"


# -- the zygote ------------------------------------------------------------------------------
def serve(socket_path: str) -> None:
    """Import the stack, then fork a kernel for each request until stdin closes."""
    import importlib

    os.environ.setdefault("MPLBACKEND", INLINE)
    for name in WARM_MODULES:
        with contextlib.suppress(Exception):
            importlib.import_module(name)
    with contextlib.suppress(Exception):
        from maroc_eval import markup

        for template in WARM_TEMPLATES:
            markup.environment().get_template(template)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(socket_path)
    _SOCKET.append(socket_path)
    server.listen(64)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # forked kernels are reaped automatically
    threading.Thread(target=_exit_on_eof, daemon=True).start()
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    while True:
        conn, _ = server.accept()
        request = json.loads(_read_line(conn))
        pid = os.fork()
        if pid == 0:
            server.close()
            _kernel(request, conn)
        conn.sendall(f"{pid}\n".encode())
        conn.close()


def _exit_on_eof() -> None:
    """End the zygote when the runner's pipe closes (the runner ended, however it ended),
    removing the private folder of its socket."""
    sys.stdin.read()
    if _SOCKET:
        shutil.rmtree(Path(_SOCKET[0]).parent, ignore_errors=True)
    os._exit(0)


_SOCKET: list[str] = []  # the zygote's socket path, for the clean-up at its end


def _read_line(conn: socket.socket) -> str:
    data = b""
    while not data.endswith(b"\n"):
        chunk = conn.recv(65536)
        if not chunk:
            break
        data += chunk
    return data.decode()


def _kernel(request: dict, conn: socket.socket) -> None:
    """In the forked child: become the kernel described by ``request`` (never returns)."""
    code = 1
    try:
        conn.close()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        os.environ.clear()
        os.environ.update(request["env"])
        os.chdir(request["cwd"])
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        _watch(request["watch"])
        from ipykernel.kernelapp import IPKernelApp

        app = IPKernelApp.instance()
        app.initialize(request["argv"])
        app.start()
        code = 0
    finally:
        os._exit(code)


def _watch(pid: int) -> None:
    """Exit this process as soon as process ``pid`` (the stand-in) ends."""
    fd = os.pidfd_open(pid)

    def wait() -> None:
        select.select([fd], [], [])
        os._exit(1)

    threading.Thread(target=wait, daemon=True).start()


# -- the stand-in jupyter_client launches --------------------------------------------------
def connect(socket_path: str, argv: list[str]) -> int:
    """Ask the zygote for a kernel, relay signals to it, wait for its end.

    The runner is watched from the stand-in's first instant (its pid taken before anything
    else): if it dies at any moment — even while the zygote is forking the kernel — the stand-in
    kills the kernel and ends.
    """
    runner = os.getppid()
    if runner == 1:
        return 1  # the runner is already gone: start nothing
    try:
        parent_fd = os.pidfd_open(runner)  # the runner: if it dies, so does the kernel
    except ProcessLookupError:
        return 1
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    conn.connect(socket_path)
    request = {"argv": argv, "cwd": os.getcwd(), "env": dict(os.environ), "watch": os.getpid()}
    conn.sendall((json.dumps(request) + "\n").encode())
    kernel = int(_read_line(conn))
    conn.close()

    def relay(signum, _frame):
        with contextlib.suppress(ProcessLookupError):
            os.kill(kernel, signum)
        if signum == signal.SIGTERM:
            os._exit(0)

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT, signal.SIGUSR1):
        signal.signal(signum, relay)
    try:
        kernel_fd = os.pidfd_open(kernel)
    except ProcessLookupError:
        return 1
    while True:
        try:
            ready, _, _ = select.select([kernel_fd, parent_fd], [], [])
        except InterruptedError:
            continue
        if parent_fd in ready and kernel_fd not in ready:
            with contextlib.suppress(ProcessLookupError):
                os.kill(kernel, signal.SIGKILL)
            return 1
        return 0


class Zygote:
    """The warm process kernels are forked from (one per run).

    Parameters
    ----------
    folder : Path
        Where its Unix socket lives (a short private folder).
    cwd : Path
        Its working directory.
    """

    def __init__(self, folder: Path, cwd: Path):
        self.socket_path = str(Path(folder) / "zygote.sock")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "maroc_eval.run.kernel_fork", "serve", self.socket_path],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=cwd)
        self._ready = threading.Event()
        threading.Thread(target=self._wait_ready, daemon=True).start()

    def _wait_ready(self) -> None:
        self.process.stdout.readline()
        self._ready.set()

    def wait(self, timeout: float = 60) -> bool:
        """Wait until the zygote listens; False if it died or timed out."""
        return self._ready.wait(timeout) and self.process.poll() is None

    def command(self) -> list[str]:
        """The stand-in's command; the kernel's own arguments (``-f …``) follow it."""
        return [sys.executable, "-S", str(Path(__file__).resolve()), "connect", self.socket_path]

    def close(self) -> None:
        """Stop the zygote (kernels already forked end with their stand-ins) and remove the
        folder of its socket."""
        if self.process.poll() is None:
            if not self._ready.is_set():  # still importing (a run stopped early): no wait
                self.process.kill()
            self.process.stdin.close()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(Path(self.socket_path).parent, ignore_errors=True)


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(sys.argv[2])
    else:
        raise SystemExit(connect(sys.argv[2], sys.argv[3:]))
