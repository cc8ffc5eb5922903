"""Safe YAML loading that remembers where every key stands, for precise error messages.

Only plain data is built (``yaml.SafeLoader``); duplicate keys and tabs are errors, not silent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import InputError, ProblemList, display_path


@dataclass
class YamlDocument:
    """A loaded YAML document and the line of each key path.

    Attributes
    ----------
    data : Any
        The plain Python data (dicts, lists, scalars).
    lines : dict
        Maps a key path (tuple of keys and list indices) to its 1-based line.
    file : str
        The file, as shown in messages.
    """

    data: Any
    lines: dict[tuple, int] = field(default_factory=dict)
    file: str = "<yaml>"

    def line_of(self, path: tuple) -> int | None:
        """Line of the deepest known prefix of ``path`` (a pydantic ``loc`` works too)."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)


_PLAIN_TAGS = {f"tag:yaml.org,2002:{t}" for t in
               ("str", "int", "float", "bool", "null", "map", "seq", "timestamp", "binary", "merge")}


def _walk(node: yaml.Node, path: tuple, lines: dict, problems: ProblemList, file: str) -> Any:
    lines.setdefault(path, node.start_mark.line + 1)
    if node.tag not in _PLAIN_TAGS:
        problems.add(file, node.start_mark.line + 1, ".".join(map(str, path)) or None, node.tag,
                     "des données simples (texte, nombre, liste, dictionnaire) : les balises "
                     "YAML comme !!python/… ne sont pas acceptées", kind="yaml-syntax")
        return None
    if isinstance(node, yaml.MappingNode):
        out: dict = {}
        for key_node, value_node in node.value:
            key = yaml.SafeLoader.construct_object(_CONSTRUCTOR, key_node, deep=True)
            if isinstance(key, list | dict):
                key = str(key)
            if key in out:
                problems.add(
                    file, key_node.start_mark.line + 1, ".".join(map(str, (*path, key))), key,
                    "une clé unique (cette clé apparaît deux fois)", kind="duplicate-key",
                )
            lines[(*path, key)] = key_node.start_mark.line + 1
            out[key] = _walk(value_node, (*path, key), lines, problems, file)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_walk(item, (*path, i), lines, problems, file) for i, item in enumerate(node.value)]
    return yaml.SafeLoader.construct_object(_CONSTRUCTOR, node, deep=True)


_CONSTRUCTOR = yaml.SafeLoader("")
# libyaml's parser when PyYAML was built with it (the wheels are): the same nodes and marks as
# the pure-Python one, about eight times faster (the programme, the judgements, parameter files).
_COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(path: Path | str) -> YamlDocument:
    """Load a YAML file safely, with the line of every key.

    Parameters
    ----------
    path : Path or str
        The file to read.

    Returns
    -------
    YamlDocument

    Raises
    ------
    InputError
        The file cannot be read, is not UTF-8, is not valid YAML (tabs included) or repeats a key.
    """
    shown = display_path(path)
    problems = ProblemList()
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        problems.add(shown, None, None, None, "un fichier existant", kind="missing-file")
        raise InputError(problems.items) from None
    except UnicodeDecodeError as exc:
        problems.add(shown, None, None, f"octet 0x{exc.object[exc.start]:02x}",
                     "un fichier YAML encodé en UTF-8", kind="encoding")
        raise InputError(problems.items) from None
    except OSError as exc:
        problems.add(shown, None, None, exc.strerror, "un fichier lisible", kind="unreadable")
        raise InputError(problems.items) from None
    try:
        node = yaml.compose(text, Loader=_COMPOSER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        col = f"colonne {mark.column + 1}" if mark else None
        bad = text.splitlines()[mark.line].strip() if mark and mark.line < len(text.splitlines()) else None
        hint = "un YAML valide, indenté avec des espaces (pas de tabulation)" if "\t" in text else "un YAML valide"
        problems.add(shown, line, col, bad, f"{hint} ({exc.problem})", kind="yaml-syntax")
        raise InputError(problems.items) from None
    except yaml.YAMLError as exc:
        problems.add(shown, None, None, None, f"un YAML valide ({exc})", kind="yaml-syntax")
        raise InputError(problems.items) from None
    lines: dict = {}
    data = None if node is None else _walk(node, (), lines, problems, shown)
    problems.raise_if_errors()
    return YamlDocument(data=data, lines=lines, file=shown)
