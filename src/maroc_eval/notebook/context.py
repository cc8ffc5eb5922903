"""A notebook's context: its parameters checked, its settings resolved, its data cut at its phase.

:func:`open_notebook` reads the parameters a notebook's cell set (``globals()``) and checks
every one (unknown pair or phase → a French message listing the valid ones, no traceback). The
settings a cell leaves at ``None`` (thresholds, the RI's own options) come from the layers of
:mod:`maroc_eval.core.settings` — programme, phase file, pair file — exactly as ``maroc-eval
run`` resolves them, so that *Run All* in JupyterLab, plain papermill and the runner give the
same figures. The data are the phase's view (:meth:`maroc_eval.core.dataset.Dataset.for_phase`):
no helper can see a row after the phase's reference year.

A notebook run outside ``maroc-eval run`` (``output_dir`` left at ``None``) writes its result to
``outputs/interactif/…``, never over the runner's results.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .. import paths
from ..core.dataset import Dataset, load_dataset
from ..core.indicators import indicator_rows
from ..core.programme import Pair, Phase, Programme, Thresholds
from ..core.project import load_project
from ..core.settings import THRESHOLD_NAMES, Settings, resolve_settings
from ..errors import ParameterError, suggest
from . import style

FIXED = ("pair", "phase", "programme_file", "data_dir", "output_dir", "results_dir",
         "sidecar_path", "unavailable")
"""Parameters that say what the notebook is about and where it reads and writes."""


@dataclass
class Context:
    """Everything a notebook needs, loaded once and checked."""

    programme: Programme
    dataset: Dataset
    phase: Phase
    pair: Pair | None
    settings: Settings
    explicit: dict[str, Any]
    data_dir: Path
    output_dir: Path
    results_dir: Path
    sidecar_path: Path
    notebook: str
    unavailable: tuple[str, ...] = ()
    _thresholds: dict[str, Thresholds] = field(default_factory=dict, repr=False)

    @property
    def observations(self) -> pd.DataFrame:
        """The monitoring rows up to the phase's reference year."""
        return self.dataset.observations

    @property
    def judgements(self):
        """The judgements of this phase and the earlier ones (``None`` without a file)."""
        return self.dataset.judgements

    @property
    def fictitious(self) -> bool:
        """Whether the data folder says its data are fictitious."""
        return self.dataset.info.fictitious

    @property
    def year(self) -> int:
        """The phase's reference year."""
        return self.phase.year

    @property
    def years(self) -> list[int]:
        """The baseline year through the phase's reference year: what the phase can see."""
        return list(range(self.programme.baseline_year, self.year + 1))

    @property
    def thresholds(self) -> Thresholds:
        """The status thresholds of this notebook's pair (or of the programme synthesis)."""
        return self.settings.thresholds

    def thresholds_of(self, pair: str) -> Thresholds:
        """Another pair's thresholds: its own files, under the same explicit values."""
        if self.pair is not None and pair == self.pair.code:
            return self.thresholds
        if pair not in self._thresholds:
            self._thresholds[pair] = resolve_settings(self.programme, self.phase.code, pair,
                                                      self.explicit).thresholds
        return self._thresholds[pair]

    def setting(self, name: str, default: Any = None) -> Any:
        """A layered value (the cell's, else the files', else ``default``)."""
        return self.settings.get(name, default)

    def rows(self, ri: str | None = None, pair: str | None = None) -> pd.DataFrame:
        """Indicator rows (baseline, target, value, achievement, status) of a pair, or one RI."""
        pair = pair or self.pair.code
        return indicator_rows(self.programme, self.observations, pair, self.phase.code,
                              self.thresholds_of(pair), ri)

    def rows_at(self, phase: str, pair: str | None = None) -> pd.DataFrame:
        """A pair's indicator rows at an earlier phase (for the comparison with it)."""
        if self.programme.phases[phase].year > self.year:
            raise ValueError(f"{phase} comes after {self.phase.code}: not visible from it")
        pair = pair or self.pair.code
        return indicator_rows(self.programme, self.observations, pair, phase,
                              self.thresholds_of(pair))

    def all_rows(self, ri: str | None = None) -> pd.DataFrame:
        """Every pair's indicator rows at the phase, each pair judged with its own thresholds."""
        own = {p: self.thresholds_of(p) for p in self.programme.pair_codes}
        return self.dataset.all_rows(self.phase.code, own, ri)

    def pair_labels(self) -> dict[str, str]:
        """Display label of every pair (``Jette – Sidi Bibi``)."""
        return {p.code: p.label for p in self.programme.pairs}

    @property
    def parameters(self) -> dict[str, Any]:
        """What the sidecar records: where the notebook stands and every resolved setting."""
        return {"pair": self.pair.code if self.pair else None, "phase": self.phase.code,
                "programme_file": shown(Path(self.programme.source)),
                "data_dir": shown(self.data_dir), **self.settings.values}


