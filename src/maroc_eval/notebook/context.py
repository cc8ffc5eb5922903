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

from ..base import i18n, paths
from ..base.errors import ParameterError, suggest
from ..base.i18n import _
from ..core.appraisal import PROGRAMME_KEY
from ..core.dataset import Dataset, load_dataset
from ..core.indicators import indicator_rows
from ..core.programme import Programme
from ..core.programme_items import Pair, Phase
from ..core.project import load_project
from ..core.settings import THRESHOLD_NAMES, Settings, checked_settings, resolve_settings
from ..core.thresholds import Thresholds
from . import style

FIXED = ("pair", "phase", "programme_file", "data_dir", "output_dir", "results_dir",
         "sidecar_path", "unavailable", "langue")
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
    language: str = i18n.DEFAULT
    """The language the notebook speaks (``fr`` or ``en``, :func:`notebook_language`)."""
    _thresholds: dict[str, Thresholds] = field(default_factory=dict, repr=False)
    _reviews: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def observations(self) -> pd.DataFrame:
        """The monitoring rows up to the phase's reference year."""
        return self.dataset.observations

    @property
    def appraisals(self):
        """The team's appraisals of this phase and the earlier ones
        (:class:`~maroc_eval.core.appraisal_store.Appraisals`)."""
        return self.dataset.appraisals

    def appraisal(self, who: str | None = None, phase: str | None = None):
        """The team's appraisal of a pair (default: this notebook's; ``"programme"`` for the
        programme) at a phase (default: this one), empty if not written."""
        who = who or (self.pair.code if self.pair else PROGRAMME_KEY)
        return self.appraisals.evaluation(phase or self.phase.code, who)

    def review(self, who: str | None = None):
        """The appraisal of a pair (default: this notebook's) or of ``"programme"`` at this
        phase, reviewed against its evidence with each pair's own thresholds
        (:func:`maroc_eval.core.review.review`), computed once."""
        from ..core.review import review

        who = who or (self.pair.code if self.pair else PROGRAMME_KEY)
        if who not in self._reviews:
            own = {p: self.thresholds_of(p) for p in self.programme.pair_codes}
            self._reviews[who] = review(self.dataset, self.phase.code, who, own)
        return self._reviews[who]

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

    def settings_of(self, pair: str) -> Settings:
        """Another pair's settings: its own files, under the same explicit values."""
        if self.pair is not None and pair == self.pair.code:
            return self.settings
        return resolve_settings(self.programme, self.phase.code, pair, self.explicit)

    def thresholds_of(self, pair: str) -> Thresholds:
        """Another pair's thresholds: its own files, under the same explicit values."""
        if self.pair is not None and pair == self.pair.code:
            return self.thresholds
        if pair not in self._thresholds:
            self._thresholds[pair] = self.settings_of(pair).thresholds
        return self._thresholds[pair]

    def use_settings(self, values: Mapping[str, Any]) -> None:
        """Take values given to a section (``ri.analysis(min_share_women=0.5)``) as the
        notebook's own settings, like values typed in its parameters cell: they win over the
        layers, are checked like every setting and recorded with their origin. ``None``
        values are left to the layers.

        Raises
        ------
        ParameterError
            A value out of its type or bounds.
        """
        given = {k: v for k, v in values.items() if v is not None}
        if not given or all(self.settings.get(k) == v for k, v in given.items()):
            return
        self.settings = checked_settings(self.programme, self.phase.code,
                                         self.pair.code if self.pair else None,
                                         {**self.explicit, **given})
        self.explicit.update(given)
        self._thresholds.clear()

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
                "data_dir": shown(self.data_dir), "langue": self.language,
                **self.settings.values}


def shown(path: Path) -> str:
    """A path as recorded: relative to the project root when inside it."""
    resolved = paths.resolved(path)
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
    resolved = paths.resolved(paths.PROJ_ROOT / raw)
    if paths.PROJ_ROOT not in (resolved, *resolved.parents):
        raise ParameterError(
            _("Paramètre {what} = « {value} » : chemin hors du projet ; attendu un chemin relatif "
              "à {root} sans « .. » qui en sorte, ou un chemin absolu.").format(
                what=what, value=value, root=paths.PROJ_ROOT))
    return resolved


