"""The sections every RI notebook shows, computed here so that notebooks stay thin.

An :class:`RIView` binds a notebook context to one intermediate result. Each section method
displays itself and returns nothing, so that a notebook reads like a table of contents::

    ri.header()
    ri.logframe()
    ri.trends()
    ri.position()
    ri.analysis(min_share_women=min_share_women)   # what is specific to the RI
    ri.disaggregations()
    ri.data_quality()
    ri.judgement()
    ri.save()

What is specific to an RI lives in :mod:`maroc_eval.notebook.ri_specific`.
"""

from __future__ import annotations

from functools import cached_property

import pandas as pd

from ..base import fmt, typography
from ..base.i18n import _
from ..core import indicators, series, targets
from ..core.evidence import result_evidence
from . import charts, ri_specific, style, tables
from .appraisal_blocks import grade_blocks
from .context import Context
from .display import show
from .sidecars import ctx_name, data_notes, ri_result, save


def counted_noun(unit: str) -> str:
    """The singular noun of a count's unit (« agents » → « agent »), for « 1 agent sur 3 »;
    empty for a unit that is not one plain word (« kMAD/an »)."""
    word = (unit or "").strip()
    if not word.isalpha() or not word.islower():
        return ""
    return word[:-1] if word.endswith("s") else word


