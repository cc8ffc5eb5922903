"""``maroc-eval importer``: read received files, check them, show the diff, merge if asked.

Every received file is read and checked (:mod:`.received`); one error anywhere and nothing is
merged (exit status 2, every problem listed at its cell). Otherwise the diff against the data
folder is printed (:mod:`.diff`); with ``apply`` the new values are merged (:mod:`.merge`), and
the changed ones too with ``replace``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..core.programme import load_programme
from ..core.validation import validate_inputs
from ..errors import InputError, ParameterError, ProblemList, display_path, file_problem
from ..i18n import _
from .diff import Diff, compute_diff
from .merge import MergeResult, merge
from .received import FORM, Received, read_received


@dataclass
class ImportOutcome:
    """What an import found and did."""

    received: list[Received] = field(default_factory=list)
    diff: Diff = field(default_factory=Diff)
    warnings: list[str] = field(default_factory=list)
    merged: MergeResult | None = None


def import_files(files: list[Path], data_dir: Path, programme_file: Path, *, apply: bool = False,
                 replace: bool = False, day: dt.date | None = None,
                 echo: Callable[[str], None] = print) -> ImportOutcome:
    """Read and check received files, print their diff, merge them if asked.

    Parameters
    ----------
    files : list of Path
        Filled forms, Kobo exports, long-format files.
    data_dir : Path
        The data folder compared with, and merged into.
    programme_file : Path
        The programme definition.
    apply : bool
        Merge the new values (``--appliquer``).
    replace : bool
        Also merge the changed values (``--remplacer``).
    day : date, optional
        Reception date for the provenance and the archive names (default today).
    echo : callable
        Prints one line.

    Returns
    -------
    ImportOutcome

    Raises
    ------
    InputError
        The programme, the data folder or a received file holds an error: nothing is merged.
    """
    if not files:
        raise ParameterError(_("Argument manquant : au moins un fichier reçu (formulaire .xlsx, "
                               "export Kobo ou fichier de suivi)."))
    programme = load_programme(programme_file)
    report = validate_inputs([Path(data_dir)], programme_file)
    if report.exit_status:
        raise InputError(report.found)  # the data folder must be valid before an import
    problems = ProblemList()
    outcome = ImportOutcome()
    for path in files:
        if file_problem(path, problems, _("un fichier reçu (.xlsx ou .csv)")):
            continue  # missing, a folder, a symbolic link loop…: said as what it is
        outcome.received.append(read_received(path, programme, problems))
    problems.raise_if_errors()
    outcome.warnings = [p.format() for p in problems.items] + problems.summary_lines()
    for line in outcome.warnings:
        echo(line)
    for item in outcome.received:
        what = _(item.kind) + (f", {item.pair}" if item.kind == FORM else "")
        echo(_("Reçu : {shown} ({what}) : {rows} valeur(s) lue(s).").format(
                 shown=item.shown, what=what, rows=len(item.rows)))
    outcome.diff = compute_diff(report.observations, outcome.received)
    for line in outcome.diff.lines():
        echo(line)
    diff = outcome.diff
    if not apply:
        echo(_("Rien n'a été fusionné : relancez avec --appliquer pour fusionner les nouvelles "
               "valeurs (et --remplacer pour remplacer les valeurs modifiées)."))
        return outcome
    outcome.merged = merge(diff, report.observations, Path(data_dir), programme,
                           replace=replace, day=day)
    done = outcome.merged
    if not done.merged:
        echo(_("Rien à fusionner : aucune valeur nouvelle")
             + (_(" ni remplacée.") if replace else "."))
    else:
        echo(_("Fusionné : {merged} valeur(s) dans ").format(merged=len(done.merged))
             + ", ".join(display_path(p) for p in done.written) + _(" ; fichiers reçus gardés : ")
             + ", ".join(display_path(p) for p in done.archived) + ".")
    if diff.changed and not replace:
        echo(_("{changed} valeur(s) modifiée(s) non remplacée(s) : relancez avec --remplacer "
               "pour les remplacer.").format(changed=len(diff.changed)))
    if diff.conflicts:
        echo(_("{conflicts} conflit(s) entre fichiers reçus, non fusionné(s) : gardez le bon "
               "fichier et réimportez-le seul.").format(
                 conflicts=len(diff.conflicts)))
    if done.merged:
        echo(_("Ensuite : maroc-eval validate, puis maroc-eval run (seuls les carnets que ces "
               "valeurs concernent sont réexécutés)."))
    return outcome

