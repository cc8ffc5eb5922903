"""Efficiency in the syntheses: budget execution and unit costs, as tables and a French reading.

What the synthesis notebooks call: :func:`efficiency_section` shows, for the notebook's pair (or
for every pair in the programme synthesis), the execution of the budget per line and the unit
costs (:mod:`maroc_eval.core.efficiency`), then one paragraph reading the evidence, specific to
the pair and placed among the others. Without cost data it says that efficiency cannot be
assessed, and why, instead of grading it. :func:`pair_evidence` gives the same evidence as plain
data for the pair sidecar (:class:`maroc_eval.base.sidecar.EfficiencyEvidence`).
"""

from __future__ import annotations

from ..base import fmt
from ..base.i18n import N_, _, ngettext
from ..base.sidecar import EfficiencyEvidence
from ..core.efficiency import (
    UNIT_COSTS,
    Efficiency,
    ProgrammeEfficiency,
    Spread,
    UnitCostSpec,
    programme_efficiency,
)
from . import tables
from .appraisal_blocks import EVIDENCE
from .context import Context
from .display import show

LOW_EXECUTION = 0.7
"""A budget line executed below this share of its planned amount is named in the reading."""
SMALL_COUNT = 10
"""A unit cost computed on fewer outputs than this is said to be indicative."""

_SPECS = {spec.code: spec for spec in UNIT_COSTS}
COST_COLUMNS = {"agent_forme": N_("Agent formé"), "elu_sensibilise": N_("Élu sensibilisé"),
                "convention": N_("Convention signée"),
                "point_equipement": N_("Point d'équipement du service")}
"""The unit-cost columns of the programme's table (French source, translated where shown)."""


def money(value, currency: str = "EUR") -> str:
    """An amount the French way: ``12 345 €`` (``—`` when unknown).

    Parameters
    ----------
    value : float or None
        The amount.
    currency : str
        ISO code; ``EUR`` prints ``€``, another code prints itself.
    """
    if value is None:
        return fmt.MISSING
    return f"{fmt.number(value, 0)}{fmt.NNBSP}{'€' if currency == 'EUR' else currency}"


def _period(first: int, year: int) -> str:
    return f"{first}–{year}"


def _rate(value) -> str:
    return fmt.percent(value, 0, ratio=True)


def _short(label: str) -> str:
    """« RI 3 — Personnel… » → « RI 3 »; other lines keep their label, in lower case."""
    head = label.split(" — ", 1)[0]
    return head if head.startswith("RI ") else head.lower()


def _units(spec: UnitCostSpec, n: float) -> str:
    return f"{fmt.number(n, 0)} {_(spec.unit) if n == 1 else _(spec.units)}"


def _place(pair: str, found: Spread, labels: dict[str, str], *, median: str = "",
           high: str = N_("le plus élevé"), low: str = N_("le plus bas")) -> str:
    """Where a pair's figure stands among the pairs: the highest, the lowest, or against the
    median (``median`` printed). ``high`` and ``low`` are French source words, translated
    here."""
    if found.n < 2 or pair not in found.ranking:
        return ""
    among = fmt.count(found.n, _("partenariat"), _("partenariats"))
    if pair in (found.highest, found.lowest):
        return _(", {position} des {among}").format(
            position=_(high if pair == found.highest else low), among=among)
    if not median:
        return ""
    value = found.ranking.index(pair)
    side = (_(", au-dessus de la médiane des {among} ({median})") if value < (found.n - 1) / 2
            else _(", en dessous de la médiane des {among} ({median})")
            if value > (found.n - 1) / 2 else _(", égal à la médiane des {among} ({median})"))
    return side.format(among=among, median=median)


def _below(rate: float | None) -> bool:
    """Whether a rate, as printed (whole percent), is below :data:`LOW_EXECUTION`."""
    return rate is not None and round(rate * 100) < round(LOW_EXECUTION * 100)


def _line_rates(lines) -> str:
    return ", ".join(f"{_short(line.label)} ({_rate(line.rate)})" for line in lines)


