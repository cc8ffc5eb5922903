"""The budget file: read with the monitoring files' tolerance, every problem located, in French."""

from __future__ import annotations

import importlib.util

import pytest
from click.testing import CliRunner

from maroc_eval.base import paths
from maroc_eval.base.errors import InputError
from maroc_eval.cli import main
from maroc_eval.core.budget import load_budget, read_budget
from maroc_eval.core.validation import validate_inputs

HEADER = "partenariat;annee;poste;prevu;execute;source;commentaire"
GOOD = "jette-sidi-bibi;2009;RI3;6 000;5 500,50;Rapport financier;Formation réalisée"


def _write(folder, *rows: str, header: str = HEADER, encoding: str = "utf-8"):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "budget.csv"
    path.write_bytes(("\n".join([header, *rows]) + "\n").encode(encoding))
    return path


def test_french_spreadsheet_export_is_read(programme, tmp_path):
    path = _write(tmp_path, GOOD, "jette-sidi-bibi;2010;coordination;4 000 €;4000;;",
                  header="# exporté du tableur\n" + HEADER, encoding="cp1252")
    df, problems = read_budget(path, programme)
    assert not problems.has_errors
    # only the file-wide warnings: 2008 missing for Jette, the five other pairs absent
    assert sorted(p.kind for p in problems.items) == ["budget-missing-pair"] * 5 + [
        "budget-missing-year"]
    assert df[["pair", "year", "item", "planned", "executed"]].values.tolist() == [
        ["jette-sidi-bibi", 2009, "RI3", 6000.0, 5500.5],
        ["jette-sidi-bibi", 2010, "coordination", 4000.0, 4000.0]]
    assert df["comment"].tolist() == ["Formation réalisée", ""]
    assert df["line"].tolist() == [3, 4]


BAD_ROWS = [
    "jete-sidi-bibi;2009;RI3;1000;900;;",       # line 2: unknown pair
    "jette-sidi-bibi;2007;RI3;1000;900;;",      # line 3: before the programme
    "jette-sidi-bibi;2009;RI6;1000;900;;",      # line 4: no RI 6
    "jette-sidi-bibi;2010;RI1;-500;0;;",        # line 5: negative
    "jette-sidi-bibi;2010;RI2;1000;beaucoup;;",  # line 6: not a number
    "jette-sidi-bibi;2011;RI4;1000;2000;;",     # line 7: 200 % executed (warning)
    "jette-sidi-bibi;2011;RI4;1000;800;;",      # line 8: same key as line 7, other amounts
    "jette-sidi-bibi;2011;RI4;1000;2000;;",     # line 9: identical copy of line 7 (warning)
    "jette-sidi-bibi;01/01/2012;RI5;1000;900;;",  # line 10: a date
]


def test_every_problem_is_located(programme, tmp_path):
    df, problems = read_budget(_write(tmp_path, *BAD_ROWS), programme)
    found = {(p.line, p.column, p.kind, p.severity) for p in problems.items}
    assert {
        (2, "partenariat", "unknown-pair", "erreur"),
        (3, "annee", "year-out-of-range", "erreur"),
        (4, "poste", "unknown-item", "erreur"),
        (5, "prevu", "negative", "erreur"),
        (6, "execute", "not-numeric", "erreur"),
        (7, "execute", "overrun", "avertissement"),
        (8, "poste", "duplicate", "erreur"),
        (9, "poste", "duplicate", "avertissement"),
        (10, "annee", "date-year", "erreur"),
    } <= found
    assert df["line"].tolist() == [7]  # the only valid row, kept once
    by_line = {p.line: p for p in problems.items if p.line}
    assert "vouliez-vous dire « jette-sidi-bibi »" in by_line[2].expected
    assert "de 2008 à 2012" in by_line[3].expected
    assert "la ligne 7 donne déjà" in by_line[8].expected
    assert "200" in next(p for p in problems.items if p.kind == "overrun").expected


def test_set_warnings_missing_years_and_pairs(programme, tmp_path):
    rows = [f"jette-sidi-bibi;{y};RI3;1000;900;;" for y in (2008, 2010)]
    _, problems = read_budget(_write(tmp_path, *rows), programme)
    kinds = [(p.kind, p.value) for p in problems.items]
    assert ("budget-missing-year", "jette-sidi-bibi : 2009") in kinds
    assert ("budget-missing-pair", "forest-jerada") in kinds
    assert not problems.has_errors


