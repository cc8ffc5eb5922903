"""Cost evidence: totals, execution rates and unit costs computed by hand on a tiny fixture.

The fixture: Jette – Sidi Bibi with a complete budget 2008–2012 and four indicators; Forest –
Jérada with a budget up to 2010 only and no training since 2007; no other pair has a budget.
Every expected figure below is worked out from the fixture's rows in the comments.
"""

from __future__ import annotations

import pytest

from maroc_eval.base import paths
from maroc_eval.core.dataset import read_dataset
from maroc_eval.core.efficiency import pair_efficiency, programme_efficiency, spread
from maroc_eval.notebook.efficiency import pair_reading, programme_reading

JETTE, FOREST = "jette-sidi-bibi", "forest-jerada"

# Monitoring rows: (indicator, {year: value}); cumulative indicators give the year's flow.
MONITORING = {
    JETTE: {
        "RI3.1": {2007: 2, 2008: 3, 2009: 1, 2010: 4, 2011: 5, 2012: 0},   # stock 2010: 10
        "RI5.4": {2007: 1, 2008: 2, 2009: 2, 2010: 1, 2011: 3, 2012: 1},   # stock 2010: 6
        "RI7.1": {2007: 0, 2008: 1, 2009: 0, 2010: 1, 2011: 0, 2012: 2},   # stock 2010: 2
        "RI1.3": {2007: 10, 2008: 20, 2009: 30, 2010: 50, 2011: 60, 2012: 90},  # a state, in %
    },
    FOREST: {
        "RI3.1": {2007: 2, 2008: 0, 2009: 0, 2010: 0, 2011: 0, 2012: 0},   # nobody trained
        "RI5.4": {2007: 0, 2008: 1, 2009: 1, 2010: 1, 2011: 0, 2012: 0},
        "RI7.1": {2007: 0, 2008: 1, 2009: 0, 2010: 0, 2011: 0, 2012: 0},
        "RI1.3": {2007: 5, 2008: 10, 2009: 15, 2010: 25, 2011: 25, 2012: 25},
    },
}

# Budget rows of Jette: year → {line: (planned, executed)}; lines RI2, RI4 absent (0 planned).
JETTE_BUDGET = {
    2008: {"RI1": (10000, 8000), "RI3": (6000, 6000), "RI5": (2000, 1000), "RI7": (3000, 3000),
           "coordination": (5000, 5000)},
    2009: {"RI1": (10000, 9000), "RI3": (6000, 5000), "RI5": (2000, 2000), "RI7": (3000, 2000),
           "coordination": (5000, 4000)},
    2010: {"RI1": (10000, 7000), "RI3": (8000, 5000), "RI5": (2000, 2000), "RI7": (4000, 1000),
           "coordination": (5000, 5000)},
    2011: {"RI1": (12000, 12000), "RI3": (9000, 9000), "RI5": (3000, 3000), "RI7": (4000, 4000),
           "coordination": (6000, 6000)},
    2012: {"RI1": (8000, 8000), "RI3": (6000, 6000), "RI5": (2000, 2000), "RI7": (3000, 3000),
           "coordination": (5000, 5000)},
}
FOREST_BUDGET = {year: {"RI1": (4000, 2000), "RI3": (3000, 3000)} for year in (2008, 2009, 2010)}


def _monitoring_csv() -> str:
    lines = ["partenariat,indicateur,annee,valeur"]
    for pair, by_code in MONITORING.items():
        for code, values in by_code.items():
            lines += [f"{pair},{code},{year},{value}" for year, value in values.items()]
    return "\n".join(lines) + "\n"


def _budget_csv(budgets: dict) -> str:
    lines = ["partenariat;annee;poste;prevu;execute;source;commentaire"]
    for pair, years in budgets.items():
        for year, items in years.items():
            lines += [f"{pair};{year};{item};{p};{e};Rapport financier;"
                      for item, (p, e) in items.items()]
    return "\n".join(lines) + "\n"


def _folder(tmp_path, budgets: dict | None):
    folder = tmp_path / "donnees"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "suivi.csv").write_text(_monitoring_csv(), "utf-8")
    if budgets is not None:
        (folder / "budget.csv").write_text(_budget_csv(budgets), "utf-8")
    return folder


@pytest.fixture
def dataset(tmp_path):
    return read_dataset(paths.PROGRAMME_FILE, _folder(tmp_path, {JETTE: JETTE_BUDGET,
                                                                FOREST: FOREST_BUDGET}))


def test_midterm_totals_and_rates(dataset):
    found = pair_efficiency(dataset, JETTE, "midterm")
    assert found.assessable and found.reason is None
    assert (found.first_year, found.year, found.currency) == (2008, 2010, "EUR")
    # planned 26 000 + 26 000 + 29 000; executed 23 000 + 22 000 + 20 000
    assert found.planned == 81000 and found.executed == 65000
    assert found.rate == pytest.approx(65000 / 81000)
    lines = {line.item: line for line in found.lines}
    assert list(lines) == ["RI1", "RI2", "RI3", "RI4", "RI5", "RI7", "coordination"]
    assert (lines["RI3"].planned, lines["RI3"].executed) == (20000, 16000)
    assert lines["RI3"].rate == pytest.approx(0.8)
    assert (lines["RI2"].planned, lines["RI2"].executed, lines["RI2"].rate) == (0, 0, None)


