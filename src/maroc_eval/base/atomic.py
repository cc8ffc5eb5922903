"""Writing in the outputs folder: atomic files (a reader sees the previous file or the new one,
never half of one) and caches kept to their most recent entries.

Kept apart from :mod:`.sidecar` (pydantic models) so that the runner's first steps, which start
the warm kernel process before anything heavy is imported, can write files too.
"""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path


def write_atomic(path: Path, text: str | bytes) -> None:
    """Write a file through a temporary name in the same folder, then rename it.

    A crash or an interrupt leaves either the previous file or the new one, never half of one.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8") if isinstance(text, str) else text
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600: readable as any file the user writes
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    """The process's umask (read by setting it, then restoring it: the only way POSIX offers)."""
    with _UMASK_LOCK:
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


_UMASK_LOCK = threading.Lock()


def _new_umask_lock() -> None:  # a forked child must not inherit the lock held by another thread
    global _UMASK_LOCK
    _UMASK_LOCK = threading.Lock()


os.register_at_fork(after_in_child=_new_umask_lock)


def prune(folder: Path, pattern: str, keep: int) -> None:
    """Delete all but the ``keep`` most recently modified files of ``folder`` matching ``pattern``.

    For the caches under ``outputs/.cache``: an entry removed is only computed again.
    """
    entries = []
    for path in Path(folder).glob(pattern):
        try:
            entries.append((path.stat().st_mtime_ns, path))
        except OSError:  # removed meanwhile
            continue
    for _, old in sorted(entries, reverse=True)[keep:]:
        old.unlink(missing_ok=True)
