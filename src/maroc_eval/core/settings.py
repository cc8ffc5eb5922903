"""A notebook's settings in layers, resolved the same way wherever the notebook runs.

From the weakest to the strongest:

1. ``programme`` — values the programme file gives (the status thresholds of ``seuils``);
2. ``phase`` — ``params/phases/<phase>.yml``;
3. ``pair`` — ``params/pairs/<pair>.yml``;
4. explicit values — ``-f`` files and ``-p`` values of ``maroc-eval run``, papermill's ``-p``,
   or a value typed in the notebook's parameters cell in JupyterLab.

A parameter left at ``None`` in a notebook's cell means « from the layers »: a notebook run by
*Run All* or by plain papermill resolves the same values as ``maroc-eval run`` (which passes only
the explicit values, never what it read from the files), and the package's own default applies
last. :func:`resolve_settings` is the one place that does it; the runner calls it too, for its
cache keys and its checks before any kernel starts, and so does ``summary`` (with the same
``-f`` and ``-p``). :func:`settings_problems` is the one validation of resolved settings, used
by all three. Every setting has one name, from the files to the status
(:mod:`maroc_eval.core.setting_registry`); a number typed as text (``"0,9"``) is read as the
number.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..base import paths
from ..base.errors import InputError, ParameterError, ProblemList
from ..base.fmt import plain
from ..base.i18n import _
from .programme import Programme
from .setting_registry import SETTINGS, THRESHOLD_NAMES, bounds_problem, coerce
from .thresholds import Thresholds
from .yamlio import load_yaml

__all__ = ["THRESHOLD_NAMES", "Layer", "Settings", "resolve_settings", "settings_problems"]


@dataclass(frozen=True)
class Layer:
    """Values set by one layer.

    Attributes
    ----------
    name : str
        ``programme``, ``phase``, ``pair``, ``file`` (``-f``), ``cli`` (``-p``) or ``carnet``.
    source : str
        Where the values come from, as shown in messages and in the provenance annex.
    values : dict
        Parameter name → value.
    lines : dict
        Parameter name → line in ``source`` (files only).
    scope : str or None
        The phase (phase layer) or pair (pair layer) it applies to; ``None``: every notebook.
    """

    name: str
    source: str
    values: dict[str, Any]
    lines: dict[str, int] = field(default_factory=dict)
    scope: str | None = None

    @property
    def label(self) -> str:
        """``phase:params/phases/midterm.yml``, ``cli:-p``…: the origin recorded for a value."""
        return f"{self.name}:{self.source}" if self.source else self.name

    def where(self, name: str) -> str:
        """``file:line`` of a parameter, for messages."""
        line = self.lines.get(name)
        return f"{self.source}:{line}" if line else self.source


@dataclass
class Settings:
    """Resolved values and the layer each came from."""

    values: dict[str, Any]
    origins: dict[str, str]
    summative: bool = False
    """Whether the phase is summative (statuses: atteint / partiellement / non atteint)."""

    def get(self, name: str, default: Any = None) -> Any:
        """A value, or ``default`` when no layer sets it."""
        return self.values.get(name, default)

    @property
    def thresholds(self) -> Thresholds:
        """The status thresholds (checked once, by :class:`Thresholds`)."""
        return Thresholds.from_parameters(self.values).for_phase(self.summative)


PHASE_SETTINGS = ("maturity_reference",)
"""Settings whose value is a phase of the programme (RI 2's maturity is measured against the
targets of ``maturity_reference``)."""


def phase_setting_problem(settings: Settings, programme: Programme) -> str | None:
    """A French problem if a setting that names a phase names none of the programme's, else
    ``None`` (checked by the runner before any kernel starts, and by the notebook itself)."""
    for name in PHASE_SETTINGS:
        value = settings.get(name)
        if value is not None and value not in programme.phases:
            return _("{origin} : paramètre « {name} » = « {value} » : attendu une phase du "
                     "programme, {choices}.").format(
                         origin=settings.origins.get(name) or name, name=name, value=value,
                         choices=_(" ou ").join(programme.phases))
    return None


def load_layer(path: Path, name: str, scope: str | None = None) -> Layer:
    """Load a parameter file: a YAML mapping ``name: value`` (lines remembered).

    Raises
    ------
    InputError
        The file is missing, is not valid YAML or is not a mapping.
    """
    doc = load_yaml(path)
    if doc.data is None:
        return Layer(name, doc.file, {}, scope=scope)
    if not isinstance(doc.data, dict):
        problems = ProblemList()
        problems.add(doc.file, 1, None, None, _("un dictionnaire « nom_du_parametre: valeur »"),
                     kind="params-not-mapping")
        raise InputError(problems)
    lines = {str(k): doc.lines.get((k,)) for k in doc.data}
    return Layer(name, doc.file, {str(k): coerce(str(k), v) for k, v in doc.data.items()},
                 {k: v for k, v in lines.items() if v}, scope)


def programme_layer(programme: Programme) -> Layer:
    """The values the programme file gives: its status thresholds."""
    return Layer("programme", programme.source, programme.thresholds.as_parameters())


def file_layers(programme_file: Path, phase: str, pair: str | None) -> list[Layer]:
    """The phase and pair parameter files that exist for a notebook, weakest first."""
    phases_dir, pairs_dir = paths.settings_dirs(programme_file)
    found = [("phase", phases_dir / f"{phase}.yml", phase)]
    if pair:
        found.append(("pair", pairs_dir / f"{pair}.yml", pair))
    return [load_layer(path, name, scope) for name, path, scope in found if path.is_file()]


def resolve_settings(programme: Programme, phase: str, pair: str | None,
                     explicit: Mapping[str, Any] | None = None, *,
                     explicit_label: str = "carnet", layers: list[Layer] | None = None
                     ) -> Settings:
    """Every layered value of a notebook, and where it came from.

    Parameters
    ----------
    programme : Programme
        The programme (its thresholds, and its file's folder for the phase and pair files).
    phase, pair : str
        The notebook's phase and pair (``pair`` ``None`` for the programme synthesis).
    explicit : mapping, optional
        Values set explicitly; ``None`` values are left to the layers.
    explicit_label : str
        The origin recorded for explicit values.
    layers : list of Layer, optional
        The phase and pair files already loaded (default: read them).

    Returns
    -------
    Settings
    """
    if layers is None:
        layers = file_layers(Path(programme.source), phase, pair)
    values: dict[str, Any] = {}
    origins: dict[str, str] = {}
    for layer in [programme_layer(programme), *layers]:
        if layer.scope is not None and layer.scope not in (phase, pair):
            continue
        for name, value in layer.values.items():
            values[name], origins[name] = value, layer.label
    for name, value in (explicit or {}).items():
        if value is not None:
            values[name], origins[name] = coerce(name, value), explicit_label
    return Settings(values, origins, programme.phases[phase].summative)


def checked_settings(programme: Programme, phase: str, pair: str | None,
                     explicit: Mapping[str, Any] | None = None, *, explicit_label: str = "carnet",
                     layers: list[Layer] | None = None) -> Settings:
    """:func:`resolve_settings`, then :func:`settings_problems`: the settings of a notebook,
    a ``summary`` row or a review, refused with every problem said at once.

    Raises
    ------
    ParameterError
        A setting out of its type or bounds, thresholds out of order, an unknown phase named.
    """
    settings = resolve_settings(programme, phase, pair, explicit, explicit_label=explicit_label,
                                layers=layers)
    problems = settings_problems(settings, programme)
    if problems:
        raise ParameterError("\n".join(problems))
    return settings


def settings_problems(settings: Settings, programme: Programme) -> list[str]:
    """Every French problem of resolved settings, each saying where its value came from: the
    one validation of settings, used by ``run`` before any kernel starts, by ``summary`` and by
    the notebook itself (in JupyterLab too).

    Checked: each setting of :data:`~maroc_eval.core.setting_registry.SETTINGS` against its type
    and bounds, the thresholds together (:class:`Thresholds`: range and order) and a setting
    that names a phase against the programme's phases.
    """
    problems: list[str] = []
    for name, value in settings.values.items():
        spec = SETTINGS.get(name)
        if spec is None or value is None or name in THRESHOLD_NAMES:
            continue
        origin = settings.origins.get(name) or name
        if spec.kind in (int, float) and (isinstance(value, bool) or not isinstance(
                value, int | float) or (spec.kind is int and not isinstance(value, int))):
            problems.append(_("{origin} : paramètre « {name} » = « {value} » : attendu {what}.")
                            .format(origin=origin, name=name, value=value,
                                    what=_("un nombre entier") if spec.kind is int
                                    else _("un nombre")))
        elif (problem := bounds_problem(name, value)) is not None:
            problems.append(_("{origin} : paramètre « {name} » = « {value} » : attendu "
                              "{what}").format(origin=origin, name=name, value=plain(value),
                                               what=problem)
                            + ("" if problem.endswith("?") else "."))
    if (problem := thresholds_problem(settings)) is not None:
        problems.append(problem)
    if (problem := phase_setting_problem(settings, programme)) is not None:
        problems.append(problem)
    return problems


def thresholds_problem(settings: Settings) -> str | None:
    """A French problem if the resolved thresholds are refused, else ``None``.

    The check is :meth:`Thresholds.from_parameters`'s; the message names where the values came
    from and does not depend on the notebook, so that a value refused for every notebook is
    said once.
    """
    given = {k: v for k, v in settings.values.items() if k in THRESHOLD_NAMES}
    try:
        Thresholds.from_parameters(given)
    except ParameterError as exc:
        chosen = {settings.origins.get(k) or "" for k in given}
        origins = sorted({o for o in chosen if not o.startswith("programme")} or chosen)
        return f"{', '.join(origins)} : {exc}"
    return None
