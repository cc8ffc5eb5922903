"""Notebook parameters in layers, each value recorded with the layer that set it.

Layers, from the weakest to the strongest:

1. ``notebook`` — the default in the notebook's cell tagged ``parameters``;
2. ``runner`` — what the run itself fixes (pair, phase, folders, sidecar path);
3. ``programme`` — values derived from ``params/programme.yml`` (thresholds from ``seuils``);
4. ``phase`` — ``params/phases/<phase>.yml``;
5. ``pair`` — ``params/pairs/<pair>.yml`` (optional);
6. ``file`` — each ``-f file.yml``, in the order given;
7. ``cli`` — each ``-p name value``.

Every name a user layer sets is checked against the notebooks' parameters cells (papermill itself
only warns), its type against the default's, and path values must stay inside the project or the
chosen data/output folders — all before any kernel starts. Values reach notebooks only as literals
written by papermill's translator, never as code.
"""

from __future__ import annotations

import ast
import contextlib
import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .. import paths
from ..atomic import prune
from ..core.programme import Thresholds
from ..core.yamlio import load_yaml
from ..errors import InputError, ParameterError, ProblemList, suggest

RESERVED = {
    "pair": "choisi par --pair",
    "phase": "choisi par --phase",
    "programme_file": "choisi par --programme",
    "output_dir": "choisi par --sorties",
    "results_dir": "fixé par le lanceur (dossier --sorties)",
    "sidecar_path": "fixé par le lanceur",
    "unavailable": "fixé par le lanceur d'après les échecs de l'exécution",
}
PATH_PARAMETERS = ("data_dir", "output_dir", "results_dir", "programme_file", "sidecar_path")
CACHE_EXCLUDED = ("sidecar_path",)

_TYPE_LABELS = {bool: "vrai ou faux (true/false)", int: "un nombre entier", float: "un nombre",
                str: "un texte", list: "une liste", dict: "un dictionnaire"}


