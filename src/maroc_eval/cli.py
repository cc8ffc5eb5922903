"""Command line: ``maroc-eval validate | summary | run | report``.

Thin by design: each command parses its options and calls one function of the package.
Every :class:`~maroc_eval.errors.EvaluationError` becomes a French message and an exit status
(2 for bad input or usage, 1 when notebooks failed); a user's mistake never shows a traceback.
"""

from __future__ import annotations

import atexit
import functools
import gc
import signal
import sys
import threading
from pathlib import Path

import click

from . import __version__, paths
from .errors import EvaluationError
from .french_click import FrenchGroup, PositiveInt
from .run.executors import DEFAULT_EXECUTOR, executors


def _reports_errors(func):
    """Turn the toolkit's errors into messages on stderr and exit statuses."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, _terminate)
        sys.unraisablehook = _quiet_loop_finalisers
        try:
            return func(*args, **kwargs)
        except EvaluationError as exc:
            for line in exc.messages():
                click.echo(line, err=True)
            sys.exit(exc.exit_status)
        except OSError as exc:  # a path the user gave that the system refuses
            from .errors import os_message

            click.echo(f"Erreur : {os_message(exc)}", err=True)
            sys.exit(2)
        except Terminated:
            click.echo("Interrompu (signal de fin reçu).", err=True)
            sys.exit(143)
        except KeyboardInterrupt:
            click.echo("Interrompu.", err=True)
            sys.exit(130)

    return wrapper


_DEFAULT_UNRAISABLE = sys.unraisablehook


def _quiet_loop_finalisers(unraisable) -> None:
    """Keep one known piece of machinery noise from the user: an asyncio event loop of a kernel
    client, collected after an interrupted kernel's sockets were closed, fails to close them
    again (« Invalid file descriptor: -1 »). Nothing is lost; any other such report is printed."""
    if (isinstance(unraisable.exc_value, (OSError, ValueError))
            and "BaseEventLoop.__del__" in repr(unraisable.object)):
        return
    _DEFAULT_UNRAISABLE(unraisable)


class Terminated(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl-C: outputs kept, ledger entries « interrompu », exit 143."""


def _terminate(signum, frame) -> None:
    raise Terminated


@click.group(cls=FrenchGroup, context_settings={"help_option_names": ["-h", "--help", "--aide"]})
@click.version_option(__version__, "--version", "-V", prog_name="maroc-eval",
                      message="%(prog)s, version %(version)s",
                      help="Afficher la version et quitter.")
def main() -> None:
    """Évaluation de l'Intervention spécifique Maroc (2008-2012)."""
    _quick_exit()


def _quick_exit() -> None:
    """At interpreter exit, after the other exit handlers, freeze what is left for the collector.

    The interpreter's last garbage collections otherwise walk every object pandas, nbconvert and
    the Jupyter stack left behind: about 0.2 s at the end of each ``run`` or ``report``, for
    memory the process's end gives back anyway. Outputs are all closed by then (atomic writes,
    ledgers saved); handlers registered later, such as temporary-folder clean-ups, run before.
    """
    if not getattr(_quick_exit, "registered", False):
        atexit.register(gc.freeze)
        _quick_exit.registered = True


def _no_iri_grammars() -> None:
    """Keep jsonschema from compiling IRI grammars this toolkit never checks.

    nbformat imports jsonschema, which imports ``rfc3987_syntax`` when installed: it compiles some
    forty grammars (about 1.3 s, most of a rerun or report build with nothing to do) for IRI
    format checks that the notebook schema never uses. Marking it absent makes jsonschema skip
    them. Done when this entry point is imported, before any command imports nbformat.
    """
    sys.modules.setdefault("rfc3987_syntax", None)


_no_iri_grammars()


def _data_folder(data_dir: Path | None) -> Path:
    """The data folder of a command: ``--donnees`` if given (said when it is not the project's),
    else the one ``params/projet.yml`` names."""
    from .core.project import load_project
    from .errors import display_path

    project = load_project()
    if data_dir is None:
        return project.data_dir
    if Path(data_dir).resolve() != project.data_dir:
        click.echo(f"Données : {display_path(data_dir)} (--donnees, pour cette commande ; le "
                   f"projet indique {display_path(project.data_dir)} dans {project.source}).",
                   err=True)
    return Path(data_dir)


_data_option = click.option(
    "--donnees", "data_dir", type=click.Path(path_type=Path), default=None, metavar="DOSSIER",
    help="Dossier des données de suivi, pour cette commande (défaut : celui de "
         "params/projet.yml).")

_programme_option = click.option(
    "--programme", "programme_file", type=click.Path(path_type=Path), metavar="FICHIER",
    default=paths.PROGRAMME_FILE,
    help="Fichier de définition du programme (défaut : params/programme.yml).",
)


@main.command()
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path), metavar="[ENTRÉES]...")
@_programme_option
@click.option("--encodage", "encoding", default=None, metavar="ENCODAGE",
              help="Forcer l'encodage des CSV (utf-8, utf-8-sig, cp1252).")
@click.option("--separateur", "separator", default=None, metavar="SÉPARATEUR",
              help="Forcer le séparateur des CSV (, ou ;).")
