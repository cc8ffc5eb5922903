"""Committed notebooks: no outputs, no execution counts, one parameters cell, python3 kernel,
code cells tagged so reports can hide them, and no logic duplicated between notebooks."""

import ast

import nbformat
import papermill as pm
import pytest

from maroc_eval.base import catalogue as battery
from maroc_eval.base import paths

NOTEBOOKS = sorted(paths.NOTEBOOKS_DIR.glob("*.ipynb"))


def test_every_registered_notebook_exists():
    assert {p.stem for p in NOTEBOOKS} == {s.stem for s in battery.ALL_NOTEBOOKS}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_clean(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == "python3"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs for c in code), "outputs committed"
    assert all(c.execution_count is None for c in code), "execution counts committed"
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1
    assert all({"remove-input", "remove-cell"} & set(c.metadata.get("tags", [])) for c in code)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_parameter_has_a_literal_default(path):
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    tree = ast.parse(cell.source)
    names = []
    for node in tree.body:
        # ``name = literal`` or ``name: type = literal`` (``None``: from the params/ layers)
        assert isinstance(node, ast.Assign | ast.AnnAssign), ast.unparse(node)
        ast.literal_eval(node.value)  # a plain literal: papermill can override it
        names.append(node.targets[0].id if isinstance(node, ast.Assign) else node.target.id)
    inspected = pm.inspect_notebook(str(path))
    assert set(inspected) == set(names)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_stay_thin(path):
    """Notebooks call into the package: no function or class is defined in them."""
    nb = nbformat.read(path, as_version=4)
    for c in nb.cells:
        if c.cell_type == "code":
            tree = ast.parse(c.source)
            assert not any(isinstance(n, ast.FunctionDef | ast.ClassDef | ast.For | ast.While)
                           for n in ast.walk(tree)), c.source
