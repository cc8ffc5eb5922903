"""What an evaluation concludes, as the evaluators write it in ``appreciations.yml``.

Beside the scores per RI and per DAC criterion (:mod:`maroc_eval.core.judgements`), each pair —
and the programme, under the key ``programme`` — may carry, per phase::

    questions:            # the answers to the evaluation matrix's questions
      QE1: {note: B, reponse: "…", justification: "…"}
    objectif: {note: B, reponse: "…"}            # the verdict on the specific objective
    conclusions:
      - {id: C1, texte: "…", questions: [QE1], resultats: [RI2]}
    recommandations:
      - {id: R1, texte: "…", destinataire: commune_marocaine, priorite: haute,
         echeance: 31/12/2011, conclusions: [C1], resultats: [RI2]}
    lecons: ["…"]                                # final phase: lessons learned
    suivi:                                       # final phase: the mid-term recommendations
      R1: {etat: partielle, commentaire: "…"}
    methode:
      documents: ["…"]
      entretiens: [{fonction: "…", institution: "…", date: 12/10/2010}]
      visites: [{lieu: "…", date: 13/10/2010}]

The models are what the synthesis notebooks read and what the sidecars carry.

The evaluators' prose — findings (``constats``), answers (``reponse``), the ``texte`` of
conclusions and recommendations, lessons, justifications and comments — is a plain string
(French) or both languages, ``{fr: "…", en: "…"}``. The models keep the French text, as
before; the English ones the evaluators gave are kept beside, French text → English text, like a
catalogue of their own (:attr:`Evaluation.english`, ``Judgements.english``), and
:func:`localised` shows a text in the language spoken.
"""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict, Field

from .. import i18n
from ..i18n import _

PROGRAMME_KEY = "programme"
"""The key, in place of a pair code, of the programme-level conclusions."""

EVALUATION_KEYS = ("questions", "objectif", "conclusions", "recommandations", "lecons", "suivi",
                   "methode")
"""The keys of a pair's (or the programme's) entry beside ``resultats`` and ``criteres_cad``."""


TEXT_LANGUAGES = ("fr", "en")
"""The keys of a text given in both languages (``fr`` required)."""


def localised(text: str | None, english: Mapping[str, str] | None = None) -> str | None:
    """An evaluator's text in the language spoken (:func:`maroc_eval.i18n.language`).

    In French, the text as written. In English, the evaluators' English text when they gave
    one, else the French text followed by « (texte original en français) » (translated), so
    that a reader knows it was not translated.

    Parameters
    ----------
    text : str or None
        The French text (as the models keep it).
    english : mapping, optional
        French text → English text, as read from ``appreciations.yml``.

    Examples
    --------
    >>> localised("Bon travail.", {"Bon travail.": "Good work."})  # French is spoken
    'Bon travail.'
    """
    if not text or i18n.language() == i18n.DEFAULT:
        return text
    found = (english or {}).get(text)
    marker = _("(texte original en français)")  # a literal call, so Babel extracts it
    return found if found else f"{text} {marker}"


def read_text(reader, path: tuple, value) -> str | None:
    """Read one evaluator's text: a string (French) or ``{fr: "…", en: "…"}``.

    Returns the French text (``None`` for an empty value or an error) and records the English
    one in ``reader.judgements.english``. Problems are reported through ``reader.add``, at the
    text's key (a key other than fr/en, fr missing, a value that is not text), all at once.
    """
    if value is None:
        return None
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, dict) or not set(value) & set(TEXT_LANGUAGES):
        reader.add(path, value, _("un texte, ou {fr: « … », en: « … »}"), "judgement-type")
        return None
    ok = True
    for key in value:
        if key not in TEXT_LANGUAGES:
            reader.add((*path, key), key, _("une langue : fr (le texte en français, "
                                            "obligatoire) ou en (sa version anglaise)"),
                       "unknown-key")
            ok = False
    for key in TEXT_LANGUAGES:
        text = value.get(key)
        if text is not None and (not isinstance(text, str | int | float)
                                 or isinstance(text, bool)):
            reader.add((*path, key), text, _("un texte"), "judgement-type")
            ok = False
    if value.get("fr") in (None, ""):
        reader.add(path, None, _("une clé « fr » renseignée (le texte en français ; « en » "
                                 "donne sa version anglaise)"), "missing-key")
        ok = False
    if not ok:
        return None
    french = str(value["fr"])
    if value.get("en") not in (None, ""):
        reader.judgements.english[french] = str(value["en"])
    return french


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Answer(_Model):
    """The evaluators' answer to a question (or their verdict on the objective)."""

    score: str | None = None
    text: str = ""
    justification: str | None = None


