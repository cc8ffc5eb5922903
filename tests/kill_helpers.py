"""Interrupting a data-folder transaction at each of its writes, in a process of its own.

:func:`killed_at` runs Python code in a new process where the ``n``-th call of any write of
:mod:`maroc_eval.base.journal` (:data:`~maroc_eval.base.journal.WRITES`) kills the process with
SIGKILL before it happens: no ``finally``, no exit handler runs, as when the machine stops.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

KILLER = """
import os, signal, sys
from maroc_eval.base import journal

step, seen = int(sys.argv[1]), [0]

def interrupt(write):
    def wrapped(*args, **kwargs):
        seen[0] += 1
        if seen[0] == step:
            os.kill(os.getpid(), signal.SIGKILL)
        return write(*args, **kwargs)
    return wrapped

for name in journal.WRITES:
    setattr(journal, name, interrupt(getattr(journal, name)))
exec(sys.argv[2])
"""


def killed_at(step: int, code: str, cwd: Path, env: dict | None = None
              ) -> subprocess.CompletedProcess:
    """Run ``code`` in a new Python process killed just before its ``step``-th write (1 = the
    first); ``returncode`` is ``-9`` when it was killed, its own status otherwise."""
    return subprocess.run([sys.executable, "-c", KILLER, str(step), code], cwd=cwd,
                          env={**os.environ, **(env or {})}, capture_output=True, text=True,
                          timeout=300, check=False)


def cli_code(*args) -> str:
    """Python code running ``maroc-eval <args>`` as the command line does."""
    argv = ["maroc-eval", *(str(a) for a in args)]
    return f"import sys\nsys.argv = {argv!r}\nfrom maroc_eval.cli import main\nmain()\n"
