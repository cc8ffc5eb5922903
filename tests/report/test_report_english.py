"""Reports in English (issue 18, part C): templates, sections, index, annex, exporter and the
``report --langue en`` command, with a tiny temporary English catalogue (the real one is written
last); French stays byte-identical (the other report tests)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from english_helpers import use_catalogue, write_catalogue

from maroc_eval.base import i18n, markup, paths
from maroc_eval.report import assemble, build, sections
from maroc_eval.report.annex import cells
from maroc_eval.report.index_page import PairRow, PhaseIndex, index_html

NBSP = "\u00a0"
FICTITIOUS = (f"Données fictives{NBSP}: ce rapport est produit à partir de l’échantillon de "
              "démonstration ; il ne décrit aucune commune réelle.")
MESSAGES = {
    FICTITIOUS: "Fictitious data: this report is made from the demonstration sample; it "
                "describes no real commune.",
    "Section indisponible : ": "Section unavailable: ",
    "Limites": "Limitations",
    "Années manquantes par indicateur": "Missing years by indicator",
    "Aucune année manquante.": "No missing year.",
    "Aucun.": "None.",
    "Aucune.": "None.",
    "Sources des données": "Data sources",
    "Rapports d’évaluation — {programme}": "Evaluation reports — {programme}",
    "Partenariat": "Pair",
    "Statut": "Status",
    "Aucune section en échec.": "No failed section.",
    "Journal d’exécution": "Run log",
    "Atteint": "Achieved",
    "Sommaire": "Contents",
    "Navigation": "Links",
    "page {page} / {pages}": "page {page} of {pages}",
    "Rapport d’évaluation — {title}": "Evaluation report — {title}",
    "Lisez-moi": "Read me",
    "oui": "yes",
}


@pytest.fixture
def english(tmp_path, monkeypatch):
    """Speak English from a temporary catalogue of :data:`MESSAGES` for one test."""
    write_catalogue(tmp_path / "locale", MESSAGES)
    use_catalogue(monkeypatch, tmp_path / "locale")
    yield
    i18n._translations.cache_clear()


def test_cover_and_limits_in_english(english):
    cover = sections.cover(programme="P", title="T", subtitle="S", facts=[], fictitious=True,
                           arabic="جرادة")
    assert ('<p class="rapport-fictif" role="note">Fictitious data: this report is made from '
            "the demonstration sample; it describes no real commune.</p>") in cover
    assert '<p class="rapport-nom-arabe"><span lang="ar" dir="rtl">جرادة</span></p>' in cover
    assert "Données" not in cover
    limits = sections.limits({}, [], {"RI3": "échec"})
    assert limits.startswith("<h2>Limitations</h2><p><strong>Missing years by indicator")
    assert "<em>No missing year.</em>" in limits and "Data sources" in limits
    assert sections.unavailable("RI 3", "x") == (
        '<div class="rapport-indisponible"><strong>RI 3</strong> — Section unavailable: x</div>')
    assert sections.status_badge("atteint").endswith(">Achieved</span>")
    assert str(markup.environment().from_string("{{ lang() }}").render()) == "en"


def test_french_cover_unchanged_but_for_the_arabic_name():
    """French (no catalogue needed): the source text, the Arabic name in its own paragraph."""
    assert i18n.language() == "fr"
    cover = sections.cover(programme="P", title="T", subtitle="Partenariat Forest – Jérada",
                           facts=[], fictitious=True, arabic="جرادة")
    assert FICTITIOUS in cover
    assert ('<p class="rapport-sous-titre">Partenariat Forest – Jérada</p><p class="rapport-nom-'
            'arabe"><span lang="ar" dir="rtl">جرادة</span></p>') in cover


def _phase(tmp_path: Path) -> PhaseIndex:
    report = tmp_path / "midterm" / "forest-jerada" / "rapport.html"
    report.parent.mkdir(parents=True)
    report.write_text("x")
    return PhaseIndex("midterm", "Évaluation à mi-parcours", 2010, [
        PairRow("Forest – Jérada", "atteint", 1.0, {"RI1": "atteint"}, report, None,
                arabic="جرادة")], None, {})


def test_index_in_english(english, tmp_path):
    page = index_html("Programme P", [_phase(tmp_path)], ["RI1"], tmp_path)
    assert page.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert "<title>Evaluation reports — Programme P</title>" in page
    assert "<th>Pair</th><th>Status</th>" in page and "<h3>Run log</h3>" in page
    assert '<th>Forest – Jérada <span lang="ar" dir="rtl">جرادة</span></th>' in page
    assert "Rapports d’évaluation" not in page and "Journal" not in page


def test_index_in_french_shows_the_arabic_name(tmp_path):
    page = index_html("Programme P", [_phase(tmp_path)], ["RI1"], tmp_path)
    assert '<html lang="fr">' in page and "<title>Rapports d’évaluation — Programme P</title>" \
        in page
    assert '<th>Forest – Jérada <span lang="ar" dir="rtl">جرادة</span></th>' in page


def test_annex_cells_and_sheet_names_in_english(english, programme):
    from maroc_eval.report.annex.workbook import SHEETS

    assert cells.measured(1, "oui_non") == ("yes", cells.TEXT)
    assert i18n._(SHEETS["readme"]) == "Read me"


def _small_report(title: str, arabic: str | None = None) -> nbformat.NotebookNode:
    cover = assemble.html_cell(sections.cover(
        programme="Intervention spécifique Maroc", title="Évaluation finale (2012)",
        subtitle="Partenariat Forest – Jérada", facts=[("Phase", "finale")], fictitious=True,
        arabic=arabic), assemble.COVER)
    prose = nbformat.v4.new_markdown_cell("# Résumé exécutif\n\nUn paragraphe.")
    return assemble.new_report(title, [cover, prose])


def test_exported_report_in_english(english, tmp_path):
    from maroc_eval.report.exporter import make_exporter

    nb = _small_report("Evaluation report — Forest – Jérada — final (2012)")
    target = tmp_path / "rapport.html"
    build._export(make_exporter(), nb, target, "0" * 64,
                  [{"href": "../../index.html", "text": "Index"}])
    page = target.read_text("utf-8")
    assert '<html lang="en">' in page
    assert 'aria-label="Navigation"' in page and "rapport-sommaire-titre\">Contents</p>" in page
    assert '@bottom-right { content: "page " counter(page) " of " counter(pages); }' in page
    # the running header is the title without its « Evaluation report — »
    assert '@top-left { content: "Forest – Jérada — final (2012)"; }' in page


def test_exported_report_in_french_has_no_footer_override(tmp_path):
    from maroc_eval.report.exporter import make_exporter

    nb = _small_report("Rapport d’évaluation — Forest – Jérada — finale (2012)")
    target = tmp_path / "rapport.html"
    build._export(make_exporter(), nb, target, "0" * 64, [])
    page = target.read_text("utf-8")
    assert '<html lang="fr">' in page and "<style>@page { @bottom-right" not in page
    assert 'rapport-sommaire-titre">Sommaire</p>' in page


def test_report_in_english_without_an_english_run(tmp_path):
    """``report --langue en`` before ``run --langue en``: a clear message, status 2."""
    (tmp_path / "midterm").mkdir()  # a French run exists, not the English one
    done = subprocess.run([str(Path(sys.executable).parent / "maroc-eval"), "report",
                           "--langue", "en", "--sorties", str(tmp_path), "--formats", "html"],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 2, done.stderr
    assert "maroc-eval run --langue en" in done.stderr
    assert str(tmp_path / "en") in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert not (tmp_path / "en").exists() and not (tmp_path / "index.html").exists()


def test_report_language_outputs_folder():
    assert paths.language_outputs(Path("out"), "en") == Path("out/en")
    assert paths.language_outputs(Path("out"), "fr") == Path("out")
