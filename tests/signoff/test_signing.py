"""``maroc-eval signer`` on real reports: a complete appraisal is signed and sealed, the cover
says so, a later change makes a draft of version 1.1, then version 1.1; a signed version is
never written over, and an interrupted signing leaves no version behind.

The battery runs once for the module (Forest – Jérada, final evaluation, HTML reports); each
test works on its own copy of that project.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from project_helpers import cli, copy_project

from maroc_eval.base import paths

pytestmark = [pytest.mark.kernel, pytest.mark.slow]

PAIR, PHASE = "forest-jerada", "final"
SIGN = ("signer", "--phase", PHASE, "--partenariat", PAIR)
NOTEBOOKS = ["ri1_service_action_sociale", "ri2_planification_suivi", "ri3_competences_personnel",
             "ri4_infrastructures_sociales", "ri5_elus_budget_social", "ri7_partenariats_locaux",
             "synthese_partenariat"]


@pytest.fixture(scope="module")
def prepared(tmp_path_factory) -> Path:
    """A project copy where Forest – Jérada's final notebooks ran and its reports were made."""
    root = copy_project(tmp_path_factory.mktemp("signature") / "projet")
    cli(root, "run", "--phase", PHASE, "--partenariat", PAIR, "--quiet")
    cli(root, "report", "--phase", PHASE, "--formats", "html")
    return root


@pytest.fixture
def project(prepared, tmp_path) -> Path:
    """This test's own copy of the prepared project (outputs included)."""
    return Path(shutil.copytree(prepared, tmp_path / "projet", symlinks=True))


def sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def data(root: Path) -> Path:
    return root / "data" / "sample"


def report(root: Path) -> Path:
    return paths.pair_report_path(root / "outputs", PHASE, PAIR)


def cover_version(root: Path, who: str = PAIR) -> str:
    """The « Version » line of a report's cover, typographic spaces made plain."""
    target = report(root) if who == PAIR else paths.programme_report_path(root / "outputs", PHASE)
    html = target.read_text("utf-8").replace("\u00a0", " ").replace("\u202f", " ")
    cover = html[html.index('<section class="rapport-couverture"'):]
    cover = cover[:cover.index("</section>")]
    return cover[cover.index("<dt>Version</dt><dd>") + 20:].split("</dd>")[0]


def version_dir(root: Path, version: str) -> Path:
    return paths.signed_version_dir(data(root), PHASE, PAIR, version)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def expected_inputs(root: Path) -> dict[str, Path]:
    """The report's inputs, listed here by hand from the issue: the data, the pair's appraisals
    up to the final phase, the programme, the matrix, the phases' parameters, the notebooks."""
    found = {f"donnees/{name}": data(root) / name
             for name in ("suivi.csv", "budget.csv", "donnees.yml",
                          f"appreciations/midterm/{PAIR}.yml", f"appreciations/final/{PAIR}.yml")}
    found |= {f"params/{name}": root / "params" / name
              for name in ("programme.yml", "evaluation.yml", "phases/midterm.yml",
                           "phases/final.yml")}
    found |= {f"carnets/{n}.ipynb": root / "notebooks" / f"{n}.ipynb" for n in NOTEBOOKS}
    return found


