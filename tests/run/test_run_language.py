"""``maroc-eval run --langue en``: the runner injects ``langue``, keys and records it, and writes
the English run under ``<sorties>/en`` so that it never overwrites the French one."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
import runner_helpers as h

from maroc_eval.base import paths
from maroc_eval.base.catalogue import NotebookSpec
from maroc_eval.base.errors import ParameterError
from maroc_eval.run.runner import run_battery

pytestmark = pytest.mark.kernel

TOY_LANGUAGE = NotebookSpec("toy_langue", "ri", "RI1", "Langue (test)")
PARAMETERS = ('pair = "jette-sidi-bibi"\nphase = "midterm"\nprogramme_file = ""\ndata_dir = ""\n'
              'output_dir = "outputs"\nsidecar_path = ""\nlangue: str = None')
BODY = ('import json, pathlib\n'
        'target = pathlib.Path(sidecar_path)\n'
        'target.write_text(json.dumps({"langue": langue, "pair": pair, "phase": phase,\n'
        '                              "output_dir": output_dir}), encoding="utf-8")')


def toy_notebooks(folder: Path) -> Path:
    """A notebook whose parameters cell declares ``langue`` and whose sidecar says it."""
    folder.mkdir(parents=True, exist_ok=True)
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(PARAMETERS, metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell(BODY)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, folder / "toy_langue.ipynb")
    return folder


def run(tmp: Path, **overrides):
    return run_battery(h.options(tmp, pairs=h.PAIRS[:1], **overrides), echo=lambda line: None,
                       battery=(TOY_LANGUAGE,), notebooks_dir=toy_notebooks(tmp / "nb"),
                       inputs_loader=h.toy_inputs)


def test_english_run_is_injected_keyed_and_kept_apart(tmp_path):
    h.write_data(tmp_path / "data")
    out = tmp_path / "out"
    french = run(tmp_path, language="fr")
    english = run(tmp_path, language="en")
    assert french.executed == english.executed == ["midterm/jette-sidi-bibi/toy_langue"]

    fr_sidecar = paths.pair_dir(out, "midterm", "jette-sidi-bibi") / "toy_langue.json"
    en_out = paths.language_outputs(out, "en")
    assert en_out == out / "en"
    en_sidecar = paths.pair_dir(en_out, "midterm", "jette-sidi-bibi") / "toy_langue.json"
    assert json.loads(fr_sidecar.read_text("utf-8"))["langue"] == "fr"
    english_result = json.loads(en_sidecar.read_text("utf-8"))
    assert english_result["langue"] == "en"
    assert Path(english_result["output_dir"]).resolve() == en_out.resolve()

    fr_entry = json.loads(paths.ledger_path(out, "midterm").read_text("utf-8"))["entries"]
    en_entry = json.loads(paths.ledger_path(en_out, "midterm").read_text("utf-8"))["entries"]
    [fr_entry], [en_entry] = fr_entry.values(), en_entry.values()
    assert (fr_entry["language"], en_entry["language"]) == ("fr", "en")
    assert fr_entry["cache_key"] != en_entry["cache_key"]  # the language is part of the key

    nb = nbformat.read(paths.pair_dir(en_out, "midterm", "jette-sidi-bibi")
                       / "toy_langue.ipynb", as_version=4)
    assert nb.metadata["maroc_eval"]["parameters"]["langue"] == "en"
    assert nb.metadata["maroc_eval"]["origins"]["langue"] == "runner"
    assert nb.metadata["papermill"]["parameters"]["langue"] == "en"

    # each language is up to date on its own: neither run invalidated the other
    assert run(tmp_path, language="fr").executed == []
    assert run(tmp_path, language="en").executed == []


def test_language_cannot_be_set_as_a_notebook_parameter(tmp_path):
    h.write_data(tmp_path / "data")
    with pytest.raises(ParameterError) as caught:
        run(tmp_path, params=(("langue", "en"),))
    assert "langue" in str(caught.value) and "--langue" in str(caught.value)
