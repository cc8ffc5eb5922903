"""The Word reports, converted by pandoc from the HTML reports: the HTML's headings as Word
headings, its tables as Word tables with their header rows, its charts as images with their
text alternative, page numbers in the footer, the fictitious-data notice."""

from __future__ import annotations

import itertools
import re
import zipfile
from pathlib import Path

import docx as python_docx
import pytest
from bs4 import BeautifulSoup
from report_helpers import html_reports

from maroc_eval.base import paths
from maroc_eval.report import docx, formats
from maroc_eval.report.keys import stamped_key

pytestmark = [pytest.mark.slow]

DOCPR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
PICTURE = "{http://schemas.openxmlformats.org/drawingml/2006/picture}cNvPr"


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def html_of(report: Path) -> BeautifulSoup:
    page = BeautifulSoup(report.read_text("utf-8"), "html.parser")
    for nav in page.select(".rapport-navigation"):  # links between HTML files only
        nav.decompose()
    return page


def word_of(report: Path):
    return python_docx.Document(str(paths.report_format_path(report, "docx")))


def test_every_report_has_its_word_version(deliverables):
    reports = html_reports(deliverables)
    assert len(reports) == 8
    for report in reports:
        target = paths.report_format_path(report, "docx")
        assert zipfile.is_zipfile(target), target
        assert docx.stamped_key(target) == formats.docx_key(stamped_key(report))


def test_headings_are_the_html_headings(deliverables):
    for report in html_reports(deliverables):
        wanted = [(int(h.name[1]), squeeze(h.get_text(" ")))
                  for h in html_of(report).find_all(["h1", "h2", "h3"])]
        document = word_of(report)
        found = [(int(p.style.name[-1]), squeeze(p.text)) for p in document.paragraphs
                 if p.style.name in ("Heading 1", "Heading 2", "Heading 3")]
        assert len(wanted) >= 5
        assert [level for level, _ in found] == [level for level, _ in wanted], report.name
        assert found == wanted, report.name


def test_heading_styles_are_french_words(deliverables):
    report = html_reports(deliverables)[0]
    with zipfile.ZipFile(paths.report_format_path(report, "docx")) as archive:
        body = archive.read("word/document.xml").decode()
        styles = archive.read("word/styles.xml").decode()
    used = set(re.findall(r'<w:pStyle w:val="(Titre[123]|Heading[123])"', body))
    assert used == {"Titre1", "Titre2", "Titre3"}  # French Word's ids: « Titre 1 » … « Titre 3 »
    for level in (1, 2, 3):
        style = re.search(rf'<w:style [^>]*w:styleId="Titre{level}".*?</w:style>', styles, re.S)
        assert f'<w:name w:val="heading {level}"' in style.group(0)
        assert f'<w:outlineLvl w:val="{level - 1}"' in style.group(0)  # the navigation pane


def test_tables_with_their_header_rows(deliverables):
    for report in html_reports(deliverables):
        tables = html_of(report).find_all("table")
        document = word_of(report)
        assert len(document.tables) == len(tables) > 0, report.name
        for html_table, word_table in zip(tables, document.tables, strict=True):
            header = [squeeze(th.get_text(" ")) for th in html_table.select("thead th")]
            if header:
                first = [squeeze(c.text) for c in word_table.rows[0].cells]
                assert first == header, (report.name, header, first)


def test_images_with_their_text_alternative(deliverables):
    for report in html_reports(deliverables):
        alts = [img.get("alt", "") for img in html_of(report).find_all("img")]
        document = word_of(report)
        assert len(document.inline_shapes) == len(alts), report.name
        described = [el.get("descr") for el in document.element.body.iter(DOCPR)]
        assert described == alts, report.name
        # the picture's own description too: the text, never a file name nor the image's bytes
        pictures = [el.get("descr") for el in document.element.body.iter(PICTURE)]
        assert pictures == alts, report.name
        assert all(alts)
        if report.parent.name != "programme":
            assert len(alts) >= 6


def test_page_numbers_running_header_and_fictitious_notice(deliverables):
    for report in html_reports(deliverables):
        document = word_of(report)
        section = document.sections[0]
        footer = section.footer._element.xml
        assert re.search(r"<w:instrText[^>]*> PAGE </w:instrText>", footer), report.name
        assert re.search(r"<w:instrText[^>]*> NUMPAGES </w:instrText>", footer)
        assert "> TITLE <" in section.header._element.xml
        assert section.different_first_page_header_footer  # the cover without them
        assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7
        title = squeeze(html_of(report).title.get_text())
        assert document.core_properties.title == title
        assert any(p.text.startswith("Données fictives") for p in document.paragraphs)