@_reports_errors
def validate(inputs, programme_file, encoding, separator) -> None:
    """Valider les données de suivi et les appréciations (par défaut : le dossier du projet).

    INPUTS : fichiers CSV/XLSX, appreciations.yml ou dossiers. Toutes les erreurs sont listées.
    """
    from .core.validation import validate_inputs

    report = validate_inputs(list(inputs) or [_data_folder(None)], programme_file,
                             encoding=encoding, separator=separator)
    for line in report.lines():
        click.echo(line)
    sys.exit(report.exit_status)


@main.command()
@_programme_option
@_data_option
@click.option("--phase", default="all", metavar="PHASE",
              help="midterm, final ou all (défaut : all).")
@click.option("--partenariat", "--pair", "pairs", multiple=True, metavar="CODE",
              help="Partenariat (répétable ; défaut : tous).")
@_reports_errors
def summary(programme_file, data_dir, phase, pairs) -> None:
    """Afficher le tableau de synthèse des indicateurs (indice par RI et par partenariat).

    Chaque partenariat est jugé avec ses seuils (params/programme.yml, params/phases/,
    params/pairs/), comme dans les carnets et les rapports.
    """
    from .core.summary import print_summary

    print_summary(programme_file, _data_folder(data_dir), phase, echo=click.echo,
                  pairs=tuple(pairs))


@main.command()
@_programme_option
@click.option("--phase", default="all", metavar="PHASE",
              help="midterm, final ou all (défaut : all).")
@click.option("--partenariat", "--pair", "pairs", multiple=True, metavar="CODE",
              help="Partenariat (répétable ; défaut : tous).")
@click.option("--ri", "ris", multiple=True, metavar="RI",
              help="Résultat intermédiaire (RI1…RI7, répétable).")
@_data_option
@click.option("--sorties", "outputs", type=click.Path(path_type=Path), default=paths.OUTPUTS_DIR,
              metavar="DOSSIER", help="Dossier des résultats (défaut : outputs).")
@click.option("--taches", "--jobs", "-j", "jobs", type=PositiveInt(), default=None,
              metavar="N",
              help="Carnets exécutés en parallèle (défaut : nombre de processeurs).")
@click.option("--forcer", "--force", "force", is_flag=True,
              help="Tout réexécuter, même ce qui est à jour.")
@click.option("-f", "--fichier-parametres", "--params-file", "params_files", multiple=True,
              type=click.Path(path_type=Path), metavar="FICHIER",
              help="Fichier YAML de paramètres (répétable).")
@click.option("-p", "--parametre", "--param", "params", multiple=True, nargs=2,
              metavar="NOM VALEUR",
              help="Paramètre d'un carnet (répétable), ex. -p threshold_on_track 0.8.")
@click.option("--silencieux", "--quiet", "-q", "quiet", is_flag=True,
              help="Sans barre de progression.")
@click.option("--executeur", "executor", type=click.Choice(executors.names()),
              default=DEFAULT_EXECUTOR,
              help="Lancement des noyaux : « rapide » (noyaux préparés d'avance, copies d'un "
                   "processus qui a déjà tout importé, défaut) ou « simple » (papermill tel quel, "
                   "un noyau démarré pour chaque carnet). Mêmes résultats.")
@_reports_errors
def run(programme_file, phase, pairs, ris, data_dir, outputs, jobs, force, params_files, params,
        quiet, executor) -> None:
    """Exécuter la batterie de carnets (RI × partenariats × phases, puis synthèses)."""
    from .core.dataset import DatasetCache
    from .run.executors import early_executor

    # Before the runner's heavy imports: the data are hashed (bytes only) and, if notebooks will
    # run, the executor starts what takes time (the fast one: its warm kernel process).
    data_dir = _data_folder(data_dir)
    cache = DatasetCache(programme_file, data_dir, outputs)
    kernels = early_executor(executor, cache, jobs, force=force)
    from .run.runner import RunOptions, run_battery

    result = run_battery(RunOptions(
        programme_file=programme_file, phase=phase, pairs=tuple(pairs), ris=tuple(ris),
        data_dir=data_dir, outputs=outputs, jobs=jobs, force=force,
        params_files=tuple(params_files), params=tuple(params), quiet=quiet, executor=executor,
    ), echo=click.echo, cache=cache, executor=kernels)
    sys.exit(result.exit_status)


@main.command()
@_programme_option
@click.option("--phase", default="all", metavar="PHASE",
              help="midterm, final ou all (défaut : all).")
@click.option("--sorties", "outputs", type=click.Path(path_type=Path), default=paths.OUTPUTS_DIR,
              metavar="DOSSIER",
              help="Dossier des résultats de `maroc-eval run` (défaut : outputs).")
@click.option("--forcer", "--force", "force", is_flag=True,
              help="Refaire tous les rapports, même ceux dont les entrées n'ont pas changé.")
@_reports_errors
def report(programme_file, phase, outputs, force) -> None:
    """Produire les rapports HTML hors ligne, les annexes Excel et outputs/index.html.

    Un rapport dont les carnets, résultats et journal n'ont pas changé depuis sa production est
    gardé tel quel (--forcer pour tout refaire).
    """
    from .report.build import build_reports

    index = build_reports(programme_file=programme_file, phase=phase, outputs=outputs,
                          echo=click.echo, force=force)
    click.echo(f"Rapports : {index}")


if __name__ == "__main__":  # pragma: no cover
    main()
