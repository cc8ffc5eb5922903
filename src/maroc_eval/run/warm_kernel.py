"""The warm process behind the ``maroc-eval`` kernel spec: kernel start without the import cost.

Starting an IPython kernel costs about a second of CPU (Python, IPython, ipykernel, zmq), and
each notebook then imports pandas, matplotlib and this package (about 1.5 s more). A *warm
process* imports all that once per Jupyter client (``maroc-eval run``, papermill, a JupyterLab
server); each kernel is a ``fork()`` of it, so it starts with those modules in memory and with
nothing else: no notebook has run in the warm process, every notebook still gets its own new
process and an empty namespace. What it imports is data:
:data:`maroc_eval.base.catalogue.WARM_IMPORTS`
(what the battery's notebooks import), read when it starts.

The warm process runs a single thread (its loop waits on its socket and on its stdin with
``select``), so each ``fork()`` is of a single-threaded process. It ends when its client's pipe
to it closes, however the client ended.

jupyter_client launches, as the kernel command (:mod:`maroc_eval.run.provisioner` rewrites it),
a tiny stand-in (``python -S`` of this file with ``connect``): it asks the warm process over a
Unix socket to fork a kernel for its connection file, then waits for that kernel to end, passing
on interrupt and termination signals. The forked kernel watches the stand-in and exits as soon
as it is gone, so killing the stand-in (what ``KernelManager`` does) kills the kernel; the
stand-in kills its kernel when the client dies (even by ``kill -9``).

Linux only (``os.fork``, ``os.pidfd_open``): elsewhere the provisioner launches the plain kernel.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

INLINE = "module://matplotlib_inline.backend_inline"
BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
"""The thread-pool sizes of the numerical libraries, set to 1 in the warm process."""


SOCKET_NAME = "warm.sock"
"""The warm process's Unix socket, in its private folder."""


def supported() -> bool:
    """Whether this platform can fork warm kernels (Linux: ``os.fork`` and ``os.pidfd_open``)."""
    return sys.platform.startswith("linux") and hasattr(os, "pidfd_open") \
        and hasattr(os, "fork")


# -- the warm process ------------------------------------------------------------------------
def serve(socket_path: str) -> None:
    """Import the stack, then fork a kernel for each request until stdin closes.

    One thread only: the loop waits on the listening socket and on stdin together.
    """
    import importlib

    os.environ.setdefault("MPLBACKEND", INLINE)
    # numerical libraries start their thread pools when imported: one thread each, so that
    # the warm process stays single-threaded and every fork is of one thread only
    for name in BLAS_THREADS:
        os.environ[name] = "1"
    from maroc_eval.base.catalogue import WARM_IMPORTS, WARM_TEMPLATES

    for name in WARM_IMPORTS:
        with contextlib.suppress(Exception):  # a module missing here is imported by the kernel
            importlib.import_module(name)
    with contextlib.suppress(Exception):
        from maroc_eval.base import markup

        for template in WARM_TEMPLATES:
            markup.environment().get_template(template)
    # Every object imported so far is moved out of the collector's reach (what the gc module's
    # documentation advises before fork()): otherwise each kernel's first full collection walks
    # them all and so copies their memory pages into the kernel (measured: 0.1 s per kernel).
    gc.collect()
    gc.freeze()
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(socket_path)
    server.listen(64)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # forked kernels are reaped automatically
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    stdin = sys.stdin.fileno()
    while True:
        try:
            ready, _, _ = select.select([server, stdin], [], [])
        except InterruptedError:
            continue
        if stdin in ready and not os.read(stdin, 4096):  # the client's pipe closed: end
            server.close()
            shutil.rmtree(Path(socket_path).parent, ignore_errors=True)
            os._exit(0)
        if server in ready:
            conn, _ = server.accept()
            request = json.loads(_read_line(conn))
            pid = os.fork()
            if pid == 0:
                server.close()
                _kernel(request, conn)
            conn.sendall(f"{pid}\n".encode())
            conn.close()


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
    """Exit this process as soon as process ``pid`` (the stand-in) ends (a thread started
    after the fork, in the kernel)."""
    fd = os.pidfd_open(pid)

    def wait() -> None:
        select.select([fd], [], [])
        os._exit(1)

    threading.Thread(target=wait, daemon=True).start()


# -- the stand-in jupyter_client launches --------------------------------------------------
def connect(socket_path: str, argv: list[str]) -> int:
    """Ask the warm process for a kernel, relay signals to it, wait for its end.

    The client is watched from the stand-in's first instant (its pid taken before anything
    else): if it dies at any moment — even while the warm process is forking the kernel — the
    stand-in kills the kernel and ends.
    """
    client = os.getppid()
    if client == 1:
        return 1  # the client is already gone: start nothing
    try:
        parent_fd = os.pidfd_open(client)
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


class WarmProcess:
    """The warm process kernels are forked from, started by (and tied to) this client process.

    Parameters
    ----------
    folder : Path
        Where its Unix socket lives (a short private folder, removed when it ends).
    """

    def __init__(self, folder: Path):
        self.socket_path = str(Path(folder) / SOCKET_NAME)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "maroc_eval.run.warm_kernel", "serve", self.socket_path],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            cwd=folder)
        self.code = ""  # the package's code it imported (set by its starter)
        self._ready = False
        self._said = b""
        self._lock = threading.Lock()

    def ready(self) -> bool:
        """Whether it listens; False while it imports, or if it died. Never blocks: kernels
        start in several threads at once, and a blocking read after another thread has taken
        the line would wait forever (only what is already in the pipe is read, byte by byte
        up to the line's end, under a lock)."""
        with self._lock:
            if not self._ready and self.process.poll() is None:
                fd = self.process.stdout.fileno()
                while b"\n" not in self._said and select.select([fd], [], [], 0)[0]:
                    byte = os.read(fd, 1)
                    if not byte:  # the pipe closed: it died
                        break
                    self._said += byte
                self._ready = self._said == b"ready\n"
            return self._ready and self.process.poll() is None

    def wait(self, timeout: float = 60) -> bool:
        """Wait until it listens; False if it died or timed out."""
        deadline = time.monotonic() + timeout
        while not self.ready():
            if self.process.poll() is not None or time.monotonic() > deadline:
                return False
            select.select([self.process.stdout], [], [], min(0.5, timeout))
        return True

    def command(self) -> list[str]:
        """The stand-in's command; the kernel's own arguments (``-f …``) follow it."""
        return [sys.executable, "-S", str(Path(__file__).resolve()), "connect", self.socket_path]

    def close(self) -> None:
        """Stop it (kernels already forked end with their stand-ins); remove its folder."""
        if self.process.poll() is None:
            if not self._ready:  # still importing (a run stopped early): no wait
                self.process.kill()
            with contextlib.suppress(OSError):
                self.process.stdin.close()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        with contextlib.suppress(OSError):
            self.process.stdout.close()
        shutil.rmtree(Path(self.socket_path).parent, ignore_errors=True)


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(sys.argv[2])
    else:
        raise SystemExit(connect(sys.argv[2], sys.argv[3:]))
