"""The items of the evaluation matrix (``params/evaluation.yml``) beside its questions.

Judgement criteria and the tests the data can run on them (:class:`Verification`), the rubric
that states what each grade means and how the toolkit *proposes* one (:class:`Rubric`), the
evaluation team (:class:`TeamMember`), the calendar of each evaluation (:class:`Calendar`) and the
settings of the checks (:class:`CheckSettings`). French keys in the file, English attributes.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..base.i18n import _

METHODS = ("realisation", "couts", "criteres")
"""How a grade is proposed: indicators' achievement, results per euro, verifiable criteria."""
SOURCE_KINDS = ("suivi", "documents", "entretiens", "visites")
"""The kinds of source a finding rests on (monitoring and budget data, documents, interviews,
visits): a finding that rests on one only is not triangulated."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)


class Verification(_Model):
    """A test the data can run on a judgement criterion; exactly one kind per test.

    - ``indicators`` + ``threshold``: each indicator's achievement reaches the pair's threshold
      of that name (``threshold_on_track``…);
    - ``indicator`` + ``all_categories``: every category of the indicator's disaggregation has
      at least one unit at the reference year (« 2 types de partenaires sur 4 »);
    - ``indicator`` + ``min_value``: the value at the reference year reaches ``min_value``;
    - ``indicator`` + ``progress``: the value moved the indicator's way since the baseline.
    """

    indicators: list[str] = Field(default_factory=list, alias="indicateurs")
    threshold: str | None = Field(default=None, alias="seuil")
    indicator: str | None = Field(default=None, alias="indicateur")
    all_categories: bool = Field(default=False, alias="toutes_modalites")
    min_value: float | None = Field(default=None, alias="valeur_min")
    progress: bool = Field(default=False, alias="progres")

    @model_validator(mode="after")
    def _one_kind(self) -> Verification:
        kinds = [bool(self.indicators or self.threshold),
                 self.indicator is not None and self.all_categories,
                 self.indicator is not None and self.min_value is not None,
                 self.indicator is not None and self.progress]
        if sum(kinds) != 1 or (kinds[0] and not (self.indicators and self.threshold)) or (
                self.indicator is not None and kinds[0]):
            raise ValueError(_("un seul test : {indicateurs: […], seuil: threshold_on_track}, "
                               "{indicateur: …, toutes_modalites: true}, {indicateur: …, "
                               "valeur_min: …} ou {indicateur: …, progres: true}"))
        return self

    @property
    def codes(self) -> list[str]:
        """The indicators the test reads."""
        return list(self.indicators) or [self.indicator]


class JudgementCriterion(_Model):
    """A judgement criterion of a question: its text and, if the data can test it, how."""

    text: str = Field(alias="texte")
    verification: list[Verification] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, raw):
        if isinstance(raw, str):
            return {"texte": raw}
        if isinstance(raw, dict) and isinstance(raw.get("verification"), dict):
            return {**raw, "verification": [raw["verification"]]}
        return raw

    @property
    def verifiable(self) -> bool:
        """Whether the data can test it."""
        return bool(self.verification)


class TeamMember(_Model):
    """A member of the evaluation team."""

    name: str = Field(alias="nom")
    role: str
    signatory: bool = Field(default=False, alias="signataire")

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, raw):
        if isinstance(raw, str):  # « Nom — rôle »
            name, _sep, role = raw.partition(" — ")
            return {"nom": name.strip(), "role": role.strip() or name.strip()}
        return raw

    @property
    def label(self) -> str:
        """« Nadia Berrada, cheffe de mission »."""
        return f"{self.name}, {self.role}"


class Calendar(_Model):
    """The dates of one evaluation: its field mission and the delivery of its report."""

    mission_start: dt.date | None = Field(default=None, alias="debut_mission")
    mission_end: dt.date | None = Field(default=None, alias="fin_mission")
    delivery: dt.date = Field(alias="remise")


class Rubric(_Model):
    """What each grade means, and how the toolkit proposes one (never a grade by itself)."""

    grades: dict[str, str] = Field(alias="notes", min_length=1)
    methods: dict[str, str] = Field(alias="methodes", default_factory=dict)
    min_coverage: float = Field(default=0.5, alias="couverture_min", ge=0, le=1)
    cost_cutoffs: dict[str, float] = Field(default_factory=lambda: {"A": 0.85, "B": 1.15,
                                                                    "C": 1.5}, alias="couts")

    @field_validator("methods")
    @classmethod
    def _known_methods(cls, value: dict[str, str]) -> dict[str, str]:
        for method in value.values():
            if method not in METHODS:
                raise ValueError(_("une méthode parmi {methods}").format(
                    methods=", ".join(METHODS)))
        return value

    def method(self, criterion: str) -> str:
        """The proposal method of a criterion (``realisation`` when the rubric names none)."""
        return self.methods.get(criterion, "realisation")


class CheckSettings(_Model):
    """Settings of the checks on the team's appraisals."""

    similar_recommendations: float = Field(default=0.8, alias="similarite_recommandations",
                                           gt=0, le=1)
    min_recommendation_words: int = Field(default=8, alias="mots_min_recommandation", ge=1)
