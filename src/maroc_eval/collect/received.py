"""Reading back what the communes send: filled forms, Kobo exports, long-format files.

Each received file becomes a table of values (the columns of the observations table, plus
``where``: the cell a value was read from) checked by ``validate``'s own row checks
(:class:`~maroc_eval.core.rows.RowReader`). Every problem is located in the file the commune
sent: ``formulaire-liege-tanger-2011-2012.xlsx, RI3!E14`` for a form or an Excel export,
``export.csv:3:RI3_1_2011`` for a CSV. A blank input cell is not a value: it is left out.

- a form (:mod:`.form`) is recognised by its hidden ``maroc-eval`` sheet, which says which cell
  holds which indicator, year and disaggregation;
- a KoboToolbox / ODK export (Excel or CSV, « XML values and headers », groups separated by
  ``/`` or not) by its question names (:func:`.rules.question_name`);
- anything else is a long-format monitoring file, read exactly as ``validate`` reads it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..base.errors import WARNING, ProblemList, display_path
from ..base.i18n import N_, _
from ..core.header import HEADER_NAMES
from ..core.observations import read_observations
from ..core.programme import Programme
from ..core.rawtable import Cell, RawTable, letter
from ..core.rows import RowReader
from ..core.sheets import read_table
from ..core.xlsx_archive import within_limits
from .form import INSTRUCTIONS, LISTS_SHEET
from .formmeta import META_SHEET
from .formread import (
    FORM_HINT,
    CappedProblems,
    check_signature,
    entry_cells,
    extra_sheets,
    read_meta,
    sheet_problems,
)
from .rules import choice_value, question_keys

FORM, KOBO, LONG = N_("formulaire"), N_("export Kobo"), N_("fichier de suivi")
"""Kinds of received file (French source: translate where shown, ``_(kind)``)."""
KEYS = ("pair", "indicator", "year", "value", "disaggregation", "source", "comment")
ROW_COLUMNS = ["pair", "indicator", "year", "value", "dimension", "category", "source",
               "comment", "where"]


@dataclass
class Received:
    """The values of one received file.

    Attributes
    ----------
    path : Path
        The file.
    shown : str
        The file as messages name it.
    kind : str
        :data:`FORM`, :data:`KOBO` or :data:`LONG`.
    rows : DataFrame
        Valid values (:data:`ROW_COLUMNS`; ``where`` locates each in the file).
    scope : set of (str, int)
        The (pair, year) the file answers for: a value of the data folder in its scope that the
        file does not give has « disappeared ».
    pair : str or None
        The pair of a form.
    """

    path: Path
    shown: str
    kind: str
    rows: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=ROW_COLUMNS))
    scope: set = field(default_factory=set)
    pair: str | None = None


@dataclass
class Entry:
    """One value as found in a file: its cells (in :data:`KEYS` order) and where each was."""

    cells: list
    where: dict[str, tuple[str, int | None, str | None]]


def read_received(path: Path | str, programme: Programme, problems: ProblemList,
                  data_dir: Path | None = None) -> Received:
    """Read one received file; its problems go to ``problems``.

    Parameters
    ----------
    path : Path or str
        A filled form, a Kobo export (``.xlsx`` or ``.csv``) or a long-format file.
    programme : Programme
    problems : ProblemList
        Receives every problem, located in the file.
    data_dir : Path, optional
        The data folder the file is imported into: a form must be signed with its key
        (:mod:`.formmeta`); without it, a form is refused.

    Returns
    -------
    Received
        The valid values (those with an error are left out, and reported).
    """
    path = Path(path)
    shown = display_path(path)
    if path.suffix.lower() == ".xlsx" and path.is_file():
        book = _open_book(path, shown, programme, problems)
        if book is False:
            return Received(path, shown, FORM)
        if book is not None and META_SHEET in book[0].sheetnames:
            return _read_form(path, shown, book, programme, problems, data_dir)
        if book is not None and _kobo_header(_first_row(book[0].worksheets[0]), programme):
            return _read_kobo_xlsx(path, shown, book, programme, problems)
    elif path.suffix.lower() == ".csv" and path.is_file():
        local = ProblemList()
        table = read_table(path, local)
        if table is not None and _kobo_header(table.header, programme):
            problems.extend(local)
            return _read_kobo_csv(path, shown, table, programme, problems)
    df, found = read_observations([path], programme, whole=False)
    problems.extend(found)
    rows = df.assign(where=[f"{shown}:{n}" for n in df["line"]])[ROW_COLUMNS]
    return Received(path, shown, LONG, rows.reset_index(drop=True),
                    {(p, int(y)) for p, y in zip(rows["pair"], rows["year"], strict=True)})


MAX_UNPACKED = 4 * 1024 * 1024
"""Bytes a received workbook may declare once unpacked to be opened whole (a form takes about
0.3 MB, a Kobo export of a collection round less): the cost of a whole workbook grows with it
(about 40 MB of memory and 1 s per MB). A larger long-format file goes to ``validate``'s
streaming reader; a larger form or Kobo export is refused."""


def _open_book(path: Path, shown: str, programme: Programme, problems: ProblemList):
    """The workbook twice (cached values, formulas); ``None`` for another reader; ``False``
    when it is a form or a Kobo export too large to open (reported)."""
    import zipfile

    import openpyxl

    if not within_limits(path):  # too large or damaged: the long-format reader says why
        return None
    try:
        with zipfile.ZipFile(path) as archive:
            size = sum(i.file_size for i in archive.infolist())
        if size > MAX_UNPACKED:
            peek = openpyxl.load_workbook(path, read_only=True)
            try:
                ours = META_SHEET in peek.sheetnames or _kobo_header(
                    _first_row(peek.worksheets[0]), programme)
            finally:
                peek.close()
            if not ours:
                return None
            problems.add(shown, None, None, None,
                         _("un formulaire ou un export Kobo de {limit} Mo au plus une fois "
                           "décompressé (celui-ci en déclare {size} Mo : enregistrez-le sans "
                           "les lignes et feuilles ajoutées)").format(
                             limit=MAX_UNPACKED // (1024 * 1024),
                             size=f"{size / (1024 * 1024):.0f}"), kind="too-large")
            return False
        return (openpyxl.load_workbook(path, data_only=True),
                openpyxl.load_workbook(path, data_only=False))
    except Exception:  # a damaged workbook: the long-format reader reports it
        return None


def _first_row(ws) -> list[str]:
    row = next(ws.iter_rows(min_row=1, max_row=1, values_only=True), ())
    return ["" if v is None else str(v).strip() for v in row]


def _question(header: str) -> str:
    """A Kobo column's question name: the last part of ``group/question``."""
    return header.rsplit("/", 1)[-1].strip()


