"""``maroc-eval importer-grille``: read filled grids, check them, show what they change, and
with ``--appliquer`` record them in the store (``<data>/appreciations/<phase>/<who>.yml``).

1. The data folder must be valid (as ``validate`` says); each grid is read (:mod:`.reader`):
   one error anywhere, in any grid, and nothing is written (exit status 2, every problem at its
   cell).
2. Under the data folder's lock (:func:`data_lock`), the store file of each grid is read again
   as it is now, and the grid is merged into it (:func:`.places.merge`): the places the team left
   as the grid showed them keep the store's current text, so that two grids of one pair filled
   by two evaluators, imported one after the other or at the same time, both count; a place
   both changed differently is an error (conflict) at its cell.
3. The diff against the store is printed (what the team changed since the last import).
4. With ``--appliquer``, each store file that changes is written atomically, after its text has
   been read back and found to give exactly the merged appraisal. ``preuves_vues`` records the
   date of the import and the evidence the grid showed the team (each pair's indicator values
   at the reference year and its missing years, computed by :mod:`maroc_eval.core.evidence`
   when the grid was written): the evidence the team's text was written against, which the
   stale-finding check compares with the current data. When the data changed since the grid
   was written, the import says which figures moved.

The received grid is not kept in the data folder (unlike the communes' files, kept under
``recus/`` as the provenance of figures): a grid is a view, written from the store and the data,
and every text of it is carried whole into the store, a diffable text file whose history is that
of the data folder; the grid can be written again at any time. Keeping the workbooks would only
add binary copies of the same texts.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..base.atomic import write_atomic
from ..base.datalock import holding
from ..base.errors import OutputError, ParameterError, ProblemList, display_path
from ..base.i18n import _, ngettext
from ..core.appraisal import Appraisal, EvidenceSeen
from ..core.appraisal_store import appraisal_path, dump_appraisal, read_appraisal
from ..core.dataset import Dataset, read_dataset
from .context import phase_contexts
from .diff import change_lines, drift_lines
from .places import Change, Place, build, changes, flatten, merge, shown
from .reader import GridRead, read_grid
from .readme import who_label

LOCK_WAIT = 120.0
"""Seconds an import waits for another command to release the data folder."""


def data_lock(data_dir: Path, wait: float = LOCK_WAIT):
    """Hold the data folder's lock while an import reads and writes the store (the toolkit's
    data-folder lock, :func:`maroc_eval.base.datalock.holding`)."""
    return holding(data_dir, wait)


@dataclass
class Target:
    """One store file an import writes: its grids, its text now, and the merged text."""

    phase: str
    who: str
    path: Path
    reads: list[GridRead]
    current: Appraisal | None = None
    merged: dict[Place, object] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)
    appraisal: Appraisal | None = None
    written: bool = False


def import_grids(files: list[Path], data_dir: Path, programme_file: Path, *,
                 apply: bool = False, day: dt.date | None = None,
                 echo: Callable[[str], None] = print) -> list[Target]:
    """Read filled grids, print what they change, record them in the store if asked.

    Parameters
    ----------
    files : list of Path
        Grids written by ``maroc-eval grille`` and filled by the team.
    data_dir : Path
        The data folder whose store the grids are compared with, and written into.
    programme_file : Path
    apply : bool
        Write the store files (``--appliquer``).
    day : date, optional
        The date of the import, recorded in ``preuves_vues`` (default today).
    echo : callable
        Prints one line.

    Returns
    -------
    list of Target
        One per store file concerned.

    Raises
    ------
    InputError
        The data folder or a grid holds an error, or a grid conflicts with the store: nothing
        is written.
    """
    if not files:
        raise ParameterError(_("Argument manquant : au moins une grille remplie (.xlsx écrit "
                               "par maroc-eval grille)."))
    data_dir = Path(data_dir)
    dataset = read_dataset(programme_file, data_dir)
    programme, matrix = dataset.programme, dataset.matrix
    if matrix is None:
        raise ParameterError(_("Pas de matrice d'évaluation (params/evaluation.yml) : une "
                               "grille ne peut pas être relue sans elle."))
    problems = ProblemList()
    reads = [r for r in (read_grid(f, programme, matrix, problems) for f in files) if r]
    problems.raise_if_errors()
    day = day or dt.date.today()
    lock = data_lock(data_dir) if apply else contextlib.nullcontext()
    with lock:
        targets = _plan(reads, dataset, data_dir, problems, day)
        problems.raise_if_errors()
        _report(targets, dataset, echo)
        if apply:
            for target in targets:
                if target.changes:
                    _write(target, dataset, day)
                    target.written = True
    if not apply:
        if any(t.changes for t in targets):
            echo(_("Rien n'a été enregistré : relancez avec --appliquer pour enregistrer ces "
                   "textes dans le dossier de données."))
    else:
        written = [t for t in targets if t.written]
        for t in written:
            echo(_("Enregistré : {path}").format(path=display_path(t.path)))
        if written:
            echo(_("Ensuite : maroc-eval validate (contrôles et places « à compléter »), puis "
                   "maroc-eval run et maroc-eval report."))
    return targets


def _plan(reads: list[GridRead], dataset: Dataset, data_dir: Path, problems: ProblemList,
          day: dt.date) -> list[Target]:
    programme, matrix = dataset.programme, dataset.matrix
    targets: dict[tuple[str, str], Target] = {}
    for read in reads:
        key = (read.phase, read.who)
        if key not in targets:
            targets[key] = Target(read.phase, read.who,
                                  appraisal_path(data_dir, read.phase, read.who), [])
        targets[key].reads.append(read)
    for target in targets.values():
        current = Appraisal(who=target.who, phase=target.phase)
        if target.path.is_file():
            found, _doc = read_appraisal(target.path, programme, matrix, target.phase,
                                         target.who, problems)
            if found is None:
                continue
            current = found
        target.current = current
        before = flatten(current)
        merged = before
        english = dict(current.english)
        seen = current.seen
        for read in target.reads:
            grid_places = read.places
            merged_now, conflicts = merge(read.base_places, grid_places, merged)
            for c in conflicts:
                problems.add(read.cell(c.place), None, None, _raw(c.grid), _(
                    "le texte du dossier de données, modifié depuis l'écriture de cette grille "
                    "(par un autre import ou à la main) : il est maintenant {store}, la grille "
                    "avait {base}. Demandez une nouvelle grille (maroc-eval grille), reportez-y "
                    "votre texte et importez-la").format(store=shown(c.store, c.place),
                                                         base=shown(c.base, c.place)),
                    kind="grid-conflict")
            if merged_now != merged:
                english = {**read.base.english, **english} if read.base else english
                seen = EvidenceSeen(date=day, values=read.seen.get("valeurs", {}),
                                    missing=read.seen.get("manquantes", {}))
            merged = merged_now
        target.merged = merged
        target.changes = changes(before, merged)
        target.appraisal = build(target.who, target.phase, merged, english=english,
                                 seen=seen, programme=programme, matrix=matrix)
    return [t for t in targets.values() if t.current is not None]


def _report(targets: list[Target], dataset: Dataset, echo: Callable[[str], None]) -> None:
    programme = dataset.programme
    shown_programme = programme.localised()
    labels = {p.code: p.label for p in shown_programme.pairs}
    for target in targets:
        n = len(target.changes)
        values = dict(grids=", ".join(r.shown for r in target.reads),
                      store=display_path(target.path),
                      who=who_label(shown_programme, target.who), n=n,
                      phase=shown_programme.phases[target.phase].label.lower())
        if n:
            echo(ngettext("{grids} → {store} ({who}, {phase}) : {n} modification depuis le "
                          "dernier import :",
                          "{grids} → {store} ({who}, {phase}) : {n} modifications depuis le "
                          "dernier import :", n).format(**values))
        else:
            echo(_("{grids} → {store} ({who}, {phase}) : aucune modification depuis le dernier "
                   "import.").format(**values))

        def where(place, target=target):
            for read in reversed(target.reads):
                if place in read.where:
                    return read.where[place]
            return ""

        for line in change_lines(target.changes, where, shown_programme):
            echo(line)
        if not target.changes:
            continue
        (context,) = phase_contexts(dataset, target.phase, [target.who])
        now = context.seen()["valeurs"]
        for read in target.reads:
            drift = drift_lines(read.seen, now, labels)
            if drift:
                echo(_("Attention : les données ont changé depuis l'écriture de {grid} ; "
                       "relisez les textes qui citent ces chiffres (le contrôle "
                       "« constat-perime » les signalera) :").format(grid=read.shown))
                for line in drift:
                    echo(line)


def _raw(value) -> str | None:
    """A place's value as a problem shows it (« valeur « … » »)."""
    return None if value is None else shown(value, ("x", "note")) if not isinstance(
        value, str) else value


