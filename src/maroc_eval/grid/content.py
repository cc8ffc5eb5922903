"""What each team sheet of a grid holds, row by row, and which place of the store each of the
team's cells stands for (:func:`place_of`, shared by the writer and the reader).

The locked cells come from the evidence (:mod:`.evidence_text`); the team's cells from the
places of the stored appraisal (:func:`.places.flatten`), shown as the team typed them: grades
as codes, actors, priorities and follow-up states by their labels, dates as dates, lists of
codes joined by commas.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..base.i18n import _
from ..core.checks import Check
from ..core.matrix import OBJECTIVE, EvaluationMatrix
from ..core.programme import Programme
from . import layout as L
from .context import GridContext
from .evidence_text import criterion_grades_text, criterion_texts, result_texts
from .places import Place


@dataclass
class Row:
    """A row of a team sheet: its key (keyed sheets) and its cells by column key."""

    key: str | None
    values: dict[str, object] = field(default_factory=dict)


def place_of(role: str, key: str | None, column: str) -> Place | None:
    """The place of the store a team cell of a keyed sheet, or of a free sheet with
    identifiers, stands for (``None`` for the free sheets of lists)."""
    if role == "questions":
        code, number = key.rsplit(".", 1)
        return ("questions", code, "constats", int(number), column)
    if role == "reponses":
        return ("questions", key, column)
    if role in ("resultats", "suivi", "conclusions", "recommandations"):
        return (role, key, column)
    if role == "criteres":
        return ("criteres_cad", key, column)
    if role == "controles":
        return ("controles", key)
    return None


LIST_SHEETS = {"lecons": ("lecons",), "documents": ("methode", "documents"),
               "entretiens": ("methode", "entretiens"), "visites": ("methode", "visites")}
"""The free sheets whose rows are the items of one list place."""


@dataclass
class Labels:
    """The labels of the lists shown in the grid (the matrix's, in the language spoken)."""

    actors: dict[str, str]
    priorities: dict[str, str]
    states: dict[str, str]

    def of(self, kind: str) -> dict[str, str]:
        """Code → label of a kind of listed column."""
        return {L.ACTOR: self.actors, L.PRIORITY: self.priorities, L.STATE: self.states}[kind]


def shown(column: L.Column, value, labels: Labels):
    """A place's value as its cell shows it."""
    if value is None:
        return None
    if column.kind in (L.ACTOR, L.PRIORITY, L.STATE):
        return labels.of(column.kind).get(value, value)
    if column.kind == L.CODES:
        return ", ".join(value)
    return value


def sheets_of(ctx: GridContext, flat: dict) -> list[L.Sheet]:
    """The team sheets of a grid: « Résultats » for a pair only, « Leçons » at a summative
    phase (or when the store holds lessons), « Suivi » when there is a previous phase."""
    programme = ctx.view.programme
    out = []
    for sheet in L.SHEETS:
        if sheet.role == "resultats" and ctx.is_programme:
            continue
        if sheet.role == "lecons" and not (programme.phases[ctx.phase].summative
                                           or ("lecons",) in flat):
            continue
        if sheet.role == "suivi" and programme.previous_phase(ctx.phase) is None:
            continue
        out.append(sheet)
    return out


def rows(sheet: L.Sheet, ctx: GridContext, flat: dict, programme: Programme,
         matrix: EvaluationMatrix, labels: Labels, checks_where: dict[str, str]) -> list[Row]:
    """The rows of a team sheet (``programme`` and ``matrix`` in the language spoken)."""
    role = sheet.role
    if role == "questions":
        out = []
        for q in matrix.questions:
            costs = matrix.rubric.method(q.criterion) == "couts"
            for n, criterion in enumerate(q.judgement_criteria, start=1):
                row = Row(f"{q.code}.{n}", {"question": q.code, "texte_question": q.text,
                                             "critere": n, "texte_critere": criterion.text})
                row.values.update(criterion_texts(ctx, programme, q.code, n, costs))
                out.append(row)
    elif role == "reponses":
        criteria = {c.code: c.label for c in programme.criteria}
        out = []
        for q in matrix.questions:
            proposal = ctx.evidence.questions[q.code].proposal
            out.append(Row(q.code, {
                "question": q.code, "texte_question": q.text,
                "critere": (_("Objectif spécifique") if q.criterion == OBJECTIVE
                            else criteria.get(q.criterion, q.criterion)),
                "proposition": proposal.grade or "—", "base": proposal.basis}))
    elif role == "resultats":
        out = [Row(r.code, {"ri": r.code, "titre": r.title, **result_texts(ctx, r.code)})
               for r in programme.results]
    elif role == "criteres":
        out = []
        for c in programme.criteria:
            proposal = ctx.evidence.criterion_proposal(c.code, ctx.appraisal)
            out.append(Row(c.code, {"critere": c.label,
                                    "questions": criterion_grades_text(ctx, c.code),
                                    "proposition": proposal.grade or "—",
                                    "base": proposal.basis}))
    elif role == "suivi":
        out = [Row(r.id, {"recommandation": r.id, "action": ctx.earlier.text(r.text),
                          "destinataire": labels.actors.get(r.addressee, r.addressee),
                          "echeance": r.deadline})
               for r in (ctx.earlier.recommendations if ctx.earlier else [])]
    elif role == "controles":
        out = _check_rows(ctx, checks_where)
    else:
        return _free_rows(sheet, flat, labels)
    for row in out:
        for column in sheet.columns:
            if column.editable:
                row.values[column.key] = shown(column, flat.get(place_of(role, row.key,
                                                                         column.key)), labels)
    return out


def _check_rows(ctx: GridContext, where: dict[str, str]) -> list[Row]:
    out: dict[str, Row] = {}
    for check in ctx.checks:  # one row per id: the same check raised twice shares its answer
        if check.id in out:
            out[check.id].values["message"] += "\n" + check.message
            continue
        out[check.id] = Row(check.id, {"controle": check.id, "ou": _where(check, where),
                                       "message": check.message})
    rows_ = list(out.values())
    for check_id in ctx.appraisal.answers:
        if check_id not in out:
            rows_.append(Row(check_id, {"controle": check_id, "ou": "—", "message": _(
                "Ce contrôle ne se déclenche plus sur le texte et les données actuels ; la "
                "réponse de l'équipe est gardée.")}))
    return rows_


def _where(check: Check, where: dict[str, str]) -> str:
    """The place of a check and the cell of the grid where the team fixes it."""
    path = check.path
    candidates = [path]
    if len(path) >= 3 and path[2] == "constats" and "." in check.place:
        candidates.insert(0, ("questions", path[1], "constats", int(check.place.split(".")[1]),
                              "suivi"))
    if path[:1] == ("resultats",):
        candidates.append((*path[:2], "appreciation"))
    if path[:1] in (("conclusions",), ("recommandations",)):
        field_ = "texte" if path[0] == "conclusions" else "action"
        candidates.append((path[0], check.place, field_))
    if path[:1] == ("questions",) and len(path) >= 3:
        candidates.append(("questions", path[1], "reponse"))
    cell = next((where[tuple(c)] for c in candidates if tuple(c) in where), None)
    return f"{check.place} — {cell}" if cell else check.place


def _free_rows(sheet: L.Sheet, flat: dict, labels: Labels) -> list[Row]:
    role = sheet.role
    if role in LIST_SHEETS:
        items = flat.get(LIST_SHEETS[role], ())
        keys = [c.key for c in sheet.columns]
        found = [Row(None, dict(zip(keys, item if isinstance(item, tuple) else (item,),
                                    strict=True))) for item in items]
    else:
        ids = list(dict.fromkeys(p[1] for p in flat if p[0] == role))
        found = [Row(i, {c.key: (i if c.key == "id" else shown(c, flat.get((role, i, c.key)),
                                                                 labels))
                         for c in sheet.columns}) for i in ids]
    prefix = {"conclusions": "C", "recommandations": "R"}.get(role)
    taken = [int(r.key[1:]) for r in found if r.key and r.key[1:].isdigit()]
    start = max(taken, default=0) + 1
    for n in range(sheet.extra):
        found.append(Row(None, {"id": f"{prefix}{start + n}"} if prefix else {}))
    return found
