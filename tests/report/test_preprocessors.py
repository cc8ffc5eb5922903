"""Each report preprocessor on small hand-made notebooks."""

from __future__ import annotations

import json

import nbformat
import pytest
from nbconvert.preprocessors import TagRemovePreprocessor
from traitlets.utils.importstring import import_item

from maroc_eval.base import paths
from maroc_eval.report.exporter import make_exporter
from maroc_eval.report.preprocessors import (
    REPORT_METADATA,
    DropStderrPreprocessor,
    HeadingsPreprocessor,
    NeutraliseActiveContentPreprocessor,
    TocPreprocessor,
    slugify,
)
from maroc_eval.report.preprocessors.active_content import neutralise
from maroc_eval.report.preprocessors.toc import collect_headings

v4 = nbformat.v4


def code(source="", tags=(), outputs=()):
    cell = v4.new_code_cell(source, metadata={"tags": list(tags)})
    cell.outputs = list(outputs)
    return cell


def md(source, **meta):
    return v4.new_markdown_cell(source, metadata=meta)


def notebook(*cells):
    nb = v4.new_notebook()
    nb.cells = list(cells)
    return nb


def html_output(text):
    return v4.new_output("display_data", data={"text/html": text})


# -- hidden cells: nbconvert's TagRemovePreprocessor, configured in conf.json -----------------
HIDDEN_ENTRY = "200-remove-hidden-cells"


def hidden_cells_preprocessor():
    """The template's first preprocessor, built from ``conf.json`` as nbconvert builds it."""
    conf_file = paths.TEMPLATES_DIR / paths.REPORT_TEMPLATE / "conf.json"
    conf = json.loads(conf_file.read_text("utf-8"))
    entry = dict(conf["preprocessors"][HIDDEN_ENTRY])
    return import_item(entry.pop("type"))(**entry)


def test_hidden_cells_are_removed_by_nbconvert_tagremove():
    remover = hidden_cells_preprocessor()
    assert type(remover) is TagRemovePreprocessor and remover.enabled
    nb = notebook(code("pair = 'x'", ["parameters", "remove-cell"]),
                  code("pair = 'y'", ["injected-parameters"]),
                  code("import pandas", ["remove-cell"]),
                  md("**Échec**", tags=["papermill-error-cell-tag"]),
                  code("show()", ["remove-input"]), md("# Titre"))
    out, _ = remover.preprocess(nb, {})
    assert [c.source for c in out.cells] == ["show()", "# Titre"]


def test_hidden_cells_never_reach_the_report():
    nb = notebook(code(tags=["parameters"], outputs=[html_output("<p>SECRET-PARAMETRE</p>")]),
                  md("SECRET-BANDEAU", tags=["papermill-error-cell-tag"]),
                  code(tags=["injected-parameters"],
                       outputs=[html_output("<p>SECRET-INJECTE</p>")]),
                  code(outputs=[html_output("<p>VISIBLE</p>")]))
    nb.metadata.title = "Essai"
    html, _ = make_exporter().from_notebook_node(nb)
    assert "VISIBLE" in html and "SECRET" not in html


# -- DropStderrPreprocessor -----------------------------------------------------------------


def test_drop_stderr_keeps_stdout_and_displays():
    cell = code("x", outputs=[v4.new_output("stream", name="stderr", text="Warning!"),
                              v4.new_output("stream", name="stdout", text="ok"),
                              html_output("<p>t</p>")])
    out, _ = DropStderrPreprocessor().preprocess(notebook(cell), {})
    kinds = [(o.output_type, o.get("name")) for o in out.cells[0].outputs]
    assert kinds == [("stream", "stdout"), ("display_data", None)]


def test_drop_stderr_can_be_disabled():
    cell = code("x", outputs=[v4.new_output("stream", name="stderr", text="w")])
    out, _ = DropStderrPreprocessor(drop_stderr=False).preprocess(notebook(cell), {})
    assert len(out.cells[0].outputs) == 1


# -- NeutraliseActiveContentPreprocessor ----------------------------------------------------


@pytest.mark.parametrize("raw, expected", [
    ("<script>alert(1)</script>", "&lt;script>alert(1)&lt;/script>"),
    ("<SCRIPT src=x></SCRIPT>", "&lt;SCRIPT src=x>&lt;/SCRIPT>"),
    ('<img src=x onerror="a()">', '<img src=x data-neutralise-onerror="a()">'),
    ('<a href="javascript:a()">l</a>', '<a href="#a()">l</a>'),
    ("<p>5 &lt; 6 : on a fini</p>", "<p>5 &lt; 6 : on a fini</p>"),
    ('<td title="x">onclick=1</td>', '<td title="x">onclick=1</td>'),
])
def test_neutralise(raw, expected):
    assert neutralise(raw) == expected


