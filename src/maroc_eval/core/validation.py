"""The ``validate`` command: check the programme, the monitoring files, the budget and the
evaluation team's appraisals.

Every problem of every file is listed, in French, with file, line, column, value and what was
expected; nothing is written anywhere. On a whole data folder, the appraisals are also reviewed
(:mod:`maroc_eval.core.review`): each check the team has neither fixed nor answered is a warning at
its place, and each appraisal still « à compléter » says so in one line.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..base import i18n, paths
from ..base.errors import WARNING, InputError, Problem, ProblemList, display_path, file_problem
from ..base.i18n import _, ngettext
from .appraisal_store import Appraisals, read_appraisal, read_appraisals
from .matrix import EvaluationMatrix
from .observations import read_observations
from .programme import load_programme
from .sheets import other_spreadsheet

_YAML_SUFFIXES = (".yml", ".yaml")


@dataclass
class ValidationReport:
    """What ``maroc-eval validate`` found.

    Attributes
    ----------
    problems : list of Problem
        Errors and warnings, file by file.
    observations : DataFrame or None
        The valid monitoring rows, ``None`` when the programme itself could not be read.
    appraisals : Appraisals
        The team's appraisals read (empty when none was given or found).
    rows_read : int
        Data rows read in the monitoring files.
    files : list of str
        Monitoring files read.
    appraisal_files : list of str
        Appraisal files read.
    budget : DataFrame or None
        The valid budget rows (:mod:`maroc_eval.core.budget`), ``None`` without a budget file.
    budget_file : str or None
        The budget file read.
    matrix : EvaluationMatrix or None
        The evaluation matrix beside the programme file (questions, rules), if valid.
    """

    problems: list[Problem] = field(default_factory=list)
    observations: pd.DataFrame | None = None
    appraisals: Appraisals = field(default_factory=Appraisals)
    rows_read: int = 0
    files: list[str] = field(default_factory=list)
    appraisal_files: list[str] = field(default_factory=list)
    budget: pd.DataFrame | None = None
    budget_file: str | None = None
    matrix: EvaluationMatrix | None = None
    programme_ok: bool = True
    whole: bool = True

    found: ProblemList = field(default_factory=ProblemList)

    @property
    def errors(self) -> list[Problem]:
        """The blocking problems kept."""
        return self.found.errors

    @property
    def warnings(self) -> list[Problem]:
        """The non-blocking problems kept."""
        return self.found.warnings

    @property
    def exit_status(self) -> int:
        """2 if any error, else 0."""
        return 2 if self.found.has_errors else 0

    def lines(self) -> list[str]:
        """Every problem kept as a line, a line per kind only counted, then a summary."""
        out = [p.format() for p in self.problems] + self.found.summary_lines()
        n_err, n_warn = self.found.counts()
        errors = _counted(ngettext("{n} erreur", "{n} erreurs", n_err), n_err,
                          "{n} erreur", "{n} erreurs")
        if not self.programme_ok:
            out.append(_("Validation interrompue : la définition du programme contient {errors} ; "
                         "les données n'ont pas été vérifiées.").format(errors=errors))
            return out
        n_files = len(self.files)
        summary = _("Validation : {rows} dans {files}").format(
            rows=_counted(ngettext("{n} ligne lue", "{n} lignes lues", self.rows_read),
                          self.rows_read, "{n} ligne lue", "{n} lignes lues"),
            files=_counted(ngettext("{n} fichier", "{n} fichiers", n_files), n_files,
                           "{n} fichier", "{n} fichiers"))
        if self.appraisal_files:
            n = len(self.appraisal_files)
            summary += _(" ; appréciations : {files}").format(files=_counted(
                ngettext("{n} fichier", "{n} fichiers", n), n, "{n} fichier", "{n} fichiers"))
        if self.budget_file:
            summary += _(" ; budget : {file}").format(file=self.budget_file)
        summary += _(" ; {errors}, {warnings}.").format(
            errors=errors,
            warnings=_counted(ngettext("{n} avertissement", "{n} avertissements", n_warn), n_warn,
                              "{n} avertissement", "{n} avertissements"))
        if not self.whole:
            out.append(_("Validation de fichiers isolés : la ligne de base 2007 et les années "
                         "manquantes se contrôlent sur le dossier de données entier "
                         "(maroc-eval validate <dossier>)."))
        out.append(summary)
        return out


def _counted(translated: str, n: int, singular: str, plural: str) -> str:
    """A count with its words: ``translated`` (from ``ngettext``) in another language than
    French; in French, the singular up to 1 (« 0 erreur ») whether or not a catalogue is there
    (gettext's fallback would say « 0 erreurs »). Thousands grouped by a space (``1 234``)."""
    if i18n.language() == "fr":
        return (singular if n < 2 else plural).format(n=f"{n:,}".replace(",", " "))
    return translated.format(n=f"{n:,}")


def _expand(inputs: Iterable[Path | str], problems: ProblemList,
            budgets: list[Path]) -> tuple[list[Path], list[Path], list[Path]]:
    """Monitoring files, appraisal files given one by one, data folders given whole."""
    observations: list[Path] = []
    appraisals: list[Path] = []
    folders: list[Path] = []
    for item in inputs:
        path = Path(item)
        if paths.path_kind(path) == paths.FOLDER:
            obs, written = paths.data_files(path)
            budget = paths.budget_file(path)
            if budget.is_file():
                budgets.append(budget)
            elif not obs and not written and (path / paths.DATA_INFO_FILE).is_file():
                problems.add(display_path(path), None, None, None,  # a project just started
                             _("des données de suivi : il n'y en a pas encore ; envoyez les "
                               "formulaires (maroc-eval formulaire), puis importez les réponses "
                               "(maroc-eval importer)"), kind="no-data-yet", severity=WARNING)
            elif not obs and not written:
                problems.add(display_path(path), None, None, None,
                             _("un dossier contenant des fichiers de suivi (.csv, .xlsx) ou un "
                               "dossier « appreciations »"), kind="empty-folder")
            observations += obs
            folders.append(path)
            _unread_entries(path, problems)
        elif file_problem(path, problems, _("un fichier .csv ou .xlsx, une appréciation "
                                            "(appreciations/<phase>/<partenariat>.yml) ou un "
                                            "dossier de données")):
            continue
        elif path.name.lower() == paths.BUDGET_FILENAME:
            budgets.append(path)
        elif path.suffix.lower() in paths.OBSERVATION_SUFFIXES:
            observations.append(path)
        elif path.suffix.lower() in _YAML_SUFFIXES:
            appraisals.append(path)
        else:
            problems.add(display_path(path), None, None, path.suffix or path.name,
                         other_spreadsheet(path)
                         or _("un fichier .csv, .xlsx ou une appréciation "
                              "(appreciations/<phase>/<partenariat>.yml)"), kind="file-type")
    return observations, appraisals, folders


def _unread_entries(folder: Path, problems: ProblemList) -> None:
    """Say what of a data folder is not read though it looks like data: a spreadsheet in
    another format (a warning: « enregistrez-le en .xlsx »). Monitoring files that cannot be
    read (a symbolic link loop…) are listed by :func:`maroc_eval.base.paths.data_files` and refused
    by their reader."""
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith("~$"):
            continue
        if (other := other_spreadsheet(entry)) is not None and entry.is_file():
            problems.add(display_path(entry), None, None, entry.suffix,
                         _("{other} — ce fichier n'est pas lu").format(other=other),
                         kind="file-type", severity=WARNING)


def validate_inputs(inputs: Iterable[Path | str], programme_file: Path | str | None = None, *,
                    encoding: str | None = None, separator: str | None = None) -> ValidationReport:
    """Check monitoring files, appraisals and the programme; collect every problem.

    Parameters
    ----------
    inputs : iterable of Path or str
        CSV/XLSX files, appraisal files (``appreciations/<phase>/<who>.yml``), or data folders
        (every data file in them, and their appraisals reviewed).
    programme_file : Path or str, optional
        The programme definition (default ``params/programme.yml``).
    encoding, separator : str, optional
        Force the CSV encoding or separator.

    Returns
    -------
    ValidationReport
        Never raises for a user's mistake: problems are in the report.
    """
    report = ValidationReport()
    problems = report.found
    try:
        programme = load_programme(programme_file or paths.PROGRAMME_FILE)
    except InputError as exc:
        problems.extend(exc.found)
        report.problems = problems.items
        report.programme_ok = False
        return report
    problems.extend(list(programme.notices))
    inputs = list(inputs)
    whole = report.whole = all(Path(item).is_dir() for item in inputs)
    budget_files: list[Path] = []
    obs_files, appraisal_files, folders = _expand(inputs, problems, budget_files)
    df, found = read_observations(obs_files, programme, encoding=encoding, separator=separator,
                                  whole=whole)
    problems.extend(found)
    report.observations = df
    report.rows_read = int(df.attrs.get("rows_read", len(df)))
    report.files = [display_path(p) for p in obs_files]
    from .matrix import read_matrix

    matrix, found = read_matrix(programme)
    problems.extend(found)
    report.matrix = matrix
    _read_appraisals(report, programme, matrix, folders, appraisal_files)
    if budget_files:
        from .budget import read_budget

        report.budget, found = read_budget(budget_files[0], programme, encoding=encoding,
                                           separator=separator)
        problems.extend(found)
        report.budget_file = display_path(budget_files[0])
    for path in budget_files[1:]:
        problems.add(display_path(path), None, None, None,
                     _("un seul fichier de budget (seul le premier sera utilisé)"),
                     kind="several-budgets", severity=WARNING)
    if whole and report.appraisals.items and matrix is not None and not problems.has_errors:
        _review(report, programme)
    report.problems = problems.items
    return report


def _read_appraisals(report: ValidationReport, programme, matrix, folders: list[Path],
                     files: list[Path]) -> None:
    """Read the appraisals of the data folders, and the appraisal files given one by one (their
    phase and pair from their place: ``…/<phase>/<who>.yml``)."""
    problems = report.found
    for folder in folders:
        found, seen = read_appraisals(folder, programme, matrix)
        problems.extend(seen)
        report.appraisals.items.update(found.items)
        report.appraisals.lines.update(found.lines)
        report.appraisal_files += [item.file for item in found.items.values()]
    whos = [*programme.pair_codes, "programme"]
    for path in files:
        phase, who = path.parent.name, path.stem
        if phase not in programme.phases or who not in whos:
            problems.add(display_path(path), None, None, path.name,
                         _("une appréciation rangée dans appreciations/<phase>/<partenariat>.yml "
                           "(phases : {phases})").format(phases=", ".join(programme.phases)),
                         kind="misplaced-appraisal")
            continue
        found, doc = read_appraisal(path, programme, matrix, phase, who, problems)
        report.appraisal_files.append(display_path(path))
        if found is not None:
            report.appraisals.items[(phase, who)] = found
            report.appraisals.lines.update({(phase, who, *k): v for k, v in doc.lines.items()})


def _review(report: ValidationReport, programme) -> None:
    """Each open check as a warning at its place; one line per appraisal still to complete."""
    from .dataset import Dataset
    from .review import review_all

    problems = report.found
    dataset = Dataset(programme, report.observations, report.appraisals, budget=report.budget,
                      matrix=report.matrix)
    for found in review_all(dataset, written_only=True):
        file = found.appraisal.file
        for check in found.open_checks:
            line = report.appraisals.line(found.phase, found.who, *check.path)
            problems.add(file, line, check.place, None,
                         _("une appréciation cohérente avec les preuves, ou une réponse dans "
                           "« controles » ({id}) : {message}").format(id=check.id,
                                                                     message=check.message),
                         kind=check.kind, severity=WARNING)
        if found.blanks:
            shown = ", ".join(b.place for b in found.blanks[:8])
            more = len(found.blanks) - 8
            problems.add(file, None, None, None, ngettext(
                "{n} place à compléter par l'équipe d'évaluation : {places}",
                "{n} places à compléter par l'équipe d'évaluation : {places}",
                len(found.blanks)).format(n=len(found.blanks), places=shown + (
                    _(" et {more} autres").format(more=more) if more > 0 else "")),
                kind="a-completer", severity=WARNING)
