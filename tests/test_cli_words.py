"""The command line speaks French: Click's own texts, one spelling per option, SIGTERM."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from maroc_eval import cli


def invoke(*args):
    """Run the CLI as the entry point does (French usage errors are printed by ``main``)."""
    return CliRunner().invoke(cli.main, list(args), prog_name="maroc-eval", standalone_mode=True)


def test_unknown_command_suggests_the_closest_in_french():
    result = invoke("reprot")
    assert result.exit_code == 2
    assert "Commande inconnue « reprot ». Vouliez-vous dire « report » ?" in result.output
    assert "Utilisation : maroc-eval" in result.output
    assert "No such command" not in result.output and "Usage:" not in result.output


def test_unknown_option_suggests_the_closest_in_french():
    result = invoke("run", "--forc")
    assert result.exit_code == 2
    assert "Option inconnue « --forc ». Vouliez-vous dire « --force » ?" in result.output \
        or "Vouliez-vous dire « --forcer » ?" in result.output
    assert "No such option" not in result.output


@pytest.mark.parametrize(("args", "expected"), [
    (("run", "-j", "0"), "« 0 » : un nombre entier d'au moins 1 est attendu"),
    (("run", "--executeur", "turbo"), "choisir parmi rapide, simple"),
    (("run", "-p", "phase"), "Option « -p » mal employée"),
])
def test_bad_option_values_are_refused_in_french(args, expected):
    result = invoke(*args)
    assert result.exit_code == 2
    assert expected in result.output
    assert "Error:" not in result.output and "Invalid value" not in result.output


@pytest.mark.parametrize("command", [(), ("run",), ("report",), ("validate",), ("summary",)])
def test_help_is_french(command):
    result = invoke(*command, "--aide")
    assert result.exit_code == 0
    assert "Afficher cette aide et quitter." in result.output
    assert "Utilisation : maroc-eval" in result.output
    for english in ("Show this message", "Usage:", "[default:", "Commands:", "TEXT", "PATH"):
        assert english not in result.output


def option_names(command: str) -> dict[str, set[str]]:
    """Each option's destination and the spellings that reach it."""
    return {p.name: set(p.opts) | set(p.secondary_opts)
            for p in cli.main.commands[command].params if isinstance(p, cli.click.Option)}


def test_one_french_spelling_per_concept_with_english_aliases():
    run, report = option_names("run"), option_names("report")
    assert {"--forcer", "--force"} <= run["force"] and {"--forcer", "--force"} <= report["force"]
    assert {"--taches", "--jobs", "-j"} <= run["jobs"]
    assert {"--fichier-parametres", "--params-file", "-f"} <= run["params_files"]
    assert {"--silencieux", "--quiet", "-q"} <= run["quiet"]
    assert {"--partenariat", "--pair"} <= run["pairs"] == option_names("summary")["pairs"]
    # Every long option has a French spelling: the English ones are only aliases.
    english = {"--force", "--jobs", "--params-file", "--param", "--quiet", "--pair", "--help"}
    for command in cli.main.commands:
        for spellings in option_names(command).values():
            longs = {s for s in spellings if s.startswith("--")}
            assert longs - english, spellings


def test_aliases_parse_to_the_same_values():
    run = cli.main.commands["run"]
    french = run.make_context("run", ["--forcer", "--taches", "3", "--silencieux",
                                      "--partenariat", "x"])
    english = run.make_context("run", ["--force", "--jobs", "3", "--quiet", "--pair", "x"])
    assert french.params == english.params
    assert french.params["jobs"] == 3 and french.params["force"] is True


def test_sigterm_is_an_interruption_with_status_143(capsys):
    @cli._reports_errors
    def stopped():
        cli._terminate(15, None)

    with pytest.raises(SystemExit) as exit_:
        stopped()
    assert exit_.value.code == 143
    assert "Interrompu" in capsys.readouterr().err


def test_bare_command_shows_the_french_help_not_an_error():
    result = invoke()
    assert "Commandes" in result.output and "Afficher cette aide et quitter." in result.output
    assert "Erreur" not in result.output


FRENCH_AND_ENGLISH = [("valider", "validate"), ("resume", "summary"), ("executer", "run"),
                      ("rapport", "report"), ("formulaire", "form"), ("importer", "import"),
                      ("grille", "grid"), ("importer-grille", "import-grid"),
                      ("signer", "sign")]


@pytest.mark.parametrize(("french", "english"), FRENCH_AND_ENGLISH)
def test_every_command_has_one_french_name_and_its_english_alias(french, english):
    commands = cli.main.commands
    assert commands[french].callback is commands[english].callback
    assert commands[english].short_help == f"Nom anglais de « {french} »."
    assert [p.name for p in commands[french].params] == [p.name for p in commands[english].params]


def test_the_command_list_is_not_cut():
    result = invoke("--aide")
    listed = result.output.split("Commandes:", 1)[1]
    assert "..." not in listed and "…" not in listed
    for french, _english in FRENCH_AND_ENGLISH:
        assert cli.main.commands[french].short_help.rstrip(".") in " ".join(listed.split())
    assert "INPUTS" not in invoke("valider", "--aide").output
    assert "ENTRÉES" in invoke("valider", "--aide").output


@pytest.mark.parametrize(("typed", "code"), [("mi-parcours", "midterm"), ("midterm", "midterm"),
                                             ("finale", "final"), ("final", "final"),
                                             ("toutes", "all"), ("all", "all")])
def test_phases_have_a_french_name_and_their_code(typed, code):
    for command in ("executer", "resume", "rapport", "grille"):
        context = cli.main.commands[command].make_context(command, ["--phase", typed])
        assert context.params["phase"] == code
    signer = cli.main.commands["signer"].make_context("signer", ["--phase", typed])
    assert signer.params["phase"] == code


def test_a_french_command_and_phase_give_what_the_english_ones_give():
    french = invoke("resume", "--phase", "mi-parcours", "--partenariat", "jette-sidi-bibi")
    english = invoke("summary", "--phase", "midterm", "--pair", "jette-sidi-bibi")
    assert french.exit_code == english.exit_code == 0
    assert french.output == english.output and "Jette – Sidi Bibi" in french.output