def pair_reading(evidence: Efficiency, programme: ProgrammeEfficiency | None,
                 labels: dict[str, str]) -> str:
    """One French paragraph reading a pair's cost evidence.

    Parameters
    ----------
    evidence : Efficiency
        The pair's evidence.
    programme : ProgrammeEfficiency or None
        Every pair's evidence at the phase, to place the pair among them.
    labels : dict
        Pair code → display label.

    Returns
    -------
    str
        « Taux d'exécution 2008–2010 : 71 % (85 400 € sur 120 000 €) ; coût par agent formé :
        3 200 € pour 7 agents formés depuis 2007, le plus élevé des partenariats… », or why
        efficiency cannot be assessed.
    """
    period = _period(evidence.first_year, evidence.year)
    if not evidence.assessable:
        return _("L'efficience ne peut pas être appréciée pour {period} faute de données de "
                 "coût : {reason}. Elle n'est donc pas notée.").format(period=period,
                                                                       reason=evidence.reason)
    cur = evidence.currency
    rates = programme.rate_spread if programme else Spread(0)
    parts = [_("Taux d'exécution {period} : {rate} ({executed} sur {planned})").format(
                 period=period, rate=_rate(evidence.rate), executed=money(evidence.executed, cur),
                 planned=money(evidence.planned, cur))
             + _place(evidence.pair, rates, labels, low=N_("le plus faible"),
                      median=_rate(rates.median))]
    low = [line for line in evidence.lines if _below(line.rate)]
    limit = _rate(LOW_EXECUTION)
    if low and len(low) == len(evidence.lines):
        parts.append(_("tous les postes sont exécutés à moins de {limit} (de {lowest} à "
                       "{highest})").format(limit=limit, lowest=_rate(min(x.rate for x in low)),
                                            highest=_rate(max(x.rate for x in low))))
    elif low:
        parts.append(ngettext("poste exécuté à moins de {limit} : {rates}",
                              "postes exécutés à moins de {limit} : {rates}", len(low)).format(
                                  limit=limit, rates=_line_rates(low)))
    over = [line for line in evidence.lines if line.rate is not None and line.rate > 1.0]
    if over:
        parts.append(ngettext("poste dépassant le prévu : {rates}",
                              "postes dépassant le prévu : {rates}", len(over)).format(
                                  rates=_line_rates(over)))
    for cost in evidence.unit_costs:
        spec = _SPECS[cost.code]
        label = _(cost.label)
        name = label[0].lower() + label[1:]
        if cost.cost is None:
            parts.append(_("{name} : sans objet ({reason})").format(name=name,
                                                                    reason=cost.reason))
            continue
        found = programme.unit_cost_spreads.get(cost.code, Spread(0)) if programme else Spread(0)
        text = (_("{name} : {cost} pour {units} depuis {year}, chiffre indicatif")
                if cost.units < SMALL_COUNT else _("{name} : {cost} pour {units} depuis {year}"))
        parts.append(text.format(name=name, cost=money(cost.cost, cur),
                                 units=_units(spec, cost.units), year=evidence.first_year - 1)
                     + _place(evidence.pair, found, labels, median=money(found.median, cur)))
    return fmt.typo(" ; ".join(parts) + ".")


def programme_reading(evidence: ProgrammeEfficiency, labels: dict[str, str]) -> str:
    """One French paragraph reading the programme's cost evidence (totals and spreads)."""
    period = _period(evidence.first_year, evidence.year)
    if not evidence.assessable:
        return _("L'efficience du programme ne peut pas être appréciée pour {period} faute de "
                 "données de coût : {reason}. Elle n'est donc pas notée.").format(
            period=period, reason=evidence.reason)
    cur = evidence.currency
    rates = evidence.rate_spread
    parts = [_("Taux d'exécution du programme {period} : {rate} ({executed} sur {planned}), "
               "de {minimum} pour {lowest} à {maximum} pour {highest}").format(
        period=period, rate=fmt.percent(evidence.rate, 0, ratio=True),
        executed=money(evidence.executed, cur), planned=money(evidence.planned, cur),
        minimum=fmt.percent(rates.minimum, 0, ratio=True), lowest=labels[rates.lowest],
        maximum=fmt.percent(rates.maximum, 0, ratio=True), highest=labels[rates.highest])]
    for spec in UNIT_COSTS:
        found = evidence.unit_cost_spreads.get(spec.code)
        if found is None or found.n == 0:
            continue
        label = _(spec.label)
        name = label[0].lower() + label[1:]
        parts.append(_("{name} : de {minimum} ({lowest}) à {maximum} ({highest}), médiane "
                       "{median}").format(name=name, minimum=money(found.minimum, cur),
                                          lowest=labels[found.lowest],
                                          maximum=money(found.maximum, cur),
                                          highest=labels[found.highest],
                                          median=money(found.median, cur)))
    left = [labels[e.pair] for e in evidence.pairs if not e.assessable]
    text = " ; ".join(parts) + "."
    if left:
        text += " " + _("Sans budget complet, l'efficience n'est pas appréciée pour {pairs} : "
                        "ces partenariats sont exclus des totaux.").format(pairs=", ".join(left))
    return fmt.typo(text)


def lines_table(evidence: Efficiency) -> tables.Html:
    """Planned, executed and execution rate per budget line, with the total."""
    cur = evidence.currency
    body = [[line.label, money(line.planned, cur), money(line.executed, cur), _rate(line.rate)]
            for line in evidence.lines]
    body.append([tables.Cell(_("Total"), cls="total"), money(evidence.planned, cur),
                 money(evidence.executed, cur), _rate(evidence.rate)])
    period = _period(evidence.first_year, evidence.year)
    return tables.table([_("Poste"), _("Prévu"), _("Exécuté"), _("Taux d'exécution")], body,
                        caption=_("Exécution du budget {period}, par poste ({currency})").format(
                            period=period, currency=cur))


