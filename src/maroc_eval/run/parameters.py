"""What ``maroc-eval run`` gives each notebook, checked before any kernel starts.

A notebook's parameters are of two kinds:

- those the runner fixes (:data:`RESERVED`): the pair and phase, the programme, data and output
  folders, the sidecar's temporary path, the results that failed in this run;
- its *settings* (status thresholds, the RI's own options), resolved in layers by
  :mod:`maroc_eval.core.settings`: programme → ``params/phases/<phase>.yml`` →
  ``params/pairs/<pair>.yml`` → explicit values. The runner injects only the explicit ones
  (each ``-f file.yml``, then each ``-p name value``); the notebook reads the phase and pair
  files itself, the same way it does in JupyterLab, so both give the same figures.

Every name a user layer sets (phase and pair files, ``-f``, ``-p``) is checked against the
notebooks' parameters cells (papermill itself only warns) and its type against the cell's
declared type (``threshold_on_track: float = None``) or its default's — all before any kernel
starts. Values reach notebooks only as literals written by papermill's translator, never as code.
"""

from __future__ import annotations

import ast
import contextlib
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..base.atomic import prune, write_atomic
from ..base.digest import json_digest, sha256
from ..base.errors import ParameterError, suggest
from ..base.i18n import N_, _
from ..core.setting_registry import number
from ..core.settings import Layer

RESERVED = {
    "pair": N_("choisi par --pair"),
    "phase": N_("choisi par --phase"),
    "programme_file": N_("choisi par --programme"),
    "data_dir": N_("choisi par --donnees ou params/projet.yml"),
    "output_dir": N_("choisi par --sorties"),
    "results_dir": N_("fixé par le lanceur (dossier --sorties)"),
    "sidecar_path": N_("fixé par le lanceur"),
    "unavailable": N_("fixé par le lanceur d'après les échecs de l'exécution"),
    "langue": N_("choisi par --langue ou params/projet.yml"),
}
"""The parameters the runner fixes, and who chooses each (translated where shown)."""
LOCATION = ("output_dir", "results_dir", "sidecar_path")
"""Where outputs go: not part of what a result depends on (a moved outputs folder stays valid)."""

TYPES = {"bool": bool, "int": int, "float": float, "str": str, "list": list, "dict": dict}
_TYPE_LABELS = {bool: N_("vrai ou faux (true/false)"), int: N_("un nombre entier"),
                float: N_("un nombre"), str: N_("un texte"), list: N_("une liste"),
                dict: N_("un dictionnaire")}
KEEP_READINGS = 64  # parameters-cell readings kept: the battery's notebooks, several versions each
READING_FORMAT = 2  # bump when what is kept of papermill's reading changes


@dataclass(frozen=True)
class CellParameter:
    """A parameter of a notebook's cell: its default, and its type when the cell gives one.

    ``threshold_on_track: float = None`` declares a float whose default comes from the layers;
    ``min_share_women = 0.3`` a float by its default.
    """

    default: Any
    kind: type | None


@dataclass
class Injected:
    """The values the runner passes a notebook, and the layer each came from."""

    values: dict[str, Any]
    origins: dict[str, str]

    def digest(self) -> str:
        """sha256 of the values a result depends on (where outputs go left out)."""
        return json_digest({k: v for k, v in self.values.items() if k not in LOCATION})


# -- the parameters cells -------------------------------------------------------------------
@lru_cache(maxsize=64)
def _read_cell(path: str, mtime_ns: int, cache_dir: str | None = None) -> dict[str, dict]:
    """``name → {default, type}`` (source texts) of the parameters cell, as papermill reads it."""
    raw = _cached_reading(path, cache_dir) if cache_dir else None
    if raw is None:
        import papermill

        raw = {name: {"default": info["default"], "type": info["inferred_type_name"]}
               for name, info in papermill.inspect_notebook(path).items()}
    return raw


def _reading_file(path: Path, cache_dir: Path) -> Path:
    from importlib.metadata import version

    header = f"papermill {version('papermill')} reading {READING_FORMAT}\n".encode()
    return Path(cache_dir) / f"{sha256(header + Path(path).read_bytes())}.json"


