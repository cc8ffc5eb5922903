"""The team's appraisals as stored: ``<data>/appreciations/<phase>/<who>.yml``, one per file.

One YAML file per pair (or ``programme``) and phase — diffable text, written by
``maroc-eval importer-grille`` from the team's grid and editable by hand. Layout (French keys;
every key is optional, an absent one is a place « à compléter »)::

    partenariat: forest-jerada        # the file's name; « programme » for the programme
    phase: final                      # the folder's name
    questions:
      QE1:
        constats:
          - {critere: 1, suivi: "…", documents: "…", entretiens: "…", visites: "…",
             references: "…"}
        reponse: "…"
        note: C
        justification: "…"
    resultats: {RI1: {note: B, appreciation: "…", justification: "…"}}
    criteres_cad: {efficience: {note: A, appreciation: "…", justification: "…"}}
    conclusions: [{id: C1, texte: "…", questions: [QE1], constats: [QE4.2]}]
    recommandations:
      - {id: R1, action: "…", destinataire: commune_marocaine, priorite: haute,
         echeance: 2013-12-31, conclusions: [C1], resultats: [RI1]}
    lecons: ["…"]
    suivi: {R1: {etat: partielle, commentaire: "…"}}
    methode:
      documents: ["…"]
      entretiens: [{fonction: "…", institution: "…", date: 2012-11-14}]
      visites: [{lieu: "…", date: 2012-11-15}]
    controles: {"recommandation-repetee:R2": "…"}
    preuves_vues: {date: 2013-02-14, valeurs: {…}, manquantes: {…}}

Reading checks every key, code and reference and reports every problem at once, located (file,
line, key path, value, what was expected). :func:`dump_appraisal` writes an appraisal back as
the same text: reading what it wrote gives the same appraisal.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..base import paths
from ..base.errors import InputError, ProblemList, display_path, suggest
from ..base.i18n import _
from .appraisal import (
    PROGRAMME_KEY,
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
from .matrix import EvaluationMatrix
from .matrix_items import SOURCE_KINDS
from .programme import Programme
from .yamlio import YamlDocument, load_yaml

TOP_KEYS = ("partenariat", "phase", "questions", "resultats", "criteres_cad", "conclusions",
            "recommandations", "lecons", "suivi", "methode", "controles", "preuves_vues")
"""The keys of a store file, in the order they are written."""
TEXT_LANGUAGES = ("fr", "en")


@dataclass
class Appraisals:
    """Every appraisal of a data folder, by ``(phase, who)``.

    Attributes
    ----------
    items : dict
        ``(phase, pair code or "programme") → Appraisal``.
    lines : dict
        ``(phase, who, *key path) → line`` in that appraisal's file, for located messages.
    folder : str
        The store folder, as shown in messages.
    """

    items: dict[tuple[str, str], Appraisal] = field(default_factory=dict)
    lines: dict[tuple, int] = field(default_factory=dict)
    folder: str = ""

    def evaluation(self, phase: str, who: str) -> Appraisal:
        """The appraisal of a pair (or ``"programme"``) at a phase (empty if not written)."""
        return self.items.get((phase, who)) or Appraisal(who=who, phase=phase)

    def ri(self, phase: str, pair: str, ri: str) -> Grade | None:
        """The grade of an intermediate result, or ``None`` if not written."""
        found = self.items.get((phase, pair))
        return found.results.get(ri) if found else None

    def criteria(self, phase: str, pair: str) -> dict[str, Grade]:
        """The DAC criteria graded for a pair at a phase (code → Grade)."""
        found = self.items.get((phase, pair))
        return dict(found.criteria) if found else {}

    def line(self, *path) -> int | None:
        """The line of a key path ``(phase, who, key, …)`` in its file (its deepest known
        prefix)."""
        path = tuple(path)
        while len(path) >= 2:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return None

    def file(self, phase: str, who: str) -> str:
        """The file of an appraisal, as shown in messages (its would-be name if absent)."""
        found = self.items.get((phase, who))
        return found.file if found and found.file else f"{self.folder}/{phase}/{who}.yml"

    def only(self, phases: list[str]) -> Appraisals:
        """The appraisals of these phases only (what a phase's reader may see)."""
        return Appraisals({k: v for k, v in self.items.items() if k[0] in phases},
                          {k: v for k, v in self.lines.items() if k[0] in phases}, self.folder)

    def pairs(self, phase: str) -> list[str]:
        """Who has an appraisal at a phase (pair codes, and ``programme``)."""
        return [who for (ph, who) in self.items if ph == phase]

    @property
    def english(self) -> dict[str, str]:
        """Every English version the team gave, French text → English text."""
        out: dict[str, str] = {}
        for item in self.items.values():
            out.update(item.english)
        return out


class _Reader:
    """Reads one store file into an :class:`Appraisal`, reporting every problem located."""

    def __init__(self, doc: YamlDocument, programme: Programme, matrix: EvaluationMatrix | None,
                 phase: str, who: str, problems: ProblemList):
        self.doc, self.programme, self.matrix = doc, programme, matrix
        self.phase, self.who, self.problems = phase, who, problems
        self.english: dict[str, str] = {}
        self.ok = True

    # -- reporting ---------------------------------------------------------------------------
    def add(self, path: tuple, value, expected: str, kind: str = "appraisal") -> None:
        shown = value if isinstance(value, str | int | float | bool) or value is None else \
            type(value).__name__
        self.problems.add(self.doc.file, self.doc.line_of(path),
                          ".".join(map(str, path)) or None, shown, expected, kind=kind)
        self.ok = False

    def mapping(self, path: tuple, value, what: str) -> dict:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.add(path, value, _("{what} (des clés suivies de « : »)").format(what=what))
            return {}
        return value

    def items(self, path: tuple, value, what: str) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            self.add(path, value, _("une liste ({what}, une ligne « - » chacun)").format(
                what=what))
            return []
        return value

    def known(self, path: tuple, key, choices, what: str, kind: str = "unknown-code", *,
              at: tuple | None = None) -> bool:
        """Whether ``key`` is one of ``choices``; if not, a problem at ``at`` (default: the key
        itself, under ``path``)."""
        if key in choices:
            return True
        choices = [str(c) for c in choices]
        self.add(at if at is not None else (*path, key), key,
                 _("{what} parmi {choices}").format(what=what, choices=", ".join(choices))
                 + suggest(str(key), choices), kind)
        return False

    def keys(self, path: tuple, data: dict, allowed: tuple[str, ...]) -> None:
        for key in data:
            self.known(path, key, allowed, _("une clé"), "unknown-key")

    # -- values ------------------------------------------------------------------------------
    def text(self, path: tuple, value) -> str:
        """A team's text: a string (French) or ``{fr: …, en: …}``; ``""`` if none."""
        if value is None:
            return ""
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            return str(value).strip()
        if not isinstance(value, dict) or not set(value) & set(TEXT_LANGUAGES):
            self.add(path, value, _("un texte, ou {fr: « … », en: « … »}"), "appraisal-type")
            return ""
        for key in value:
            self.known(path, key, TEXT_LANGUAGES, _("une langue (fr, en)"), "unknown-key")
        french = value.get("fr")
        if french in (None, "") or not isinstance(french, str):
            self.add((*path, "fr"), french, _("le texte en français (clé « fr »)"),
                     "missing-key")
            return ""
        english = value.get("en")
        if isinstance(english, str) and english.strip():
            self.english[french.strip()] = english.strip()
        return french.strip()

    def texts(self, path: tuple, value) -> list[str]:
        found = [self.text((*path, i), v) for i, v in enumerate(self.items(path, value,
                                                                          _("des textes")))]
        return [t for t in found if t]

    def codes(self, path: tuple, value, choices, what: str) -> list[str]:
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        out = []
        for i, code in enumerate(self.items(path, value, what)):
            if choices is None or self.known(path, str(code), choices, what, "bad-reference",
                                             at=(*path, i)):
                out.append(str(code))
        return out

    def score(self, path: tuple, value) -> str | None:
        codes = self.programme.rating_codes
        if value is None or value == "":
            return None
        if isinstance(value, str) and value.strip().upper() in codes:
            return value.strip().upper()
        self.add(path, value, _("une note de l'échelle : ") + ", ".join(
            f"{r.code} ({r.label})" for r in self.programme.scale), "bad-score")
        return None

    def date(self, path: tuple, value, required: bool = False) -> dt.date | None:
        if value is None or value == "":
            if required:
                self.add(path, None, _("une date (AAAA-MM-JJ)"), "missing-key")
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            for form in ("%Y-%m-%d", "%d/%m/%Y"):
                try:
                    return dt.datetime.strptime(value.strip(), form).date()
                except ValueError:
                    continue
        self.add(path, value, _("une date (AAAA-MM-JJ, ou JJ/MM/AAAA)"), "bad-date")
        return None

    # -- sections ----------------------------------------------------------------------------
    def read(self) -> Appraisal:
        data = self.mapping((), self.doc.data, _("une appréciation (questions, conclusions…)"))
        self.keys((), data, TOP_KEYS)
        for key, expected in (("partenariat", self.who), ("phase", self.phase)):
            if key in data and str(data[key]) != expected:
                self.add((key,), data[key], _("« {expected} », comme le nom du fichier et de son "
                                              "dossier").format(expected=expected),
                         "misplaced-appraisal")
        is_pair = self.who != PROGRAMME_KEY
        out = Appraisal(who=self.who, phase=self.phase, file=self.doc.file)
        out.questions = self.questions(data.get("questions"))
        if is_pair:
            out.results = self.grades(("resultats",), data.get("resultats"),
                                      [r.code for r in self.programme.results],
                                      _("un résultat intermédiaire"))
        elif data.get("resultats"):
            self.add(("resultats",), "resultats", _("aucune note par RI pour le programme (les "
                                                   "RI sont notés par partenariat)"), "unknown-key")
        out.criteria = self.grades(("criteres_cad",), data.get("criteres_cad"),
                                   [c.code for c in self.programme.criteria],
                                   _("un critère du CAD"))
        out.conclusions = self.conclusions(data.get("conclusions"))
        out.recommendations = self.recommendations(data.get("recommandations"),
                                                   {c.id for c in out.conclusions})
        out.lessons = self.texts(("lecons",), data.get("lecons"))
        out.follow_up = self.follow_up(data.get("suivi"))
        out.method = self.method(data.get("methode"))
        answers = self.mapping(("controles",), data.get("controles"),
                               _("des réponses aux contrôles"))
        out.answers = {str(k): t for k, v in answers.items()
                       if (t := self.text(("controles", k), v))}
        out.seen = self.seen(data.get("preuves_vues"))
        out.english = dict(self.english)
        return out

    def questions(self, value) -> dict[str, Answer]:
        out = {}
        questions = self.matrix.question_map if self.matrix else {}
        for code, raw in self.mapping(("questions",), value, _("des questions QE…")).items():
            path = ("questions", code)
            if self.matrix is not None and not self.known(("questions",), code, list(questions),
                                                          _("une question de la matrice"),
                                                          "unknown-question"):
                continue
            data = self.mapping(path, raw, _("une réponse {constats, reponse, note, "
                                             "justification}"))
            self.keys(path, data, ("constats", "reponse", "note", "justification"))
            count = len(questions[code].judgement_criteria) if code in questions else None
            findings = []
            for i, item in enumerate(self.items((*path, "constats"), data.get("constats"),
                                                _("des constats par critère"))):
                found = self.findings(str(code), (*path, "constats", i), item, count)
                if found is not None:
                    findings.append(found)
            out[str(code)] = Answer(findings=findings,
                                    text=self.text((*path, "reponse"), data.get("reponse")),
                                    score=self.score((*path, "note"), data.get("note")),
                                    justification=self.text((*path, "justification"),
                                                            data.get("justification")))
        return out

    def findings(self, question: str, path: tuple, raw, count: int | None) -> Findings | None:
        data = self.mapping(path, raw, _("un constat {critere, suivi, documents, …}"))
        self.keys(path, data, ("critere", *SOURCE_KINDS, "references"))
        number = data.get("critere")
        if not isinstance(number, int) or isinstance(number, bool) or number < 1 or (
                count is not None and number > count):
            shown = f"1 à {count}" if count else "1, 2…"
            self.add((*path, "critere"), number,
                     _("le numéro d'un critère de jugement de {question} ({shown})").format(
                         question=question, shown=shown), "bad-reference")
            return None
        texts = {k: t for k in SOURCE_KINDS if (t := self.text((*path, k), data.get(k)))}
        return Findings(question=question, criterion=number, texts=texts,
                        references=self.text((*path, "references"), data.get("references")))

    def grades(self, path: tuple, value, choices: list[str], what: str) -> dict[str, Grade]:
        out = {}
        for code, raw in self.mapping(path, value, what).items():
            if not self.known(path, code, choices, what, "unknown-code"):
                continue
            where = (*path, code)
            data = self.mapping(where, raw, _("une note {note, appreciation, justification}"))
            self.keys(where, data, ("note", "appreciation", "justification"))
            out[str(code)] = Grade(score=self.score((*where, "note"), data.get("note")),
                                   text=self.text((*where, "appreciation"),
                                                  data.get("appreciation")),
                                   justification=self.text((*where, "justification"),
                                                           data.get("justification")))
        return out

    def conclusions(self, value) -> list[Conclusion]:
        out = []
        question_codes = list(self.matrix.question_map) if self.matrix else None
        finding_ids = ([f for q in self.matrix.questions for f in q.finding_ids()]
                       if self.matrix else None)
        seen: set[str] = set()
        for i, raw in enumerate(self.items(("conclusions",), value, _("des conclusions"))):
            path = ("conclusions", i)
            data = self.mapping(path, raw, _("une conclusion {id, texte, questions, constats}"))
            self.keys(path, data, ("id", "texte", "questions", "constats"))
            cid = self.identifier(path, data.get("id"), "C", seen)
            text = self.text((*path, "texte"), data.get("texte"))
            if data.get("texte") in (None, ""):
                self.add((*path, "texte"), None, _("le texte de la conclusion"), "missing-key")
            found = self.codes((*path, "constats"), data.get("constats"), finding_ids,
                               _("un constat (QE4.2…)"))
            asked = self.codes((*path, "questions"), data.get("questions"), question_codes,
                               _("une question de la matrice"))
            if cid and text:
                out.append(Conclusion(id=cid, text=text, questions=asked, findings=found))
        return out

    def identifier(self, path: tuple, value, prefix: str, seen: set[str]) -> str | None:
        text = str(value).strip() if value is not None else ""
        if not (text.startswith(prefix) and text[1:].isdigit()):
            self.add((*path, "id"), value, _("un identifiant {prefix}1, {prefix}2…").format(
                prefix=prefix), "bad-id")
            return None
        if text in seen:
            self.add((*path, "id"), value, _("un identifiant unique"), "bad-id")
            return None
        seen.add(text)
        return text

    def recommendations(self, value, conclusions: set[str]) -> list[Recommendation]:
        out = []
        m = self.matrix
        seen: set[str] = set()
        keys = ("id", "action", "destinataire", "priorite", "echeance", "conclusions",
                "resultats")
        for i, raw in enumerate(self.items(("recommandations",), value,
                                           _("des recommandations"))):
            path = ("recommandations", i)
            data = self.mapping(path, raw, _("une recommandation {id, action, destinataire, "
                                             "priorite, echeance, conclusions}"))
            self.keys(path, data, keys)
            rid = self.identifier(path, data.get("id"), "R", seen)
            text = self.text((*path, "action"), data.get("action"))
            if data.get("action") in (None, ""):
                self.add((*path, "action"), None, _("l'action recommandée (qui fait quoi, "
                                                    "pourquoi)"), "missing-key")
            addressee = str(data.get("destinataire") or "")
            priority = str(data.get("priorite") or "")
            for key, code, choices, what in (
                    ("destinataire", addressee, m.addressees if m else None, _("un acteur")),
                    ("priorite", priority, m.priorities if m else None, _("une priorité"))):
                if not code:
                    self.add((*path, key), None, what, "missing-key")
                elif choices is not None:
                    self.known(path, code, list(choices), what, at=(*path, key))
            deadline = self.date((*path, "echeance"), data.get("echeance"), required=True)
            linked = self.codes((*path, "conclusions"), data.get("conclusions"),
                                sorted(conclusions), _("une conclusion de cette appréciation"))
            results = self.codes((*path, "resultats"), data.get("resultats"),
                                 [r.code for r in self.programme.results], _("un RI"))
            if rid and text and addressee and priority and deadline:
                out.append(Recommendation(id=rid, text=text, addressee=addressee,
                                          priority=priority, deadline=deadline,
                                          conclusions=linked, results=results))
        return out

    def follow_up(self, value) -> dict[str, FollowUp]:
        out = {}
        states = self.matrix.follow_up_states if self.matrix else None
        for rec_id, raw in self.mapping(("suivi",), value, _("des recommandations R…")).items():
            path = ("suivi", rec_id)
            data = self.mapping(path, raw, _("un suivi {etat, commentaire}"))
            self.keys(path, data, ("etat", "commentaire"))
            state = str(data.get("etat") or "")
            if not state:
                self.add((*path, "etat"), None, _("un état de mise en œuvre"), "missing-key")
                continue
            if states is not None and not self.known(path, state, list(states), _("un état"),
                                                     at=(*path, "etat")):
                continue
            out[str(rec_id)] = FollowUp(state=state, comment=self.text(
                (*path, "commentaire"), data.get("commentaire")))
        return out

    def method(self, value) -> Method:
        data = self.mapping(("methode",), value, _("une méthode {documents, entretiens, "
                                                   "visites}"))
        self.keys(("methode",), data, ("documents", "entretiens", "visites"))
        interviews, visits = [], []
        for i, raw in enumerate(self.items(("methode", "entretiens"), data.get("entretiens"),
                                           _("des entretiens"))):
            path = ("methode", "entretiens", i)
            d = self.mapping(path, raw, _("un entretien {fonction, institution, date}"))
            self.keys(path, d, ("fonction", "institution", "date"))
            role = self.text((*path, "fonction"), d.get("fonction"))
            if role:
                interviews.append(Interview(role=role, institution=self.text(
                    (*path, "institution"), d.get("institution")),
                    date=self.date((*path, "date"), d.get("date"))))
            else:
                self.add((*path, "fonction"), None, _("la fonction de la personne rencontrée"),
                         "missing-key")
        for i, raw in enumerate(self.items(("methode", "visites"), data.get("visites"),
                                           _("des visites"))):
            path = ("methode", "visites", i)
            d = self.mapping(path, raw, _("une visite {lieu, date}"))
            self.keys(path, d, ("lieu", "date"))
            place = self.text((*path, "lieu"), d.get("lieu"))
            if place:
                visits.append(Visit(place=place, date=self.date((*path, "date"), d.get("date"))))
            else:
                self.add((*path, "lieu"), None, _("le lieu visité"), "missing-key")
        return Method(documents=self.texts(("methode", "documents"), data.get("documents")),
                      interviews=interviews, visits=visits)

    def seen(self, value) -> EvidenceSeen | None:
        if value is None:
            return None
        data = self.mapping(("preuves_vues",), value, _("les preuves vues {date, valeurs, "
                                                        "manquantes}"))
        self.keys(("preuves_vues",), data, ("date", "valeurs", "manquantes"))
        day = self.date(("preuves_vues", "date"), data.get("date"), required=True)
        values: dict[str, dict[str, float | None]] = {}
        missing: dict[str, dict[str, list[int]]] = {}
        for key, target in (("valeurs", values), ("manquantes", missing)):
            for pair, codes in self.mapping(("preuves_vues", key), data.get(key),
                                            _("des partenariats")).items():
                inner = self.mapping(("preuves_vues", key, pair), codes, _("des indicateurs"))
                if key == "valeurs":
                    target[str(pair)] = {str(c): (float(v) if isinstance(v, int | float)
                                                  and not isinstance(v, bool) else None)
                                         for c, v in inner.items()}
                else:
                    target[str(pair)] = {str(c): [int(y) for y in (v or [])
                                                  if isinstance(y, int)]
                                         for c, v in inner.items()}
        return EvidenceSeen(date=day, values=values, missing=missing) if day else None


def store_dir(data_dir: Path) -> Path:
    """The store of a data folder: ``<data>/appreciations`` (:mod:`maroc_eval.base.paths`)."""
    return paths.appraisals_dir(data_dir)


def read_appraisal(path: Path, programme: Programme, matrix: EvaluationMatrix | None,
                   phase: str, who: str, problems: ProblemList
                   ) -> tuple[Appraisal | None, YamlDocument | None]:
    """Read one store file; every problem goes to ``problems``.

    Returns
    -------
    tuple of (Appraisal or None, YamlDocument or None)
        ``None`` when the file holds an error (nothing half-read is returned).
    """
    try:
        doc = load_yaml(path)
    except InputError as exc:
        problems.extend(exc.problems)
        return None, None
    reader = _Reader(doc, programme, matrix, phase, who, problems)
    found = reader.read()
    return (found if reader.ok else None), doc


def read_appraisals(data_dir: Path, programme: Programme, matrix: EvaluationMatrix | None = None
                    ) -> tuple[Appraisals, ProblemList]:
    """Read every store file of a data folder and return every problem instead of raising.

    A file must stand at ``appreciations/<phase>/<who>.yml`` with a known phase and a known pair
    (or ``programme``); anything else in the folder is a located error.
    """
    problems = ProblemList()
    root = store_dir(data_dir)
    out = Appraisals(folder=display_path(root))
    if not root.is_dir():
        return out, problems
    whos = [*programme.pair_codes, PROGRAMME_KEY]
    for folder in sorted(root.iterdir()):
        if folder.name.startswith("."):
            continue
        if not folder.is_dir() or folder.name not in programme.phases:
            problems.add(display_path(folder), None, None, folder.name,
                         _("un dossier de phase ({phases})").format(
                             phases=", ".join(programme.phases)), kind="misplaced-appraisal")
            continue
        for path in sorted(folder.iterdir()):
            if path.name.startswith(".") or path.name.startswith("~"):
                continue
            who = path.stem
            if path.suffix not in (".yml", ".yaml") or who not in whos:
                problems.add(display_path(path), None, None, path.name,
                             _("un fichier <partenariat>.yml ({choices})").format(
                                 choices=", ".join(whos)) + suggest(who, whos),
                             kind="misplaced-appraisal")
                continue
            found, doc = read_appraisal(path, programme, matrix, folder.name, who, problems)
            if found is not None:
                out.items[(folder.name, who)] = found
                for key, line in doc.lines.items():
                    out.lines[(folder.name, who, *key)] = line
    _check_follow_up(out, programme, problems)
    return out, problems


def _check_follow_up(found: Appraisals, programme: Programme, problems: ProblemList) -> None:
    """A follow-up names a recommendation the previous phase's appraisal made."""
    for (phase, who), item in found.items.items():
        before = programme.previous_phase(phase)
        made = {r.id for r in found.evaluation(before.code, who).recommendations} if before \
            else set()
        for rec_id in item.follow_up:
            if rec_id not in made:
                problems.add(item.file, found.line(phase, who, "suivi", rec_id),
                             f"suivi.{rec_id}", rec_id,
                             _("une recommandation de l'évaluation précédente ({known})").format(
                                 known=", ".join(sorted(made)) or _("aucune")),
                             kind="bad-reference")


def load_appraisals(data_dir: Path, programme: Programme,
                    matrix: EvaluationMatrix | None = None) -> Appraisals:
    """Load the team's appraisals of a data folder.

    Raises
    ------
    InputError
        Every problem found, located.
    """
    found, problems = read_appraisals(data_dir, programme, matrix)
    if problems.errors:
        raise InputError(problems.items)
    return found


# -- writing ----------------------------------------------------------------------------------
def _text(value: str, english: dict[str, str]):
    return {"fr": value, "en": english[value]} if value in english else value


def appraisal_data(item: Appraisal) -> dict:
    """An appraisal as the plain data of its store file (keys in :data:`TOP_KEYS` order,
    empty sections left out)."""
    en = item.english
    out: dict = {"partenariat": item.who, "phase": item.phase}
    questions = {}
    for code, answer in item.questions.items():
        body: dict = {}
        if answer.findings:
            body["constats"] = [{"critere": f.criterion,
                                 **{k: _text(f.texts[k], en) for k in SOURCE_KINDS
                                    if f.texts.get(k)},
                                 **({"references": _text(f.references, en)}
                                    if f.references else {})}
                                for f in answer.findings]
        for key, value in (("reponse", answer.text), ("note", answer.score),
                           ("justification", answer.justification)):
            if value:
                body[key] = _text(value, en) if key != "note" else value
        questions[code] = body
    if questions:
        out["questions"] = questions
    for key, grades in (("resultats", item.results), ("criteres_cad", item.criteria)):
        section = {}
        for code, grade in grades.items():
            body = {}
            for name, value in (("note", grade.score), ("appreciation", grade.text),
                                ("justification", grade.justification)):
                if value:
                    body[name] = value if name == "note" else _text(value, en)
            section[code] = body
        if section:
            out[key] = section
    if item.conclusions:
        out["conclusions"] = [{"id": c.id, "texte": _text(c.text, en),
                               **({"questions": c.questions} if c.questions else {}),
                               **({"constats": c.findings} if c.findings else {})}
                              for c in item.conclusions]
    if item.recommendations:
        out["recommandations"] = [{"id": r.id, "action": _text(r.text, en),
                                   "destinataire": r.addressee, "priorite": r.priority,
                                   "echeance": r.deadline,
                                   **({"conclusions": r.conclusions} if r.conclusions else {}),
                                   **({"resultats": r.results} if r.results else {})}
                                  for r in item.recommendations]
    if item.lessons:
        out["lecons"] = [_text(t, en) for t in item.lessons]
    if item.follow_up:
        out["suivi"] = {k: {"etat": f.state, **({"commentaire": _text(f.comment, en)}
                                               if f.comment else {})}
                        for k, f in item.follow_up.items()}
    m = item.method
    method: dict = {}
    if m.documents:
        method["documents"] = [_text(d, en) for d in m.documents]
    if m.interviews:
        method["entretiens"] = [{"fonction": _text(i.role, en),
                                 "institution": _text(i.institution, en),
                                 **({"date": i.date} if i.date else {})} for i in m.interviews]
    if m.visits:
        method["visites"] = [{"lieu": _text(v.place, en), **({"date": v.date} if v.date else {})}
                             for v in m.visits]
    if method:
        out["methode"] = method
    if item.answers:
        out["controles"] = {k: _text(v, en) for k, v in sorted(item.answers.items())}
    if item.seen is not None:
        out["preuves_vues"] = {"date": item.seen.date, "valeurs": item.seen.values,
                               "manquantes": item.seen.missing}
    return out


class _Dumper(yaml.SafeDumper):
    """Block style, long texts folded at the line width, keys in the order given."""


def _str(dumper: yaml.SafeDumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump_appraisal(item: Appraisal, header: str = "") -> str:
    """The text of an appraisal's store file (``header``: comment lines put first).

    Reading the text back (:func:`read_appraisal`) gives the same appraisal.
    """
    body = yaml.dump(appraisal_data(item), Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     width=100, default_flow_style=False)
    lines = [f"# {line}".rstrip() for line in header.splitlines()] if header else []
    return "\n".join([*lines, body]) if lines else body


def appraisal_path(data_dir: Path, phase: str, who: str) -> Path:
    """The store file of one pair (or the programme) at one phase."""
    return store_dir(data_dir) / phase / f"{who}.yml"
