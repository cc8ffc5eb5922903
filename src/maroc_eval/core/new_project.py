"""Start a real evaluation: its own data folder, an evaluation matrix without the demonstration's
text, the project file pointed at both, and the communes' data kept out of git.

The demonstration (``data/sample`` and the sample's commissioner, team and calendar in
``params/evaluation.yml``) stays as it is: a new project is written beside it, and the project file
(``params/projet.yml``) is the only file changed in place — its ``donnees:`` and ``evaluation:``
lines, its comments kept. Every file is written whole or not at all; nothing is written when any
check fails.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..base import paths
from ..base.atomic import write_atomic
from ..base.errors import ParameterError, display_path
from ..base.i18n import _
from .yamlio import load_yaml

DEMO_KEYS = ("demonstration", "commanditaire", "equipe", "calendrier")
"""The top-level keys of the matrix that belong to the demonstration, not to the method."""
_TOP_KEY = re.compile(r"^(?P<key>[A-Za-z_]+)[ \t]*:")
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,40}$")


@dataclass(frozen=True)
class NewProject:
    """What :func:`start_project` wrote.

    Attributes
    ----------
    data_dir : Path
        The new data folder.
    evaluation_file : Path
        The new evaluation matrix.
    project_file : Path
        The project file, now naming both.
    """

    data_dir: Path
    evaluation_file: Path
    project_file: Path


def matrix_without_demonstration(text: str) -> str:
    """The matrix's text with the demonstration's commissioner, team and calendar emptied
    (and its ``demonstration`` key removed); the questions, criteria, scale, checks and every
    comment of the method kept as written.

    Examples
    --------
    >>> text = "demonstration: true\\ncommanditaire: X\\nequipe:\\n  - nom: A\\nsources: {a: b}\\n"
    >>> print(matrix_without_demonstration(text), end="")
    commanditaire: ""  # à compléter : qui commande l'évaluation
    equipe: []  # à compléter : - {nom: …, role: …, signataire: true}
    sources: {a: b}
    """
    blanks = {
        "commanditaire": 'commanditaire: ""  # ' + _("à compléter : qui commande l'évaluation"),
        "equipe": "equipe: []  # " + _("à compléter : - {nom: …, role: …, signataire: true}"),
        "calendrier": "calendrier: {}  # " + _(
            "à compléter : <phase>: {debut_mission: AAAA-MM-JJ, fin_mission: AAAA-MM-JJ, "
            "remise: AAAA-MM-JJ}"),
    }
    out: list[str] = []
    skipping = False
    for line in text.splitlines():
        top = _TOP_KEY.match(line)
        if top:
            key = top["key"]
            skipping = key in DEMO_KEYS
            if key in blanks:
                out.append(blanks[key])
            if skipping:
                continue
        elif skipping and (line.startswith((" ", "\t")) or not line.strip()):
            continue
        else:
            skipping = False
        out.append(line)
    # the demonstration's own comment (above its key) says nothing of the new file: dropped
    cleaned = "\n".join(out) + "\n"
    return re.sub(r"(?m)^# demonstration :.*\n(?:#   .*\n)*", "", cleaned)


def _point_project_file(text: str, data_dir: str, evaluation: str) -> str:
    """The project file's text with ``donnees:`` and ``evaluation:`` set (comments kept)."""
    lines = text.splitlines()
    found = {"donnees": False, "evaluation": False}
    values = {"donnees": data_dir, "evaluation": evaluation}
    for i, line in enumerate(lines):
        top = _TOP_KEY.match(line)
        if top and top["key"] in values:
            lines[i] = f"{top['key']}: {values[top['key']]}"
            found[top["key"]] = True
    for key in ("donnees", "evaluation"):
        if not found[key]:
            lines.append(f"{key}: {values[key]}")
    return "\n".join(lines) + "\n"


