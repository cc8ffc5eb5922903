"""The evaluation matrix (``params/evaluation.yml``): questions, judgement criteria, sources.

Each evaluation question (QE1…) belongs to a DAC criterion or to the specific objective, lists
its judgement criteria (some of which the data can verify), the logframe indicators that inform
it (an indicator code or a whole RI) and its sources. The file also names the commissioning body,
the team, the calendar of each evaluation, the actors a recommendation may address, the
priorities, the rubric (:class:`~maroc_eval.core.matrix_items.Rubric`), the settings of the checks
and the acronyms of the report. Checked against the programme: every problem is located (file,
key, line).
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..base import paths
from ..base.errors import InputError, ProblemList
from ..base.i18n import N_, _
from .matrix_items import (
    Calendar,
    CheckSettings,
    JudgementCriterion,
    Rubric,
    TeamMember,
    Verification,
)
from .programme import Programme
from .schema import yaml_problems
from .setting_registry import THRESHOLD_NAMES
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
    judgement_criteria: list[JudgementCriterion] = Field(alias="criteres_jugement",
                                                         min_length=1)
    indicators: list[str] = Field(alias="indicateurs", min_length=1)
    sources: list[str] = Field(min_length=1)

    @property
    def criteria_texts(self) -> list[str]:
        """The judgement criteria's texts, in order."""
        return [c.text for c in self.judgement_criteria]

    def finding_ids(self) -> list[str]:
        """The ids of the findings the team may write: ``QE4.1``, ``QE4.2``…"""
        return [f"{self.code}.{n}" for n in range(1, len(self.judgement_criteria) + 1)]


TO_COMPLETE = N_("à compléter par l’équipe d’évaluation")
"""What a report shows where the matrix does not name the commissioner or the team yet."""


class EvaluationMatrix(_Model):
    """The whole file.

    ``demonstration``: the commissioner, team and calendar are the demonstration's (the sample's
    file says so); a project on real data warns while it does. A new project's file
    (:mod:`maroc_eval.core.new_project`) leaves them empty for the team to write: reports then
    say « à compléter » there, and nothing can be signed without a signatory.
    """

    commissioner: str = Field(default="", alias="commanditaire")
    team: list[TeamMember] = Field(default_factory=list, alias="equipe")
    demonstration: bool = False
    version: str = "1.0"
    calendar: dict[str, Calendar] = Field(default_factory=dict, alias="calendrier")
    terms: dict[str, str] = Field(default_factory=dict, alias="termes_de_reference")
    sources: dict[str, str]
    questions: list[Question] = Field(min_length=1)
    addressees: dict[str, str] = Field(alias="destinataires", min_length=1)
    priorities: dict[str, str] = Field(alias="priorites", min_length=1)
    follow_up_states: dict[str, str] = Field(alias="etats_suivi", min_length=1)
    rubric: Rubric = Field(alias="bareme")
    checks: CheckSettings = Field(default_factory=CheckSettings, alias="controles")
    acronyms: dict[str, str] = Field(default_factory=dict, alias="sigles")
    source_file: str = Field(default="", exclude=True)

    def commissioner_label(self) -> str:
        """The commissioner, or « à compléter » while the file names none."""
        return self.commissioner.strip() or _(TO_COMPLETE)

    def team_label(self) -> str:
        """The team's members with their roles, or « à compléter » while the file names none."""
        return " ; ".join(m.label for m in self.team) or _(TO_COMPLETE)

    @cached_property
    def question_map(self) -> dict[str, Question]:
        """Code → question."""
        return {q.code: q for q in self.questions}

    def localised(self) -> EvaluationMatrix:
        """The matrix with its texts in the current language (itself in French)."""
        from ..base.i18n import DEFAULT, _, language

        if language() == DEFAULT:
            return self

        def texts(mapping: dict[str, str]) -> dict[str, str]:
            return {k: _(v) for k, v in mapping.items()}

        out = self.model_copy(update={
            "commissioner": _(self.commissioner) if self.commissioner else "",
            "team": [m.model_copy(update={"role": _(m.role)}) for m in self.team],
            "terms": texts(self.terms), "sources": texts(self.sources),
            "questions": [q.model_copy(update={
                "text": _(q.text),
                "judgement_criteria": [c.model_copy(update={"text": _(c.text)})
                                       for c in q.judgement_criteria]})
                for q in self.questions],
            "addressees": texts(self.addressees), "priorities": texts(self.priorities),
            "follow_up_states": texts(self.follow_up_states), "acronyms": texts(self.acronyms),
            "rubric": self.rubric.model_copy(update={"grades": texts(self.rubric.grades)})})
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
    scale = programme.rating_codes
    for code in scale:
        if code not in matrix.rubric.grades:
            problems.add(doc.file, doc.line_of(("bareme", "notes")), "bareme.notes", code,
                         _("le sens de chaque note de l'échelle ({scale})").format(
                             scale=", ".join(scale)), kind="matrix")
    for code in matrix.rubric.grades:
        if code not in scale:
            problems.add(doc.file, doc.line_of(("bareme", "notes", code)), "bareme.notes", code,
                         _("une note de l'échelle : ") + ", ".join(scale), kind="matrix")
    for code in matrix.rubric.methods:
        if code not in criteria:
            problems.add(doc.file, doc.line_of(("bareme", "methodes", code)), "bareme.methodes",
                         code, _("un critère parmi ") + ", ".join(criteria), kind="matrix")
    for code in matrix.calendar:
        if code not in programme.phases:
            problems.add(doc.file, doc.line_of(("calendrier", code)), "calendrier", code,
                         _("une phase du programme : ") + ", ".join(programme.phases),
                         kind="matrix")
    for i, q in enumerate(matrix.questions):
        for j, criterion in enumerate(q.judgement_criteria):
            for k, test in enumerate(criterion.verification):
                _check_verification(test, programme, doc, problems,
                                    ("questions", i, "criteres_jugement", j, "verification", k))


def _check_verification(test: Verification, programme: Programme, doc, problems: ProblemList,
                        where: tuple) -> None:
    key = ".".join(map(str, where))
    for code in test.codes:
        if code not in programme.indicator_map:
            problems.add(doc.file, doc.line_of(where), key, code,
                         _("un indicateur du programme (RI3.1…)"), kind="matrix")
    if test.threshold is not None and test.threshold not in THRESHOLD_NAMES:
        problems.add(doc.file, doc.line_of((*where, "seuil")), key + ".seuil", test.threshold,
                     ", ".join(THRESHOLD_NAMES), kind="matrix")
    if test.all_categories and test.indicator in programme.indicator_map \
            and not programme.indicator_map[test.indicator].dimensions:
        problems.add(doc.file, doc.line_of(where), key, test.indicator,
                     _("un indicateur ventilé (toutes_modalites)"), kind="matrix")


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
                      models=(EvaluationMatrix, Question, JudgementCriterion, Verification,
                              TeamMember, Calendar, Rubric, CheckSettings))
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
