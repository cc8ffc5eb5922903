"""Typed JSON sidecars: the small results a notebook hands to the syntheses, reports and tests.

Each executed battery notebook writes ``<stem>.json`` beside ``<stem>.ipynb``. Readers validate
the schema, so a synthesis never scrapes HTML nor trusts a malformed file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .atomic import write_atomic

SCHEMA_VERSION = 2


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class IndicatorRow(_Model):
    """One logframe line evaluated for a pair at a phase's reference year."""

    code: str
    label: str
    unit: str
    direction: str
    baseline: float | None
    target: float | None
    actual: float | None
    achievement_raw: float | None
    achievement: float | None
    status: str
    missing_years: list[int] = Field(default_factory=list)


class TeamGrade(_Model):
    """The evaluation team's grade on a question, an RI or a DAC criterion, with their text
    (answer or reasoning, in the notebook's language) and the toolkit's proposal beside it.

    ``score`` ``None``: not graded yet (« à compléter »); ``proposed`` ``None``: the rubric could
    propose nothing (``basis`` says why).
    """

    score: str | None = None
    text: str = ""
    justification: str = ""
    proposed: str | None = None
    basis: str = ""


class Comment(_Model):
    """A commune's comment on one monitoring value."""

    indicator: str
    year: int
    text: str


class RIResult(_Model):
    """Sidecar of an RI notebook.

    ``sources`` and ``comments`` are those of the pair's monitoring rows for the RI's indicators
    up to the reference year: what the report cites, without reading the data again.
    ``parameters`` are the settings the figures were computed with, ``origins`` where each came
    from (programme, phase or pair file, explicit value); ``fictitious`` is what the data folder
    says of its data. Figures are stored unrounded: rounding is for display.
    """

    kind: Literal["ri"] = "ri"
    schema_version: int = SCHEMA_VERSION
    notebook: str
    pair: str
    phase: str
    ri: str
    reference_year: int
    index: float | None
    coverage: float
    status: str
    grade: TeamGrade
    indicators: list[IndicatorRow]
    extras: dict[str, float | None] = Field(default_factory=dict)
    sources: list[str] = Field(default_factory=list)
    comments: list[Comment] = Field(default_factory=list)
    parameters: dict = Field(default_factory=dict)
    origins: dict[str, str] = Field(default_factory=dict)
    fictitious: bool = False


class KeyRecommendation(_Model):
    """A numbered recommendation as the summary and the Excel annex cite it (``deadline``:
    ISO date)."""

    id: str
    text: str
    addressee: str
    priority: str
    deadline: str
    conclusions: list[str] = Field(default_factory=list)
    results: list[str] = Field(default_factory=list)


class KeyConclusion(_Model):
    """A numbered conclusion and the findings it rests on."""

    id: str
    text: str
    findings: list[str] = Field(default_factory=list)


class CheckNote(_Model):
    """A check raised on the team's appraisal (:mod:`maroc_eval.core.checks`) and the team's
    answer, if any."""

    id: str
    kind: str
    place: str
    message: str
    answer: str | None = None


class _Synthesis(_Model):
    """What a synthesis sidecar says of itself: its notebook, phase, year and missing inputs,
    and the team's evaluation as the report cites it: the verdict on the objective, the answers,
    conclusions and recommendations, the checks and the places still « à compléter »."""

    schema_version: int = SCHEMA_VERSION
    notebook: str
    phase: str
    reference_year: int
    unavailable: list[str] = Field(default_factory=list)
    parameters: dict = Field(default_factory=dict)
    origins: dict[str, str] = Field(default_factory=dict)
    fictitious: bool = False
    objective: TeamGrade = Field(default_factory=TeamGrade)
    questions: dict[str, TeamGrade] = Field(default_factory=dict)
    conclusions: list[KeyConclusion] = Field(default_factory=list)
    recommendations: list[KeyRecommendation] = Field(default_factory=list)
    checks: list[CheckNote] = Field(default_factory=list)
    blanks: list[str] = Field(default_factory=list)
    """The places still « à compléter » by the team, in words."""


class PairResult(_Synthesis):
    """Sidecar of a pair synthesis."""

    kind: Literal["pair"] = "pair"
    pair: str
    ri_index: dict[str, float | None]
    ri_status: dict[str, str]
    ri_score: dict[str, str | None]
    overall_index: float | None
    overall_status: str
    criteria: dict[str, TeamGrade]


class ProgrammeResult(_Synthesis):
    """Sidecar of the programme synthesis."""

    kind: Literal["programme"] = "programme"
    matrix: dict[str, dict[str, float | None]]
    ranking: list[str]
    programme_index: dict[str, float | None]
    spread: dict[str, float | None]
    pair_settings: dict[str, dict[str, float]] = Field(default_factory=dict)
    """Pair → the status thresholds it was judged with (those of its own report)."""
    pair_origins: dict[str, dict[str, str]] = Field(default_factory=dict)
    """Pair → where each of its thresholds came from (``cli:-p``, ``pair:params/pairs/…``)."""


Sidecar = RIResult | PairResult | ProgrammeResult
_KINDS = {"ri": RIResult, "pair": PairResult, "programme": ProgrammeResult}


def write_sidecar(result: Sidecar, path: Path) -> Path:
    """Write a sidecar atomically as indented UTF-8 JSON; return its path."""
    write_atomic(Path(path), result.model_dump_json(indent=2))
    return Path(path)


def read_sidecar(path: Path) -> Sidecar:
    """Read and validate a sidecar of any kind.

    Raises
    ------
    OSError
        The file cannot be read.
    ValueError
        It is not JSON, not of a known kind, or does not fit its schema.
    """
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    kind = _KINDS.get(data.get("kind")) if isinstance(data, dict) else None
    if kind is None:
        raise ValueError(f"{path}: not a maroc-eval sidecar")
    return kind.model_validate(data)  # pydantic's ValidationError is a ValueError


def load_sidecar(path: Path, kind: type | None = None) -> Sidecar | None:
    """A sidecar of the given kind, or ``None`` when missing, unreadable or of another kind.

    What syntheses and reports use: a result that cannot be read is shown as unavailable.
    """
    try:
        result = read_sidecar(path)
    except (OSError, ValueError):
        return None
    return result if kind is None or isinstance(result, kind) else None


class BudgetLineEvidence(_Model):
    """Planned and executed amounts of one budget line over a phase's years."""

    item: str
    label: str
    planned: float
    executed: float
    rate: float | None


class UnitCostEvidence(_Model):
    """One unit cost (``cost`` ``None`` when it cannot be computed: ``reason`` says why)."""

    code: str
    label: str
    item: str
    indicator: str
    executed: float | None
    units: float | None
    cost: float | None
    reason: str | None = None


class EfficiencyEvidence(_Model):
    """Cost evidence of a pair at a phase (:mod:`maroc_eval.core.efficiency`), for a sidecar.

    ``assessable`` is ``False`` without cost data (``reason`` says why): efficiency is then not
    graded. Amounts in ``currency``; rates as ratios (1.0 = 100 %).
    """

    pair: str
    phase: str
    first_year: int
    year: int
    currency: str
    assessable: bool
    reason: str | None = None
    planned: float | None = None
    executed: float | None = None
    rate: float | None = None
    lines: list[BudgetLineEvidence] = Field(default_factory=list)
    unit_costs: list[UnitCostEvidence] = Field(default_factory=list)
    reading: str = ""
