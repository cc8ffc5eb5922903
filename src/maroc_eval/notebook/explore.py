"""The exploration notebook's view: an RI or one indicator, a pair among the others, chosen years.

:class:`Exploration` answers the review's questions (« how does Forest – Jérada compare with the
others on RI 3 in 2011? »): ``indicator`` is an intermediate result (all its indicators) or one
indicator; a cumulative indicator is always shown as a stock (its running total since the
baseline year's stock, whatever the first year shown); a single year is drawn as a dot chart of
every pair, several years as lines; the chosen phase's targets are drawn and tabulated; the view
ends with a small table to paste into a report (:meth:`Exploration.table`).

The figures are those of the rest of the toolkit: the series come from
:func:`maroc_eval.core.series.annual_series` on the phase's view of the data, the targets from the
indicator rows every notebook reads (:meth:`maroc_eval.core.dataset.Dataset.all_rows`).
"""

from __future__ import annotations

import os

import pandas as pd

from ..base import fmt
from ..base.errors import ParameterError, suggest
from ..base.i18n import _, ngettext
from ..base.markup import Cell, Html
from ..core import series
from ..core.programme import Programme
from ..core.programme_items import Indicator
from . import explore_charts, tables
from .context import Context, shown
from .display import show


def select_indicators(programme: Programme, selection) -> list[Indicator]:
    """The indicators a selection names: an RI (all its indicators) or one indicator code.

    Parameters
    ----------
    programme : Programme
    selection : str
        ``"RI3"`` or ``"RI3.1"`` (case and spaces ignored: ``"ri 3"`` is ``RI3``).

    Returns
    -------
    list of Indicator
        In logframe order.

    Raises
    ------
    ParameterError
        Neither an RI nor an indicator of the programme (with the closest code suggested).
    """
    code = "".join(str(selection).split()).upper() if selection is not None else ""
    if code in programme.result_map:
        return programme.indicators_of(code)
    if code in programme.indicator_map:
        return [programme.indicator_map[code]]
    choices = [*programme.result_map, *programme.indicator_map]
    raise ParameterError(
        _("Paramètre indicator = « {value} » : ni un résultat intermédiaire ni un indicateur "
          "du cadre logique{suggestion}. Attendu un RI ({results}) ou un code d'indicateur "
          "({first} … {last}).").format(
            value=selection, suggestion=suggest(code, choices),
            results=", ".join(programme.result_map), first=programme.indicators[0].code,
            last=programme.indicators[-1].code))


def served_by_voila() -> bool:
    """Whether the kernel runs under a Voilà dashboard (Voilà names itself in the kernel's
    environment, ``SERVER_SOFTWARE=voila/…``): the dashboard shows the live panel only."""
    return os.environ.get("SERVER_SOFTWARE", "").startswith("voila/")


def _year(value, default: int, name: str) -> int:
    if value is None:
        return default
    whole = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    if isinstance(value, bool) or not whole:
        raise ParameterError(_("Paramètre {name} = « {value} » : attendu une année "
                               "(ex. 2011).").format(name=name, value=value))
    return int(value)


