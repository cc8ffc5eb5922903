"""``outputs/index.html`` is one self-contained page: inline style, no script, no outside link."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from maroc_eval.base import paths
from maroc_eval.report.index_page import PairRow, PhaseIndex, index_html, write_index

PAYLOAD = '<script>alert(1)</script>"'
RIS = ["RI1", "RI2"]


@pytest.fixture
def page(tmp_path) -> tuple[Path, str]:
    out = tmp_path / "outputs"
    pair = out / "midterm" / "jette"
    phase = PhaseIndex(
        code="midterm", label=f"Mi-parcours {PAYLOAD}", year=2010,
        pairs=[PairRow(f"Jette {PAYLOAD}", "en_retard", 0.5, {"RI1": "atteint"},
                       pair / "rapport-midterm-jette.html", pair / "annexe-midterm-jette.xlsx"),
               PairRow("Forest", None, None, {}, None, None),
               PairRow("Liège", None, None, {}, None, None, ran=False)],
        programme_report=out / "midterm" / "programme" / "rapport-midterm-programme.html",
        entries={"jette/ri1": {"status": "ok"},
                 "jette/ri2": {"status": "failed", "ename": "ValueError", "evalue": PAYLOAD}})
    empty = PhaseIndex("final", "Finale", 2013, [], None, {})
    return out, index_html(f"Programme {PAYLOAD}", [phase, empty], RIS, out)


def test_index_is_self_contained_and_offline(page):
    _, html = page
    assert html.startswith("<!DOCTYPE html>\n<html lang=\"fr\">") and html.endswith("</html>\n")
    lowered = html.lower()
    for active in ("<script", "<link", "<iframe", "<img", "@import", " src=", "url("):
        assert active not in lowered, active
    assert not re.search(r"(href|src)=\"(https?:)?//", lowered)
    style = re.search(r"<style>(.*)</style>", html, re.DOTALL).group(1)
    css = (paths.TEMPLATES_DIR / paths.INDEX_TEMPLATE / "static" / "index.css").read_text("utf-8")
    assert style == "\n" + css  # the stylesheet inlined as it is


def test_index_links_only_to_outputs_relatively(page):
    _, html = page
    assert re.findall(r'href="([^"]+)"', html) == [
        "midterm/programme/rapport-midterm-programme.html",
        "midterm/jette/rapport-midterm-jette.html", "midterm/jette/annexe-midterm-jette.xlsx"]


def test_index_escapes_names_labels_and_errors(page):
    _, html = page
    assert "<script>" not in html
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;&quot;"
    assert html.count(escaped) == 5  # title, h1, h2, pair, error


def test_index_content(page):
    _, html = page
    assert '<span class="rapport-statut rapport-statut-en_retard">En retard</span>' in html
    assert '<span class="rapport-statut rapport-statut-atteint">Atteint</span>' in html
    assert html.count("statut rapport-statut-indisponible") == 3  # Jette RI2, Forest RI1-2
    assert '<td colspan="5"><em>non exécuté pour cette phase</em></td>' in html
    assert "<th>Forest</th>" in html and "<td>—</td></tr>" in html  # no documents
    assert '<tr class="echec"><td>jette/ri2</td><td>échec</td><td>ValueError : ' in html
    assert "<p><em>Rapport du programme indisponible.</em></p>" in html
    assert "aucun carnet exécuté" in html and "Aucune section en échec." in html


def test_write_index(page):
    out, _ = page
    target = write_index(out, "P", [], RIS)
    assert target == paths.index_path(out) and target.read_text("utf-8").endswith("</html>\n")


def test_run_counts_agree_with_their_number():
    from maroc_eval.report.index_page import _run_summary

    many = {f"p/ri{i}": {"status": "ok"} for i in range(43)}
    assert _run_summary(many) == "43 réussis"
    assert _run_summary({"a": {"status": "ok"}, "b": {"status": "failed"},
                         "c": {"status": "failed"}}) == "2 échecs, 1 réussi"


def test_french_and_english_indexes_link_to_each_other(tmp_path):
    from maroc_eval.base import i18n
    from maroc_eval.report.index_page import other_language_index

    out = tmp_path / "outputs"
    assert other_language_index(out) is None  # no English index: no link
    write_index(out / "en", "P", [], RIS)
    assert other_language_index(out) == ("English version of the reports", "en/index.html")
    write_index(out, "P", [], RIS)
    assert 'href="en/index.html">English version' in (out / "index.html").read_text("utf-8")
    before = i18n.language()
    try:
        i18n.set_language("en")
        assert other_language_index(out / "en") == ("Version française des rapports",
                                                    "../index.html")
        write_index(out / "en", "P", [], RIS)
        assert 'href="../index.html">Version française' in (out / "en" / "index.html").read_text(
            "utf-8")
    finally:
        i18n.set_language(before)
