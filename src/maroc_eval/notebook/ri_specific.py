"""What each RI notebook adds beyond the common sections, one function per RI.

Each function displays its analysis and returns the figures it computed (``extras``) for the
sidecar, so the syntheses, reports and tests read them as data. An analysis never draws an
indicator again: the trend panels (:meth:`~maroc_eval.notebook.riview.RIView.trends`) draw each
one once, against its target and beside the other pairs; an analysis charts only what it
derives (RI 2's maturity) and tabulates the rest. :data:`ANALYSES` is the registry
:meth:`maroc_eval.notebook.riview.RIView.analysis` looks them up in, by RI code.
"""

from __future__ import annotations

import inspect

import pandas as pd

from ..base import fmt
from ..base.errors import ParameterError
from ..base.i18n import N_, _
from ..core import indicators, series, targets
from . import charts, tables
from .context import Context
from .display import show

MATURITY_LEVELS = ((0.25, N_("initiale")), (0.5, N_("en construction")), (0.75, N_("établie")),
                   (10.0, N_("avancée")))


def _ind(ctx: Context, code: str):
    return ctx.programme.indicator_map[code]


def _at(ctx: Context, code: str, year: int | None = None, pair: str | None = None) -> float | None:
    return series.value_at(ctx.observations, _ind(ctx, code), pair or ctx.pair.code,
                               year or ctx.year, first_year=ctx.programme.baseline_year)


def _ratio(num, den) -> float | None:
    return None if num is None or den in (None, 0) else num / den


# -- RI 1 ---------------------------------------------------------------------------------------
def service_stages(ctx: Context, functional_stage: int = 4) -> dict:
    """RI 1: the stages of the social-action service over time, and its staffing.

    Parameters
    ----------
    ctx : Context
    functional_stage : int
        The stage counted as "service in place" (default 4, fonctionnel et équipé).

    Returns
    -------
    dict
        ``stage`` at the reference year, ``year_functional`` (first year the stage reached
        ``functional_stage``, or None), ``staff_per_10000`` (RI1.2 per 10 000 inhabitants).
    """
    ind = _ind(ctx, "RI1.1")
    levels = ind.levels
    if functional_stage not in levels:
        raise ParameterError(_("Paramètre functional_stage = « {value} » : attendu "
                               "un stade parmi {choices}.").format(
            value=functional_stage, choices=", ".join(map(str, levels))))
    mine = series.annual_series(ctx.observations, ind, ctx.pair.code, ctx.years)
    reached = {}
    for level in sorted(levels):
        years = [int(y) for y, v in mine.items() if pd.notna(v) and v >= level]
        reached[level] = min(years) if years else None
    show(tables.table([_("Stade"), _("Libellé"), _("Atteint en")],
                      [[lvl, levels[lvl], reached[lvl] or _("pas encore")]
                       for lvl in sorted(levels)],
                      caption=_("Étapes franchies par {pair}").format(pair=ctx.pair.label)))
    staff = _at(ctx, "RI1.2")
    return {"stage": _at(ctx, "RI1.1"), "year_functional": reached[functional_stage],
            "staff_per_10000": series.per_10000(staff, ctx.pair.population)}


# -- RI 2 ---------------------------------------------------------------------------------------
def maturity_by_year(ctx: Context, pair: str, reference_phase: str) -> pd.Series:
    """Planning and monitoring maturity (0–1) per year: mean capped progress of the RI 2
    indicators towards the targets of ``reference_phase``."""
    years = ctx.years
    progress = []
    for ind in ctx.programme.indicators_of("RI2"):
        values = series.annual_series(ctx.observations, ind, pair, years)  # one pass per indicator
        base = None if pd.isna(values.iloc[0]) else float(values.iloc[0])
        target = targets.phase_target(ctx.programme, ind, pair, reference_phase,
                                           base)
        progress.append({year: indicators.achievement(None if pd.isna(v) else float(v), base,
                                                      target, ind.direction)[1]
                         for year, v in values.items()})
    out = {}
    for year in years:
        known = [p[year] for p in progress if p[year] is not None]
        out[year] = sum(known) / len(known) if known else float("nan")
    return pd.Series(out, dtype=float)


def maturity_label(value) -> str:
    """Maturity level of a 0–1 score, in the language spoken."""
    if value is None or pd.isna(value):
        return _("non renseignée")
    return _(next(label for bound, label in MATURITY_LEVELS if value < bound))


