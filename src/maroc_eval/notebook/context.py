"""A notebook's context: its parameters checked, the programme, data and judgements loaded once.

:func:`open_notebook` reads the parameters a notebook's cell set (``globals()``), checks every
one (unknown pair or phase → a French message listing the valid ones, no traceback), loads the
validated inputs (shared through :mod:`maroc_eval.core.dataset`'s cache) and applies the chart
style. The views a notebook calls (:mod:`maroc_eval.notebook.riview`, the syntheses) take it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import paths
from ..core.dataset import Dataset, load_dataset
from ..core.indicators import indicator_rows
from ..core.judgements import Judgements
from ..core.programme import Pair, Phase, Programme, Thresholds
from ..errors import ParameterError, suggest
from . import style


@dataclass
class Context:
    """Everything a notebook needs, loaded once and checked."""

    programme: Programme
    observations: pd.DataFrame
    judgements: Judgements | None
    phase: Phase
    pair: Pair | None
    thresholds: Thresholds
    data_dir: Path
    output_dir: Path
    results_dir: Path
    sidecar_path: Path
    notebook: str
    parameters: dict = field(default_factory=dict)
    unavailable: tuple[str, ...] = ()
    dataset: Dataset | None = None

    @property
    def uses_sample(self) -> bool:
        """Whether the data are the embedded fictitious sample."""
        return self.data_dir.resolve() == paths.SAMPLE_DIR.resolve()

    @property
    def year(self) -> int:
        """The phase's reference year."""
        return self.phase.year

    def rows(self, ri: str | None = None, pair: str | None = None) -> pd.DataFrame:
        """Indicator rows (baseline, target, value, achievement, status) of the pair, or one RI."""
        return indicator_rows(self.programme, self.observations, pair or self.pair.code,
                              self.phase.code, self.thresholds, ri)

    def all_rows(self, ri: str | None = None) -> pd.DataFrame:
        """Every pair's indicator rows at the phase (for comparisons), with this context's bands."""
        dataset = self.dataset or Dataset(self.programme, self.observations, self.judgements)
        return dataset.all_rows(self.phase.code, self.thresholds, ri)

    def pair_labels(self) -> dict[str, str]:
        """Display label of every pair (``Jette – Sidi Bibi``)."""
        return {p.code: p.label for p in self.programme.pairs}


def resolve_path(value: str | Path, what: str) -> Path:
    """Resolve a path parameter: relative paths are relative to the project root.

    A relative path may not climb out of the project (``../..``); an absolute path is the
    user's explicit choice and is kept.
    """
    raw = Path(str(value))
    if raw.is_absolute():
        return raw
    resolved = (paths.PROJ_ROOT / raw).resolve()
    if paths.PROJ_ROOT not in (resolved, *resolved.parents):
        raise ParameterError(
            f"Paramètre {what} = « {value} » : chemin hors du projet ; attendu un chemin relatif "
            f"à {paths.PROJ_ROOT} sans « .. » qui en sorte, ou un chemin absolu.")
    return resolved


def _check_choice(name: str, value, choices: list[str], label: str) -> None:
    if value not in choices:
        raise ParameterError(
            f"Paramètre {name} : {label} inconnu(e) « {value} »{suggest(str(value), choices)}. "
            f"Valeurs possibles : {', '.join(choices)}.")


PARAMETER_NAMES = ("pair", "phase", "programme_file", "data_dir", "output_dir", "results_dir",
                   "sidecar_path", "threshold_met", "threshold_on_track", "threshold_late",
                   "unavailable")


def open_notebook(notebook: str, namespace) -> Context:
    """Open a notebook's context from its parameters (pass ``globals()``).

    Only the names of :data:`PARAMETER_NAMES` are read; a notebook without a ``pair`` parameter
    (the programme synthesis) gets a context without pair.
    """
    given = {name: namespace[name] for name in PARAMETER_NAMES if name in namespace}
    if "phase" not in given:
        raise ParameterError("Paramètre phase manquant dans la cellule de paramètres.")
    return open_context(notebook, **given)


def open_context(notebook: str, *, phase: str, pair: str | None = None,
                 programme_file="params/programme.yml", data_dir="data/sample",
                 output_dir="outputs", results_dir="", sidecar_path="",
                 threshold_met=1.0, threshold_on_track=0.75, threshold_late=0.40,
                 unavailable=()) -> Context:
    """Check a notebook's parameters and load what it needs.

    Parameters
    ----------
    notebook : str
        The notebook's stem (names its sidecar).
    phase : str
        ``midterm`` or ``final`` (the programme's phase codes).
    pair : str, optional
        Pair slug; ``None`` for the programme synthesis.
    programme_file, data_dir, output_dir, results_dir, sidecar_path : str or Path
        Paths, relative to the project root unless absolute; ``results_dir`` defaults to
        ``output_dir``; ``sidecar_path`` defaults to the standard place under ``output_dir``.
    threshold_met, threshold_on_track, threshold_late : float
        Status bands on the achievement ratio.
    unavailable : sequence of str
        ``pair/stem`` results that failed in this run (syntheses show them as unavailable).

    Returns
    -------
    Context

    Raises
    ------
    ParameterError
        Unknown pair or phase, inconsistent thresholds, a path escaping the project.
    InputError
        The programme, data or judgements hold errors.
    """
    thresholds = Thresholds.from_parameters({
        "threshold_met": threshold_met, "threshold_on_track": threshold_on_track,
        "threshold_late": threshold_late})
    data = resolve_path(data_dir, "data_dir")
    if not data.is_dir():
        raise ParameterError(f"Paramètre data_dir = « {data_dir} » : dossier introuvable.")
    out = resolve_path(output_dir, "output_dir")
    results = resolve_path(results_dir, "results_dir") if results_dir else out
    dataset = load_dataset(resolve_path(programme_file, "programme_file"), data,
                           paths.dataset_cache_dir(out))
    programme, observations, judgements = (dataset.programme, dataset.observations,
                                           dataset.judgements)
    _check_choice("phase", phase, list(programme.phases), "phase")
    if pair is not None:
        _check_choice("pair", pair, programme.pair_codes, "partenariat")
    if isinstance(unavailable, str) or not all(isinstance(u, str) for u in unavailable):
        raise ParameterError(f"Paramètre unavailable = « {unavailable} » : "
                             "attendu une liste de textes.")
    folder = paths.pair_dir(out, phase, pair) if pair else paths.programme_dir(out, phase)
    sidecar = resolve_path(sidecar_path, "sidecar_path") if sidecar_path else \
        paths.sidecar_path(folder / f"{notebook}.ipynb")
    style.apply()
    return Context(
        programme=programme, observations=observations, judgements=judgements,
        phase=programme.phases[phase], pair=programme.pair_map[pair] if pair else None,
        thresholds=thresholds, data_dir=data, output_dir=out, results_dir=results,
        sidecar_path=sidecar, notebook=notebook, unavailable=tuple(unavailable), dataset=dataset,
        parameters={"pair": pair, "phase": phase, "programme_file": str(programme_file),
                    "data_dir": str(data_dir), "threshold_met": float(threshold_met),
                    "threshold_on_track": float(threshold_on_track),
                    "threshold_late": float(threshold_late)},
    )


