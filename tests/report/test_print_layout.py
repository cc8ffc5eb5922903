"""The printed reports read as a publisher would print them: nothing split across lines, no
near-empty page, no heading at the foot of a page, one type family, figures and tables numbered
with their sources (the session's PDFs, read with pypdf)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pdf_layout import family, filled, fonts, read_page, squeeze
from pypdf import PdfReader
from report_helpers import html_reports

from maroc_eval.base import paths

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NEAR_EMPTY = 0.2
"""A page with less than a fifth of its content height used is near-empty."""
ATOM = re.compile(r"^(?:[−+-]?\d[\d\u202f\u00a0 ]*(?:,\d+)?(?:[\u202f\u00a0 ]?(?:%|€|MAD|kMAD|o))?"
                  r"|\d\d/\d\d/\d{4}|RI[\u00a0 ]\d)$")
"""A table cell that must never be split: an amount, a percentage, a number, a date, « RI 1 »."""


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


def unsplit_values(page: BeautifulSoup) -> Counter:
    """The statuses and the atomic values (numbers, amounts, dates) of a report's tables, with
    how often each appears in its text."""
    cells = [squeeze(td.get_text(" ")) for td in page.select("table td")]
    statuses = {squeeze(s.get_text(" ")) for s in page.select(".rapport-statut, td[class*=statut]")}
    wanted = {c for c in cells if ATOM.match(c) and len(c) >= 3} | statuses
    body = squeeze(page.body.get_text(" "))
    return Counter({w: body.count(w) for w in wanted if w})


def heading_texts(page: BeautifulSoup) -> set[str]:
    """The headings of a report and its paragraph titles (a paragraph of bold text only)."""
    found = {squeeze(h.get_text(" ")) for h in page.select("h1, h2, h3, h4, h5, h6")}
    found |= {squeeze(p.get_text(" ")) for p in page.select("p")
              if p.find("strong") and squeeze(p.strong.get_text(" ")) == squeeze(p.get_text(" "))}
    return {h for h in found if h}


def test_layout_measures_catch_their_faults():
    """The measures are shown on a made-up page first: a page half used, a near-empty one."""
    from pdf_layout import TOP_MARGIN

    class Page:  # the minimum pypdf offers: a media box and a text extraction with visitors
        def __init__(self, ys):
            self.mediabox = type("Box", (), {"height": 842.0, "width": 595.0})()
            self.ys = ys

        def extract_text(self, visitor_text, visitor_operand_before):
            for y in self.ys:
                visitor_text("mot", [1, 0, 0, 1, 0, 0], [1, 0, 0, 1, 50, y], {}, 10)

    top = 842 - TOP_MARGIN
    assert filled(read_page(Page([top - 20, 421]))) == pytest.approx(
        (top - 418) / (top - 51.02), abs=0.01)
    assert filled(read_page(Page([top - 20]))) < NEAR_EMPTY
    assert filled(read_page(Page([]))) == 0
    lines = read_page(Page([700, 300])).lines
    assert [line.y for line in lines] == [700, 300]


def test_every_sample_pdf_prints_as_a_publisher_would(deliverables):
    problems = []
    for report in html_reports(deliverables):
        page = soup(report)
        reader = PdfReader(paths.report_format_path(report, "pdf"))
        name = report.name
        # one type family for headings, body and tables
        families = {family(f) for f in fonts(reader)}
        if families != {"DejaVuSans"}:
            problems.append((name, "familles", sorted(families)))
        # no status, number, amount or date split across lines: each appears whole as often
        # in the PDF as in the HTML
        readings = [read_page(p) for p in reader.pages]  # each page read once
        text = squeeze(" ".join(r.text for r in readings))
        for value, count in unsplit_values(page).items():
            if text.count(value) < count:
                problems.append((name, "coupé", value))
        # at most one near-empty page (the cover aside)
        empty = [n for n, r in enumerate(readings[1:], start=2) if filled(r) < NEAR_EMPTY]
        if len(empty) > 1:
            problems.append((name, "pages presque vides", empty))
        # no heading as the last line of a page
        headings = heading_texts(page)
        for n, reading in enumerate(readings[1:-1], start=2):
            lines = reading.lines
            if lines and lines[-1].bold and lines[-1].text in headings:
                problems.append((name, f"titre en pied de page {n}", lines[-1].text))
        # figures and tables numbered, in order, figures with their source
        figures = [int(n) for n in re.findall(r"Figure (\d+) — ", text)]
        tables = [int(n) for n in re.findall(r"Tableau (\d+) — ", text)]
        if report.parent.name != "programme" and not figures:
            problems.append((name, "figures", "aucune figure numérotée"))
        for kind, numbers in (("figures", figures), ("tableaux", tables)):
            if numbers != list(range(1, len(numbers) + 1)):
                problems.append((name, kind, numbers[:20]))
        legends = [squeeze(p.get_text(" ")) for p in page.select(".rapport-legende")]
        if len(legends) != len(figures) or not all("Source : données de suivi" in legend
                                                     for legend in legends):
            problems.append((name, "sources", legends[:3]))
    assert not problems, "\n".join(map(str, problems[:40]))


def test_every_annex_lists_every_recommendation_of_its_report(deliverables):
    import openpyxl

    from maroc_eval.report.annex import HEADER_ROW

    checked = 0
    for report in html_reports(deliverables):
        if report.parent.name == "programme":
            continue
        page = soup(report)
        shown = sorted({m for li in page.select("li")
                        for m in re.findall(r"^(R\d+) — ", squeeze(li.get_text(" ")))})
        annex = paths.pair_annex_path(report.parents[2], report.parents[1].name,
                                      report.parent.name)
        sheet = openpyxl.load_workbook(annex)["Recommandations"]
        listed = [r[0] for r in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True) if r[0]]
        assert shown and listed == shown, (report.name, shown, listed)
        checked += 1
    assert checked == 6
