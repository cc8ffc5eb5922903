"""Every path the toolkit uses, built in one place from the package's location.

Nothing else in the project hard-codes a path: modules, notebooks and tests ask this module.
Setting ``MAROC_EVAL_ROOT`` points the toolkit at another project root (used by tests and the
benchmark to work on a copy).
"""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[1]
"""The package, ``src/maroc_eval`` (this module lives in its ``base`` folder)."""
LOCALE_DIR = Path(os.environ.get("MAROC_EVAL_LOCALE") or PACKAGE_DIR / "locale")
"""The gettext catalogues (:mod:`maroc_eval.base.i18n`): ``<lang>/LC_MESSAGES/maroc_eval.po``
(``MAROC_EVAL_LOCALE`` names another folder, for tests)."""
PROJ_ROOT = Path(os.environ.get("MAROC_EVAL_ROOT") or PACKAGE_DIR.parents[1]).resolve()

UNIX_SOCKET_MAX = 107
"""The longest path a Unix socket may have (Linux's ``sun_path`` holds 108 bytes, its final NUL
included): under a longer temporary folder, no socket can be made there."""

PARAMS_DIR = PROJ_ROOT / "params"
PROGRAMME_FILE = PARAMS_DIR / "programme.yml"
PROJECT_FILE = PARAMS_DIR / "projet.yml"
PHASE_PARAMS_DIR = PARAMS_DIR / "phases"
PAIR_PARAMS_DIR = PARAMS_DIR / "pairs"

DATA_DIR = PROJ_ROOT / "data"
SAMPLE_DIR = DATA_DIR / "sample"
SAMPLE_OBSERVATIONS = SAMPLE_DIR / "suivi.csv"

NOTEBOOKS_DIR = PROJ_ROOT / "notebooks"
TEMPLATES_DIR = PROJ_ROOT / "templates"
REPORT_TEMPLATE = "rapport"
FRAGMENT_TEMPLATES = "fragments"
"""Folder of ``templates/`` with the HTML fragments notebooks and reports render."""
INDEX_TEMPLATE = "index"
"""Folder of ``templates/`` with the index page (``index.html.j2``, its CSS in ``static/``)."""
OUTPUTS_DIR = PROJ_ROOT / "outputs"
REFERENCE_DOCX = TEMPLATES_DIR / "word" / "reference.docx"
"""The styles of the Word reports: pandoc's reference doc (``scripts/make_reference_docx.py``)."""
CHROMIUM = Path(os.environ.get("MAROC_EVAL_CHROMIUM") or "/usr/bin/chromium")
"""The browser that prints the PDF reports: Debian's ``chromium``, never a downloaded one."""

OBSERVATION_SUFFIXES = (".csv", ".xlsx")
APPRAISALS_DIRNAME = "appreciations"
"""Sub-folder of a data folder holding the evaluation team's appraisals, one YAML file per pair
(or ``programme``) and phase: ``appreciations/<phase>/<who>.yml``
(:mod:`maroc_eval.core.appraisal_store`)."""
SIGNATURES_DIRNAME = "signatures"
"""Sub-folder of a data folder holding the signed versions of the reports
(``signatures/<phase>/<who>/v<version>/``), never overwritten."""
DATA_INFO_FILE = "donnees.yml"
"""What a data folder says of itself (fictitious or not): :mod:`maroc_eval.core.project`."""
BUDGET_FILENAME = "budget.csv"
"""The planned and executed budget of a data folder (:mod:`maroc_eval.core.budget`); never
monitoring data."""
SAMPLE_BUDGET = SAMPLE_DIR / BUDGET_FILENAME


def resolved(path: Path | str) -> Path:
    """A path made absolute, its symbolic links followed: the one place paths are resolved.

    Parameters
    ----------
    path : Path or str

    Returns
    -------
    Path

    Raises
    ------
    OSError
        ``errno.ELOOP`` for a symbolic link that leads back to itself (Python before 3.13 raises
        ``RuntimeError`` there, which no caller expects): the commands turn it into a message.
    """
    try:
        return Path(path).resolve()
    except RuntimeError:
        raise OSError(errno.ELOOP, os.strerror(errno.ELOOP), str(path)) from None


