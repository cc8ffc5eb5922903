"""``maroc-eval signer`` refuses a draft, with every reason located, and writes nothing.

No notebook runs here: the refusals about the appraisal come with the one about the missing
reports, all at once.
"""

from __future__ import annotations

import pytest
import yaml
from project_helpers import cli, copy_project

from maroc_eval.base import paths

PAIR = "forest-jerada"


@pytest.fixture
def project(tmp_path):
    return copy_project(tmp_path / "projet")


def store(root, pair=PAIR, phase="final"):
    return paths.appraisals_dir(root / "data" / "sample") / phase / f"{pair}.yml"


def refused(root, *args, command="signer"):
    done = cli(root, command, *args, check=False)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert not paths.signatures_dir(root / "data" / "sample").exists()
    return done.stderr


def test_an_answer_removed_is_a_place_to_complete_located_in_the_store(project):
    target = store(project)
    lines = target.read_text("utf-8").splitlines(keepends=True)
    start = lines.index("  QE2:\n")
    at = next(i for i in range(start, len(lines)) if lines[i].startswith("    reponse:"))
    end = next(i for i in range(at + 1, len(lines)) if not lines[i].startswith("      "))
    del lines[at:end]  # QE2's answer, a folded text over several lines
    target.write_text("".join(lines), "utf-8")

    err = refused(project, "--phase", "final", "--partenariat", PAIR)
    where = f"{target.relative_to(project)}:{start + 1}"  # the answer is gone: its question's line
    assert f"{where} : à compléter par l'équipe — la réponse à QE2." in err
    # every reason at once: nothing was computed either
    assert "Aucun résultat dans « outputs » : lancez « maroc-eval run » puis « maroc-eval " \
        "report »." in err
    assert err.startswith("Signature refusée (final / forest-jerada) :")


def test_a_planted_check_is_refused_at_its_line_with_its_message(project):
    # Tétouan's conventions cover two partner types of four: a grade A on QE3 beside that unmet
    # criterion is a check the team must fix or answer (see tests/notebook/test_checks_section)
    pair = "bruxelles-tetouan"
    target = store(project, pair)
    lines = target.read_text("utf-8").splitlines(keepends=True)
    start = lines.index("  QE3:\n")
    at = next(i for i in range(start, len(lines)) if lines[i].startswith("    note: "))
    assert lines[at] == "    note: B\n"
    lines[at] = "    note: A\n"
    target.write_text("".join(lines), "utf-8")

    err = refused(project, "--phase", "final", "--pair", pair)
    line = next(r for r in err.splitlines() if "note-critere-non-satisfait:QE3" in r)
    assert line.startswith(f"  - {target.relative_to(project)}:{at + 1} : contrôle "
                           "« note-critere-non-satisfait:QE3 » ni corrigé ni répondu")
    assert "2 modalités sur 4" in line
    assert "ecart-proposition" in err  # A is also away from the proposal, without a reason
    assert "à compléter" not in err

    # answered in the store: that check no longer stands in the way
    target.write_text("".join(lines) + "controles:\n  note-critere-non-satisfait:QE3: >-\n"
                      "    Les conventions manquantes sont remplacées par une charte signée.\n",
                      "utf-8")
    assert "note-critere-non-satisfait:QE3" not in refused(project, "--phase", "final",
                                                           "--pair", pair)


def test_no_signatory_a_malformed_one_and_a_date_to_come_are_reasons(project):
    matrix = project / "params" / "evaluation.yml"
    matrix.write_text(matrix.read_text("utf-8").replace("signataire: true", "signataire: false"),
                      "utf-8")
    err = refused(project, "--phase", "midterm", "--partenariat", PAIR)
    assert "Aucun signataire : donnez --signataire « Nom, fonction »" in err
    err = refused(project, "--phase", "midterm", "--partenariat", PAIR, "--signataire",
                  "Nadia Berrada", "--date-signature", "2999-01-01")
    assert "--signataire « Nadia Berrada » : attendu « Nom, fonction »" in err
    assert "Date de signature 2999-01-01 : elle ne peut pas être dans le futur." in err
    assert "Aucun signataire" not in err


def test_a_phase_without_a_date_in_the_calendar_cannot_be_signed(project):
    matrix = project / "params" / "evaluation.yml"
    data = matrix.read_text("utf-8")
    data = data.replace("  final: {debut_mission: 2012-11-12, fin_mission: 2012-11-30, "
                        "remise: 2013-02-28}\n", "")
    matrix.write_text(data, "utf-8")
    assert "final" not in yaml.safe_load(data)["calendrier"]
    err = refused(project, "--phase", "final", "--partenariat", PAIR)
    assert "Pas de date pour l'évaluation « final »" in err


@pytest.mark.parametrize(("args", "expected"), [
    (("--phase", "final", "--partenariat", "forest-jerad"),
     "Partenariat inconnu « forest-jerad » (vouliez-vous dire « forest-jerada » ?)"),
    (("--phase", "finalle", "--partenariat", PAIR), "Phase inconnue « finalle »"),
    (("--phase", "final"), "Donnez soit --partenariat CODE, soit --rapport-programme."),
    (("--phase", "final", "--partenariat", PAIR, "--rapport-programme"),
     "Donnez soit --partenariat CODE, soit --rapport-programme."),
    (("--partenariat", PAIR), "Donnez la phase du rapport à signer"),
    (("--phase", "final", "--partenariat", PAIR, "--donnees", "donnes/ailleurs"),
     "--donnees « donnes/ailleurs » : fichier ou dossier introuvable ; attendu : un dossier "
     "existant."),
])
def test_a_mistaken_command_is_refused_without_a_trace(project, args, expected):
    assert expected in refused(project, *args)
    assert not (project / "donnes").exists()  # a mistyped folder is not made


def test_the_refusal_speaks_english_on_request(project):
    err = refused(project, "--language", "en", "--phase", "final", "--pair", PAIR,
                  command="sign")
    assert err.startswith("Signing refused (final / forest-jerada):")
    assert "No results in “outputs/en”" in err  # the English reports are there
    assert "Signature refusée" not in err


def test_the_command_is_listed_and_helps_in_french_with_its_english_name(project):
    listed = cli(project, "--aide").stdout
    assert "signer" in listed and "Nom anglais de « signer »." in listed
    helped = cli(project, "signer", "--aide").stdout
    assert helped.startswith("Utilisation : maroc-eval signer")
    for option in ("--partenariat, --pair", "--rapport-programme, --programme-report",
                   "--signataire, --signatory", "--date-signature, --signed-on",
                   "--sorties, --outputs"):
        assert option in helped
    assert "[required]" not in helped and "Usage:" not in helped
