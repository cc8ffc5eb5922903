"""The project's decisions, recorded once: the data folder, and what it says of itself.

``params/projet.yml`` names the language (``langue: fr`` or ``en``, see :mod:`maroc_eval.base.i18n`)
and the data folder that ``validate``, ``summary``, ``run``, ``report`` and
``make report`` use (``--donnees`` overrides it for one command, and the command says so). A data
folder describes itself in ``donnees.yml``: whether its data are fictitious, in a sentence. A
report's « Données fictives » notice comes from there, never from where the folder lies: real
data placed in ``data/sample`` are not labelled fictitious, and the sample keeps its notice
wherever it is copied.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..base import paths
from ..base.errors import InputError, ProblemList
from ..base.i18n import LANGUAGES, _

KEYS = ("donnees", "evaluation", "langue")
"""The keys of the project file."""


@dataclass(frozen=True)
class Project:
    """What ``params/projet.yml`` decides.

    Attributes
    ----------
    data_dir : Path
        The data folder (absolute).
    source : str
        Where it was decided (the project file, as shown in messages).
    language : str or None
        The language of messages, notebooks and reports (``fr`` or ``en``), if the file says.
    evaluation_file : Path or None
        The evaluation matrix the file names (``evaluation:``), if it names one (else the
        ``evaluation.yml`` beside the programme file).
    """

    data_dir: Path
    source: str
    language: str | None = None
    evaluation_file: Path | None = None


@dataclass(frozen=True)
class DataInfo:
    """What a data folder says of itself (``donnees.yml``).

    Attributes
    ----------
    fictitious : bool
        The data are invented (a sample for demonstrations and tests).
    description : str
        One sentence for the reports (« Échantillon de démonstration… »).
    """

    fictitious: bool = False
    description: str = ""


def load_project(path: Path | str | None = None) -> Project:
    """Read the project file; without one, the embedded sample is the data folder.

    Raises
    ------
    InputError
        The file is not valid YAML, has unknown keys, names a folder that does not exist or a
        language the toolkit does not speak.
    """
    from .yamlio import load_yaml  # PyYAML only when there is a file to read

    path = Path(path or paths.PROJECT_FILE)
    if not path.is_file():
        return Project(paths.SAMPLE_DIR, _("maroc-eval (aucun fichier params/projet.yml)"))
    doc = load_yaml(path)
    problems = ProblemList()
    data = doc.data if isinstance(doc.data, dict) else {}
    if not isinstance(doc.data, dict | None):
        problems.add(doc.file, 1, None, None, _("un dictionnaire « donnees: dossier »"),
                     kind="project")
    for key in data:
        if key not in KEYS:
            problems.add(doc.file, doc.line_of((key,)), str(key), key,
                         _("une clé connue : {keys}").format(keys=", ".join(KEYS)), kind="project")
    raw = data.get("donnees", "data/sample")
    folder = Path(str(raw))
    folder = folder if folder.is_absolute() else paths.PROJ_ROOT / folder
    if not folder.is_dir():
        problems.add(doc.file, doc.line_of(("donnees",)), "donnees", raw,
                     _("un dossier de données existant (relatif à la racine du projet)"),
                     kind="project")
    language = _language_problem(doc, problems)
    evaluation = data.get("evaluation")
    chosen = None
    if evaluation is not None:
        chosen = Path(str(evaluation))
        chosen = chosen if chosen.is_absolute() else paths.PROJ_ROOT / chosen
        if not isinstance(evaluation, str) or chosen.suffix not in (".yml", ".yaml") \
                or not chosen.is_file():
            problems.add(doc.file, doc.line_of(("evaluation",)), "evaluation", evaluation,
                         _("un fichier de matrice d'évaluation existant (.yml, relatif à la "
                           "racine du projet)"), kind="project")
    problems.raise_if_errors()
    return Project(paths.resolved(folder), doc.file, language,
                   paths.resolved(chosen) if chosen is not None else None)


_PLAIN_LANGUAGE = re.compile(r"^langue[ \t]*:[ \t]*(?P<value>[^#\s]*)[ \t]*(?:#.*)?$", re.M)


def _language_problem(doc, problems: ProblemList) -> str | None:
    """The ``langue:`` of a read project file, if valid; a located problem otherwise."""
    data = doc.data if isinstance(doc.data, dict) else {}
    language = data.get("langue")
    if language is not None and language not in LANGUAGES:
        problems.add(doc.file, doc.line_of(("langue",)), "langue", language,
                     _("une langue parmi {choices}").format(choices=", ".join(LANGUAGES)),
                     kind="project")
        return None
    return language


def project_language(path: Path | str | None = None) -> str | None:
    """The ``langue:`` of the project file (``None`` when it has none, or has no file).

    Only the language is checked here (the command line reads it before any command runs);
    other problems of the file are said by the commands that read it (:func:`load_project`).

    Raises
    ------
    InputError
        ``langue:`` is not a language the toolkit speaks (file, line, key, value).
    """
    path = Path(path or paths.PROJECT_FILE)
    if not path.is_file():
        return None
    # The usual file is read without PyYAML (the command line starts faster): a plain
    # « langue: fr » line decides; anything else is read as YAML, for a located error.
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    plain = _PLAIN_LANGUAGE.search(text)
    if plain and plain["value"].strip("'\"") in LANGUAGES:
        return plain["value"].strip("'\"")
    if not plain and "langue" not in text:
        return None
    from .yamlio import load_yaml

    try:
        doc = load_yaml(path)
    except InputError:
        return None  # said by the commands that read the project
    problems = ProblemList()
    language = _language_problem(doc, problems)
    problems.raise_if_errors()
    return language


def data_info(data_dir: Path | str) -> DataInfo:
    """What a data folder says of itself; a folder without ``donnees.yml`` says nothing.

    Raises
    ------
    InputError
        ``donnees.yml`` is not valid YAML, or ``fictives`` is not true/false.
    """
    from .yamlio import load_yaml

    path = Path(data_dir) / paths.DATA_INFO_FILE
    if not path.is_file():
        return DataInfo()
    doc = load_yaml(path)
    data = doc.data if isinstance(doc.data, dict) else {}
    fictitious = data.get("fictives", False)
    if not isinstance(fictitious, bool):
        problems = ProblemList()
        problems.add(doc.file, doc.line_of(("fictives",)), "fictives", fictitious,
                     _("vrai ou faux (true/false)"), kind="data-info")
        raise InputError(problems)
    return DataInfo(fictitious, str(data.get("description") or ""))
