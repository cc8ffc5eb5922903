"""The Excel annex: its sheets, formats by measure, frozen and filtered tables, properties, and
figures equal to those computed here from ``data/sample/suivi.csv``."""

from __future__ import annotations

import csv
import datetime as dt
import shutil

import openpyxl
import pytest

from maroc_eval.base import paths
from maroc_eval.base.sidecar import (
    IndicatorRow,
    KeyConclusion,
    KeyRecommendation,
    PairResult,
    RIResult,
    TeamGrade,
)
from maroc_eval.report.annex import HEADER_ROW, write_annex

SAMPLE = {"programme_file": "params/programme.yml", "data_dir": "data/sample"}
PERCENT_FORMATS = ("0%", "0.0%")


def ri_result(ri, rows, *, phase="midterm", pair="forest-jerada", parameters=SAMPLE,
              fictitious=True, judgement=None):
    return RIResult(notebook="x", pair=pair, phase=phase, ri=ri,
                    reference_year=2010 if phase == "midterm" else 2012, index=0.5,
                    coverage=1.0, status="en_retard", grade=judgement or TeamGrade(score="C"),
                    indicators=rows, parameters=parameters, fictitious=fictitious)


def row(code, baseline, target, actual, raw, capped, status, missing=(), label=None):
    return IndicatorRow(code=code, label=label or f"Libellé {code}", unit="u",
                        direction="hausse", baseline=baseline, target=target, actual=actual,
                        achievement_raw=raw, achievement=capped, status=status,
                        missing_years=list(missing))


def sample_values(pair: str, code: str) -> dict[int, float]:
    """The year's total of one pair and indicator in the sample CSV: the undisaggregated row,
    else the sum of the categories (read with the csv module, not the toolkit)."""
    with open(paths.SAMPLE_OBSERVATIONS, encoding="utf-8") as handle:
        rows = list(csv.DictReader(line for line in handle if not line.startswith("#")))
    totals, split = {}, {}
    for r in rows:
        if r["partenariat"] != pair or r["indicateur"] != code:
            continue
        raw = {"oui": "1", "non": "0"}.get(r["valeur"], r["valeur"])
        year, value = int(r["annee"]), float(raw)
        if r["ventilation"]:
            split[year] = split.get(year, 0.0) + value
        else:
            totals[year] = value
    return {**split, **totals}


def annex(tmp_path, results, **kwargs):
    path = write_annex(tmp_path / "annexe.xlsx", results, title=kwargs.pop("title", "Annexe"),
                       baseline_year=2007, year=kwargs.pop("year", 2010), **kwargs)
    return openpyxl.load_workbook(path)


PAIR_RESULT = PairResult(
    notebook="synthese_partenariat", phase="midterm", reference_year=2010,
    pair="forest-jerada", ri_index={}, ri_status={}, ri_score={}, overall_index=0.5,
    overall_status="en_retard",
    criteria={"efficience": TeamGrade(score="B", text="Coûts dans la médiane.", proposed="B")},
    questions={"QE4": TeamGrade(score="C", text="Le service perd ses agents.", proposed="B",
                                justification="Départs non remplacés.")},
    conclusions=[KeyConclusion(id="C1", text="=Le service s'affaiblit.", findings=["QE4.2"])],
    recommendations=[KeyRecommendation(
        id="R1", text="Que la commune remplace les deux agents partis.",
        addressee="commune_marocaine", priority="haute", deadline="2011-12-31",
        conclusions=["C1"], results=["RI1"]),
        KeyRecommendation(id="R2", text="=Former les agents.", addressee="programme",
                          priority="basse", deadline="2012-06-30", conclusions=["C1"])])


@pytest.fixture
def midterm(tmp_path):
    judgement = TeamGrade(score="C", text="Constat un. Constat deux.", proposed="B",
                          justification="Les visites.")
    results = {
        "RI1": ri_result("RI1", [row("RI1.1", 0, 2, 2, 1.0, 1.0, "atteint"),
                                 row("RI1.2", 1, 3, 3, 1.0, 1.0, "atteint"),
                                 row("RI1.3", 1, 50, 47, 0.94, 0.94, "en_bonne_voie"),
                                 row("RI1.4", 4, 50, None, None, None, "non_renseigne",
                                     [2009, 2010])], judgement=judgement),
        "RI2": None,  # unavailable: no rows, no series
        "RI3": ri_result("RI3", [row("RI3.4", 0, 1, 1, 1.0, 1.0, "atteint")]),
        "RI4": ri_result("RI4", [row("RI4.2", 100, 115, 110, 0.5, 0.5, "en_retard")]),
    }
    return annex(tmp_path, results, title="=Cadre logique — Forest", pair_result=PAIR_RESULT)