def test_word_rebuilt_when_its_html_or_the_reference_changed(deliverables, tmp_path,
                                                             monkeypatch):
    source = html_reports(deliverables)[0]
    report = tmp_path / source.name
    report.write_bytes(source.read_bytes())
    lines: list[str] = []
    formats.build_formats([report], ("html", "docx"), False, lines.append)
    target = paths.report_format_path(report, "docx")
    first = docx.stamped_key(target)
    assert first == formats.docx_key(stamped_key(report))
    formats.build_formats([report], ("html", "docx"), False, lines.append)
    assert lines[-1].startswith("1 version PDF ou Word déjà à jour")
    restyled = tmp_path / "reference.docx"  # an evaluator restyles the reference in Word
    reference = python_docx.Document(str(paths.REFERENCE_DOCX))
    reference.styles["Normal"].font.name = "Verdana"
    reference.save(str(restyled))
    monkeypatch.setattr(paths, "REFERENCE_DOCX", restyled)
    formats.build_formats([report], ("html", "docx"), False, lines.append)
    assert docx.stamped_key(target) not in (first, None)
    assert python_docx.Document(str(target)).styles["Normal"].font.name == "Verdana"
    monkeypatch.undo()
    report.write_text(report.read_text("utf-8").replace(stamped_key(report), "f" * 64), "utf-8")
    formats.build_formats([report], ("html", "docx"), False, lines.append)
    assert docx.stamped_key(target) == formats.docx_key("f" * 64) != first


KILLING_PANDOC = """#!/bin/sh
# A pandoc that writes half a document, then kills the report that started it (SIGKILL).
while [ $# -gt 0 ]; do [ "$1" = --output ] && out="$2"; shift; done
printf 'PK moitie de document' > "$out"
kill -9 $PPID
sleep 30
"""


def test_a_report_killed_during_the_word_conversion_leaves_only_what_the_next_sweeps(
        battery_outputs, tmp_path):
    """Issue 22, item 13: pandoc's output lives beside its report under the toolkit's temporary
    name, never in a /tmp/maroc-eval-docx-* folder; the next ``report`` sweeps what a SIGKILL
    left, and makes the Word version."""
    import os
    import shutil
    import subprocess
    import sys

    outputs = tmp_path / "outputs"
    shutil.copytree(battery_outputs, outputs)
    fake = tmp_path / "pandoc-qui-tue"
    fake.write_text(KILLING_PANDOC, "utf-8")
    fake.chmod(0o755)
    private = tmp_path / "tmp"
    private.mkdir()
    env = {**os.environ, "TMPDIR": str(private)}
    killed = subprocess.run(
        [sys.executable, "-c", "import sys; from maroc_eval.report import docx; "
         f"docx.pandoc_binary = lambda: {str(fake)!r}; from maroc_eval.cli import main; "
         "sys.argv = ['maroc-eval', *sys.argv[1:]]; main()",
         "report", "--phase", "midterm", "--formats", "html,docx", "--sorties", str(outputs)],
        env=env, capture_output=True, text=True, timeout=600, check=False)
    assert killed.returncode == -9, killed.stdout + killed.stderr
    left = sorted(p.name for p in outputs.glob("midterm/*/.rapport-*.docx.*.tmp"))
    assert left and all(n.endswith(".tmp") for n in left)  # in the outputs, under its name
    again = subprocess.run([str(Path(sys.executable).with_name("maroc-eval")), "report",
                            "--phase", "midterm", "--formats", "html,docx", "--sorties",
                            str(outputs)], env=env, capture_output=True, text=True,
                           timeout=600, check=False)
    assert again.returncode == 0, again.stdout + again.stderr
    assert not list(outputs.rglob("*.tmp"))
    assert not list(private.glob("maroc-eval-docx-*"))
    report = paths.pair_report_path(outputs, "midterm", "jette-sidi-bibi")
    assert zipfile.is_zipfile(paths.report_format_path(report, "docx"))
    assert docx.stamped_key(paths.report_format_path(report, "docx")) == formats.docx_key(
        stamped_key(report))