class Exploration:
    """One RI or indicator, a pair and the others, over chosen years, at a phase.

    Parameters
    ----------
    ctx : Context
        The notebook's context (its pair, its phase's view of the data and targets).
    indicator : str
        An RI (``"RI3"``: all its indicators) or an indicator code (``"RI3.1"``).
    first_year, last_year : int or None
        The years shown, within the phase's years (``None``: the baseline year, the phase's
        reference year). A cumulative indicator still counts every flow since the baseline
        year's stock.
    compare_with : list of str
        The other pairs drawn; empty means all of them.

    Raises
    ------
    ParameterError
        Unknown RI, indicator or pair; years out of the phase's range or in the wrong order.
    """

    def __init__(self, ctx: Context, indicator: str, first_year: int | None = None,
                 last_year: int | None = None, compare_with=()):
        programme = ctx.programme
        self.indicators = select_indicators(programme, indicator)
        years = ctx.years  # what the phase can see
        first = _year(first_year, years[0], "first_year")
        last = _year(last_year, years[-1], "last_year")
        if not years[0] <= first <= last <= years[-1]:
            raise ParameterError(
                _("Paramètres first_year/last_year = {first}/{last} : attendu {low} ≤ "
                  "first_year ≤ last_year ≤ {high} (phase {phase} : {label}, données jusqu'à "
                  "{year}).").format(first=first, last=last, low=years[0], high=years[-1],
                                     phase=ctx.phase.code, label=ctx.phase.label,
                                     year=ctx.year))
        if isinstance(compare_with, str):
            compare_with = [compare_with]
        unknown = [p for p in compare_with if p not in programme.pair_codes]
        if unknown:
            raise ParameterError(
                ngettext("Paramètre compare_with : partenariat inconnu {unknown}{suggestion}. "
                         "Valeurs possibles : {choices}.",
                         "Paramètre compare_with : partenariats inconnus {unknown}{suggestion}. "
                         "Valeurs possibles : {choices}.", len(unknown)).format(
                    unknown=", ".join(map(str, unknown)),
                    suggestion=suggest(str(unknown[0]), programme.pair_codes),
                    choices=", ".join(programme.pair_codes)))
        self.ctx = ctx
        self.years = list(range(first, last + 1))
        others = [p for p in (compare_with or programme.pair_codes) if p != ctx.pair.code]
        self.pairs = [ctx.pair.code, *dict.fromkeys(others)]

    @property
    def indicator(self) -> Indicator:
        """The first (or only) indicator shown."""
        return self.indicators[0]

    @property
    def title(self) -> str:
        """What is shown: the RI with its title, or the indicator with its label."""
        if len(self.indicators) == 1:
            ind = self.indicator
            return f"{ind.code} — {ind.label}"
        result = self.ctx.programme.result_map[self.indicator.ri]
        return f"{result.code} — {result.title}"

    @property
    def period(self) -> str:
        """« 2011 » or « 2008-2011 »."""
        first, last = self.years[0], self.years[-1]
        return str(first) if first == last else f"{first}-{last}"

    def series(self, indicator: Indicator | None = None) -> pd.DataFrame:
        """Years shown × pairs (the studied pair first); cumulative indicators as stocks.

        The running total starts at the baseline year whatever the first year shown: the stock
        at year Y counts the baseline stock and every flow up to Y.
        """
        ind = indicator or self.indicator
        span = list(range(self.ctx.programme.baseline_year, self.years[-1] + 1))
        frame = pd.DataFrame({p: series.annual_series(self.ctx.observations, ind, p, span)
                              for p in self.pairs})
        return frame.loc[self.years]

    def targets(self, indicator: Indicator | None = None) -> pd.Series:
        """The phase's target of the indicator for each pair shown (``NaN``: unknown).

        The same figures as the RI notebooks' tables: the phase's own target, per-pair
        overrides and relative targets resolved on each pair's baseline.
        """
        ind = indicator or self.indicator
        rows = self.ctx.dataset.all_rows(self.ctx.phase.code, ri=ind.ri)
        rows = rows[rows["code"] == ind.code].set_index("pair")["target"]
        return rows.reindex(self.pairs).astype("float64")

    def figure(self):
        """The chart: a dot chart of every pair for one year, lines over several years."""
        labels = self.ctx.pair_labels()
        phase = self.ctx.phase
        if len(self.years) == 1:
            year = self.years[0]
            items = [(ind, self.series(ind).loc[year], self.targets(ind))
                     for ind in self.indicators]
            return explore_charts.year_dots(
                items, year=year, highlight=self.ctx.pair.code, labels=labels,
                baseline_year=self.ctx.programme.baseline_year,
                target_label=self.target_label, title=self.title)
        items = [(ind, self.series(ind), self.targets(ind).get(self.ctx.pair.code))
                 for ind in self.indicators]
        return explore_charts.year_lines(
            items, highlight=self.ctx.pair.code, labels=labels, target_year=phase.year,
            target_label=self.target_label, title=self.title,
            names={p.code: p.moroccan for p in self.ctx.programme.pairs})

    @property
    def target_label(self) -> str:
        """« Cible 2010 (mi-parcours) »: the phase's target, in the language spoken."""
        phase = self.ctx.phase
        return _("Cible {year} ({phase})").format(year=phase.year, phase=phase.label)

    def chart(self) -> None:
        """Show :meth:`figure` under its heading (nothing on the Voilà dashboard)."""
        if not served_by_voila():
            show(tables.heading(f"{self.title} : {self.period}", 2))
            show(self.figure())

    def summary(self) -> Html:
        """The table to paste into a report: years shown and the phase's target, by pair."""
        several = len(self.indicators) > 1
        labels = self.ctx.pair_labels()
        header = [*([_("Indicateur")] if several else []), _("Année"),
                  *[Cell(labels[p], css="font-weight:700") if p == self.ctx.pair.code
                    else labels[p] for p in self.pairs]]
        body = []
        for ind in self.indicators:
            frame, goal = self.series(ind), self.targets(ind)
            name = f"{ind.code} — {ind.label} ({ind.unit})"
            for i, (year, row) in enumerate(frame.iterrows()):
                body.append([*([name if i == 0 else ""] if several else []), int(year),
                             *[fmt.value(v, ind.measure, ind.levels) for v in row]])
            body.append([*([""] if several else []), self.target_label,
                         *[fmt.value(goal[p], ind.measure, ind.levels) for p in self.pairs]])
        caption = self.title if several else \
            f"{self.indicator.code} — {self.indicator.label} ({self.indicator.unit})"
        return tables.concat(
            tables.table(header, body, caption=fmt.typo(f"{caption}, {self.period}")),
            tables.paragraphs(*self.notes()))

    def notes(self) -> list[str]:
        """The lines under the table: how to read cumulative values, the source."""
        notes = []
        if any(ind.accumulation == "cumulatif" for ind in self.indicators):
            notes.append(_("Indicateurs cumulatifs : stock à la fin de l'année (stock "
                           "{year} et flux des années suivantes).").format(
                               year=self.ctx.programme.baseline_year))
        source = (_("« {missing} » : valeur inconnue (donnée manquante). Source : fichiers de "
                    "suivi ({folder}), données fictives.") if self.ctx.fictitious else
                  _("« {missing} » : valeur inconnue (donnée manquante). Source : fichiers de "
                    "suivi ({folder})."))
        notes.append(source.format(missing=fmt.MISSING, folder=shown(self.ctx.data_dir)))
        return [fmt.typo(n) for n in notes]

    def table(self) -> None:
        """Show :meth:`summary` under its heading (nothing on the Voilà dashboard)."""
        if not served_by_voila():
            show(tables.heading(_("Tableau à reprendre dans un rapport"), 2))
            show(self.summary())

    def raw(self) -> None:
        """The observation rows of the studied pair behind the series, with their origin
        (nothing on the Voilà dashboard)."""
        if served_by_voila():
            return
        label = self.ctx.pair.label
        show(tables.concat(
            tables.heading(_("Observations brutes : {pair}").format(pair=label), 2),
            tables.paragraphs(_("Les lignes des fichiers de suivi derrière les valeurs de ce "
                                "partenariat, avec leur source, leur commentaire et leur "
                                "emplacement (fichier:ligne)."))))
        obs = self.ctx.observations
        codes = [ind.code for ind in self.indicators]
        rows = obs[(obs["pair"] == self.ctx.pair.code) & obs["indicator"].isin(codes)
                   & obs["year"].isin(self.years)]
        show(tables.table([_("Indicateur"), _("Année"), _("Ventilation"), _("Valeur"),
                           _("Source"), _("Commentaire"), _("Fichier:ligne")],
                          [[r.indicator, r.year, f"{r.dimension}={r.category}" if r.dimension
                            else "", fmt.number(r.value), r.source, r.comment,
                            f"{r.file}:{r.line}"] for r in rows.itertuples()]))
