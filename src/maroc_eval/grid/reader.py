"""Reading a filled grid back: is it the grid it says it is, untouched where it must be, and
what did the team write in it.

Before any cell of the team is read, the workbook must prove its identity: its hidden metadata
sheet (written by :mod:`.writer`) must be whole (its digest), of this layout version, of a known
pair and phase; the file's name must not name another pair or phase; the visible titles (the
identity cells) must say what the metadata says — an evaluator cannot import Liège's grid as
Jette's by accident. Then every sheet is checked: none missing or renamed, no merged cell, no
locked cell changed (its fingerprint), nothing written below the last row or right of the last
column (it would not be read: it is an error, so that no text is lost silently). Every problem is
located ``grille.xlsx, Réponses!G7``, with the value and what was expected, all at once.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..base.errors import ProblemList, display_path
from ..base.i18n import _, ngettext
from ..core.appraisal import Appraisal
from ..core.matrix import EvaluationMatrix
from ..core.programme import Programme
from . import layout as L
from .cells import fingerprint, normal
from .places import Place, build, flatten, merge, place_label
from .sheet_reader import SheetReader, labels_in_every_language

MAX_STRAY = 10
"""Cells written outside the grid reported one by one per sheet (the others are counted)."""


@dataclass
class GridRead:
    """A grid read back.

    Attributes
    ----------
    path : Path
    shown : str
        The file as messages name it.
    who, phase : str
        Whose grid it is (from its metadata, checked against its titles and its name).
    places : dict
        The team's text, by place (:mod:`.places`).
    where : dict
        Place → the cell it was read from (``Réponses!G7``).
    base : Appraisal
        The store's appraisal as the grid was written from it.
    seen : dict
        The evidence the grid showed: ``{"valeurs": …, "manquantes": …}``.
    """

    path: Path
    shown: str
    who: str
    phase: str
    places: dict[Place, object] = field(default_factory=dict)
    where: dict[Place, str] = field(default_factory=dict)
    base: Appraisal | None = None
    seen: dict = field(default_factory=dict)

    @property
    def base_places(self) -> dict[Place, object]:
        """The places of the base."""
        return flatten(self.base) if self.base is not None else {}

    def appraisal(self, programme: Programme, matrix: EvaluationMatrix) -> Appraisal:
        """The team's appraisal as the grid gives it (English versions of unchanged texts
        kept from the base)."""
        english = self.base.english if self.base is not None else {}
        return build(self.who, self.phase, self.places, english=english, seen=None,
                     programme=programme, matrix=matrix)

    def cell(self, place: Place) -> str:
        """Where a place stands in the grid (``grille.xlsx, Réponses!G7``)."""
        ref = self.where.get(place)
        return f"{self.shown}, {ref}" if ref else self.shown


def read_grid(path: Path | str, programme: Programme, matrix: EvaluationMatrix,
              problems: ProblemList) -> GridRead | None:
    """Read one filled grid; every problem goes to ``problems``.

    Returns
    -------
    GridRead or None
        ``None`` when the workbook is not a grid of this toolkit whose identity holds (nothing
        of it can be trusted then).
    """
    import openpyxl

    path = Path(path)
    shown = display_path(path)
    try:
        wb = openpyxl.load_workbook(path)
    except FileNotFoundError:
        problems.add(shown, None, None, None, _("une grille existante (.xlsx)"),
                     kind="missing-file")
        return None
    except Exception:  # not a workbook, or a damaged one
        problems.add(shown, None, None, None, _("un classeur .xlsx écrit par « maroc-eval "
                                                "grille » (ce fichier n'est pas un classeur "
                                                "lisible)"), kind="grid-meta")
        return None
    meta = _meta(wb, shown, problems)
    if meta is None:
        return None
    read = _identity(wb, meta, path, shown, programme, problems)
    if read is None:
        return None
    reader = SheetReader(shown, programme, matrix, problems, labels_in_every_language(matrix),
                         _shown_labels(matrix))
    lines: dict[str, list[tuple[int, str]]] = {}
    for row in meta["ligne"]:
        lines.setdefault(str(row[0]), []).append((int(row[1]), str(row[2])))
    locks: dict[str, list[tuple[str, str]]] = {}
    for title, cell, digest in meta["verrou"]:
        locks.setdefault(str(title), []).append((str(cell), str(digest)))
    for role, title, last_row, width in meta["feuille"]:
        sheet = L.SHEET_MAP.get(str(role))
        if sheet is None or str(title) not in wb.sheetnames:
            problems.add(shown, None, None, title, _("la feuille « {title} » de la grille "
                                                     "(renommée ou supprimée ?)").format(
                                                       title=title), kind="grid-sheet")
            continue
        ws = wb[str(title)]
        if not _intact(ws, int(last_row), int(width), locks.get(str(title), []), shown,
                       problems):
            continue
        if sheet.keyed:
            reader.keyed(ws, sheet, lines.get(sheet.role, []))
        else:
            reader.free(ws, sheet, int(last_row))
    reader.check_references()
    read.places, read.where = reader.places, reader.where
    try:
        read.base = Appraisal.model_validate_json(meta["base"])
        read.seen = json.loads(meta["preuves"]) if meta["preuves"] else {}
    except ValueError:
        problems.add(f"{shown}, {L.META_SHEET}", None, None, None, _(
            "une feuille cachée « {sheet} » intacte (demandez une nouvelle grille)").format(
                sheet=L.META_SHEET), kind="grid-meta")
    return read


def _meta(wb, shown: str, problems: ProblemList) -> dict | None:
    """The metadata rows by tag, or ``None`` (a problem said why)."""
    where = f"{shown}, {L.META_SHEET}"
    if L.META_SHEET not in wb.sheetnames:
        hint = (_(" : c'est un formulaire de suivi des communes, à importer avec « maroc-eval "
                  "importer »") if "maroc-eval" in wb.sheetnames else "")
        problems.add(shown, None, None, None, _("une grille écrite par « maroc-eval grille » "
                                                "(sa feuille cachée « {sheet} » est absente)")
                     .format(sheet=L.META_SHEET) + hint, kind="grid-meta")
        return None
    rows = []
    for row in wb[L.META_SHEET].iter_rows(values_only=True):
        values = list(row)
        while values and values[-1] is None:
            values.pop()
        if values:
            rows.append(values)
    if not rows or rows[0][:1] != [L.FORMAT] or len(rows[0]) < 2:
        problems.add(where, None, None, None, _("une grille écrite par « maroc-eval grille » "
                                                "(sa feuille cachée a été modifiée : demandez "
                                                "une nouvelle grille)"), kind="grid-meta")
        return None
    if normal(rows[0][1]) != L.LAYOUT_VERSION:
        problems.add(where, None, None, normal(rows[0][1]), _(
            "une grille de la version de mise en page {version}, celle que cette version de "
            "maroc-eval lit : écrivez une nouvelle grille (maroc-eval grille) et reportez-y vos "
            "textes").format(version=L.LAYOUT_VERSION), kind="grid-version")
        return None
    from .cells import meta_digest

    if rows[-1][:1] != ["empreinte"] or len(rows[-1]) < 2 \
            or normal(rows[-1][1]) != meta_digest(rows[:-1]):
        problems.add(where, None, None, None, _(
            "une feuille cachée « {sheet} » intacte : elle a été modifiée, la grille ne peut "
            "plus être relue sûrement (demandez une nouvelle grille)").format(
                sheet=L.META_SHEET), kind="grid-meta")
        return None
    out: dict = {"identite": [], "ligne": [], "verrou": [], "feuille": [], "base": "",
                 "preuves": ""}
    for row in rows[1:-1]:
        tag = row[0]
        if tag in ("base", "preuves"):
            out[tag] = "".join(str(v) for v in row[1:] if v is not None)
        elif tag in ("identite", "ligne", "verrou", "feuille"):
            out[tag].append(row[1:])
        else:
            out[tag] = normal(row[1]) if len(row) > 1 else ""
    return out


def _identity(wb, meta: dict, path: Path, shown: str, programme: Programme,
              problems: ProblemList) -> GridRead | None:
    """Check who and which phase the grid is for: metadata, file name, visible titles."""
    who, phase = meta.get("partenariat", ""), meta.get("phase", "")
    whos = [*programme.pair_codes, "programme"]
    where = f"{shown}, {L.META_SHEET}"
    if who not in whos or phase not in programme.phases:
        problems.add(where, None, None, f"{who} / {phase}", _(
            "un partenariat ({whos}) et une phase ({phases}) de ce programme").format(
                whos=", ".join(whos), phases=", ".join(programme.phases)), kind="grid-meta")
        return None
    ok = True
    stem = path.stem.lower()
    named = re.match(r"^grille-(?P<phase>[a-z0-9]+)-(?P<who>[a-z0-9-]+?)(?:[ _(].*)?$", stem)
    other_who = [w for w in whos if w != who and w in stem and who not in stem]
    other_phase = named and named["phase"] in programme.phases and named["phase"] != phase
    if other_who or other_phase:
        problems.add(shown, None, None, path.name, _(
            "une grille de {who} ({phase}), comme le disent sa feuille cachée et ses titres : "
            "le nom du fichier désigne un autre partenariat ou une autre phase (grille "
            "copiée ou renommée ?) ; renommez-la « {name} » si c'est bien la sienne").format(
                who=who, phase=phase, name=L.grid_name(phase, who)), kind="grid-identity")
        ok = False
    for title, cell, expected in meta["identite"]:
        if str(title) not in wb.sheetnames:
            continue  # said with the sheets
        found = normal(wb[str(title)][str(cell)].value)
        if found != normal(expected):
            problems.add(f"{shown}, {title}!{cell}", None, None, found, _(
                "« {expected} » : ce titre dit à qui est la grille, et sa feuille cachée dit "
                "{who} ({phase}) ; une grille d'un autre partenariat ou d'une autre phase ne "
                "s'importe pas à la place de celle-ci").format(
                    expected=normal(expected), who=who, phase=phase), kind="grid-identity")
            ok = False
    if not ok:
        return None
    return GridRead(path, shown, who, phase)


def _intact(ws, last_row: int, width: int, locks: list[tuple[str, str]], shown: str,
            problems: ProblemList) -> bool:
    """No merged cell, no locked cell changed, nothing outside the grid; ``False`` when the
    sheet's rows cannot be trusted (merged cells)."""
    ok = True
    for merged in ws.merged_cells.ranges:
        problems.add(f"{shown}, {ws.title}!{merged.coord}", None, None, None, _(
            "des cellules séparées : les cellules fusionnées ne se relisent pas (annulez la "
            "fusion)"), kind="grid-merged")
        ok = False
    for cell, digest in locks:
        value = ws[cell].value
        if fingerprint(value) != digest:
            problems.add(f"{shown}, {ws.title}!{cell}", None, None, normal(value) or None, _(
                "la valeur d'origine de cette cellule grise verrouillée (calculée par l'outil) : "
                "ce qui y est écrit ne serait pas lu ; remettez-la comme elle était et écrivez "
                "dans les cellules jaunes"), kind="grid-locked")
    stray = 0
    for row in ws.iter_rows(min_row=1):
        for cell in row:
            if cell.value is None or (isinstance(cell.value, str) and not cell.value.strip()):
                continue
            if (cell.row > last_row and cell.row > L.HEADER_ROW) or cell.column > width:
                stray += 1
                if stray <= MAX_STRAY:
                    problems.add(f"{shown}, {ws.title}!{cell.coordinate}", None, None,
                                 normal(cell.value), _(
                                     "une cellule vide : ce qui est écrit hors des lignes et "
                                     "des colonnes de la grille n'est pas lu ; reportez-le dans "
                                     "une ligne jaune (ou importez, puis demandez une nouvelle "
                                     "grille, qui aura de nouvelles lignes)"), kind="grid-stray")
    if stray > MAX_STRAY:
        problems.add(f"{shown}, {ws.title}", None, None, None, _(
            "… et {n} autres cellules écrites hors de la grille").format(n=stray - MAX_STRAY),
            kind="grid-stray")
    return ok


