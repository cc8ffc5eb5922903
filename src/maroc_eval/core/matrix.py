"""The evaluation matrix (``params/evaluation.yml``): questions, judgement criteria, sources.

Each evaluation question (QE1…) belongs to a DAC criterion or to the specific objective, lists
its judgement criteria, the logframe indicators that inform it (an indicator code or a whole RI)
and its sources. The file also names the commissioning body, the team, the addressees and
priorities a recommendation may have, the consistency rules between scores and figures, and the
acronyms of the report. Checked against the programme: every problem is located (file, key, line).
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .. import paths
from ..errors import InputError, ProblemList
from ..i18n import _
from .programme import Programme
from .schema import yaml_problems
from .yamlio import load_yaml

OBJECTIVE = "objectif"
"""The ``critere`` of the question on the specific objective."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)


class Question(_Model):
    """One evaluation question."""

    code: str = Field(pattern=r"^QE\d+$")
    criterion: str = Field(alias="critere")
    text: str = Field(alias="question")
    judgement_criteria: list[str] = Field(alias="criteres_jugement", min_length=1)
    indicators: list[str] = Field(alias="indicateurs", min_length=1)
    sources: list[str] = Field(min_length=1)


class HighScoreRule(_Model):
    notes: list[str]
    below: str = Field(alias="sous")


class LowScoreRule(_Model):
    notes: list[str]
    from_: str = Field(alias="des")


class Coherence(_Model):
    """The consistency rules between scores and figures (each may be switched off)."""

    high_score_low_index: HighScoreRule | None = Field(default=None,
                                                       alias="note_elevee_indice_faible")
    low_score_high_index: LowScoreRule | None = Field(default=None,
                                                      alias="note_faible_indice_eleve")
    progress_without_movement: bool = Field(default=False, alias="progres_sans_mouvement")
    efficiency_without_costs: bool = Field(default=False, alias="efficience_sans_couts")


class EvaluationMatrix(_Model):
    """The whole file."""

    commissioner: str = Field(alias="commanditaire")
    team: list[str] = Field(alias="equipe", min_length=1)
    version: str = "1.0"
    terms: dict[str, str] = Field(default_factory=dict, alias="termes_de_reference")
    sources: dict[str, str]
    questions: list[Question] = Field(min_length=1)
    addressees: dict[str, str] = Field(alias="destinataires", min_length=1)
    priorities: dict[str, str] = Field(alias="priorites", min_length=1)
    follow_up_states: dict[str, str] = Field(alias="etats_suivi", min_length=1)
    coherence: Coherence = Field(default_factory=Coherence)
    acronyms: dict[str, str] = Field(default_factory=dict, alias="sigles")
    source_file: str = Field(default="", exclude=True)

    @cached_property
    def question_map(self) -> dict[str, Question]:
        """Code → question."""
        return {q.code: q for q in self.questions}

    def localised(self) -> EvaluationMatrix:
        """The matrix with its texts in the current language (itself in French)."""
        from ..i18n import DEFAULT, _, language

        if language() == DEFAULT:
            return self

        def texts(mapping: dict[str, str]) -> dict[str, str]:
            return {k: _(v) for k, v in mapping.items()}

        out = self.model_copy(update={
            "commissioner": _(self.commissioner), "team": [_(m) for m in self.team],
            "terms": texts(self.terms), "sources": texts(self.sources),
            "questions": [q.model_copy(update={
                "text": _(q.text), "judgement_criteria": [_(c) for c in q.judgement_criteria]})
                for q in self.questions],
            "addressees": texts(self.addressees), "priorities": texts(self.priorities),
            "follow_up_states": texts(self.follow_up_states), "acronyms": texts(self.acronyms)})
        out.__dict__.pop("question_map", None)
        return out

    def indicator_codes(self, question: Question, programme: Programme) -> list[str]:
        """The indicator codes a question rests on (an RI stands for all its indicators)."""
        out: list[str] = []
        for code in question.indicators:
            found = ([i.code for i in programme.indicators_of(code)]
                     if code in programme.result_map else [code])
            out += [c for c in found if c not in out]
        return out

    def results_of(self, question: Question, programme: Programme) -> list[str]:
        """The RIs whose indicators inform a question, in programme order."""
        codes = set(self.indicator_codes(question, programme))
        return [r.code for r in programme.results
                if any(i.code in codes for i in programme.indicators_of(r.code))]


