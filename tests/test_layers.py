"""The package's rooms and the rule between them, read from every import of the source.

- the base (``maroc_eval/base``: paths, errors, formats, contracts) imports no room;
- ``core`` imports only the base;
- ``notebook`` imports only ``core`` and the base;
- ``run`` and ``report`` import only ``core`` and the base: never each other, never
  ``notebook`` (what notebooks call is not what runs or joins them);
- ``collect`` (forms and their import) imports only ``core`` and the base;
- ``grid`` (the evaluation team's grid and its import) imports only ``core`` and the base;
- ``signoff`` (signing reports) imports ``core``, the base and, to read the reports and their
  keys, ``report``; never ``run``;
- only ``cli`` (the entry point) sees every room.

Imports inside functions count as much as those at the top of a module, and so do imports by
name (``importlib.import_module("maroc_eval.…")``, ``__import__``); ``run`` names no module of
``notebook`` at all, not even as a string (what the warm kernel process imports is the
catalogue's data, :data:`maroc_eval.base.catalogue.WARM_IMPORTS`).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from maroc_eval.base import paths

ROOMS = ("core", "notebook", "run", "report", "collect", "grid", "signoff")
ALLOWED = {
    "base": {"base"},
    "core": {"base", "core"},
    "notebook": {"base", "core", "notebook"},
    "run": {"base", "core", "run"},
    "report": {"base", "core", "report"},
    "collect": {"base", "core", "collect"},
    "grid": {"base", "core", "grid"},
    "signoff": {"base", "core", "report", "signoff"},
    "cli": {"base", "core", "notebook", "run", "report", "collect", "grid", "signoff", "cli"},
}


def room_of(module: str) -> str:
    """The room of a dotted module name under ``maroc_eval`` (the package itself, its
    ``__init__``, counts as the base: it holds only the version)."""
    parts = module.split(".")[1:]
    if not parts:
        return "base"
    if parts[0] == "cli":
        return "cli"
    return parts[0] if parts[0] in ROOMS else "base"


def module_name(path: Path) -> str:
    rel = path.relative_to(paths.PACKAGE_DIR.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def imported(path: Path) -> list[tuple[int, str]]:
    """``(line, module)`` of every ``maroc_eval`` module a file imports."""
    name = module_name(path)
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("maroc_eval")]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join([*base, *(node.module.split(".") if node.module else [])])
            else:
                target = node.module or ""
            if not target.startswith("maroc_eval"):
                continue
            if node.module is None or target == "maroc_eval":
                found += [(node.lineno, f"{target}.{a.name}") for a in node.names]
            else:
                found.append((node.lineno, target))
        elif isinstance(node, ast.Call) and _imports_by_name(node.func) and node.args \
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str) \
                and node.args[0].value.startswith("maroc_eval"):
            found.append((node.lineno, node.args[0].value))
    return found


def _imports_by_name(func: ast.expr) -> bool:
    """Whether a call imports a module named by its first argument."""
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    return name in ("import_module", "__import__", "find_spec")


def named_modules(path: Path) -> list[tuple[int, str]]:
    """``(line, text)`` of every string constant of a file naming a ``maroc_eval`` module."""
    return [(node.lineno, node.value) for node in ast.walk(ast.parse(path.read_text("utf-8")))
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and node.value.startswith("maroc_eval.")]


SOURCES = sorted(paths.PACKAGE_DIR.rglob("*.py"))


def test_every_room_exists():
    for room in ROOMS:
        assert (paths.PACKAGE_DIR / room / "__init__.py").is_file(), room


def test_the_top_of_the_package_shows_only_the_rooms_the_base_and_the_cli():
    """Every shared module lives in ``base/``: the top holds the rooms, the base, the command
    line and the package's data (catalogues, the typing marker)."""
    top = {p.name for p in paths.PACKAGE_DIR.iterdir() if p.name != "__pycache__"}
    assert top == {*ROOMS, "base", "cli.py", "__init__.py", "locale", "py.typed"}
    assert (paths.PACKAGE_DIR / "base" / "__init__.py").is_file()


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(paths.PACKAGE_DIR)))
def test_imports_respect_the_rooms(path):
    here = room_of(module_name(path))
    wrong = [f"{path.name}:{line} imports {target} ({room_of(target)})"
             for line, target in imported(path) if room_of(target) not in ALLOWED[here]]
    assert not wrong, f"{here} may import only {sorted(ALLOWED[here])}:\n" + "\n".join(wrong)


def test_the_rule_catches_a_forbidden_import(tmp_path):
    """The reader sees relative, absolute and in-function imports (a test of the test)."""
    fake = paths.PACKAGE_DIR / "run" / "_fake_for_test.py"
    fake.write_text("import importlib\n\ndef f():\n    from ..report import build\n"
                    "    import maroc_eval.notebook.charts\n"
                    "    importlib.import_module('maroc_eval.grid.reader')\n"
                    "    __import__('maroc_eval.collect.form')\n")
    try:
        targets = {room_of(t) for _, t in imported(fake)}
    finally:
        fake.unlink()
    assert targets == {"report", "notebook", "grid", "collect"}


RUN_SOURCES = sorted((paths.PACKAGE_DIR / "run").rglob("*.py"))


@pytest.mark.parametrize("path", RUN_SOURCES, ids=lambda p: p.name)
def test_run_names_no_notebook_module(path):
    """Not even as a string: a module imported by name is an import the graph does not see."""
    wrong = [f"{path.name}:{line} {text}" for line, text in named_modules(path)
             if room_of(text) == "notebook"]
    assert not wrong, "\n".join(wrong)
