"""The language of the command line: ``--langue``, ``langue:`` of params/projet.yml, LANG.

The English texts come from a tiny temporary catalogue (the real one is translated last): what
is checked is that the CLI looks its texts up in the catalogue of the chosen language, that the
choice follows explicit > project > environment > French, and that French stays the default.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from english_helpers import write_catalogue
from project_helpers import cli, copy_project

from maroc_eval.base import i18n, paths
from maroc_eval.base.errors import InputError
from maroc_eval.core.project import load_project

COMMANDS = ("validate", "summary", "run", "report", "formulaire", "importer")
ENGLISH = {
    "Utilisation : ": "Usage: ",
    "Options": "Options",
    "Commandes": "Commands",
    "Afficher cette aide et quitter.": "Show this message and exit.",
    "Exécuter la batterie de carnets (RI × partenariats × phases, puis synthèses).":
        "Run the battery of notebooks (RI × pairs × phases, then syntheses).",
    "Tout réexécuter, même ce qui est à jour.": "Run everything again, even what is up to date.",
    "Erreur : {message}": "Error: {message}",
    "Option inconnue « {name} ».": "No such option: {name}.",
    "Aide : « {command} --aide ».": "Try '{command} --help' for help.",
}


def run_cli(argv: list[str], locale_dir: Path, env: dict | None = None, cwd: Path | None = None):
    """``maroc-eval ARGV`` in a fresh process whose catalogues are in ``locale_dir``."""
    code = ("import sys\nfrom pathlib import Path\nfrom maroc_eval.base import paths\n"
            f"paths.LOCALE_DIR = Path({str(locale_dir)!r})\n"
            f"sys.argv = ['maroc-eval', *{argv!r}]\n"
            "from maroc_eval.cli import main\nmain()\n")
    environ = {k: v for k, v in os.environ.items() if k not in i18n.ENV_VARIABLES}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**environ, **(env or {})}, cwd=cwd, check=False, timeout=120)


@pytest.fixture(scope="module")
def locale_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("locale")
    write_catalogue(folder, ENGLISH)
    return folder


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("option", [["--langue", "en"], ["--language=en"], ["--langue", "fr"]])
def test_every_command_takes_the_language_option(command, option):
    from maroc_eval.cli import main

    try:
        result = CliRunner().invoke(main, [command, *option, "--aide"])
        assert result.exit_code == 0, result.output
        assert "--langue, --language [fr|en]" in result.output
    finally:
        i18n.set_language("fr")


def test_an_unknown_language_is_refused_in_french():
    from maroc_eval.cli import main

    result = CliRunner().invoke(main, ["run", "--langue", "de"])
    assert result.exit_code == 2
    assert "Erreur : Valeur invalide pour --langue / --language : choisir parmi fr, en." \
        in result.output


def test_help_and_click_errors_come_from_the_english_catalogue(locale_dir):
    done = run_cli(["run", "--langue", "en", "--aide"], locale_dir)
    assert done.returncode == 0, done.stderr
    text = " ".join(done.stdout.split())  # help texts are wrapped to the terminal's width
    assert done.stdout.startswith("Usage: maroc-eval run [OPTIONS]")
    assert "Run the battery of notebooks (RI × pairs × phases, then syntheses)." in text
    assert "Run everything again, even what is up to date." in text
    assert "Show this message and exit." in text
    assert "Exécuter la batterie" not in text and "Utilisation" not in text
    # a message the small catalogue lacks stays French (gettext's fallback), never empty
    assert "Sans barre de progression." in text

    done = run_cli(["--language=en", "validate", "--nope"], locale_dir)
    assert done.returncode == 2
    assert done.stderr.splitlines()[-2:] == ["Try 'maroc-eval validate --help' for help.",
                                             "Error: No such option: --nope."]


def test_french_by_default_even_with_an_english_catalogue(locale_dir):
    done = run_cli(["run", "--aide"], locale_dir, env={"LANG": "C.UTF-8"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Utilisation : maroc-eval run [OPTIONS]")
    assert "Afficher cette aide et quitter." in done.stdout


def _write_project(root: Path, language: str | None) -> Path:
    (root / "params").mkdir(parents=True, exist_ok=True)
    project = root / "params" / "projet.yml"
    project.write_text("# projet\ndonnees: data/sample\n"
                       + (f"langue: {language}\n" if language else ""), encoding="utf-8")
    return project


@pytest.mark.parametrize(("argv", "project", "environ", "expected"), [
    (["run", "--langue", "en"], "fr", {"LANG": "fr_BE.UTF-8"}, "en"),   # explicit first
    (["--langue=fr", "run"], "en", {"LANG": "en_GB.UTF-8"}, "fr"),
    (["run"], "en", {"LANG": "fr_BE.UTF-8"}, "en"),                    # then the project
    (["run"], "fr", {"LANG": "en_US.UTF-8"}, "fr"),
    (["run"], None, {"LANG": "en_US.UTF-8"}, "en"),                    # then the environment
    (["run"], None, {"LC_ALL": "en_US.UTF-8", "LANG": "fr_FR.UTF-8"}, "en"),
    (["run"], None, {"LANG": "de_DE.UTF-8"}, "fr"),                    # French by default
    (["run"], None, {}, "fr"),
])
def test_language_resolution_order(tmp_path, monkeypatch, argv, project, environ, expected):
    from maroc_eval import cli as cli_module

    monkeypatch.setattr(paths, "PROJECT_FILE", _write_project(tmp_path, project))
    for name in i18n.ENV_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    try:
        assert cli_module.choose_language(argv) == expected
        assert i18n.language() == expected
    finally:
        i18n.set_language("fr")


@pytest.mark.parametrize(("argv", "expected"), [
    (["run", "--langue", "en"], "en"), (["--language=en", "run"], "en"),
    (["run", "--langue", "en", "--langue", "fr"], "fr"), (["run", "--", "--langue", "en"], None),
    (["run", "--langue"], None), (["run"], None),
])
def test_language_found_in_the_command_line(argv, expected):
    from maroc_eval.cli import language_in_argv

    assert language_in_argv(argv) == expected


def test_project_language_is_read_and_validated(tmp_path):
    assert load_project(_write_project(tmp_path / "a", "en")).language == "en"
    assert load_project(_write_project(tmp_path / "b", None)).language is None
    with pytest.raises(InputError) as caught:
        load_project(_write_project(tmp_path / "c", "xx"))
    [problem] = caught.value.problems
    assert (problem.line, problem.column, problem.value, problem.kind) == (3, "langue", "xx",
                                                                           "project")
    assert problem.format().endswith(":3:langue: erreur : valeur « xx » — attendu : une langue "
                                     "parmi fr, en")


def test_shipped_project_speaks_french_explicitly():
    assert load_project(paths.PROJECT_FILE).language == "fr"


def test_bad_project_language_is_a_located_error_of_every_command(tmp_path):
    root = copy_project(tmp_path / "projet")
    project = root / "params" / "projet.yml"
    project.write_text(project.read_text(encoding="utf-8").replace("langue: fr", "langue: xx"),
                       encoding="utf-8")
    for command in (["validate"], ["report", "--formats", "html"]):
        done = cli(root, *command, check=False)
        assert done.returncode == 2, done.stdout + done.stderr
        assert "Traceback" not in done.stderr
        line = next(i for i, text in enumerate(project.read_text("utf-8").splitlines(), 1)
                    if text.startswith("langue:"))
        assert (f"projet.yml:{line}:langue: erreur : valeur « xx » — attendu : une langue "
                "parmi fr, en") in done.stderr


@pytest.mark.kernel
def test_run_in_english_from_the_command_line_writes_under_en(tmp_path):
    """The command's wiring: the language chosen by ``--langue`` reaches the runner, whose
    notebooks, ledger and validated-data cache live under ``<sorties>/en``."""
    import json

    root = copy_project(tmp_path / "projet")
    out = tmp_path / "sorties"
    done = cli(root, "run", "--langue", "en", "--sorties", str(out), "--phase", "midterm",
               "--partenariat", "jette-sidi-bibi", "--ri", "RI1", "-q")
    assert f"({out / 'en'})" in done.stdout
    english = paths.language_outputs(out, "en")
    assert not (out / "midterm").exists()
    assert paths.dataset_cache_dir(english).is_dir()
    entries = json.loads(paths.ledger_path(english, "midterm").read_text("utf-8"))["entries"]
    assert entries and {e["language"] for e in entries.values()} == {"en"}


@pytest.mark.parametrize(("text", "expected"), [
    ("donnees: data/sample\nlangue: en\n", "en"),
    ("langue: 'en'  # the project's language\ndonnees: data/sample\n", "en"),
    ('{donnees: data/sample, langue: "en"}\n', "en"),  # not a plain line: read as YAML
    ("# langue : fr ou en\ndonnees: data/sample\n", None),
    ("donnees: data/sample\n", None),
])
def test_project_language_as_the_command_line_reads_it(tmp_path, text, expected):
    from maroc_eval.core.project import project_language

    project = tmp_path / "projet.yml"
    project.write_text(text, encoding="utf-8")
    assert project_language(project) == expected


def test_reading_the_language_does_not_import_yaml():
    """The command line reads it before every command: the usual file costs no PyYAML."""
    code = ("import sys\nfrom maroc_eval.core.project import project_language\n"
            f"print(project_language({str(paths.PROJECT_FILE)!r}), 'yaml' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.split() == ["fr", "False"]
