"""The programme definition (``params/programme.yml``) as typed, validated models.

The YAML keys are French (evaluators edit the file); the model attributes are English.
Every validation error names the file, the key path and its line.
"""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from .. import paths
from ..errors import InputError, ParameterError, ProblemList, suggest
from ..fmt import plain
from ..i18n import _
from .schema import yaml_problems
from .yamlio import load_yaml

Measure = Literal["nombre", "pourcentage", "oui_non", "ordinal"]
Direction = Literal["hausse", "baisse"]
Accumulation = Literal["cumulatif", "annuel", "etat"]

_RELATIVE = re.compile(r"^\s*([+-]\s*\d+(?:[.,]\d+)?)\s*%\s*$")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)


class Target(_Model):
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


def _targets(raw):
    """``{phase: 2, other: "+25%"}`` read as targets by phase code."""
    if isinstance(raw, dict):
        return {str(k): Target.parse(v) for k, v in raw.items()}
    return raw


class Phase(_Model):
    code: str = ""
    label: str = Field(alias="libelle")
    year: int = Field(alias="annee")
    nature: Literal["formative", "sommative"]

    @property
    def summative(self) -> bool:
        """Whether the phase judges results reached (final) rather than a trajectory."""
        return self.nature == "sommative"


class Pair(_Model):
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


class Result(_Model):
    code: str = Field(pattern=r"^RI\d+$")
    title: str = Field(alias="titre")
    vision: str

    @property
    def number(self) -> int:
        """The RI's number (``RI7`` → 7)."""
        return int(self.code[2:])


class Indicator(_Model):
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
        return _targets(raw)

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
        if self.bounds:
            return self.bounds
        if self.measure == "pourcentage":
            return (0.0, 100.0)
        if self.measure == "oui_non":
            return (0.0, 1.0)
        if self.measure == "ordinal":
            return (float(min(self.levels)), float(max(self.levels)))
        return (0.0, None)


THRESHOLD_MAX = 2.0
"""Highest threshold accepted (2 = 200 % of the way to the target)."""


class Thresholds(_Model):
    """Status bands on the achievement ratio (1.0 = 100 %).

    The attributes are named as the notebooks' parameters (``threshold_on_track``…), from ``-p``
    to the status; the programme file writes them in French (``seuils: en_bonne_voie: 0.75``).
    This model is the one place where thresholds are checked: each between 0 and
    :data:`THRESHOLD_MAX` (a percentage typed for a ratio is caught, with the ratio suggested),
    and ordered met ≥ on track ≥ late.
    """

    threshold_met: float = Field(alias="atteint", default=1.0)
    threshold_on_track: float = Field(alias="en_bonne_voie", default=0.75)
    threshold_late: float = Field(alias="en_retard", default=0.40)
    _summative: bool = PrivateAttr(default=False)

    @field_validator("threshold_met", "threshold_on_track", "threshold_late", mode="after")
    @classmethod
    def _in_range(cls, value: float) -> float:
        if not 0 <= value <= THRESHOLD_MAX:
            hint = f" : vouliez-vous {value / 100:g} ?".replace(".", ",") \
                if 0 <= value / 100 <= THRESHOLD_MAX else ""
            raise ValueError(_("un seuil entre 0 et {threshold_max:g} (1 = 100 % de "
                               "réalisation){hint}").format(
                                 threshold_max=THRESHOLD_MAX, hint=hint))
        return value

    @model_validator(mode="after")
    def _ordered(self) -> Thresholds:
        if not self.threshold_met >= self.threshold_on_track >= self.threshold_late:
            raise ValueError(_("des seuils cohérents, dans l'ordre atteint ≥ en bonne voie ≥ en "
                               "retard (ici threshold_met = {threshold_met}, threshold_on_track "
                               "= {threshold_on_track}, threshold_late = {threshold_late})").format(
                                 threshold_met=plain(self.threshold_met),
                                 threshold_on_track=plain(self.threshold_on_track),
                                 threshold_late=plain(self.threshold_late)))
        return self

    @classmethod
    def from_parameters(cls, values: dict) -> Thresholds:
        """The thresholds set by parameters (``threshold_*``; the others keep their default).

        Raises
        ------
        ParameterError
            A value out of range (with the ratio suggested for a percentage) or out of order.
        """
        given = {k: v for k, v in values.items() if k in cls.model_fields and v is not None}
        for name, value in given.items():
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ParameterError(_("Paramètre {name} = « {value} » : attendu un nombre (1 = "
                                       "100 % de réalisation).").format(
                                         name=name, value=value))
        try:
            return cls.model_validate(given)
        except ValidationError as exc:
            err = exc.errors()[0]
            name = err["loc"][0] if err["loc"] else None
            shown = _("Paramètre {name} = « {value} » : ").format(
                        name=name, value=plain(given[name])) if name in given else ""
            what = err["msg"].removeprefix("Value error, ")
            raise ParameterError(_("{shown}attendu {what}{end}").format(
                                     shown=shown, what=what,
                                     end="" if what.endswith("?") else ".")) \
                from None

    def as_parameters(self) -> dict[str, float]:
        """The thresholds as notebook parameters."""
        return self.model_dump()

    @property
    def summative(self) -> bool:
        """Whether statuses use the final vocabulary (atteint / partiellement / non atteint)."""
        return self._summative

    def for_phase(self, summative: bool) -> Thresholds:
        """The same thresholds, speaking the vocabulary of a formative or summative phase."""
        out = self.model_copy()
        out._summative = bool(summative)
        return out

    @property
    def edges(self) -> tuple[float, ...]:
        """The three thresholds, for printing a figure in its status's band
        (:func:`maroc_eval.fmt.achievement`)."""
        if self._summative:
            return (self.threshold_met, self.threshold_late)
        return (self.threshold_met, self.threshold_on_track, self.threshold_late)