def _cached_reading(path: str, cache_dir: str) -> dict[str, dict] | None:
    """papermill's reading of a parameters cell, kept by an earlier run.

    Importing papermill to read eight parameters cells is about half of a run with nothing to
    do; the reading depends only on the notebook's bytes and papermill's version (the key).
    """
    try:
        data = json.loads(_reading_file(Path(path), Path(cache_dir)).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    ok = isinstance(data, dict) and all(isinstance(v, dict) and isinstance(v.get("default"), str)
                                        for v in data.values())
    return data if ok else None


def remember_parameters(path: Path, cache_dir: Path) -> None:
    """Keep papermill's reading of a notebook's parameters cell for the next runs."""
    path = Path(path)
    target = _reading_file(path, Path(cache_dir))
    if not target.is_file():
        raw = _read_cell(str(path), path.stat().st_mtime_ns)
        with contextlib.suppress(OSError):  # only an optimisation
            write_atomic(target, json.dumps(raw, ensure_ascii=False))
            prune(Path(cache_dir), "*.json", KEEP_READINGS)


def notebook_parameters(path: Path, cache_dir: Path | None = None) -> dict[str, CellParameter]:
    """The parameters cell of a notebook: name → default and type, in the cell's order.

    Parameters
    ----------
    path : Path
        The notebook.
    cache_dir : Path, optional
        Where an earlier run kept papermill's reading of the cell (:func:`remember_parameters`);
        read only.

    Raises
    ------
    ParameterError
        The notebook is missing or has no cell tagged ``parameters``.
    """
    path = Path(path)
    if not path.is_file():
        raise ParameterError(_("Carnet introuvable : {path}").format(path=path))
    raw = _read_cell(str(path), path.stat().st_mtime_ns, str(cache_dir) if cache_dir else None)
    if not raw:
        raise ParameterError(_("Le carnet {name} n'a pas de cellule marquée « parameters ».")
                             .format(name=path.name))
    found = {}
    for name, info in raw.items():
        try:
            default = ast.literal_eval(info["default"])
        except (ValueError, SyntaxError):
            default = None  # an expression: no type to check against
        kind = TYPES.get(info.get("type") or "")
        found[name] = CellParameter(default, kind or (type(default) if default is not None
                                                      else None))
    return found


# -- values given on the command line ---------------------------------------------------------
_NULL = {"", "~", "null", "Null", "NULL"}
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False,
         "FALSE": False}
_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")


def parse_cli_value(text: str, kind: type | None = None) -> Any:
    """Read a ``-p`` value as an inert literal.

    A parameter declared as text keeps the text typed (``-p phase "final #2"``). Otherwise the
    YAML 1.2 core rules read it — ``true``/``false``, integers, decimals (``0.8``), ``null`` —
    and a list written ``[a, b]``; a number parameter takes the decimal comma too (``0,8``);
    anything else stays the text typed: no sexagesimal numbers
    (``1:30`` is not 90), no comment cut off (``#x`` stays), no dates.
    """
    if kind is str:
        return text
    t = text.strip()
    if t in _NULL:
        return None
    if t in _BOOL:
        return _BOOL[t]
    if _INT.fullmatch(t):
        return int(t, 0) if t[:2] in ("0o", "0x") else int(t)
    if _FLOAT.fullmatch(t):
        return float(t)
    if kind in (float, int) and isinstance(number(t), float):
        return number(t)  # the decimal comma, as a French user types it: 0,9
    if t.startswith("[") and t.endswith("]"):
        items = [i.strip() for i in t[1:-1].split(",")] if t[1:-1].strip() else []
        return [parse_cli_value(i.strip("\"'"), None) if i else i for i in items]
    return text


def cli_layer(pairs, kinds: dict[str, type] | None = None) -> Layer:
    """The ``-p name value`` layer (later repetitions win), values read by their declared type."""
    kinds = kinds or {}
    return Layer("cli", "-p", {str(k): parse_cli_value(v, kinds.get(str(k))) for k, v in pairs})


def declared_types(accepted: dict[str, dict[str, CellParameter]]) -> dict[str, type]:
    """The type of each parameter name across the notebooks (the first cell that gives one)."""
    kinds: dict[str, type] = {}
    for params in accepted.values():
        for name, param in params.items():
            if param.kind is not None:
                kinds.setdefault(name, param.kind)
    return kinds


