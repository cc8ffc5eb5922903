"""Reports built end to end from the real battery (two pairs, both phases)."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from html import unescape
from pathlib import Path

import openpyxl
import pytest

from maroc_eval.base import paths
from maroc_eval.base.errors import ParameterError
from maroc_eval.report.annex import HEADER_ROW
from maroc_eval.report.build import build_reports

pytestmark = pytest.mark.slow
PAIRS = ("jette-sidi-bibi", "forest-jerada")
RI_STEMS = ("ri1_service_action_sociale", "ri2_planification_suivi",
            "ri3_competences_personnel", "ri4_infrastructures_sociales",
            "ri5_elus_budget_social", "ri7_partenariats_locaux")


@pytest.fixture(scope="module")
def built(battery_outputs, tmp_path_factory):
    """A copy of the battery outputs with every report built; the echoed lines."""
    outputs = tmp_path_factory.mktemp("reports") / "outputs"
    shutil.copytree(battery_outputs, outputs)
    lines: list[str] = []
    index = build_reports(phase="all", outputs=outputs, echo=lines.append, formats=("html",))
    return outputs, index, lines


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def run_pairs(outputs: Path, phase: str) -> set[str]:
    """The pairs the battery ran for a phase (at least the two requested)."""
    return {p.name for p in (outputs / phase).iterdir() if p.is_dir() and p.name != "programme"}


def test_index_is_returned_and_links_existing_files(built):
    outputs, index, _ = built
    assert index == outputs / "index.html"
    hrefs = re.findall(r'href="([^"#]+)"', read(index))
    expected = set()
    for phase in ("midterm", "final"):
        assert set(PAIRS) <= run_pairs(outputs, phase)
        expected |= {f"{phase}/{pair}/{kind}-{phase}-{pair}.{ext}"
                     for pair in run_pairs(outputs, phase)
                     for kind, ext in (("rapport", "html"), ("annexe", "xlsx"))}
    expected |= {f"{phase}/programme/rapport-{phase}-programme.html"
                 for phase in ("midterm", "final")}
    expected.add("changements.html")  # what changed since the previous report
    assert set(hrefs) == expected
    assert all((outputs / h).is_file() for h in hrefs)
    if len(run_pairs(outputs, "midterm")) < 6:
        assert "non exécuté pour cette phase" in read(index)


def test_sizes_are_printed(built):
    _, _, lines = built
    sized = [line for line in lines if re.search(r"rapport-\S+\.html \(\d+(,\d+)? Mo\)", line)]
    outputs = built[0]
    expected = len(run_pairs(outputs, "midterm")) + len(run_pairs(outputs, "final")) + 2
    assert len(sized) == expected  # one per pair and phase + 2 programme reports


@pytest.mark.parametrize("phase", ["midterm", "final"])
def test_pair_report_layout(built, phase):
    outputs, _, _ = built
    html = read(outputs / phase / "jette-sidi-bibi" / f"rapport-{phase}-jette-sidi-bibi.html")
    assert '<html lang="fr">' in html
    title = re.search(r"<title>(.*?)</title>", html).group(1)
    assert "Jette – Sidi Bibi" in title
    assert ("mi-parcours" if phase == "midterm" else "finale") in title
    assert html.find("rapport-couverture") < html.find("Données fictives") < html.find("</nav>")
    body = html[html.find("</nav>"):]
    order = [">Résumé exécutif", ">Contexte et méthode", ">Limites",
             ">Constats par résultat intermédiaire",
             *(f'id="ri{n}-ri-{n}-' for n in (1, 2, 3, 4, 5, 7)),
             ">Appréciation selon les critères du CAD", ">Conclusions et recommandations",
             ">Annexe A — Cadre logique", ">Annexe B — Qualité des données",
             ">Annexe C — Contrôles des appréciations", ">Annexe D — Matrice d’évaluation",
             ">Annexe E — Barème des notes", ">Annexe F — Personnes rencontrées",
             ">Annexe G — Documents consultés", ">Annexe H — Sigles et acronymes",
             ">Annexe I — Paramètres et provenance",
             ">Annexe J — Sensibilité des statuts aux seuils"]
    positions = [body.find(marker) for marker in order]
    assert -1 not in positions, [m for m, p in zip(order, positions, strict=True) if p < 0]
    assert positions == sorted(positions)
    assert ("Comparaison avec l" in html) == (phase == "final")  # the previous evaluation
    assert "<script" not in html.lower()
    for forbidden in ("celltag_parameters", "celltag_injected-parameters", "jp-InputArea",
                      "import ", "maroc_eval.", "In&nbsp;[", "Out["):
        assert forbidden not in html, forbidden
    assert f'href="annexe-{phase}-jette-sidi-bibi.xlsx"' in html
    assert "http://" not in html.replace("http://www.w3.org", "")
    assert html.count("data:image/png;base64,") >= 6


def test_toc_links_reach_anchored_headings(built):
    outputs, _, _ = built
    html = read(outputs / "final" / "forest-jerada" / "rapport-final-forest-jerada.html")
    toc = re.search(r'<nav[^>]*rapport-sommaire[^>]*>.*?</nav>', html, re.DOTALL).group(0)
    targets = re.findall(r'href="#([^"]+)"', toc)
    assert len(targets) >= 10
    ids = re.findall(r'<h[1-6] id="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    assert set(targets) <= set(ids)
    assert "ri3-ri-3-un-personnel-competent-en-action-sociale" in targets


def test_provenance_annex(built):
    outputs, _, _ = built
    html = read(outputs / "midterm" / "jette-sidi-bibi" / "rapport-midterm-jette-sidi-bibi.html")
    digest = hashlib.sha256((paths.SAMPLE_DIR / "suivi.csv").read_bytes()).hexdigest()
    assert digest in html
    done = subprocess.run(["git", "rev-parse", "HEAD"], cwd=paths.PROJ_ROOT, capture_output=True,
                          text=True, check=False)
    assert (done.stdout.strip() if done.returncode == 0 else "inconnu") in html
    annex = html.split("Paramètres et provenance")[-1]
    assert "Seuil «\u00a0en bonne voie\u00a0»" in annex and "75\u202f%" in annex  # a percent
    for technical in ("threshold_on_track", "sidecar_path", "data_dir", "output_dir",
                      "Nom technique", "data/sample/", str(outputs)):
        assert technical not in annex, technical  # no technical name nor path
    assert "Version de maroc-eval" in html


def test_excel_annex_has_the_sidecar_values(built, programme):
    outputs, _, _ = built
    folder = outputs / "final" / "forest-jerada"

    def shown(code, value):  # as the annex holds it: % as a fraction, yes/no in words
        measure = programme.indicator_map[code].measure
        if value is None or measure not in ("pourcentage", "oui_non"):
            return value
        return value / 100 if measure == "pourcentage" else ("oui" if value else "non")

    expected = []
    for stem in RI_STEMS:
        data = json.loads((folder / f"{stem}.json").read_text(encoding="utf-8"))
        expected += [(row["code"], *[shown(row["code"], row[k])
                                     for k in ("baseline", "target", "actual")],
                      row["achievement_raw"]) for row in data["indicators"]]
    ws = openpyxl.load_workbook(folder / "annexe-final-forest-jerada.xlsx")["Cadre logique"]
    got = [(r[1], r[5], r[6], r[7], r[8]) for r in
           ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True)]
    assert got == [tuple(v if isinstance(v, str | None) else pytest.approx(v) for v in row)
                   for row in expected]
    assert len(got) == 27  # 4 + 5 + 5 + 4 + 5 + 4 indicators


def test_failed_and_missing_sections_are_shown(battery_outputs, tmp_path):
    outputs = tmp_path / "outputs"
    shutil.copytree(battery_outputs, outputs)
    ledger_file = outputs / "midterm" / "ledger.json"
    ledger = json.loads(ledger_file.read_text(encoding="utf-8"))
    entry = ledger["entries"]["jette-sidi-bibi/ri3_competences_personnel"]
    entry.update(status="failed", cell=4, ename="ValueError", evalue="valeur <b>absurde</b>")
    ledger_file.write_text(json.dumps(ledger), encoding="utf-8")
    (outputs / "midterm" / "jette-sidi-bibi" / "ri5_elus_budget_social.ipynb").unlink()
    build_reports(phase="midterm", outputs=outputs, echo=lambda *_: None)
    html = read(outputs / "midterm" / "jette-sidi-bibi" / "rapport-midterm-jette-sidi-bibi.html")
    assert "valeur &lt;b&gt;absurde&lt;/b&gt;" in html and "<b>absurde" not in html  # inert text
    text = unescape(html)
    assert ("Section indisponible\u00a0: échec de l’exécution (cellule 4) — ValueError\u00a0: "
            "valeur <b>absurde</b>") in text
    assert "Section indisponible\u00a0: carnet non exécuté" in text
    assert "Un personnel compétent" not in html.split("Annexes")[0].split("RI 3 —")[-1][:200]
    index = read(outputs / "index.html")
    assert "jette-sidi-bibi/ri3_competences_personnel" in index  # failures listed
    assert not (outputs / "final" / "jette-sidi-bibi" / "rapport-final-jette-sidi-bibi.html"
                ).exists()  # only the requested phase was built


def test_unknown_phase_and_empty_outputs(tmp_path):
    with pytest.raises(ParameterError, match=r"Phase inconnue.*midterm"):
        build_reports(phase="midtrem", outputs=tmp_path)
    with pytest.raises(ParameterError, match="maroc-eval run"):
        build_reports(phase="all", outputs=tmp_path)


def test_template_works_from_the_command_line(battery_outputs, tmp_path):
    source = battery_outputs / "midterm" / "forest-jerada" / "ri4_infrastructures_sociales.ipynb"
    shutil.copy(source, tmp_path / "carnet.ipynb")
    jupyter = Path(sys.executable).with_name("jupyter")
    done = subprocess.run([str(jupyter), "nbconvert", "--to", "html", "--template", "rapport",
                           f"--TemplateExporter.extra_template_basedirs={paths.TEMPLATES_DIR}",
                           str(tmp_path / "carnet.ipynb")], capture_output=True, text=True,
                          cwd=tmp_path, check=False)
    assert done.returncode == 0, done.stderr
    html = read(tmp_path / "carnet.html")
    assert '<html lang="fr">' in html and "rapport-sommaire" in html
    assert "<script" not in html.lower() and "jp-InputArea" not in html
    assert "injected-parameters" not in html and "import " not in html
    assert '<h1 id="ri-4-' in html


def test_annex_b_cites_the_comments_known_at_each_phase(built):
    """forest-jerada's comments (sample CSV): RI1.2 on 2010, RI4.4 on 2011."""
    outputs, _, _ = built
    mid = unescape(read(paths.pair_report_path(outputs, "midterm", "forest-jerada")))
    end = unescape(read(paths.pair_report_path(outputs, "final", "forest-jerada")))
    annex = [page.split("Annexe B")[-1].split("Annexe C")[0] for page in (mid, end)]
    assert "Départ de deux agents non remplacés" in annex[0]
    assert "Pièces de rechange non budgétées" not in annex[0]  # a 2011 value: after mid-term
    assert "Départ de deux agents non remplacés" in annex[1]
    assert "Pièces de rechange non budgétées" in annex[1]
    assert "Registre des formations (fictif)" in mid.split("Sources des données")[1][:2000]