FILE, FOLDER, MISSING, LOOP, DANGLING, SPECIAL, UNREADABLE = (
    "file", "folder", "missing", "loop", "dangling", "special", "unreadable")
"""What a path given by the user is (:func:`path_kind`)."""


def path_kind(path: Path | str) -> str:
    """What a path is: :data:`FILE` (a regular file), :data:`FOLDER`, :data:`MISSING`,
    :data:`LOOP` (a symbolic link leading back to itself), :data:`DANGLING` (a symbolic link to
    nothing), :data:`SPECIAL` (a pipe, a device: never read, it may never end) or
    :data:`UNREADABLE` (the system refuses to look: permission denied…).

    Symbolic links to a file or a folder are what they lead to.
    """
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return LOOP
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            return DANGLING if os.path.islink(path) else MISSING
        return UNREADABLE
    if stat.S_ISDIR(mode):
        return FOLDER
    return FILE if stat.S_ISREG(mode) else SPECIAL


def budget_file(data_dir: Path) -> Path:
    """The budget file of a data folder: ``<data_dir>/budget.csv`` (it may not exist)."""
    return Path(data_dir) / BUDGET_FILENAME


EVALUATION_FILENAME = "evaluation.yml"
"""The evaluation matrix, beside the programme file (:mod:`maroc_eval.core.matrix`)."""


_EVALUATION_LINE = re.compile(
    r"^evaluation[ \t]*:[ \t]*(?P<q>[\"']?)(?P<file>[^\"'#\n]+?)(?P=q)[ \t]*(?:#.*)?$", re.M)


def evaluation_file(programme_file: Path, project_file: Path | None = None) -> Path:
    """The evaluation matrix of a programme file: the one the project file names
    (``evaluation: params/evaluation-reel.yml``, relative to the project's root) when the
    programme is the project's own, else ``evaluation.yml`` in the programme's folder.

    Only a plain ``evaluation:`` line of the project file is read here; the project file's
    reader (:func:`maroc_eval.core.project.load_project`) checks it and says what is wrong.
    """
    programme_file = Path(programme_file)
    default = programme_file.parent / EVALUATION_FILENAME
    project_file = Path(project_file or PROJECT_FILE)
    if programme_file.resolve() != PROGRAMME_FILE.resolve() or not project_file.is_file():
        return default
    found = _EVALUATION_LINE.search(project_file.read_text("utf-8-sig", errors="replace"))
    if found is None:
        return default
    chosen = Path(found["file"].strip())
    return chosen if chosen.is_absolute() else PROJ_ROOT / chosen


def settings_dirs(programme_file: Path) -> tuple[Path, Path]:
    """The folders of phase and pair parameter files, beside the programme file.

    ``params/phases/<phase>.yml`` and ``params/pairs/<pair>.yml`` for ``params/programme.yml``:
    a notebook and ``maroc-eval run`` find them the same way.
    """
    folder = resolved(programme_file).parent
    return folder / "phases", folder / "pairs"


def data_files(data_dir: Path) -> tuple[list[Path], list[Path]]:
    """Find the monitoring files and the team's appraisal files of a data folder.

    Parameters
    ----------
    data_dir : Path
        Folder holding the communes' monitoring files (CSV, XLSX) and the ``appreciations``
        folder.

    Returns
    -------
    tuple of list of Path
        Monitoring files sorted by name, then the appraisal files
        (``appreciations/<phase>/<who>.yml``) sorted by path. The budget file
        (:data:`BUDGET_FILENAME`) is not monitoring data: :func:`budget_file` names it. A name
        that cannot be read as a file (a symbolic link loop, a link to nothing, a pipe) is
        listed too: its reader refuses it by name, rather than the data being read without it.
    """
    data_dir = Path(data_dir)
    observations = sorted(
        p for p in data_dir.iterdir()
        if p.suffix.lower() in OBSERVATION_SUFFIXES and not p.name.startswith("~$")
        and p.name.lower() != BUDGET_FILENAME and path_kind(p) != FOLDER
    )
    root = appraisals_dir(data_dir)
    appraisals = (sorted(p for p in root.glob("*/*") if path_kind(p) != FOLDER)
                  if root.is_dir() else [])
    return observations, appraisals


