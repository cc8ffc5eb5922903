"""Reading a filled form back: nothing of its hidden sheet is trusted, nothing ignored silently.

In this order (:mod:`.formmeta` says what the hidden sheet holds):

1. **the hidden sheet, cell by cell**: its format, pair, years, heading row, signature and each
   layout row; a bogus cell is an error at that cell (``formulaire.xlsx, maroc-eval!B12``);
2. **the layout and the signature**: the rows read must be those the programme gives for these
   years, and the signature must be the data folder's (:func:`.formmeta.form_key`): otherwise
   an error, and nothing is read from the form. The pair, the years and which years are locked
   cannot be changed;
3. **the RI sheets**: an input row whose code or year changed (a row inserted, moved or sorted)
   and a merged range over an input cell are errors; a sheet whose pair line changed comes from
   another pair's form: an error; a locked cell edited (a past year's value, a label) and
   anything written outside the form's rows and columns, or in a sheet added, are warnings
   naming the cell: their content is ignored; a formula without a cached result in an input
   cell is an error (a formula with one gives its result, as text when it is text);
4. **the input cells**, checked by ``validate``'s own row checks (:func:`.received.check_entries`).

Errors are what would change the values imported; warnings what is ignored without changing
them, so the evaluator can ask the commune. Nothing blocks the reading of the other files. The
instructions sheet and the hidden lists of choices are never read: what is typed there changes
no value.
"""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..base.errors import ERROR, WARNING, ProblemList
from ..base.i18n import N_, _
from ..core.programme import Programme
from ..core.rawtable import Cell
from .formmeta import (
    COLUMNS,
    COMMENT,
    DIGEST,
    FORMAT,
    HEADER_ROW,
    INFO,
    INPUTS,
    LAYOUT_START,
    META_COLUMNS,
    META_SHEET,
    SOURCE,
    VALUE,
    Slot,
    changed_cells,
    form_key,
    layout,
    signature,
)
from .rules import choice_value, parse_years

_HEX = re.compile(r"^[0-9a-f]+$")
FORM_HINT = N_("si la donnée n'existe pas, laissez la cellule vide et dites-le dans "
               "« Commentaire »")
"""What a commune does with an unknown value in a form (French source, translated by the row
checks): a form's rows cannot be deleted."""


@dataclass
class Meta:
    """What the hidden sheet says, once every cell of it has been checked."""

    pair: str
    years: list[int]
    day: str
    signature: str
    slots: list[Slot] = field(default_factory=list)
    digests: list[str] = field(default_factory=list)


def _at(shown: str, sheet: str, ref: str) -> str:
    return f"{shown}, {sheet}!{ref}"


def read_meta(shown: str, ws, programme: Programme, problems: ProblemList) -> Meta | None:
    """The hidden sheet read and checked cell by cell (step 1 and the layout of step 2); every
    problem is an error at its cell; ``None`` when there is one."""
    rows = [list(r) + [None] * (len(META_COLUMNS) - len(r))
            for r in ws.iter_rows(max_col=len(META_COLUMNS), values_only=True)]
    local = ProblemList(limit=10)

    def bad(ref: str, value, expected: str) -> None:
        local.add(_at(shown, META_SHEET, ref), None, None, value, expected, kind="form-meta")

    if not rows or rows[0][0] != FORMAT:
        bad("A1", rows[0][0] if rows else None,
            _("« {format} » : un formulaire produit par cette version de « maroc-eval "
              "formulaire » (demandez un nouveau formulaire)").format(format=FORMAT))
        problems.extend(local)
        return None
    info = {}
    for i, name in enumerate(INFO, start=2):
        row = rows[i - 1] if i <= len(rows) else [None, None]
        if row[0] != name:
            bad(f"A{i}", row[0], _("« {name} » (la feuille cachée a été modifiée)").format(
                name=name))
        info[name] = row[1]
    pair = info.get("partenariat")
    if pair not in programme.pair_codes:
        bad("B2", pair, _("un partenariat du programme"))
    try:
        years = parse_years(str(info.get("annees") or ""), programme)
    except ValueError as exc:
        bad("B3", info.get("annees"), str(exc))
        years = []
    if info.get("ligne_entete") != HEADER_ROW:
        bad("B5", info.get("ligne_entete"), str(HEADER_ROW))
    sign = info.get("signature")
    if not (isinstance(sign, str) and len(sign) == 64 and _HEX.match(sign)):
        bad("B6", sign, _("la signature du formulaire (64 caractères hexadécimaux)"))
    head = LAYOUT_START - 1
    if len(rows) < head or tuple(rows[head - 1]) != META_COLUMNS:
        bad(f"A{head}", rows[head - 1][0] if len(rows) >= head else None,
            _("l'en-tête {columns}").format(columns=", ".join(META_COLUMNS)))
    if local.has_errors:
        problems.extend(local)
        return None
    expected = layout(programme, years)
    got = rows[LAYOUT_START - 1:]
    while got and not any(v is not None for v in got[-1]):
        got.pop()
    digests = []
    for n, (slot, row) in enumerate(zip(expected, got, strict=False), start=LAYOUT_START):
        want = slot.as_row("")[:-1]
        digest = row[len(want)]
        digests.append(digest)
        wrong = next((c for c, (value, wanted) in enumerate(zip(row, want, strict=False))
                      if value != wanted), None)
        if wrong is not None:
            bad(f"{COLUMNS[wrong]}{n}", row[wrong],
                _("{wanted} (feuille cachée modifiée : cette ligne décrit {sheet}!A{row} "
                  "dans un formulaire des années {years})").format(
                    wanted=_("une cellule vide") if want[wrong] is None else f"« {want[wrong]} »",
                    sheet=slot.sheet, row=slot.row, years=info.get("annees")))
            continue
        if not (isinstance(digest, str) and _HEX.match(digest) and len(digest) % DIGEST == 0
                and len(digest) <= DIGEST * len(COLUMNS)):  # its content: the signature's
            bad(f"H{n}", digest, _("l'empreinte de la ligne ({n} caractères hexadécimaux)").format(
                n=DIGEST * len(slot.locked)))
    if len(got) != len(expected):
        n = LAYOUT_START + min(len(got), len(expected))
        bad(f"A{n}", got[len(expected)][0] if len(got) > len(expected) else None,
            _("{n} lignes de disposition (feuille cachée modifiée : {got} lues)").format(
                n=len(expected), got=len(got)))
    if local.has_errors:
        problems.extend(local)
        return None
    return Meta(pair, years, str(info.get("genere_le")), sign, expected, digests)