class RIView:
    """One intermediate result seen for one pair and phase.

    Parameters
    ----------
    ctx : Context
        The notebook's context (from :func:`maroc_eval.notebook.context.open_context`).
    ri : str
        The RI code (``"RI3"``).
    compare_pairs : bool
        Show the other pairs faintly in the trend charts.
    """

    def __init__(self, ctx: Context, ri: str, *, compare_pairs: bool = True):
        if ri not in ctx.programme.result_map:
            raise KeyError(ri)
        self.ctx, self.ri, self.compare_pairs = ctx, ri, bool(compare_pairs)
        self.result = ctx.programme.result_map[ri]
        self.indicators = ctx.programme.indicators_of(ri)
        self.extras: dict = {}

    @cached_property
    def rows(self) -> pd.DataFrame:
        """This pair's indicator rows for the RI."""
        return self.ctx.rows(self.ri)

    @cached_property
    def all_rows(self) -> pd.DataFrame:
        """Every pair's indicator rows for the RI (for the comparison)."""
        return self.ctx.all_rows(self.ri)

    @cached_property
    def split_by_year(self) -> dict[str, tuple[str, pd.DataFrame]]:
        """Indicator code → (dimension, values by year × category) for the indicators this pair
        reports by category: each is charted once, by category, beside the trend panels
        (:meth:`trends`). The first dimension with data
        is charted; the others are tabulated."""
        ctx, found = self.ctx, {}
        for ind in self.indicators:
            for dim in ind.dimensions:
                labels = ctx.programme.dimensions[dim].categories
                by_year = {}
                for year in ctx.years:
                    d = series.disaggregation(ctx.observations, ind, ctx.pair.code, year)
                    if not d.empty:
                        by_year[year] = d.set_index("category")["value"]
                if by_year and ind.code not in found:
                    found[ind.code] = (dim, pd.DataFrame(by_year).T.reindex(
                        columns=list(labels)).dropna(axis=1, how="all"))
        return found

    @cached_property
    def index(self) -> tuple[float | None, float]:
        """(RI index, coverage) of the pair."""
        return indicators.ri_index(self.rows)

    # -- sections -----------------------------------------------------------------------------
    def header(self) -> None:
        """Pair, phase, the RI's statement and the vision it aims at."""
        ctx, pair = self.ctx, self.ctx.pair
        parts = [
            tables.key_values([
                (_("Partenariat"), pair.label),
                (_("Province"), pair.province),
                (_("Population (RGPH 2004)"), fmt.number(pair.population, 0)
                 + (f" ({pair.population_note})" if pair.population_note else "")),
                (_("Phase"), _("{phase} — année de référence {year}").format(
                    phase=ctx.phase.label, year=ctx.year)),
                (_("Résultat intermédiaire"),
                 f"{self.ri.replace('RI', 'RI ')} — {self.result.title}"),
            ]),
            tables.paragraphs(_("Vision visée : {vision}").format(
                vision=fmt.after_colon(self.result.vision)), cls="me-vision"),
        ]
        if ctx.fictitious:
            parts.insert(0, tables.notice(
                _("Données fictives : échantillon de démonstration, "
                  "ne décrit aucune commune réelle."),
                "attention"))
        show(tables.concat(*parts))

    def logframe(self) -> None:
        """The indicator table with baseline, target, value, achievement and status."""
        index, coverage = self.index
        thresholds = self.ctx.thresholds
        status = indicators.status(index, thresholds)
        summary = tables.table(
            [_("Indice du RI"), _("Statut"), _("Indicateurs renseignés")],
            [[fmt.achievement(index, thresholds.edges), tables.status_cell(status),
              _("{percent} ({filled} sur {total})").format(
                  percent=fmt.percent(coverage, 0, ratio=True),
                  filled=round(coverage * len(self.rows)), total=len(self.rows))]],
            caption=_("Indice = moyenne des réalisations plafonnées à 100 % "
                      "des indicateurs renseignés."),
        )
        show(tables.concat(
            tables.indicator_table(self.rows, self.ctx.programme, self.ctx.phase.code,
                                   caption=_("Cadre logique — {pair}, {year}").format(
                                       pair=self.ctx.pair.label, year=self.ctx.year),
                                   edges=thresholds.edges),
            summary))

    def trends(self) -> None:
        """Each indicator drawn once: a trend panel against the target path, other pairs faint;
        an indicator the pair reports by category as bars by year and category, against its
        target path."""
        ctx = self.ctx
        drawn = [i for i in self.indicators if i.code not in self.split_by_year]
        if drawn:
            show(charts.trend_grid(ctx.programme, ctx.observations, ctx.pair.code,
                                   ctx.phase.code, drawn, ctx.years, compare=self.compare_pairs))
        for ind in self.indicators:
            if ind.code not in self.split_by_year:
                continue
            dim, table = self.split_by_year[ind.code]
            base = series.baseline(ctx.observations, ind, ctx.pair.code,
                                   ctx.programme.baseline_year)
            path = targets.target_path(targets.anchors(ctx.programme, ind, ctx.pair.code, base),
                                       ctx.years)
            show(charts.stacked_by_year(
                table, title=_("{panel}, par {dimension}").format(
                    panel=charts.panel_title(ind),
                    dimension=ctx.programme.dimensions[dim].label.lower()),
                ylabel=ind.unit, category_labels=ctx.programme.dimensions[dim].categories,
                measure=ind.measure, target=path))

    def analysis(self, **parameters) -> None:
        """The RI's own analysis (:data:`maroc_eval.notebook.ri_specific.ANALYSES`); its
        figures go into the sidecar written by :meth:`save`.

        Parameters
        ----------
        **parameters
            The analysis's parameters, named as in the notebook's parameters cell. A value
            given here wins, as one typed in the cell does (recorded as the notebook's own,
            checked like any setting); ``None`` leaves it to the context's settings (the
            phase or pair files'), and the analysis's own default applies when no layer sets it.

        Raises
        ------
        ParameterError
            A value given here out of its type or bounds.
        """
        self.ctx.use_settings(parameters)
        given = {name: self.ctx.setting(name) for name in parameters}
        self.extras = ri_specific.ANALYSES[self.ri](
            self.ctx, **{k: v for k, v in given.items() if v is not None})

    def position_values(self) -> pd.Series:
        """RI index of every pair (NaN where no indicator is filled)."""
        return pd.Series({
            pair: indicators.ri_index(group)[0]
            for pair, group in self.all_rows.groupby("pair", sort=False)
        }, dtype=float).reindex(self.ctx.programme.pair_codes)

    def rank(self, values: pd.Series | None = None) -> tuple[int | None, int]:
        """(rank of the pair among pairs with data, 1 = best; number of ranked pairs)."""
        values = (self.position_values() if values is None else values).dropna()
        if self.ctx.pair.code not in values.index:
            return None, len(values)
        better = (values > values[self.ctx.pair.code]).sum()
        return int(better) + 1, len(values)

    def position(self) -> None:
        """Display the ranking chart and a sentence on the pair's position."""
        values = self.position_values()
        rank, n = self.rank(values)
        ri = self.ri.replace("RI", "RI ")
        if rank == 1:
            text = _("{pair} se classe 1er sur {n} partenariats renseignés pour le {ri}.")
        elif rank:
            text = _("{pair} se classe {rank}e sur {n} partenariats renseignés pour le {ri}.")
        else:
            text = _("Le partenariat n'a aucun indicateur renseigné pour ce RI.")
        text = text.format(pair=self.ctx.pair.label, rank=rank, n=n, ri=ri)
        show(tables.paragraphs(text))
        ctx = self.ctx
        own = {p: ctx.thresholds_of(p) for p in values.index}
        statuses = pd.Series({p: indicators.status(None if pd.isna(v) else v, own[p])
                              for p, v in values.items()})
        show(charts.ranking_bars(values, ctx.pair.code, labels=ctx.pair_labels(),
                                 statuses=statuses, reference=ctx.thresholds.threshold_met,
                                 edges={p: t.edges for p, t in own.items()},
                                 note=charts.own_thresholds_note(own, ctx.pair_labels(),
                                                                 ctx.thresholds),
                                 title=_("Indice du {ri} par partenariat, {year}").format(
                                     ri=self.ri.replace("RI", "RI "), year=ctx.year)))

    def disaggregations(self) -> None:
        """For each disaggregated indicator, the categories' values and shares at the reference
        year (its chart by year is among the :meth:`trends`)."""
        ctx = self.ctx
        shown = False
        for ind in self.indicators:
            for dim in ind.dimensions:
                labels = ctx.programme.dimensions[dim].categories
                at_ref = series.disaggregation(ctx.observations, ind, ctx.pair.code, ctx.year)
                if at_ref.empty:
                    continue
                shown = True
                whole, noun = at_ref["value"].sum(), counted_noun(ind.unit)
                show(tables.table(
                    [ctx.programme.dimensions[dim].label,
                     _("Valeur {year}").format(year=ctx.year), _("Part")],
                    [[labels.get(r.category, r.category), fmt.number(r.value),
                      fmt.share(r.value, whole, noun)]
                     for r in at_ref.itertuples(index=False)],
                    caption=_("{code} : ventilation en {year}").format(code=ind.code,
                                                                       year=ctx.year)))
        if not shown:
            show(tables.notice(_("Aucune donnée ventilée pour ce partenariat."), "indisponible"))

    def data_quality(self) -> None:
        """Missing years, sources and comments of this RI's data for the pair."""
        ctx = self.ctx
        missing = [(r.code, ", ".join(str(y) for y in r.missing_years))
                   for r in self.rows.itertuples() if len(r.missing_years)]
        sources, notes = data_notes(ctx, self.ri)
        comments = [typography.french(f"{code}, {year} : {text}")
                    for code, year, text in typography.quoted_comments(notes)]
        parts = [tables.table([_("Indicateur"), _("Années manquantes")], missing,
                              caption=_("Années sans donnée entre {first} et {last}").format(
                                  first=ctx.programme.baseline_year, last=ctx.year))
                 if missing else tables.paragraphs(_("Aucune année manquante pour ce RI.")),
                 tables.bullets(sources, title=_("Sources citées"),
                                empty=_("Aucune source indiquée.")),
                 tables.bullets(comments, title=_("Commentaires des communes"),
                                empty=_("Aucun commentaire."))]
        show(tables.concat(*parts))

    @cached_property
    def evidence(self):
        """The RI's proposed grade, from its indicators (:func:`maroc_eval.core.evidence.
        result_evidence`)."""
        ctx = self.ctx
        return result_evidence(ctx.dataset, ctx.phase.code, ctx.pair.code, self.ri,
                               ctx.thresholds)

    def judgement(self) -> None:
        """The evaluation team's grade and appraisal of this RI, apart from the toolkit's
        proposal, and the team's recommendations tied to the RI."""
        show(grade_blocks(self.ctx, self.ctx.appraisal().results.get(self.ri),
                          self.evidence.proposal,
                          recommendations=self.ctx.appraisal().recommendations_for(self.ri)))

    def save(self) -> None:
        """Write the sidecar (indicator rows, index, status, score, the analysis's figures)."""
        result = ri_result(self.ctx, self.ri, self.rows, self.extras, self.evidence.proposal)
        save(self.ctx, result)
        index = fmt.achievement(result.index, self.ctx.thresholds.edges)
        status = style.status_label(result.status).lower()
        show(tables.paragraphs(_("Résultats enregistrés : {name} (indice {index}, "
                                 "statut {status}).").format(name=ctx_name(self.ctx),
                                                             index=index, status=status)))
