"""The items a programme definition is made of: phases, pairs, results, indicators and their
targets, the rating scale, the DAC criteria, the disaggregations and the budget's lines.

Typed, validated, frozen models; the YAML keys are French (evaluators edit the file), the
attributes English. :mod:`maroc_eval.core.programme` puts them together.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from ..base.i18n import _

Measure = Literal["nombre", "pourcentage", "oui_non", "ordinal"]
Direction = Literal["hausse", "baisse"]
Accumulation = Literal["cumulatif", "annuel", "etat"]

_RELATIVE = re.compile(r"^\s*([+-]\s*\d+(?:[.,]\d+)?)\s*%\s*$")


class FrozenModel(BaseModel):
    """A programme item: unknown keys refused, French aliases or English names, immutable."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)


class Target(FrozenModel):
    """A target: an absolute value, or a change relative to the pair's baseline."""

    value: float
    relative: bool = False

    @classmethod
    def parse(cls, raw: object) -> Target:
        """Read ``2``, ``12.5`` or ``"+25%"`` (relative to the baseline)."""
        if isinstance(raw, Target):
            return raw
        if isinstance(raw, bool):
            return cls(value=float(raw))
        if isinstance(raw, int | float):
            return cls(value=float(raw))
        if isinstance(raw, str):
            m = _RELATIVE.match(raw)
            if m:
                return cls(value=float(m.group(1).replace(" ", "").replace(",", ".")),
                           relative=True)
            try:
                return cls(value=float(raw.replace(",", ".")))
            except ValueError:
                pass
        raise ValueError(_("une cible numérique (ex. 4) ou relative à 2007 (ex. « +25% »), pas "
                           "« {raw} »").format(raw=raw))

    def label(self) -> str:
        """The target as written in the logframe (``+25 %`` or ``4``)."""
        if self.relative:
            return f"{self.value:+g} % vs 2007".replace(".", ",")
        return f"{self.value:g}".replace(".", ",")


def parse_targets(raw):
    """``{phase: 2, other: "+25%"}`` read as targets by phase code."""
    if isinstance(raw, dict):
        return {str(k): Target.parse(v) for k, v in raw.items()}
    return raw


class Phase(FrozenModel):
    code: str = ""
    label: str = Field(alias="libelle")
    year: int = Field(alias="annee")
    nature: Literal["formative", "sommative"]

    @property
    def summative(self) -> bool:
        """Whether the phase judges results reached (final) rather than a trajectory."""
        return self.nature == "sommative"


class Pair(FrozenModel):
    code: str = Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
    belgian: str = Field(alias="commune_belge")
    moroccan: str = Field(alias="commune_marocaine")
    moroccan_ar: str | None = Field(default=None, alias="commune_marocaine_ar")
    """The Moroccan commune's name in Arabic script (shown beside the Latin one), if given."""
    province: str
    population: int = Field(alias="population_2004", gt=0)
    population_note: str | None = Field(default=None, alias="note_population")

    @property
    def label(self) -> str:
        """``Schaerbeek – Al Hoceima``."""
        return f"{self.belgian} – {self.moroccan}"


class Result(FrozenModel):
    code: str = Field(pattern=r"^RI\d+$")
    title: str = Field(alias="titre")
    vision: str

    @property
    def number(self) -> int:
        """The RI's number (``RI7`` → 7)."""
        return int(self.code[2:])


