"""The merge of received values into the data folder: one new file per import, nothing edited.

**Design: raw data are immutable.** The files of a data folder — the communes' monitoring
files, and the files of earlier imports — are never edited. An import writes one new file,
``collecte-<date>-<pair>.csv`` (:func:`maroc_eval.base.paths.import_file`), with its new values and,
with ``--remplacer``, its changed ones; a changed value says in its column ``remplace`` which
value it replaces (``suivi.csv:640=2``), and every command reading the folder applies that
declaration the same way (:mod:`maroc_eval.core.replacements`). So a value is never lost: the
old one stays in its file, taken out by a rule anyone can read, and deleting an import's file
undoes the import. A value held in a workbook of the data folder can be replaced too, the
workbook untouched.

**Provenance is not the commune's text.** The column ``origine`` names the received file
(« formulaire reçu le 2012-03-14 (recus/2012-03-14-liege-tanger-tanger-2011.xlsx) »), ``remplace``
the value replaced; ``source`` and ``commentaire`` hold only what the commune wrote, which is
what the reports quote. Each received file that brings a value is kept untouched under
``recus/``, named by its date, its pair and its own name, never overwriting another.

**All or nothing.** The merged folder is first read back in a temporary copy by ``validate``'s
reader and must give exactly the values expected. Then the import's file and the kept received
files are committed through one data-folder transaction (:mod:`maroc_eval.base.transaction`): under
the folder's lock, journaled, so that a failure or a kill at any moment leaves the complete old
state or the complete new one (the next command finishes or rolls back what was interrupted).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..base import paths
from ..base.errors import OutputError, display_path
from ..base.i18n import _, ngettext
from ..base.transaction import DataTransaction
from ..core.observations import read_observations
from ..core.programme import Programme
from ..core.replacements import declaration
from .diff import Diff, Value
from .received import FORM, KOBO, Received

HEADER = ["partenariat", "indicateur", "annee", "valeur", "ventilation", "source", "commentaire",
          "origine", "remplace"]
# Written into the data and read back: stays French whatever the language.
PREAMBLE = ("# Valeurs reçues des communes, importées par « maroc-eval importer » le {today}. "
            "Ne modifiez pas ce fichier : « origine » nomme le fichier reçu (gardé tel quel dans "
            "recus/), « remplace » la valeur qu'une valeur remplace (fichier:ligne=valeur). "
            "Supprimer ce fichier annule l'importation.\n")
_PROVENANCE = re.compile(r"\s*—?\s*(formulaire|export Kobo|fichier) reçu le .*$")
NAME_LIMIT = 60
"""Characters of a received file's own name kept in its archive name (and of a pair's code)."""


@dataclass
class MergeResult:
    """What a merge wrote.

    Attributes
    ----------
    merged : list of Value
        The values written (new, and replaced ones).
    archived : list of Path
        The received files kept under ``recus/``.
    written : list of Path
        The data files written (the import's own file).
    """

    merged: list[Value] = field(default_factory=list)
    archived: list[Path] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)


def slug(text: str, limit: int = NAME_LIMIT) -> str:
    """A file-name part: ASCII letters and digits, ``-`` between words, ``limit`` at most."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return words[:limit].rstrip("-") or "fichier"


def archive_names(received: list[Received], folder: Path, day: dt.date) -> dict[Path, Path]:
    """Where each received file is kept: ``recus/<date>-<pair>-<its own name><suffix>``.

    The pair (of a form, or of every value of another file) is left out when the file's own
    name holds it already, or when the file has several pairs. A file already kept under
    that name with the same bytes keeps it; another file gets ``-2``, ``-3``… (never
    overwritten).
    """
    names: dict[Path, Path] = {}
    taken: set[Path] = set()
    for item in received:
        own = slug(item.path.stem)
        pairs = {item.pair} if item.pair else set(item.rows["pair"])
        pair = slug(pairs.pop()) if len(pairs) == 1 else ""
        stem = "-".join(part for part in (day.isoformat(), "" if pair in own else pair, own)
                        if part)
        suffix = slug(item.path.suffix, 8) if item.path.suffix else ""
        data = item.path.read_bytes()
        n = 1
        while True:
            target = folder / (stem + (f"-{n}" if n > 1 else "") + (f".{suffix}" if suffix
                                                                     else ""))
            same = target.is_file() and not target.is_symlink() and target.read_bytes() == data
            if target not in taken and (same or not (target.exists() or target.is_symlink())):
                break
            n += 1
        names[item.path] = target
        taken.add(target)
    return names


def import_name(data_dir: Path, chosen: list[Value], day: dt.date) -> Path:
    """The import's own file: ``collecte-<date>-<pair>.csv`` (no pair when several), never one
    that exists."""
    pairs = sorted({v.key[0] for v in chosen})
    stem = day.isoformat() + (f"-{slug(pairs[0])}" if len(pairs) == 1 else "")
    n = 1
    while True:
        path = paths.import_file(data_dir, stem + (f"-{n}" if n > 1 else ""))
        if not (path.exists() or path.is_symlink()):
            return path
        n += 1


def provenance(item: Received, kept: Path, data_dir: Path, day: dt.date) -> str:
    """« formulaire reçu le 2012-03-14 (recus/2012-03-14-liege-tanger-tanger.xlsx) »."""
    word = {FORM: "formulaire", KOBO: "export Kobo"}.get(item.kind, "fichier")
    # the origine column of the data: French whatever the language
    return f"{word} reçu le {day.isoformat()} ({kept.relative_to(data_dir).as_posix()})"


def _number(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def plan_files(diff: Diff, current: pd.DataFrame, data_dir: Path, replace: bool,
               day: dt.date) -> tuple[dict[Path, bytes], dict[Path, Path], list[Value]]:
    """The import's file and its bytes, the archives to write, and the values merged.

    Returns
    -------
    tuple
        ``{import file: bytes}`` (empty when nothing is merged), ``{received file: archive}``,
        the values merged.
    """
    data_dir = Path(data_dir)
    chosen = list(diff.new) + ([new for _, new in diff.changed] if replace else [])
    if not chosen:
        return {}, {}, []
    replaced = {new.key: old for old, new in diff.changed} if replace else {}
    contributing = list({id(v.received): v.received for v in chosen}.values())
    kept = archive_names(contributing, paths.received_dir(data_dir), day)
    rows = current.set_index(["pair", "indicator", "year", "dimension", "category"])
    buffer = io.StringIO()
    buffer.write(PREAMBLE.format(today=dt.date.today().isoformat()))
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    for value in chosen:
        pair, code, year, dim, cat = value.key
        replaces = ""
        if value.key in replaced:
            found = rows.loc[[value.key]].iloc[0]
            replaces = declaration(found["file"], int(found["line"]), replaced[value.key].value)
        writer.writerow([pair, code, year, _number(value.value), f"{dim}={cat}" if dim else "",
                         _PROVENANCE.sub("", value.source or "").strip(), value.comment or "",
                         provenance(value.received, kept[value.received.path], data_dir, day),
                         replaces])
    target = import_name(data_dir, chosen, day)
    return {target: buffer.getvalue().encode("utf-8")}, kept, chosen


def _expected(current: pd.DataFrame, merged: list[Value]) -> dict[tuple, float]:
    values = {(r.pair, r.indicator, int(r.year), r.dimension, r.category): float(r.value)
              for r in current.itertuples(index=False)}
    values.update({v.key: v.value for v in merged})
    return values


def verify(out: dict[Path, bytes], data_dir: Path, programme: Programme,
           expected: dict[tuple, float]) -> None:
    """Read the merged data folder in a temporary copy; raise unless it is exactly as expected.

    Raises
    ------
    OutputError
        The merged files would hold an error or other values than expected (the message names
        the data folder's files, not the copy's).
    """
    with tempfile.TemporaryDirectory(prefix="maroc-eval-fusion-") as tmp:
        copies = []
        for path in paths.data_files(data_dir)[0]:
            copies.append(Path(tmp) / path.name)
            shutil.copyfile(path, copies[-1])
        for path, data in out.items():
            copies.append(Path(tmp) / path.name)
            copies[-1].write_bytes(data)
        df, found = read_observations(copies, programme)
        shown = {name: display_path(Path(data_dir) / copy.name) for copy in copies
                 for name in (str(copy), display_path(copy))}
        errors = [p.format().replace(p.file, shown.get(p.file, p.file), 1)
                  for p in found.errors[:3]]
    got = {(r.pair, r.indicator, int(r.year), r.dimension, r.category): float(r.value)
           for r in df.itertuples(index=False)}
    if found.has_errors or got != expected:
        n = len(set(got.items()) ^ set(expected.items()))
        detail = "; ".join(errors) or ngettext("{n} valeur différente",
                                               "{n} valeurs différentes", n).format(n=n)
        raise OutputError(_("Fusion annulée, rien n'a été écrit : les fichiers fusionnés ne "
                            "redonneraient pas exactement les valeurs attendues "
                            "({detail}).").format(detail=detail))


def merge(diff: Diff, current: pd.DataFrame, data_dir: Path, programme: Programme,
          transaction: DataTransaction, *, replace: bool = False,
          day: dt.date | None = None) -> MergeResult:
    """Merge the received values into the data folder (see the module's docstring).

    Parameters
    ----------
    diff : Diff
        From :func:`.diff.compute_diff` on files without errors.
    current : DataFrame
        The data folder's validated observations (``file`` and ``line`` included), read under
        the transaction's lock.
    data_dir : Path
        The data folder.
    programme : Programme
    transaction : DataTransaction
        Open on the data folder: the merge stages its files and commits them.
    replace : bool
        Also merge changed values (``--remplacer``); otherwise they are left as they are.
    day : date, optional
        The reception date written in the provenance and the file names (default today).

    Returns
    -------
    MergeResult
        Empty when there is nothing to merge (nothing is written then).

    Raises
    ------
    OutputError
        Nothing has been written, or (a commit interrupted by the system) the next command
        finishes it.
    """
    day = day or dt.date.today()
    data_dir = Path(data_dir)
    out, kept, chosen = plan_files(diff, current, data_dir, replace, day)
    if not chosen:
        return MergeResult()
    verify(out, data_dir, programme, _expected(current, chosen))
    for source, target in kept.items():
        if not target.exists():
            transaction.stage(target, source.read_bytes(), new=True)
    for path, data in out.items():
        transaction.stage(path, data, new=True)
    transaction.commit()
    return MergeResult(chosen, sorted(set(kept.values())), sorted(out))
