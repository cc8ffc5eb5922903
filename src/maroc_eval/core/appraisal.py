"""The evaluation team's appraisal of one pair (or of the programme) at one phase.

Everything here is written by the team — findings per judgement criterion and per kind of
source, answers, grades, conclusions, recommendations, lessons, the follow-up of the previous
phase's recommendations, the method and their answers to the toolkit's checks. The toolkit
never writes any of it: it reads it (:mod:`maroc_eval.core.appraisal_store`), checks it
(:mod:`maroc_eval.core.checks`) and shows it beside the evidence it computes
(:mod:`maroc_eval.core.evidence`). An empty field is a place « à compléter ».

The team's prose is French, or both languages (``{fr: "…", en: "…"}``): the models keep the
French text and :attr:`Appraisal.english` maps it to the English one the team gave;
:func:`localised` shows a text in the language spoken.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict, Field

from ..base import i18n
from ..base.i18n import _
from .matrix_items import SOURCE_KINDS

PROGRAMME_KEY = "programme"
"""The name, in place of a pair code, of the programme's own appraisal."""


def localised(text: str | None, english: Mapping[str, str] | None = None) -> str | None:
    """A team's text in the language spoken (:func:`maroc_eval.base.i18n.language`).

    In French, the text as written. In English, the team's English text when they gave one, else
    the French text followed by « (texte original en français) » (translated), so that a reader
    knows it was not translated.

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


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Findings(_Model):
    """What the team found on one judgement criterion of one question, by kind of source.

    ``texts`` maps a kind of source (:data:`~maroc_eval.core.matrix_items.SOURCE_KINDS`) to the
    team's finding from it; ``references`` names the documents, interviews or visits.
    """

    question: str
    criterion: int
    texts: dict[str, str] = Field(default_factory=dict)
    references: str = ""

    @property
    def id(self) -> str:
        """``QE4.2``: the question, then the criterion's number."""
        return f"{self.question}.{self.criterion}"

    @property
    def kinds(self) -> list[str]:
        """The kinds of source this finding rests on, in the canonical order."""
        return [k for k in SOURCE_KINDS if self.texts.get(k)]

    @property
    def written(self) -> bool:
        """Whether the team wrote anything for this criterion."""
        return bool(self.kinds)


class Answer(_Model):
    """The team's answer to an evaluation question."""

    findings: list[Findings] = Field(default_factory=list)
    text: str = ""
    score: str | None = None
    justification: str = ""

    def finding(self, criterion: int) -> Findings | None:
        """The findings on one judgement criterion (1-based), if written."""
        return next((f for f in self.findings if f.criterion == criterion), None)


class Grade(_Model):
    """The team's grade on an intermediate result or a DAC criterion, with their reasoning
    (``text``) and, when it departs from the proposal, why (``justification``)."""

    score: str | None = None
    text: str = ""
    justification: str = ""


class Conclusion(_Model):
    """A numbered conclusion and the questions and findings it rests on."""

    id: str
    text: str
    questions: list[str] = Field(default_factory=list)
    findings: list[str] = Field(default_factory=list)


class Recommendation(_Model):
    """A numbered recommendation: the action, its addressee, priority, deadline and the
    conclusions it follows from."""

    id: str
    text: str
    addressee: str
    priority: str
    deadline: dt.date
    conclusions: list[str] = Field(default_factory=list)
    results: list[str] = Field(default_factory=list)


class FollowUp(_Model):
    """What became of a recommendation of the previous phase."""

    state: str
    comment: str = ""


class Interview(_Model):
    role: str
    institution: str
    date: dt.date | None = None


class Visit(_Model):
    place: str
    date: dt.date | None = None


class Method(_Model):
    """What the team actually did: documents reviewed, interviews, visits."""

    documents: list[str] = Field(default_factory=list)
    interviews: list[Interview] = Field(default_factory=list)
    visits: list[Visit] = Field(default_factory=list)

    def used(self, source: str) -> bool:
        """Whether a matrix source was mobilised (monitoring and budget data always are when
        present; documents, interviews and visits only if this method lists some)."""
        return {"documents": bool(self.documents), "entretiens": bool(self.interviews),
                "visites": bool(self.visits)}.get(source, True)

    @property
    def empty(self) -> bool:
        """Whether the team described nothing of its method."""
        return not (self.documents or self.interviews or self.visits)


class EvidenceSeen(_Model):
    """The evidence as the team saw it when their grid was imported: each pair's indicator
    values at the reference year and the years then missing (for the stale-finding check)."""

    date: dt.date
    values: dict[str, dict[str, float | None]] = Field(default_factory=dict)
    missing: dict[str, dict[str, list[int]]] = Field(default_factory=dict)


class Appraisal(_Model):
    """Everything the team wrote for one pair (or the programme) at one phase."""

    who: str
    phase: str
    questions: dict[str, Answer] = Field(default_factory=dict)
    results: dict[str, Grade] = Field(default_factory=dict)
    criteria: dict[str, Grade] = Field(default_factory=dict)
    conclusions: list[Conclusion] = Field(default_factory=list)
    recommendations: list[Recommendation] = Field(default_factory=list)
    lessons: list[str] = Field(default_factory=list)
    follow_up: dict[str, FollowUp] = Field(default_factory=dict)
    method: Method = Field(default_factory=Method)
    answers: dict[str, str] = Field(default_factory=dict)
    """The team's answers to the toolkit's checks, by check id (``controles``)."""
    seen: EvidenceSeen | None = None
    english: dict[str, str] = Field(default_factory=dict)
    """The English versions the team gave, French text → English text (:func:`localised`)."""
    file: str = ""
    """The store file it was read from, as shown in messages (``""``: not read from a file)."""

    def recommendation(self, rec_id: str) -> Recommendation | None:
        """A recommendation by its identifier."""
        return next((r for r in self.recommendations if r.id == rec_id), None)

    def recommendations_for(self, ri: str) -> list[Recommendation]:
        """The recommendations tied to an RI."""
        return [r for r in self.recommendations if ri in r.results]

    def conclusion(self, conclusion_id: str) -> Conclusion | None:
        """A conclusion by its identifier."""
        return next((c for c in self.conclusions if c.id == conclusion_id), None)

    def findings(self) -> dict[str, Findings]:
        """Every written finding by id (``QE4.2``)."""
        return {f.id: f for a in self.questions.values() for f in a.findings if f.written}

    def text(self, value: str | None) -> str | None:
        """A text of this appraisal in the language spoken."""
        return localised(value, self.english)

    @property
    def empty(self) -> bool:
        """Whether the team has written nothing yet."""
        return not (self.questions or self.results or self.criteria or self.conclusions
                    or self.recommendations or self.lessons or self.follow_up
                    or not self.method.empty)