class Indicator(FrozenModel):
    code: str = Field(pattern=r"^RI\d+\.\d+$")
    ri: str
    label: str = Field(alias="libelle")
    unit: str = Field(alias="unite")
    measure: Measure = Field(alias="mesure")
    levels: dict[int, str] | None = Field(default=None, alias="niveaux")
    bounds: tuple[float | None, float | None] | None = Field(default=None, alias="bornes")
    direction: Direction = Field(alias="sens")
    accumulation: Accumulation = Field(alias="cumul")
    dimensions: tuple[str, ...] = Field(default=(), alias="ventilation")
    per_inhabitants: bool = Field(default=False, alias="par_habitants")
    targets: dict[str, Target] = Field(alias="cibles", min_length=1)

    @field_validator("targets", mode="before")
    @classmethod
    def _parse_targets(cls, raw):
        return parse_targets(raw)

    @field_validator("targets", mode="after")
    @classmethod
    def _targets_in_range(cls, targets: dict[str, Target], info: ValidationInfo):
        data = info.data
        if "measure" not in data:  # the measure is refused: said on its own
            return targets
        span = value_range_of(data["measure"], data.get("levels"), data.get("bounds"))
        for phase, target in targets.items():
            if (problem := target_problem(target, span, phase, data.get("unit", ""))):
                raise ValueError(problem)
        return targets

    @model_validator(mode="after")
    def _check(self) -> Indicator:
        if self.measure == "ordinal" and not self.levels:
            raise ValueError(_("un indicateur ordinal demande ses « niveaux »"))
        if not self.code.startswith(self.ri + "."):
            raise ValueError(_("le code {code} ne correspond pas au résultat {ri}").format(
                                 code=self.code, ri=self.ri))
        return self

    @property
    def value_range(self) -> tuple[float | None, float | None]:
        """Accepted (min, max) of a value, from the measure or explicit ``bornes``."""
        return value_range_of(self.measure, self.levels, self.bounds)


def value_range_of(measure: str, levels: dict | None, bounds) -> tuple[float | None, float | None]:
    """Accepted (min, max) of an indicator's values (and targets): explicit ``bornes``, else
    its measure's (a count is never negative, a percentage lies in 0–100…)."""
    if bounds:
        return tuple(bounds)
    if measure == "pourcentage":
        return (0.0, 100.0)
    if measure == "oui_non":
        return (0.0, 1.0)
    if measure == "ordinal" and levels:
        return (float(min(levels)), float(max(levels)))
    return (0.0, None)


def target_problem(target: Target, span: tuple[float | None, float | None], phase: str,
                   unit: str) -> str | None:
    """What is wrong with a target for an indicator whose values lie in ``span``, or ``None``.

    An absolute target outside the values the indicator can take (a negative count, 120 %) is
    refused: it would make any value « achieve » it. A relative one may not fall below -100 %
    when the values cannot be negative.
    """
    lo, hi = span
    if target.relative:
        if lo is not None and lo >= 0 and target.value < -100:
            return _("une cible « {phase} » d'au plus -100 % (la valeur ne peut pas devenir "
                     "négative), pas « {value:g} % »").format(phase=phase, value=target.value)
        return None
    if (lo is None or target.value >= lo) and (hi is None or target.value <= hi):
        return None
    if hi is None:
        return _("une cible « {phase} » d'au moins {lo:g} ({unit}), pas « {value:g} »").format(
            phase=phase, lo=lo, unit=unit, value=target.value)
    return _("une cible « {phase} » entre {lo:g} et {hi:g} ({unit}), pas « {value:g} »").format(
        phase=phase, lo=lo if lo is not None else float("-inf"), hi=hi, unit=unit,
        value=target.value)


class Rating(FrozenModel):
    code: str
    label: str = Field(alias="libelle")


class Criterion(FrozenModel):
    code: str
    label: str = Field(alias="libelle")


class Dimension(FrozenModel):
    label: str = Field(alias="libelle")
    categories: dict[str, str] = Field(alias="modalites")


class BudgetSpec(FrozenModel):
    """What the budget file (``budget.csv``) holds: its currency and its lines (``postes``).

    A line is an intermediate result's code (``RI3``) or a cost outside the results, such as
    ``coordination`` (management and coordination).
    """

    currency: str = Field(alias="devise")
    items: tuple[str, ...] = Field(alias="postes", min_length=1)

    @field_validator("currency", mode="after")
    @classmethod
    def _iso(cls, currency: str) -> str:
        if not re.fullmatch(r"[A-Z]{3}", currency):
            raise ValueError(_("un code de devise ISO 4217 (EUR), pas « {currency} »").format(
                                 currency=currency))
        return currency

    @field_validator("items", mode="after")
    @classmethod
    def _distinct(cls, items: tuple[str, ...]) -> tuple[str, ...]:
        for item in items:
            if not re.fullmatch(r"RI\d+|[a-z][a-z_]*", item):
                raise ValueError(_("un poste « RI1 »…« RI7 » ou un mot en minuscules (« "
                                   "coordination »), pas « {item} »").format(
                                     item=item))
        if len(set(items)) != len(items):
            raise ValueError(_("des postes distincts"))
        return items
