"""Writing a grid: one ``.xlsx`` per pair (or the programme) and phase (``maroc-eval grille``).

The workbook opens on « Lisez-moi » (:mod:`.readme`), then the team sheets of :mod:`.layout`
filled by :mod:`.content`: the evidence in grey locked cells, the team's current text (the
store's) in yellow cells, with lists for grades, actors, priorities and follow-up states and date
cells for deadlines. Two hidden sheets: ``listes`` (the lists' entries) and the metadata sheet
(:data:`.layout.META_SHEET`), which says whose grid it is, its layout version, which row holds
which item, a fingerprint of every locked cell, the identity cells and their expected text, the
store's appraisal as the grid was written from it (the *base* of the three-way merge at
import), the evidence shown (recorded as ``preuves_vues`` at import), and a digest of all that.
"""

from __future__ import annotations

import datetime as dt
import json
from io import BytesIO
from pathlib import Path

from ..base import i18n
from ..base.atomic import write_atomic
from ..base.errors import ProblemList
from ..base.i18n import N_, _
from . import layout as L
from .cells import (
    DATE_FORMAT,
    MAX_CELL,
    fingerprint,
    meta_digest,
    normal,
    print_setup,
    protect,
    put,
    styles,
)
from .content import LIST_SHEETS, Labels, Row, place_of, rows, sheets_of
from .context import GridContext
from .places import flatten, place_label
from .readme import SHEET_PURPOSES, identity_title, write_readme

EMPTY_NOTES = {
    "suivi": N_("(L'évaluation précédente n'a pas fait de recommandation : rien à suivre.)"),
    "controles": N_("(Aucun contrôle ne se déclenche sur le texte actuel de l'équipe.)"),
}
"""What a keyed sheet without rows says (on row 3: its rows would be read as the team's)."""
CHUNK = 30_000
"""Characters per cell of the metadata's long values (a cell holds at most 32 767)."""


def grid_bytes(ctx: GridContext, day: dt.date | None = None) -> bytes:
    """The grid of one pair (or the programme) at one phase, as the bytes of an ``.xlsx``.

    Raises
    ------
    InputError
        A stored text is longer than a spreadsheet cell holds (it would be cut).
    """
    from openpyxl import Workbook

    programme = ctx.view.programme.localised()
    matrix = ctx.view.matrix.localised()
    flat = flatten(ctx.appraisal)
    _check_texts(ctx, flat)
    labels = Labels(matrix.addressees, matrix.priorities, matrix.follow_up_states)
    sheets = sheets_of(ctx, flat)
    wb = Workbook()
    readme = wb.active
    readme.title = _(L.README_TITLE)
    meta: list[list] = [[L.FORMAT, L.LAYOUT_VERSION], ["partenariat", ctx.who],
                        ["phase", ctx.phase], ["langue", i18n.language()],
                        ["ecrite_le", (day or dt.date.today()).isoformat()]]
    for cell in write_readme(readme, ctx, programme, matrix, sheets):
        meta.append(["identite", readme.title, cell, normal(readme[cell].value)])
    protect(readme)
    print_setup(readme, 1, "A")
    lists = _Lists(wb.create_sheet(L.LISTS_SHEET), programme, labels)
    where: dict = {}
    for sheet in sheets:
        ws = wb.create_sheet(_(sheet.title))
        found = rows(sheet, ctx, flat, programme, matrix, labels, where)
        _write_sheet(ws, sheet, found, ctx, programme, lists, meta, where)
    _chunked(meta, "base", ctx.appraisal.model_dump_json(exclude={"file"}))
    _chunked(meta, "preuves", json.dumps(ctx.seen(), ensure_ascii=False, sort_keys=True))
    meta.append(["empreinte", meta_digest(meta)])
    ws = wb.create_sheet(L.META_SHEET)
    for line in meta:
        ws.append([None] * len(line))
        for i, value in enumerate(line, start=1):
            put(ws.cell(ws.max_row, i), value)
    wb.move_sheet(lists.ws, offset=len(wb.sheetnames) - 2 - wb.index(lists.ws))
    lists.ws.sheet_state = ws.sheet_state = "hidden"
    wb.active = 0
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _chunked(meta: list[list], key: str, text: str) -> None:
    meta.append([key, *(text[i:i + CHUNK] for i in range(0, len(text), CHUNK))] if text
                else [key])


