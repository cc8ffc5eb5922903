"""The source uses only the public API of the libraries it builds on, read from its syntax tree.

A private name (one underscore) of papermill, nbconvert, nbclient, jupyter_client, openpyxl,
pydantic, PyYAML or Click — imported, reached as an attribute of one of their modules or
classes, or reached on ``self`` in a subclass of one of their classes without being defined
there — may change in any release without notice; so may ``sys.modules``, which no module
assigns. Anything that truly could not be replaced would be pinned with an upper bound in
``pyproject.toml``, tested to fail on upgrade and listed in the README: today, nothing.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from maroc_eval.base import paths

LIBRARIES = ("papermill", "nbconvert", "nbclient", "jupyter_client", "openpyxl", "pydantic",
             "yaml", "click")
SOURCES = sorted(paths.PACKAGE_DIR.rglob("*.py"))


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _library(module: str | None) -> bool:
    return bool(module) and module.split(".")[0] in LIBRARIES


def _root(node: ast.expr) -> str | None:
    while isinstance(node, ast.Attribute | ast.Call | ast.Subscript):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def _defined_here(cls: ast.ClassDef) -> set[str]:
    names = set()
    for node in ast.walk(cls):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            names.add(node.attr)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
    return names


def _sys_modules(node: ast.AST) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == "modules"
            and isinstance(node.value, ast.Name) and node.value.id == "sys")


def problems(source: str) -> list[str]:
    """Every use of a private name of the libraries, and every change to ``sys.modules``."""
    tree = ast.parse(source)
    bound: set[str] = set()  # names standing for a library module or one of its objects
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if _library(alias.name):
                    bound.add((alias.asname or alias.name).split(".")[0])
                    if any(_private(part) for part in alias.name.split(".")):
                        found.append(f"{node.lineno}: import {alias.name}")
        elif isinstance(node, ast.ImportFrom) and _library(node.module) and not node.level:
            if any(_private(part) for part in node.module.split(".")):
                found.append(f"{node.lineno}: from {node.module}")
            for alias in node.names:
                bound.add(alias.asname or alias.name)
                if _private(alias.name):
                    found.append(f"{node.lineno}: from {node.module} import {alias.name}")
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _private(node.attr) and _root(node) in bound:
            found.append(f"{node.lineno}: {ast.unparse(node)}")
        elif isinstance(node, ast.ClassDef) and any(_root(b) in bound for b in node.bases):
            own = _defined_here(node)
            found += [f"{n.lineno}: {ast.unparse(n)} (inherited)" for n in ast.walk(node)
                      if isinstance(n, ast.Attribute) and _private(n.attr)
                      and isinstance(n.value, ast.Name) and n.value.id == "self"
                      and n.attr not in own]
        elif isinstance(node, ast.Assign | ast.AugAssign | ast.Delete):
            targets = node.targets if isinstance(node, ast.Assign | ast.Delete) else [node.target]
            found += [f"{node.lineno}: {ast.unparse(t)} assigned" for t in targets
                      if isinstance(t, ast.Subscript) and _sys_modules(t.value)]
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and _sys_modules(node.func.value)
              and node.func.attr in ("setdefault", "update", "pop", "__setitem__")):
            found.append(f"{node.lineno}: {ast.unparse(node)}")
    return found


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(paths.PACKAGE_DIR)))
def test_no_private_name_of_a_library_and_no_sys_modules_change(path: Path):
    found = problems(path.read_text("utf-8"))
    assert not found, f"{path.name}:\n" + "\n".join(found)


@pytest.mark.parametrize("code", [
    "from nbconvert.exporters.html import _x\n",
    "import papermill._private\n",
    "from click._compat import term_len\n",
    "import openpyxl\ndef f(ws):\n    return openpyxl.worksheet._reader\n",
    "from nbconvert import HTMLExporter\nHTMLExporter._init_resources(None, {})\n",
    "from nbconvert import HTMLExporter\nclass E(HTMLExporter):\n"
    "    def f(self):\n        return self._init_resources({})\n",
    "import yaml as y\ny.scanner._unused\n",
    "import sys\nsys.modules['rfc3987_syntax'] = None\n",
    "import sys\nsys.modules.setdefault('rfc3987_syntax', None)\n",
])
def test_the_reader_sees_each_kind_of_private_use(code):
    """A test of the test: each way of reaching a private name is found."""
    assert len(problems(code)) == 1, code


def test_the_reader_leaves_public_and_own_names_alone():
    code = ("import click\nfrom pydantic import BaseModel, PrivateAttr\n"
            "class M(BaseModel):\n    _summative: bool = PrivateAttr(False)\n"
            "    def f(self):\n        return self._summative\n"
            "class C(click.Command):\n    def parse_args(self, ctx, args):\n"
            "        return super().parse_args(ctx, args)\n"
            "def g(obj):\n    return obj._own, click.Command.__init__\n")
    assert problems(code) == []
