"""Command line: ``maroc-eval valider | resume | executer | rapport | …`` (English aliases
``validate | summary | run | report | …``).

Thin by design: each command parses its options and calls one function of the package.
Every :class:`~maroc_eval.base.errors.EvaluationError` becomes a message and an exit status
(2 for bad input or usage, 1 when notebooks failed); a user's mistake never shows a traceback.

The language is chosen when the command line runs, before Click parses it (nothing happens at
import): ``--langue``/``--language`` found in the command line, else ``langue:`` of
``params/projet.yml``, else ``LC_ALL``/``LC_MESSAGES``/``LANG``, else French
(:func:`maroc_eval.base.i18n.resolve_language`); help texts are French catalogue messages
(``N_``) given in that language then. Every command also takes ``--langue``.
"""

from __future__ import annotations

import atexit
import copy
import functools
import gc
import signal
import sys
import threading
from pathlib import Path

import click

from . import __version__
from .base import i18n, paths
from .base.errors import EvaluationError
from .base.french_click import LocalGroup, PositiveInt, localise, localised_later
from .base.i18n import N_, _

LANGUAGE_OPTIONS = ("--langue", "--language")
_project_error: list[EvaluationError] = []  # a bad params/projet.yml, said by every command


def language_in_argv(argv: list[str]) -> str | None:
    """The value of ``--langue``/``--language`` in a command line (``--langue en`` or
    ``--langue=en``; the last one wins), if any."""
    found = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg in LANGUAGE_OPTIONS and i + 1 < len(argv):
            found = argv[i + 1]
        elif arg.split("=", 1)[0] in LANGUAGE_OPTIONS and "=" in arg:
            found = arg.split("=", 1)[1]
    return found


def choose_language(argv: list[str] | None = None) -> str:
    """Set the language of this process from the command line, the project file and the
    environment (strongest first); returns it.

    A bad ``langue:`` in the project file does not stop the choice: its error is kept and said
    by every command (in the language chosen without it). The file's other problems are said by
    the commands that read it, as before.
    """
    explicit = i18n.language_of(language_in_argv(sys.argv[1:] if argv is None else argv))
    project = None
    _project_error.clear()
    if explicit is None:
        from .core.project import project_language

        try:
            project = project_language()
        except EvaluationError as exc:
            _project_error.append(exc)
    return i18n.set_language(i18n.resolve_language(explicit, project))


def _prepare(args: list[str]) -> None:
    """What a command line does before Click parses it (never at import): choose the language,
    and give every help text in it (:func:`maroc_eval.base.french_click.localise`)."""
    choose_language(args)
    localise(main)


from .run.executors import DEFAULT_EXECUTOR, executors  # noqa: E402


def _reports_errors(func):
    """Turn the toolkit's errors into messages on stderr and exit statuses."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, _terminate)
        sys.unraisablehook = _quiet_loop_finalisers
        try:
            if _project_error:
                raise _project_error[0]
            return func(*args, **kwargs)
        except EvaluationError as exc:
            for line in exc.messages():
                click.echo(line, err=True)
            sys.exit(exc.exit_status)
        except OSError as exc:  # a path the user gave that the system refuses
            from .base.errors import os_message

            click.echo(_("Erreur : {message}").format(message=os_message(exc)), err=True)
            sys.exit(2)
        except Terminated:
            click.echo(_("Interrompu (signal de fin reçu)."), err=True)
            sys.exit(143)
        except KeyboardInterrupt:
            click.echo(_("Interrompu."), err=True)
            sys.exit(130)

    return wrapper


def _set_language(ctx, param, value) -> None:
    if value:
        i18n.set_language(value)


_language_option = click.option(
    *LANGUAGE_OPTIONS, "language", type=click.Choice(i18n.LANGUAGES), default=None,
    expose_value=False, is_eager=True, callback=_set_language,
    help=N_("Langue des messages, des carnets et des rapports : fr ou en (défaut : la clé "
           "langue de params/projet.yml, sinon LANG, sinon fr)."))


def _quiet_loop_finalisers(unraisable) -> None:
    """Keep one known piece of machinery noise from the user: an asyncio event loop of a kernel
    client, collected after an interrupted kernel's sockets were closed, fails to close them
    again (« Invalid file descriptor: -1 »). Nothing is lost; any other such report is printed."""
    if (isinstance(unraisable.exc_value, (OSError, ValueError))
            and "BaseEventLoop.__del__" in repr(unraisable.object)):
        return
    sys.__unraisablehook__(unraisable)


class Terminated(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl-C: outputs kept, ledger entries « interrompu », exit 143."""


