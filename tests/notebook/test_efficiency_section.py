"""The efficiency section a synthesis notebook shows, from a real context on a data folder."""

from __future__ import annotations

import shutil

from maroc_eval.base import paths
from maroc_eval.base.sidecar import EfficiencyEvidence
from maroc_eval.notebook.context import open_context
from maroc_eval.notebook.efficiency import efficiency_section, money, pair_evidence


def _context(tmp_path, folder, pair="forest-jerada", phase="midterm"):
    return open_context("synthese_partenariat", phase=phase, pair=pair, data_dir=folder,
                        output_dir=tmp_path / "sorties", results_dir=tmp_path / "sorties")


def test_money_is_french():
    assert money(85400) == "85\u202f400\u202f€"
    assert money(None) == "—"


def test_pair_section_on_the_sample(tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr("maroc_eval.notebook.efficiency.show", lambda obj: shown.append(str(obj)))
    ctx = _context(tmp_path, paths.SAMPLE_DIR)
    evidence = efficiency_section(ctx)
    assert isinstance(evidence, EfficiencyEvidence)
    assert evidence.assessable and evidence.year == 2010
    # the sample's Forest budget 2008-2010, summed from data/sample/budget.csv
    assert (evidence.planned, evidence.executed) == (195600, 166130)
    assert evidence.reading.startswith("Taux d'exécution 2008–2010\u00a0: 85\u202f%")
    html = "".join(shown)
    assert "<caption>Exécution du budget 2008–2010, par poste (EUR)</caption>" in html
    assert "<td>195\u202f600\u202f€</td><td>166\u202f130\u202f€</td><td>85\u202f%</td>" in html
    assert "Coût par agent formé" in html and "<script" not in html
    # the same data through the sidecar helper, its JSON round trip included
    again = EfficiencyEvidence.model_validate_json(pair_evidence(ctx).model_dump_json())
    assert again == evidence


def test_without_budget_the_section_says_so(tmp_path):
    folder = tmp_path / "donnees"
    shutil.copytree(paths.SAMPLE_DIR, folder)
    (folder / "budget.csv").unlink()
    evidence = efficiency_section(_context(tmp_path, folder, phase="final"))
    assert not evidence.assessable
    assert evidence.reading.startswith("L'efficience ne peut pas être appréciée pour 2008–2012 "
                                       "faute de données de coût")


def test_programme_section(tmp_path):
    ctx = open_context("synthese_programme", phase="final", data_dir=paths.SAMPLE_DIR,
                       output_dir=tmp_path / "sorties", results_dir=tmp_path / "sorties")
    found = efficiency_section(ctx)
    assert found.assessable and len(found.pairs) == 6
    assert found.rate_spread.lowest == "forest-jerada"  # stalls after 2010
    assert found.as_dict()["unit_cost_spreads"]["agent_forme"]["n"] == 6
