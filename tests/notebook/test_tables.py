"""HTML fragments escape whatever comes from data or judgements."""

import pandas as pd
import pytest

from maroc_eval.base import markup
from maroc_eval.notebook import tables

PAYLOAD = '<script>alert(1)</script><img src=x onerror="alert(2)">'
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=&quot;alert(2)&quot;&gt;"


def test_table_escapes_every_cell_and_caption():
    html = str(tables.table(["<b>h</b>"], [[PAYLOAD], [tables.Cell(PAYLOAD, css="color:red")]],
                            caption=PAYLOAD))
    assert "<script>" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.count("&lt;img src=x onerror=&quot;alert(2)&quot;&gt;") == 3


HELPERS = {
    "table": lambda p: tables.table([p], [[p, tables.Cell(p, css=p, cls=p)]], caption=p, cls=p),
    "paragraphs": lambda p: tables.paragraphs(p, p, cls=p),
    "bullets": lambda p: tables.bullets([p], title=p),
    "bullets-empty": lambda p: tables.bullets([], title=p, empty=p),
    "notice": lambda p: tables.notice(p, kind=p),
    "heading": lambda p: tables.heading(p),
    "key_values": lambda p: tables.key_values([(p, p)], cls=p),
    "status_cell": lambda p: tables.table([], [[tables.status_cell("en_retard", p)]]),
    "concat": lambda p: tables.concat(tables.paragraphs(p), tables.heading(p)),
}


@pytest.mark.parametrize("helper", HELPERS.values(), ids=HELPERS.keys())
def test_every_helper_escapes_text_and_attributes(helper):
    fragment = helper(PAYLOAD)
    assert isinstance(fragment, tables.Html)
    html = fragment._repr_html_()
    assert html == str(fragment)
    assert "<script" not in html and "<img" not in html and 'onerror="' not in html
    assert ESCAPED in html


def test_text_helpers_escape():
    for fragment in (tables.paragraphs(PAYLOAD), tables.bullets([PAYLOAD], title=PAYLOAD),
                     tables.notice(PAYLOAD), tables.heading(PAYLOAD),
                     tables.key_values([(PAYLOAD, PAYLOAD)])):
        assert "<script>" not in str(fragment) and "<img" not in str(fragment)
        assert "&lt;script&gt;" in fragment._repr_html_()


def test_escape_matches_html_escape():
    """Templates escape as ``esc`` (and :func:`html.escape`) do: ``&quot;``, ``&#x27;``."""
    text = "l'« accès » & \"<eau>\""
    assert str(tables.paragraphs(text)) == f'<p class="me-text">{tables.esc(text)}</p>'
    assert tables.esc(text) == "l&#x27;« accès » &amp; &quot;&lt;eau&gt;&quot;"
    assert tables.esc(None) == ""


def test_exact_markup_of_the_blocks():
    """The markup the notebooks and reports have always had, with no whitespace between tags."""
    assert str(tables.table(["A", "B"], [[1, None], [tables.Cell("x", css="c", cls="k"), 2.5]],
                            caption="Cap")) == (
        '<table class="me-table"><caption>Cap</caption><thead><tr><th>A</th><th>B</th></tr>'
        "</thead><tbody><tr><td>1</td><td></td></tr>"
        '<tr><td style="c" class="k">x</td><td>2.5</td></tr></tbody></table>')
    assert str(tables.key_values([("a", "b")])) == (
        '<table class="me-kv"><tbody><tr><th>a</th><td>b</td></tr></tbody></table>')
    assert str(tables.paragraphs("a", "", None, "b")) == (
        '<p class="me-text">a</p><p class="me-text">b</p>')
    assert str(tables.paragraphs()) == ""
    assert str(tables.bullets(["a", "", "b"], title="T")) == (
        "<p><strong>T</strong></p><ul><li>a</li><li>b</li></ul>")
    assert str(tables.bullets(["", None], empty="Rien.")) == "<p><em>Rien.</em></p>"
    assert str(tables.bullets(iter(["a"]))) == "<ul><li>a</li></ul>"
    assert str(tables.heading("T", 2)) == "<h2>T</h2>"
    assert str(tables.notice("N", "attention")) == (
        '<div class="me-notice me-attention" style="background:#fdf1dc;padding:.5em .8em;'
        'border-left:4px solid #555;margin:.5em 0">N</div>')
    assert "background:#eee;" in str(tables.notice("N", "autre"))
    assert str(tables.concat(tables.heading("a"), tables.heading("b"))) == "<h3>a</h3><h3>b</h3>"


def test_public_api_is_the_markup_one():
    assert tables.Html is markup.Html and tables.Cell is markup.Cell


def test_status_cell_carries_label_and_colour():
    cell = tables.status_cell("en_retard")
    assert cell.text == "En retard" and "#E69F00" in cell.css
    html = str(tables.table(["Statut"], [[cell]]))
    assert 'class="statut statut-en_retard">En retard</td>' in html


def test_indicator_table(programme):
    rows = pd.DataFrame([{
        "ri": "RI4", "code": "RI4.4", "label": "Équipements <hors> service", "unit": "%",
        "direction": "baisse", "measure": "pourcentage", "baseline": 40.0, "target": 20.0,
        "actual": 30.0, "achievement_raw": 0.5, "achievement": 0.5, "status": "en_retard",
        "missing_years": []}])
    html = str(tables.indicator_table(rows, programme, "midterm", caption=PAYLOAD))
    assert "Cible 2010" in html and "↓" in html and "&lt;hors&gt;" in html
    assert f"50{tables.fmt.NNBSP}%" in html and "En retard" in html
    assert "<script" not in html and ESCAPED in html