def test_a_complete_appraisal_is_signed_sealed_and_said_signed_on_the_cover(project):
    assert cover_version(project) == "1.0 — version complète, non signée"
    html_before = report(project).read_bytes()
    done = cli(project, *SIGN, "--date-signature", "2013-02-28")
    folder = version_dir(project, "1.0")
    assert f"Version 1.0 signée : {folder.relative_to(project)}" in done.stdout

    record = yaml.safe_load((folder / "signature.yml").read_text("utf-8"))
    matrix = yaml.safe_load((project / "params" / "evaluation.yml").read_text("utf-8"))
    [chief] = [m for m in matrix["equipe"] if m.get("signataire")]
    assert (record["phase"], record["partenariat"], record["version"]) == (PHASE, PAIR, "1.0")
    # the evaluation's own date is its report's delivery in the calendar, not today
    assert record["date_evaluation"] == matrix["calendrier"]["final"]["remise"] \
        == dt.date(2013, 2, 28)
    assert record["signee_le"] == dt.date(2013, 2, 28)
    assert record["signataires"] == [{"nom": chief["nom"], "fonction": chief["role"]}]
    assert "modifications" not in record
    # every input, hashed here with hashlib
    assert record["entrees"] == {name: sha(path)
                                 for name, path in expected_inputs(project).items()}
    # the deliverables: copies byte for byte of the reports as they were signed
    outputs = {p.name: p for p in (report(project),
                                   paths.pair_annex_path(project / "outputs", PHASE, PAIR))}
    assert record["sorties"] == {name: sha(path) for name, path in outputs.items()}
    for name, path in outputs.items():
        assert (folder / name).read_bytes() == path.read_bytes()
        assert sha(path)[:12] in done.stdout
    assert (folder / report(project).name).read_bytes() == html_before
    for phase in ("midterm", "final"):
        copy = folder / "appreciations" / phase / f"{PAIR}.yml"
        assert copy.read_bytes() == (data(project) / "appreciations" / phase
                                     / f"{PAIR}.yml").read_bytes()
    assert not list(folder.parent.glob(".v*"))  # no temporary folder left

    # signing changes the cover: the report is rebuilt, and says so
    cli(project, "report", "--phase", PHASE, "--formats", "html")
    assert cover_version(project) == ("1.0 — signée le 28 février 2013 par Nadia Berrada "
                                      "(cheffe de mission, évaluatrice senior)")
    assert "Modifications depuis la version" not in report(project).read_text("utf-8")
    # rebuilt from unchanged inputs, it is still the signed version
    cli(project, "report", "--phase", PHASE, "--formats", "html", "--forcer")
    assert cover_version(project).startswith("1.0 — signée le 28 février 2013")
    assert cover_version(project, "programme") == "1.0 — version complète, non signée"

    # nothing changed: nothing new to sign
    again = cli(project, *SIGN, check=False)
    assert again.returncode == 2
    assert "Déjà signé : la version 1.0 (signée le 28 février 2013) porte exactement ces " \
        "entrées" in again.stderr
    assert [p.name for p in folder.parent.iterdir()] == ["v1.0"]


def test_a_change_after_signing_is_a_draft_of_1_1_then_version_1_1(project):
    cli(project, *SIGN)
    signed = snapshot(version_dir(project, "1.0"))
    store = data(project) / "appreciations" / PHASE / f"{PAIR}.yml"
    text = store.read_text("utf-8")
    assert text.count("      atteint à Jérada.\n") == 1  # the end of QE1's answer
    store.write_text(text.replace("      atteint à Jérada.\n",
                                  "      atteint à Jérada, ni en voie de l’être.\n"), "utf-8")
    suivi = data(project) / "suivi.csv"
    rows = suivi.read_text("utf-8")
    assert rows.count("\nforest-jerada,RI4.2,2012,5797,") == 1
    suivi.write_text(rows.replace("\nforest-jerada,RI4.2,2012,5797,",
                                  "\nforest-jerada,RI4.2,2012,5798,"), "utf-8")

    # not computed again yet: refused
    early = cli(project, *SIGN, check=False)
    assert early.returncode == 2
    assert "Les données ont changé depuis le dernier calcul" in early.stderr

    cli(project, "run", "--phase", PHASE, "--partenariat", PAIR, "--quiet")
    cli(project, "report", "--phase", PHASE, "--formats", "html")
    assert snapshot(version_dir(project, "1.0")) == signed  # run and report never touch it
    assert cover_version(project) == (
        "1.1 — projet, non signé (modifications depuis la version 1.0 signée : QE1 — réponse "
        "(modification) ; données : suivi.csv (modification))")
    html = report(project).read_text("utf-8").replace("\u00a0", " ")
    annex = html[html.rindex("Annexe K — Modifications depuis la version 1.0 signée"):]
    for line in ("données : appreciations/final/forest-jerada.yml (modification)",
                 "QE1 — réponse (modification)", "données : suivi.csv (modification)"):
        assert line in annex

    done = cli(project, *SIGN, "--signataire", "Pieter Claes, évaluateur")
    folder = version_dir(project, "1.1")
    assert "Version 1.1 signée" in done.stdout
    record = yaml.safe_load((folder / "signature.yml").read_text("utf-8"))
    assert record["version"] == "1.1"
    assert record["signataires"] == [{"nom": "Pieter Claes", "fonction": "évaluateur"}]
    assert record["entrees"]["donnees/suivi.csv"] == sha(suivi)
    assert record["modifications"] == {
        "depuis": "1.0",
        "modifiees": [f"donnees/appreciations/final/{PAIR}.yml", "donnees/suivi.csv"],
        "ajoutees": [], "supprimees": [],
        "endroits": {f"donnees/appreciations/final/{PAIR}.yml": [
            {"endroit": ["questions", "QE1", "reponse"], "changement": "modifie"}]}}
    assert (folder / "appreciations" / PHASE / f"{PAIR}.yml").read_bytes() == store.read_bytes()
    assert snapshot(version_dir(project, "1.0")) == signed

    cli(project, "report", "--phase", PHASE, "--formats", "html")
    assert cover_version(project).startswith("1.1 — signée le ")
    assert cover_version(project).endswith(" par Pieter Claes (évaluateur)")


