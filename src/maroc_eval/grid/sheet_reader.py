"""Reading the team's cells of a grid back into places, each problem located at its cell.

Each cell is read as its column's kind says (:mod:`.layout`): a text (a formula is refused: the
team's text must be text), a grade of the scale, a label of the matrix's lists (in French or
English, or its code), a date, codes separated by commas (each one checked: a question of the
matrix, a finding ``QE4.2`` of it, a conclusion of the grid, an RI). A row of a free sheet is
an entry when the team wrote something in it: an identifier alone is a blank row.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ..base.errors import ProblemList, suggest
from ..base.i18n import LANGUAGES, _, language, set_language
from ..core.matrix import EvaluationMatrix
from ..core.programme import Programme
from . import layout as L
from .cells import normal
from .content import LIST_SHEETS, place_of
from .places import Place

_SPLIT = re.compile(r"[,;\s]+")


def labels_in_every_language(matrix: EvaluationMatrix) -> dict[str, dict[str, str]]:
    """Kind → {label or code, lower-cased → code}: the lists' labels in every language the
    toolkit speaks, so that a grid written in English reads back in French and the reverse."""
    out: dict[str, dict[str, str]] = {L.ACTOR: {}, L.PRIORITY: {}, L.STATE: {}}
    spoken = language()
    try:
        for lang in LANGUAGES:
            set_language(lang)
            m = matrix.localised()
            for kind, items in ((L.ACTOR, m.addressees), (L.PRIORITY, m.priorities),
                                (L.STATE, m.follow_up_states)):
                for code, label in items.items():
                    out[kind][label.strip().lower()] = code
                    out[kind][code.lower()] = code
    finally:
        set_language(spoken)
    return out


@dataclass
class SheetReader:
    """Reads the team's cells of a grid's sheets; problems go to ``problems``."""

    shown: str
    programme: Programme
    matrix: EvaluationMatrix
    problems: ProblemList
    labels: dict[str, dict[str, str]]
    shown_labels: dict[str, list[str]]
    places: dict[Place, object] = field(default_factory=dict)
    where: dict[Place, str] = field(default_factory=dict)
    conclusion_ids: set[str] = field(default_factory=set)
    references: list[tuple] = field(default_factory=list)

    def error(self, ref: str, value, expected: str, kind: str) -> None:
        """A problem at a cell (``Réponses!G7``) of the grid."""
        self.problems.add(f"{self.shown}, {ref}", None, None,
                          None if value is None else normal(value) or str(value), expected,
                          kind=kind)

    def said(self, ref: str) -> bool:
        """Whether a problem was already reported at a cell."""
        return any(p.file.endswith(f", {ref}") for p in self.problems.items)

    # -- one cell ---------------------------------------------------------------------------
    def value(self, cell, column: L.Column, ref: str):
        """The value of a team cell as its place holds it (``None`` when empty or wrong)."""
        raw = cell.value
        if cell.data_type == "f":
            self.error(ref, raw, _("un texte, pas une formule (pour écrire un texte qui "
                                   "commence par =, tapez d'abord une apostrophe)"), "formula")
            return None
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None
        kind = column.kind
        if kind == L.DATE:
            return self.date(raw, ref)
        text = self.text(raw)
        if kind == L.GRADE:
            if text.upper() in self.programme.rating_codes:
                return text.upper()
            self.error(ref, raw, _("une note de l'échelle : ") + ", ".join(
                f"{r.code} ({r.label})" for r in self.programme.localised().scale),
                "bad-score")
            return None
        if kind in (L.ACTOR, L.PRIORITY, L.STATE):
            found = self.labels[kind].get(" ".join(text.split()).lower())
            if found is None:
                what = {L.ACTOR: _("un destinataire"), L.PRIORITY: _("une priorité"),
                        L.STATE: _("un état de mise en œuvre")}[kind]
                choices = self.shown_labels[kind]
                self.error(ref, raw, _("{what} de la liste : {choices}").format(
                    what=what, choices=" ; ".join(choices)) + suggest(text, choices),
                    "unknown-code")
            return found
        if kind == L.CODES:
            return tuple(c for c in _SPLIT.split(text) if c)
        return text

    @staticmethod
    def text(raw) -> str:
        """A cell's content as a text (a number as typed, a date as JJ/MM/AAAA)."""
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        if isinstance(raw, dt.datetime) and raw.time() == dt.time():
            raw = raw.date()
        if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
            return raw.strftime("%d/%m/%Y")
        return str(raw).replace("\r\n", "\n").replace("\r", "\n").strip()

    def date(self, raw, ref: str) -> dt.date | None:
        if isinstance(raw, dt.datetime):
            return raw.date()
        if isinstance(raw, dt.date):
            return raw
        if isinstance(raw, str):
            for form in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
                try:
                    return dt.datetime.strptime(raw.strip(), form).date()
                except ValueError:
                    continue
        self.error(ref, raw, _("une date (JJ/MM/AAAA)"), "bad-date")
        return None

    # -- sheets -----------------------------------------------------------------------------
    def keyed(self, ws, sheet: L.Sheet, rows: list[tuple[int, str]]) -> None:
        """The team's cells of a keyed sheet (``rows``: row number and key, from the
        metadata)."""
        for r, key in rows:
            values = self.row(ws, sheet, r)
            for column, (value, ref) in values.items():
                place = place_of(sheet.role, key, column)
                if value is not None and place is not None:
                    self.places[place] = value
                self.where.setdefault(place, ref)
            if sheet.role == "suivi" and values["commentaire"][0] and not values["etat"][0] \
                    and not self.said(values["etat"][1]):
                self.error(values["etat"][1], None, _("un état de mise en œuvre (la "
                                                      "recommandation {id} a un commentaire)")
                           .format(id=key), "missing-value")

    def row(self, ws, sheet: L.Sheet, r: int) -> dict[str, tuple[object, str]]:
        """Column key → (value, cell reference) of the team's cells of a row."""
        out = {}
        for i, column in enumerate(sheet.columns):
            if column.editable:
                ref = f"{ws.title}!{L.letter(i)}{r}"
                out[column.key] = (self.value(ws.cell(r, i + 1), column, ref), ref)
        return out

    def free(self, ws, sheet: L.Sheet, last_row: int) -> None:
        """The entries of a free sheet (its rows up to ``last_row``)."""
        items = []
        seen: dict[str, str] = {}
        for r in range(L.FIRST_ROW, last_row + 1):
            values = self.row(ws, sheet, r)
            content = {k: v for k, (v, _ref) in values.items() if v is not None and k != "id"}
            if not content:
                ident = values.get("id", (None,))[0]
                if ident and sheet.role in L.ID_PATTERNS:  # where a removed entry stood
                    for key, (_value, ref) in values.items():
                        self.where.setdefault((sheet.role, ident.upper(), key), ref)
                continue
            if sheet.role in LIST_SHEETS:
                items.append(self.list_item(sheet, values))
                continue
            ident = values["id"][0]
            ref = values["id"][1]
            if ident is None or not L.ID_PATTERNS[sheet.role].match(ident.upper()):
                prefix = "C" if sheet.role == "conclusions" else "R"
                self.error(ref, ident, _("un identifiant {prefix}1, {prefix}2… (la ligne a un "
                                         "texte)").format(prefix=prefix), "bad-id")
                continue
            ident = ident.upper()
            if ident in seen:
                self.error(ref, ident, _("un identifiant unique ({id} est déjà en {where})")
                           .format(id=ident, where=seen[ident]), "bad-id")
                continue
            seen[ident] = ref
            self.entry(sheet, ident, values)
        if sheet.role in LIST_SHEETS:
            place = LIST_SHEETS[sheet.role]
            found = tuple(i for i in items if i is not None)
            if found:
                self.places[place] = found
            self.where[place] = f"{ws.title}!A{L.FIRST_ROW}"

    def list_item(self, sheet: L.Sheet, values: dict):
        if sheet.role in ("lecons", "documents"):
            return next(iter(values.values()))[0]
        first = sheet.columns[0].key
        if values[first][0] is None:
            what = (_("la fonction de la personne rencontrée") if sheet.role == "entretiens"
                    else _("le lieu visité"))
            self.error(values[first][1], None, what, "missing-value")
            return None
        if sheet.role == "entretiens":
            return (values["fonction"][0], values["institution"][0] or "", values["date"][0])
        return (values["lieu"][0], values["date"][0])

    def entry(self, sheet: L.Sheet, ident: str, values: dict) -> None:
        role = sheet.role
        if role == "conclusions":
            self.conclusion_ids.add(ident)
            required = {"texte": _("le texte de la conclusion")}
        else:
            required = {"action": _("l'action recommandée (qui fait quoi, pourquoi)"),
                        "destinataire": _("un destinataire de la liste"),
                        "priorite": _("une priorité de la liste"),
                        "echeance": _("une date d'échéance (JJ/MM/AAAA)")}
        for key, (value, ref) in values.items():
            if key == "id":
                continue
            place = (role, ident, key)
            self.where[place] = ref
            if value is None:
                if key in required and not self.said(ref):
                    self.error(ref, None, required[key], "missing-value")
                continue
            self.places[place] = value
            if sheet.column(key).kind == L.CODES:
                self.references.append((role, ident, key, value, ref))

    def check_references(self) -> None:
        """Each code of the cross-reference columns names something that exists."""
        questions = list(self.matrix.question_map)
        findings = [f for q in self.matrix.questions for f in q.finding_ids()]
        results = [r.code for r in self.programme.results]
        choices = {("conclusions", "questions"): (questions, _("une question de la matrice")),
                   ("conclusions", "constats"): (findings, _("un constat QE<n>.<critère> de la "
                                                             "matrice")),
                   ("recommandations", "conclusions"): (sorted(self.conclusion_ids),
                                                        _("une conclusion de la feuille "
                                                          "« Conclusions »")),
                   ("recommandations", "resultats"): (results, _("un RI du programme"))}
        for role, ident, key, codes, ref in self.references:
            known, what = choices[(role, key)]
            fixed = []
            for code in codes:
                if code.upper() in known:
                    fixed.append(code.upper())
                    continue
                self.error(ref, code, _("{what} parmi {choices}").format(
                    what=what, choices=", ".join(known) or _("aucune"))
                    + suggest(code.upper(), known), "bad-reference")
            if fixed:
                self.places[(role, ident, key)] = tuple(dict.fromkeys(fixed))
            else:
                self.places.pop((role, ident, key), None)
