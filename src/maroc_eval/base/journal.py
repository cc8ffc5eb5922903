"""A data folder's commit journal: the writes of a commit, and recovery from a killed one.

:meth:`maroc_eval.base.transaction.DataTransaction.commit` writes the journal
(``<data>/.maroc-eval-journal.json``, atomically, flushed) before it moves any file into
place; the journal names each staged file, its target and its SHA-256. :func:`recover`
finishes a commit a killed process left (its journal exists, so every staged file is
complete: each is checked against its digest, then moved into place) and deletes the staged
files no journal names (a transaction killed before its commit: rolled back).

Every change to a data folder goes through the functions :data:`WRITES` names (tests kill a
process at each of their calls).
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Callable
from pathlib import Path

from . import paths
from .datalock import DEFAULT_WAIT, DataLock
from .digest import file_sha256
from .errors import OutputError, display_path, os_reason
from .i18n import _

JOURNAL_FORMAT = 1
WRITES = ("_write_file", "_link", "_rename", "_remove")
"""The functions of this module through which every change to a data folder goes (tests
interrupt a transaction at each call of each)."""


# -- the writes (in one place, so that tests can interrupt each) ---------------------------
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


def _remove(path: Path) -> None:
    path.unlink(missing_ok=True)


def _put(stage: Path, target: Path, new: bool) -> None:
    """Move a staged file to its target: a new file by a hard link, another by a rename."""
    if new:
        _link(stage, target)
        _remove(stage)
    else:
        _rename(stage, target)


def sync_dir(folder: Path) -> None:
    """Flush a folder's entries (new names, renames) to disk."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def absolute(path: Path) -> Path:
    """An absolute path, ``..`` removed lexically (symbolic links are not resolved)."""
    return Path(os.path.abspath(path))


def stage_file(folder: Path, data: bytes) -> Path:
    """Write ``data`` to a new staged file of ``folder`` (``.maroc-eval-<random>.en-attente``:
    never read as data), flushed; returns it."""
    path = folder / f"{paths.STAGE_PREFIX}{secrets.token_hex(8)}{paths.STAGE_SUFFIX}"
    try:
        _write_file(path, data)
    except BaseException:
        _remove(path)
        raise
    return path


def remove(path: Path) -> None:
    """Delete a staged file (it may be gone)."""
    _remove(path)


# -- a commit ------------------------------------------------------------------------------
def commit(data_dir: Path, entries: list[dict]) -> None:
    """Write the journal, move each staged file into place, delete the journal.

    ``entries``: ``{"stage", "target"}`` (relative to the data folder), ``"sha256"``,
    ``"new"``.

    Raises
    ------
    OSError
        The journal could not be written: nothing changed.
    OutputError
        A file could not be moved into place: the journal stays, the next command finishes.
    """
    data_dir = absolute(data_dir)
    for folder in {(data_dir / e["stage"]).parent for e in entries}:
        sync_dir(folder)
    text = json.dumps({"format": JOURNAL_FORMAT, "pid": os.getpid(), "files": entries},
                      ensure_ascii=False, indent=1)
    tmp = stage_file(data_dir, text.encode("utf-8"))
    try:
        _rename(tmp, paths.data_journal_path(data_dir))
        sync_dir(data_dir)
    except OSError:
        _remove(tmp)
        raise
    _apply(data_dir, entries)
    _remove(paths.data_journal_path(data_dir))
    sync_dir(data_dir)


def _apply(data_dir: Path, entries: list[dict]) -> None:
    """Move each staged file of a journal into place (already moved ones are checked)."""
    root = absolute(data_dir)
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
        sync_dir(folder)


def _unfinished(data_dir: Path, target: Path, exc: OSError | None = None) -> str:
    return _("Une écriture interrompue du dossier de données « {folder} » ne peut pas être "
             "terminée : « {path} » {reason}. Le journal {journal} est gardé ; vérifiez ce "
             "fichier avant toute autre commande.").format(
                 folder=display_path(data_dir), path=display_path(target),
                 reason=os_reason(exc) if exc else _("n'a pas le contenu attendu"),
                 journal=display_path(paths.data_journal_path(data_dir)))


# -- recovery ------------------------------------------------------------------------------
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


def finish(data_dir: Path, echo: Callable[[str], None] | None = None) -> list[Path]:
    """Under the folder's lock: finish a journaled commit, delete staged files no journal
    names; returns the files the finished commit wrote."""
    data_dir = Path(data_dir)
    entries = _read_journal(data_dir)
    done: list[Path] = []
    if entries is not None:
        _apply(data_dir, entries)
        done = [data_dir / e["target"] for e in entries]
        _remove(paths.data_journal_path(data_dir))
        sync_dir(data_dir)
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
    lock = DataLock(data_dir)
    if not lock.acquire(wait, echo, blocking=journal.exists()):
        return []  # another process is staging: its files are not leftovers
    try:
        return finish(data_dir, echo)
    finally:
        lock.release()