def check_signature(shown: str, meta: Meta, data_dir: Path | None,
                    problems: ProblemList) -> bool:
    """Whether the hidden sheet is signed by the data folder's key (step 2); an error if not."""
    key = form_key(data_dir) if data_dir is not None else None
    rows = [slot.as_row(digest) for slot, digest in zip(meta.slots, meta.digests, strict=True)]
    if key is not None and hmac.compare_digest(
            signature(key, meta.pair, meta.years, meta.day, rows), meta.signature):
        return True
    why = (_("un formulaire produit avec ce dossier de données : sa signature ne correspond pas "
             "(feuille cachée modifiée : partenariat, années, disposition ; ou formulaire "
             "produit avec un autre dossier de données : importez-le dans celui-là, ou "
             "envoyez un nouveau formulaire)") if key is not None else
           _("un formulaire produit avec ce dossier de données : il n'a encore produit aucun "
             "formulaire (pas de clé {key}) ; importez ce formulaire dans le dossier de données "
             "qui l'a produit").format(key=".maroc-eval-cle"))
    problems.add(_at(shown, META_SHEET, "B6"), None, None, None, why, kind="form-signature")
    return False


MAX_PER_SHEET = 20
"""Problems of one kind and severity listed one by one per sheet; the rest are counted."""


class CappedProblems:
    """A sheet's problems: :data:`MAX_PER_SHEET` of each kind listed, then one line counts the
    rest (a sheet filled with thousands of cells prints a few lines)."""

    def __init__(self, problems: ProblemList, shown: str, sheet: str):
        self.problems, self.shown, self.sheet = problems, shown, sheet
        self.seen: dict[tuple[str, str], int] = {}
        self.last: dict[tuple[str, str], str] = {}

    def add(self, file, line, column, value, expected, *, kind, severity=ERROR) -> None:
        key = (kind, severity)
        self.seen[key] = self.seen.get(key, 0) + 1
        self.last[key] = expected
        if self.seen[key] <= MAX_PER_SHEET:
            self.problems.add(file, line, column, value, expected, kind=kind,
                              severity=severity)

    def close(self) -> None:
        for (kind, severity), n in self.seen.items():
            if n > MAX_PER_SHEET:
                self.problems.add(f"{self.shown}, {self.sheet}", None, None, None,
                                  _("… et {n} autres cellules : {what}").format(
                                      n=n - MAX_PER_SHEET, what=self.last[(kind, severity)]),
                                  kind=kind, severity=severity)