# -- finishing what pandoc cannot carry over (issue 25) ----------------------------------------
def _cell(text: str) -> str:
    return f'<w:tc><w:tcPr /><w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p></w:tc>'


def test_status_cells_are_shaded_and_only_them():
    from maroc_eval.report import docx_finish

    cells = ("Partiellement atteint", "Atteint partiellement", "Atteint")
    xml = "<w:tr>" + "".join(_cell(text) for text in cells) + "</w:tr>"
    shaded, count = docx_finish.shade_statuses(xml, docx_finish._fills())
    assert count == 2
    fills = re.findall(r'w:fill="([0-9A-F]{6})"', shaded)
    assert fills == [docx_finish.STATUS_FILLS["partiellement_atteint"],
                     docx_finish.STATUS_FILLS["atteint"]]
    assert docx_finish.shade_statuses(shaded, docx_finish._fills())[0] == shaded  # once only
    spanned = '<w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>Atteint</w:t>'
    kept, _n = docx_finish.shade_statuses(spanned + "</w:r></w:p></w:tc>", docx_finish._fills())
    assert '<w:gridSpan w:val="2"/><w:shd ' in kept  # the cell's own properties kept


def test_wide_tables_get_a_landscape_section_with_their_heading():
    from maroc_eval.report import docx_finish

    def table(columns: int) -> str:
        return "<w:tbl><w:tblGrid>" + '<w:gridCol w:w="1"/>' * columns + "</w:tblGrid></w:tbl>"

    section = ('<w:sectPr><w:pgSz w:h="16838" w:w="11906" /><w:titlePg /></w:sectPr>')
    xml = ('<w:body><w:p><w:r><w:t>Texte</w:t></w:r></w:p>' + table(4)
           + '<w:p><w:pPr><w:pStyle w:val="Titre2" /></w:pPr><w:r><w:t>Annexe A</w:t></w:r></w:p>'
           + table(9) + "<w:p><w:r><w:t>Suite</w:t></w:r></w:p>" + section + "</w:body>")
    done, count = docx_finish.landscape_tables(xml)
    assert count == 1
    landscape = done.index('w:orient="landscape"')
    portrait_end = done.index("</w:sectPr>")
    assert done.index("Annexe A") > portrait_end  # the heading goes with its table
    assert done.index("Texte") < portrait_end < landscape < done.index("Suite")
    assert docx_finish.landscape_tables(xml.replace(table(9), table(8)))[1] == 0
    assert docx_finish.landscape_tables(done) == (done, 0)  # finished once only


def test_word_reports_have_a_toc_shaded_statuses_landscape_and_their_title(deliverables):
    for report in html_reports(deliverables):
        page = html_of(report)
        with zipfile.ZipFile(paths.report_format_path(report, "docx")) as archive:
            body = archive.read("word/document.xml").decode()
            header = archive.read("word/header1.xml").decode()
        assert "TOC \\o" in body, report.name  # Word's own table of contents field
        statuses = [td for td in page.select("table td")
                    if squeeze(td.get_text(" ")) in docx_finish_labels()]
        assert body.count("<w:shd ") >= len(statuses) > 0 or report.parent.name == "programme"
        wide = [t for t in page.select("table") if len(t.select("thead th")) >= 9]
        assert body.count('w:orient="landscape"') == len(wide), report.name
        title = squeeze(page.title.get_text())
        assert re.sub(r"<[^>]+>", "", header).count(title) == 1, report.name
        levels = [int(h.name[1]) for h in page.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])]
        assert max(levels) <= 3 and all(b <= a + 1 for a, b in itertools.pairwise(levels))


def docx_finish_labels() -> set[str]:
    from maroc_eval.report import docx_finish

    return set(docx_finish._fills())


@pytest.mark.parametrize("opening", ['<nav class="rapport-sommaire" aria-label="Sommaire">',
                                     '<nav aria-label="Sommaire" class="rapport-sommaire">'])
def test_word_source_leaves_out_contents_and_navigation_whatever_the_attribute_order(opening):
    from maroc_eval.report.docx import _source

    html = (f'<body><div role="navigation" class="rapport-navigation"><ul><li>Index des rapports'
            f'</li></ul></div>{opening}<ol><li>Résumé</li></ol></nav><h1>Résumé</h1></body>')
    assert _source(html) == "<body><h1>Résumé</h1></body>"
