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

from ..core.header import HEADER_NAMES
from ..core.observations import read_observations
from ..core.programme import Programme
from ..core.rawtable import Cell, RawTable, letter
from ..core.rows import RowReader
from ..core.sheets import read_table
from ..core.xlsx_archive import within_limits
from ..errors import WARNING, ProblemList, display_path
from ..i18n import N_, _
from .form import COMMENT, FORMAT, META_COLUMNS, META_SHEET, SOURCE, VALUE
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


def read_received(path: Path | str, programme: Programme, problems: ProblemList) -> Received:
    """Read one received file; its problems go to ``problems``.

    Parameters
    ----------
    path : Path or str
        A filled form, a Kobo export (``.xlsx`` or ``.csv``) or a long-format file.
    programme : Programme
    problems : ProblemList
        Receives every problem, located in the file.

    Returns
    -------
    Received
        The valid values (those with an error are left out, and reported).
    """
    path = Path(path)
    shown = display_path(path)
    if path.suffix.lower() == ".xlsx" and path.is_file():
        book = _open_book(path)
        if book is not None and META_SHEET in book[0].sheetnames:
            return _read_form(path, shown, book, programme, problems)
        if book is not None and _kobo_header(_first_row(book[0].worksheets[0]), programme):
            return _read_kobo_xlsx(path, shown, book[0].worksheets[0], programme, problems)
    elif path.suffix.lower() == ".csv" and path.is_file():
        local = ProblemList()
        table = read_table(path, local)
        if table is not None and _kobo_header(table.header, programme):
            problems.extend(local)
            return _read_kobo_csv(path, shown, table, programme, problems)
    df, found = read_observations([path], programme, whole=False)
    problems.extend(found)
    rows = df.assign(where=[_("ligne {n}").format(n=n) for n in df["line"]])[ROW_COLUMNS]
    return Received(path, shown, LONG, rows.reset_index(drop=True),
                    {(p, int(y)) for p, y in zip(rows["pair"], rows["year"], strict=True)})


def _open_book(path: Path):
    import openpyxl

    if not within_limits(path):  # too large or damaged: the long-format reader says why
        return None
    try:
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
def _read_form(path, shown, book, programme, problems) -> Received:
    values, formulas = book
    meta = list(values[META_SHEET].iter_rows(values_only=True))
    info = {str(r[0]): r[1] for r in meta[1:5] if r and r[0] is not None}
    received = Received(path, shown, FORM)
    header_at = next((i for i, r in enumerate(meta) if r and tuple(r[:6]) == META_COLUMNS), None)
    if not meta or meta[0][0] != FORMAT or header_at is None \
            or info.get("partenariat") not in programme.pair_codes:
        problems.add(f"{shown}, {META_SHEET}", None, None, None,
                     _("un formulaire produit par « maroc-eval formulaire » : sa feuille cachée "
                       "« {meta_sheet} » est absente ou a été modifiée (demandez un nouveau "
                       "formulaire)").format(meta_sheet=META_SHEET), kind="form-meta")
        return received
    pair = received.pair = str(info["partenariat"])
    years = [int(y) for y in str(info.get("annees", "")).split(",") if y.strip()]
    received.scope = {(pair, y) for y in years}
    entries = []
    for sheet, row, code, year, dim, cat in (r[:6] for r in meta[header_at + 1:] if r[0]):
        if sheet not in values.sheetnames:
            problems.add(shown, None, None, sheet, _("la feuille « {sheet} » du formulaire "
                                                     "(renommée ou supprimée ?)").format(
                                                       sheet=sheet), kind="form-sheet")
            continue
        ws, wf = values[sheet], formulas[sheet]
        row = int(row)
        if ws[f"A{row}"].value != code or ws[f"D{row}"].value != year:
            problems.add(f"{shown}, {sheet}!A{row}", None, None, ws[f"A{row}"].value,
                         _("{code} {year} sur cette ligne (ligne déplacée ou modifiée : "
                           "renvoyez le formulaire sans trier ni insérer de lignes)").format(
                             code=code, year=year),
                         kind="form-row")
            continue
        cell, raw = ws[f"{VALUE}{row}"], wf[f"{VALUE}{row}"].value
        where = {k: (f"{shown}, {sheet}!{VALUE}{row}", None, None) for k in KEYS}
        where["source"] = (f"{shown}, {sheet}!{SOURCE}{row}", None, None)
        where["comment"] = (f"{shown}, {sheet}!{COMMENT}{row}", None, None)
        if cell.value is None and isinstance(raw, str) and raw.startswith("="):
            problems.add(*where["value"], raw, _("une valeur : cette formule n'a pas de "
                                                 "résultat enregistré (ouvrez le fichier dans "
                                                 "un tableur et enregistrez-le)"),
                         kind="formula")
            continue
        if cell.value is None or (isinstance(cell.value, str) and not cell.value.strip()):
            continue
        split = f"{dim}={cat}" if dim else ""
        entries.append(Entry([Cell(pair), Cell(code), Cell(int(year)),
                              Cell(choice_value(cell.value), cell.number_format or ""),
                              Cell(split), Cell(ws[f"{SOURCE}{row}"].value),
                              Cell(ws[f"{COMMENT}{row}"].value)], where))
    received.rows = check_entries(entries, shown, programme, problems)
    return received


# -- Kobo / ODK exports ------------------------------------------------------------------
def _read_kobo_xlsx(path, shown, ws, programme, problems) -> Received:
    header = _first_row(ws)
    sheet = ws.title

    def rows():
        for line, row in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
            if any(v not in (None, "") for v in row):
                yield line, list(row)

    def where(line, i):
        return (f"{shown}, {sheet}!{letter(i)}{line}", None, None)

    return _read_kobo(path, shown, header, rows(), where, programme, problems)


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
                                  problems)
    return received


def _answer(names: list[str], cells: list, name: str) -> str:
    return _text(cells[names.index(name)]) if name in names and names.index(name) < len(cells) \
        else ""


def _text(value) -> str:
    return "" if value is None else str(value).strip()


# -- checks ------------------------------------------------------------------------------
def check_entries(entries: list[Entry], shown: str, programme: Programme,
                  problems: ProblemList) -> pd.DataFrame:
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

    Returns
    -------
    DataFrame
        The valid values (:data:`ROW_COLUMNS`).
    """
    header = [HEADER_NAMES[k][0] for k in KEYS]
    table = RawTable(file=shown, header=header)
    local = ProblemList(limit=10**9)
    reader = RowReader(table, {k: i for i, k in enumerate(KEYS)}, programme, local)
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
