"""Writing in a data folder: its lock, several files staged, one commit, all or nothing.

Every command that writes in a data folder goes through :class:`DataTransaction`
(``maroc-eval importer`` does; an importer of the evaluators' grids would too)::

    with DataTransaction(data_dir) as tx:       # the folder's lock; an interrupted commit
        ...                                     # is finished first; read, decide
        tx.stage(data_dir / "collecte-2012-03-14-liege-tanger.csv", data, new=True)
        tx.stage(data_dir / "recus" / "2012-03-14-liege-tanger-tanger.xlsx", raw, new=True)
        tx.commit()                             # every staged file lands, or none
    # leaving the block without commit() changes nothing

What it guarantees:

- **one writer at a time**: ``flock`` on ``<data>/.maroc-eval-donnees.lock``. A second writer
  waits up to ``wait`` seconds (saying so), then gets :class:`~maroc_eval.base.errors.LockedError`
  (exit status 2) and writes nothing. The system releases the lock when a process ends, even
  killed.
- **staging changes nothing visible**: :meth:`DataTransaction.stage` writes the new bytes to a
  temporary file beside the target (``.maroc-eval-<random>.en-attente``: never read as data),
  flushed to disk.
- **commit is all or nothing**: :meth:`DataTransaction.commit` first writes a journal
  (``<data>/.maroc-eval-journal.json``, atomically, flushed) naming each staged file, its target
  and its SHA-256; then moves each file into place (a ``new`` file by a hard link, which never
  overwrites one; another by an atomic rename); then deletes the journal.
- **recovery**: :func:`recover` finishes a commit a killed process left (its journal exists, so
  every staged file is complete: each is checked against its digest, then moved into place) and
  deletes staged files no journal names (a transaction killed before its commit: rolled back).
  Every command of the command line calls it before reading a data folder, and a transaction
  calls it when it takes the lock: after any interruption, the next command sees the complete
  old state or the complete new one.

The API is this module's :class:`DataTransaction`, :func:`recover` and :data:`DEFAULT_WAIT`;
the lock is :mod:`maroc_eval.base.datalock`, the journal and the writes
:mod:`maroc_eval.base.journal`.

A commit's moves take microseconds; a command that started reading the folder before a commit
and reads several files during it could see both states, but the files of one import are the
only data files it writes (one new file), so a reader never sees half an import.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import journal
from .datalock import DEFAULT_WAIT, DataLock
from .digest import sha256
from .errors import OutputError, display_path, os_reason
from .i18n import _
from .journal import recover

__all__ = ["DEFAULT_WAIT", "DataTransaction", "recover"]


@dataclass(frozen=True)
class _Staged:
    stage: Path
    target: Path
    digest: str
    new: bool


class DataTransaction:
    """Lock a data folder, stage new files' bytes, commit them all at once (see the module).

    Parameters
    ----------
    data_dir : Path
        The data folder; every staged file must be inside it (sub-folders included, never
        through a symbolic link).
    wait : float
        Seconds to wait for another writer's lock (default :data:`DEFAULT_WAIT`).
    echo : callable, optional
        Told once when waiting, and when an interrupted commit is finished.
    """

    def __init__(self, data_dir: Path, *, wait: float = DEFAULT_WAIT,
                 echo: Callable[[str], None] | None = None):
        self.data_dir = Path(data_dir)
        self.wait = wait
        self.echo = echo
        self.committed = False
        self._lock = DataLock(self.data_dir)
        self._staged: dict[Path, _Staged] = {}

    def __enter__(self) -> DataTransaction:
        if not self.data_dir.is_dir():
            raise OutputError(_("Dossier de données introuvable : « {folder} ».").format(
                folder=display_path(self.data_dir)))
        self._lock.acquire(self.wait, self.echo)
        try:
            journal.finish(self.data_dir, self.echo)
        except BaseException:
            self._lock.release()
            raise
        return self

    def __exit__(self, *exc) -> None:
        try:
            if not self.committed:
                self.discard()
        finally:
            self._lock.release()

    def stage(self, target: Path, data: bytes, *, new: bool = False) -> None:
        """Write ``data`` beside ``target``, to land there at :meth:`commit`.

        Parameters
        ----------
        target : Path
            Inside the data folder; missing sub-folders are created.
        data : bytes
        new : bool
            The target must not exist (a new file: never overwritten, even by a commit).

        Raises
        ------
        OutputError
            The target is outside the data folder, behind a symbolic link, or exists when
            ``new``; or the file cannot be written.
        """
        if self._lock.fd is None or self.committed:
            raise RuntimeError("stage() outside an open transaction")
        target = _inside(self.data_dir, Path(target))
        if new and (target.exists() or target.is_symlink()):
            raise OutputError(_("« {path} » existe déjà : rien n'a été écrit.").format(
                path=display_path(target)))
        if target in self._staged:
            journal.remove(self._staged[target].stage)
        try:
            stage = journal.stage_file(target.parent, data)
        except OSError as exc:
            raise OutputError(_write_problem(target, exc)) from None
        self._staged[target] = _Staged(stage, target, sha256(data), new)

    def commit(self) -> list[Path]:
        """Land every staged file: the journal first, then each file, then no journal.

        Returns
        -------
        list of Path
            The files written.

        Raises
        ------
        OutputError
            The journal could not be written (nothing changed), or a file could not be moved
            into place (the journal stays: the next command finishes the commit).
        """
        if self._lock.fd is None or self.committed:
            raise RuntimeError("commit() outside an open transaction")
        staged = list(self._staged.values())
        entries = [{"stage": _relative(self.data_dir, s.stage),
                    "target": _relative(self.data_dir, s.target),
                    "sha256": s.digest, "new": s.new} for s in staged]
        if entries:
            try:
                journal.commit(self.data_dir, entries)
            except OSError as exc:
                raise OutputError(_write_problem(self.data_dir, exc)) from None
        self.committed = True
        self._staged.clear()
        return [s.target for s in staged]

    def discard(self) -> None:
        """Delete the staged files (nothing was committed)."""
        for staged in self._staged.values():
            journal.remove(staged.stage)
        self._staged.clear()


def _write_problem(path: Path, exc: OSError) -> str:
    return _("Impossible d'écrire « {path} » : {reason}. Rien n'a été écrit.").format(
        path=display_path(path), reason=os_reason(exc))


def _inside(data_dir: Path, target: Path) -> Path:
    """``target`` made absolute, checked inside the data folder with no symbolic link on the
    way (the data folder itself may be one); its missing folders are created."""
    base, absolute = journal.absolute(data_dir), journal.absolute(target)
    try:
        parts = absolute.relative_to(base).parts
    except ValueError:
        parts = ()
    if not parts or absolute.is_symlink():
        raise OutputError(_("« {path} » n'est pas un fichier du dossier de données « {folder} » "
                            "(hors du dossier, ou lien symbolique) : rien n'a été écrit.").format(
                                path=display_path(target), folder=display_path(data_dir)))
    folder = base
    for part in parts[:-1]:
        folder = folder / part
        if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
            raise OutputError(_("« {path} » n'est pas un dossier (c'est un lien symbolique ou "
                                "un fichier) : rien n'a été écrit dans le dossier de données "
                                "« {folder} ».").format(path=display_path(folder),
                                                         folder=display_path(data_dir)))
        folder.mkdir(exist_ok=True)
    return absolute


def _relative(data_dir: Path, path: Path) -> str:
    return journal.absolute(path).relative_to(journal.absolute(data_dir)).as_posix()
