"""Output folders that must be refused, the marker of the toolkit's own, and ``make
clean-outputs`` deleting only in such a folder (issue 22, item 11)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from project_helpers import cli, copy_project

from maroc_eval.base import paths
from maroc_eval.base.errors import ParameterError
from maroc_eval.base.output_folder import MARKER, check_output_folder, claim_output_folder, is_fresh

HOME = Path.home().resolve()


def _table(tmp: Path) -> list[tuple[str, Path, str | None]]:
    data = tmp / "donnees"
    return [
        ("racine", Path("/"), "c'est la racine du système de fichiers"),
        ("racine-ecrite-autrement", Path("/tmp/.."), "c'est la racine du système de fichiers"),
        ("dossier-personnel", HOME, "c'est votre dossier personnel"),
        ("parent-du-dossier-personnel", HOME.parent, "ce dossier contient votre dossier "
                                                     "personnel"),
        ("racine-du-projet", paths.PROJ_ROOT, "c'est la racine du projet"),
        ("parent-du-projet", paths.PROJ_ROOT.parent, "ce dossier contient la racine du projet"),
        ("donnees", data, "c'est le dossier de données"),
        ("parent-des-donnees", tmp, "ce dossier contient le dossier de données"),
        ("dans-les-donnees", data / "sorties", "ce dossier est dans le dossier de données"),
        ("lien-vers-les-donnees", tmp / "lien", "c'est le dossier de données"),
        ("un-fichier", data.parent / "fichier.txt", "c'est un fichier ; attendu : un dossier"),
        ("sorties-du-projet", paths.OUTPUTS_DIR, None),
        ("dossier-a-cote", tmp / "sorties", None),
        ("dossier-a-creer", tmp / "a" / "b" / "sorties", None),
    ]


CASES = [c[0] for c in _table(Path("/tmp/x"))]


@pytest.mark.parametrize("case", CASES)
def test_output_folders_that_would_risk_the_users_files_are_refused(tmp_path, case):
    _name, folder, expected = next(c for c in _table(tmp_path) if c[0] == case)
    if case == "parent-du-dossier-personnel" and folder == Path("/"):
        pytest.skip("the home folder is at the root's first level (/root): the root case")
    (tmp_path / "donnees").mkdir()
    (tmp_path / "fichier.txt").write_text("à moi\n", "utf-8")
    (tmp_path / "lien").symlink_to(tmp_path / "donnees")
    if expected is None:
        assert check_output_folder(folder, [tmp_path / "donnees"]) == folder.resolve()
        return
    with pytest.raises(ParameterError) as err:
        check_output_folder(folder, [tmp_path / "donnees"])
    message = str(err.value)
    assert message.startswith("--sorties « "), message
    assert expected in message, message
    assert "attendu : " in message


def test_a_folder_is_marked_only_when_the_toolkit_makes_it_or_finds_it_empty(tmp_path):
    made = claim_output_folder(tmp_path / "neuf" / "sorties")
    assert (made / MARKER).is_file()
    empty = tmp_path / "vide"
    empty.mkdir()
    (empty / ".gitkeep").touch()
    assert is_fresh(empty)
    assert (claim_output_folder(empty) / MARKER).is_file()
    busy = tmp_path / "occupe"
    busy.mkdir()
    (busy / "lettre.docx").write_text("à moi", "utf-8")
    assert not is_fresh(busy)
    claim_output_folder(busy)
    assert not (busy / MARKER).exists()


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return copy_project(tmp_path_factory.mktemp("projet"))


def _listing(folder: Path) -> dict[str, float]:
    return {p.name: p.stat().st_mtime for p in folder.iterdir()}


@pytest.mark.parametrize(("command", "folder", "expected"), [
    (("run", "-q", "--phase", "midterm", "--pair", "jette-sidi-bibi", "--ri", "RI1"), "/",
     "--sorties « / » : c'est la racine du système de fichiers"),
    (("report", "--formats", "html"), "/", "--sorties « / » : c'est la racine"),
    (("formulaire", "--annees", "2011"), "/", "--sorties « / » : c'est la racine"),
    (("run", "-q"), ".", "--sorties « . » : c'est la racine du projet"),
    (("run", "-q"), "data/sample", "--sorties « data/sample » : c'est le dossier de données"),
    (("formulaire", "--annees", "2011"), "data/sample",
     "--sorties « data/sample » : c'est le dossier de données"),
    (("report",), "..", "ce dossier contient la racine du projet"),
    (("run", "-q"), str(HOME), "c'est votre dossier personnel"),
])
def test_every_command_refuses_them_before_writing(project, command, folder, expected):
    root_before = {p.name for p in Path("/").iterdir()}  # names: /tmp changes all the time
    data_before = _listing(project / "data" / "sample")
    done = cli(project, *command, "--sorties", folder, check=False)
    said = done.stdout + done.stderr
    assert done.returncode == 2, said
    assert "Traceback" not in said
    assert expected in said, said
    assert {p.name for p in Path("/").iterdir()} == root_before
    assert _listing(project / "data" / "sample") == data_before
    assert not (project / "midterm").exists() and not (project / ".maroc-eval.lock").exists()


def test_the_refusal_speaks_english_on_request(project):
    done = cli(project, "run", "-q", "--sorties", "/", "--langue", "en", check=False)
    assert done.returncode == 2
    assert "--sorties “/”: it is the filesystem root" in done.stderr, done.stderr


def _clean(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "-s", "clean-outputs", f"OUTPUTS={folder}"],
                          cwd=paths.PROJ_ROOT, capture_output=True, text=True, check=False,
                          timeout=60, env={**os.environ, "LANG": "C.UTF-8"})


def test_make_clean_outputs_deletes_nothing_in_a_folder_the_toolkit_did_not_make(tmp_path):
    folder = tmp_path / "mes-documents"
    (folder / "sous-dossier").mkdir(parents=True)
    (folder / "rapport-annuel.docx").write_text("à moi", "utf-8")
    (folder / "sous-dossier" / "photo.jpg").write_bytes(b"\xff\xd8")
    before = sorted(p.relative_to(folder) for p in folder.rglob("*"))
    done = _clean(folder)
    assert done.returncode == 2
    assert f"Refusé : « {folder} » n'a pas été créé par maroc-eval" in done.stderr
    assert sorted(p.relative_to(folder) for p in folder.rglob("*")) == before
    for risky in ("/", str(HOME)):
        done = _clean(Path(risky))
        assert done.returncode == 2 and "rien n'est supprimé" in done.stderr


def test_make_clean_outputs_empties_a_folder_the_toolkit_made(project, tmp_path):
    folder = tmp_path / "sorties"
    folder.mkdir()
    (folder / ".gitkeep").touch()
    done = cli(project, "formulaire", "--annees", "2011", "--pair", "jette-sidi-bibi",
               "--sorties", str(folder))
    assert list(folder.glob("*.xlsx")) and (folder / MARKER).is_file(), done.stdout
    (folder / "sous").mkdir()
    (folder / "sous" / "x.json").write_text("{}", "utf-8")
    done = _clean(folder)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in folder.iterdir()) == [".gitkeep", MARKER]