def _check_choice(name: str, value, choices: list[str], label: str) -> None:
    if value not in choices:
        raise ParameterError(
            _("Paramètre {name} : {label} inconnu(e) « {value} »{suggestion}. "
              "Valeurs possibles : {choices}.").format(
                name=name, label=label, value=value, suggestion=suggest(str(value), choices),
                choices=", ".join(choices)))


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
        The programme, data or appraisals hold errors.
    """
    given = {name: namespace[name] for name in FIXED if name in namespace}
    if "phase" not in given:
        raise ParameterError(_("Paramètre phase manquant dans la cellule de paramètres."))
    explicit = {name: namespace[name] for name in (*THRESHOLD_NAMES, *layered)
                if namespace.get(name) is not None}
    return open_context(notebook, explicit=explicit, **given)


def _localised(dataset):
    """The dataset with the programme's and the matrix's labels in the current language (its
    views and their cached rows follow; in French, the dataset itself)."""
    programme = dataset.programme.localised()
    if programme is dataset.programme:
        return dataset
    matrix = dataset.matrix.localised() if dataset.matrix is not None else None
    for view in (dataset, *dataset._views.values()):
        view.programme, view.matrix, view._rows = programme, matrix, None
    return dataset


def open_context(notebook: str, *, phase: str, pair: str | None = None,
                 programme_file=None, data_dir=None, output_dir=None, results_dir=None,
                 sidecar_path=None, unavailable=(), explicit: dict | None = None,
                 langue: str | None = None) -> Context:
    """Check a notebook's parameters and load what it needs (see :func:`open_notebook`).

    ``None`` paths mean: the programme of ``params/``, the data folder of ``params/projet.yml``,
    and the interactive outputs folder (``outputs/interactif``); ``results_dir`` defaults to
    ``output_dir``, ``sidecar_path`` to the standard place under it. The language is set first
    (:func:`notebook_language`), so that everything shown after speaks it.
    """
    project = None if langue is not None and data_dir else load_project()
    language = i18n.set_language(notebook_language(langue, project))
    programme_path = resolve_path(programme_file or paths.PROGRAMME_FILE, "programme_file")
    data = resolve_path(data_dir, "data_dir") if data_dir else project.data_dir
    if not data.is_dir():
        raise ParameterError(_("Paramètre data_dir = « {value} » : dossier introuvable.").format(
            value=data_dir))
    out = resolve_path(output_dir, "output_dir") if output_dir else \
        paths.interactive_dir(paths.OUTPUTS_DIR)
    results = resolve_path(results_dir, "results_dir") if results_dir else out
    full = _localised(load_dataset(programme_path, data, paths.dataset_cache_dir(out)))
    programme = full.programme
    _check_choice("phase", phase, list(programme.phases), _("phase"))
    if pair is not None:
        _check_choice("pair", pair, programme.pair_codes, _("partenariat"))
    if isinstance(unavailable, str) or not all(isinstance(u, str) for u in unavailable):
        raise ParameterError(_("Paramètre unavailable = « {value} » : "
                               "attendu une liste de textes.").format(value=unavailable))
    explicit = dict(explicit or {})
    settings = checked_settings(programme, phase, pair, explicit)  # before anything is shown
    folder = paths.pair_dir(out, phase, pair) if pair else paths.programme_dir(out, phase)
    sidecar = resolve_path(sidecar_path, "sidecar_path") if sidecar_path else \
        paths.sidecar_path(folder / f"{notebook}.ipynb")
    style.apply()
    return Context(
        programme=programme, dataset=full.for_phase(phase), phase=programme.phases[phase],
        pair=programme.pair_map[pair] if pair else None, settings=settings, explicit=explicit,
        data_dir=data, output_dir=out, results_dir=results, sidecar_path=sidecar,
        notebook=notebook, unavailable=tuple(unavailable), language=language)


def notebook_language(langue: str | None, project=None, environ=None) -> str:
    """The language a notebook speaks: its ``langue`` parameter, else the ``langue:`` of
    ``params/projet.yml``, else the environment (``LC_ALL``, ``LC_MESSAGES``, ``LANG``), else
    French.

    Parameters
    ----------
    langue : str or None
        The notebook's parameter (``fr`` or ``en``; ``None``: not chosen).
    project : Project, optional
        The project file read (:func:`maroc_eval.core.project.load_project`).
    environ : mapping, optional
        Default: ``os.environ``.

    Raises
    ------
    ParameterError
        ``langue`` names a language the toolkit does not speak.
    """
    if langue is not None and i18n.language_of(str(langue)) is None:
        raise ParameterError(
            _("Paramètre langue = « {value} » : attendu fr ou en, ou None pour la langue du "
              "projet.").format(value=langue))
    return i18n.resolve_language(langue, getattr(project, "language", None), environ)
