"""The toolkit's checks on the team's appraisals, and the places still « à compléter ».

A check never changes a grade or a text: it points at a place where the team's appraisal and the
evidence disagree, or where the chain findings → conclusions → recommendations is broken, and
the team fixes it or answers it (the grid's « Contrôles » sheet, stored under ``controles``).
Each check has a stable id ``<kind>:<place>`` (``ecart-proposition:QE8``), so that an answer
survives a new import; an answered check is shown with its answer, and signing refuses while a
check is neither fixed nor answered. The kinds are listed in :data:`KINDS`; the thresholds of
the text comparisons are in the matrix's ``controles``.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

import pandas as pd

from ..base import fmt
from ..base.i18n import N_, _, ngettext
from .appraisal import PROGRAMME_KEY, Appraisal, Recommendation
from .evidence import PairEvidence, ProgrammeEvidence
from .matrix import EvaluationMatrix
from .programme import Programme

KINDS = {
    "ecart-proposition": N_("note différente de la proposition, sans justification"),
    "note-critere-non-satisfait": N_("note A alors qu'un critère vérifiable n'est pas satisfait"),
    "efficience-sans-couts": N_("efficience notée sans données de coût suffisantes"),
    "progres-sans-mouvement": N_("note meilleure qu'à l'évaluation précédente sans progrès des "
                                 "indicateurs"),
    "triangulation": N_("constat reposant sur une seule sorte de source"),
    "conclusion-sans-constat": N_("conclusion qui ne repose sur aucun constat"),
    "recommandation-sans-conclusion": N_("recommandation qui ne découle d'aucune conclusion"),
    "recommandation-cible": N_("recommandation qui ne fait que reprendre une cible"),
    "recommandation-repetee": N_("recommandation reprise de l'évaluation précédente sans dire "
                                 "pourquoi elle n'a pas été appliquée"),
    "constat-perime": N_("texte citant un chiffre que les données ne donnent plus"),
}
"""Check kind → its short description (French source, translated where shown)."""


@dataclass(frozen=True)
class Check:
    """One check raised on an appraisal.

    Attributes
    ----------
    kind : str
        A key of :data:`KINDS`.
    phase, who : str
        The appraisal (``who``: a pair code or ``programme``).
    place : str
        What it is about: ``QE8``, ``QE4.2``, ``RI7``, ``efficience``, ``C2``, ``R1``.
    path : tuple
        The key path in the store file (for its line).
    message : str
        What was found, with the figures, in the language spoken.
    answer : str or None
        The team's answer, when they gave one.
    """

    kind: str
    phase: str
    who: str
    place: str
    path: tuple
    message: str
    answer: str | None = None

    @property
    def id(self) -> str:
        """``<kind>:<place>``, stable across imports."""
        return f"{self.kind}:{self.place}"

    @property
    def open(self) -> bool:
        """Whether the team has neither fixed nor answered it."""
        return not self.answer


_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", re.UNICODE)
_NUMBER = re.compile(r"\d[\d\s\u202f\u00a0]*(?:[,.]\d+)?")
_SMALL = frozenset({
    "à", "au", "aux", "d", "de", "des", "du", "en", "et", "la", "le", "les", "l", "un", "une",
    "sur", "par", "pour", "que", "qui", "se", "sa", "son", "ses", "ce", "cette", "ces", "d'ici",
    "ici", "a", "of", "to", "the", "by", "in", "and"})


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _shown_numbers(value: float | None) -> set[str]:
    """The ways a value may be quoted in a text (« 6 », « 6,5 », « 1 234 », « 46 % » → 46)."""
    if value is None:
        return set()
    out = {fmt.plain(round(value, 1)), f"{value:.0f}", fmt.plain(round(value))}
    out |= {s.replace("\u202f", " ").replace("\u00a0", " ") for s in
            (fmt.number(value, 0), fmt.number(value, 1))}
    return {s for s in out if s}


def _numbers_in(text: str) -> set[str]:
    return {re.sub(r"[\s\u202f\u00a0]+", " ", m.group()).strip() for m in _NUMBER.finditer(text)}


class _Checker:
    def __init__(self, programme: Programme, matrix: EvaluationMatrix):
        self.programme, self.matrix = programme, matrix
        self.scale = programme.rating_codes
        self.found: list[Check] = []

    def raise_(self, item: Appraisal, kind: str, place: str, path: tuple, message: str) -> None:
        check = Check(kind, item.phase, item.who, place, path, message)
        answer = item.answers.get(check.id)
        self.found.append(Check(kind, item.phase, item.who, place, path, message, answer))

    # -- grades ------------------------------------------------------------------------------
    def departure(self, item: Appraisal, place: str, path: tuple, score, proposal,
                  justification: str) -> None:
        if not score or not proposal.grade or score == proposal.grade or justification:
            return
        steps = abs(self.scale.index(score) - self.scale.index(proposal.grade))
        self.raise_(item, "ecart-proposition", place, path, ngettext(
            "{place} noté {score}, à {steps} cran de la proposition {proposal} ({basis}) : "
            "justifiez l'écart ou revoyez la note",
            "{place} noté {score}, à {steps} crans de la proposition {proposal} ({basis}) : "
            "justifiez l'écart ou revoyez la note", steps).format(
                place=_label(place), score=score, steps=steps, proposal=proposal.grade,
                basis=proposal.basis))

    def grades(self, item: Appraisal, evidence: PairEvidence | ProgrammeEvidence) -> None:
        questions = evidence.questions
        for code, answer in item.questions.items():
            found = questions.get(code)
            if found is None:
                continue
            self.departure(item, code, ("questions", code, "note"), answer.score,
                           found.proposal, answer.justification)
            unmet = getattr(found, "unmet", [])
            if answer.score == self.scale[0] and unmet:
                self.raise_(item, "note-critere-non-satisfait", code, ("questions", code, "note"),
                            _("{code} noté {score} alors que les données ne satisfont pas : "
                              "{criteria}").format(
                                code=code, score=answer.score,
                                criteria=" ; ".join(f"{c.id} ({c.outcome.detail})"
                                                    for c in unmet)))
        if isinstance(evidence, PairEvidence):
            for ri, grade in item.results.items():
                found = evidence.results.get(ri)
                if found is None:
                    continue
                self.departure(item, ri, ("resultats", ri, "note"), grade.score, found.proposal,
                               grade.justification)
                if grade.score == self.scale[0] and found.unmet:
                    self.raise_(item, "note-critere-non-satisfait", ri, ("resultats", ri, "note"),
                                _("{ri} noté {score} alors que les données ne satisfont pas : "
                                  "{criteria}").format(
                                    ri=_label(ri), score=grade.score,
                                    criteria=" ; ".join(f"{c.id} ({c.outcome.detail})"
                                                        for c in found.unmet)))
        for code, grade in item.criteria.items():
            proposal = evidence.criterion_proposal(code, item)
            self.departure(item, code, ("criteres_cad", code, "note"), grade.score, proposal,
                           grade.justification)
        self.costs(item, evidence)

    def costs(self, item: Appraisal, evidence) -> None:
        if not isinstance(evidence, PairEvidence):
            return
        assessable = evidence.efficiency is not None and evidence.efficiency.assessable
        graded = [(c, ("questions", c, "note")) for c, a in item.questions.items()
                  if a.score and self.matrix.question_map[c].criterion == "efficience"]
        if item.criteria.get("efficience") and item.criteria["efficience"].score:
            graded.append(("efficience", ("criteres_cad", "efficience", "note")))
        if assessable:
            return
        why = evidence.efficiency.reason if evidence.efficiency else _("aucune donnée de coût")
        for place, path in graded:
            self.raise_(item, "efficience-sans-couts", place, path,
                        _("{place} noté alors que l'efficience ne peut pas être appréciée : "
                          "{why}").format(place=_label(place), why=why))

    def movement(self, item: Appraisal, earlier: Appraisal | None, before: pd.DataFrame | None,
                 now: pd.DataFrame) -> None:
        if earlier is None or before is None:
            return
        for ri, grade in item.results.items():
            old = earlier.results.get(ri)
            if not (grade.score and old and old.score) or grade.justification:
                continue
            if self.scale.index(grade.score) >= self.scale.index(old.score):
                continue
            a = before[before["ri"] == ri].set_index("code")["actual"]
            b = now[now["ri"] == ri].set_index("code")["actual"]
            moved = False
            for code in b.index:
                x, y = a.get(code), b.get(code)
                if pd.isna(x) or pd.isna(y):
                    moved = True
                    break
                sign = 1 if self.programme.indicator_map[code].direction == "hausse" else -1
                moved = moved or sign * (y - x) > 0
            if not moved:
                self.raise_(item, "progres-sans-mouvement", ri, ("resultats", ri, "note"),
                            _("{ri} noté {score} contre {earlier} à l'évaluation précédente, "
                              "alors qu'aucun de ses indicateurs n'a progressé").format(
                                ri=_label(ri), score=grade.score, earlier=old.score))

    # -- the chain of reasoning --------------------------------------------------------------
    def chain(self, item: Appraisal, earlier: Appraisal | None) -> None:
        written = item.findings()
        for code, answer in item.questions.items():
            for f in answer.findings:
                if len(f.kinds) == 1:
                    self.raise_(item, "triangulation", f.id,
                                ("questions", code, "constats"),
                                _("le constat {id} ne repose que sur une source ({kind}) : "
                                  "croisez-le avec une autre ou dites pourquoi").format(
                                    id=f.id, kind=f.kinds[0]))
        for i, c in enumerate(item.conclusions):
            if not any(f in written for f in c.findings):
                self.raise_(item, "conclusion-sans-constat", c.id, ("conclusions", i),
                            _("la conclusion {id} ne cite aucun constat écrit (colonne « Constats "
                              "» : QE4.2…)").format(id=c.id))
        for i, r in enumerate(item.recommendations):
            path = ("recommandations", i)
            if not r.conclusions:
                self.raise_(item, "recommandation-sans-conclusion", r.id, path,
                            _("la recommandation {id} ne découle d'aucune conclusion").format(
                                id=r.id))
            if self.restates_target(r, item.who):
                self.raise_(item, "recommandation-cible", r.id, path,
                            _("la recommandation {id} ne fait que reprendre la cible d'un "
                              "indicateur : dites qui doit faire quoi, et pourquoi").format(
                                id=r.id))
            if earlier is not None:
                self.repeated(item, earlier, r, path)

    def restates_target(self, rec: Recommendation, who: str) -> bool:
        text = rec.text
        lowered = text.lower()
        mentioned = []
        for ind in self.programme.indicators:
            head = " ".join(_words(ind.label)[:2])
            if ind.code.lower() in lowered or (head and head in " ".join(_words(text))):
                mentioned.append(ind)
        if not mentioned:
            return False
        rest = " ".join(_words(text))
        for ind in mentioned:
            for word in [*_words(ind.label), ind.code.lower()]:
                rest = re.sub(rf"\b{re.escape(word)}\b", " ", rest)
        left = [w for w in rest.split() if w not in _SMALL and len(w) > 2]
        return len(left) < self.matrix.checks.min_recommendation_words

    def repeated(self, item: Appraisal, earlier: Appraisal, rec: Recommendation,
                 path: tuple) -> None:
        mine = [w for w in _words(rec.text) if w not in _SMALL]
        for old in earlier.recommendations:
            theirs = [w for w in _words(old.text) if w not in _SMALL]
            ratio = difflib.SequenceMatcher(None, mine, theirs).ratio()
            if ratio < self.matrix.checks.similar_recommendations:
                continue
            follow = item.follow_up.get(old.id)
            if follow is not None and follow.comment:
                continue
            self.raise_(item, "recommandation-repetee", rec.id, path,
                        _("la recommandation {id} reprend la recommandation {old} de "
                          "l'évaluation précédente (similitude {ratio}) sans que son suivi dise "
                          "pourquoi elle n'a pas été appliquée").format(
                            id=rec.id, old=old.id, ratio=fmt.percent(ratio, 0, ratio=True)))

    # -- stale texts -------------------------------------------------------------------------
    def stale(self, item: Appraisal, values: dict[str, dict[str, float | None]],
              missing: dict[str, dict[str, list[int]]]) -> None:
        seen = item.seen
        if seen is None:
            return
        changed: dict[str, list[tuple[str, str, float | None, float | None]]] = {}
        for pair, old in seen.values.items():
            for code, before in old.items():
                now = values.get(pair, {}).get(code)
                if (before is None) != (now is None) or (
                        before is not None and abs(before - now) > 1e-9):
                    changed.setdefault(code, []).append((pair, code, before, now))
        filled = {(pair, code, year) for pair, codes in seen.missing.items()
                  for code, years in codes.items() for year in years
                  if year not in missing.get(pair, {}).get(code, [])}
        for code, answer in item.questions.items():
            q = self.matrix.question_map.get(code)
            if q is None:
                continue
            codes = self.matrix.indicator_codes(q, self.programme)
            for f in answer.findings:
                texts = " ".join(f.texts.values())
                self.stale_text(item, f.id, ("questions", code, "constats"), texts, codes,
                                changed, filled)
            self.stale_text(item, code, ("questions", code, "reponse"), answer.text, codes,
                            changed, filled)
        for ri, grade in item.results.items():
            codes = [i.code for i in self.programme.indicators_of(ri)]
            self.stale_text(item, ri, ("resultats", ri), grade.text, codes, changed, filled)

    def stale_text(self, item: Appraisal, place: str, path: tuple, text: str, codes: list[str],
                   changed: dict, filled: set) -> None:
        if not text:
            return
        quoted = _numbers_in(text)
        reasons = []
        for code in codes:
            for _pair, _code, before, now in changed.get(code, []):
                if _shown_numbers(before) & quoted and not _shown_numbers(now) & quoted:
                    reasons.append(_("{code} valait {before} quand le texte a été écrit, les "
                                     "données donnent maintenant {now}").format(
                                       code=code, before=fmt.plain(before) if before is not None
                                       else "—", now=fmt.plain(now) if now is not None else "—"))
        for _pair, code, year in sorted(filled):
            if code in codes and str(year) in quoted:
                reasons.append(_("{code} n'avait pas de valeur en {year} quand le texte a été "
                                 "écrit ; il en a une maintenant").format(code=code, year=year))
        if reasons:
            self.raise_(item, "constat-perime", place, path,
                        _("{place} cite des chiffres périmés : {reasons}").format(
                            place=_label(place), reasons=" ; ".join(dict.fromkeys(reasons))))


def _label(place: str) -> str:
    if place.startswith("RI"):
        return place.replace("RI", "RI\u00a0", 1)
    return place


def check_appraisal(programme: Programme, matrix: EvaluationMatrix, item: Appraisal,
                    evidence: PairEvidence | ProgrammeEvidence, *,
                    earlier: Appraisal | None = None, before_rows: pd.DataFrame | None = None
                    ) -> list[Check]:
    """Every check raised on one appraisal.

    Parameters
    ----------
    programme, matrix
        The programme and the evaluation matrix (rubric, check settings).
    item : Appraisal
        The team's appraisal of a pair (or the programme) at a phase.
    evidence : PairEvidence or ProgrammeEvidence
        The evidence of the same pair (or of the programme) and phase.
    earlier : Appraisal, optional
        The same pair's appraisal at the previous phase (repeated recommendations, progress).
    before_rows : DataFrame, optional
        The pair's indicator rows at the previous phase.

    Returns
    -------
    list of Check
        In the order of the appraisal; answered ones carry the team's answer.
    """
    checker = _Checker(programme, matrix)
    checker.grades(item, evidence)
    if isinstance(evidence, PairEvidence):
        checker.movement(item, earlier, before_rows, evidence.rows)
        values = {item.who: evidence.values()}
        missing = {item.who: evidence.missing_years}
    else:
        values = {p: e.values() for p, e in evidence.pairs.items()}
        missing = {p: e.missing_years for p, e in evidence.pairs.items()}
    checker.chain(item, earlier)
    checker.stale(item, values, missing)
    return checker.found


@dataclass(frozen=True)
class Blank:
    """A place the team has not written yet (« à compléter »)."""

    place: str
    path: tuple
    what: str


def blanks(programme: Programme, matrix: EvaluationMatrix, item: Appraisal,
           earlier: Appraisal | None = None) -> list[Blank]:
    """The places of an appraisal still « à compléter », in reading order."""
    out = []
    final = programme.phases[item.phase].summative
    for q in matrix.questions:
        answer = item.questions.get(q.code)
        if answer is None or not answer.text:
            out.append(Blank(q.code, ("questions", q.code, "reponse"),
                             _("la réponse à {code}").format(code=q.code)))
        if answer is None or not answer.score:
            out.append(Blank(q.code, ("questions", q.code, "note"),
                             _("la note de {code}").format(code=q.code)))
        for n in range(1, len(q.judgement_criteria) + 1):
            found = answer.finding(n) if answer else None
            if found is None or not found.written:
                out.append(Blank(f"{q.code}.{n}", ("questions", q.code, "constats"),
                                 _("les constats du critère {id}").format(id=f"{q.code}.{n}")))
    if item.who != PROGRAMME_KEY:
        for r in programme.results:
            grade = item.results.get(r.code)
            if grade is None or not grade.score:
                out.append(Blank(r.code, ("resultats", r.code, "note"),
                                 _("la note de {ri}").format(ri=_label(r.code))))
    for c in programme.criteria:
        grade = item.criteria.get(c.code)
        if grade is None or not grade.score:
            out.append(Blank(c.code, ("criteres_cad", c.code, "note"),
                             _("la note du critère « {label} »").format(label=c.label)))
    if not item.conclusions:
        out.append(Blank("conclusions", ("conclusions",), _("les conclusions")))
    if not item.recommendations:
        out.append(Blank("recommandations", ("recommandations",), _("les recommandations")))
    if final and not item.lessons:
        out.append(Blank("lecons", ("lecons",), _("les leçons apprises")))
    for rec in earlier.recommendations if earlier else []:
        if rec.id not in item.follow_up:
            out.append(Blank(rec.id, ("suivi", rec.id),
                             _("le suivi de la recommandation {id} de l'évaluation "
                               "précédente").format(id=rec.id)))
    if item.method.empty:
        out.append(Blank("methode", ("methode",),
                         _("la méthode (documents, entretiens, visites)")))
    return out
