"""Tests of ``validate_inputs`` and the ``maroc-eval validate`` command."""

from __future__ import annotations

import pandas as pd
from click.testing import CliRunner

from maroc_eval.base import paths
from maroc_eval.cli import main
from maroc_eval.core.observations import load_observations
from maroc_eval.core.validation import validate_inputs

HEADER = "partenariat,indicateur,annee,valeur,ventilation,source,commentaire"
APPRAISAL = "partenariat: jette-sidi-bibi\nphase: midterm\nresultats:\n  RI1: {note: B}\n"


def test_folder_with_data_and_appraisals(write_file, tmp_path):
    write_file("a.csv",
               f"{HEADER}\njette-sidi-bibi,RI1.2,2007,1,,,\njette-sidi-bibi,RI1.2,2008,2,,,\n")
    (tmp_path / "appreciations" / "midterm").mkdir(parents=True)
    write_file("appreciations/midterm/jette-sidi-bibi.yml", APPRAISAL)
    write_file("notes.txt", "ignoré")
    report = validate_inputs([tmp_path], paths.PROGRAMME_FILE)
    # a pair graded on RI 1 only: the rest of its appraisal is one warning, « à compléter »
    [blank] = [p for p in report.problems if p.kind == "a-completer"]
    assert not blank.is_error and blank.file.endswith("appreciations/midterm/jette-sidi-bibi.yml")
    assert "à compléter par l'équipe d'évaluation : QE1" in blank.expected
    assert report.exit_status == 0
    assert len(report.observations) == 2
    assert report.appraisals.ri("midterm", "jette-sidi-bibi", "RI1").score == "B"
    assert report.lines()[-1].startswith("Validation : 2 lignes lues dans 1 fichier ; "
                                         "appréciations : 1 fichier ;")


def test_errors_in_data_and_appraisals_are_all_listed(write_file, tmp_path):
    data = write_file("a.csv", f"{HEADER}\njette-sidi-bibi,RI1.2,2007,1,,,\n"
                      "jette-sidi-bibi,RI1.2,2008,n.d.,,,\nliege,RI1.2,2007,x,,,\n"
                      "jette-sidi-bibi,RI1.2,2009,45 %,,,\n")
    (tmp_path / "appreciations" / "midterm").mkdir(parents=True)
    yml = write_file("appreciations/midterm/jette-sidi-bibi.yml",
                     APPRAISAL.replace("note: B", "note: Z"))
    report = validate_inputs([data, yml], paths.PROGRAMME_FILE)
    assert report.exit_status == 2
    located = [(p.file, p.line, p.column) for p in report.errors]
    assert located == [(str(data), 3, "valeur"), (str(data), 4, "partenariat"),
                       (str(data), 4, "valeur"), (str(data), 5, "valeur"),
                       (str(yml), 4, "resultats.RI1.note")]
    lines = report.lines()
    assert lines[0].startswith(f"{data}:3:valeur: erreur : valeur « n.d. »")
    assert lines[-1] == ("Validation : 4 lignes lues dans 1 fichier ; appréciations : "
                         "1 fichier ; 5 erreurs, 0 avertissement.")


def test_an_appraisal_file_out_of_its_folder_is_refused(write_file):
    yml = write_file("appreciations.yml", APPRAISAL)
    report = validate_inputs([yml], paths.PROGRAMME_FILE)
    [problem] = report.errors
    assert (problem.kind, problem.file) == ("misplaced-appraisal", str(yml))


def test_thousands_in_summary(write_file):
    rows = [f"jette-sidi-bibi,RI1.2,{2007 + i % 6},{i},,," for i in range(1234)]
    path = write_file("a.csv", "\n".join([HEADER, *rows]) + "\n")
    report = validate_inputs([path], paths.PROGRAMME_FILE)
    assert report.lines()[-1].startswith("Validation : 1 234 lignes lues dans 1 fichier ;")


def test_missing_and_unsupported_inputs(tmp_path, write_file):
    other = write_file("donnees.ods", b"PK")
    report = validate_inputs([tmp_path / "absent.csv", other, tmp_path / "vide"],
                             paths.PROGRAMME_FILE)
    kinds = [p.kind for p in report.errors]
    assert kinds == ["missing-file", "file-type", "missing-file"]
    (tmp_path / "vide").mkdir()
    assert [p.kind for p in validate_inputs([tmp_path / "vide"], paths.PROGRAMME_FILE).errors] \
        == ["empty-folder"]


def test_broken_programme_is_reported(tmp_path, write_file):
    text = paths.PROGRAMME_FILE.read_text(encoding="utf-8").replace("sens: baisse", "sens: bas", 1)
    programme_file = tmp_path / "programme.yml"
    programme_file.write_text(text, encoding="utf-8")
    data = write_file("a.csv", f"{HEADER}\njette-sidi-bibi,RI1.2,2007,1,,,\n")
    report = validate_inputs([data], programme_file)
    assert report.exit_status == 2
    [problem] = report.problems
    assert problem.file == str(programme_file) and problem.column.endswith(".sens")
    assert problem.line == next(i for i, line in enumerate(text.splitlines(), 1)
                                if "sens: bas" in line)
    assert report.lines()[-1].startswith("Validation interrompue : la définition du programme "
                                         "contient 1 erreur ;")


def test_cli_on_bad_file_exits_2_and_prints_every_problem(write_file):
    path = write_file("a.csv", f"{HEADER}\njete,RI1.2,2007,1,,,\njette-sidi-bibi,RI1.2,1999,1,,,\n")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2
    assert f"{path}:2:partenariat: erreur" in result.output
    assert f"{path}:3:annee: erreur" in result.output
    assert "2 erreurs" in result.output
    assert "Traceback" not in result.output


def test_cli_forced_options(write_file):
    path = write_file("a.csv",
                      "partenariat;indicateur;annee;valeur\njette-sidi-bibi;RI1.2;2007;1,5\n",
                      "cp1252")
    result = CliRunner().invoke(main, ["validate", "--encodage", "cp1252", "--separateur", ";",
                                       str(path)])
    assert result.exit_code == 0, result.output


# -- the shipped sample -----------------------------------------------------------------------
def test_sample_validates():
    report = validate_inputs([paths.SAMPLE_DIR], paths.PROGRAMME_FILE)
    assert report.errors == [], report.lines()
    assert report.exit_status == 0
    assert len(report.appraisals.items) == 14  # six pairs and the programme, two phases
    assert report.rows_read == len(report.observations)


def test_french_excel_export_of_the_sample_loads_identically(programme, tmp_path):
    raw = paths.SAMPLE_OBSERVATIONS.read_text(encoding="utf-8-sig")
    comments = [line for line in raw.splitlines() if line.startswith("#")]
    table = pd.read_csv(paths.SAMPLE_OBSERVATIONS, comment="#", dtype=str, keep_default_na=False)
    table["valeur"] = table["valeur"].str.replace(r"^(-?\d+)\.(\d+)$", r"\1,\2", regex=True)
    assert table["valeur"].str.contains(",").any()
    table = table.rename(columns={"annee": "Année"})
    export = tmp_path / "suivi-excel-fr.csv"
    with export.open("w", encoding="cp1252", newline="") as fh:
        fh.write("".join(line + "\r\n" for line in comments))
        table.to_csv(fh, sep=";", index=False, lineterminator="\r\n")
    original = load_observations([paths.SAMPLE_OBSERVATIONS], programme)
    exported = load_observations([export], programme)
    pd.testing.assert_frame_equal(exported.drop(columns="file"), original.drop(columns="file"))
