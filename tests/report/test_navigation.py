"""Finding one's way: every report links to the index, the other phase and the programme report;
the index links every format of every report; links are relative and reach files offline; the
formats follow ``--formats`` and are made again only when needed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from report_helpers import html_reports

from maroc_eval.base import paths
from maroc_eval.report.build import build_reports

pytestmark = [pytest.mark.slow]

PAIRS = ("jette-sidi-bibi", "forest-jerada", "liege-tanger")
PHASES = ("midterm", "final")


def hrefs(page: Path) -> list[str]:
    soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
    return [a["href"] for a in soup.find_all("a", href=True)]


def ids(page: Path) -> set[str]:
    soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
    return {el["id"] for el in soup.find_all(id=True)}


def navigation(page: Path) -> dict[str, str]:
    soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
    return {a["href"]: a.get_text() for a in soup.select(".rapport-navigation a")}


def rel(target: Path, page: Path) -> str:
    return Path(os.path.relpath(target, page.parent)).as_posix()


def test_every_link_is_relative_and_reaches_a_file(deliverables):
    pages = [*html_reports(deliverables), paths.index_path(deliverables)]
    checked = 0
    for page in pages:
        anchors = ids(page)
        for href in hrefs(page):
            parts = urlsplit(href)
            assert not parts.scheme and not parts.netloc and not href.startswith("/"), href
            if not parts.path:
                assert parts.fragment in anchors, (page.name, href)
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            assert target.is_file(), (page.name, href)
            assert target.is_relative_to(deliverables.resolve())
            checked += 1
    assert checked >= 8 * 4 + 3 * 2 * 4  # report bars, and the index's documents


def test_pair_reports_link_index_other_phase_programme_and_formats(deliverables):
    for phase in PHASES:
        other = next(p for p in PHASES if p != phase)
        for pair in PAIRS:
            report = paths.pair_report_path(deliverables, phase, pair)
            wanted = {paths.index_path(deliverables),
                      paths.pair_report_path(deliverables, other, pair),
                      paths.programme_report_path(deliverables, phase),
                      paths.pair_report_pdf_path(deliverables, phase, pair),
                      paths.pair_report_docx_path(deliverables, phase, pair),
                      paths.pair_annex_path(deliverables, phase, pair)}
            links = navigation(report)
            assert set(links) == {rel(t, report) for t in wanted}, report.name
            assert links[rel(paths.index_path(deliverables), report)] == "Index des rapports"
            assert links["../../index.html"]


def test_programme_reports_link_index_and_other_phase(deliverables):
    for phase in PHASES:
        other = next(p for p in PHASES if p != phase)
        report = paths.programme_report_path(deliverables, phase)
        wanted = {paths.index_path(deliverables), paths.programme_report_path(deliverables, other),
                  paths.programme_report_pdf_path(deliverables, phase),
                  paths.programme_report_docx_path(deliverables, phase)}
        assert set(navigation(report)) == {rel(t, report) for t in wanted}


def test_index_links_every_format_and_says_the_data_are_fictitious(deliverables):
    index = paths.index_path(deliverables)
    links = set(hrefs(index))
    for phase in PHASES:
        for pair in PAIRS:
            for target in (paths.pair_report_path(deliverables, phase, pair),
                           paths.pair_report_pdf_path(deliverables, phase, pair),
                           paths.pair_report_docx_path(deliverables, phase, pair),
                           paths.pair_annex_path(deliverables, phase, pair)):
                assert rel(target, index) in links, target
        for target in (paths.programme_report_path(deliverables, phase),
                       paths.programme_report_pdf_path(deliverables, phase),
                       paths.programme_report_docx_path(deliverables, phase)):
            assert rel(target, index) in links, target
    soup = BeautifulSoup(index.read_text("utf-8"), "html.parser")
    notice = soup.select_one(".rapport-fictif")
    assert notice is not None and notice.get_text().startswith("Données fictives")
    labels = [a.get_text() for a in soup.find_all("a")]
    for label in ("HTML", "PDF", "Word", "Excel"):
        assert labels.count(label) >= len(PAIRS) * len(PHASES), label


def test_navigation_hidden_on_paper_and_absent_from_word(deliverables):
    css = (paths.TEMPLATES_DIR / paths.REPORT_TEMPLATE / "static" / "livrables.css").read_text()
    assert ".rapport-navigation { display: none; }" in css
    report = paths.pair_report_path(deliverables, "midterm", PAIRS[0])
    from docx import Document

    text = "\n".join(p.text for p in Document(str(paths.report_format_path(report, "docx")))
                     .paragraphs)
    assert "Index des rapports" not in text and "Version PDF" not in text


def test_second_build_makes_nothing_and_a_missing_file_is_made_alone(deliverables, tmp_path):
    outputs = tmp_path / "outputs"
    shutil.copytree(deliverables, outputs)
    lines: list[str] = []
    build_reports(outputs=outputs, echo=lines.append)
    written = [line for line in lines if line.startswith("  ")]
    assert written == [], written
    assert "8 rapports déjà à jour" in lines[0]
    assert lines[1] == "16 versions PDF ou Word déjà à jour (rapport HTML inchangé)."
    pdf = paths.pair_report_pdf_path(outputs, "final", PAIRS[1])
    word = paths.programme_report_docx_path(outputs, "midterm")
    pdf.unlink()
    word.unlink()
    lines.clear()
    build_reports(outputs=outputs, echo=lines.append)
    written = sorted(line.split(" (")[0].strip() for line in lines if line.startswith("  "))
    assert written == sorted([pdf.name, word.name])
    assert pdf.is_file() and word.is_file()


def test_html_only_build_links_no_pdf(battery_outputs, tmp_path):
    outputs = tmp_path / "outputs"
    shutil.copytree(battery_outputs, outputs)
    build_reports(outputs=outputs, echo=lambda *_: None, formats=("html",), phase="midterm")
    assert not list(outputs.glob("*/*/*.pdf")) and not list(outputs.glob("*/*/*.docx"))
    report = paths.pair_report_path(outputs, "midterm", PAIRS[0])
    targets = set(navigation(report))
    assert rel(paths.pair_report_pdf_path(outputs, "midterm", PAIRS[0]), report) not in targets
    # the final phase was not built: no link to it
    assert rel(paths.pair_report_path(outputs, "final", PAIRS[0]), report) not in targets
    index = hrefs(paths.index_path(outputs))
    assert not [h for h in index if h.endswith((".pdf", ".docx"))]


@pytest.mark.parametrize("value, named", [("html,odt", "« odt »"), ("pdf, Word", "« word »"),
                                          (",", "liste vide")])
def test_unknown_format_is_refused_in_french(tmp_path, value, named):
    cli = Path(sys.executable).with_name("maroc-eval")
    done = subprocess.run([str(cli), "report", "--sorties", str(tmp_path), "--formats", value],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert named in done.stderr and "--formats" in done.stderr
    assert "Traceback" not in done.stderr
    assert not list(tmp_path.iterdir())  # refused before anything is written