def test_header_problems(programme, tmp_path):
    path = _write(tmp_path, GOOD, header="partenariat;annee;poste;prévu;depense")
    _, problems = read_budget(path, programme)
    shown = [p.format() for p in problems.items]
    assert any("depense" in s and "une colonne parmi" in s for s in shown)
    assert any(":execute: erreur" in s and "colonne absente" in s for s in shown)


def test_undeclared_budget_is_an_error(programme, tmp_path):
    bare = programme.model_copy(update={"budget": None})
    _, problems = read_budget(_write(tmp_path, GOOD), bare)
    assert problems.has_errors
    assert "params/programme.yml" in problems.items[0].expected


def test_load_budget_raises_or_returns_none(programme, tmp_path):
    assert load_budget(tmp_path, programme) is None
    _write(tmp_path, *BAD_ROWS)
    with pytest.raises(InputError):
        load_budget(tmp_path, programme)


def test_budget_file_is_not_monitoring_data(tmp_path):
    _write(tmp_path, GOOD)
    (tmp_path / "suivi.csv").write_text("partenariat,indicateur,annee,valeur\n"
                                        "jette-sidi-bibi,RI1.1,2007,0\n", "utf-8")
    observations, _ = paths.data_files(tmp_path)
    assert [p.name for p in observations] == ["suivi.csv"]
    assert paths.budget_file(tmp_path) == tmp_path / "budget.csv"


def test_cli_validate_reports_budget_errors_in_french(tmp_path):
    folder = tmp_path / "donnees"
    _write(folder, *BAD_ROWS)
    (folder / "suivi.csv").write_text("partenariat,indicateur,annee,valeur\n"
                                      "jette-sidi-bibi,RI1.1,2007,0\n", "utf-8")
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert result.exit_code == 2, result.output
    out = result.output
    assert "budget.csv:2:partenariat: erreur : valeur « jete-sidi-bibi » — attendu : un " \
           "partenariat du programme" in out
    assert "budget.csv:5:prevu: erreur : valeur « -500 » — attendu : un montant prévu positif" \
        in out
    assert "budget.csv:7:execute: avertissement" in out
    assert "Traceback" not in out
    assert "budget : " in out.splitlines()[-1]


def test_sample_budget_validates_clean(programme):
    report = validate_inputs([paths.SAMPLE_DIR], paths.PROGRAMME_FILE)
    budget = [p for p in report.problems if p.file.endswith("budget.csv")]
    assert budget == []
    assert report.budget is not None
    assert set(report.budget["pair"]) == set(programme.pair_codes)
    assert sorted(set(report.budget["year"])) == [2008, 2009, 2010, 2011, 2012]


def test_sample_budget_is_regenerated_identically(tmp_path):
    spec = importlib.util.spec_from_file_location(
        "make_budget_sample", paths.PROJ_ROOT / "scripts" / "make_budget_sample.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    written = module.generate(tmp_path)
    assert written.read_bytes() == paths.SAMPLE_BUDGET.read_bytes()
    assert paths.SAMPLE_BUDGET.read_text("utf-8").startswith("# DONNÉES FICTIVES")


def test_sample_budget_tells_the_pairs_stories(programme):
    budget = load_budget(paths.SAMPLE_DIR, programme)
    rate = budget.groupby(["pair", "year"])[["planned", "executed"]].sum()
    rate = rate["executed"] / rate["planned"]
    # Forest stalls after 2010: it executes less than half of its budget in 2011 and 2012
    assert rate["forest-jerada", 2011] < 0.5 and rate["forest-jerada", 2012] < 0.5
    assert rate["forest-jerada", 2009] > 0.85
    # Auderghem: slow start, then catching up beyond its yearly budget
    assert rate["auderghem-amerzgane", 2008] < 0.5 < 1.0 < rate["auderghem-amerzgane", 2012]
    # Schaerbeek executes almost everything, every year
    assert all(rate["schaerbeek-al-hoceima", y] > 0.9 for y in range(2008, 2013))
    yearly = budget.groupby(["pair", "year"])["planned"].sum()
    assert yearly.between(20_000, 150_000).all()  # tens of thousands of euros per pair and year