def appraisals_dir(data_dir: Path) -> Path:
    """The evaluation team's appraisals of a data folder: ``<data>/appreciations``."""
    return Path(data_dir) / APPRAISALS_DIRNAME


def signatures_dir(data_dir: Path) -> Path:
    """The signed versions of the reports: ``<data>/signatures``."""
    return Path(data_dir) / SIGNATURES_DIRNAME


def signature_dir(data_dir: Path, phase: str, who: str) -> Path:
    """The signed versions of one report: ``<data>/signatures/<phase>/<who>`` (``who``: a pair
    code or ``programme``)."""
    return signatures_dir(data_dir) / phase / who


def signed_version_dir(data_dir: Path, phase: str, who: str, version: str) -> Path:
    """One signed version: ``<data>/signatures/<phase>/<who>/v<version>`` (never overwritten)."""
    return signature_dir(data_dir, phase, who) / f"v{version}"


def grids_dir(outputs: Path) -> Path:
    """Where ``maroc-eval grille`` writes the evaluation grids: ``outputs/grilles``."""
    return Path(outputs) / "grilles"


DATA_LOCK_FILENAME = ".maroc-eval-donnees.lock"
"""The lock file of a data folder: held while a command writes into the folder."""


def data_lock_path(data_dir: Path) -> Path:
    """The lock that stops two commands writing into the same data folder at once:
    ``<data>/.maroc-eval-donnees.lock`` (never read as data)."""
    return Path(data_dir) / DATA_LOCK_FILENAME


def interactive_dir(outputs: Path) -> Path:
    """Where notebooks run outside ``maroc-eval run`` write: ``outputs/interactif``.

    JupyterLab's *Run All* or plain papermill never write over the runner's results.
    """
    return Path(outputs) / "interactif"


def language_outputs(outputs: Path, lang: str) -> Path:
    """The outputs of one language: ``outputs`` in French, ``outputs/<lang>`` otherwise.

    French and English runs and reports never overwrite each other.
    """
    return Path(outputs) if lang == "fr" else Path(outputs) / lang


def phase_dir(outputs: Path, phase: str) -> Path:
    """Folder of one phase's outputs: ``outputs/<phase>``."""
    return Path(outputs) / phase


def pair_dir(outputs: Path, phase: str, pair: str) -> Path:
    """Folder of one pair's outputs for a phase: ``outputs/<phase>/<pair>``."""
    return phase_dir(outputs, phase) / pair


def programme_dir(outputs: Path, phase: str) -> Path:
    """Folder of the programme synthesis for a phase: ``outputs/<phase>/programme``."""
    return phase_dir(outputs, phase) / "programme"


def sidecar_path(notebook_output: Path) -> Path:
    """The JSON sidecar written beside an executed notebook (``<stem>.json``)."""
    return Path(notebook_output).with_suffix(".json")


def ledger_path(outputs: Path, phase: str) -> Path:
    """The run ledger of a phase: ``outputs/<phase>/ledger.json``."""
    return phase_dir(outputs, phase) / "ledger.json"


def lock_path(outputs: Path) -> Path:
    """The lock file that stops two runs on the same output folder."""
    return Path(outputs) / ".maroc-eval.lock"


def dataset_cache_dir(outputs: Path) -> Path:
    """Where validated inputs are kept for a run's notebooks: ``outputs/.cache/donnees``."""
    return Path(outputs) / ".cache" / "donnees"


def last_data_key_path(outputs: Path) -> Path:
    """The key of the data the last run validated.

    ``outputs/.cache/donnees/derniere-execution.txt``.
    """
    return dataset_cache_dir(outputs) / "derniere-execution.txt"


def parameters_cache_dir(outputs: Path) -> Path:
    """Where the notebooks' parameters cells, as papermill reads them, are kept between runs."""
    return Path(outputs) / ".cache" / "parametres"


def dataset_cache_path(cache_dir: Path, key: str) -> Path:
    """One entry of the validated-inputs cache."""
    return Path(cache_dir) / f"{key}.pickle"


def index_path(outputs: Path) -> Path:
    """The report index: ``outputs/index.html``."""
    return Path(outputs) / "index.html"