class Conclusion(_Model):
    """A numbered conclusion and what it rests on."""

    id: str
    text: str
    questions: list[str] = Field(default_factory=list)
    results: list[str] = Field(default_factory=list)


class Recommendation(_Model):
    """A numbered recommendation: to whom, how urgent, by when, following which conclusions."""

    id: str
    text: str
    addressee: str
    priority: str
    deadline: str
    conclusions: list[str] = Field(default_factory=list)
    results: list[str] = Field(default_factory=list)


class FollowUp(_Model):
    """What became of an earlier phase's recommendation."""

    state: str
    comment: str = ""


class Interview(_Model):
    role: str
    institution: str
    date: str = ""


class Visit(_Model):
    place: str
    date: str = ""


class Method(_Model):
    """What the evaluators actually did for this pair and phase."""

    documents: list[str] = Field(default_factory=list)
    interviews: list[Interview] = Field(default_factory=list)
    visits: list[Visit] = Field(default_factory=list)

    def used(self, source: str) -> bool:
        """Whether a matrix source was mobilised (monitoring and budget data always are when
        present; documents, interviews and visits only if this method lists some)."""
        return {"documents": bool(self.documents), "entretiens": bool(self.interviews),
                "visites": bool(self.visits)}.get(source, True)


class Evaluation(_Model):
    """Everything a pair (or the programme) concludes at one phase."""

    questions: dict[str, Answer] = Field(default_factory=dict)
    objective: Answer | None = None
    conclusions: list[Conclusion] = Field(default_factory=list)
    recommendations: list[Recommendation] = Field(default_factory=list)
    lessons: list[str] = Field(default_factory=list)
    follow_up: dict[str, FollowUp] = Field(default_factory=dict)
    method: Method = Field(default_factory=Method)
    english: dict[str, str] = Field(default_factory=dict)
    """The English versions the evaluators gave, French text → English text (:func:`localised`)."""

    def recommendation(self, rec_id: str) -> Recommendation | None:
        """A recommendation by its identifier."""
        return next((r for r in self.recommendations if r.id == rec_id), None)

    def recommendations_for(self, ri: str) -> list[Recommendation]:
        """The recommendations tied to an RI."""
        return [r for r in self.recommendations if ri in r.results]


