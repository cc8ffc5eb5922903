"""Reading what a report is made of: executed notebooks, sidecars, the ledger."""

from __future__ import annotations

import nbformat
from nbformat import v3

from maroc_eval.base.catalogue import RI_NOTEBOOKS
from maroc_eval.report.inputs import load_output, read_notebook


def _executed(path):
    nb = nbformat.v4.new_notebook()
    code = nbformat.v4.new_code_cell("print(1)", execution_count=1)
    code.outputs = [nbformat.v4.new_output("stream", name="stdout", text="1\n")]
    nb.cells = [nbformat.v4.new_markdown_cell("# Titre"), code]
    nbformat.write(nb, path)
    return nb


def test_a_v4_notebook_reads_as_nbformat_reads_it(tmp_path):
    path = tmp_path / "carnet.ipynb"
    _executed(path)
    ours = read_notebook(path)
    assert ours == nbformat.read(path, as_version=4)
    assert ours.cells[1].outputs[0].text == "1\n"  # attribute access, as a NotebookNode


def test_an_older_notebook_is_converted_to_v4(tmp_path):
    path = tmp_path / "ancien.ipynb"
    old = v3.new_notebook(worksheets=[v3.new_worksheet(cells=[v3.new_code_cell(input="x = 1")])])
    path.write_text(nbformat.writes(old, nbformat.NO_CONVERT), encoding="utf-8")
    nb = read_notebook(path)
    assert nb.nbformat == 4 and nb.cells[0].source == "x = 1"


def test_a_truncated_notebook_is_unavailable_with_a_reason(tmp_path):
    path = tmp_path / "ri1_service_action_sociale.ipynb"
    _executed(path)
    path.write_text(path.read_text(encoding="utf-8")[:40], encoding="utf-8")
    out = load_output(RI_NOTEBOOKS[0], path, {"status": "ok"})
    assert not out.available
    assert out.reason == "carnet illisible (JSONDecodeError)"
