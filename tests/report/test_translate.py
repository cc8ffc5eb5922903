"""The notebooks' Markdown prose: extracted by the Babel extractor, translated at report time
paragraph by paragraph (:mod:`maroc_eval.report.preprocessors.translate`)."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import nbformat
import pytest
from english_helpers import use_catalogue, write_catalogue

from maroc_eval.base import i18n, paths
from maroc_eval.report import assemble
from maroc_eval.report.extract import extract_notebook
from maroc_eval.report.markdown_units import messages, segments, translate
from maroc_eval.report.preprocessors import TranslateMarkdownPreprocessor

SOURCE = ("# RI 3 — Compétences\n\nCe chapitre examine\nles formations.\n\n"
          "```python\nx = 1\n\ny = 2\n```\n## Lecture ##\nUn tableau suit.\n")


def test_segments_join_back_and_cut_headings_and_paragraphs():
    pieces = segments(SOURCE)
    assert "".join(text for text, _t in pieces) == SOURCE
    assert messages(SOURCE) == ["RI 3 — Compétences", "Ce chapitre examine\nles formations.",
                                "Lecture", "Un tableau suit."]
    assert translate(SOURCE, str.upper) == (
        "# RI 3 — COMPÉTENCES\n\nCE CHAPITRE EXAMINE\nLES FORMATIONS.\n\n"
        "```python\nx = 1\n\ny = 2\n```\n## LECTURE ##\nUN TABLEAU SUIT.\n")


@pytest.mark.parametrize("source", ["", "\n\n", "   \n", "```\n# pas un titre\n```"])
def test_nothing_to_translate(source):
    assert messages(source) == []
    assert translate(source, lambda m: "X") == source


def _notebook(*sources: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(s) for s in sources]
    nb.cells.append(nbformat.v4.new_code_cell("print('Ce chapitre examine')"))
    return nb


def test_extractor_yields_each_heading_and_paragraph():
    nb = _notebook("# Titre\n\nPremier.", "Second\nparagraphe.")
    found = list(extract_notebook(io.BytesIO(nbformat.writes(nb).encode()), {}, [], {}))
    assert found == [(1, None, "Titre", ["cellule Markdown 1"]),
                     (1, None, "Premier.", ["cellule Markdown 1"]),
                     (2, None, "Second\nparagraphe.", ["cellule Markdown 2"])]


def test_preprocessor_translates_in_english_only(tmp_path, monkeypatch):
    nb = _notebook("# Titre\n\nPremier.\n\nInconnu du catalogue.")
    TranslateMarkdownPreprocessor().preprocess(nb, {})
    assert nb.cells[0].source == "# Titre\n\nPremier.\n\nInconnu du catalogue."  # French
    write_catalogue(tmp_path / "locale", {"Titre": "Title", "Premier.": "First."})
    use_catalogue(monkeypatch, tmp_path / "locale")
    TranslateMarkdownPreprocessor().preprocess(nb, {})
    assert nb.cells[0].source == "# Title\n\nFirst.\n\nInconnu du catalogue."
    assert nb.cells[1].source == "print('Ce chapitre examine')"  # code untouched
    i18n._translations.cache_clear()


def test_preprocessor_language_setting(tmp_path, monkeypatch):
    """``language`` chooses the catalogue whatever the process speaks (nbconvert's CLI)."""
    write_catalogue(tmp_path / "locale", {"Titre": "Title"})
    monkeypatch.setattr(paths, "LOCALE_DIR", tmp_path / "locale")
    nb = _notebook("## Titre")
    TranslateMarkdownPreprocessor(language="en").preprocess(nb, {})
    assert nb.cells[0].source == "## Title"


def test_every_paragraph_of_a_real_notebook_reaches_the_report(tmp_path, monkeypatch):
    """A catalogue made from the extractor's messages translates every heading and paragraph
    of a committed RI notebook, also those of the report's shortened introduction."""
    path = paths.NOTEBOOKS_DIR / "ri3_competences_personnel.ipynb"
    with open(path, "rb") as fh:
        found = [m for _l, _f, m, _c in extract_notebook(fh, {}, [], {})]
    assert len(found) >= 5
    write_catalogue(tmp_path / "locale", {m: f"EN {len(m)}" for m in found})
    use_catalogue(monkeypatch, tmp_path / "locale")
    nb = nbformat.read(path, as_version=4)
    cells = assemble.ri_cells(nb, "ri3")  # intro cut to its heading and first paragraph
    report = assemble.new_report("t", cells)
    TranslateMarkdownPreprocessor().preprocess(report, {})
    for cell in report.cells:
        if cell.cell_type == "markdown":
            assert all(m.startswith("EN ") for m in messages(cell.source)), cell.source
    first = next(c for c in report.cells if c.cell_type == "markdown")
    assert first.source.startswith("# EN ")
    i18n._translations.cache_clear()


def test_babel_cfg_extracts_notebooks_templates_and_code(tmp_path):
    pot = tmp_path / "messages.pot"
    done = subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F",
                           "babel.cfg", "-o", str(pot), "."], cwd=paths.PROJ_ROOT,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    from babel.messages.pofile import read_po

    catalogue = read_po(io.BytesIO(pot.read_bytes()))
    ids = {m.id for m in catalogue if m.id}
    origins = {loc[0].removeprefix("./").split("/")[0] for m in catalogue
               for loc in m.locations}
    assert {"notebooks", "templates", "src"} <= origins, origins
    assert "Sommaire" in ids and "Aucune section en échec." in ids  # Python and a template
    notebook = json.loads((paths.NOTEBOOKS_DIR / "synthese_programme.ipynb").read_text("utf-8"))
    first = next(c for c in notebook["cells"] if c["cell_type"] == "markdown")
    assert messages("".join(first["source"]))[0] in ids
