"""What a commune may enter for each indicator, as the forms and the XLSForm say it.

The rules are those of ``maroc-eval validate`` (:mod:`maroc_eval.core.rows`), stated once here
for the Excel data validation of the workbook and the constraints of the XLSForm: a percentage
between 0 and 100, a count never negative, oui/non, an ordinal stage among its levels. A count of
things (agents, projects, meetings) is a whole number; amounts (kMAD), full-time equivalents,
days and scores may have decimals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..base.fmt import plain
from ..base.i18n import _
from ..core.programme import Programme
from ..core.programme_items import Indicator

WHOLE, DECIMAL, CHOICE = "entier", "decimal", "liste"
YES, NO = "oui", "non"
DECIMAL_UNITS = ("mad", "etp", "jour", "point", "%")
"""Unit words of a ``nombre`` indicator that may have decimals (lower case, no accents)."""

_CHOICE = re.compile(r"^\s*(\d+)\s*[—–-]\s*\S")


@dataclass(frozen=True)
class Rule:
    """What one input cell accepts.

    Attributes
    ----------
    kind : str
        :data:`WHOLE`, :data:`DECIMAL` or :data:`CHOICE`.
    low, high : float or None
        Bounds of a number (``None``: unbounded).
    choices : tuple of (str, str)
        ``(value, label)`` of a list: ``("oui", "oui")``, ``("2", "2 — service créé")``.
    text : str
        The rule in French, for the instructions and error messages.
    """

    kind: str
    low: float | None = None
    high: float | None = None
    choices: tuple[tuple[str, str], ...] = ()
    text: str = ""


def _decimal_unit(unit: str) -> bool:
    folded = unit.lower().replace("é", "e").replace("è", "e")
    return any(word in folded for word in DECIMAL_UNITS)


def rule_of(indicator: Indicator) -> Rule:
    """The rule of an indicator's input cells.

    Parameters
    ----------
    indicator : Indicator
        From the programme.

    Returns
    -------
    Rule
    """
    if indicator.measure == "oui_non":
        return Rule(CHOICE, choices=((YES, YES), (NO, NO)), text=_("oui ou non (liste)"))
    if indicator.measure == "ordinal":
        choices = tuple((str(k), f"{k} — {label}") for k, label in indicator.levels.items())
        return Rule(CHOICE, choices=choices,
                    text=_("un stade de la liste : ") + " ; ".join(label for _, label in choices))
    low, high = indicator.value_range
    if indicator.measure == "pourcentage":
        return Rule(DECIMAL, low, high, text=_("un pourcentage de 0 à 100, sans « % »"))
    if high is not None:
        return Rule(DECIMAL, low, high, text=_("un nombre de {low} à {high}").format(
                                                 low=plain(low), high=plain(high)))
    if _decimal_unit(indicator.unit):
        return Rule(DECIMAL, low, None, text=_("un nombre positif ou nul (décimales possibles)"))
    return Rule(WHOLE, low, None, text=_("un nombre entier positif ou nul"))


def flow_hint(indicator: Indicator, baseline: int) -> str:
    """What the value of a year is, in French: the year's flow, its total or the state."""
    if indicator.accumulation == "cumulatif":
        return (_("le flux de l'année (nouveaux pendant l'année ; pour {baseline}, le stock "
                  "avant le programme) : la somme est faite par l'outil").format(
                    baseline=baseline))
    if indicator.accumulation == "annuel":
        return _("le total de l'année")
    return _("la situation au 31 décembre de l'année")


def choice_value(raw: object) -> object:
    """A list entry read back as ``validate`` reads it: ``"2 — service créé"`` → ``"2"``.

    Anything else is returned unchanged.
    """
    if isinstance(raw, str):
        match = _CHOICE.match(raw)
        if match:
            return match.group(1)
    return raw


def question_name(indicator: str, year: int, dimension: str = "", category: str = "") -> str:
    """The XLSForm name of one value: ``RI3_1_2011`` or ``RI3_1_2011_sexe_F``."""
    name = f"{indicator.replace('.', '_')}_{year}"
    if dimension:
        name += "_" + re.sub(r"[^A-Za-z0-9]+", "_", f"{dimension}_{category}").strip("_")
    return name


def question_keys(programme: Programme) -> dict[str, tuple[str, int, str, str]]:
    """Every possible question name → ``(indicator, year, dimension, category)``."""
    keys = {}
    for ind in programme.indicators:
        for year in programme.years:
            for dim, cat in splits(programme, ind):
                keys[question_name(ind.code, year, dim, cat)] = (ind.code, year, dim, cat)
    return keys


def splits(programme: Programme, indicator: Indicator) -> list[tuple[str, str]]:
    """The disaggregations an indicator is collected by: ``[("", "")]`` or one per category."""
    if not indicator.dimensions:
        return [("", "")]
    return [(dim, cat) for dim in indicator.dimensions
            for cat in programme.dimensions[dim].categories]


def parse_years(text: str, programme: Programme) -> list[int]:
    """``"2011-2012"``, ``"2011"`` or ``"2011,2012"`` → the years, checked against the programme.

    Raises
    ------
    ValueError
        With the French reason.
    """
    first, last = programme.baseline_year, programme.period[1]
    years: set[int] = set()
    for part in str(text).replace(";", ",").split(","):
        match = re.fullmatch(r"\s*(\d{4})\s*(?:[-–]\s*(\d{4})\s*)?", part)
        if not match:
            raise ValueError(_("des années comme 2011-2012, 2011 ou 2011,2012, pas "
                               "« {text} »").format(text=text))
        low = int(match.group(1))
        high = int(match.group(2) or low)
        if low > high:
            raise ValueError(_("une période croissante, pas « {period} »").format(
                                 period=part.strip()))
        years.update(range(low, high + 1))
    outside = sorted(y for y in years if not first <= y <= last)
    if outside:
        raise ValueError(_("des années de {first} à {last} (hors période : {outside})").format(
                             first=first, last=last, outside=", ".join(map(str, outside))))
    return sorted(years)