def test_sheets_and_workbook_properties(midterm):
    wb = midterm
    assert wb.sheetnames == ["Lisez-moi", "Cadre logique", "RI1 séries", "RI3 séries",
                             "RI4 séries", "Appréciations", "Conclusions", "Recommandations"]
    assert wb.properties.creator == "maroc-eval"
    assert wb.properties.title == "Annexe — Forest – Jérada — Évaluation à mi-parcours (2010)"
    assert "Intervention spécifique Maroc" in wb.properties.subject


def test_readme_says_what_when_which_data_and_that_they_are_fictitious(midterm):
    ws = midterm["Lisez-moi"]
    title = ws["A1"]
    assert (title.value, title.data_type, title.quotePrefix) == \
        ("=Cadre logique — Forest", "s", True)  # intact, and never a formula
    facts = {r[0]: r[1] for r in ws.iter_rows(min_row=HEADER_ROW, max_col=2, values_only=True)
             if r[0]}
    assert "fictives" in facts["Données fictives"]
    assert facts["Dossier de données"] == "data/sample"
    assert facts["Partenariat"] == "Forest – Jérada"
    assert "2010" in facts["Phase"]
    built = dt.datetime.strptime(facts["Produit le"].split(" (")[0], "%d/%m/%Y à %H\u00a0h\u00a0%M")
    assert abs(dt.datetime.now() - built) < dt.timedelta(minutes=5)  # for people, not ISO
    assert facts["Produit par"].startswith("maroc-eval ") and "report" not in facts["Produit par"]
    assert {"Cadre logique", "RIn séries", "Appréciations", "Recommandations"} <= set(facts)


def test_real_data_carry_no_fictitious_notice(tmp_path):
    data = tmp_path / "reel"
    data.mkdir()
    shutil.copy(paths.SAMPLE_OBSERVATIONS, data / "suivi.csv")
    (data / "donnees.yml").write_text("fictives: false\n", encoding="utf-8")
    parameters = {**SAMPLE, "data_dir": str(data)}
    wb = annex(tmp_path, {"RI1": ri_result("RI1", [row("RI1.2", 1, 3, 3, 1.0, 1.0, "atteint")],
                                           parameters=parameters, fictitious=False)})
    keys = [r[0] for r in wb["Lisez-moi"].iter_rows(values_only=True)]
    assert "Données fictives" not in keys
    assert "fictives" not in (wb.properties.keywords or "")
    assert wb["RI1 séries"].cell(HEADER_ROW + 1, 1).value == "RI1.1"  # data read from there


def test_logframe_formats_by_measure(midterm):
    ws = midterm["Cadre logique"]
    header = [c.value for c in ws[HEADER_ROW]]
    assert header[:11] == ["RI", "Code", "Indicateur", "Unité", "Sens", "Base 2007",
                           "Cible 2010", "Valeur 2010", "Réalisation brute", "Réalisation",
                           "Statut"]
    cells = {r[1].value: r for r in ws.iter_rows(min_row=HEADER_ROW + 1)}
    assert list(cells) == ["RI1.1", "RI1.2", "RI1.3", "RI1.4", "RI3.4", "RI4.2"]
    stage = cells["RI1.1"]  # ordinal: the stage number, shown with its label
    assert [c.value for c in stage[5:8]] == [0, 2, 2]
    assert stage[5].number_format == '0" – inexistant"'
    assert stage[7].number_format == '0" – service créé"'
    staff = cells["RI1.2"]  # a count: an integer, no decimals
    assert [c.value for c in staff[5:8]] == [1, 3, 3]
    assert {c.number_format for c in staff[5:8]} == {"#,##0"}
    equipment = cells["RI1.3"]  # a percentage: a fraction shown in %
    assert [c.value for c in equipment[5:8]] == pytest.approx([0.01, 0.5, 0.47])
    assert {c.number_format for c in equipment[5:8]} <= set(PERCENT_FORMATS)
    criteria = cells["RI3.4"]  # yes/no in words
    assert [c.value for c in criteria[5:8]] == ["non", "oui", "oui"]
    assert equipment[8].value == pytest.approx(0.94) and equipment[8].number_format == "0%"
    missing = cells["RI1.4"]
    assert [c.value for c in missing[7:12]] == [None, None, None, "Non renseigné", "2009, 2010"]
    assert cells["RI4.2"][10].value == "En retard"
    assert ws.freeze_panes == f"C{HEADER_ROW + 1}"
    assert ws.auto_filter.ref == f"A{HEADER_ROW}:L{HEADER_ROW + 6}"
    assert ws.column_dimensions["C"].width >= 40
    assert ws.cell(HEADER_ROW, 1).font.bold


