"""`maroc-eval summary`: the indicator summary table for every pair."""

import re

import pytest
from click.testing import CliRunner

from maroc_eval.cli import main


def test_summary_prints_every_pair_and_ri():
    result = CliRunner().invoke(main, ["summary", "--phase", "midterm"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Évaluation à mi-parcours — année de référence 2010"
    assert "RI 1" in lines[1] and "RI 7" in lines[1] and "RI 6" not in lines[1]
    pairs = [line for line in lines if "–" in line and "%" in line]
    assert len(pairs) == 6
    # Ville de Bruxelles – Tétouan: the sample's "weak on planning" story (RI 2 far behind)
    brussels = next(line for line in pairs if line.startswith("Ville de Bruxelles"))
    cells = re.findall(r"(\d+) %", brussels)
    ri = dict(zip(["RI1", "RI2", "RI3", "RI4", "RI5", "RI7", "all"], map(int, cells), strict=True))
    assert ri["RI2"] < 40 and ri["RI4"] == 100 and ri["RI7"] == 100
    assert ri["all"] == round(sum(v for k, v in ri.items() if k != "all") / 6) or abs(
        ri["all"] - sum(v for k, v in ri.items() if k != "all") / 6) <= 1


def test_summary_unknown_phase_is_a_clean_error():
    result = CliRunner().invoke(main, ["summary", "--phase", "mi-parcour"])
    assert result.exit_code == 2
    assert "Phase inconnue" in result.output and "Traceback" not in result.output
    # « mi-parcours » is the French name of midterm (issue 26, item 8), no longer refused
    assert CliRunner().invoke(main, ["summary", "--phase", "mi-parcours"]).exit_code == 0


def test_a_folder_without_monitoring_data_is_refused_not_summarised(tmp_path):
    """Issue 22, item 14: no table of « non renseigné » for a folder holding no data."""
    from maroc_eval.base import paths
    from maroc_eval.base.errors import InputError
    from maroc_eval.core.summary import print_summary

    (tmp_path / "appreciations.yml").write_text("midterm: {}\n", "utf-8")
    lines = []
    with pytest.raises(InputError) as err:
        print_summary(paths.PROGRAMME_FILE, tmp_path, "all", echo=lines.append)
    assert lines == []
    (problem,) = err.value.problems
    assert problem.kind == "no-observations" and problem.file == str(tmp_path)
    assert "au moins un fichier de suivi (.csv, .xlsx)" in problem.expected


def test_the_command_exits_2_on_an_empty_data_folder(tmp_path):
    result = CliRunner().invoke(main, ["summary", "--donnees", str(tmp_path)])
    assert result.exit_code == 2
    assert f"{tmp_path}: erreur : attendu : un dossier de données avec au moins un fichier de " \
           "suivi" in result.output
