"""The merge of received values into the data folder: checked first, written atomically.

New values (and, when asked, changed ones) are written to the data folder's
``collecte.csv`` (:func:`maroc_eval.paths.collected_file`), each with its provenance in
``source`` (« formulaire reçu le 2012-03-14 (recus/2012-03-14-liege-tanger.xlsx) ») so that the
provenance annex names the file each figure came from. A replaced value's line is taken out of
the CSV file that held it, and the new line says what it replaces. Every received file that
brings a value is copied untouched to ``<data>/recus/<date>-<pair>.xlsx``.

Nothing is written before the whole result has been checked: the new files are written to a
temporary copy of the data folder, read back by ``validate``'s reader, and must give exactly the
expected values without any error. Then each file is replaced atomically (archives first).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import paths
from ..atomic import write_atomic
from ..core.observations import read_observations
from ..core.programme import Programme
from ..errors import OutputError, ProblemList, display_path
from ..fmt import plain
from ..i18n import _
from .diff import Diff, Value
from .received import FORM, KOBO, Received

HEADER = ["partenariat", "indicateur", "annee", "valeur", "ventilation", "source", "commentaire"]
# Written into the data (collecte.csv) and read back: stays French whatever the language.
PREAMBLE = ("# Valeurs reçues des communes et fusionnées par « maroc-eval importer » : la colonne "
            "source nomme le fichier reçu, gardé tel quel dans le dossier recus/.\n")
_PROVENANCE = re.compile(r"\s*—?\s*(formulaire|export Kobo|fichier) reçu le .*$")


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
        The data files rewritten.
    """

    merged: list[Value] = field(default_factory=list)
    archived: list[Path] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "fichier"


def archive_names(received: list[Received], folder: Path, day: dt.date) -> dict[Path, Path]:
    """Where each received file is kept: ``recus/<date>-<pair or name><suffix>``.

    A file already kept with the same bytes keeps its name; another file of the same name gets
    ``-2``, ``-3``…
    """
    names: dict[Path, Path] = {}
    taken: set[Path] = set()
    for item in received:
        stem = f"{day.isoformat()}-{item.pair or _slug(item.path.stem)}"
        suffix = item.path.suffix.lower()
        data = item.path.read_bytes()
        n = 1
        while True:
            target = folder / (stem + (f"-{n}" if n > 1 else "") + suffix)
            same = target.is_file() and target.read_bytes() == data
            if target not in taken and (same or not target.exists()):
                break
            n += 1
        names[item.path] = target
        taken.add(target)
    return names


def provenance(item: Received, kept: Path, data_dir: Path, day: dt.date) -> str:
    """« formulaire reçu le 2012-03-14 (recus/2012-03-14-liege-tanger.xlsx) »."""
    word = {FORM: "formulaire", KOBO: "export Kobo"}.get(item.kind, "fichier")
    # the source column of the data: French, read back by _PROVENANCE
    return f"{word} reçu le {day.isoformat()} ({kept.relative_to(data_dir).as_posix()})"