def test_a_version_folder_already_there_is_never_written_over(project):
    planted = version_dir(project, "1.0")
    planted.mkdir(parents=True)
    (planted / "notes.txt").write_text("rangé ici à la main\n", "utf-8")
    done = cli(project, *SIGN, check=False)
    assert done.returncode == 2
    assert (f"« {planted.relative_to(project)} » existe mais n'est pas une version signée "
            "lisible (pas de fichier signature.yml)") in done.stderr
    assert snapshot(planted) == {"notes.txt": b"rang\xc3\xa9 ici \xc3\xa0 la main\n"}
    assert sorted(p.name for p in planted.parent.iterdir()) == ["v1.0"]


def test_stale_versions_and_a_partial_programme_are_refused(project):
    # a PDF that is not the HTML report's (no key stamped): out of date
    pdf = paths.report_format_path(report(project), "pdf")
    pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    done = cli(project, *SIGN, check=False)
    assert done.returncode == 2
    assert f"Version PDF « {pdf.relative_to(project)} » pas à jour de son rapport HTML" \
        in done.stderr
    # the programme report synthesises six pairs; five were never run here
    done = cli(project, "signer", "--phase", PHASE, "--rapport-programme", check=False)
    assert done.returncode == 2
    assert done.stderr.count("Chapitre « Synthèse du partenariat — ") == 5
    assert "Forest" not in done.stderr
    assert not paths.signatures_dir(data(project)).exists()


FAULT = '''
import os
if os.environ.get("SIGN_FAULT"):
    from maroc_eval.signoff import sign
    copy, calls = sign.copy_hashed, []

    def faulty(source, target):
        calls.append(target)
        if len(calls) == 2:  # the first file copied, the second not
            if os.environ["SIGN_FAULT"] == "kill":
                os.kill(os.getpid(), 9)
            raise OSError(28, "No space left on device", str(target))
        return copy(source, target)

    sign.copy_hashed = faulty
'''


@pytest.mark.parametrize("fault", ["disk-full", "kill"])
def test_an_interrupted_signing_leaves_no_version(project, tmp_path, fault):
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(FAULT, "utf-8")
    env = {**os.environ, "MAROC_EVAL_ROOT": str(project), "SIGN_FAULT": fault,
           "PYTHONPATH": str(hook)}
    done = subprocess.run([str(Path(sys.executable).with_name("maroc-eval")), *SIGN],
                          cwd=project, env=env, capture_output=True, text=True, timeout=300,
                          check=False)
    root = paths.signature_dir(data(project), PHASE, PAIR)
    assert not version_dir(project, "1.0").exists()
    left = list(root.glob(".v1.0.*.tmp"))
    if fault == "kill":
        assert done.returncode == -9
        [tmp] = left  # what a killed process leaves: a hidden temporary, never a version
        assert len([p for p in tmp.rglob("*") if p.is_file()]) == 1
    else:
        assert done.returncode == 2
        assert "Impossible d'écrire la version signée dans" in done.stderr
        assert "le disque est plein. Rien n'a été signé." in done.stderr
        assert left == []
    assert cli(project, "report", "--phase", PHASE, "--formats", "html").returncode == 0
    assert cover_version(project) == "1.0 — version complète, non signée"

    # the next signing sweeps what was left and signs
    cli(project, *SIGN)
    assert sorted(p.name for p in root.iterdir()) == ["v1.0"]
    assert (version_dir(project, "1.0") / "signature.yml").is_file()
