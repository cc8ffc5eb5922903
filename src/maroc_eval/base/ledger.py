"""The run ledger (``outputs/<phase>/ledger.json``) and the lock of an output folder.

The ledger holds the latest state of every notebook of a phase: status, duration, hash of the
resolved parameters, cache key and, for a failure, where and why. A run updates the entries of the
notebooks it touches and keeps the others, so cache keys survive partial runs (``--pair``,
``--ri``). It is rewritten atomically after each notebook, so a crash leaves a consistent file.
"""

from __future__ import annotations

import datetime as dt
import errno
import fcntl
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from . import i18n
from .atomic import write_atomic
from .digest import file_sha256
from .errors import LockedError, OutputError, display_path, os_reason
from .i18n import N_, _

OK = "ok"
FAILED = "failed"
SKIPPED = "skipped-up-to-date"
INTERRUPTED = "interrupted"
STATUSES = (OK, FAILED, SKIPPED, INTERRUPTED)
# Failures whose message the runner already wrote in French: the exception's name is not shown.
TRANSLATED_FAILURES = frozenset({"OSError", "PermissionError", "FileExistsError",
                                 "IsADirectoryError", "NotADirectoryError", "DeadKernelError",
                                 "RésultatAbsent", "TimeoutError", "CellTimeoutError"})
RUN_LABELS = {OK: N_("réussi"), FAILED: N_("échec"), SKIPPED: N_("à jour"),
              INTERRUPTED: N_("interrompu")}
"""Status → its label (French source: translate where shown, ``_(RUN_LABELS[status])``)."""
VALID = (OK, SKIPPED)  # statuses whose outputs a later run may reuse


@dataclass
class Entry:
    """One notebook's line of the ledger."""

    job: str
    notebook: str
    pair: str | None
    phase: str
    status: str
    duration: float
    parameters_hash: str
    cache_key: str
    output: str
    finished: str
    cell: int | None = None
    ename: str | None = None
    evalue: str | None = None
    outputs: dict[str, str] | None = None
    language: str | None = None

    def to_dict(self) -> dict:
        """Plain data for JSON."""
        return asdict(self)


def output_digests(notebook: Path, sidecar: Path) -> dict[str, str]:
    """The sha256 of a job's two outputs, as the ledger records them (``missing`` if absent)."""
    return {"notebook": file_sha256(notebook), "sidecar": file_sha256(sidecar)}


NO_DIGESTS = N_("aucune empreinte enregistrée")
"""Why an entry cannot vouch for its outputs: it recorded no digests (an older ledger)."""
NO_ENTRY = N_("absent du journal d'exécution")
"""Why outputs are not vouched for: the ledger has no entry for them."""


def vouched(entry: dict | None, notebook: Path, sidecar: Path) -> str | None:
    """Why a job's outputs are not those its ledger entry recorded, or ``None`` if they are.

    An output changed, truncated or written by something else since the run that produced it
    (a notebook run by hand into the runner's folder, say) is not up to date. The reason is a
    French catalogue message (:data:`NO_DIGESTS`…): translate it where it is shown.
    """
    if entry is None:
        return NO_ENTRY
    recorded = entry.get("outputs")
    if not recorded:
        return NO_DIGESTS
    found = output_digests(notebook, sidecar)
    changed = [name for name, digest in found.items() if digest != recorded.get(name)]
    if not changed:
        return None
    if any(found[name] == "missing" for name in changed):
        return N_("absent")
    return N_("modifié depuis son exécution")


def now() -> str:
    """The local time, ISO 8601 to the second."""
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


@dataclass(frozen=True)
class Unreadable:
    """Why a ledger could not be read, and where (a JSON error's line and column).

    ``reason`` is a French catalogue message (:data:`LEDGER_MISSING`…): translate it where it
    is shown.
    """

    reason: str
    line: int | None = None
    column: int | None = None