def _number(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252"), "cp1252"


def _without_lines(path: Path, lines: set[int]) -> bytes:
    """A CSV file's bytes without some of its lines (the file's own numbering), same encoding."""
    text, encoding = _decode(path.read_bytes())
    kept = [line for n, line in enumerate(text.splitlines(keepends=True), start=1)
            if n not in lines]
    return "".join(kept).encode(encoding)


def plan_files(diff: Diff, current: pd.DataFrame, data_dir: Path, replace: bool,
               day: dt.date) -> tuple[dict[Path, bytes], dict[Path, Path], list[Value]]:
    """The data files' new bytes, the archives to write and the values merged.

    Raises
    ------
    InputError
        A value to replace sits in a workbook of the data folder (it cannot be rewritten).
    """
    data_dir = Path(data_dir)
    chosen = list(diff.new) + ([new for _, new in diff.changed] if replace else [])
    replaced = {new.key: old for old, new in diff.changed} if replace else {}
    contributing = list({id(v.received): v.received for v in chosen}.values())
    kept = archive_names(contributing, paths.received_dir(data_dir), day)
    files = {display_path(p): p for p in paths.data_files(data_dir)[0]}
    rows = current.set_index(["pair", "indicator", "year", "dimension", "category"])
    removals: dict[Path, set[int]] = {}
    problems = ProblemList()
    before: dict[tuple, str] = {}
    for key, old in replaced.items():
        found = rows.loc[[key]].iloc[0]
        path = files.get(found["file"], Path(found["file"]))
        before[key] = _("{value} ({file}, ligne {line})").format(
                          value=plain(old.value), file=path.name, line=int(found["line"]))
        if path.suffix.lower() != ".csv":
            problems.add(found["file"], int(found["line"]), "valeur", plain(old.value),
                         _("une valeur remplaçable : elle est dans un classeur Excel du dossier "
                           "de données ; modifiez-la dans ce classeur (ou convertissez-le en "
                           "CSV)"),
                         kind="replace-in-workbook")
        removals.setdefault(path, set()).add(int(found["line"]))
    problems.raise_if_errors()
    target = paths.collected_file(data_dir)
    out: dict[Path, bytes] = {p: _without_lines(p, lines) for p, lines in removals.items()}
    if target in out or target.is_file():
        text, _encoding = _decode(out.get(target) or target.read_bytes())
    else:
        text = PREAMBLE + ",".join(HEADER) + "\n"
    if text and not text.endswith("\n"):
        text += "\n"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for value in chosen:
        pair, code, year, dim, cat = value.key
        source = _PROVENANCE.sub("", value.source or "").strip()
        origin = provenance(value.received, kept[value.received.path], data_dir, day)
        comment = value.comment or ""
        if value.key in replaced:
            comment = "; ".join(c for c in (comment, f"remplace {before[value.key]}") if c)
        writer.writerow([pair, code, year, _number(value.value), f"{dim}={cat}" if dim else "",
                         f"{source} — {origin}" if source else origin, comment])
    out[target] = (text + buffer.getvalue()).encode("utf-8")
    return out, kept, chosen


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
        The merged files would hold an error or other values than expected.
    """
    with tempfile.TemporaryDirectory(prefix="maroc-eval-fusion-") as tmp:
        copies = []
        for path in paths.data_files(data_dir)[0]:
            copies.append(Path(tmp) / path.name)
            if path not in out:
                shutil.copyfile(path, copies[-1])
        for path, data in out.items():
            copy = Path(tmp) / path.name
            copy.write_bytes(data)
            if copy not in copies:
                copies.append(copy)
        df, found = read_observations(copies, programme)
    got = {(r.pair, r.indicator, int(r.year), r.dimension, r.category): float(r.value)
           for r in df.itertuples(index=False)}
    if found.has_errors or got != expected:
        detail = "; ".join(p.format() for p in found.errors[:3]) or \
            _("{n} valeur(s) différente(s)").format(
                n=len(set(got.items()) ^ set(expected.items())))
        raise OutputError(_("Fusion annulée, rien n'a été écrit : les fichiers fusionnés ne "
                            "redonneraient pas exactement les valeurs attendues "
                            "({detail}).").format(detail=detail))


def merge(diff: Diff, current: pd.DataFrame, data_dir: Path, programme: Programme, *,
          replace: bool = False, day: dt.date | None = None) -> MergeResult:
    """Merge the received values into the data folder.

    Parameters
    ----------
    diff : Diff
        From :func:`.diff.compute_diff` on files without errors.
    current : DataFrame
        The data folder's validated observations (``file`` and ``line`` included).
    data_dir : Path
        The data folder.
    programme : Programme
    replace : bool
        Also merge changed values (``--remplacer``); otherwise they are left as they are.
    day : date, optional
        The reception date written in the provenance and the archive names (default today).

    Returns
    -------
    MergeResult
        Empty when there is nothing to merge (nothing is written then).

    Raises
    ------
    InputError, OutputError
        Nothing has been written.
    """
    day = day or dt.date.today()
    data_dir = Path(data_dir)
    out, kept, chosen = plan_files(diff, current, data_dir, replace, day)
    if not chosen:
        return MergeResult()
    verify(out, data_dir, programme, _expected(current, chosen))
    for source, target in kept.items():
        if not target.exists():
            write_atomic(target, source.read_bytes())
    for path, data in out.items():
        write_atomic(path, data)
    return MergeResult(chosen, sorted(set(kept.values())), sorted(out))