def _kobo_header(header: list[str], programme: Programme) -> bool:
    names = question_keys(programme)
    return any(_question(h) in names for h in header)


# -- forms -------------------------------------------------------------------------------
def _read_form(path, shown, book, programme, problems, data_dir) -> Received:
    """A filled form (:mod:`.formread` says what is checked, in which order)."""
    values, formulas = book
    received = Received(path, shown, FORM)
    meta = read_meta(shown, values[META_SHEET], programme, problems)
    if meta is None or not check_signature(shown, meta, data_dir, problems):
        return received
    pair = received.pair = meta.pair
    received.scope = {(pair, y) for y in meta.years}
    entries = []
    sheets = list(dict.fromkeys(slot.sheet for slot in meta.slots))
    for sheet in sheets:
        if sheet not in values.sheetnames:
            problems.add(shown, None, None, sheet, _("la feuille « {sheet} » du formulaire "
                                                     "(renommée ou supprimée ?)").format(
                                                       sheet=sheet), kind="form-sheet")
            continue
        ws, wf = values[sheet], formulas[sheet]
        mine = [(s, d) for s, d in zip(meta.slots, meta.digests, strict=True) if s.sheet == sheet]
        skip = sheet_problems(shown, ws, [s for s, _d in mine], [d for _s, d in mine], problems)
        for slot, _digest in mine:
            if not slot.entry or slot.row in skip:
                continue
            found = entry_cells(shown, ws, wf, slot, pair, problems)
            if found is not None:
                cells, where = found
                place = {k: where["value"] for k in KEYS} | {
                    "source": where["source"], "comment": where["comment"]}
                entries.append(Entry(cells, place))
    extra_sheets(shown, values, {*sheets, INSTRUCTIONS, LISTS_SHEET, META_SHEET}, problems)
    received.rows = check_entries(entries, shown, programme, problems, hint=FORM_HINT)
    return received


# -- Kobo / ODK exports ------------------------------------------------------------------
def _read_kobo_xlsx(path, shown, book, programme, problems) -> Received:
    values, formulas = book
    ws, wf = values.worksheets[0], formulas.worksheets[0]
    header = _first_row(ws)
    sheet = ws.title
    capped = CappedProblems(problems, shown, sheet)
    for merged in ws.merged_cells.ranges:
        capped.add(f"{shown}, {sheet}!{merged.coord}", None, None, None,
                   _("une valeur par cellule : défusionnez {cells}").format(
                       cells=merged.coord), kind="merged-cells")

    def rows():
        for line, (row, raw) in enumerate(zip(ws.iter_rows(min_row=2), wf.iter_rows(min_row=2),
                                              strict=False), start=2):
            cells = []
            for cell, formula in zip(row, raw, strict=False):
                if cell.value is None and formula.data_type == "f":
                    capped.add(f"{shown}, {sheet}!{cell.coordinate}", None, None,
                               formula.value,
                               _("une valeur : cette formule n'a pas de résultat enregistré "
                                 "(ouvrez le fichier dans un tableur et enregistrez-le)"),
                               kind="formula")
                cells.append(cell.value)
            if any(v not in (None, "") for v in cells):
                yield line, cells

    def where(line, i):
        return (f"{shown}, {sheet}!{letter(i)}{line}", None, None)

    try:
        return _read_kobo(path, shown, header, rows(), where, programme, problems)
    finally:
        capped.close()


