"""Cost-based evidence on efficiency: budget execution and unit costs tied to the logframe.

Pure functions of a :class:`~maroc_eval.core.dataset.Dataset` (its budget table, see
:mod:`maroc_eval.core.budget`, and its monitoring rows). A phase sees only its years: the evidence
for a phase uses the budget and monitoring rows up to its reference year (the dataset's phase
view), whatever the data hold after it.

For a pair and a phase, from the programme's first year (2008) to the phase's reference year:

- planned and executed totals and the execution rate (executed / planned), overall and per
  budget line (``poste``: an intermediate result or ``coordination``);
- unit costs: the executed budget of a result divided by what the result produced since the
  baseline (:data:`UNIT_COSTS`), the outputs read with :mod:`maroc_eval.core.series` (cumulative
  stock at the reference year minus the baseline stock):

  * cost per trained agent: RI 3 budget / agents trained since 2007 (RI3.1);
  * cost per sensitised elected official: RI 5 budget / RI5.4 gained since 2007;
  * cost per signed convention: RI 7 budget / RI7.1 gained since 2007;
  * cost per point of equipment of the social service: RI 1 budget / points of the equipment
    rate (RI1.3, a percentage of the equipment grid) gained since 2007. Each commune builds one
    social service, so a cost « per service » would be the RI 1 budget itself and compare
    communes whose services are at very different stages; the equipment grid measures how much
    of the service was actually equipped, and its cost per point compares across pairs.

Without a budget file, without rows for the pair, or with years missing up to the reference
year, the evidence is *not assessable* and says why: efficiency is then declared not assessable
rather than graded.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from ..base.i18n import N_, _
from . import series

if TYPE_CHECKING:
    from .dataset import Dataset
    from .programme import Programme

COORDINATION = "coordination"


@dataclass(frozen=True)
class UnitCostSpec:
    """A unit cost: the executed budget of a line divided by the output of an indicator.

    ``label``, ``unit`` and ``units`` are French catalogue messages: translate them where shown.
    """

    code: str
    item: str
    indicator: str
    label: str
    unit: str
    units: str


UNIT_COSTS = (
    UnitCostSpec("agent_forme", "RI3", "RI3.1", N_("Coût par agent formé"), N_("agent formé"),
                 N_("agents formés")),
    UnitCostSpec("elu_sensibilise", "RI5", "RI5.4", N_("Coût par élu sensibilisé"),
                 N_("élu sensibilisé"), N_("élus sensibilisés")),
    UnitCostSpec("convention", "RI7", "RI7.1", N_("Coût par convention signée"),
                 N_("convention signée"), N_("conventions signées")),
    UnitCostSpec("point_equipement", "RI1", "RI1.3", N_("Coût par point d'équipement du service"),
                 N_("point d'équipement"), N_("points d'équipement")),
)
"""The unit costs shown, in display order."""


@dataclass(frozen=True)
class LineExecution:
    """Planned and executed amounts of one budget line over the phase's years."""

    item: str
    label: str
    planned: float
    executed: float
    rate: float | None


@dataclass(frozen=True)
class UnitCost:
    """One unit cost of a pair at a phase (``cost`` is ``None`` when it cannot be computed,
    ``reason`` says why)."""

    code: str
    label: str
    item: str
    indicator: str
    executed: float | None
    units: float | None
    cost: float | None
    reason: str | None = None