def _check_texts(ctx: GridContext, flat: dict) -> None:
    """Every stored text fits in a cell and holds no control character (a workbook cannot
    hold them): otherwise it would be cut or changed in the grid."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    problems = ProblemList()
    shown = ctx.appraisal.file or f"{ctx.phase}/{ctx.who}.yml"
    for place, value in flat.items():
        line = ctx.view.appraisals.line(ctx.phase, ctx.who, *place)
        items = value if isinstance(value, tuple) else (value,)
        for item in items:
            for text in item if isinstance(item, tuple) else (item,):
                if not isinstance(text, str):
                    continue
                if len(text) > MAX_CELL:
                    problems.add(shown, line, place_label(place), text, _(
                        "un texte de {limit} caractères au plus (ce qu'une cellule de tableur "
                        "contient ; celui-ci en a {n}) : coupez-le en deux").format(
                            limit=MAX_CELL, n=len(text)), kind="too-long")
                if ILLEGAL_CHARACTERS_RE.search(text):
                    problems.add(shown, line, place_label(place), text, _(
                        "un texte sans caractère de contrôle (un classeur ne peut pas en "
                        "contenir) : retirez-le du fichier"), kind="control-character")
    problems.raise_if_errors()


class _Lists:
    """The hidden sheet of the lists' entries, and one data validation per kind and sheet."""

    def __init__(self, ws, programme, labels: Labels):
        self.ws = ws
        entries = {L.GRADE: programme.rating_codes, L.ACTOR: list(labels.actors.values()),
                   L.PRIORITY: list(labels.priorities.values()),
                   L.STATE: list(labels.states.values())}
        self.ranges = {}
        for column, (kind, values) in enumerate(entries.items(), start=1):
            for row, value in enumerate(values, start=1):
                put(ws.cell(row, column), value)
            col = L.letter(column - 1)
            self.ranges[kind] = f"{L.LISTS_SHEET}!${col}$1:${col}${len(values)}"
        self.texts = {L.GRADE: _("une note de l'échelle ({codes})").format(
                          codes=", ".join(programme.rating_codes)),
                      L.ACTOR: _("un destinataire de la liste"),
                      L.PRIORITY: _("une priorité de la liste"),
                      L.STATE: _("un état de la liste"),
                      L.DATE: _("une date (JJ/MM/AAAA)")}

    def validation(self, kind: str):
        from openpyxl.worksheet.datavalidation import DataValidation

        common = dict(allow_blank=True, showErrorMessage=True, errorTitle=_("Valeur refusée"),
                      error=_("Attendu : {text}.").format(text=self.texts[kind]))
        if kind == L.DATE:
            return DataValidation(type="date", operator="between", formula1="36526",
                                  formula2="73051", **common)  # 1 Jan 2000 to 31 Dec 2099
        return DataValidation(type="list", formula1=self.ranges[kind], **common)


def _write_sheet(ws, sheet: L.Sheet, found: list[Row], ctx: GridContext, programme,
                 lists: _Lists, meta: list[list], where: dict) -> None:
    st = styles()
    title = identity_title(programme, ctx.phase, ctx.who, ws.title)
    put(ws["A1"], title)
    ws["A1"].font = st["title"]
    meta.append(["identite", ws.title, L.TITLE_CELL, normal(title)])
    put(ws["A2"], _("Cette feuille : {purpose}.").format(purpose=_(SHEET_PURPOSES[sheet.role])))
    if sheet.keyed and not found:
        put(ws["A3"], _(EMPTY_NOTES[sheet.role]))
    for i, column in enumerate(sheet.columns, start=1):
        cell = ws.cell(L.HEADER_ROW, i)
        put(cell, _(column.title))
        cell.font, cell.fill, cell.alignment = st["bold"], st["header"], st["wrap"]
        ws.column_dimensions[L.letter(i - 1)].width = column.width
    for n, row in enumerate(found):
        r = L.FIRST_ROW + n
        if sheet.keyed:
            meta.append(["ligne", sheet.role, r, row.key])
        for i, column in enumerate(sheet.columns):
            cell = ws.cell(r, i + 1)
            value = row.values.get(column.key)
            put(cell, None if value == "" else value)
            cell.alignment = st["wrap"]
            if not column.editable:
                cell.fill = st["locked"]
                continue
            cell.fill, cell.protection = st["input"], st["open"]
            if column.kind == L.DATE:
                cell.number_format = DATE_FORMAT
            place = place_of(sheet.role, row.key, column.key)
            if place is not None and (row.key is not None or sheet.keyed):
                where.setdefault(place, f"{ws.title}!{cell.coordinate}")
    if sheet.role in LIST_SHEETS:
        where[LIST_SHEETS[sheet.role]] = f"{ws.title}!A{L.FIRST_ROW}"
    last_row = L.FIRST_ROW + len(found) - 1
    validations = {}
    for i, column in enumerate(sheet.columns):
        if column.kind in (*L.LISTED, L.DATE) and found:
            if column.kind not in validations:
                validations[column.kind] = lists.validation(column.kind)
                ws.add_data_validation(validations[column.kind])
            col = L.letter(i)
            validations[column.kind].add(f"{col}{L.FIRST_ROW}:{col}{last_row}")
    meta.append(["feuille", sheet.role, ws.title, last_row, len(sheet.columns)])
    for row in ws.iter_rows(min_row=2, max_row=max(last_row, L.HEADER_ROW),
                            max_col=len(sheet.columns)):
        for cell in row:
            if cell.protection.locked:
                meta.append(["verrou", ws.title, cell.coordinate, fingerprint(cell.value)])
    ws.freeze_panes = f"{sheet.freeze}{L.FIRST_ROW}"
    protect(ws)
    print_setup(ws, L.HEADER_ROW, sheet.last_letter)


def write_grids(contexts: list[GridContext], folder: Path, *, replace: bool = False,
                day: dt.date | None = None) -> list[Path]:
    """Write the grids of some contexts into ``folder`` (atomically, each).

    A grid already in ``folder`` that holds text not yet imported (importing it would change
    the store) is not overwritten unless ``replace``: nothing is written then.

    Returns
    -------
    list of Path
        The grids written, in the order of ``contexts``.

    Raises
    ------
    InputError
        A grid in the way holds text not yet imported (or cannot be read), or a stored text
        does not fit in a cell.
    """
    from .reader import pending_changes

    folder = Path(folder)
    targets = [(ctx, folder / L.grid_name(ctx.phase, ctx.who)) for ctx in contexts]
    if not replace:
        problems = ProblemList()
        for ctx, path in targets:
            if path.is_file():
                pending_changes(path, ctx, problems)
        problems.raise_if_errors()
    data = [(path, grid_bytes(ctx, day)) for ctx, path in targets]
    for path, content in data:
        write_atomic(path, content)
    return [path for path, _content in data]

