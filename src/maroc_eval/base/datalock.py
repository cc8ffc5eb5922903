"""The lock of a data folder: one writer at a time, a second one waits a bounded time.

Taken by :class:`maroc_eval.base.transaction.DataTransaction` (every write of a data folder) and by
:func:`maroc_eval.base.journal.recover` when it has a commit to finish.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from . import paths
from .errors import LockedError, OutputError, display_path, os_reason
from .i18n import _

DEFAULT_WAIT = 30.0
"""Seconds a second writer waits for a data folder's lock before giving up."""


class DataLock:
    """``flock`` on a data folder's lock file (:func:`maroc_eval.base.paths.data_lock_path`); the
    holder's pid and start time are written in it for the message a second writer shows.

    The system releases it when the process ends, even killed. Not re-entrant: a process holding
    it must not take it again.
    """

    def __init__(self, data_dir: Path):
        self.data_dir = Path(data_dir)
        self.path = paths.data_lock_path(data_dir)
        self.fd: int | None = None

    def _open(self) -> int:
        try:
            return os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
        except OSError as exc:
            raise OutputError(_("Impossible d'écrire dans le dossier de données « {folder} » : "
                                "{reason}. Rien n'a été écrit.").format(
                                    folder=display_path(self.data_dir),
                                    reason=os_reason(exc))) from None

    def acquire(self, wait: float, echo: Callable[[str], None] | None = None,
                blocking: bool = True) -> bool:
        """Take the lock, waiting up to ``wait`` seconds; ``False`` if not ``blocking`` and
        taken by another process.

        Raises
        ------
        LockedError
            Another process held it for ``wait`` seconds.
        """
        fd = self._open()
        deadline = time.monotonic() + max(0.0, wait)
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or _("inconnu")
                if not blocking or time.monotonic() >= deadline:
                    os.close(fd)
                    if not blocking:
                        return False
                    raise LockedError(_(
                        "Le dossier de données « {folder} » est en cours d'écriture par une "
                        "autre commande ({holder}) depuis plus de {wait} s ; rien n'a été écrit. "
                        "Relancez cette commande quand l'autre sera terminée.").format(
                            folder=display_path(self.data_dir), holder=holder,
                            wait=f"{wait:g}")) from None
                if not told and echo is not None:
                    echo(_("En attente : une autre commande écrit dans le dossier de données "
                           "« {folder} » ({holder}).").format(
                               folder=display_path(self.data_dir), holder=holder))
                    told = True
                time.sleep(0.05)
        try:
            os.ftruncate(fd, 0)
            stamp = dt.datetime.now().isoformat(timespec="seconds")
            os.pwrite(fd, _("pid {pid}, depuis {time}").format(
                pid=os.getpid(), time=stamp).encode("utf-8") + b"\n", 0)
        except OSError:
            pass  # the text only helps the message of a second writer
        self.fd = fd
        return True

    def release(self) -> None:
        """Release the lock (the file stays)."""
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None


@contextlib.contextmanager
def holding(data_dir: Path, wait: float = DEFAULT_WAIT,
            echo: Callable[[str], None] | None = None) -> Iterator[DataLock]:
    """Hold a data folder's lock for a block, waiting up to ``wait`` seconds for it.

    For a command that writes one file or one new folder into the data folder by a rename
    (atomic by itself): several files go through
    :class:`maroc_eval.base.transaction.DataTransaction`.

    Raises
    ------
    LockedError
        Another process held it for ``wait`` seconds.
    """
    lock = DataLock(data_dir)
    lock.acquire(wait, echo)
    try:
        yield lock
    finally:
        lock.release()