def test_yearly_series_equal_the_sample_and_stop_at_the_phase(midterm):
    ws = midterm["RI3 séries"]
    header = [c.value for c in ws[HEADER_ROW]]
    assert header[5:] == ["2007", "2008", "2009", "2010"]  # the mid-term sees nothing later
    rows = [[c for c in r] for r in ws.iter_rows(min_row=HEADER_ROW + 1)]
    trained = [r for r in rows if r[0].value == "RI3.1"]
    assert [r[3].value for r in trained][:2] == ["Forest – Jérada", "Schaerbeek – Al Hoceima"]
    assert [r[4].value for r in trained] == ["oui"] + ["non"] * 5
    # RI3.1 is cumulative and reported by sex: running total of F + H since 2007
    flows = sample_values("forest-jerada", "RI3.1")
    running, expected = 0.0, []
    for year in range(2007, 2011):
        running += flows[year]
        expected.append(running)
    assert [c.value for c in trained[0][5:]] == expected
    assert {c.number_format for c in trained[0][5:]} == {"#,##0"}
    adopted = next(r for r in rows if r[0].value == "RI3.4")  # yes/no in words
    words = ["oui" if sample_values("forest-jerada", "RI3.4").get(y) else "non"
             for y in range(2007, 2011)]
    assert [c.value for c in adopted[5:]] == words
    assert ws.freeze_panes == f"E{HEADER_ROW + 1}"
    assert ws.auto_filter.ref.startswith(f"A{HEADER_ROW}:I")


def test_counts_compared_across_pairs_have_rows_per_10000_inhabitants(midterm):
    ws = midterm["RI4 séries"]
    rows = [[c for c in r] for r in ws.iter_rows(min_row=HEADER_ROW + 1)]
    tanger = [r for r in rows if r[0].value == "RI4.2" and r[3].value == "Liège – Tanger"]
    assert [r[2].value for r in tanger] == ["bénéficiaires/an",
                                            "bénéficiaires/an pour 10 000 habitants"]
    raw = sample_values("liege-tanger", "RI4.2")
    assert [c.value for c in tanger[0][5:]] == [raw[y] for y in range(2007, 2011)]
    assert [c.value for c in tanger[1][5:]] == pytest.approx(
        [raw[y] * 10000 / 669685 for y in range(2007, 2011)])
    assert {c.number_format for c in tanger[1][5:]} == {"#,##0.0"}
    share = next(r for r in rows if r[0].value == "RI4.1" and r[4].value == "oui")
    assert [c.value for c in share[5:]] == pytest.approx(
        [sample_values("forest-jerada", "RI4.1")[y] / 100 for y in range(2007, 2011)])
    assert {c.number_format for c in share[5:]} <= set(PERCENT_FORMATS)


def test_the_teams_grades_conclusions_and_recommendations(midterm):
    ws = midterm["Appréciations"]
    rows = list(ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True))
    assert rows[0] == ("RI", "RI1", "Les communes disposent d'une structure chargée de "
                       "l'action sociale", "C", "Problèmes", "B", "Constat un. Constat deux.",
                       "Les visites.")
    assert rows[1][:2] == ("RI", "RI2") and rows[1][6] == "Carnet indisponible"
    assert rows[2][:4] == ("RI", "RI3", rows[2][2], "C")
    assert ("Critère du CAD", "Efficience", "Efficience", "B", "Bon", "B",
            "Coûts dans la médiane.", None) in rows  # an empty cell reads None
    assert rows[-1][:4] == ("Question", "QE4", "Dans quelle mesure le service d'action sociale "
                            "est-il en place, doté de personnel et équipé ?", "C")
    assert ws.freeze_panes == f"C{HEADER_ROW + 1}"
    conclusions = list(midterm["Conclusions"].iter_rows(min_row=HEADER_ROW + 1, values_only=True))
    assert conclusions == [("C1", "=Le service s'affaiblit.", "QE4.2")]
    assert midterm["Conclusions"].cell(HEADER_ROW + 1, 2).data_type == "s"  # text, no formula
    recs = midterm["Recommandations"]
    got = list(recs.iter_rows(min_row=HEADER_ROW + 1, values_only=True))
    assert [r[:7] for r in got] == [
        ("R1", "Que la commune remplace les deux agents partis.",
         "Commune marocaine (président et conseil communal)", "Haute",
         dt.datetime(2011, 12, 31), "C1", "RI1"),
        ("R2", "=Former les agents.", "Coordination du programme", "Basse",
         dt.datetime(2012, 6, 30), "C1", None)]
    assert recs.cell(HEADER_ROW + 2, 2).data_type == "s"
    assert [c.value for c in recs[HEADER_ROW]][7:] == ["État du suivi", "Commentaire de suivi"]
    assert recs.auto_filter.ref == f"A{HEADER_ROW}:I{HEADER_ROW + 2}"
    # the follow-up's state is chosen from a list of words, on every recommendation's row
    (check,) = recs.data_validations.dataValidation
    assert check.type == "list" and str(check.sqref) == f"H{HEADER_ROW + 1}:H{HEADER_ROW + 2}"
    assert check.formula1 == '"non engagée,en cours,réalisée,abandonnée"'
    # words, never codes: no DAC criterion shown by its code
    codes = {"pertinence", "coherence", "efficacite", "efficience", "impact", "durabilite"}
    assert not codes & {r[1] for r in rows}