def _terminate(signum, frame) -> None:
    raise Terminated


@click.group(cls=LocalGroup, context_settings={"help_option_names": ["-h", "--help", "--aide"]},
             help=N_("Évaluation de l'Intervention spécifique Maroc (2008-2012)."))
@click.version_option(__version__, "--version", "-V", prog_name="maroc-eval",
                      message="%(prog)s, version %(version)s",
                      help=N_("Afficher la version et quitter."))
@_language_option
def main() -> None:
    """Évaluation de l'Intervention spécifique Maroc (2008-2012)."""
    _quick_exit()


main.prepare = _prepare


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


def _data_folder(data_dir: Path | None) -> Path:
    """The data folder of a command: ``--donnees`` if given (said when it is not the project's),
    else the one ``params/projet.yml`` names; a write in it that a killed command left half
    done is finished or rolled back first (:func:`maroc_eval.base.transaction.recover`)."""
    from .base.errors import display_path, folder_problem
    from .base.transaction import recover
    from .core.project import load_project

    project = load_project()
    if data_dir is None:
        data_dir = project.data_dir
    else:
        folder_problem(data_dir, "--donnees")
    if paths.resolved(data_dir) != project.data_dir:
        click.echo(_("Données : {folder} (--donnees, pour cette commande ; le projet indique "
                     "{project} dans {source}).").format(
                         folder=display_path(data_dir), project=display_path(project.data_dir),
                         source=project.source), err=True)
    recover(Path(data_dir), echo=lambda line: click.echo(line, err=True))
    _warn_demonstration(Path(data_dir))
    return Path(data_dir)


def _warn_demonstration(data_dir: Path) -> None:
    """Say, on every command, that a project on real data still shows the demonstration's
    commissioner, team and calendar (:func:`maroc_eval.core.new_project.demonstration_warning`)."""
    from .core.new_project import demonstration_warning
    from .core.project import data_info

    warning = demonstration_warning(data_info(data_dir).fictitious,
                                    paths.evaluation_file(paths.PROGRAMME_FILE))
    if warning:
        click.echo(warning, err=True)


def _output_folder(outputs: Path, data_dir: Path | None = None) -> Path:
    """The output folder of a command, refused before anything is written when it would put the
    user's files at risk (:func:`maroc_eval.base.output_folder.check_output_folder`): the data
    folder of the command and the project's are guarded."""
    from .base.output_folder import check_output_folder
    from .core.project import load_project

    check_output_folder(outputs, (data_dir, load_project().data_dir))
    return Path(outputs)


PHASE_WORDS = {"mi-parcours": "midterm", "finale": "final", "toutes": "all"}
"""The French name of each phase value of ``--phase`` → the code it stands for (the codes of
``params/programme.yml``, ``midterm``, ``final`` and ``all``, are accepted too)."""


def _phase_code(ctx, param, value):
    """``--phase mi-parcours`` → ``midterm`` (a code of the programme is kept as typed)."""
    return PHASE_WORDS.get(value, value) if isinstance(value, str) else value


def _phase_option(default="all", text=None):
    return click.option(
        "--phase", default=default, metavar=N_("PHASE"), callback=_phase_code,
        help=text or N_("mi-parcours (midterm), finale (final) ou toutes (all) ; défaut : "
                        "toutes."))


_data_option = click.option(
    "--donnees", "data_dir", type=click.Path(path_type=Path), default=None, metavar=N_("DOSSIER"),
    help=N_("Dossier des données de suivi, pour cette commande (défaut : celui de "
           "params/projet.yml)."))

_programme_option = click.option(
    "--programme", "programme_file", type=click.Path(path_type=Path), metavar=N_("FICHIER"),
    default=paths.PROGRAMME_FILE,
    help=N_("Fichier de définition du programme (défaut : params/programme.yml)."),
)

_results_option = click.option(
    "--sorties", "--outputs", "outputs", type=click.Path(path_type=Path),
    default=paths.OUTPUTS_DIR, metavar=N_("DOSSIER"),
    help=N_("Dossier des résultats de maroc-eval executer (défaut : outputs)."))