def test_active_content_outputs_and_markdown():
    cell = code("x", outputs=[
        v4.new_output("display_data", data={"application/javascript": "alert(1)"}),
        html_output('<div onmouseover="x()">ok</div><script>y()</script>')])
    nb = notebook(md("Texte <script>z()</script>"), cell)
    out, _ = NeutraliseActiveContentPreprocessor().preprocess(nb, {})
    assert out.cells[0].source == "Texte &lt;script>z()&lt;/script>"
    outputs = out.cells[1].outputs
    assert len(outputs) == 1  # the JavaScript-only output is gone
    assert outputs[0].data["text/html"] == (
        '<div data-neutralise-onmouseover="x()">ok</div>&lt;script>y()&lt;/script>')


# -- HeadingsPreprocessor -------------------------------------------------------------------


@pytest.mark.parametrize("text, slug", [
    ("Qualité des données", "qualite-des-donnees"),
    ("Appréciation de l'évaluateur", "appreciation-de-l-evaluateur"),
    ("RI 7 — Cohérence", "ri-7-coherence"),
    ("Œuvre «\u00a0sociale\u00a0» !", "oeuvre-sociale"),
    ("***", "section"),
])
def test_slugify(text, slug):
    assert slugify(text) == slug


def test_headings_shift_prefix_and_unique_ids():
    nb = notebook(
        md("# RI 1 — Service\n\nIntro.\n\n## Qualité des données",
           **{REPORT_METADATA: {"shift": 1, "prefix": "ri1"}}),
        md("## Qualité des données", **{REPORT_METADATA: {"shift": 1, "prefix": "ri1"}}),
        md("## Qualité des données"),
    )
    out, _ = HeadingsPreprocessor().preprocess(nb, {})
    assert '<h2 id="ri1-ri-1-service">RI 1 — Service</h2>' in out.cells[0].source
    assert "Intro." in out.cells[0].source
    assert '<h3 id="ri1-qualite-des-donnees">' in out.cells[0].source
    assert '<h3 id="ri1-qualite-des-donnees-2">' in out.cells[1].source
    assert '<h2 id="qualite-des-donnees">' in out.cells[2].source


def test_headings_negative_shift_and_inline_markdown():
    nb = notebook(md("## Une **conclusion**", **{REPORT_METADATA: {"shift": -1}}))
    out, _ = HeadingsPreprocessor().preprocess(nb, {})
    assert out.cells[0].source == '<h1 id="une-conclusion">Une <strong>conclusion</strong></h1>'


def test_headings_ignore_fenced_code_and_hash_without_space():
    source = "```\n# not a heading\n```\n#hashtag"
    out, _ = HeadingsPreprocessor(shift=1).preprocess(notebook(md(source)), {})
    assert out.cells[0].source == source


# -- TocPreprocessor ------------------------------------------------------------------------


def test_toc_lists_anchored_headings_after_the_cover():
    nb = notebook(code(tags=["rapport-couverture"], outputs=[html_output("couverture")]),
                  md('<h1 id="a">Résumé</h1>'), md('<h2 id="b">Détail &amp; suite</h2>'),
                  md('<h3 id="c">Trop profond</h3>'), md('<h1 id="d">Annexes</h1>'))
    out, _ = TocPreprocessor().preprocess(nb, {})
    toc = out.cells[1]
    assert "rapport-sommaire" in toc.metadata.tags
    text = toc.outputs[0].data["text/html"]
    assert ('<ol><li><a href="#a">Résumé</a><ol><li><a href="#b">Détail &amp; suite</a>'
            '</li></ol></li><li><a href="#d">Annexes</a></li></ol>') in text
    assert "#c" not in text


def test_toc_at_top_without_cover_and_none_without_headings():
    nb = notebook(md('<h2 id="x">Seul</h2>'))
    out, _ = TocPreprocessor(title="Table").preprocess(nb, {})
    assert "Table" in out.cells[0].outputs[0].data["text/html"]
    empty, _ = TocPreprocessor().preprocess(notebook(md("texte")), {})
    assert len(empty.cells) == 1


def test_collect_headings_reads_html_headings():
    nb = notebook(md('<h2 id="q">Qualité <em>des</em> données</h2>\n\ntexte'))
    assert collect_headings(nb) == [(2, "q", "Qualité des données")]
