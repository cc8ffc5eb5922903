"""The programme definition (``params/programme.yml``) as typed, validated models.

The YAML keys are French (evaluators edit the file); the model attributes are English.
Every validation error names the file, the key path and its line.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from pydantic import (
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from ..base import paths
from ..base.errors import WARNING, InputError, ParameterError, Problem, ProblemList, suggest
from ..base.i18n import _
from .programme_items import (
    BudgetSpec,
    Criterion,
    Dimension,
    FrozenModel,
    Indicator,
    Pair,
    Phase,
    Rating,
    Result,
    Target,
    parse_targets,
    target_problem,
)
from .schema import yaml_problems
from .setting_registry import FORMER_NAMES, former_name_notice
from .thresholds import Thresholds
from .yamlio import load_yaml


class Programme(FrozenModel):
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
    _notices: list[Problem] = PrivateAttr(default_factory=list)

    @property
    def notices(self) -> list[Problem]:
        """Warnings about the file (a setting under its former name), said by ``validate``."""
        return self._notices

    @field_validator("target_overrides", mode="before")
    @classmethod
    def _parse_overrides(cls, raw):
        if isinstance(raw, dict):
            return {pair: ({code: parse_targets(t) for code, t in by_code.items()}
                           if isinstance(by_code, dict) else by_code)
                    for pair, by_code in raw.items()}
        return raw

    @field_validator("target_overrides", mode="after")
    @classmethod
    def _overrides_in_range(cls, overrides, info: ValidationInfo):
        indicators = {i.code: i for i in info.data.get("indicators") or ()}
        for pair, by_code in overrides.items():
            for code, targets in by_code.items():
                if code not in indicators:
                    continue  # said by _consistent
                ind = indicators[code]
                for phase, target in targets.items():
                    problem = target_problem(target, ind.value_range, phase, ind.unit)
                    if problem:
                        raise ValueError(f"{pair}, {code} : {problem}")
        return overrides

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
        from ..base.i18n import DEFAULT, language

        if language() == DEFAULT:
            return self
        from ..base.i18n import _

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
    seuils = doc.data.get("seuils")
    programme._notices = [
        Problem(doc.file, doc.lines.get(("seuils", key)), f"seuils.{key}", None,
                former_name_notice(str(key)), WARNING, "former-name")
        for key in (seuils if isinstance(seuils, dict) else ()) if key in FORMER_NAMES]
    return programme
