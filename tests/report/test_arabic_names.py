"""The Moroccan communes' names in Arabic script: programme, cover and index (HTML), and what
Chromium prints (PDF text) and pandoc converts (Word run, right to left)."""

from __future__ import annotations

import re
import unicodedata

import nbformat
import pytest

from maroc_eval.base import paths
from maroc_eval.report import assemble, build, docx, pdf, sections

ARABIC = {"schaerbeek-al-hoceima": "الحسيمة", "jette-sidi-bibi": "سيدي بيبي",
          "forest-jerada": "جرادة", "liege-tanger": "طنجة",
          "auderghem-amerzgane": "أمرزكان / آيت زينب", "bruxelles-tetouan": "تطوان"}


def test_programme_gives_every_pair_its_arabic_name(programme):
    assert {p.code: p.moroccan_ar for p in programme.pairs} == ARABIC


@pytest.fixture(scope="module")
def cover_report(tmp_path_factory, programme):
    """A one-page report: the cover of Auderghem – Amerzgane / Aït Zineb, exported."""
    from maroc_eval.report.exporter import make_exporter

    pair = programme.pair_map["auderghem-amerzgane"]
    cover = assemble.html_cell(sections.cover(
        programme=programme.name, title="Évaluation finale (2012)",
        subtitle=f"Partenariat {pair.label}", facts=[("Phase", "finale")], fictitious=False,
        arabic=pair.moroccan_ar), assemble.COVER)
    nb = assemble.new_report(f"Rapport d’évaluation — {pair.label}",
                             [cover, nbformat.v4.new_markdown_cell("# Résumé\n\nTexte.")])
    target = tmp_path_factory.mktemp("arabe") / "rapport.html"
    build._export(make_exporter(), nb, target, "1" * 64, [])
    return target


def test_cover_html_marks_the_arabic_name(cover_report):
    page = cover_report.read_text("utf-8")
    spans = re.findall(r"<span ([^>]*)>أمرزكان / آيت زينب</span>", page)
    assert len(spans) == 1, page
    assert sorted(spans[0].split()) == ['dir="rtl"', 'lang="ar"']


def _letters(text: str) -> str:
    """Arabic letters only, presentation forms folded (PDF text comes out as shaped glyphs)."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(c for c in folded if "\u0600" <= c <= "\u06ff")


@pytest.mark.browser
@pytest.mark.slow
def test_pdf_cover_has_the_arabic_name(cover_report, tmp_path):
    from pypdf import PdfReader

    target = tmp_path / "rapport.pdf"
    pdf.render_pdfs([pdf.PdfJob(cover_report, target, "1" * 64)], 1)
    text = PdfReader(target).pages[0].extract_text()
    wanted = _letters("أمرزكان / آيت زينب")
    found = _letters(text)
    assert wanted in found or wanted[::-1] in found, text  # logical or visual order
    assert "Amerzgane" in text


def test_docx_has_the_arabic_name_right_to_left(cover_report, tmp_path):
    from docx import Document
    from docx.oxml.ns import qn

    target = tmp_path / "rapport.docx"
    docx.write_docx(cover_report, target, "1" * 64)
    document = Document(str(target))
    runs = [r for p in document.paragraphs for r in p.runs if "أمرزكان" in r.text]
    assert runs, [p.text for p in document.paragraphs]
    assert runs[0].text == "أمرزكان / آيت زينب"
    rtl = runs[0]._r.rPr.find(qn("w:rtl")) if runs[0]._r.rPr is not None else None
    assert rtl is not None and rtl.get(qn("w:val"), "true") in ("true", "1", "on")
    assert paths.REFERENCE_DOCX.is_file()