def changes_page_path(outputs: Path) -> Path:
    """The page of what changed between the last two reports: ``outputs/changements.html``."""
    return Path(outputs) / "changements.html"


def reported_state_path(outputs: Path, phase: str, which: str = "courant") -> Path:
    """What the last report of a phase was made of (``courant``) and the one before it
    (``precedent``): ``outputs/.etats/<phase>-<which>.json``."""
    return Path(outputs) / ".etats" / f"{phase}-{which}.json"


def pair_report_path(outputs: Path, phase: str, pair: str) -> Path:
    """The HTML report of a pair for a phase."""
    return pair_dir(outputs, phase, pair) / f"rapport-{phase}-{pair}.html"


def pair_annex_path(outputs: Path, phase: str, pair: str) -> Path:
    """The Excel annex of a pair for a phase."""
    return pair_dir(outputs, phase, pair) / f"annexe-{phase}-{pair}.xlsx"


def programme_report_path(outputs: Path, phase: str) -> Path:
    """The HTML programme report of a phase."""
    return programme_dir(outputs, phase) / f"rapport-{phase}-programme.html"


def report_format_path(report: Path, fmt: str) -> Path:
    """The ``pdf`` or ``docx`` version of an HTML report, beside it (same name, other suffix)."""
    return Path(report).with_suffix(f".{fmt}")


def pair_report_pdf_path(outputs: Path, phase: str, pair: str) -> Path:
    """The PDF report of a pair for a phase."""
    return report_format_path(pair_report_path(outputs, phase, pair), "pdf")


def pair_report_docx_path(outputs: Path, phase: str, pair: str) -> Path:
    """The Word report of a pair for a phase."""
    return report_format_path(pair_report_path(outputs, phase, pair), "docx")


def programme_report_pdf_path(outputs: Path, phase: str) -> Path:
    """The PDF programme report of a phase."""
    return report_format_path(programme_report_path(outputs, phase), "pdf")


def programme_report_docx_path(outputs: Path, phase: str) -> Path:
    """The Word programme report of a phase."""
    return report_format_path(programme_report_path(outputs, phase), "docx")


RECEIVED_DIRNAME = "recus"
"""Sub-folder of a data folder keeping the files received from communes, untouched (never read
as monitoring data: :func:`data_files` looks at the folder's own files only)."""


def forms_dir(outputs: Path) -> Path:
    """Where ``maroc-eval formulaire`` writes the forms: ``outputs/formulaires``."""
    return Path(outputs) / "formulaires"


def received_dir(data_dir: Path) -> Path:
    """The received files of a data folder: ``<data>/recus``."""
    return Path(data_dir) / RECEIVED_DIRNAME


COLLECTED_PREFIX = "collecte-"
"""Each import writes its own file of the data folder: ``collecte-<date>-<what>.csv``."""


def import_file(data_dir: Path, stem: str) -> Path:
    """The file of one import: ``<data>/collecte-<stem>.csv`` (``stem``: date and pair)."""
    return Path(data_dir) / f"{COLLECTED_PREFIX}{stem}.csv"


def data_journal_path(data_dir: Path) -> Path:
    """The journal of a data folder's commit in progress (:mod:`maroc_eval.base.transaction`)."""
    return Path(data_dir) / ".maroc-eval-journal.json"


STAGE_PREFIX = ".maroc-eval-"
STAGE_SUFFIX = ".en-attente"
"""A file staged by a data-folder transaction: ``.maroc-eval-<random>.en-attente``, beside its
target; never read as data (its suffix is neither ``.csv`` nor ``.xlsx``)."""


def form_key_path(data_dir: Path) -> Path:
    """The key that signs the forms made from a data folder: ``<data>/.maroc-eval-cle``."""
    return Path(data_dir) / ".maroc-eval-cle"


def socket_fits(folder: Path | str, room: int) -> bool:
    """Whether a Unix socket ``room`` characters below ``folder`` (separators included) has a path
    short enough to be made (:data:`UNIX_SOCKET_MAX`).

    Examples
    --------
    >>> socket_fits("/tmp", 30)
    True
    >>> socket_fits("/" + "d" * 80, 30)
    False
    """
    return len(os.fsencode(str(folder))) + room <= UNIX_SOCKET_MAX