def planning_maturity(ctx: Context, maturity_reference: str | None = None) -> dict:
    """RI 2: planning and monitoring maturity over time, for the pair and the others.

    Parameters
    ----------
    ctx : Context
    maturity_reference : str, optional
        The phase whose targets the maturity is measured against (the notebook's setting of
        the same name; default: the last phase).

    Returns
    -------
    dict
        ``maturity`` at the reference year (0–1) and ``maturity_gain`` since the baseline.
    """
    reference_phase = maturity_reference or ctx.programme.phases_by_year[-1].code
    maturity = {p: maturity_by_year(ctx, p, reference_phase) for p in ctx.programme.pair_codes}
    fig = charts.lines(maturity,
                       title=_("RI 2 — Maturité de la planification et du suivi : "
                               "réalisation moyenne des indicateurs, de 0 à 100 %"),
                       ylabel=_("maturité"), highlight=ctx.pair.code, labels=ctx.pair_labels())
    fig.axes[0].yaxis.set_major_formatter(charts.FuncFormatter(lambda v, _p: fmt.achievement(v)))
    show(fig)
    mine = maturity[ctx.pair.code]
    show(tables.table([_("Année"), _("Maturité"), _("Niveau")],
                      [[y, fmt.achievement(v), maturity_label(v)] for y, v in mine.items()],
                      caption=_("Maturité {of_pair} (cibles de la phase « {phase} »)").format(
                          of_pair=fmt.de_nom(ctx.pair.label),
                          phase=ctx.programme.phases[reference_phase].label)))
    now, start = mine.get(ctx.year), mine.get(ctx.programme.baseline_year)
    gain = None if pd.isna(now) or pd.isna(start) else now - start
    return {"maturity": None if pd.isna(now) else now, "maturity_gain": gain}


# -- RI 3 ---------------------------------------------------------------------------------------
def women_share(women: float | None, men: float | None) -> str:
    """Women among the agents trained: « 6 (46 %) », or on fewer than
    :data:`maroc_eval.base.fmt.SMALL_BASE` agents the counts, « indicatif » (« 1 agent sur 3 »)."""
    if women is None or men is None:
        return fmt.number(women, 0)
    whole = women + men
    if whole >= fmt.SMALL_BASE:
        return f"{fmt.number(women, 0)} ({fmt.share(women, whole)})"
    return fmt.share(women, whole, _("agent"), _("agents"))


def training_by_sex(ctx: Context, min_share_women: float = 0.3) -> dict:
    """RI 3: people trained by sex, training depth and competence scores.

    Returns
    -------
    dict
        ``trained_women``, ``trained_men``, ``share_women`` (0–1), ``days_per_agent``,
        ``competence_score`` at the reference year.
    """
    ind = _ind(ctx, "RI3.1")
    split = series.disaggregation(ctx.observations, ind, ctx.pair.code, ctx.year,
                                      first_year=ctx.programme.baseline_year).set_index("category")
    women = float(split["value"].get("F")) if "F" in split.index else None
    men = float(split["value"].get("H")) if "H" in split.index else None
    total = _at(ctx, "RI3.1")
    share = (_ratio(women, (women or 0) + (men or 0))
             if women is not None and men is not None else None)
    days = _ratio(_at(ctx, "RI3.2"), total)
    score = _at(ctx, "RI3.3")
    verdict = ("—" if share is None else
               _("objectif de mixité atteint") if share >= min_share_women else
               _("sous l'objectif de mixité"))
    show(tables.key_values([
        (_("Agents formés (cumul {year})").format(year=ctx.year), fmt.number(total, 0)),
        (_("dont femmes"), _("{women} — {verdict} ({floor})").format(
            women=women_share(women, men), verdict=verdict,
            floor=fmt.percent(min_share_women, 0, ratio=True))),
        (_("dont hommes"), fmt.number(men, 0)),
        (_("Jours de formation par agent formé"), fmt.number(days, 1)),
        (_("Score moyen au test ({year})").format(year=ctx.year), fmt.number(score, 1)),
    ]))
    return {"trained_women": women, "trained_men": men, "share_women": share,
            "days_per_agent": days, "competence_score": score}


# -- RI 4 ---------------------------------------------------------------------------------------
def infrastructure_use(ctx: Context, per_inhabitants: int = 10000) -> dict:
    """RI 4: use of social infrastructure and maintenance per inhabitants; equipment out of
    service (a ↓ indicator).

    Returns
    -------
    dict
        ``use_per_10000`` and ``maintenance_per_10000`` (per ``per_inhabitants`` inhabitants),
        ``out_of_service_change`` (percentage points since the baseline; negative is better).
    """
    if not isinstance(per_inhabitants, int) or per_inhabitants <= 0:
        raise ParameterError(_("Paramètre per_inhabitants = « {value} » : "
                               "attendu un entier positif.").format(value=per_inhabitants))
    pops = {p.code: p.population for p in ctx.programme.pairs}
    scale = per_inhabitants / 10000

    def per(code, pair):
        v = series.per_10000(_at(ctx, code, pair=pair), pops[pair])
        return None if v is None else v * scale

    use = pd.Series({p: per("RI4.2", p) for p in pops}, dtype=float)
    now = _at(ctx, "RI4.4")
    base = series.baseline(ctx.observations, _ind(ctx, "RI4.4"), ctx.pair.code,
                           ctx.programme.baseline_year)
    change = None if now is None or base is None else now - base
    maintenance = per("RI4.3", ctx.pair.code)
    show(tables.key_values([
        (_("Fréquentation pour {n} hab. ({year})").format(
            n=fmt.number(per_inhabitants, 0), year=ctx.year),
         fmt.number(use.get(ctx.pair.code), 0)),
        (_("Budget d'entretien pour {n} hab. (kMAD)").format(n=fmt.number(per_inhabitants, 0)),
         fmt.number(maintenance, 1)),
        (_("Équipements hors service : évolution depuis 2007"),
         fmt.signed(change) + fmt.NBSP + fmt.agreed(_("points"), change)),
    ]))
    return {"use_per_10000": use.get(ctx.pair.code), "maintenance_per_10000": maintenance,
            "out_of_service_change": change}