def shown(path: Path) -> str:
    """A path as recorded: relative to the project root when inside it."""
    resolved = Path(path).resolve()
    try:
        return resolved.relative_to(paths.PROJ_ROOT).as_posix()
    except ValueError:
        return str(resolved)


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


def open_notebook(notebook: str, namespace: Mapping[str, Any],
                  layered: Iterable[str] = ()) -> Context:
    """Open a notebook's context from its parameters (pass ``globals()``).

    Parameters
    ----------
    notebook : str
        The notebook's stem (names its sidecar).
    namespace : mapping
        The notebook's globals: the values of its parameters cell (and injected ones).
    layered : iterable of str
        The names of the notebook's layered settings besides the thresholds; a value left at
        ``None`` comes from the layers, another is explicit and wins over them.

    Raises
    ------
    ParameterError
        Unknown pair or phase, a threshold out of range or order, a path escaping the project.
    InputError
        The programme, data or judgements hold errors.
    """
    given = {name: namespace[name] for name in FIXED if name in namespace}
    if "phase" not in given:
        raise ParameterError("Paramètre phase manquant dans la cellule de paramètres.")
    explicit = {name: namespace[name] for name in (*THRESHOLD_NAMES, *layered)
                if namespace.get(name) is not None}
    return open_context(notebook, explicit=explicit, **given)


def open_context(notebook: str, *, phase: str, pair: str | None = None,
                 programme_file=None, data_dir=None, output_dir=None, results_dir=None,
                 sidecar_path=None, unavailable=(), explicit: dict | None = None) -> Context:
    """Check a notebook's parameters and load what it needs (see :func:`open_notebook`).

    ``None`` paths mean: the programme of ``params/``, the data folder of ``params/projet.yml``,
    and the interactive outputs folder (``outputs/interactif``); ``results_dir`` defaults to
    ``output_dir``, ``sidecar_path`` to the standard place under it.
    """
    programme_path = resolve_path(programme_file or paths.PROGRAMME_FILE, "programme_file")
    data = resolve_path(data_dir, "data_dir") if data_dir else load_project().data_dir
    if not data.is_dir():
        raise ParameterError(f"Paramètre data_dir = « {data_dir} » : dossier introuvable.")
    out = resolve_path(output_dir, "output_dir") if output_dir else \
        paths.interactive_dir(paths.OUTPUTS_DIR)
    results = resolve_path(results_dir, "results_dir") if results_dir else out
    full = load_dataset(programme_path, data, paths.dataset_cache_dir(out))
    programme = full.programme
    _check_choice("phase", phase, list(programme.phases), "phase")
    if pair is not None:
        _check_choice("pair", pair, programme.pair_codes, "partenariat")
    if isinstance(unavailable, str) or not all(isinstance(u, str) for u in unavailable):
        raise ParameterError(f"Paramètre unavailable = « {unavailable} » : "
                             "attendu une liste de textes.")
    explicit = dict(explicit or {})
    settings = resolve_settings(programme, phase, pair, explicit)
    settings.thresholds  # noqa: B018 -- checked now, before anything is shown
    folder = paths.pair_dir(out, phase, pair) if pair else paths.programme_dir(out, phase)
    sidecar = resolve_path(sidecar_path, "sidecar_path") if sidecar_path else \
        paths.sidecar_path(folder / f"{notebook}.ipynb")
    style.apply()
    return Context(
        programme=programme, dataset=full.for_phase(phase), phase=programme.phases[phase],
        pair=programme.pair_map[pair] if pair else None, settings=settings, explicit=explicit,
        data_dir=data, output_dir=out, results_dir=results, sidecar_path=sidecar,
        notebook=notebook, unavailable=tuple(unavailable))