def _relative(path: Path) -> str:
    """A path as the project file writes it: relative to the project's root when inside."""
    try:
        return path.relative_to(paths.PROJ_ROOT).as_posix()
    except ValueError:
        return path.as_posix()


def start_project(name: str, *, project_file: Path | None = None) -> NewProject:
    """Write a new evaluation project named ``name``: ``data/<name>/`` and
    ``params/evaluation-<name>.yml``, and point ``params/projet.yml`` at them.

    Parameters
    ----------
    name : str
        A short name in lower case (« reel », « evaluation-2012 »): the folder's and the
        matrix's.
    project_file : Path, optional
        Default: ``params/projet.yml``.

    Raises
    ------
    ParameterError
        The name is not a short lower-case name, or the folder or the matrix already exists.
    """
    if not _NAME.match(name) or name == "sample":
        raise ParameterError(_("Nom de projet « {name} » : attendu un nom court en minuscules "
                               "(lettres, chiffres, - ou _), autre que « sample »").format(
                                   name=name))
    project_file = Path(project_file or paths.PROJECT_FILE)
    data_dir = paths.DATA_DIR / name
    evaluation = paths.PARAMS_DIR / f"evaluation-{name}.yml"
    for path in (data_dir, evaluation):
        if path.exists() or path.is_symlink():
            raise ParameterError(_("{path} existe déjà : choisissez un autre nom de projet "
                                   "(rien n'a été écrit).").format(path=display_path(path)))
    template = paths.evaluation_file(paths.PROGRAMME_FILE, project_file)
    load_yaml(template)  # a located error before anything is written
    matrix = matrix_without_demonstration(template.read_text("utf-8"))
    project_text = project_file.read_text("utf-8") if project_file.is_file() else ""

    data_dir.mkdir(parents=True)
    try:
        (data_dir / paths.APPRAISALS_DIRNAME).mkdir()
        write_atomic(data_dir / paths.DATA_INFO_FILE, _(
            "# Ce que ce dossier de données dit de lui-même (lu par maroc-eval).\n"
            "# fictives : false → données réelles ; aucun rapport ne porte « Données fictives ».\n"
            "fictives: false\n"
            "# description : une phrase sur l'origine des données, reprise dans les rapports.\n"
            "description: \"\"\n"))
        write_atomic(data_dir / ".gitignore", _(
            "# Les données des communes restent hors de git : seuls ce fichier et donnees.yml\n"
            "# sont suivis. Pour versionner les données, l'équipe supprime la ligne « * ».\n"
            "*\n!.gitignore\n!donnees.yml\n"))
        write_atomic(evaluation, matrix)
        write_atomic(project_file, _point_project_file(
            project_text, _relative(data_dir), _relative(evaluation)))
    except BaseException:
        for path in (evaluation, data_dir / ".gitignore", data_dir / paths.DATA_INFO_FILE):
            path.unlink(missing_ok=True)
        for folder in (data_dir / paths.APPRAISALS_DIRNAME, data_dir):
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
        if project_text:
            write_atomic(project_file, project_text)
        raise
    return NewProject(data_dir, evaluation, project_file)


def demonstration_warning(data_fictitious: bool, evaluation_file: Path) -> str | None:
    """The warning every command gives while a project on real data still has the
    demonstration's commissioner, team and calendar (``demonstration: true``), or ``None``."""
    if data_fictitious or not evaluation_file.is_file():
        return None
    text = evaluation_file.read_text("utf-8-sig", errors="replace")
    if not re.search(r"(?m)^demonstration[ \t]*:[ \t]*(?:true|True|oui)\b", text):
        return None
    return _("Attention : les données sont réelles, mais {file} porte encore le commanditaire, "
             "l'équipe et le calendrier de la démonstration (« demonstration: true ») : "
             "remplacez-les et retirez cette clé, ou lancez « maroc-eval nouveau-projet NOM »."
             ).format(file=display_path(evaluation_file))