def sheet_problems(shown: str, ws, slots: list[Slot], digests: list[str],
                   problems: ProblemList) -> set[int]:
    """Step 3 for one RI sheet; returns the input rows not to read (moved rows, merged cells)."""
    skip: set[int] = set()
    sheet = ws.title
    problems = CappedProblems(problems, shown, sheet)
    inputs = {f"{c}{s.row}" for s in slots if s.entry for c in INPUTS}
    for merged in ws.merged_cells.ranges:
        cells = {f"{COLUMNS[c - 1] if c <= len(COLUMNS) else ''}{r}"
                 for r in range(merged.min_row, merged.max_row + 1)
                 for c in range(merged.min_col, merged.max_col + 1)}
        if cells & inputs:
            problems.add(_at(shown, sheet, merged.coord), None, None, None,
                         _("une valeur par cellule : défusionnez {cells} et saisissez chaque "
                           "année dans sa cellule").format(cells=merged.coord),
                         kind="merged-cells")
            skip.update(range(merged.min_row, merged.max_row + 1))
        else:
            problems.add(_at(shown, sheet, merged.coord), None, None, None,
                         _("des cellules non fusionnées (fusion ignorée)"),
                         kind="merged-cells", severity=WARNING)
    for slot, digest in zip(slots, digests, strict=True):
        changed = changed_cells(ws, slot, digest)
        if not changed:
            continue
        if slot.code is not None and ("A" in changed or "D" in changed):
            problems.add(_at(shown, sheet, f"A{slot.row}"), None, None,
                         ws[f"A{slot.row}"].value,
                         _("{code} {year} sur cette ligne (ligne déplacée ou modifiée : "
                           "renvoyez le formulaire sans trier ni insérer de lignes)").format(
                             code=slot.code, year=slot.year), kind="form-row")
            skip.add(slot.row)
            continue
        if slot.code is None and slot.row == 2:
            problems.add(_at(shown, sheet, "A2"), None, None, ws["A2"].value,
                         _("la ligne du partenariat de ce formulaire : cette feuille vient "
                           "d'un autre formulaire (recopiez les valeurs dans le bon "
                           "formulaire)"), kind="form-sheet")
            skip.update(s.row for s in slots)
            continue
        for column in changed:
            ref = f"{column}{slot.row}"
            if slot.code is not None and not slot.entry and column in INPUTS:
                expected = _("la valeur envoyée : {year} est une année passée, verrouillée, "
                             "donnée pour référence (modification ignorée ; pour corriger une "
                             "année passée, envoyez un formulaire qui l'inclut, "
                             "--annees {year}-…)").format(year=slot.year)
            else:
                expected = _("le texte envoyé : cette cellule est verrouillée (modification "
                             "ignorée)")
            problems.add(_at(shown, sheet, ref), None, None, ws[ref].value, expected,
                         kind="locked-cell", severity=WARNING)
    last = max(s.row for s in slots)
    for row in ws.iter_rows(min_row=1, max_row=max(ws.max_row, 1)):
        for cell in row:
            if cell.value is None or (isinstance(cell.value, str) and not cell.value.strip()):
                continue
            if cell.row > last or cell.column > len(COLUMNS):
                problems.add(_at(shown, sheet, cell.coordinate), None, None, cell.value,
                             _("rien hors des lignes et colonnes du formulaire (contenu "
                               "ignoré : écrivez-le dans « Commentaire »)"),
                             kind="form-extra", severity=WARNING)
    problems.close()
    return skip


def extra_sheets(shown: str, values, known: set[str], problems: ProblemList) -> None:
    """A sheet added to the form, with content: a warning (it is not read)."""
    for ws in values.worksheets:
        if ws.title in known:
            continue
        if any(v not in (None, "") for row in ws.iter_rows(values_only=True) for v in row):
            problems.add(_at(shown, ws.title, "A1"), None, None, None,
                         _("aucune feuille ajoutée : cette feuille n'est pas lue (recopiez ses "
                           "valeurs dans les feuilles du formulaire)"),
                         kind="form-extra", severity=WARNING)


def entry_cells(shown: str, ws, wf, slot: Slot, pair: str, problems: ProblemList):
    """The cells of one input row for :func:`.received.check_entries`, or ``None`` when its
    value cell is blank or holds a formula without result (an error)."""
    sheet, row = ws.title, slot.row
    where = {"value": (_at(shown, sheet, f"{VALUE}{row}"), None, None),
             "source": (_at(shown, sheet, f"{SOURCE}{row}"), None, None),
             "comment": (_at(shown, sheet, f"{COMMENT}{row}"), None, None)}
    texts = {}
    for name, column in (("value", VALUE), ("source", SOURCE), ("comment", COMMENT)):
        cell, raw = ws[f"{column}{row}"], wf[f"{column}{row}"]
        if cell.value is None and raw.data_type == "f":
            problems.add(*where[name], raw.value,
                         _("une valeur : cette formule n'a pas de résultat enregistré (ouvrez le "
                           "fichier dans un tableur et enregistrez-le)"), kind="formula")
            texts[name] = False
        else:
            texts[name] = cell.value
    if texts["value"] is False or texts["value"] is None or (
            isinstance(texts["value"], str) and not texts["value"].strip()):
        return None
    if texts["source"] is False or texts["comment"] is False:
        return None
    cell = ws[f"{VALUE}{row}"]
    cells = [Cell(pair), Cell(slot.code), Cell(int(slot.year)),
             Cell(choice_value(cell.value), cell.number_format or ""),
             Cell(f"{slot.dimension}={slot.category}" if slot.dimension else ""),
             Cell(texts["source"]), Cell(texts["comment"])]
    return cells, where
