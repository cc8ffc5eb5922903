"""A contradiction planted in the judgements reaches the pair synthesis (its data-quality
section and its sidecar), and the report's annex B, with the figures it contradicts."""

from __future__ import annotations

import json

import pytest
import yaml
from project_helpers import cli, copy_project

from maroc_eval import paths

pytestmark = [pytest.mark.kernel, pytest.mark.slow]


def test_planted_contradiction_is_shown_with_its_figures(tmp_path):
    root = copy_project(tmp_path / "projet")
    target = root / "data" / "sample" / "appreciations.yml"
    data = yaml.safe_load(target.read_text("utf-8"))
    # Forest–Jérada's infrastructures end far below the « en retard » threshold (RI 4: D):
    # an evaluator who writes A contradicts the table.
    assert data["final"]["forest-jerada"]["resultats"]["RI4"]["note"] == "D"
    data["final"]["forest-jerada"]["resultats"]["RI4"]["note"] = "A"
    target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")

    checked = cli(root, "validate", check=False)
    assert checked.returncode == 0  # a warning, not an error
    assert "final.forest-jerada.resultats.RI4" in checked.stdout
    assert "RI 4 noté A alors que son indice est de" in checked.stdout

    outputs = root / "outputs"
    cli(root, "run", "--partenariat", "forest-jerada", "--phase", "final", "--sorties",
        str(outputs), "--quiet")
    side = json.loads((paths.pair_dir(outputs, "final", "forest-jerada")
                       / "synthese_partenariat.json").read_text("utf-8"))
    flagged = [f for f in side["flags"] if f.startswith("RI 4 noté A alors que son indice")]
    assert len(flagged) == 1 and "« en retard »" in flagged[0]

    cli(root, "report", "--sorties", str(outputs), "--formats", "html")
    html = paths.pair_report_path(outputs, "final", "forest-jerada").read_text("utf-8")
    # the annex itself, not its entry in the table of contents
    annex = html[html.rindex("Annexe B — Qualité des données"):]
    assert "RI 4 noté A alors que son indice est de" in annex.split("Annexe C")[0]