_params_file_option = click.option(
    "-f", "--fichier-parametres", "--params-file", "params_files", multiple=True,
    type=click.Path(path_type=Path), metavar=N_("FICHIER"),
    help=N_("Fichier YAML de paramètres (répétable)."))
_param_option = click.option(
    "-p", "--parametre", "--param", "params", multiple=True, nargs=2, metavar=N_("NOM VALEUR"),
    help=N_("Paramètre d'un carnet (répétable), ex. -p threshold_on_track 0,8."))


@main.command("valider", short_help=N_("Valider les données de suivi et les appréciations."),
              help=N_("Valider les données de suivi et les appréciations (par défaut : le "
                     "dossier du projet).\n\nENTRÉES : fichiers CSV/XLSX, appreciations.yml ou "
                     "dossiers. Toutes les erreurs sont listées."))
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path),
                metavar=N_("[ENTRÉES]..."))
@_programme_option
@click.option("--encodage", "encoding", default=None, metavar=N_("ENCODAGE"),
              help=N_("Forcer l'encodage des CSV (utf-8, utf-8-sig, cp1252)."))
@click.option("--separateur", "separator", default=None, metavar=N_("SÉPARATEUR"),
              help=N_("Forcer le séparateur des CSV (, ou ;)."))
@_language_option
@_reports_errors
def validate(inputs, programme_file, encoding, separator) -> None:
    """Validate monitoring data and judgements (default: the project's data folder)."""
    from .base.transaction import recover
    from .core.validation import validate_inputs

    for path in inputs:  # a data folder given: a write a killed command left is ended first
        if Path(path).is_dir():
            recover(Path(path), echo=lambda line: click.echo(line, err=True))
    report = validate_inputs(list(inputs) or [_data_folder(None)], programme_file,
                             encoding=encoding, separator=separator)
    for line in report.lines():
        click.echo(line)
    sys.exit(report.exit_status)


@main.command("resume", short_help=N_("Afficher l'indice par RI et par partenariat."),
              help=N_("Afficher le tableau de synthèse des indicateurs (indice par RI et par "
                     "partenariat).\n\nChaque partenariat est jugé avec ses seuils "
                     "(params/programme.yml, params/phases/, params/pairs/, puis -f et -p), "
                     "comme dans les carnets et les rapports."))
@_language_option
@_programme_option
@_data_option
@_phase_option()
@click.option("--partenariat", "--pair", "pairs", multiple=True, metavar=N_("CODE"),
              help=N_("Partenariat (répétable ; défaut : tous)."))
@_params_file_option
@_param_option
@_reports_errors
def summary(programme_file, data_dir, phase, pairs, params_files, params) -> None:
    """Print the summary table of the indicators (index per RI and per pair)."""
    from .base.catalogue import BATTERY
    from .core.summary import print_summary
    from .run.parameters import command_layers

    outputs = paths.language_outputs(paths.OUTPUTS_DIR, i18n.language())
    explicit = command_layers(params_files, params, paths.NOTEBOOKS_DIR,
                              [s.stem for s in BATTERY], paths.parameters_cache_dir(outputs))
    print_summary(programme_file, _data_folder(data_dir), phase, echo=click.echo,
                  pairs=tuple(pairs), explicit=tuple(explicit))


@main.command("executer", short_help=N_("Exécuter les carnets (RI × partenariats × phases, "
                                       "puis synthèses)."),
              help=N_("Exécuter la batterie de carnets (RI × partenariats × phases, puis "
                     "synthèses)."))
@_language_option
@_programme_option
@_phase_option()
@click.option("--partenariat", "--pair", "pairs", multiple=True, metavar=N_("CODE"),
              help=N_("Partenariat (répétable ; défaut : tous)."))
@click.option("--ri", "ris", multiple=True, metavar="RI",
              help=N_("Résultat intermédiaire (RI1…RI7, répétable)."))
@_data_option
@click.option("--sorties", "outputs", type=click.Path(path_type=Path), default=paths.OUTPUTS_DIR,
              metavar=N_("DOSSIER"), help=N_("Dossier des résultats (défaut : outputs)."))
@click.option("--taches", "--jobs", "-j", "jobs", type=PositiveInt(), default=None,
              metavar="N",
              help=N_("Carnets exécutés en parallèle (défaut : nombre de processeurs + 1)."))