def _read_kobo_csv(path, shown, table: RawTable, programme, problems) -> Received:
    try:
        return _read_kobo(path, shown, table.header, table.rows,
                          lambda line, i: (shown, line, table.header[i]), programme, problems)
    finally:
        if table.close is not None:
            table.close()


def _read_kobo(path, shown, header, rows, where, programme, problems) -> Received:
    keys = question_keys(programme)
    names = [_question(h) for h in header]
    received = Received(path, shown, KOBO)
    if "partenariat" not in names:
        problems.add(shown, 1, "partenariat", None, _("une colonne « partenariat » (question du "
                                                      "formulaire XLSForm de maroc-eval)"),
                     kind="missing-column")
        return received
    pair_at = names.index("partenariat")
    by_label = {p.label.lower(): p.code for p in programme.pairs}
    latest: dict[tuple, int] = {}
    entries: list[Entry] = []
    for line, cells in rows:
        cells = [c.value if isinstance(c, Cell) else c for c in cells]
        raw_pair = _text(cells[pair_at] if pair_at < len(cells) else None)
        pair = by_label.get(raw_pair.lower(), raw_pair)
        for i, name in enumerate(names):
            if name not in keys or i >= len(cells) or _text(cells[i]) == "":
                continue
            code, year, dim, cat = keys[name]
            ri = code.split(".")[0]
            note = {k: _answer(names, cells, f"{ri}_{k}") for k in ("source", "commentaire")}
            place = {k: where(line, i) for k in KEYS}
            place["pair"] = where(line, pair_at)
            received.scope.add((pair, year))
            key = (pair, code, year, dim, cat)
            if key in latest:
                problems.add(*place["value"], _text(cells[i]),
                             _("une seule soumission par partenariat : la plus récente (la plus "
                               "basse du fichier) est retenue"), kind="resubmitted",
                             severity=WARNING)
                entries[latest[key]] = None
            latest[key] = len(entries)
            entries.append(Entry([Cell(pair), Cell(code), Cell(year),
                                  Cell(choice_value(cells[i])), Cell(f"{dim}={cat}" if dim else ""),
                                  Cell(note["source"]), Cell(note["commentaire"])], place))
    received.rows = check_entries([e for e in entries if e is not None], shown, programme,
                                  problems, hint=KOBO_HINT)
    return received


def _answer(names: list[str], cells: list, name: str) -> str:
    return _text(cells[names.index(name)]) if name in names and names.index(name) < len(cells) \
        else ""


def _text(value) -> str:
    return "" if value is None else str(value).strip()


# -- checks ------------------------------------------------------------------------------
KOBO_HINT = N_("si la donnée n'existe pas, laissez la réponse vide")
"""What to do with an unknown value in a Kobo submission (French source)."""


def check_entries(entries: list[Entry], shown: str, programme: Programme,
                  problems: ProblemList, hint: str | None = None) -> pd.DataFrame:
    """Check values with ``validate``'s row checks; problems are moved to their own cell.

    Parameters
    ----------
    entries : list of Entry
        Values read from one file.
    shown : str
        The file, as messages name it.
    programme : Programme
    problems : ProblemList
        Receives each problem at the cell of the entry it concerns.
    hint : str, optional
        What to do when a datum does not exist, for this kind of file (French source; default:
        the long file's « supprimez la ligne »).

    Returns
    -------
    DataFrame
        The valid values (:data:`ROW_COLUMNS`).
    """
    header = [HEADER_NAMES[k][0] for k in KEYS]
    table = RawTable(file=shown, header=header)
    local = ProblemList(limit=10**9)
    reader = RowReader(table, {k: i for i, k in enumerate(KEYS)}, programme, local)
    if hint is not None:
        reader.missing_hint = hint
    label_key = {h: k for h, k in zip(header, KEYS, strict=True)}
    records = []
    for n, entry in enumerate(entries, start=1):
        record = reader.read(n, entry.cells)
        if record is not None:
            where = entry.where["value"]
            records.append((*record[:8], where[0] if where[1] is None
                            else f"{where[0]}:{where[1]}:{where[2]}"))
    for p in local.items:
        entry = entries[p.line - 1] if p.line else None
        place = (entry.where.get(label_key.get(p.column, "value"), entry.where["value"])
                 if entry else (p.file, None, p.column))
        problems.add(*place, p.value, p.expected, kind=p.kind, severity=p.severity)
    frame = pd.DataFrame.from_records(records, columns=ROW_COLUMNS)
    return frame.astype({"year": "int64", "value": "float64"})
