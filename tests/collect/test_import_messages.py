"""What the importer tells and keeps (issue 22 items 10, 12; issue 26 item 6): errors and the
diff together, received files under their own names, the communes' comments free of
bookkeeping, unusual jumps flagged, hostile names and folders refused with a message, never a
traceback nor an internal temporary path."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from collect_helpers import cli, cut_sample, imported_rows

from maroc_eval.base import paths
from maroc_eval.core.programme import load_programme
from maroc_eval.core.validation import validate_inputs
from maroc_eval.notebook.sidecars import data_notes

CLI = str(Path(sys.executable).with_name("maroc-eval"))
PAIR = "liege-tanger"
HEAD = "partenariat,indicateur,annee,valeur,ventilation,source,commentaire"


def observations(data):
    report = validate_inputs([data])
    assert report.exit_status == 0, [p.format() for p in report.errors]
    return report.observations


def long_file(path: Path, *rows: str) -> Path:
    path.write_text("\n".join([HEAD, *rows]) + "\n", "utf-8")
    return path


@pytest.fixture
def data(tmp_path):
    return cut_sample(tmp_path / "data", keep=())


def test_errors_first_then_the_diff_of_the_valid_values_and_nothing_merged(data, tmp_path):
    sent = long_file(tmp_path / "tanger.csv", f"{PAIR},RI5.2,2011,3838,,Budget,",
                     f"{PAIR},RI3.3,2011,130,,Grille,")
    done = subprocess.run([CLI, "importer", str(sent), "--donnees", str(data), "--appliquer"],
                          cwd=tmp_path, capture_output=False, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, check=False)
    assert done.returncode == 2
    lines = done.stdout.splitlines()
    error = next(i for i, x in enumerate(lines) if "tanger.csv:3:valeur: erreur : valeur « 130 »"
                 in x)
    heading = next(i for i, x in enumerate(lines) if x.startswith("Différences qu'apporteraient"))
    new = lines.index("Nouvelles valeurs : 1")
    assert error < heading < new
    assert lines[new + 1].startswith(f"  {PAIR} · RI5.2 · 2011 : 3838  [tanger.csv:2]")
    assert lines[-2:] == ["1 erreur, 0 avertissement.",
                          "Rien n'a été fusionné : corrigez les erreurs ci-dessus dans les "
                          "fichiers reçus (ou demandez-les corrigés), puis relancez "
                          "l'importation."]
    assert not list(data.glob("collecte-*.csv")) and not paths.received_dir(data).exists()


def test_the_communes_comment_alone_reaches_the_reports(data, tmp_path, truth):
    """A replaced value: its line says what it replaces and where it came from in columns of
    their own; the comments the reports quote are the commune's words only."""
    wrong = long_file(tmp_path / "premier.csv", f"{PAIR},RI5.2,2011,3000,,Budget 2011,")
    assert cli("importer", wrong, "--donnees", data, "--appliquer").exit_code == 0
    right = long_file(tmp_path / "Réponse Tanger (corrigée).csv",
                      f"{PAIR},RI5.2,2011,3838,,Budget voté,chiffre du compte administratif")
    done = cli("importer", right, "--donnees", data, "--appliquer", "--remplacer",
               "--recu-le", "2012-03-15")
    assert done.exit_code == 0, done.stderr
    kept = "recus/2012-03-15-liege-tanger-reponse-tanger-corrigee.csv"
    assert (data / kept).read_bytes() == right.read_bytes()  # its own name, untouched
    [row] = [r for r in imported_rows(data) if r["remplace"]]
    assert row["origine"] == f"fichier reçu le 2012-03-15 ({kept})"
    assert row["remplace"].startswith("collecte-") and row["remplace"].endswith(":3=3000")
    assert (row["source"], row["commentaire"]) == ("Budget voté",
                                                   "chiffre du compte administratif")
    obs = observations(data)
    ctx = SimpleNamespace(observations=obs, programme=load_programme(),
                          pair=SimpleNamespace(code=PAIR))
    sources, comments = data_notes(ctx, "RI5")
    assert [(c.indicator, c.year, c.text) for c in comments if c.year == 2011] == [
        ("RI5.2", 2011, "chiffre du compte administratif")]
    assert "Budget voté" in sources
    texts = " ".join([*obs["source"], *obs["comment"]])
    assert "remplace" not in texts and "reçu le" not in texts and "recus/" not in texts


@pytest.mark.parametrize("value, factor, flagged", [
    (15000, None, True),  # 3 435 → 15 000: ×4,4 when the series moves by about ×1,06 a year
    (3838, None, False),
    (15000, "5", False),  # --saut-max 5: flagged beyond ×5,3 only
    (600, None, True),  # a fall counts as much as a rise
])
def test_an_unusual_jump_is_a_located_warning_in_the_diff(data, tmp_path, value, factor,
                                                            flagged):
    sent = long_file(tmp_path / "tanger.csv", f"{PAIR},RI5.2,2011,{value},,Budget,")
    args = ["importer", sent, "--donnees", data] + (["--saut-max", factor] if factor else [])
    done = cli(*args)
    assert done.exit_code == 0, done.stderr
    heading = "Sauts inhabituels dans la série du partenariat (à vérifier) : "
    assert f"{heading}{int(flagged)}" in done.stdout
    if flagged:
        line = next(x for x in done.stdout.splitlines() if "tanger.csv:2: avertissement" in x)
        assert "par rapport à 2010 (3435)" in line
        assert "varie d'habitude de ×1,1 d'une année à l'autre" in line


