"""The ``validate`` command: check the programme, the monitoring files and the judgements.

Every problem of every file is listed, in French, with file, line, column, value and what was
expected; nothing is written anywhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import paths
from ..errors import InputError, Problem, ProblemList, display_path
from .judgements import Judgements, read_judgements
from .observations import read_observations
from .programme import load_programme

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
    judgements : Judgements or None
        The judgements read, if a judgements file was given and readable.
    rows_read : int
        Data rows read in the monitoring files.
    files : list of str
        Monitoring files read.
    judgement_files : list of str
        Judgement files read.
    """

    problems: list[Problem] = field(default_factory=list)
    observations: pd.DataFrame | None = None
    judgements: Judgements | None = None
    rows_read: int = 0
    files: list[str] = field(default_factory=list)
    judgement_files: list[str] = field(default_factory=list)
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
        """Every problem kept as a French line, a line per kind only counted, then a summary."""
        out = [p.format() for p in self.problems] + self.found.summary_lines()
        n_err, n_warn = self.found.counts()
        if not self.programme_ok:
            out.append(f"Validation interrompue : la définition du programme contient "
                       f"{_number(n_err)} {_plural(n_err, 'erreur')} ; les données n'ont pas été "
                       "vérifiées.")
            return out
        n_files = len(self.files)
        summary = (f"Validation : {_number(self.rows_read)} {_plural(self.rows_read, 'ligne')} "
                   f"{_plural(self.rows_read, 'lue')} dans {n_files} {_plural(n_files, 'fichier')}")
        if self.judgement_files:
            summary += f" ; appréciations : {', '.join(self.judgement_files)}"
        summary += (f" ; {_number(n_err)} {_plural(n_err, 'erreur')}, "
                    f"{_number(n_warn)} {_plural(n_warn, 'avertissement')}.")
        if not self.whole:
            out.append("Validation de fichiers isolés : la ligne de base 2007 et les années "
                       "manquantes se contrôlent sur le dossier de données entier "
                       "(maroc-eval validate <dossier>).")
        out.append(summary)
        return out


def _plural(n: int, word: str) -> str:
    return word + ("s" if n >= 2 else "")


def _number(n: int) -> str:
    return f"{n:,}".replace(",", " ")


def _expand(inputs: Iterable[Path | str], problems: ProblemList) -> tuple[list[Path], list[Path]]:
    observations: list[Path] = []
    judgements: list[Path] = []
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            obs, judg = paths.data_files(path)
            if not obs and not judg:
                problems.add(display_path(path), None, None, None, "un dossier contenant des "
                             "fichiers de suivi (.csv, .xlsx) ou appreciations.yml",
                             kind="empty-folder")
            observations += obs
            judgements += judg
        elif not path.exists():
            problems.add(display_path(path), None, None, None, "un fichier ou un dossier existant",
                         kind="missing-file")
        elif path.suffix.lower() in paths.OBSERVATION_SUFFIXES:
            observations.append(path)
        elif path.suffix.lower() in _YAML_SUFFIXES:
            judgements.append(path)
        else:
            problems.add(display_path(path), None, None, path.suffix or path.name,
                         "un fichier .csv, .xlsx ou appreciations.yml", kind="file-type")
    return observations, judgements


def validate_inputs(inputs: Iterable[Path | str], programme_file: Path | str | None = None, *,
                    encoding: str | None = None, separator: str | None = None) -> ValidationReport:
    """Check monitoring files, judgements and the programme; collect every problem.

    Parameters
    ----------
    inputs : iterable of Path or str
        CSV/XLSX files, ``appreciations.yml`` files, or folders (every data file in them).
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
    inputs = list(inputs)
    whole = report.whole = all(Path(item).is_dir() for item in inputs)
    obs_files, judgement_files = _expand(inputs, problems)
    df, found = read_observations(obs_files, programme, encoding=encoding, separator=separator,
                                  whole=whole)
    problems.extend(found)
    report.observations = df
    report.rows_read = int(df.attrs.get("rows_read", len(df)))
    report.files = [display_path(p) for p in obs_files]
    for path in judgement_files:
        judgements, found = read_judgements(path, programme)
        problems.extend(found)
        report.judgement_files.append(display_path(path))
        report.judgements = report.judgements or judgements
    if len(judgement_files) > 1:
        problems.add(display_path(judgement_files[1]), None, None, None,
                     "un seul fichier d'appréciations (seul le premier sera utilisé)",
                     kind="several-judgements", severity="avertissement")
    report.problems = problems.items
    return report
