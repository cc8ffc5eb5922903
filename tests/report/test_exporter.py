"""The report exporter is nbconvert's own HTMLExporter with the ``rapport`` template: every
image has a text alternative in the report's language, never nbconvert's English placeholder."""

from __future__ import annotations

import base64

import nbformat
import pytest
from bs4 import BeautifulSoup
from nbconvert import HTMLExporter

from maroc_eval.base import paths
from maroc_eval.report.exporter import make_exporter

# A 1×1 transparent PNG, and an SVG, as a kernel would send them.
PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4">'
       '<rect width="4" height="4"/></svg>')
STOCK_ALT = "No description has been provided for this image"


def test_the_exporter_is_nbconverts_own_class():
    assert type(make_exporter()) is HTMLExporter


def _output_zoo():
    """A notebook with one output of each kind a report may carry."""
    nb = nbformat.v4.new_notebook()
    nb.metadata.title = "Essai"
    code = nbformat.v4.new_code_cell("x = 1", execution_count=1)
    code.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="bonjour\n"),
        nbformat.v4.new_output("display_data",
                               data={"text/markdown": "**gras** et ![carte](c.png)"}),
        nbformat.v4.new_output("display_data", data={
            "text/html": "<table><tr><td>1</td></tr></table>"
                         "<div class='jp-OutputArea-output'>x</div>",
            "text/plain": "t"}),
        nbformat.v4.new_output("display_data", data={"image/png": PNG},
                               metadata={"image/png": {"alt": "Indice du RI 3"}}),
        nbformat.v4.new_output("display_data", data={"image/png": PNG}),
        nbformat.v4.new_output("display_data", data={"image/jpeg": PNG}),
        nbformat.v4.new_output("display_data", data={"image/svg+xml": SVG},
                               metadata={"image/svg+xml": {"alt": "Indice du RI 5"}}),
        nbformat.v4.new_output("display_data", data={"image/svg+xml": SVG}),
        nbformat.v4.new_output("execute_result", data={"text/plain": "42"}, execution_count=1),
    ]
    nb.cells = [nbformat.v4.new_markdown_cell("# Titre\n\nTexte avec&nbsp;espace."), code]
    return nb


def test_every_kind_of_image_gets_a_french_text_alternative():
    html, _ = make_exporter().from_notebook_node(_output_zoo())
    soup = BeautifulSoup(html, features="html.parser")
    alts = [img.get("alt") for img in soup.find_all("img")]
    assert alts == ["carte", "Indice du RI 3", "Graphique", "Graphique", "Indice du RI 5",
                    "Graphique"]
    svg = soup.find_all("img")[4]["src"]
    assert base64.b64decode(svg.split(",", 1)[1]).decode() == SVG
    # nbconvert's own touches: every output can take the keyboard focus.
    assert all(div.get("tabindex") == "0"
               for div in soup.select("div.jp-OutputArea-output"))


@pytest.mark.slow
def test_a_real_report_has_no_english_placeholder(battery_outputs):
    from maroc_eval.core.programme import load_programme
    from maroc_eval.report.inputs import load_pair, read_ledger
    from maroc_eval.report.notebooks import pair_notebook

    programme = load_programme(paths.PROGRAMME_FILE)
    entries = read_ledger(battery_outputs, "midterm")
    pin = load_pair(battery_outputs, "midterm", "jette-sidi-bibi", entries)
    html, _ = make_exporter().from_notebook_node(pair_notebook(programme, pin))
    assert STOCK_ALT not in html
    charts = BeautifulSoup(html, features="html.parser").find_all("img")
    assert len(charts) >= 6 and all(a["alt"] not in ("", "Graphique") for a in charts)