@dataclass(frozen=True)
class Efficiency:
    """The cost evidence of one pair at one phase.

    Attributes
    ----------
    pair, phase : str
        Codes.
    first_year, year : int
        The years covered: the programme's first year through the phase's reference year.
    currency : str
        ISO code of the amounts (``EUR``).
    assessable : bool
        Whether the budget covers every year up to the reference year.
    reason : str or None
        Why efficiency cannot be assessed (French), when it cannot.
    planned, executed, rate : float or None
        Totals over the years and the execution rate (executed / planned, 1.0 = 100 %).
    lines : tuple of LineExecution
        Per budget line, in the programme's order.
    unit_costs : tuple of UnitCost
        In :data:`UNIT_COSTS` order.
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
    lines: tuple[LineExecution, ...] = ()
    unit_costs: tuple[UnitCost, ...] = ()

    def unit_cost(self, code: str) -> UnitCost | None:
        """The unit cost of that code (``agent_forme``…), if computed."""
        return next((u for u in self.unit_costs if u.code == code), None)

    def as_dict(self) -> dict:
        """Plain JSON-able data (for a sidecar)."""
        return asdict(self)


@dataclass(frozen=True)
class Spread:
    """A figure across the assessable pairs: lowest, median, highest, and who holds the ends."""

    n: int
    minimum: float | None = None
    median: float | None = None
    maximum: float | None = None
    lowest: str | None = None
    highest: str | None = None
    ranking: tuple[str, ...] = ()
    """Pairs from the highest figure to the lowest."""


@dataclass(frozen=True)
class ProgrammeEfficiency:
    """The cost evidence of every pair at one phase, with programme totals and spreads.

    Totals and spreads are over the assessable pairs only (``n`` says how many).
    """

    phase: str
    first_year: int
    year: int
    currency: str
    pairs: tuple[Efficiency, ...]
    assessable: bool
    reason: str | None = None
    planned: float | None = None
    executed: float | None = None
    rate: float | None = None
    rate_spread: Spread = field(default_factory=lambda: Spread(0))
    unit_cost_spreads: dict[str, Spread] = field(default_factory=dict)

    def of(self, pair: str) -> Efficiency:
        """One pair's evidence."""
        return next(e for e in self.pairs if e.pair == pair)

    def as_dict(self) -> dict:
        """Plain JSON-able data (for a sidecar)."""
        return asdict(self)


def item_label(programme: Programme, item: str) -> str:
    """A budget line as readers see it: « RI 3 — Personnel compétent… », « Coordination… »."""
    result = programme.result_map.get(item)
    if result is not None:
        return f"RI {result.number} — {result.title}"
    if item == COORDINATION:
        return _("Gestion et coordination")
    return item.replace("_", " ").capitalize()


def _ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator > 0 else None


def _years_text(years: list[int]) -> str:
    shown = [str(y) for y in years]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " et " + shown[-1]


def _not_assessable(dataset: Dataset, pair: str, phase: str) -> str | None:
    """Why the budget cannot support the evidence for this pair and phase, or ``None``."""
    programme = dataset.programme
    first, year = programme.period[0], programme.phases[phase].year
    if programme.budget is None or dataset.budget is None:
        return (_("aucune donnée de coût : le dossier de données n'a pas de fichier de budget "
                  "(budget.csv)"))
    rows = dataset.budget[(dataset.budget["pair"] == pair) & (dataset.budget["year"] <= year)]
    if rows.empty:
        return _("aucune ligne de budget pour ce partenariat de {first} à {year}").format(
                   first=first, year=year)
    missing = [y for y in range(first, year + 1) if y not in set(rows["year"])]
    if missing:
        return (_("budget incomplet : aucune ligne pour {missing} (années {first}–{year} "
                  "attendues)").format(
                    missing=_years_text(missing), first=first, year=year))
    return None


def _unit_cost(spec: UnitCostSpec, executed: dict[str, float], dataset: Dataset, pair: str,
               year: int) -> UnitCost:
    programme = dataset.programme
    spent = executed.get(spec.item)
    indicator = programme.indicator_map.get(spec.indicator)
    base = dict(code=spec.code, label=_(spec.label), item=spec.item, indicator=spec.indicator,
                executed=spent)
    if spent is None or indicator is None:
        return UnitCost(**base, units=None, cost=None,
                        reason=_("le poste {item} ou l'indicateur {indicator} ne figure pas au "
                                 "programme").format(
                                   item=spec.item, indicator=spec.indicator))
    baseline_year = programme.baseline_year
    obs = dataset.observations
    start = series.baseline(obs, indicator, pair, baseline_year)
    now = series.value_at(obs, indicator, pair, year, first_year=baseline_year)
    if start is None or now is None:
        which = baseline_year if start is None else year
        return UnitCost(**base, units=None, cost=None,
                        reason=_("valeur de {indicator} inconnue en {which}").format(
                                   indicator=spec.indicator, which=which))
    units = now - start
    if units <= 0:
        return UnitCost(**base, units=units, cost=None,
                        reason=_("aucun {unit} de plus qu'en {baseline_year} : coût unitaire "
                                 "sans objet").format(
                                   unit=_(spec.unit), baseline_year=baseline_year))
    return UnitCost(**base, units=units, cost=spent / units)


