"""What a report says, and how: chapters open on report prose, a commune's comment is quoted
once per value, shares of a few people are given as counts, the provenance annex reads as a
table for people. Expected figures come from the sample CSV, read here with pandas."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from maroc_eval.base import fmt, paths, typography
from maroc_eval.notebook.ri_specific import women_share
from maroc_eval.notebook.riview import counted_noun
from maroc_eval.report import assemble
from maroc_eval.report.provenance import shown_origin, shown_value

S, NB = fmt.NNBSP, fmt.NBSP


def text_of(html: str) -> str:
    """A page's text: tags dropped, entities decoded."""
    html = re.sub(r"<(style|script)\b.*?</\1>", " ", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", "\n", html))


def sample_rows(indicator: str) -> pd.DataFrame:
    rows = pd.read_csv(paths.SAMPLE_DIR / "suivi.csv", dtype=str, comment="#")
    rows = rows[rows["indicateur"] == indicator].copy()
    rows["annee"] = rows["annee"].astype(int)
    rows["valeur"] = rows["valeur"].astype(float)
    return rows


def cumulated_by_sex(indicator: str, pair: str, year: int) -> tuple[float, float]:
    """(women, men) of a cumulative indicator: the yearly flows summed up to ``year``."""
    rows = sample_rows(indicator)
    rows = rows[(rows["partenariat"] == pair) & (rows["annee"] <= year)]
    return tuple(rows.loc[rows["ventilation"] == f"sexe={s}", "valeur"].sum() for s in "FH")


# -- units --------------------------------------------------------------------------------------
def test_women_share_is_a_count_on_few_agents():
    assert women_share(1, 2) == "1 agent sur 3 (indicatif)"
    assert women_share(2, 3) == "2 agents sur 5 (indicatif)"
    assert women_share(6, 7) == f"6 (46{S}%)"  # 6 / 13 = 46,2 %
    assert women_share(None, 3) == "—"


def test_counted_noun():
    assert counted_noun("agents") == "agent"
    assert counted_noun("élus") == "élu"
    assert counted_noun("kMAD/an") == "" and counted_noun("ETP") == ""


def test_provenance_values_and_origins_read_as_words():
    assert shown_value("compare_pairs", True) == "oui"
    assert shown_value("threshold_on_track", 0.75) == f"75{S}%"
    assert shown_value("execution_floor", 70.0) == f"70{S}%"
    assert shown_value("unavailable", []) == "aucun"
    assert shown_value("pair", None) == "sans objet"
    assert shown_value("data_dir", "data/sample") == "data/sample"
    assert shown_origin("phase:params/phases/final.yml") == "paramètres de la phase"  # no path
    assert shown_origin(None) == "valeur par défaut"


def test_report_cells_get_french_typography_but_code_stays_verbatim():
    md = nbformat.v4.new_markdown_cell("Note : 45 % des `a : b` ; 7 593 habitants")
    out = nbformat.v4.new_code_cell("")
    out.outputs = [nbformat.v4.new_output("display_data", data={
        "text/html": '<p style="a:b">Taux : 12 %</p><code>x : y</code>'})]
    nb = assemble.new_report("Titre", [md, out])
    assert nb.cells[0].source == f"Note{NB}: 45{S}% des `a : b`{S}; 7{S}593 habitants"
    assert nb.cells[1].outputs[0].data["text/html"] == \
        f'<p style="a:b">Taux{NB}: 12{S}%</p><code>x : y</code>'


def test_ri_notebooks_open_on_report_prose():
    """The first paragraph is what the report keeps: it speaks of the chapter, not the notebook;
    instructions to notebook users come later (dropped by the report)."""
    for path in sorted(paths.NOTEBOOKS_DIR.glob("ri*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        kept = assemble.ri_cells(nb, "x")[0].source
        assert "Ce chapitre examine" in kept, path.name
        assert not re.search(r"(?i)carnet|run all|paramètres", kept), path.name
        assert "Run All" in nb.cells[0].source  # still there for the notebook's user


# -- the sample reports -------------------------------------------------------------------------
def report(outputs: Path, phase: str, pair: str) -> str:
    return text_of(paths.pair_report_path(outputs, phase, pair).read_text("utf-8"))


@pytest.mark.slow
@pytest.mark.kernel
@pytest.mark.parametrize("phase", ["midterm", "final"])
def test_a_comment_is_quoted_once_per_value(sample_reports, phase):
    """Schaerbeek's RI7.1 2009 comment sits on the four partner-type rows of the sample CSV: it
    is quoted once in the RI 7 chapter and once in annex B."""
    rows = sample_rows("RI7.1")
    commented = rows[(rows["partenariat"] == "schaerbeek-al-hoceima") & (rows["annee"] == 2009)
                     & rows["commentaire"].notna()]
    assert len(commented) == 4 and commented["commentaire"].nunique() == 1
    comment = commented["commentaire"].iloc[0]
    page = report(sample_reports, phase, "schaerbeek-al-hoceima")
    annex = page.split("Annexe B")[-1].split("Annexe C")[0]
    quoted = typography.french(typography.quote(comment))  # as the report prints it
    assert page.count(quoted) == 2  # the RI 7 chapter and annex B
    assert annex.count(quoted) == 1
    assert f"RI7.1, 2009{NB}: {quoted}" in page  # the chapter's line


@pytest.mark.slow
@pytest.mark.kernel
def test_small_shares_are_counts_said_indicative(sample_reports):
    # Jette, mid-term: women and men trained by 2010 in the sample (under ten: a count).
    women, men = cumulated_by_sex("RI3.1", "jette-sidi-bibi", 2010)
    assert women + men < 10
    page = report(sample_reports, "midterm", "jette-sidi-bibi")
    noun = "agent" if women < 2 else "agents"
    assert f"{women:.0f} {noun} sur {women + men:.0f} (indicatif)" in page
    # Jette, final: ten or more, a percentage, computed here.
    women, men = cumulated_by_sex("RI3.1", "jette-sidi-bibi", 2012)
    assert women + men >= 10
    final = report(sample_reports, "final", "jette-sidi-bibi")
    assert f"{women:.0f} ({round(100 * women / (women + men)):.0f}{S}%)" in final
    # Forest, final: elected officials by sex (RI5.4), under ten in all.
    women, men = cumulated_by_sex("RI5.4", "forest-jerada", 2012)
    assert women + men < 10
    page = report(sample_reports, "final", "forest-jerada")
    assert f"{women:.0f} élus sur {women + men:.0f} (indicatif)" in page


@pytest.mark.slow
@pytest.mark.kernel
def test_changes_carry_their_sign(sample_reports):
    """RI 5's social budget growth since 2007 (Auderghem, final), computed from the sample."""
    rows = sample_rows("RI5.2")
    mine = rows[rows["partenariat"] == "auderghem-amerzgane"].set_index("annee")["valeur"]
    growth = mine[2012] / mine[2007] - 1
    page = report(sample_reports, "final", "auderghem-amerzgane")
    sign = "+" if growth >= 0 else "−"
    assert re.search(rf"Évolution depuis 2007\s+{re.escape(sign)}"
                     rf"{abs(round(100 * growth)):.0f}{S}%", page)


@pytest.mark.slow
@pytest.mark.kernel
def test_provenance_annex_is_a_table_for_people(sample_reports):
    programme = text_of(paths.programme_report_path(sample_reports, "midterm")
                        .read_text("utf-8"))
    page = report(sample_reports, "final", "liege-tanger")
    for text, threshold in ((page, f"Seuil «{NB}largement atteint{NB}»"),
                            (programme, f"Seuil «{NB}en bonne voie{NB}»")):
        annex = text.split("Paramètres et provenance")[-1]
        assert threshold in annex and f"75{S}%" in annex
        assert "threshold_on_track" not in annex and "sidecar_path" not in annex  # no machinery
        assert "params/" not in annex and "data/sample/" not in annex  # nor paths
        assert not re.search(r"\b(?:True|False|None)\b|\[\]|'[^'\s]*/", annex)
        assert not re.search(r"\d{4}-\d\d-\d\dT|\d\d:\d\d:\d\d\.\d", annex)
        assert re.search(r"Calculs exécutés\s+du \d\d/\d\d/\d{4} à \d\d h \d\d", annex
                         .replace(NB, " "))
    assert "sans objet" in programme.split("Paramètres et provenance")[-1]  # no pair