def test_wrapped_rows_are_as_tall_as_their_text():
    from maroc_eval.report.annex.cells import wrapped_lines

    assert wrapped_lines(None, 10) == wrapped_lines("court", 10) == 1
    assert wrapped_lines("un deux trois quatre", 10) == 3  # « un deux », « trois », « quatre »
    assert wrapped_lines("ligne\nautre", 40) == 2
    assert wrapped_lines("mot " * 50, 70) == 3  # 200 characters in 69-character lines


def test_final_phase_series_reach_2012_and_unreadable_data_are_said(tmp_path):
    wb = annex(tmp_path, {"RI1": ri_result("RI1", [row("RI1.2", 1, 5, 3, 0.5, 0.5,
                                                      "partiellement_atteint")],
                                           phase="final")}, year=2012)
    assert [c.value for c in wb["RI1 séries"][HEADER_ROW]][5:] == [str(y) for y in
                                                                 range(2007, 2013)]
    assert wb["Cadre logique"].cell(HEADER_ROW + 1, 11).value == "Partiellement atteint"
    gone = {**SAMPLE, "data_dir": str(tmp_path / "absent")}
    wb = annex(tmp_path, {"RI1": ri_result("RI1", [row("RI1.2", 1, 3, 3, 1.0, 1.0, "atteint")],
                                           parameters=gone)})
    assert "RI1 séries" not in wb.sheetnames
    facts = {r[0]: r[1] for r in wb["Lisez-moi"].iter_rows(values_only=True) if r[0]}
    assert facts["Séries annuelles"].startswith("indisponibles : dossier de données")


def test_series_come_from_the_runs_cache_only_while_the_data_is_unchanged(tmp_path,
                                                                        monkeypatch):
    """Given the run's cache of validated inputs, the annex reads the data from it (not read
    and checked again); once a value changes in the data folder, the annex shows the new value,
    never the cached one."""
    from maroc_eval.core import dataset
    from maroc_eval.core.dataset import load_dataset

    data = tmp_path / "donnees"
    shutil.copytree(paths.SAMPLE_DIR, data)
    cache = tmp_path / "cache"
    load_dataset(paths.PROGRAMME_FILE, data, cache_dir=cache)  # what the run leaves
    assert any(cache.iterdir())
    results = {"RI1": ri_result("RI1", [row("RI1.2", 1, 3, 3, 1.0, 1.0, "atteint")],
                                parameters={**SAMPLE, "data_dir": str(data)})}

    def staff_2010(name: str) -> float:
        wb = annex(tmp_path / name, results, cache_dir=cache)
        ws = wb["RI1 séries"]
        line = next(r for r in ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True)
                    if r[0] == "RI1.2" and r[3] == "Forest – Jérada")
        return line[-1]

    (tmp_path / "avant").mkdir()
    with monkeypatch.context() as patch:
        patch.setattr(dataset, "read_dataset", lambda *a, **k: pytest.fail("read again"))
        assert staff_2010("avant") == sample_values("forest-jerada", "RI1.2")[2010]
    observations = data / "suivi.csv"
    text = observations.read_text(encoding="utf-8")
    old = "forest-jerada,RI1.2,2010,"
    start = text.index(old) + len(old)
    end = text.index(",", start)
    changed = float(text[start:end]) + 7
    observations.write_text(text[:start] + f"{changed:g}" + text[end:], encoding="utf-8")
    (tmp_path / "apres").mkdir()
    assert staff_2010("apres") == changed