def pair_efficiency(dataset: Dataset, pair: str, phase: str) -> Efficiency:
    """The cost evidence of one pair at one phase.

    Parameters
    ----------
    dataset : Dataset
        The validated inputs, whole or the phase's view (the phase's view is used either way:
        nothing after the phase's reference year is read).
    pair : str
        Pair code.
    phase : str
        Phase code.

    Returns
    -------
    Efficiency
        ``assessable`` is ``False`` (with the reason) without a budget file, without rows for
        the pair, or with a year missing up to the reference year.
    """
    view = dataset if dataset.phase == phase else dataset.for_phase(phase)
    programme = view.programme
    first, year = programme.period[0], programme.phases[phase].year
    currency = programme.budget.currency if programme.budget else "EUR"
    reason = _not_assessable(view, pair, phase)
    if reason is not None:
        return Efficiency(pair, phase, first, year, currency, assessable=False, reason=reason)
    rows = view.budget[(view.budget["pair"] == pair) & (view.budget["year"] <= year)]
    sums = rows.groupby("item")[["planned", "executed"]].sum()
    lines = []
    for item in programme.budget.items:
        planned = float(sums["planned"].get(item, 0.0))
        executed = float(sums["executed"].get(item, 0.0))
        lines.append(LineExecution(item, item_label(programme, item), planned, executed,
                                   _ratio(executed, planned)))
    planned = float(rows["planned"].sum())
    executed = float(rows["executed"].sum())
    spent = {line.item: line.executed for line in lines}
    costs = tuple(_unit_cost(spec, spent, view, pair, year) for spec in UNIT_COSTS
                  if spec.item in programme.budget.items)
    return Efficiency(pair, phase, first, year, currency, assessable=True, planned=planned,
                      executed=executed, rate=_ratio(executed, planned), lines=tuple(lines),
                      unit_costs=costs)


def spread(values: dict[str, float | None]) -> Spread:
    """Lowest, median and highest of a figure over the pairs that have it.

    Parameters
    ----------
    values : dict
        Pair code → figure (``None`` or NaN: left out).

    Returns
    -------
    Spread
        ``n`` = 0 and no figures when no pair has one; ties keep the pairs' order.
    """
    known = {p: float(v) for p, v in values.items() if v is not None and not math.isnan(v)}
    if not known:
        return Spread(0)
    ranking = tuple(sorted(known, key=lambda p: -known[p]))
    return Spread(len(known), min(known.values()), statistics.median(known.values()),
                  max(known.values()), ranking[-1], ranking[0], ranking)


def programme_efficiency(dataset: Dataset, phase: str) -> ProgrammeEfficiency:
    """The cost evidence of every pair at one phase, with programme totals and spreads.

    Parameters
    ----------
    dataset : Dataset
        The validated inputs, whole or the phase's view.
    phase : str
        Phase code.

    Returns
    -------
    ProgrammeEfficiency
        Totals over the assessable pairs; ``assessable`` is ``False`` (with the reason) when no
        pair is.
    """
    view = dataset if dataset.phase == phase else dataset.for_phase(phase)
    programme = view.programme
    first, year = programme.period[0], programme.phases[phase].year
    currency = programme.budget.currency if programme.budget else "EUR"
    pairs = tuple(pair_efficiency(view, pair, phase) for pair in programme.pair_codes)
    ok = [e for e in pairs if e.assessable]
    if not ok:
        reasons = dict.fromkeys(e.reason for e in pairs)
        reason = next(iter(reasons)) if len(reasons) == 1 else \
            _("aucun partenariat n'a un budget complet jusqu'à l'année de référence")
        return ProgrammeEfficiency(phase, first, year, currency, pairs, assessable=False,
                                   reason=reason)
    planned = sum(e.planned for e in ok)
    executed = sum(e.executed for e in ok)
    costs = {spec.code: spread({e.pair: (e.unit_cost(spec.code).cost
                                         if e.unit_cost(spec.code) else None) for e in ok})
             for spec in UNIT_COSTS}
    return ProgrammeEfficiency(phase, first, year, currency, pairs, assessable=True,
                               planned=planned, executed=executed,
                               rate=_ratio(executed, planned),
                               rate_spread=spread({e.pair: e.rate for e in ok}),
                               unit_cost_spreads=costs)