LEDGER_MISSING = N_("journal d'exécution absent")
LEDGER_GARBLED = N_("journal d'exécution illisible (JSON tronqué ou modifié)")
LEDGER_SHAPE = N_("journal d'exécution d'une autre forme (ni « entries » ni liste d'entrées)")
LEDGER_OTHER_PHASE = N_("journal d'exécution d'une autre phase")


class Ledger:
    """The ledger of one phase.

    Parameters
    ----------
    path : Path
        ``outputs/<phase>/ledger.json``.

    Attributes
    ----------
    unreadable : Unreadable or None
        Why the file could not be read (missing, not JSON, another shape, another phase), when
        :meth:`load` started empty: the runner then reruns everything; a report refuses the
        phase's results (nothing vouches for them).
    """

    def __init__(self, path: Path, phase: str):
        self.path = Path(path)
        self.phase = phase
        self.entries: dict[str, dict] = {}
        self.run: dict = {}
        self.unreadable: Unreadable | None = None

    @classmethod
    def load(cls, path: Path, phase: str) -> Ledger:
        """Read a ledger; a missing or unreadable one starts empty (everything reruns) and says
        why in :attr:`unreadable`.

        Entries are keyed ``<pair>/<stem>``; a plain list of entries (hand-made) is accepted.
        """
        ledger = cls(path, phase)
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            ledger.unreadable = Unreadable(LEDGER_MISSING)
            return ledger
        except json.JSONDecodeError as exc:
            ledger.unreadable = Unreadable(LEDGER_GARBLED, exc.lineno, exc.colno)
            return ledger
        except (OSError, ValueError):  # not UTF-8, a folder, unreadable
            ledger.unreadable = Unreadable(LEDGER_GARBLED)
            return ledger
        if isinstance(data, dict) and data.get("phase") not in (None, phase):
            ledger.unreadable = Unreadable(LEDGER_OTHER_PHASE)
            return ledger
        items = data.get("entries", {}) if isinstance(data, dict) else data
        if isinstance(items, dict):
            ledger.entries = {k: dict(v) for k, v in items.items() if isinstance(v, dict)}
        elif isinstance(items, list):
            ledger.entries = {f"{e.get('pair') or 'programme'}/{e.get('notebook')}": dict(e)
                              for e in items if isinstance(e, dict)}
        else:
            ledger.unreadable = Unreadable(LEDGER_SHAPE)
        return ledger

    def get(self, job: str) -> dict | None:
        """The latest entry of a job, if any."""
        return self.entries.get(job)

    def record(self, entry: Entry) -> None:
        """Replace a job's entry."""
        self.entries[entry.job] = entry.to_dict()

    def save(self) -> None:
        """Write the ledger atomically (entries sorted by job)."""
        data = {"phase": self.phase, "run": self.run,
                "entries": {k: self.entries[k] for k in sorted(self.entries)}}
        try:
            write_atomic(self.path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        except OSError as exc:
            raise OutputError(output_problem(self.path, exc)) from None


def has_results(phase_dir: Path) -> bool:
    """Whether a phase folder holds executed notebooks or their results (``<pair>/*.ipynb``,
    ``<pair>/*.json``): outputs a ledger must vouch for."""
    folder = Path(phase_dir)
    return folder.is_dir() and any(
        p.is_file() and not p.name.startswith(".")
        for pattern in ("*/*.ipynb", "*/*.json") for p in folder.glob(pattern))


def unvouched(ledger: Ledger) -> tuple[str, str] | None:
    """Where and why a phase's ledger vouches for nothing (``outputs/final/ledger.json:3:7``,
    « journal d'exécution illisible… » in the language spoken), or ``None`` when it was read
    or when the phase holds no results it should vouch for."""
    problem = ledger.unreadable
    if problem is None or not has_results(ledger.path.parent):
        return None
    where = display_path(ledger.path)
    if problem.line is not None:
        where += f":{problem.line}:{problem.column}"
    return where, _(problem.reason)


def output_problem(path: Path, exc: OSError) -> str:
    """A message for a failed write."""
    remedy = (_("Libérez de la place ou choisissez un autre dossier de sorties (--sorties).")
              if exc.errno in (errno.ENOSPC, errno.EDQUOT)
              else _("Choisissez un autre dossier de sorties (--sorties)."))
    return _("Impossible d'écrire dans « {path} » : {reason}. {remedy}").format(
        path=display_path(path), reason=os_reason(exc), remedy=remedy)


class RunLock:
    """An exclusive lock on an output folder (``flock`` on ``outputs/.maroc-eval.lock``).

    The holder's pid and start time are written in the file for the message a second run shows.
    The kernel releases the lock when the process ends, even on SIGKILL.
    """

    def __init__(self, path: Path):
        self.path = Path(path)
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock.

        Raises
        ------
        LockedError
            Another run holds it.
        OutputError
            The folder cannot be written (read-only, full…).
        """
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise OutputError(output_problem(self.path.parent, exc)) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or _("inconnu")
            os.close(fd)
            raise LockedError(
                _("Une autre exécution utilise déjà le dossier de sorties « {folder} » "
                  "({holder}). Attendez qu'elle se termine ou choisissez un autre dossier "
                  "(--sorties).").format(folder=display_path(self.path.parent),
                                         holder=holder)) from None
        try:
            os.ftruncate(fd, 0)
            holder = _("pid {pid}, depuis {time}").format(pid=os.getpid(), time=now())
            os.pwrite(fd, f"{holder}\n".encode(), 0)
            os.fsync(fd)
        except OSError as exc:
            os.close(fd)
            raise OutputError(output_problem(self.path.parent, exc)) from None
        self._fd = fd

    def release(self) -> None:
        """Release the lock (the file stays; its content no longer matters)."""
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> RunLock:
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def summary_lines(entries: list[dict], outputs: Path, phases: list[str]) -> list[str]:
    """The summary of a run: a table of counts per phase, then each failure.

    Parameters
    ----------
    entries : list of dict
        This run's ledger entries.
    outputs : Path
        The output folder (failed notebooks are shown relative to it).
    phases : list of str
        The phases of the run, in order.

    Returns
    -------
    list of str
    """
    header = (_("Phase"), _("Réussis"), _("À jour"), _("Échecs"), _("Interrompus"),
              _("Durée (s)"))
    comma = "," if i18n.language() == "fr" else "."
    rows = []
    for phase in phases:
        mine = [e for e in entries if e["phase"] == phase]
        counts = [sum(e["status"] == s for e in mine) for s in (OK, SKIPPED, FAILED, INTERRUPTED)]
        total = sum(e["duration"] for e in mine)
        rows.append((phase, *map(str, counts), f"{total:.1f}".replace(".", comma)))
    widths = [max(len(r[i]) for r in (header, *rows)) for i in range(len(header))]
    lines = [_("Résumé de l'exécution ({folder}) :").format(folder=display_path(outputs))]
    for row in (header, *rows):
        lines.append("  " + "  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                                      for i, (c, w) in enumerate(zip(row, widths, strict=True))))
    problems = [e for e in entries if e["status"] in (FAILED, INTERRUPTED)]
    if problems:
        lines.append(_("Carnets en échec ou interrompus :"))
    for e in problems:
        where = (" " + _("(cellule {cell})").format(cell=e["cell"])
                 if e.get("cell") is not None else "")
        if e.get("ename") in TRANSLATED_FAILURES:
            why = f" : {e['evalue']}"
        else:
            why = f" : {e['ename']}: {e['evalue']}" if e.get("ename") else ""
        lines.append(f"  - {e['phase']}/{e['job']} — {_(RUN_LABELS[e['status']])}{where}{why}")
        kept = Path(outputs) / e["output"]
        if e["status"] == FAILED and kept.exists():  # not written when the disk is full
            lines.append("    " + _("carnet conservé : {path}").format(path=display_path(kept)))
    for phase in phases:
        lines.append(_("Journal : {path}").format(
            path=display_path(Path(outputs) / phase / "ledger.json")))
    return lines
