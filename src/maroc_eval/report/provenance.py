"""Provenance of a report: toolkit version, git commit, parameters, data hashes, run dates."""

from __future__ import annotations

import datetime as dt
import functools
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..base import paths
from ..base.digest import file_sha256
from ..base.i18n import N_, _
from ..core.setting_registry import PERCENT, RATIO, SETTINGS

UNKNOWN = N_("inconnu")


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
    return paths.resolved(path if path.is_absolute() else paths.PROJ_ROOT / path)


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
    who: str | None = None
    """The pair these settings judged, named (« Jette – Sidi Bibi »), for the settings a
    programme synthesis judged each pair with; ``None`` for a notebook's own."""


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
            budget = [b for b in (paths.budget_file(folder),) if b.is_file()]
            prov.data_files += [DataFile(_shown(f), file_sha256(f, missing=None), f.stat().st_size)
                                for f in (*observations, *judgements, *budget)]
    return prov


def pair_setting_runs(programme, result, launched: dict | None = None) -> list[NotebookRun]:
    """The thresholds a programme synthesis judged each pair with, and where each came from
    (its :class:`~maroc_eval.base.sidecar.ProgrammeResult`), one entry per pair named.

    A value the pair's notebook was given (origin ``carnet``) is said with the origin
    ``maroc-eval run`` recorded for it in ``launched`` (pair → name → origin: ``cli:-p``, a
    ``-f`` file) when it did.
    """
    found = getattr(result, "pair_settings", None) or {}
    origins = getattr(result, "pair_origins", None) or {}
    launched = launched or {}
    runs = []
    for p in programme.pairs:
        if p.code not in found:
            continue
        said = dict(origins.get(p.code) or {})
        for name, origin in said.items():
            if origin in ("carnet", "") and (launched.get(p.code) or {}).get(name):
                said[name] = launched[p.code][name]
        runs.append(NotebookRun("synthese_partenariat", dict(found[p.code]), said, None, None,
                                p.label))
    return runs


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(paths.PROJ_ROOT))
    except ValueError:
        return str(path)


# -- the annex as people read it ----------------------------------------------------------------
PARAMETER_LABELS = {
    "pair": N_("Partenariat évalué"),
    "phase": N_("Phase évaluée"),
    "programme_file": N_("Définition du programme"),
    "data_dir": N_("Dossier de données"),
    "output_dir": N_("Dossier des sorties"),
    "results_dir": N_("Dossier des résultats lus"),
    "sidecar_path": N_("Fichier des résultats calculés"),
    "unavailable": N_("Résultats indisponibles lors du calcul"),
    **{name: spec.label for name, spec in SETTINGS.items()},
}
"""French labels of the notebooks' parameters (catalogue messages, shown through ``_``); a
report shows these labels, never the technical names; the settings' labels are the registry's
(:data:`~maroc_eval.core.setting_registry.SETTINGS`)."""
PATH_PARAMETERS = frozenset({"programme_file", "data_dir", "output_dir", "results_dir",
                             "sidecar_path"})
"""Parameters whose value is a path on the machine that ran the notebooks: left out of a
report (the data files are listed with their SHA-256 instead)."""

RATIO_PARAMETERS = frozenset(n for n, spec in SETTINGS.items() if spec.unit == RATIO)
PERCENT_PARAMETERS = frozenset(n for n, spec in SETTINGS.items() if spec.unit == PERCENT)

ORIGIN_LABELS = {
    "runner": N_("fixé au lancement (maroc-eval run)"),
    "programme": N_("cadre du programme"),
    "phase": N_("paramètres de la phase"),
    "pair": N_("paramètres du partenariat"),
    "partenariat": N_("paramètres du partenariat"),
    "projet": N_("paramètres du projet"),
    "cli": N_("ligne de commande"),
    "file": N_("fichier de paramètres (-f)"),
    "carnet": N_("valeur donnée au carnet"),
}


def shown_value(name: str, value) -> str:
    """A parameter's value as a reader reads it: « oui », « 75 % », a path without quotes,
    « aucun » for an empty list, « sans objet » for none."""
    from ..base import fmt

    if value is None:
        return _("sans objet")
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, (int, float)):
        if name in RATIO_PARAMETERS:
            return fmt.percent(value, 1, ratio=True)
        if name in PERCENT_PARAMETERS:
            return fmt.percent(value, 1)
        return fmt.number(value, 2)
    if isinstance(value, (list, tuple, set)):
        return ", ".join(str(v) for v in value) or _("aucun")
    if isinstance(value, dict):
        return ", ".join(f"{k} : {v}" for k, v in value.items()) or _("aucun")
    return str(value)


def shown_origin(origin) -> str:
    """Where a value came from, in words, without the file's path: ``phase:params/phases/
    final.yml`` → « paramètres de la phase »; « valeur par défaut » when none did."""
    if not origin or origin == "—":
        return _("valeur par défaut")
    layer, _colon, _source = str(origin).partition(":")
    return _(ORIGIN_LABELS[layer]) if layer in ORIGIN_LABELS else _("autre réglage")
