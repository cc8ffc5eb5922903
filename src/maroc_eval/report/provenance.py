"""Provenance of a report: toolkit version, git commit, parameters, data hashes, run dates."""

from __future__ import annotations

import datetime as dt
import functools
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__, paths
from ..digest import file_sha256

UNKNOWN = "inconnu"


@functools.cache
def git_commit() -> str:
    """The commit of the project's working copy (``git rev-parse HEAD``), or ``"inconnu"``."""
    try:
        done = subprocess.run(["git", "rev-parse", "HEAD"], cwd=paths.PROJ_ROOT,
                              capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return UNKNOWN
    commit = done.stdout.strip()
    return commit if done.returncode == 0 and commit else UNKNOWN


def resolve_data_dir(value) -> Path | None:
    """The data folder a notebook was given (relative paths are taken from the project root)."""
    if not value:
        return None
    path = Path(str(value))
    return (path if path.is_absolute() else paths.PROJ_ROOT / path).resolve()


@dataclass(frozen=True)
class DataFile:
    """A monitoring or judgement file the notebooks read."""

    name: str
    sha256: str
    size: int


@dataclass
class NotebookRun:
    """Parameters and dates of one executed notebook."""

    stem: str
    parameters: dict
    origins: dict
    start: str | None
    end: str | None


@dataclass
class Provenance:
    """Everything the provenance annex shows."""

    version: str = __version__
    commit: str = field(default_factory=git_commit)
    built: str = field(default_factory=lambda: dt.datetime.now().astimezone().isoformat(
        timespec="seconds"))
    runs: list[NotebookRun] = field(default_factory=list)
    data_files: list[DataFile] = field(default_factory=list)
    data_dirs: list[str] = field(default_factory=list)

    @property
    def run_dates(self) -> tuple[str | None, str | None]:
        """The first start and the last end of the notebooks' executions."""
        starts = sorted(r.start for r in self.runs if r.start)
        ends = sorted(r.end for r in self.runs if r.end)
        return (starts[0] if starts else None, ends[-1] if ends else None)


def notebook_run(stem: str, nb, recorded: dict | None = None) -> NotebookRun:
    """Resolved parameters and dates of a notebook.

    The parameters come from ``metadata.maroc_eval`` (written by the runner), completed by the
    parameters the notebook recorded in its sidecar and papermill's ``metadata.papermill``.
    """
    meta = nb.metadata.get("maroc_eval", {}) or {}
    pm = nb.metadata.get("papermill", {}) or {}
    parameters = {**(pm.get("parameters") or {}), **(recorded or {}),
                  **(meta.get("parameters") or {})}
    return NotebookRun(stem, parameters, dict(meta.get("origins") or {}),
                       pm.get("start_time"), pm.get("end_time"))


def collect(outputs) -> Provenance:
    """Provenance of a report from its executed notebooks.

    Parameters
    ----------
    outputs : iterable of report_inputs.NotebookOutput
        The report's notebooks; unavailable ones are skipped.

    Returns
    -------
    Provenance
        With the SHA-256 of every data file of the data folders the notebooks used.
    """
    prov = Provenance()
    dirs: dict[Path, None] = {}
    for out in outputs:
        if not out.available:
            continue
        recorded = out.sidecar.parameters if out.sidecar is not None else {}
        run = notebook_run(out.spec.stem, out.notebook, recorded)
        prov.runs.append(run)
        folder = resolve_data_dir(run.parameters.get("data_dir"))
        if folder is not None:
            dirs[folder] = None
    for folder in dirs:
        prov.data_dirs.append(_shown(folder))
        if folder.is_dir():
            observations, judgements = paths.data_files(folder)
            prov.data_files += [DataFile(_shown(f), file_sha256(f, missing=None), f.stat().st_size)
                                for f in (*observations, *judgements)]
    return prov


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(paths.PROJ_ROOT))
    except ValueError:
        return str(path)
