"""Safe YAML loading that remembers where every key stands, for precise error messages.

Only plain data is built (texts, numbers, booleans, dates, lists, mappings); duplicate keys,
tabs and tags such as ``!!python/…`` are errors, not silent. The document is built from
PyYAML's event stream by a loop rather than by PyYAML's recursive composer, so that cost stays
bounded on any input: a file holding more than :data:`MAX_SEPARATORS` values, nesting deeper
than :data:`MAX_DEPTH` (which would overflow libyaml's C stack) and aliases whose expansion
exceeds :data:`MAX_EXPANSION` (a few hundred bytes of nested ``&a``/``*a`` can stand for
billions of values) are refused with their line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..base import i18n, paths
from ..base.errors import InputError, ProblemList, display_path, file_problem, os_reason
from ..base.i18n import N_, _

MAX_DEPTH = 200
"""Deepest nesting of lists and mappings accepted (the programme needs 5)."""
MAX_SEPARATORS = 100_000
"""Most separators (``, : [ { -`` and line ends) a file may hold: each may start a value, and
parsing costs about 3 µs a value. A programme or judgements file holds a few thousand; past
this, a file is refused before it is parsed, so that any file is answered within a second."""
MAX_EXPANSION = 100_000
"""Most values the aliases (``*a``) of a document may stand for (the programme's: a few dozen)."""


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
               ("str", "int", "float", "bool", "null", "map", "seq", "timestamp", "binary")}
_UNSAFE = N_("des données simples (texte, nombre, liste, dictionnaire) : les balises YAML "
             "comme !!python/… ne sont pas acceptées")
# libyaml's parser when PyYAML was built with it (the wheels are): the same events and marks as
# the pure-Python one, about eight times faster (the programme, the judgements, parameter files).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_CONSTRUCTOR = yaml.SafeLoader("")


class _Refused(Exception):
    """The document is refused; the problem is already recorded."""


@dataclass
class _Frame:
    """A mapping or list being built, where it stands, and the key waiting for its value."""

    value: Any
    path: tuple
    anchor: str | None
    size: int = 1
    key: Any = None
    has_key: bool = False


class _Builder:
    """Builds the document from parser events, with lines, and every problem recorded."""

    def __init__(self, file: str, problems: ProblemList):
        self.file, self.problems = file, problems
        self.lines: dict[tuple, int] = {}
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.stack: list[_Frame] = []
        self.expanded = 0
        self.root: Any = None

    def error(self, mark, path: tuple, value, expected: str, kind: str) -> None:
        self.problems.add(self.file, mark.line + 1 if mark else None,
                          ".".join(map(str, path)) or None, value, expected, kind=kind)

    def where(self) -> tuple:
        """The path of the value the next event gives."""
        if not self.stack:
            return ()
        top = self.stack[-1]
        if isinstance(top.value, list):
            return (*top.path, len(top.value))
        return (*top.path, top.key) if top.has_key else top.path

    def expand(self, n: int, mark, alias: str) -> None:
        """Count what an alias stands for; refuse the document past :data:`MAX_EXPANSION`."""
        self.expanded += n
        if self.expanded > MAX_EXPANSION:
            self.error(mark, self.where(), f"*{alias}",
                       _("des alias (*…) qui représentent moins de {limit} valeurs en tout : ces "
                         "ancres (&…) et alias se multiplient les uns les autres (fichier "
                         "piégé ?)").format(limit=_grouped(MAX_EXPANSION)), "yaml-aliases")
            raise _Refused

    def scalar(self, event) -> Any:
        tag = event.tag if event.tag not in (None, "!") else \
            _CONSTRUCTOR.resolve(yaml.ScalarNode, event.value, event.implicit)
        if tag == "tag:yaml.org,2002:merge":
            self.error(event.start_mark, self.where(), event.value,
                       _("pas de clé de fusion « << » : recopiez les valeurs voulues"),
                       "yaml-syntax")
            return None
        if tag not in _PLAIN_TAGS or tag in ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):
            self.error(event.start_mark, self.where(), event.tag, _(_UNSAFE), "yaml-syntax")
            return None
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        return _CONSTRUCTOR.yaml_constructors[tag](_CONSTRUCTOR, node)

    def add(self, value, mark, size: int = 1) -> None:
        """Place a finished value (scalar, alias or closed collection) in its parent."""
        if not self.stack:
            self.root = value
            return
        top = self.stack[-1]
        top.size += size
        if isinstance(top.value, list):
            top.value.append(value)
        elif not top.has_key:
            key = str(value) if isinstance(value, list | dict) else value
            if key in top.value:
                self.error(mark, (*top.path, key), key,
                           _("une clé unique (cette clé apparaît deux fois)"), "duplicate-key")
            top.key, top.has_key = key, True
            self.lines[(*top.path, key)] = mark.line + 1
        else:
            top.value[top.key] = value
            top.has_key = False

    def start(self, event, value) -> None:
        if event.tag not in (None, "!") and event.tag not in _PLAIN_TAGS:
            self.error(event.start_mark, self.where(), event.tag, _(_UNSAFE), "yaml-syntax")
        if len(self.stack) >= MAX_DEPTH:
            self.error(event.start_mark, self.where(), None,
                       _("une imbrication de moins de {limit} niveaux de listes et "
                         "dictionnaires").format(limit=MAX_DEPTH), "yaml-depth")
            raise _Refused
        path = self.where()
        self.lines.setdefault(path, event.start_mark.line + 1)
        self.stack.append(_Frame(value, path, event.anchor))

    def end(self, mark) -> None:
        frame = self.stack.pop()
        if frame.anchor:
            self.anchors[frame.anchor] = (frame.value, frame.size)
        self.add(frame.value, mark, frame.size)

    def feed(self, event) -> None:
        if isinstance(event, yaml.ScalarEvent):
            self.lines.setdefault(self.where(), event.start_mark.line + 1)
            value = self.scalar(event)
            if event.anchor:
                self.anchors[event.anchor] = (value, 1)
            self.add(value, event.start_mark)
        elif isinstance(event, yaml.AliasEvent):
            if event.anchor not in self.anchors:
                self.error(event.start_mark, self.where(), f"*{event.anchor}",
                           _("un alias dont l'ancre « &{anchor} » est définie plus haut").format(
                               anchor=event.anchor), "yaml-syntax")
            value, size = self.anchors.get(event.anchor, (None, 1))
            self.expand(size, event.start_mark, event.anchor)
            self.add(value, event.start_mark, size)
        elif isinstance(event, yaml.MappingStartEvent):
            self.start(event, {})
        elif isinstance(event, yaml.SequenceStartEvent):
            self.start(event, [])
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            self.end(event.start_mark)
        elif isinstance(event, yaml.DocumentStartEvent) and self.root is not None:
            self.error(event.start_mark, (), None,
                       _("un seul document YAML (pas de « --- » séparant plusieurs documents)"),
                       "yaml-syntax")
            raise _Refused


def _grouped(n: int) -> str:
    """A whole number with its thousands grouped (``100 000``; English ``100,000``)."""
    return f"{n:,}".replace(",", " ") if i18n.language() == "fr" else f"{n:,}"


def _char_at(text: str, mark) -> str | None:
    """The character at a PyYAML mark (``None`` at the end of the file)."""
    return text[mark.index] if mark is not None and mark.index < len(text) else None


def _flow_depth(text: str, index: int) -> int:
    """How many ``[`` and ``{`` are still open before ``index`` (libyaml refuses a nesting past
    a thousand while it scans ahead, before the document's events reach :class:`_Builder`)."""
    before = text[:index]
    return before.count("[") + before.count("{") - before.count("]") - before.count("}")


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, shown: str,
                    problems: ProblemList) -> None:
    """Locate a syntax error where the user must look: an unclosed quote or bracket where it
    opens (PyYAML's context mark), not at the end of the file where the parser noticed it.

    Told from PyYAML's public facts only (its error class and its marks: where the problem was
    noticed, where what it was reading opened), never from its English messages."""
    mark, opened = exc.problem_mark, exc.context_mark
    lines = text.splitlines()
    found = _char_at(text, mark)
    at_end = mark is not None and (mark.line >= len(lines) or found is None)
    if opened is not None and (mark is None or at_end):
        mark = opened
    line = mark.line + 1 if mark else None
    col = _("colonne {n}").format(n=mark.column + 1) if mark else None
    bad = lines[mark.line].strip() if mark and mark.line < len(lines) else None
    if found == "\t":
        hint = _("un YAML indenté avec des espaces, pas de tabulation")
    elif at_end and _char_at(text, opened) in ("'", '"'):
        hint = _("un YAML valide : guillemet ouvert ici et jamais fermé")
    elif "\t" in text:
        hint = _("un YAML valide, indenté avec des espaces, pas de tabulation")
    else:
        hint = _("un YAML valide")
    if mark is not None and _flow_depth(text, mark.index) >= MAX_DEPTH:
        hint = _("une imbrication de moins de {limit} niveaux de listes et "
                 "dictionnaires").format(limit=MAX_DEPTH)
        detail = _("imbrication trop profonde")
    elif found is None:
        detail = _("la fin du fichier arrive trop tôt")
    elif found == "\t":
        detail = _("une tabulation ici")
    elif isinstance(exc, yaml.scanner.ScannerError):
        detail = _("caractère inattendu « {char} »").format(char=found)
    else:
        detail = _("structure inattendue à « {char} » (indentation incohérente ?)").format(
            char=found)
    if opened is not None and opened is not mark:
        detail += _(" ; commencé ligne {line}, colonne {col}").format(
            line=opened.line + 1, col=opened.column + 1)
    problems.add(shown, line, col, bad, f"{hint} ({detail})", kind="yaml-syntax")


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
        The file cannot be read, is not UTF-8, is not valid YAML (tabs included), repeats a key,
        nests too deep or expands its aliases too far.
    """
    shown = display_path(path)
    problems = ProblemList()
    if paths.path_kind(path) == paths.SPECIAL:  # a pipe or a device: reading could never end
        file_problem(path, problems, _("un fichier YAML"))
        raise InputError(problems.items)
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        problems.add(shown, None, None, None, _("un fichier existant"), kind="missing-file")
        raise InputError(problems.items) from None
    except IsADirectoryError:
        problems.add(shown, None, None, None, _("un fichier YAML, pas un dossier"),
                     kind="unreadable")
        raise InputError(problems.items) from None
    except UnicodeDecodeError as exc:
        problems.add(shown, None, None, _("octet 0x{byte:02x}").format(byte=exc.object[exc.start]),
                     _("un fichier YAML encodé en UTF-8"), kind="encoding")
        raise InputError(problems.items) from None
    except OSError as exc:
        problems.add(shown, None, None, os_reason(exc), _("un fichier lisible"), kind="unreadable")
        raise InputError(problems.items) from None
    separators = sum(text.count(c) for c in ",:[{-\n")
    if separators > MAX_SEPARATORS:
        problems.add(shown, None, None,
                     _("{n} séparateurs").format(n=_grouped(separators)),
                     _("un fichier de paramètres ou d'appréciations de moins de {limit} valeurs "
                       "(un tel fichier en compte quelques milliers) : vérifiez qu'il s'agit du "
                       "bon fichier").format(limit=_grouped(MAX_SEPARATORS)), kind="too-large")
        raise InputError(problems.items)
    builder = _Builder(shown, problems)
    try:
        for event in yaml.parse(text, Loader=_LOADER):
            builder.feed(event)
    except yaml.MarkedYAMLError as exc:
        _syntax_problem(exc, text, shown, problems)
    except yaml.YAMLError as exc:
        problems.add(shown, None, None, None, _("un YAML valide ({detail})").format(detail=exc),
                     kind="yaml-syntax")
    except _Refused:
        pass
    problems.raise_if_errors()
    lines = builder.lines
    lines.setdefault((), 1)
    return YamlDocument(data=builder.root, lines=lines, file=shown)
