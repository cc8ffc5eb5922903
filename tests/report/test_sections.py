"""The report's own sections escape every text from the programme, sidecars and judgements."""

from __future__ import annotations

import pytest

from maroc_eval.base.fmt import NBSP
from maroc_eval.report import sections

PAYLOAD = '<script>alert(1)</script>"'
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;&quot;"

SECTIONS = {
    "unavailable": lambda p: sections.unavailable(p, p),
    "cover": lambda p: sections.cover(programme=p, title=p, subtitle=p, facts=[(p, p)],
                                      fictitious=True),
    "status_badge": lambda p: sections.status_badge(p) + sections.link(p, p),
    "spreadsheet_link": lambda p: sections.spreadsheet_link(p),
    "report_links": lambda p: sections.report_links({p: p}),
}


@pytest.mark.parametrize("section", SECTIONS.values(), ids=SECTIONS.keys())
def test_sections_escape(section):
    html = section(PAYLOAD)
    assert isinstance(html, str) and "<script" not in html
    assert ESCAPED in html or "Non renseigné" in html


def test_exact_markup_of_small_sections():
    assert sections.status_badge("en_retard") == (
        '<span class="rapport-statut rapport-statut-en_retard">En retard</span>')
    assert sections.status_badge(None) == (
        '<span class="rapport-statut rapport-statut-non_renseigne">Non renseigné</span>')
    assert sections.unavailable("RI 3", "échec") == (
        '<div class="rapport-indisponible"><strong>RI 3</strong> — '
        f"Section indisponible{NBSP}: échec</div>")
    assert sections.spreadsheet_link("a.xlsx") == (
        '<p>Version tableur : <a href="a.xlsx">a.xlsx</a></p>')
    assert sections.report_links({}) == "<p>Aucun rapport.</p>"
    assert sections.report_links({"A": "a.html", "B": "b.html"}) == (
        '<ul><li><a href="a.html">A</a></li><li><a href="b.html">B</a></li></ul>')
    cover = sections.cover(programme="P", title="T", subtitle="S", facts=[("k", "v")],
                           fictitious=False)
    assert cover == ('<section class="rapport-couverture"><p class="rapport-programme">P</p>'
                     '<p class="rapport-titre">T</p><p class="rapport-sous-titre">S</p>'
                     "<dl><dt>k</dt><dd>v</dd></dl></section>")
    fictitious = sections.cover(programme="P", title="T", subtitle="S", facts=[],
                                fictitious=True)
    assert (f'<p class="rapport-fictif" role="note">Données fictives{NBSP}: ce rapport est '
            "produit à partir de l’échantillon de démonstration ; il ne décrit aucune commune "
            "réelle.</p></section>") in fictitious
