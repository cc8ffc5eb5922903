"""An appraisal as a flat map of *places*: what the grid shows cell by cell, what an import
compares, merges and lists as changed.

A place is a key path of the store (``("questions", "QE4", "constats", 2, "entretiens")``,
``("recommandations", "R1", "echeance")``…) and its value a text, a grade, a date or a tuple
(codes, or the items of a list without identifiers: lessons, documents, interviews, visits).
An empty place is absent. :func:`flatten` and :func:`build` are inverse: building the places of
an appraisal gives it back (in the canonical order of the matrix and the programme).

:func:`merge` is a three-way merge on places: the store as the grid was written from it (its
*base*, kept in the grid), the grid as the team returns it, and the store as it is now. A place
the team left as it was keeps the store's current value (another import may have changed it);
a place both changed differently is a conflict. So two grids of the same pair, filled by two
evaluators and imported one after the other, both count.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..base.i18n import N_, _
from ..core.appraisal import (
    Answer,
    Appraisal,
    Conclusion,
    EvidenceSeen,
    Findings,
    FollowUp,
    Grade,
    Interview,
    Method,
    Recommendation,
    Visit,
)
from ..core.matrix import EvaluationMatrix
from ..core.matrix_items import SOURCE_KINDS
from ..core.programme import Programme

Place = tuple
FINDING_KEYS = (*SOURCE_KINDS, "references")
GRADE_KEYS = ("note", "appreciation", "justification")
LIST_PLACES = (("lecons",), ("methode", "documents"), ("methode", "entretiens"),
               ("methode", "visites"))
"""Places whose value is a whole list (items without identifiers)."""


def flatten(item: Appraisal) -> dict[Place, object]:
    """The places of an appraisal (empty ones left out; ``preuves_vues`` is not a place).

    Two findings of one question on the same criterion (a store file may hold them) are joined,
    a blank line between them, so that no text is lost.
    """
    out: dict[Place, object] = {}

    def put(place: Place, value) -> None:
        if value in (None, "", ()):
            return
        if place in out and isinstance(value, str):
            value = f"{out[place]}\n\n{value}"
        out[place] = value

    for code, answer in item.questions.items():
        for f in sorted(answer.findings, key=lambda f: f.criterion):
            for kind in SOURCE_KINDS:
                put(("questions", code, "constats", f.criterion, kind), f.texts.get(kind))
            put(("questions", code, "constats", f.criterion, "references"), f.references)
        put(("questions", code, "reponse"), answer.text)
        put(("questions", code, "note"), answer.score)
        put(("questions", code, "justification"), answer.justification)
    for section, grades in (("resultats", item.results), ("criteres_cad", item.criteria)):
        for code, grade in grades.items():
            for key, value in zip(GRADE_KEYS, (grade.score, grade.text, grade.justification),
                                  strict=True):
                put((section, code, key), value)
    for c in item.conclusions:
        put(("conclusions", c.id, "texte"), c.text)
        put(("conclusions", c.id, "questions"), tuple(c.questions))
        put(("conclusions", c.id, "constats"), tuple(c.findings))
    for r in item.recommendations:
        for key, value in (("action", r.text), ("destinataire", r.addressee),
                           ("priorite", r.priority), ("echeance", r.deadline),
                           ("conclusions", tuple(r.conclusions)),
                           ("resultats", tuple(r.results))):
            put(("recommandations", r.id, key), value)
    put(("lecons",), tuple(item.lessons))
    for rec_id, follow in item.follow_up.items():
        put(("suivi", rec_id, "etat"), follow.state)
        put(("suivi", rec_id, "commentaire"), follow.comment)
    m = item.method
    put(("methode", "documents"), tuple(m.documents))
    put(("methode", "entretiens"), tuple((i.role, i.institution, i.date) for i in m.interviews))
    put(("methode", "visites"), tuple((v.place, v.date) for v in m.visits))
    for check_id, answer in item.answers.items():
        put(("controles", check_id), answer)
    return out


def build(who: str, phase: str, places: dict[Place, object], *, english: dict[str, str],
          seen: EvidenceSeen | None, programme: Programme,
          matrix: EvaluationMatrix | None) -> Appraisal:
    """The appraisal of a set of places (the inverse of :func:`flatten`).

    Questions follow the matrix's order, RIs and DAC criteria the programme's; conclusions,
    recommendations, follow-ups and check answers the order of ``places``. ``english`` keeps
    only the English versions of texts still present.
    """
    questions: dict[str, dict] = {}
    grades: dict[str, dict[str, dict]] = {"resultats": {}, "criteres_cad": {}}
    records: dict[str, dict[str, dict]] = {"conclusions": {}, "recommandations": {},
                                           "suivi": {}}
    answers: dict[str, str] = {}
    for place, value in places.items():
        head = place[0]
        if head == "questions":
            body = questions.setdefault(place[1], {"constats": {}})
            if place[2] == "constats":
                body["constats"].setdefault(place[3], {})[place[4]] = value
            else:
                body[place[2]] = value
        elif head in grades:
            grades[head].setdefault(place[1], {})[place[2]] = value
        elif head in records:
            records[head].setdefault(place[1], {})[place[2]] = value
        elif head == "controles":
            answers[place[1]] = value
    order = {q.code: i for i, q in enumerate(matrix.questions)} if matrix else {}
    out = Appraisal(who=who, phase=phase, seen=seen)
    for code in sorted(questions, key=lambda c: order.get(c, len(order))):
        body = questions[code]
        findings = [Findings(question=code, criterion=n,
                             texts={k: v[k] for k in SOURCE_KINDS if k in v},
                             references=v.get("references", ""))
                    for n, v in sorted(body["constats"].items())]
        out.questions[code] = Answer(findings=findings, text=body.get("reponse", ""),
                                     score=body.get("note"),
                                     justification=body.get("justification", ""))
    for section, codes, target in (("resultats", [r.code for r in programme.results],
                                    out.results),
                                   ("criteres_cad", [c.code for c in programme.criteria],
                                    out.criteria)):
        found = grades[section]
        for code in sorted(found, key=lambda c: codes.index(c) if c in codes else len(codes)):
            v = found[code]
            target[code] = Grade(score=v.get("note"), text=v.get("appreciation", ""),
                                 justification=v.get("justification", ""))
    out.conclusions = [Conclusion(id=cid, text=v.get("texte", ""),
                                  questions=list(v.get("questions", ())),
                                  findings=list(v.get("constats", ())))
                       for cid, v in records["conclusions"].items()]
    out.recommendations = [
        Recommendation(id=rid, text=v.get("action", ""), addressee=v.get("destinataire", ""),
                       priority=v.get("priorite", ""), deadline=v["echeance"],
                       conclusions=list(v.get("conclusions", ())),
                       results=list(v.get("resultats", ())))
        for rid, v in records["recommandations"].items()]
    out.follow_up = {rid: FollowUp(state=v.get("etat", ""), comment=v.get("commentaire", ""))
                     for rid, v in records["suivi"].items()}
    out.lessons = list(places.get(("lecons",), ()))
    out.method = Method(
        documents=list(places.get(("methode", "documents"), ())),
        interviews=[Interview(role=r, institution=i, date=d)
                    for r, i, d in places.get(("methode", "entretiens"), ())],
        visits=[Visit(place=p, date=d) for p, d in places.get(("methode", "visites"), ())])
    out.answers = answers
    present = set(texts_of(places))
    out.english = {fr: en for fr, en in english.items() if fr in present}
    return out


def texts_of(places: dict[Place, object]):
    """Every text of a set of places (those an English version may stand beside)."""
    for value in places.values():
        if isinstance(value, str):
            yield value
        elif isinstance(value, tuple):
            for item in value:
                if isinstance(item, str):
                    yield item
                elif isinstance(item, tuple):
                    yield from (x for x in item if isinstance(x, str))


@dataclass(frozen=True)
class Conflict:
    """A place the grid and the store both changed, differently, since the grid was written."""

    place: Place
    base: object
    grid: object
    store: object


def merge(base: dict[Place, object], grid: dict[Place, object], store: dict[Place, object]
          ) -> tuple[dict[Place, object], list[Conflict]]:
    """Three-way merge of places (see the module's docstring).

    Returns
    -------
    tuple of (dict, list of Conflict)
        The merged places (the grid's order, then places only the store has), and the
        conflicts (where the store's value is kept).
    """
    merged: dict[Place, object] = {}
    conflicts = []
    for place in [*grid, *(p for p in store if p not in grid), *(p for p in base
                                                                 if p not in grid
                                                                 and p not in store)]:
        b, g, s = base.get(place), grid.get(place), store.get(place)
        if g == b:
            value = s
        elif s in (b, g):
            value = g
        else:
            conflicts.append(Conflict(place, b, g, s))
            value = s
        if value is not None:
            merged[place] = value
    return merged, conflicts


@dataclass(frozen=True)
class Change:
    """One difference between the store and what an import would write."""

    kind: str
    """``added``, ``changed`` or ``removed``."""
    place: Place
    old: object
    new: object


def changes(before: dict[Place, object], after: dict[Place, object]) -> list[Change]:
    """What differs between two sets of places, in the order of ``after`` then ``before``."""
    out = []
    for place in [*after, *(p for p in before if p not in after)]:
        old, new = before.get(place), after.get(place)
        if old == new:
            continue
        kind = "added" if old is None else "removed" if new is None else "changed"
        out.append(Change(kind, place, old, new))
    return out


FIELD_LABELS = {
    "suivi": N_("constat des données de suivi"), "documents": N_("constat des documents"),
    "entretiens": N_("constat des entretiens"), "visites": N_("constat des visites"),
    "references": N_("références"), "reponse": N_("réponse"), "note": N_("note"),
    "justification": N_("justification"), "appreciation": N_("appréciation"),
    "texte": N_("texte"), "questions": N_("questions"), "constats": N_("constats"),
    "action": N_("action"), "destinataire": N_("destinataire"), "priorite": N_("priorité"),
    "echeance": N_("échéance"), "conclusions": N_("conclusions"), "resultats": N_("RI"),
    "etat": N_("état"), "commentaire": N_("commentaire"),
}
LIST_LABELS = {("lecons",): N_("leçons"), ("methode", "documents"): N_("documents consultés"),
               ("methode", "entretiens"): N_("personnes rencontrées"),
               ("methode", "visites"): N_("visites")}


def place_label(place: Place, programme: Programme | None = None) -> str:
    """A place as the diff and the messages name it: « QE4.2, constat des entretiens »,
    « RI 3, note », « R1, échéance », « leçons »."""
    if place in LIST_LABELS:
        return _(LIST_LABELS[place])
    head = place[0]
    if head == "controles":
        return _("réponse au contrôle {id}").format(id=place[1])
    if head == "questions" and place[2] == "constats":
        return f"{place[1]}.{place[3]}, {_(FIELD_LABELS[place[4]])}"
    what = place[1]
    if head == "resultats":
        what = what.replace("RI", "RI\u00a0", 1)
    elif head == "criteres_cad" and programme is not None:
        what = next((c.label for c in programme.criteria if c.code == what), what)
    elif head == "suivi":
        what = _("suivi de {id}").format(id=what)
    return f"{what}, {_(FIELD_LABELS.get(place[-1], place[-1]))}"


CODE_FIELDS = frozenset({"note", "destinataire", "priorite", "etat", "questions", "constats",
                         "conclusions", "resultats", "echeance"})
"""The places holding codes, grades or dates (shown as they are, not quoted)."""


def shown(value, place: Place = (), limit: int = 60) -> str:
    """A value as the diff shows it: a text quoted on one line and shortened, codes joined,
    a date as JJ/MM/AAAA."""
    if value is None:
        return "—"
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, tuple):
        return " ; ".join(shown(v, place, limit) if not isinstance(v, tuple)
                          else ", ".join(shown(x, ("x", "echeance") if isinstance(x, dt.date)
                                               else place, limit) for x in v if x)
                          for v in value)
    if place and place[-1] in CODE_FIELDS:
        return str(value)
    text = " ".join(str(value).split())
    return _("« {text} »").format(text=text if len(text) <= limit else text[:limit - 1] + "…")
