"""The report exporter gives the same document as nbconvert's HTMLExporter, without its re-parse."""

from __future__ import annotations

import base64
import hashlib
import inspect

import nbconvert
import nbformat
import pytest
from bs4 import BeautifulSoup
from nbconvert import HTMLExporter

from maroc_eval import paths
from maroc_eval.report.exporter import DEFAULT_ALT, accessible, make_exporter, settings

# A 1×1 transparent PNG, and an SVG, as a kernel would send them.
PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4">'
       '<rect width="4" height="4"/></svg>')
STOCK_ALT = "No description has been provided for this image"
# sha256 of the source of HTMLExporter.from_notebook_node that ReportExporter.from_notebook_node
# was copied from (nbconvert 7.17.2).
COPIED_FROM = "3dccafff45cc4e749766089c7de2f5385ac071e03f4f5a15bfb3b025f54893b9"


def test_the_nbconvert_code_the_exporter_copies_is_unchanged():
    """``ReportExporter.from_notebook_node`` copies nbconvert's, private calls included."""
    source = inspect.getsource(HTMLExporter.from_notebook_node)
    assert hashlib.sha256(source.encode("utf-8")).hexdigest() == COPIED_FROM, (
        f"nbconvert {nbconvert.__version__} changed HTMLExporter.from_notebook_node, which "
        "maroc_eval.report.exporter.ReportExporter.from_notebook_node copies. Re-check against "
        "the new code: the filters registered before rendering (highlight_code, "
        "filter_data_type), the private _init_resources call, and the touches made after "
        "rendering (accessible(): alt on images, tabindex on inputs and outputs). Then run the "
        "equivalence tests below, update COPIED_FROM, and move the nbconvert bound in "
        "pyproject.toml and environment.yml.")


# -- the start-tag pass ---------------------------------------------------------------------
@pytest.mark.parametrize(("before", "after"), [
    ('<div class="jp-RenderedHTML jp-OutputArea-output">',
     '<div class="jp-RenderedHTML jp-OutputArea-output" tabindex="0">'),
    ('<div class="jp-Cell-inputWrapper">', '<div class="jp-Cell-inputWrapper" tabindex="0">'),
    ("<div class='jp-OutputArea-output x'>", "<div class='jp-OutputArea-output x' tabindex=\"0\">"),
    ("<DIV class=jp-OutputArea-output>", '<DIV class=jp-OutputArea-output tabindex="0">'),
    ('<div class="jp-OutputArea-output" tabindex="-1">',
     '<div class="jp-OutputArea-output" tabindex="-1">'),
    ('<div class="jp-OutputArea-outputs">', '<div class="jp-OutputArea-outputs">'),  # another class
    ('<div class="jp-OutputArea">', '<div class="jp-OutputArea">'),
    ('<div data-x="jp-OutputArea-output">', '<div data-x="jp-OutputArea-output">'),  # not a class
    ('<divider class="jp-OutputArea-output">', '<divider class="jp-OutputArea-output">'),
    ('<img src="a.png">', f'<img src="a.png" alt="{DEFAULT_ALT}">'),
    ('<img src="a.png"/>', f'<img src="a.png" alt="{DEFAULT_ALT}"/>'),
    ('<img src="a.png" />', f'<img src="a.png" alt="{DEFAULT_ALT}" />'),
    ('<img alt="" src="a.png">', '<img alt="" src="a.png">'),  # decorative: left as it is
    ('<img src="a.png" ALT="Carte">', '<img src="a.png" ALT="Carte">'),
    ('<img data-alt="x" src="a.png">', f'<img data-alt="x" src="a.png" alt="{DEFAULT_ALT}">'),
    ('<img title="a > b" src="x">', f'<img title="a > b" src="x" alt="{DEFAULT_ALT}">'),
    ('<img title="alt=1" src="x">', f'<img title="alt=1" src="x" alt="{DEFAULT_ALT}">'),
    ('<div title="x > y" class="jp-OutputArea-output">',
     '<div title="x > y" class="jp-OutputArea-output" tabindex="0">'),
    ("<p>&lt;img src=x&gt; et &lt;div class=jp-OutputArea-output&gt;</p>",
     "<p>&lt;img src=x&gt; et &lt;div class=jp-OutputArea-output&gt;</p>"),  # text, not tags
])
def test_accessible_touches_only_the_start_tags_nbconvert_touches(before, after):
    assert accessible(before) == after


# -- same document as HTMLExporter -----------------------------------------------------------
def _stock_exporter() -> HTMLExporter:
    return HTMLExporter(**settings())  # the reports' settings, with nbconvert's own class


def _elements(html: str) -> list[tuple]:
    """Every element of the page: name, attributes, own text; the stock English alt mapped."""
    soup = BeautifulSoup(html, features="html.parser")
    found = []
    for el in soup.find_all(True):
        attrs = {k: (" ".join(v) if isinstance(v, list) else v) for k, v in el.attrs.items()}
        if attrs.get("alt") == STOCK_ALT:
            attrs["alt"] = DEFAULT_ALT
        text = "".join(s for s in el.find_all(string=True, recursive=False)).strip()
        found.append((el.name, attrs, text))
    return found


def _same_document(nb) -> list[tuple]:
    ours, _ = make_exporter().from_notebook_node(nb)
    stock, _ = _stock_exporter().from_notebook_node(nb)
    mine, theirs = _elements(ours), _elements(stock)
    assert len(mine) == len(theirs)
    for a, b in zip(mine, theirs, strict=True):
        assert a == b
    return mine


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
        nbformat.v4.new_output("display_data", data={"image/svg+xml": SVG}),
        nbformat.v4.new_output("execute_result", data={"text/plain": "42"}, execution_count=1),
    ]
    nb.cells = [nbformat.v4.new_markdown_cell("# Titre\n\nTexte avec&nbsp;espace."), code]
    return nb


def test_same_document_as_htmlexporter_for_every_kind_of_output():
    elements = _same_document(_output_zoo())
    focusable = [a for name, a, _ in elements if name == "div" and "tabindex" in a]
    # The table of contents (an HTML output added by the template's TocPreprocessor), the eight
    # outputs of the cell, and the div carrying that class inside the HTML output.
    assert len(focusable) == 1 + 8 + 1
    images = [a for name, a, _ in elements if name == "img"]
    assert [a.get("alt") for a in images] == ["carte", "Indice du RI 3", "Graphique", DEFAULT_ALT,
                                              DEFAULT_ALT]


@pytest.mark.slow
def test_same_document_as_htmlexporter_for_a_real_report(battery_outputs):
    from maroc_eval.core.programme import load_programme
    from maroc_eval.report.inputs import load_pair, read_ledger
    from maroc_eval.report.notebooks import pair_notebook

    programme = load_programme(paths.PROGRAMME_FILE)
    entries = read_ledger(battery_outputs, "midterm")
    pin = load_pair(battery_outputs, "midterm", "jette-sidi-bibi", entries)
    nb = pair_notebook(programme, pin)
    elements = _same_document(nb)
    charts = [a for name, a, _ in elements if name == "img"]
    assert len(charts) >= 6 and all(a["alt"] not in (DEFAULT_ALT, "Graphique") for a in charts)
    assert sum(1 for name, a, _ in elements if "tabindex" in a) > 20
    assert base64.b64decode(charts[0]["src"].split(",", 1)[1])[:4] == b"\x89PNG"