def _shown_labels(matrix: EvaluationMatrix) -> dict[str, list[str]]:
    m = matrix.localised()
    return {L.ACTOR: list(m.addressees.values()), L.PRIORITY: list(m.priorities.values()),
            L.STATE: list(m.follow_up_states.values())}


def pending_changes(path: Path, ctx, problems: ProblemList) -> None:
    """Add a problem when the grid at ``path`` holds text the store does not have (importing it
    would change the store) or cannot be read: writing a new grid over it would lose it."""
    programme, matrix = ctx.view.programme, ctx.view.matrix
    local = ProblemList()
    read = read_grid(path, programme, matrix, local)
    shown = display_path(path)
    if read is None or local.has_errors:
        n = local.counts()[0]
        problems.add(shown, None, None, None, ngettext(
            "un emplacement libre : une grille de ce nom s'y trouve et ne peut pas être relue "
            "({n} erreur : voir maroc-eval importer-grille) ; elle contient peut-être du "
            "texte non importé. Déplacez-la, ou remplacez-la avec --remplacer",
            "un emplacement libre : une grille de ce nom s'y trouve et ne peut pas être relue "
            "({n} erreurs : voir maroc-eval importer-grille) ; elle contient peut-être du "
            "texte non importé. Déplacez-la, ou remplacez-la avec --remplacer", n).format(n=n),
            kind="grid-pending")
        return
    current = flatten(ctx.appraisal)
    merged, conflicts = merge(read.base_places, read.places, current)
    if merged == current and not conflicts:
        return
    changed = [p for p in {**merged, **current} if merged.get(p) != current.get(p)]
    changed += [c.place for c in conflicts]
    names = ", ".join(place_label(p, programme.localised()) for p in changed[:3])
    problems.add(shown, None, None, None, ngettext(
        "un emplacement libre : cette grille contient du texte non encore importé ({n} "
        "endroit : {names}). Importez-la d'abord (maroc-eval importer-grille {name} "
        "--appliquer), ou remplacez-la avec --remplacer",
        "un emplacement libre : cette grille contient du texte non encore importé ({n} "
        "endroits : {names}…). Importez-la d'abord (maroc-eval importer-grille {name} "
        "--appliquer), ou remplacez-la avec --remplacer", len(changed)).format(
            n=len(changed), names=names, name=shown), kind="grid-pending")