def _check(matrix: EvaluationMatrix, programme: Programme, doc, problems: ProblemList) -> None:
    criteria = [OBJECTIVE, *(c.code for c in programme.criteria)]
    indicators = set(programme.indicator_map) | set(programme.result_map)
    seen: set[str] = set()
    for i, q in enumerate(matrix.questions):
        where = ("questions", i)
        if q.code in seen:
            problems.add(doc.file, doc.line_of((*where, "code")), f"questions[{i}].code", q.code,
                         _("un code de question unique (QE1, QE2…)"), kind="matrix")
        seen.add(q.code)
        if q.criterion not in criteria:
            problems.add(doc.file, doc.line_of((*where, "critere")), f"questions[{i}].critere",
                         q.criterion, _("un critère parmi ") + ", ".join(criteria), kind="matrix")
        for j, code in enumerate(q.indicators):
            if code not in indicators:
                problems.add(doc.file, doc.line_of((*where, "indicateurs", j)),
                             f"questions[{i}].indicateurs", code,
                             _("un indicateur (RI3.1) ou un RI (RI3) du programme"), kind="matrix")
        for j, code in enumerate(q.sources):
            if code not in matrix.sources:
                problems.add(doc.file, doc.line_of((*where, "sources", j)),
                             f"questions[{i}].sources", code,
                             _("une source de la liste « sources » : ") + ", ".join(matrix.sources),
                             kind="matrix")
    if OBJECTIVE not in {q.criterion for q in matrix.questions}:
        problems.add(doc.file, doc.line_of(("questions",)), "questions", None,
                     _("une question sur l'objectif spécifique (critere: objectif)"), kind="matrix")
    rules = matrix.coherence
    scale = programme.rating_codes
    for rule, key in ((rules.high_score_low_index, "note_elevee_indice_faible"),
                      (rules.low_score_high_index, "note_faible_indice_eleve")):
        if rule is None:
            continue
        for note in rule.notes:
            if note not in scale:
                problems.add(doc.file, doc.line_of(("coherence", key, "notes")),
                             f"coherence.{key}.notes", note,
                             _("une note de l'échelle : ") + ", ".join(scale), kind="matrix")
        name = rule.below if isinstance(rule, HighScoreRule) else rule.from_
        if name not in ("threshold_met", "threshold_on_track", "threshold_late"):
            problems.add(doc.file, doc.line_of(("coherence", key)), f"coherence.{key}", name,
                         _("threshold_met, threshold_on_track ou threshold_late"), kind="matrix")


def matrix_path(programme: Programme) -> Path:
    """``evaluation.yml`` beside the programme file."""
    return paths.evaluation_file(Path(programme.source))


def read_matrix(programme: Programme, path: Path | None = None
                ) -> tuple[EvaluationMatrix | None, ProblemList]:
    """Read the evaluation matrix and return every problem instead of raising.

    Parameters
    ----------
    programme : Programme
        The programme whose criteria, indicators and scale the matrix may name.
    path : Path, optional
        Default: ``evaluation.yml`` beside the programme file.

    Returns
    -------
    tuple of (EvaluationMatrix or None, ProblemList)
        ``None`` when the file is absent or holds errors.
    """
    path = path or matrix_path(programme)
    problems = ProblemList()
    if not path.is_file():
        return None, problems
    try:
        doc = load_yaml(path)
    except InputError as exc:
        problems.extend(exc.problems)
        return None, problems
    if not isinstance(doc.data, dict):
        problems.add(doc.file, 1, None, None, _("un dictionnaire (commanditaire, questions, …)"),
                     kind="matrix")
        return None, problems
    try:
        matrix = EvaluationMatrix.model_validate(doc.data)
    except ValidationError as exc:
        yaml_problems(exc, doc, problems, kind="matrix",
                      models=(EvaluationMatrix, Question, Coherence, HighScoreRule, LowScoreRule))
        return None, problems
    _check(matrix, programme, doc, problems)
    if problems.errors:
        return None, problems
    return matrix.model_copy(update={"source_file": doc.file}), problems


def load_matrix(programme: Programme, path: Path | None = None) -> EvaluationMatrix | None:
    """Load the evaluation matrix (``None`` when the project has none).

    Raises
    ------
    InputError
        Every problem found, located.
    """
    matrix, problems = read_matrix(programme, path)
    if problems.errors:
        raise InputError(problems.items)
    return matrix