@click.option("--forcer", "--force", "force", is_flag=True,
              help=N_("Tout réexécuter, même ce qui est à jour."))
@_params_file_option
@_param_option
@click.option("--silencieux", "--quiet", "-q", "quiet", is_flag=True,
              help=N_("Sans barre de progression."))
@click.option("--executeur", "executor", type=click.Choice(executors.names()),
              default=DEFAULT_EXECUTOR,
              help=N_("Lancement des noyaux : « rapide » (noyaux préparés d'avance, copies d'un "
                   "processus qui a déjà tout importé, défaut) ou « simple » (papermill tel quel, "
                   "un noyau démarré pour chaque carnet). Mêmes résultats."))
@_reports_errors
def run(programme_file, phase, pairs, ris, data_dir, outputs, jobs, force, params_files, params,
        quiet, executor) -> None:
    """Run the battery of notebooks (RI × pairs × phases, then syntheses)."""
    from .core.dataset import DatasetCache
    from .run.executors import early_executor

    # Before the runner's heavy imports: the data are hashed (bytes only) and, if notebooks will
    # run, the executor starts what takes time (the fast one: its warm kernel process).
    data_dir = _data_folder(data_dir)
    outputs = _output_folder(outputs, data_dir)
    language = i18n.language()
    cache = DatasetCache(programme_file, data_dir, paths.language_outputs(outputs, language))
    kernels = early_executor(executor, cache, jobs, force=force)
    from .run.runner import RunOptions, run_battery

    result = run_battery(RunOptions(
        programme_file=programme_file, phase=phase, pairs=tuple(pairs), ris=tuple(ris),
        data_dir=data_dir, outputs=outputs, jobs=jobs, force=force,
        params_files=tuple(params_files), params=tuple(params), quiet=quiet, executor=executor,
        language=language,
    ), echo=click.echo, cache=cache, executor=kernels)
    sys.exit(result.exit_status)


@main.command("rapport", short_help=N_("Produire les rapports, les annexes Excel et l'index."),
              help=N_("Produire les rapports (HTML hors ligne, PDF, Word), les annexes Excel et "
                     "outputs/index.html.\n\nUn rapport dont les carnets, résultats et journal "
                     "n'ont pas changé depuis sa production est gardé tel quel (--forcer pour "
                     "tout refaire) ; ses versions PDF et Word ne sont refaites que si son HTML "
                     "a changé."))
@_language_option
@_programme_option
@_phase_option()
@_results_option
@click.option("--forcer", "--force", "force", is_flag=True,
              help=N_("Refaire tous les rapports, même ceux dont les entrées n'ont pas changé."))
@click.option("--formats", "formats", default="html,pdf,docx", metavar=N_("LISTE"),
              help=N_("Formats des rapports, séparés par des virgules, parmi html, pdf et docx "
                   "(défaut : html,pdf,docx ; le HTML est toujours produit, le PDF et le Word "
                   "en sont tirés)."))
@_reports_errors
def report(programme_file, phase, outputs, force, formats) -> None:
    """Produire les rapports (HTML hors ligne, PDF, Word), les annexes Excel et
    outputs/index.html.

    Un rapport dont les carnets, résultats et journal n'ont pas changé depuis sa production est
    gardé tel quel (--forcer pour tout refaire) ; ses versions PDF et Word ne sont refaites que
    si son HTML a changé.
    """
    from .core.project import load_project
    from .report.build import build_reports
    from .report.formats import parse_formats

    _warn_demonstration(load_project().data_dir)
    outputs = paths.language_outputs(_output_folder(outputs), i18n.language())  # English: en/
    index = build_reports(programme_file=programme_file, phase=phase, outputs=outputs,
                          echo=click.echo, force=force, formats=parse_formats(formats))
    click.echo(_("Rapports : {index}").format(index=index))


@main.command("comparer", short_help=N_("Dire ce qui a changé depuis le dernier rapport."),
              help=N_(
    "Dire ce qui a changé depuis le dernier rapport : pour chaque partenariat, les chiffres, "
    "statuts et notes qui ont bougé, les valeurs de suivi et les réglages en cause, et les "
    "constats de l'équipe à relire. La page outputs/changements.html (liée depuis l'index) "
    "compare de même les deux derniers rapports."))