def test_midterm_unit_costs(dataset):
    found = pair_efficiency(dataset, JETTE, "midterm")
    costs = {c.code: c for c in found.unit_costs}
    # RI3 executed 6 000 + 5 000 + 5 000 = 16 000; agents trained: stock 10 − baseline 2 = 8
    assert (costs["agent_forme"].executed, costs["agent_forme"].units) == (16000, 8)
    assert costs["agent_forme"].cost == pytest.approx(2000)
    # RI5: 1 000 + 2 000 + 2 000 = 5 000 for 6 − 1 = 5 elected officials
    assert costs["elu_sensibilise"].cost == pytest.approx(1000)
    # RI7: 3 000 + 2 000 + 1 000 = 6 000 for 2 − 0 = 2 conventions
    assert costs["convention"].cost == pytest.approx(3000)
    # RI1: 8 000 + 9 000 + 7 000 = 24 000 for 50 − 10 = 40 points of equipment
    assert costs["point_equipement"].cost == pytest.approx(600)


def test_final_uses_every_year(dataset):
    found = pair_efficiency(dataset, JETTE, "final")
    # RI3 executed 16 000 + 9 000 + 6 000 = 31 000 for 15 − 2 = 13 agents
    assert found.unit_cost("agent_forme").cost == pytest.approx(31000 / 13)
    assert found.executed == 65000 + 34000 + 24000


def test_changing_later_years_leaves_the_midterm_unchanged(tmp_path, dataset):
    changed = {year: dict(items) for year, items in JETTE_BUDGET.items()}
    changed[2011] = {"RI3": (50000, 1)}
    changed[2012] = {"RI1": (1, 1)}
    other = read_dataset(paths.PROGRAMME_FILE, _folder(tmp_path / "autre",
                                                       {JETTE: changed, FOREST: FOREST_BUDGET}))
    assert pair_efficiency(other, JETTE, "midterm") == pair_efficiency(dataset, JETTE, "midterm")
    assert pair_efficiency(other, JETTE, "final") != pair_efficiency(dataset, JETTE, "final")
    # the phase's view of the data holds no later budget row
    assert other.for_phase("midterm").budget["year"].max() == 2010


def test_no_output_since_baseline_gives_no_unit_cost(dataset):
    found = pair_efficiency(dataset, FOREST, "midterm")
    assert found.assessable
    cost = found.unit_cost("agent_forme")
    assert cost.units == 0 and cost.cost is None
    assert "aucun agent formé de plus qu'en 2007" in cost.reason


def test_missing_years_make_it_not_assessable(dataset):
    found = pair_efficiency(dataset, FOREST, "final")
    assert not found.assessable
    assert found.planned is None and found.unit_costs == ()
    assert "2011 et 2012" in found.reason


def test_pair_without_rows_is_not_assessable(dataset):
    found = pair_efficiency(dataset, "liege-tanger", "midterm")
    assert not found.assessable
    assert "aucune ligne de budget" in found.reason


def test_without_budget_file_nothing_is_assessable(tmp_path):
    data = read_dataset(paths.PROGRAMME_FILE, _folder(tmp_path, None))
    assert data.budget is None
    found = programme_efficiency(data, "midterm")
    assert not found.assessable and "budget.csv" in found.reason
    assert all(not e.assessable for e in found.pairs)
    labels = {p.code: p.label for p in data.programme.pairs}
    text = pair_reading(found.of(JETTE), found, labels)
    assert text.startswith("L'efficience ne peut pas être appréciée pour 2008–2010 faute de "
                           "données de coût")
    assert "n'est donc pas notée" in programme_reading(found, labels)


def test_programme_totals_and_spreads(dataset):
    found = programme_efficiency(dataset, "midterm")
    assert found.assessable
    # Jette 81 000 / 65 000; Forest 3 × 7 000 planned, 3 × 5 000 executed
    assert (found.planned, found.executed) == (81000 + 21000, 65000 + 15000)
    assert found.rate_spread.n == 2
    assert found.rate_spread.highest == JETTE  # 80,2 % against 71,4 %
    assert found.rate_spread.minimum == pytest.approx(15000 / 21000)
    # Forest has no agent cost: the spread is Jette's alone
    assert found.unit_cost_spreads["agent_forme"].n == 1
    # RI1.3: Forest 6 000 for 20 points = 300 €, Jette 600 €
    points = found.unit_cost_spreads["point_equipement"]
    assert (points.minimum, points.maximum, points.lowest) == (300, 600, FOREST)


def test_spread_leaves_unknown_out():
    found = spread({"a": 3.0, "b": None, "c": 1.0, "d": 2.0})
    assert (found.n, found.minimum, found.median, found.maximum) == (3, 1.0, 2.0, 3.0)
    assert found.ranking == ("a", "d", "c")


def test_reading_names_the_figures_and_the_place(dataset):
    found = programme_efficiency(dataset, "midterm")
    labels = {p.code: p.label for p in dataset.programme.pairs}
    text = pair_reading(found.of(JETTE), found, labels).replace("\u202f", " ").replace(
        "\u00a0", " ")
    assert text.startswith("Taux d'exécution 2008–2010 : 80 % (65 000 € sur 81 000 €), le plus "
                           "élevé des deux partenariats")
    assert "coût par agent formé : 2 000 € pour 8 agents formés depuis 2007, chiffre indicatif" \
        in text
    assert "coût par point d'équipement du service : 600 € pour 40 points d'équipement depuis " \
           "2007, le plus élevé des deux partenariats" in text
    forest = pair_reading(found.of(FOREST), found, labels).replace("\u202f", " ").replace(
        "\u00a0", " ")
    assert "coût par agent formé : sans objet" in forest