def test_a_received_file_with_a_244_character_name(data, tmp_path):
    name = "r" * 240 + ".csv"
    sent = long_file(tmp_path / name, f"{PAIR},RI5.2,2011,3838,,Budget,")
    done = cli("importer", sent, "--donnees", data, "--appliquer", "--recu-le", "2012-03-15")
    assert done.exit_code == 0, done.stderr
    assert "maroc-eval-" not in done.stdout + done.stderr  # no internal temporary name
    [kept] = paths.received_dir(data).iterdir()
    assert kept.name == "2012-03-15-liege-tanger-" + "r" * 60 + ".csv"
    assert kept.read_bytes() == sent.read_bytes()
    assert observations(data).query("indicator == 'RI5.2' and year == 2011")["value"].item() \
        == 3838


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"])
def test_a_line_separator_in_an_unrelated_comment_does_not_stop_a_replacement(
        data, tmp_path, separator):
    suivi = data / "suivi.csv"
    text = suivi.read_text("utf-8")
    row = next(x for x in text.splitlines() if x.startswith(f"{PAIR},RI4.3,2009,"))
    suivi.write_text(text.replace(row, row.rstrip(",") + f',"revu{separator}par le SAS"'
                                  if row.endswith(",") else row), "utf-8")
    assert observations(data) is not None
    first = long_file(tmp_path / "a.csv", f"{PAIR},RI5.2,2011,3000,,Budget,")
    assert cli("importer", first, "--donnees", data, "--appliquer").exit_code == 0
    again = long_file(tmp_path / "b.csv", f'{PAIR},RI5.2,2011,3838,,"Budget{separator}voté",'
                                          f'"vu{separator}le PV"')
    done = cli("importer", again, "--donnees", data, "--appliquer", "--remplacer")
    assert done.exit_code == 0, done.stderr
    assert "maroc-eval-fusion" not in done.stdout + done.stderr
    obs = observations(data)
    got = obs.query("indicator == 'RI5.2' and year == 2011")
    assert got["value"].item() == 3838 and got["comment"].item() == f"vu{separator}le PV"
    assert f"revu{separator}par le SAS" in set(obs["comment"])


def test_formulaire_refuses_the_data_folder_and_its_parents(data, tmp_path):
    (tmp_path / "lien").symlink_to(data)
    before = sorted(p.name for p in data.rglob("*"))
    for target in (data, data / "formulaires", tmp_path, tmp_path / "lien",
                   paths.PROJ_ROOT, Path("/")):
        done = cli("formulaire", "--annees", "2011", "--donnees", data, "--sorties", target)
        assert done.exit_code == 2, target
        assert "--sorties" in done.stderr and "attendu : un dossier propre aux résultats" \
            in done.stderr and "Traceback" not in done.stderr
    assert sorted(p.name for p in data.rglob("*")) == before
    ok = cli("formulaire", "--annees", "2011", "--partenariat", PAIR, "--donnees", data,
             "--sorties", tmp_path / "formulaires")
    assert ok.exit_code == 0, ok.stderr


@pytest.mark.parametrize("where", ["elsewhere", "data"])
def test_a_recus_symlink_is_not_followed(data, tmp_path, where):
    target = tmp_path / "ailleurs" if where == "elsewhere" else data
    target.mkdir(exist_ok=True)
    (data / "recus").symlink_to(target)

    def listing():
        return sorted(p.name for p in target.iterdir() if p.name != ".maroc-eval-donnees.lock")

    before = listing()
    sent = long_file(tmp_path / "tanger.csv", f"{PAIR},RI5.2,2011,3838,,Budget,")
    done = cli("importer", sent, "--donnees", data, "--appliquer")
    assert done.exit_code == 2 and "Traceback" not in done.stderr
    assert "recus" in done.stderr and "lien symbolique" in done.stderr
    assert "rien n'a été écrit" in done.stderr
    assert listing() == before
    assert not list(data.glob("collecte-*.csv"))


def test_in_english_the_importer_speaks_english(data, tmp_path):
    """--langue en: headings, the jump warning, the error and its advice, the closing lines."""
    sent = long_file(tmp_path / "tanger.csv", f"{PAIR},RI5.2,2011,15000,,Budget,",
                     f"{PAIR},RI3.3,2011,n.d.,,Grille,")
    done = subprocess.run([CLI, "importer", str(sent), "--donnees", str(data), "--appliquer",
                           "--langue", "en"], cwd=tmp_path, capture_output=True, text=True,
                          check=False)
    assert done.returncode == 2
    out, err = done.stdout, done.stderr
    for heading in ("New values: 1", "Modified values (old → new): 0",
                    "Unusual jumps in the partnership's series (to check): 1"):
        assert heading in out, out
    assert "Differences the values without errors would bring" in out
    assert "×4.4 compared with 2010 (3435)" in out
    assert "tanger.csv:3:valeur: error: value “n.d.”" in err
    assert "Nothing was merged: fix the errors above" in err
    french = ("Nouvelles valeurs", "Valeurs", "attendu", "Rien n'a été", "Sauts", "avant :",
              "supprimez", "vouliez-vous")
    assert not [w for w in french if w in out + err], out + err