@_language_option
@_programme_option
@_phase_option()
@_results_option
@_reports_errors
def comparer(programme_file, phase, outputs) -> None:
    """Say what changed since the last report (:mod:`maroc_eval.report.changes`)."""
    from .core.matrix import load_matrix
    from .core.programme import load_programme
    from .report.changes import compare_with_last_report, lines_of

    programme = load_programme(programme_file).localised()
    matrix = load_matrix(programme)
    outputs = paths.language_outputs(outputs, i18n.language())
    titles = {"resultats": _("résultats"), "donnees": _("valeurs de suivi en cause"),
              "reglages": _("réglages en cause"), "a_relire": _("constats à relire")}
    for code in programme.select_phases(phase):
        label = programme.phases[code].label
        comparison = compare_with_last_report(outputs, code, programme,
                                              matrix.localised() if matrix else None)
        if comparison is None:
            click.echo(_("{phase} : aucun rapport encore, rien à comparer.").format(phase=label))
            continue
        if comparison.empty:
            click.echo(_("{phase} : rien n'a changé depuis le dernier rapport.").format(
                phase=label))
            continue
        click.echo(_("{phase} : changements depuis le dernier rapport").format(phase=label))
        for pair, parts in sorted(lines_of(comparison, programme).items()):
            click.echo(f"  {pair}")
            for key, title in titles.items():
                for line in parts[key]:
                    click.echo(f"    {title} — {line}")


@main.command("formulaire", short_help=N_("Écrire les classeurs de saisie des communes."),
              help=N_("Écrire un classeur de saisie par partenariat (ou un XLSForm pour "
                     "Kobo/ODK)."))
@_language_option
@_programme_option
@_data_option
@click.option("--annees", "--years", "years", metavar=N_("ANNÉES"),
              help=N_("Années à collecter : 2011-2012, 2011 ou 2011,2012."))
@click.option("--partenariat", "--pair", "pairs", multiple=True, metavar=N_("CODE"),
              help=N_("Partenariat (répétable ; défaut : tous)."))
@click.option("--xlsform", is_flag=True,
              help=N_("Écrire un XLSForm (Kobo, ODK), pas les classeurs."))
@click.option("--echeance", "--deadline", "deadline", metavar="DATE",
              help=N_("Date limite de retour (instructions)."))
@click.option("--contact", metavar=N_("TEXTE"), help=N_("Personne à contacter (instructions)."))
@click.option("--sorties", "outputs", type=click.Path(path_type=Path),
              default=paths.forms_dir(paths.OUTPUTS_DIR), metavar=N_("DOSSIER"),
              help=N_("Dossier des formulaires (défaut : outputs/formulaires)."))
@_reports_errors
def formulaire(programme_file, data_dir, years, pairs, xlsform, deadline, contact,
               outputs) -> None:
    """Write one entry workbook per pair (or an XLSForm for Kobo/ODK)."""
    from .base.output_folder import claim_output_folder, is_fresh
    from .collect.request import make_forms

    data_dir = _data_folder(data_dir)
    fresh = is_fresh(_output_folder(outputs, data_dir))
    try:
        for path in make_forms(programme_file, data_dir, years, tuple(pairs), outputs,
                               xlsform=xlsform, deadline=deadline, contact=contact):
            click.echo(_("Formulaire : {path}").format(path=path))
    finally:
        if Path(outputs).is_dir():  # made by this command, or found empty: the toolkit's
            claim_output_folder(outputs, fresh)


@main.command("importer", short_help=N_("Relire les formulaires remplis, puis les fusionner."),
              help=N_("Lire des formulaires remplis, exports Kobo ou fichiers de suivi : "
                     "erreurs, différences, puis fusion avec --appliquer."))
@_language_option
@click.argument("files", nargs=-1, type=click.Path(path_type=Path),
                metavar=N_("FICHIERS..."))
@_programme_option
@_data_option
@click.option("--appliquer", "--apply", "apply", is_flag=True,
              help=N_("Fusionner les nouvelles valeurs."))
@click.option("--remplacer", "--replace", "replace", is_flag=True,
              help=N_("Avec --appliquer : remplacer aussi les valeurs modifiées."))
@click.option("--recu-le", "--received", "day", type=click.DateTime(["%Y-%m-%d"]),
              default=None, metavar=N_("AAAA-MM-JJ"),
              help=N_("Date de réception des fichiers (défaut : aujourd'hui)."))