def unit_costs_table(evidence: Efficiency, programme: ProgrammeEfficiency | None) -> tables.Html:
    """Each unit cost: the line's executed budget, the output since the baseline, the cost and
    the programme's range."""
    cur = evidence.currency
    body = []
    for cost in evidence.unit_costs:
        spec = _SPECS[cost.code]
        found = programme.unit_cost_spreads.get(cost.code) if programme else None
        spread = (_("{minimum} à {maximum}").format(minimum=money(found.minimum, cur),
                                                    maximum=money(found.maximum, cur))
                  if found is not None and found.n else fmt.MISSING)
        spent = f"{cost.item.replace('RI', 'RI ')} : {money(cost.executed, cur)}"
        body.append([_(cost.label), spent,
                     fmt.MISSING if cost.units is None else
                     f"{_units(spec, cost.units)} ({cost.indicator})",
                     money(cost.cost, cur) if cost.cost is not None else _("sans objet"), spread])
    year0 = evidence.first_year - 1
    return tables.table([_("Coût unitaire"), _("Budget exécuté"),
                         _("Obtenu depuis {year}").format(year=year0), _("Coût"),
                         _("Programme (du plus bas au plus haut)")], body,
                        caption=_("Coûts unitaires {period}").format(
                            period=_period(evidence.first_year, evidence.year)))


def programme_table(evidence: ProgrammeEfficiency, labels: dict[str, str]) -> tables.Html:
    """Every pair in one table: planned, executed, rate and unit costs; the programme's total."""
    cur = evidence.currency
    body = []
    for e in evidence.pairs:
        if not e.assessable:
            body.append([labels[e.pair], fmt.MISSING, fmt.MISSING, _("non appréciable"),
                         *[fmt.MISSING] * len(UNIT_COSTS)])
            continue
        costs = [e.unit_cost(spec.code) for spec in UNIT_COSTS]
        body.append([labels[e.pair], money(e.planned, cur), money(e.executed, cur), _rate(e.rate),
                     *[money(c.cost, cur) if c is not None and c.cost is not None else fmt.MISSING
                       for c in costs]])
    body.append([tables.Cell(_("Programme"), cls="total"), money(evidence.planned, cur),
                 money(evidence.executed, cur), _rate(evidence.rate),
                 *[fmt.MISSING] * len(UNIT_COSTS)])
    header = [_("Partenariat"), _("Prévu"), _("Exécuté"), _("Taux d'exécution"),
              *(_(COST_COLUMNS[spec.code]) for spec in UNIT_COSTS)]
    period = _period(evidence.first_year, evidence.year)
    return tables.table(header, body, caption=_("Budget {period} et coûts unitaires par "
                                                "partenariat ({currency})").format(
                                                    period=period, currency=cur))


def pair_evidence(ctx: Context) -> EfficiencyEvidence:
    """The notebook pair's cost evidence as sidecar data, its reading included."""
    found = programme_efficiency(ctx.dataset, ctx.phase.code)
    evidence = found.of(ctx.pair.code)
    return EfficiencyEvidence.model_validate(
        {**evidence.as_dict(), "reading": pair_reading(evidence, found, ctx.pair_labels())})


def efficiency_section(ctx: Context) -> EfficiencyEvidence | ProgrammeEfficiency:
    """Show the efficiency evidence of the notebook's pair, or of every pair in the programme
    synthesis (no pair): tables and a French reading, or why it cannot be assessed.

    Parameters
    ----------
    ctx : Context
        The notebook's context (its phase's view of the data: nothing after its year).

    Returns
    -------
    EfficiencyEvidence or ProgrammeEfficiency
        What was shown, as data: the pair's sidecar evidence, or every pair's evidence.
    """
    if ctx.pair is None:
        return programme_efficiency_section(ctx)
    labels = ctx.pair_labels()
    found = programme_efficiency(ctx.dataset, ctx.phase.code)
    evidence = found.of(ctx.pair.code)
    reading = pair_reading(evidence, found, labels)
    if not evidence.assessable:
        show(tables.notice(reading, "indisponible"))
    else:
        show(tables.evidence(_(EVIDENCE), lines_table(evidence),
                             unit_costs_table(evidence, found), tables.paragraphs(reading)))
    return EfficiencyEvidence.model_validate({**evidence.as_dict(), "reading": reading})


def programme_efficiency_section(ctx: Context) -> ProgrammeEfficiency:
    """Show every pair's budget execution and unit costs in one table, with a reading.

    Returns
    -------
    ProgrammeEfficiency
        The evidence shown (``as_dict()`` for a sidecar).
    """
    labels = ctx.pair_labels()
    found = programme_efficiency(ctx.dataset, ctx.phase.code)
    reading = programme_reading(found, labels)
    if not found.assessable:
        show(tables.notice(reading, "indisponible"))
    else:
        show(tables.evidence(_(EVIDENCE), programme_table(found, labels),
                             tables.paragraphs(reading)))
    return found
