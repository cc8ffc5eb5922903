"""HTML fragments escape whatever comes from data or judgements."""

import pandas as pd

from maroc_eval.notebook import tables

PAYLOAD = '<script>alert(1)</script><img src=x onerror="alert(2)">'


def test_table_escapes_every_cell_and_caption():
    html = str(tables.table(["<b>h</b>"], [[PAYLOAD], [tables.Cell(PAYLOAD, css="color:red")]],
                            caption=PAYLOAD))
    assert "<script>" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.count("&lt;img src=x onerror=&quot;alert(2)&quot;&gt;") == 3


def test_text_helpers_escape():
    for fragment in (tables.paragraphs(PAYLOAD), tables.bullets([PAYLOAD], title=PAYLOAD),
                     tables.notice(PAYLOAD), tables.heading(PAYLOAD), tables.key_values([(PAYLOAD, PAYLOAD)])):
        assert "<script>" not in str(fragment) and "<img" not in str(fragment)
        assert "&lt;script&gt;" in fragment._repr_html_()


def test_status_cell_carries_label_and_colour():
    cell = tables.status_cell("en_retard")
    assert cell.text == "En retard" and "#E69F00" in cell.css


def test_indicator_table(programme):
    rows = pd.DataFrame([{
        "ri": "RI4", "code": "RI4.4", "label": "Équipements <hors> service", "unit": "%",
        "direction": "baisse", "measure": "pourcentage", "baseline": 40.0, "target": 20.0,
        "actual": 30.0, "achievement_raw": 0.5, "achievement": 0.5, "status": "en_retard",
        "missing_years": []}])
    html = str(tables.indicator_table(rows, programme, "midterm"))
    assert "Cible 2010" in html and "↓" in html and "&lt;hors&gt;" in html
    assert f"50{tables.fmt.NNBSP}%" in html and "En retard" in html