class Rating(_Model):
    code: str
    label: str = Field(alias="libelle")


class Criterion(_Model):
    code: str
    label: str = Field(alias="libelle")


class Dimension(_Model):
    label: str = Field(alias="libelle")
    categories: dict[str, str] = Field(alias="modalites")


class BudgetSpec(_Model):
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


class Programme(_Model):
    """The whole programme definition."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=False)

    name: str = Field(alias="nom")
    donor: str = Field(alias="bailleur")
    period: tuple[int, int] = Field(alias="periode")
    baseline_year: int = Field(alias="annee_reference_initiale")
    objective: str = Field(alias="objectif_specifique")
    context: str = Field(alias="contexte")
    phases: dict[str, Phase]
    pairs: list[Pair] = Field(alias="partenariats")
    thresholds: Thresholds = Field(alias="seuils")
    scale: list[Rating] = Field(alias="echelle", min_length=2)
    criteria: list[Criterion] = Field(alias="criteres_cad")
    results: list[Result] = Field(alias="resultats")
    indicators: list[Indicator] = Field(alias="indicateurs")
    dimensions: dict[str, Dimension] = Field(alias="ventilations", default_factory=dict)
    target_overrides: dict[str, dict[str, dict[str, Target]]] = Field(
        alias="cibles_specifiques", default_factory=dict
    )
    budget: BudgetSpec | None = None
    source: str = Field(default="", exclude=True)

    @field_validator("target_overrides", mode="before")
    @classmethod
    def _parse_overrides(cls, raw):
        if isinstance(raw, dict):
            return {pair: ({code: _targets(t) for code, t in by_code.items()}
                           if isinstance(by_code, dict) else by_code)
                    for pair, by_code in raw.items()}
        return raw

    @field_validator("phases", mode="before")
    @classmethod
    def _phase_codes(cls, raw):
        if isinstance(raw, dict):
            return {k: {**v, "code": k} if isinstance(v, dict) else v for k, v in raw.items()}
        return raw

    @model_validator(mode="after")
    def _consistent(self) -> Programme:
        ri_codes = {r.code for r in self.results}
        for ind in self.indicators:
            if ind.ri not in ri_codes:
                raise ValueError(_("l'indicateur {code} renvoie à un résultat inconnu {ri}").format(
                                     code=ind.code, ri=ind.ri))
            for dim in ind.dimensions:
                if dim not in self.dimensions:
                    raise ValueError(_("l'indicateur {code} a une ventilation inconnue "
                                       "{dim}").format(code=ind.code, dim=dim))
            self._known_phases(ind.targets, f"indicateur {ind.code}, cibles")
        pair_codes = {p.code for p in self.pairs}
        for pair, overrides in self.target_overrides.items():
            if pair not in pair_codes:
                raise ValueError(f"cibles_specifiques : partenariat inconnu {pair}")
            for code, targets in overrides.items():
                if code not in self.indicator_map:
                    raise ValueError(f"cibles_specifiques : indicateur inconnu {code}")
                self._known_phases(targets, f"cibles_specifiques {pair} {code}")
        if len(pair_codes) != len(self.pairs):
            raise ValueError(_("deux partenariats portent le même code"))
        unknown = [i for i in (self.budget.items if self.budget else ())
                   if i.startswith("RI") and i not in ri_codes]
        if unknown:
            raise ValueError(_("budget, postes : résultat inconnu {unknown}").format(
                                 unknown=', '.join(unknown)))
        return self

    def _known_phases(self, targets: dict, where: str) -> None:
        unknown = [k for k in targets if k not in self.phases]
        if unknown:
            raise ValueError(_("{where} : phase inconnue {unknown} (phases du programme : "
                               "{phases})").format(
                                 where=where, unknown=', '.join(unknown),
                                 phases=', '.join(self.phases)))

    def localised(self) -> Programme:
        """This programme with its reader-facing texts in the current language.

        The labels of ``params/programme.yml`` are French; their translations are in the
        catalogues like the code's messages (:mod:`maroc_eval.core.params_extract`). In French,
        the programme itself.
        """
        from ..i18n import DEFAULT, language

        if language() == DEFAULT:
            return self
        from ..i18n import _

        def t(text):
            return _(text) if text else text

        def each(items, **fields):
            return [i.model_copy(update={f: get(i) for f, get in fields.items()}) for i in items]

        out = self.model_copy(update={
            "donor": t(self.donor), "objective": t(self.objective), "context": t(self.context),
            "phases": {k: v.model_copy(update={"label": t(v.label)})
                       for k, v in self.phases.items()},
            "scale": each(self.scale, label=lambda r: t(r.label)),
            "criteria": each(self.criteria, label=lambda c: t(c.label)),
            "results": each(self.results, title=lambda r: t(r.title), vision=lambda r: t(r.vision)),
            "indicators": each(self.indicators, label=lambda i: t(i.label),
                               unit=lambda i: t(i.unit),
                               levels=lambda i: ({k: t(v) for k, v in i.levels.items()}
                                                 if i.levels else i.levels)),
            "dimensions": {k: v.model_copy(update={
                "label": t(v.label), "categories": {c: t(x) for c, x in v.categories.items()}})
                for k, v in self.dimensions.items()},
        })
        for name in ("indicator_map", "pair_map", "result_map"):  # cached on the original
            out.__dict__.pop(name, None)
        out.source = self.source
        return out

    # -- look-ups ------------------------------------------------------------------------
    @cached_property
    def indicator_map(self) -> dict[str, Indicator]:
        """Indicators by code."""
        return {i.code: i for i in self.indicators}

    @cached_property
    def pair_map(self) -> dict[str, Pair]:
        """Pairs by slug."""
        return {p.code: p for p in self.pairs}

    @cached_property
    def result_map(self) -> dict[str, Result]:
        """Intermediate results by code."""
        return {r.code: r for r in self.results}

    @property
    def pair_codes(self) -> list[str]:
        """Pair slugs, in programme order."""
        return [p.code for p in self.pairs]

    @property
    def years(self) -> list[int]:
        """Baseline year through the last programme year."""
        return list(range(self.baseline_year, self.period[1] + 1))

    @property
    def rating_codes(self) -> list[str]:
        """Codes of the rating scale, best first."""
        return [r.code for r in self.scale]

    def indicators_of(self, ri: str) -> list[Indicator]:
        """The indicators of one intermediate result, in logframe order."""
        return [i for i in self.indicators if i.ri == ri]

    def target(self, indicator: str, pair: str, phase: str) -> Target | None:
        """The target the logframe gives an indicator for a pair and phase (per-pair override
        first), ``None`` when it gives none for that phase (see :mod:`maroc_eval.core.targets`)."""
        override = self.target_overrides.get(pair, {}).get(indicator, {}).get(phase)
        return override or self.indicator_map[indicator].targets.get(phase)

    @property
    def phases_by_year(self) -> list[Phase]:
        """The phases in the order of their reference years."""
        return sorted(self.phases.values(), key=lambda ph: ph.year)

    def previous_phase(self, phase: str) -> Phase | None:
        """The phase just before this one (by reference year), if any: the one a report
        compares with and whose recommendations it follows up."""
        earlier = [ph for ph in self.phases_by_year if ph.year < self.phases[phase].year]
        return earlier[-1] if earlier else None

    def select_phases(self, phase: str | None) -> list[str]:
        """The phase codes a ``--phase`` option selects: one code, or every phase for ``all``.

        Raises
        ------
        ParameterError
            Unknown phase (the message suggests the closest and lists the valid ones).
        """
        if phase in (None, "", "all"):
            return list(self.phases)
        if phase not in self.phases:
            raise ParameterError(_("Phase inconnue « {phase} »{hint}. Valeurs possibles : "
                                   "{phases}, all.").format(
                                     phase=phase, hint=suggest(phase, list(self.phases)),
                                     phases=', '.join(self.phases)))
        return [phase]

    def rating_value(self, code: str) -> int:
        """Numeric value of a rating (best = highest), e.g. A→4 … D→1 on the default scale."""
        return len(self.scale) - self.rating_codes.index(code)


def load_programme(path: Path | str | None = None) -> Programme:
    """Load and validate the programme definition.

    Parameters
    ----------
    path : Path or str, optional
        The YAML file; defaults to ``params/programme.yml``.

    Returns
    -------
    Programme

    Raises
    ------
    InputError
        Every problem found, each with file, key path and line.
    """
    doc = load_yaml(path or paths.PROGRAMME_FILE)
    problems = ProblemList()
    if not isinstance(doc.data, dict):
        problems.add(doc.file, 1, None, None, _("un dictionnaire de clés (nom, periode, …)"))
        raise InputError(problems.items)
    try:
        programme = Programme.model_validate(doc.data)
    except ValidationError as exc:
        yaml_problems(exc, doc, problems, kind="programme",
                      models=(Programme, Pair, Phase, Indicator, Result, Thresholds, Rating,
                              Dimension, BudgetSpec))
        raise InputError(problems.items) from None
    programme.source = doc.file
    return programme