@click.option("--saut-max", "--max-jump", "jump", type=click.FloatRange(min=1.0, min_open=True),
              default=3.0, show_default=True, metavar=N_("FACTEUR"),  # collect.diff.JUMP_FACTOR
              help=N_("Signaler une valeur qui s'écarte de la série du partenariat de plus de "
                     "FACTEUR fois sa variation habituelle d'une année à l'autre."))
@click.option("--attente", "--wait", "wait", type=click.FloatRange(min=0.0), default=30.0,
              show_default=True, metavar=N_("SECONDES"),
              help=N_("Avec --appliquer : attendre au plus SECONDES qu'une autre commande ait "
                     "fini d'écrire dans le dossier de données, puis renoncer."))
@_reports_errors
def importer(files, programme_file, data_dir, apply, replace, day, jump, wait) -> None:
    """Read filled forms, Kobo exports or monitoring files: errors, differences, then the merge
    with --apply."""
    from .collect.importer import import_files

    import_files(list(files), _data_folder(data_dir), programme_file, apply=apply,
                 replace=replace, day=day.date() if day else None, echo=click.echo,
                 warn=lambda line: click.echo(line, err=True), jump_factor=jump, wait=wait)


# -- the evaluation team's grid (issue 23) -------------------------------------------------------
@main.command("grille", short_help=N_("Écrire les grilles d'évaluation de l'équipe."), help=N_(
    "Écrire la grille d'évaluation de l'équipe : un classeur par partenariat (et pour le "
    "programme) et par phase, la matrice d'évaluation pour colonne vertébrale, les éléments de "
    "preuve verrouillés et le texte déjà enregistré de l'équipe."))
@_language_option
@_programme_option
@_data_option
@_phase_option()
@click.option("--partenariat", "--pair", "pairs", multiple=True, metavar=N_("CODE"),
              help=N_("Partenariat (répétable ; défaut : tous, et le programme)."))
@click.option("--programme-seul", "--programme-only", "programme_only", is_flag=True,
              help=N_("Seulement la grille du programme."))
@click.option("--sorties", "outputs", type=click.Path(path_type=Path),
              default=paths.grids_dir(paths.OUTPUTS_DIR), metavar=N_("DOSSIER"),
              help=N_("Dossier des grilles (défaut : outputs/grilles)."))
@click.option("--remplacer", "--replace", "replace", is_flag=True,
              help=N_("Remplacer une grille qui contient du texte non encore importé."))
@_reports_errors
def grille(programme_file, data_dir, phase, pairs, programme_only, outputs, replace) -> None:
    """Write the evaluation team's grids (one workbook per pair, and the programme, and phase)."""
    from .grid.request import make_grids

    for path in make_grids(programme_file, _data_folder(data_dir), outputs, phase=phase,
                           pairs=tuple(pairs), programme_only=programme_only, replace=replace):
        click.echo(_("Grille : {path}").format(path=path))


@main.command("importer-grille", short_help=N_("Relire les grilles remplies par l'équipe."),
              help=N_(
    "Relire des grilles remplies par l'équipe : erreurs à leur cellule, ce qui a changé depuis "
    "le dernier import, puis enregistrement avec --appliquer."))
@_language_option
@click.argument("files", nargs=-1, type=click.Path(path_type=Path), metavar=N_("FICHIERS..."))
@_programme_option
@_data_option
@click.option("--appliquer", "--apply", "apply", is_flag=True,
              help=N_("Enregistrer les textes dans le dossier de données."))
@_reports_errors
def importer_grille(files, programme_file, data_dir, apply) -> None:
    """Read filled grids back: errors, changes, then the store written with --apply."""
    from .grid.importer import import_grids

    import_grids(list(files), _data_folder(data_dir), programme_file, apply=apply,
                 echo=click.echo)


@main.command("signer", short_help=N_("Signer le rapport d'un partenariat ou du programme."),
              help=N_(
    "Signer le rapport d'un partenariat (ou du programme) pour une phase : la version signée "
    "(rapports HTML, PDF, Word, annexe Excel, appréciations de l'équipe et empreintes SHA-256 "
    "de toutes les entrées) est gardée dans <données>/signatures/<phase>/<partenariat>/v<version>"
    "/, jamais remplacée.\n\nRefusé tant qu'une place est « à compléter », qu'un contrôle n'est "
    "ni corrigé ni répondu, ou que les rapports ne sont pas à jour des entrées."))