class EvaluationReader:
    """Reads the evaluation keys of one entry, reporting through a judgements reader.

    Parameters
    ----------
    reader : object
        The :class:`maroc_eval.core.judgements._Reader` (``add``, ``mapping``, ``texts``,
        ``score``, ``known``).
    matrix : EvaluationMatrix or None
        Question codes, addressees, priorities and follow-up states allowed; without a matrix
        they are not checked.
    """

    def __init__(self, reader, matrix=None):
        self.r, self.matrix = reader, matrix

    def read(self, path: tuple, body: dict) -> Evaluation:
        """The evaluation keys of ``body`` (others are the judgements reader's)."""
        out = Evaluation()
        out.english = self.r.judgements.english  # shared: every text of the file
        for key in EVALUATION_KEYS:
            if key not in body or body[key] is None:
                continue
            value, where = body[key], (*path, key)
            if key == "questions":
                choices = list(self.matrix.question_map) if self.matrix else None
                for code, raw in (self.r.mapping(where, value,
                                                 _("des questions QE…")) or {}).items():
                    if choices is None or self.r.known(where, code, choices,
                                                       _("une question de la matrice"),
                                                       "unknown-question"):
                        answer = self.answer((*where, code), raw)
                        if answer:
                            out.questions[str(code)] = answer
            elif key == "objectif":
                out.objective = self.answer(where, value)
            elif key == "conclusions":
                out.conclusions = [c for i, raw in enumerate(self.items(where, value))
                                   if (c := self.conclusion((*where, i), raw))]
            elif key == "recommandations":
                out.recommendations = [r for i, raw in enumerate(self.items(where, value))
                                       if (r := self.recommendation((*where, i), raw))]
            elif key == "lecons":
                out.lessons = self.r.texts(where, value, prose=True)
            elif key == "suivi":
                out.follow_up = self.follow_up(where, value)
            else:
                out.method = self.method(where, value)
        return out

    def items(self, path: tuple, value) -> list:
        if isinstance(value, list):
            return value
        self.r.add(path, value, _("une liste (- id: …)"), "judgement-type")
        return []

    def fields(self, path: tuple, raw, allowed: tuple[str, ...], required: tuple[str, ...]
               ) -> dict | None:
        data = self.r.mapping(path, raw, _("un dictionnaire {{{keys}}}").format(
            keys=", ".join(allowed)))
        if data is None:
            return None
        ok = True
        for key in data:
            ok &= self.r.known(path, key, list(allowed), _("une clé"), "unknown-key")
        for key in required:
            if data.get(key) in (None, ""):
                self.r.add((*path, key), None, _("une clé « {key} » renseignée").format(key=key),
                           "missing-key")
                ok = False
        return data if ok else None

    def text(self, path: tuple, value) -> str:
        if value is None:
            return ""
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            return str(value)
        self.r.add(path, value, _("un texte"), "judgement-type")
        return ""

    def prose(self, path: tuple, value) -> str:
        """An evaluator's text, French or ``{fr, en}`` (:func:`read_text`); ``""`` if none."""
        return read_text(self.r, path, value) or ""

    def answer(self, path: tuple, raw) -> Answer | None:
        data = self.fields(path, raw, ("note", "reponse", "justification"), ("note",))
        if data is None:
            return None
        return Answer(score=self.r.score((*path, "note"), data.get("note")),
                      text=self.prose((*path, "reponse"), data.get("reponse")),
                      justification=self.prose((*path, "justification"),
                                               data.get("justification")) or None)

    def conclusion(self, path: tuple, raw) -> Conclusion | None:
        data = self.fields(path, raw, ("id", "texte", "questions", "resultats"), ("id", "texte"))
        if data is None:
            return None
        return Conclusion(id=self.text((*path, "id"), data["id"]),
                          text=self.prose((*path, "texte"), data["texte"]),
                          questions=self.r.texts((*path, "questions"), data.get("questions")),
                          results=self.r.texts((*path, "resultats"), data.get("resultats")))

    def code(self, path: tuple, value, choices: dict | None, what: str) -> str:
        text = self.text(path, value)
        if choices is not None and text not in choices:
            self.r.known(path[:-1], text, list(choices), what, "unknown-code")
        return text

    def recommendation(self, path: tuple, raw) -> Recommendation | None:
        keys = ("id", "texte", "destinataire", "priorite", "echeance", "conclusions", "resultats")
        data = self.fields(path, raw, keys, keys[:5])
        if data is None:
            return None
        m = self.matrix
        return Recommendation(
            id=self.text((*path, "id"), data["id"]),
            text=self.prose((*path, "texte"), data["texte"]),
            addressee=self.code((*path, "destinataire"), data["destinataire"],
                                m.addressees if m else None, _("un destinataire")),
            priority=self.code((*path, "priorite"), data["priorite"],
                               m.priorities if m else None, _("une priorité")),
            deadline=self.text((*path, "echeance"), data["echeance"]),
            conclusions=self.r.texts((*path, "conclusions"), data.get("conclusions")),
            results=self.r.texts((*path, "resultats"), data.get("resultats")))

    def follow_up(self, path: tuple, value) -> dict[str, FollowUp]:
        out = {}
        for rec_id, raw in (self.r.mapping(path, value, _("des recommandations R…")) or {}).items():
            data = self.fields((*path, rec_id), raw, ("etat", "commentaire"), ("etat",))
            if data is not None:
                states = self.matrix.follow_up_states if self.matrix else None
                out[str(rec_id)] = FollowUp(
                    state=self.code((*path, rec_id, "etat"), data["etat"], states, _("un état")),
                    comment=self.prose((*path, rec_id, "commentaire"),
                                       data.get("commentaire")))
        return out

    def method(self, path: tuple, value) -> Method:
        data = self.fields(path, value, ("documents", "entretiens", "visites"), ())
        if data is None:
            return Method()
        interviews = [Interview(role=self.text((*path, "entretiens", i, "fonction"),
                                               d.get("fonction")),
                                institution=self.text((*path, "entretiens", i, "institution"),
                                                      d.get("institution")),
                                date=self.text((*path, "entretiens", i, "date"), d.get("date")))
                      for i, raw in enumerate(self.items((*path, "entretiens"),
                                                         data.get("entretiens") or []))
                      if (d := self.fields((*path, "entretiens", i), raw,
                                           ("fonction", "institution", "date"),
                                           ("fonction", "institution")))]
        visits = [Visit(place=self.text((*path, "visites", i, "lieu"), d.get("lieu")),
                        date=self.text((*path, "visites", i, "date"), d.get("date")))
                  for i, raw in enumerate(self.items((*path, "visites"),
                                                     data.get("visites") or []))
                  if (d := self.fields((*path, "visites", i), raw, ("lieu", "date"),
                                       ("lieu",)))]
        return Method(documents=self.r.texts((*path, "documents"), data.get("documents")),
                      interviews=interviews, visits=visits)
