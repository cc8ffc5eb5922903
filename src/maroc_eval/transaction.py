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
  waits up to ``wait`` seconds (saying so), then gets :class:`~maroc_eval.errors.LockedError`
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

A commit's moves take microseconds; a command that started reading the folder before a commit
and reads several files during it could see both states, but the files of one import are the
only data files it writes (one new file), so a reader never sees half an import.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import paths
from .digest import file_sha256, sha256
from .errors import LockedError, OutputError, display_path, os_reason
from .i18n import _

DEFAULT_WAIT = 30.0
"""Seconds a second writer waits for a data folder's lock before giving up."""
JOURNAL_FORMAT = 1
WRITES = ("_write_file", "_link", "_rename", "_remove")
"""The functions of this module through which every change to a data folder goes, in order
of a commit's steps (tests interrupt a transaction at each call of each)."""


@dataclass(frozen=True)
class _Staged:
    stage: Path
    target: Path
    digest: str
    new: bool


# -- the writes (in one place, so that tests can interrupt each) ----------------------------
def _write_file(path: Path, data: bytes) -> None:
    """Create ``path`` (it must not exist) with ``data``, flushed to disk."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    finally:
        os.close(fd)


def _link(stage: Path, target: Path) -> None:
    """Give a staged file its new name; ``FileExistsError`` if taken (never overwrites)."""
    os.link(stage, target)


def _rename(stage: Path, target: Path) -> None:
    """Move a staged file over its target, atomically."""
    os.replace(stage, target)


def _put(stage: Path, target: Path, new: bool) -> None:
    """Move a staged file to its target: a new file by a hard link, another by a rename."""
    if new:
        _link(stage, target)
        _remove(stage)
    else:
        _rename(stage, target)


def _remove(path: Path) -> None:
    path.unlink(missing_ok=True)


def _sync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# -- the lock ------------------------------------------------------------------------------
class _FolderLock:
    """``flock`` on a data folder's lock file; the holder's pid and start time written in it."""

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
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None


# -- the transaction -----------------------------------------------------------------------
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
        self._lock = _FolderLock(self.data_dir)
        self._staged: dict[Path, _Staged] = {}

    def __enter__(self) -> DataTransaction:
        if not self.data_dir.is_dir():
            raise OutputError(_("Dossier de données introuvable : « {folder} ».").format(
                folder=display_path(self.data_dir)))
        self._lock.acquire(self.wait, self.echo)
        try:
            _finish(self.data_dir, self.echo)
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
            _remove(self._staged[target].stage)
        stage = target.parent / f"{paths.STAGE_PREFIX}{secrets.token_hex(8)}{paths.STAGE_SUFFIX}"
        try:
            _write_file(stage, data)
        except OSError as exc:
            _remove(stage)
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
        if not staged:
            self.committed = True
            return []
        entries = [{"stage": _relative(self.data_dir, s.stage),
                    "target": _relative(self.data_dir, s.target),
                    "sha256": s.digest, "new": s.new} for s in staged]
        journal = paths.data_journal_path(self.data_dir)
        text = json.dumps({"format": JOURNAL_FORMAT, "pid": os.getpid(), "files": entries},
                          ensure_ascii=False, indent=1)
        tmp = self.data_dir / f"{paths.STAGE_PREFIX}{secrets.token_hex(8)}{paths.STAGE_SUFFIX}"
        try:
            for folder in {s.stage.parent for s in staged}:
                _sync_dir(folder)
            _write_file(tmp, text.encode("utf-8"))
            _rename(tmp, journal)
            _sync_dir(self.data_dir)
        except OSError as exc:
            _remove(tmp)
            raise OutputError(_write_problem(journal, exc)) from None
        self.committed = True
        _apply(self.data_dir, entries)
        _remove(journal)
        _sync_dir(self.data_dir)
        self._staged.clear()
        return [s.target for s in staged]

    def discard(self) -> None:
        """Delete the staged files (nothing was committed)."""
        for staged in self._staged.values():
            _remove(staged.stage)
        self._staged.clear()


def _write_problem(path: Path, exc: OSError) -> str:
    return _("Impossible d'écrire « {path} » : {reason}. Rien n'a été écrit.").format(
        path=display_path(path), reason=os_reason(exc))


def _absolute(path: Path) -> Path:
    """An absolute path, ``..`` removed lexically (symbolic links are not resolved)."""
    return Path(os.path.abspath(path))


def _inside(data_dir: Path, target: Path) -> Path:
    """``target`` made absolute, checked inside the data folder with no symbolic link on the
    way (the data folder itself may be one); its missing folders are created."""
    base, absolute = _absolute(data_dir), _absolute(target)
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
    return _absolute(path).relative_to(_absolute(data_dir)).as_posix()


# -- recovery ------------------------------------------------------------------------------
def _apply(data_dir: Path, entries: list[dict]) -> None:
    """Move each staged file of a journal into place (already moved ones are checked)."""
    root = _absolute(data_dir)
    for entry in entries:
        stage, target = root / entry["stage"], root / entry["target"]
        try:
            if stage.exists():
                if file_sha256(stage) != entry["sha256"]:
                    raise OutputError(_unfinished(data_dir, target))
                try:
                    _put(stage, target, bool(entry["new"]))
                except FileExistsError:  # linked before an interruption, or a file put there
                    if file_sha256(target) != entry["sha256"]:
                        raise OutputError(_unfinished(data_dir, target)) from None
                    _remove(stage)
            elif file_sha256(target) != entry["sha256"]:
                raise OutputError(_unfinished(data_dir, target))
        except OSError as exc:
            raise OutputError(_unfinished(data_dir, target, exc)) from None
    for folder in {(root / e["target"]).parent for e in entries}:
        _sync_dir(folder)


def _unfinished(data_dir: Path, target: Path, exc: OSError | None = None) -> str:
    return _("Une écriture interrompue du dossier de données « {folder} » ne peut pas être "
             "terminée : « {path} » {reason}. Le journal {journal} est gardé ; vérifiez ce "
             "fichier avant toute autre commande.").format(
                 folder=display_path(data_dir), path=display_path(target),
                 reason=os_reason(exc) if exc else _("n'a pas le contenu attendu"),
                 journal=display_path(paths.data_journal_path(data_dir)))


def _read_journal(data_dir: Path) -> list[dict] | None:
    journal = paths.data_journal_path(data_dir)
    try:
        doc = json.loads(journal.read_text("utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, ValueError):
        doc = None
    entries = doc.get("files") if isinstance(doc, dict) else None
    keys = {"stage", "target", "sha256", "new"}
    if not isinstance(entries, list) or not all(
            isinstance(e, dict) and keys <= set(e) and all(
                isinstance(e[k], str) and e[k] and not Path(e[k]).is_absolute()
                and ".." not in Path(e[k]).parts for k in ("stage", "target"))
            for e in entries):
        raise OutputError(_("Le journal {journal} est illisible (modifié à la main ?) : la "
                            "dernière écriture du dossier de données ne peut pas être terminée ; "
                            "vérifiez le dossier, puis supprimez ce journal.").format(
                                journal=display_path(journal)))
    return entries


def _leftovers(data_dir: Path) -> list[Path]:
    """Staged files of the folder and its direct sub-folders (symbolic links not followed)."""
    pattern = f"{paths.STAGE_PREFIX}*{paths.STAGE_SUFFIX}"
    found = list(data_dir.glob(pattern))
    try:
        folders = [p for p in data_dir.iterdir() if p.is_dir() and not p.is_symlink()]
    except OSError:
        folders = []
    for folder in folders:
        found += folder.glob(pattern)
    return found


def _finish(data_dir: Path, echo: Callable[[str], None] | None) -> list[Path]:
    """Under the lock: finish a journaled commit, delete staged files no journal names."""
    entries = _read_journal(data_dir)
    done: list[Path] = []
    if entries is not None:
        _apply(data_dir, entries)
        done = [data_dir / e["target"] for e in entries]
        _remove(paths.data_journal_path(data_dir))
        _sync_dir(data_dir)
        if echo is not None:
            echo(_("Le dossier de données « {folder} » gardait une écriture interrompue : elle "
                   "a été terminée ({files}).").format(
                       folder=display_path(data_dir),
                       files=", ".join(display_path(p) for p in done)))
    for leftover in _leftovers(data_dir):
        _remove(leftover)
    return done


def recover(data_dir: Path, *, wait: float = DEFAULT_WAIT,
            echo: Callable[[str], None] | None = None) -> list[Path]:
    """Finish a commit a killed process left in a data folder, or roll back its staging.

    Cheap when there is nothing to do (two directory lookups, no lock taken). With a journal,
    waits for the lock (a live commit ends first); with staged files only, deletes them if no
    other process holds the lock.

    Parameters
    ----------
    data_dir : Path
        The data folder.
    wait : float
        Seconds to wait for the lock when a journal is there.
    echo : callable, optional
        Told what was finished.

    Returns
    -------
    list of Path
        The files a finished commit wrote (empty otherwise).

    Raises
    ------
    LockedError
        A journal is there and another process held the lock for ``wait`` seconds.
    OutputError
        The commit cannot be finished (see the message; the journal is kept).
    """
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        return []
    journal = paths.data_journal_path(data_dir)
    if not journal.exists() and not _leftovers(data_dir):
        return []
    lock = _FolderLock(data_dir)
    if not lock.acquire(wait, echo, blocking=journal.exists()):
        return []  # another process is staging: its files are not leftovers
    try:
        return _finish(data_dir, echo)
    finally:
        lock.release()