HEADER = ("Appréciations de l'équipe d'évaluation — {who}, {phase} ({year}).\n"
          "Écrit par « maroc-eval importer-grille » depuis {grids} ; modifiable à la main "
          "(les commentaires ne sont pas gardés au prochain import).")
"""The comment at the top of a store file (data: French whatever the language)."""


def _write(target: Target, dataset: Dataset, day: dt.date) -> None:
    """Write one store file atomically, after checking that its text reads back the same."""
    programme, matrix = dataset.programme, dataset.matrix
    phase = programme.phases[target.phase]
    pair = programme.pair_map.get(target.who)
    header = HEADER.format(who=pair.label if pair else "programme",
                           phase=phase.label.lower(), year=phase.year,
                           grids=", ".join(r.path.name for r in target.reads))
    text = dump_appraisal(target.appraisal, header=header)
    problems = ProblemList()
    with tempfile.TemporaryDirectory(prefix="maroc-eval-grille-") as tmp:
        check = Path(tmp) / f"{target.who}.yml"
        check.write_text(text, encoding="utf-8")
        again, _doc = read_appraisal(check, programme, matrix, target.phase, target.who,
                                     problems)
    expected = target.appraisal
    if again is None or flatten(again) != flatten(expected) or again.english != \
            expected.english or again.seen != expected.seen:
        detail = "; ".join(p.format() for p in problems.items[:3]) or _("textes différents")
        raise OutputError(_("Import annulé, rien n'a été écrit : le fichier {path} ne "
                            "redonnerait pas exactement les textes de la grille ({detail}).")
                          .format(path=display_path(target.path), detail=detail))
    write_atomic(target.path, text)