def test_every_chart_has_its_french_title_as_text_alternative(built):
    outputs, _, _ = built
    html = read(outputs / "midterm" / "jette-sidi-bibi" / "rapport-midterm-jette-sidi-bibi.html")
    images = re.findall(r"<img\b[^>]*>", html)
    assert len(images) >= 12  # trends, positions and RI analyses of six RI notebooks
    alts = [re.search(r'alt="([^"]*)"', tag) for tag in images]
    assert all(alts) and "No description" not in html
    # The RI 3 ranking chart's title (riview.position), as the reader sees it in the chart.
    assert "Indice du RI 3 par partenariat, 2010" in {a.group(1) for a in alts}


def test_the_sensitivity_annex_says_where_each_ri_status_would_change(built):
    """Issue 26, item 2: in the final report, the « atteint » column of each RI reads « stable »
    exactly when its index lies outside the swept range (85 %–100 %), else the largest whole
    percent not above the index (from there the RI would count as reached)."""
    outputs, _, _ = built
    html = read(paths.pair_report_path(outputs, "final", "jette-sidi-bibi"))
    annex = html[html.rindex(">Annexe J — Sensibilité des statuts aux seuils"):]
    table = annex[annex.index("<table"):annex.index("</table>")]
    rows = [[unescape(re.sub(r"<[^>]+>", "", c)).replace("\u202f", " ").replace("\u00a0", " ")
             for c in re.findall(r"<td>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)]
    rows = [r for r in rows if r]
    folder = paths.pair_dir(outputs, "final", "jette-sidi-bibi")
    indexes = {}
    for sidecar in folder.glob("ri*.json"):
        data = json.loads(sidecar.read_text("utf-8"))
        indexes[data["ri"].replace("RI", "RI ")] = data["index"]
    assert [r[0] for r in rows] == sorted(indexes, key=lambda ri: int(ri.split()[1]))
    for ri, _index, status, met, *_others in rows:  # final: on track, late too
        index = indexes[ri]
        if status == "Atteint" or index < 0.85:
            assert met == "stable", (ri, index, met)
        else:
            floor = int(index * 100 + 1e-9)
            assert met == f"à {floor} % : Atteint", (ri, index, met)
    programme = read(paths.programme_report_path(outputs, "final"))
    assert "Les rangs ne dépendent d’aucun seuil" in unescape(programme)


def test_the_sensitivity_annex_lists_each_indicator_whose_status_would_change(built):
    """Below the RIs' table, one row per indicator whose status a threshold of the swept range
    would change: its status and the status it would take differ, the threshold is named, and
    the rows and the indicators said stable add up to all the indicators."""
    outputs, _, _ = built
    html = read(paths.pair_report_path(outputs, "final", "jette-sidi-bibi"))
    annex = unescape(html[html.rindex(">Annexe J — Sensibilité des statuts aux seuils"):]).replace(
        "\u00a0", " ").replace("\u202f", " ")
    stable, total = map(int, re.search(
        r"Indicateurs : (\d+) sur (\d+) gardent leur statut", annex).groups())
    table = annex[annex.index("Indicateurs dont le statut changerait sous un autre seuil"):]
    table = table[:table.index("</table>")]
    rows = [[re.sub(r"<[^>]+>", "", c).replace("\u202f", " ").replace("\u00a0", " ")
             for c in re.findall(r"<td>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)]
    rows = [r for r in rows if r]
    assert rows and len(rows) + stable == total
    for code, _value, status, threshold, then in rows:
        assert re.fullmatch(r"RI\d\.\d", code), code
        assert then != status, (code, status, then)
        assert re.fullmatch(r"Seuil « [^»]+ » à \d+ %", threshold), threshold