# -- checks ------------------------------------------------------------------------------
def check_layers(layers: list[Layer], accepted: dict[str, dict[str, CellParameter]]) -> None:
    """Check every name and value set by user layers, reporting all problems at once.

    Parameters
    ----------
    layers : list of Layer
        The user layers (phase and pair files, ``-f``, ``-p``).
    accepted : dict
        Notebook stem → its parameters cell.

    Raises
    ------
    ParameterError
        One line per problem: unknown name (with the accepted ones and a suggestion), a name
        the runner fixes, a value of the wrong type.
    """
    names = sorted({n for params in accepted.values() for n in params})
    kinds = declared_types(accepted)
    problems: list[str] = []
    for layer in layers:
        for name, value in layer.values.items():
            where = layer.where(name)
            if name not in names:
                settable = ", ".join(n for n in names if n not in RESERVED)
                problems.append(_("{where} : paramètre inconnu « {name} »{hint}. Paramètres "
                                  "acceptés : {settable}.").format(
                                      where=where, name=name, hint=suggest(name, names),
                                      settable=settable))
            elif name in RESERVED:
                problems.append(_("{where} : le paramètre « {name} » ne se règle pas ici "
                                  "({who}).").format(where=where, name=name,
                                                     who=_(RESERVED[name])))
            elif problem := type_problem(typed(value, kinds.get(name)), kinds.get(name)):
                problems.append(_("{where} : paramètre « {name} » = « {value} » : attendu "
                                  "{expected}.").format(where=where, name=name, value=value,
                                                        expected=problem))
    if problems:
        raise ParameterError("\n".join(problems))


def typed(value: Any, kind: type | None) -> Any:
    """A value for a number parameter typed as text in a file (``"0,9"``) read as the number."""
    return number(value) if kind in (int, float) else value


def explicit_layers(params_files, params, accepted: dict[str, dict[str, CellParameter]],
                    files: list[Layer] = ()) -> list[Layer]:
    """The ``-f`` files then the ``-p`` values of a command, checked with the phase and pair
    ``files`` against the notebooks' parameters cells (:func:`check_layers`, every problem at
    once): ``run`` and ``summary`` read them with this one function, so that both apply the
    same values."""
    from ..core.settings import load_layer

    layers = [load_layer(Path(f), "file") for f in params_files]
    if params:
        layers.append(cli_layer(params, declared_types(accepted)))
    check_layers([*files, *layers], accepted)
    return layers


def command_layers(params_files, params, notebooks_dir: Path, stems, cache_dir: Path | None,
                   files: list[Layer] = ()) -> list[Layer]:
    """:func:`explicit_layers` checked against the parameters cells of the notebooks ``stems``
    of ``notebooks_dir`` (read once; none read when the command gives neither)."""
    if not params_files and not params and not files:
        return []
    accepted = {stem: notebook_parameters(Path(notebooks_dir) / f"{stem}.ipynb", cache_dir)
                for stem in stems}
    return explicit_layers(params_files, params, accepted, files)


def type_problem(value: Any, kind: type | None) -> str | None:
    """What a value should have been, given the parameter's type, or ``None`` if it fits."""
    if kind is None or value is None:
        return None
    if kind is bool:
        ok = isinstance(value, bool)
    elif kind is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif kind is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
    elif kind in (list, tuple):
        ok, kind = isinstance(value, list), list
    else:
        ok = isinstance(value, kind)
    return None if ok else (_(_TYPE_LABELS[kind]) if kind in _TYPE_LABELS else kind.__name__)


def injected(cell: dict[str, CellParameter], layers: list[Layer]) -> Injected:
    """The values the runner passes a notebook: its fixed ones, then the explicit settings.

    Only the names the notebook's cell has are taken from each layer; an integer given for a
    float parameter becomes a float.
    """
    values: dict[str, Any] = {}
    origins: dict[str, str] = {}
    for layer in layers:
        for name, value in layer.values.items():
            if name not in cell:
                continue
            value = typed(value, cell[name].kind)
            if cell[name].kind is float and isinstance(value, int) and not isinstance(value, bool):
                value = float(value)
            values[name], origins[name] = value, layer.label
    return Injected(values, origins)
