"""``maroc-eval importer``: read received files, check them, show the diff, merge if asked.

Every received file is read and checked (:mod:`.received`), every problem listed at its cell
on the error stream. The diff against the data folder (:mod:`.diff`) is always shown, errors or
not: with an error anywhere, it shows what the valid values would change and nothing is merged
(exit status 2). Otherwise, with ``apply``, the new values are merged (:mod:`.merge`), and the
changed ones too with ``replace``.

With ``apply`` the whole import — reading the data folder, the diff, the merge — runs under the
data folder's lock (:class:`maroc_eval.base.transaction.DataTransaction`): a second import waits for
the first and sees its values, or is refused after a bounded wait, never overwriting them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from ..base.errors import (
    InputError,
    ParameterError,
    ProblemList,
    display_path,
    file_problem,
    totals,
)
from ..base.i18n import _, ngettext
from ..base.transaction import DEFAULT_WAIT, DataTransaction
from ..core.programme import Programme, load_programme
from ..core.validation import validate_inputs
from .diff import JUMP_FACTOR, Diff, compute_diff
from .merge import MergeResult, merge
from .received import FORM, Received, read_received


@dataclass
class ImportOutcome:
    """What an import found and did."""

    received: list[Received] = field(default_factory=list)
    diff: Diff = field(default_factory=Diff)
    warnings: list[str] = field(default_factory=list)
    merged: MergeResult | None = None


class ImportRefused(InputError):
    """A received file holds errors: they and the diff have been shown, nothing was merged.

    Its messages are only the closing lines (the problems were printed before the diff).
    """

    def messages(self) -> list[str]:
        n_err, n_warn = self.found.counts()
        return [totals(n_err, n_warn),
                _("Rien n'a été fusionné : corrigez les erreurs ci-dessus dans les fichiers "
                  "reçus (ou demandez-les corrigés), puis relancez l'importation.")]


def import_files(files: list[Path], data_dir: Path, programme_file: Path, *, apply: bool = False,
                 replace: bool = False, day: dt.date | None = None,
                 echo: Callable[[str], None] = print,
                 warn: Callable[[str], None] | None = None,
                 jump_factor: float = JUMP_FACTOR, wait: float = DEFAULT_WAIT) -> ImportOutcome:
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
        Prints one line of the result (the diff, what was merged).
    warn : callable, optional
        Prints one line of diagnostics (problems of the files, waiting for the lock); ``echo``
        when not given.
    jump_factor : float
        Unusual jumps flagged beyond this many times the series' usual change
        (:data:`.diff.JUMP_FACTOR`).
    wait : float
        Seconds to wait for another import's lock on the data folder.

    Returns
    -------
    ImportOutcome

    Raises
    ------
    ImportRefused
        A received file holds an error (shown, with the diff): nothing is merged.
    InputError
        The programme or the data folder holds an error: nothing is merged.
    LockedError
        Another command wrote in the data folder for longer than ``wait``.
    """
    warn = warn or echo
    if not files:
        raise ParameterError(_("Argument manquant : au moins un fichier reçu (formulaire .xlsx, "
                               "export Kobo ou fichier de suivi)."))
    programme = load_programme(programme_file)
    lock = DataTransaction(Path(data_dir), wait=wait, echo=warn) if apply else nullcontext()
    with lock as transaction:
        return _import(files, Path(data_dir), programme_file, programme, transaction,
                       replace=replace, day=day, echo=echo, warn=warn, jump_factor=jump_factor)


def _import(files, data_dir: Path, programme_file: Path, programme: Programme,
            transaction: DataTransaction | None, *, replace, day, echo, warn,
            jump_factor) -> ImportOutcome:
    report = validate_inputs([data_dir], programme_file)
    if report.exit_status:
        raise InputError(report.found)  # the data folder must be valid before an import
    problems = ProblemList()
    outcome = ImportOutcome()
    for path in files:
        if file_problem(path, problems, _("un fichier reçu (.xlsx ou .csv)")):
            continue  # missing, a folder, a symbolic link loop…: said as what it is
        outcome.received.append(read_received(path, programme, problems, data_dir=data_dir))
    outcome.warnings = [p.format() for p in problems.items] + problems.summary_lines()
    for line in outcome.warnings:
        warn(line)
    for item in outcome.received:
        what = _(item.kind) + (f", {item.pair}" if item.kind == FORM else "")
        echo(ngettext("Reçu : {shown} ({what}) : {rows} valeur lue.",
                      "Reçu : {shown} ({what}) : {rows} valeurs lues.", len(item.rows)).format(
                 shown=item.shown, what=what, rows=len(item.rows)))
    outcome.diff = diff = compute_diff(report.observations, outcome.received, programme,
                                       jump_factor)
    if problems.has_errors:
        echo(_("Différences qu'apporteraient les valeurs sans erreur (rien n'est fusionné tant "
               "qu'une erreur reste) :"))
    for line in diff.lines():
        echo(line)
    if problems.has_errors:
        raise ImportRefused(problems)
    if transaction is None:
        echo(_("Rien n'a été fusionné : relancez avec --appliquer pour fusionner les nouvelles "
               "valeurs (et --remplacer pour remplacer les valeurs modifiées)."))
        return outcome
    outcome.merged = done = merge(diff, report.observations, data_dir, programme, transaction,
                                  replace=replace, day=day)
    if not done.merged:
        echo(_("Rien à fusionner : aucune valeur nouvelle")
             + (_(" ni remplacée.") if replace else "."))
    else:
        echo(ngettext("Fusionné : {merged} valeur dans {files} ; fichiers reçus gardés : "
                      "{kept}.", "Fusionné : {merged} valeurs dans {files} ; fichiers reçus "
                      "gardés : {kept}.", len(done.merged)).format(merged=len(done.merged),
                                  files=", ".join(display_path(p) for p in done.written),
                                  kept=", ".join(display_path(p) for p in done.archived)))
    if diff.changed and not replace:
        echo(ngettext("{changed} valeur modifiée non remplacée : relancez avec --remplacer "
                      "pour la remplacer.", "{changed} valeurs modifiées non remplacées : "
                      "relancez avec --remplacer pour les remplacer.", len(diff.changed)).format(
                 changed=len(diff.changed)))
    if diff.conflicts:
        echo(ngettext("{conflicts} conflit entre fichiers reçus, non fusionné : gardez le bon "
                      "fichier et réimportez-le seul.", "{conflicts} conflits entre fichiers "
                      "reçus, non fusionnés : gardez le bon fichier et réimportez-le seul.",
                      len(diff.conflicts)).format(conflicts=len(diff.conflicts)))
    if done.merged:
        echo(_("Ensuite : maroc-eval validate, puis maroc-eval run (seuls les carnets que ces "
               "valeurs concernent sont réexécutés)."))
    return outcome