# -- RI 5 ---------------------------------------------------------------------------------------
def social_budget(ctx: Context, execution_floor: float = 70.0) -> dict:
    """RI 5: the social budget's share of the communal budget, its execution and its level
    per inhabitant.

    Returns
    -------
    dict
        ``budget_share`` (%), ``execution_rate`` (%), ``budget_mad_per_inhabitant``,
        ``budget_growth`` (ratio since 2007), ``years_below_floor`` (years with execution
        under ``execution_floor`` %).
    """
    years = ctx.years
    execution = series.annual_series(ctx.observations, _ind(ctx, "RI5.3"), ctx.pair.code, years)
    budget = _at(ctx, "RI5.2")
    base = series.baseline(ctx.observations, _ind(ctx, "RI5.2"), ctx.pair.code,
                           ctx.programme.baseline_year)
    per_inhabitant = None if budget is None else budget * 1000 / ctx.pair.population
    growth = _ratio(None if budget is None or base is None else budget - base, base)
    below = int(sum(1 for y in years if y > ctx.programme.baseline_year and y <= ctx.year
                    and pd.notna(execution.get(y)) and execution[y] < execution_floor))
    show(tables.key_values([
        (_("Budget social {year}").format(year=ctx.year), f"{fmt.number(budget, 0)} kMAD"),
        (_("Par habitant"), f"{fmt.number(per_inhabitant, 1)} MAD"),
        (_("Évolution depuis 2007"), fmt.signed_percent(growth, 0, ratio=True)),
        (_("Années sous {floor} d'exécution ({first}–{last})").format(
            floor=fmt.percent(execution_floor, 0), first=ctx.programme.baseline_year + 1,
            last=ctx.year),
         str(below)),
    ]))
    return {"budget_share": _at(ctx, "RI5.1"), "execution_rate": _at(ctx, "RI5.3"),
            "budget_mad_per_inhabitant": per_inhabitant, "budget_growth": growth,
            "years_below_floor": float(below)}


# -- RI 7 ---------------------------------------------------------------------------------------
def conventions_by_partner(ctx: Context, min_partner_types: int = 3) -> dict:
    """RI 7: partnership conventions by partner type, and co-financing mobilised.

    Returns
    -------
    dict
        ``conventions`` (cumulative total), ``partner_types`` (types with at least one
        convention), ``cofinancing`` (kMAD, cumulative), ``cofinancing_per_convention``.
    """
    ind = _ind(ctx, "RI7.1")
    split = series.disaggregation(ctx.observations, ind, ctx.pair.code, ctx.year,
                                      first_year=ctx.programme.baseline_year)
    types = int((split["value"] > 0).sum()) if not split.empty else 0
    total = _at(ctx, "RI7.1")
    cofin = _at(ctx, "RI7.4")
    verdict = (_("partenariat diversifié") if types >= min_partner_types
               else _("partenariat peu diversifié"))
    show(tables.key_values([
        (_("Conventions signées (cumul {year})").format(year=ctx.year), fmt.number(total, 0)),
        (_("Types de partenaires couverts"),
         _("{types} sur {total} — {verdict} (seuil : {floor})").format(
             types=types, total=len(ctx.programme.dimensions["partenaire"].categories),
             verdict=verdict, floor=min_partner_types)),
        (_("Cofinancement mobilisé (cumul)"), f"{fmt.number(cofin, 0)} kMAD"),
        (_("Cofinancement par convention"), f"{fmt.number(_ratio(cofin, total), 1)} kMAD"),
    ]))
    return {"conventions": total, "partner_types": float(types), "cofinancing": cofin,
            "cofinancing_per_convention": _ratio(cofin, total)}


ANALYSES = {
    "RI1": service_stages,
    "RI2": planning_maturity,
    "RI3": training_by_sex,
    "RI4": infrastructure_use,
    "RI5": social_budget,
    "RI7": conventions_by_partner,
}
"""The analysis of each RI: ``(ctx, **parameters) -> extras``."""


def options(analysis) -> list[str]:
    """The names of an analysis's parameters (the settings a notebook may give it)."""
    return list(inspect.signature(analysis).parameters)[1:]