@_language_option
@_programme_option
@_data_option
@_phase_option(None, N_("mi-parcours (midterm) ou finale (final)."))
@click.option("--partenariat", "--pair", "pair", metavar=N_("CODE"),
              help=N_("Le partenariat dont le rapport est signé."))
@click.option("--rapport-programme", "--programme-report", "programme_report", is_flag=True,
              help=N_("Signer le rapport du programme (au lieu de --partenariat)."))
@click.option("--signataire", "--signatory", "signatories", multiple=True,
              metavar=N_("« NOM, FONCTION »"),
              help=N_("Qui signe (répétable ; défaut : les membres de l'équipe marqués "
                     "« signataire: true » dans params/evaluation.yml)."))
@click.option("--date-signature", "--signed-on", "signed_on", type=click.DateTime(["%Y-%m-%d"]),
              default=None, metavar=N_("AAAA-MM-JJ"),
              help=N_("Date de la signature (défaut : aujourd'hui)."))
@click.option("--sorties", "--outputs", "outputs", type=click.Path(path_type=Path),
              default=paths.OUTPUTS_DIR, metavar=N_("DOSSIER"),
              help=N_("Dossier des rapports à signer (défaut : outputs)."))
@_reports_errors
def signer(programme_file, data_dir, phase, pair, programme_report, signatories, signed_on,
           outputs) -> None:
    """Sign the report of a pair (or the programme) at a phase."""
    from .base.errors import ParameterError
    from .signoff.readiness import Request
    from .signoff.sign import sign_report

    if not phase:
        raise ParameterError(_("Donnez la phase du rapport à signer : --phase mi-parcours ou "
                               "--phase finale."))
    if bool(pair) == programme_report:
        raise ParameterError(_("Donnez soit --partenariat CODE, soit --rapport-programme."))
    sign_report(Request(programme_file, _data_folder(data_dir),
                        paths.language_outputs(outputs, i18n.language()), phase,
                        "programme" if programme_report else pair, tuple(signatories),
                        signed_on.date() if signed_on else None), echo=click.echo)


@main.command("nouveau-projet", short_help=N_("Commencer une évaluation sur des données réelles."),
              help=N_(
    "Commencer une évaluation sur des données réelles : un dossier data/NOM/ (donnees.yml « "
    "fictives: false », un dossier appreciations/, un .gitignore qui garde les données des "
    "communes hors de git), une matrice params/evaluation-NOM.yml sans le commanditaire, "
    "l'équipe ni le calendrier de la démonstration, et params/projet.yml pointé sur les deux. "
    "L'échantillon de démonstration reste tel quel."))
@_language_option
@click.argument("name", metavar=N_("NOM"))
@_reports_errors
def nouveau_projet(name) -> None:
    """Start a real evaluation project (:func:`maroc_eval.core.new_project.start_project`)."""
    from .base.errors import display_path
    from .core.new_project import start_project

    made = start_project(name)
    click.echo(_("Projet « {name} » :").format(name=name))
    for label, path in ((_("données"), made.data_dir), (_("matrice"), made.evaluation_file),
                        (_("projet"), made.project_file)):
        click.echo(f"  {label} : {display_path(path)}")
    click.echo(_("Ensuite : complétez le commanditaire, l'équipe et le calendrier dans {file}, "
                 "puis envoyez les formulaires aux communes (maroc-eval formulaire).").format(
                     file=display_path(made.evaluation_file)))




def _english_name(command: click.Command, name: str) -> None:
    """The same command under its English name (listed as such): every command has one
    French name, and the English one as an alias."""
    alias = copy.copy(command)
    alias.name = name
    alias.short_help = N_("Nom anglais de « {name} ».")
    localised_later(alias, name=command.name)
    main.add_command(alias, name)


ENGLISH_NAMES = {"valider": "validate", "resume": "summary", "executer": "run",
                 "rapport": "report", "formulaire": "form", "importer": "import",
                 "grille": "grid", "importer-grille": "import-grid", "signer": "sign",
                 "comparer": "compare", "nouveau-projet": "init"}
"""Each command's French name → its English alias."""
for _french, _english in ENGLISH_NAMES.items():
    _english_name(main.commands[_french], _english)


if __name__ == "__main__":  # pragma: no cover
    main()