@dataclass(frozen=True)
class Layer:
    """Values set by one layer.

    Attributes
    ----------
    name : str
        ``phase``, ``pair``, ``file`` or ``cli`` (user layers), ``runner``, ``programme``.
    source : str
        Where the values come from, as shown in messages and metadata (a file, ``-p``).
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
        """``phase:params/phases/midterm.yml``, ``cli:-p``…, recorded as the origin of a value."""
        return f"{self.name}:{self.source}" if self.source else self.name

    def where(self, name: str) -> str:
        """``file:line`` of a parameter, for messages."""
        line = self.lines.get(name)
        return f"{self.source}:{line}" if line else self.source


@dataclass
class Resolved:
    """A notebook's resolved parameters and the layer each value came from."""

    values: dict[str, Any]
    origins: dict[str, str]

    def digest(self) -> str:
        """sha256 of the values that define the result (the temporary sidecar path excluded)."""
        kept = {k: v for k, v in self.values.items() if k not in CACHE_EXCLUDED}
        text = json.dumps(kept, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


@lru_cache(maxsize=64)
def _read_cell(path: str, mtime_ns: int, cache_dir: str | None = None) -> dict[str, str]:
    """``name → default (source text)`` of the parameters cell, as papermill reads it."""
    raw = _cached_reading(path, cache_dir) if cache_dir else None
    if raw is None:
        import papermill

        raw = {name: info["default"] for name, info in papermill.inspect_notebook(path).items()}
    return raw


def _defaults(raw: dict[str, str]) -> dict[str, Any]:
    defaults: dict[str, Any] = {}
    for name, default in raw.items():
        try:
            defaults[name] = ast.literal_eval(default)
        except (ValueError, SyntaxError):
            defaults[name] = None  # an expression: no type to check against
    return defaults


KEEP_READINGS = 64  # parameters-cell readings kept: the battery's notebooks, several versions each


def _reading_file(path: Path, cache_dir: Path) -> Path:
    from importlib.metadata import version

    h = hashlib.sha256(f"papermill {version('papermill')}\n".encode())
    h.update(Path(path).read_bytes())
    return Path(cache_dir) / f"{h.hexdigest()}.json"


def _cached_reading(path: str, cache_dir: str) -> dict[str, str] | None:
    """papermill's reading of a parameters cell, kept by an earlier run.

    Importing papermill to read eight parameters cells is about half of a run with nothing to
    do; the reading depends only on the notebook's bytes and papermill's version (the key).
    """
    try:
        data = json.loads(_reading_file(Path(path), Path(cache_dir)).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    ok = isinstance(data, dict) and all(isinstance(v, str) for v in data.values())
    return data if ok else None


def remember_parameters(path: Path, cache_dir: Path) -> None:
    """Keep papermill's reading of a notebook's parameters cell for the next runs."""
    from ..atomic import write_atomic

    path = Path(path)
    target = _reading_file(path, Path(cache_dir))
    if not target.is_file():
        raw = _read_cell(str(path), path.stat().st_mtime_ns)
        with contextlib.suppress(OSError):  # only an optimisation
            write_atomic(target, json.dumps(raw, ensure_ascii=False))
            prune(Path(cache_dir), "*.json", KEEP_READINGS)


def notebook_parameters(path: Path, cache_dir: Path | None = None) -> dict[str, Any]:
    """The parameters cell of a notebook: name → default value (``None`` if not a literal).

    Parameters
    ----------
    path : Path
        The notebook.
    cache_dir : Path, optional
        Where an earlier run kept papermill's reading of the cell (:func:`remember_parameters`);
        read only.

    Returns
    -------
    dict
        In the cell's order.

    Raises
    ------
    ParameterError
        The notebook is missing or has no cell tagged ``parameters``.
    """
    path = Path(path)
    if not path.is_file():
        raise ParameterError(f"Carnet introuvable : {path}")
    defaults = _defaults(_read_cell(str(path), path.stat().st_mtime_ns,
                                    str(cache_dir) if cache_dir else None))
    if not defaults:
        raise ParameterError(f"Le carnet {path.name} n'a pas de cellule marquée « parameters ».")
    return dict(defaults)


def parse_cli_value(text: str) -> Any:
    """Read a ``-p`` value as a YAML scalar or list (``0.8`` → float, ``[a, b]`` → list).

    Anything YAML cannot read, or would silently turn into nothing (``#x``), stays the exact
    string typed.
    """
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError:
        return text
    if value is None and text.strip() not in ("", "~", "null", "Null", "NULL"):
        return text
    if not isinstance(value, str | int | float | bool | list | dict | type(None)):
        return text  # dates and the like: keep what was typed
    return value


def load_layer(path: Path, name: str, scope: str | None = None) -> Layer:
    """Load a parameter file: a YAML mapping ``name: value`` (safe loader, lines remembered).

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
        problems.add(doc.file, 1, None, None, "un dictionnaire « nom_du_parametre: valeur »",
                     kind="params-not-mapping")
        raise InputError(problems.items)
    values = {str(k): v for k, v in doc.data.items()}
    lines = {str(k): doc.lines.get((k,)) for k in doc.data}
    return Layer(name, doc.file, values, {k: v for k, v in lines.items() if v}, scope)


def cli_layer(pairs: tuple[tuple[str, str], ...] | list) -> Layer:
    """The ``-p name value`` layer (later repetitions win)."""
    return Layer("cli", "-p", {str(k): parse_cli_value(v) for k, v in pairs})


def inside(path: Path, roots: list[Path]) -> bool:
    """Whether ``path`` (resolved, symlinks followed) lies in one of ``roots``."""
    resolved = Path(path).resolve()
    return any(resolved == r.resolve() or r.resolve() in resolved.parents for r in roots)


def resolve_path_value(value: str) -> Path:
    """A path parameter as a path: relative values are relative to the project root."""
    raw = Path(str(value))
    return raw if raw.is_absolute() else paths.PROJ_ROOT / raw


def check_layers(layers: list[Layer], accepted: dict[str, dict[str, Any]],
                 roots: list[Path]) -> None:
    """Check every name and value set by user layers, reporting all problems at once.

    Parameters
    ----------
    layers : list of Layer
        The user layers (phase, pair, ``-f``, ``-p``).
    accepted : dict
        Notebook stem → its parameters cell (name → default).
    roots : list of Path
        Folders path parameters may point into (project root, data and output folders).

    Raises
    ------
    ParameterError
        One line per problem: unknown name (with the accepted ones and a suggestion), reserved
        name, wrong type, path escaping the allowed folders.
    """
    defaults: dict[str, Any] = {}
    for params in accepted.values():
        for name, default in params.items():
            defaults.setdefault(name, default)
    names = sorted(defaults)
    problems: list[str] = []
    for layer in layers:
        for name, value in layer.values.items():
            where = layer.where(name)
            if name not in defaults:
                problems.append(
                    f"{where} : paramètre inconnu « {name} »{suggest(name, names)}. "
                    f"Paramètres acceptés : {', '.join(n for n in names if n not in RESERVED)}.")
                continue
            if name in RESERVED:
                problems.append(f"{where} : le paramètre « {name} » ne se règle pas ici "
                                f"({RESERVED[name]}).")
                continue
            problem = type_problem(value, defaults[name])
            if problem:
                problems.append(f"{where} : paramètre « {name} » = « {value} » : "
                                f"attendu {problem}.")
                continue
            if name in PATH_PARAMETERS and not inside(resolve_path_value(value), roots):
                shown = ", ".join(str(r) for r in roots)
                problems.append(
                    f"{where} : paramètre « {name} » = « {value} » : ce chemin sort des dossiers "
                    f"autorisés ; attendu un chemin dans {shown}.")
    if problems:
        raise ParameterError("\n".join(problems))


def type_problem(value: Any, default: Any) -> str | None:
    """What a value should have been, given the default's type, or ``None`` if it fits."""
    if default is None:
        return None
    kind = type(default)
    if kind is bool:
        ok = isinstance(value, bool)
    elif kind is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif kind is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
    elif kind in (list, tuple):
        ok = isinstance(value, list)
        kind = list
    else:
        ok = isinstance(value, kind)
    return None if ok else _TYPE_LABELS.get(kind, kind.__name__)


def resolve(defaults: dict[str, Any], layers: list[Layer]) -> Resolved:
    """Apply the layers, in order, to one notebook's defaults.

    Only the names the notebook accepts are taken from each layer; an integer given for a float
    parameter becomes a float.

    Parameters
    ----------
    defaults : dict
        The notebook's parameters cell.
    layers : list of Layer
        From the weakest to the strongest.

    Returns
    -------
    Resolved
    """
    values = dict(defaults)
    origins = dict.fromkeys(defaults, "notebook")
    for layer in layers:
        for name, value in layer.values.items():
            if name not in defaults:
                continue
            if isinstance(defaults[name], float) and isinstance(value, int) \
                    and not isinstance(value, bool):
                value = float(value)
            values[name] = value
            origins[name] = layer.label
    return Resolved(values, origins)


def check_thresholds(resolved: Resolved) -> str | None:
    """A French problem if the resolved thresholds are refused, else ``None``.

    The check is :meth:`Thresholds.from_parameters`'s (the one place thresholds are checked);
    the message names where the values came from and does not depend on the notebook, so that a
    value refused for every notebook is said once.
    """
    given = {k: v for k, v in resolved.values.items() if k in Thresholds.model_fields}
    try:
        Thresholds.from_parameters(given)
    except ParameterError as exc:
        chosen = {resolved.origins.get(k) or "" for k in given}
        origins = sorted({o for o in chosen if o != "notebook" and not o.startswith("programme")}
                         or chosen)
        return f"{', '.join(origins)} : {exc}"
    return None
