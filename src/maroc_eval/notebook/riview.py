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

from .. import fmt
from ..core import indicators, series
from . import charts, ri_specific, style, tables
from .context import Context
from .display import show
from .sidecars import ctx_name, data_notes, ri_result, save


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
    def index(self) -> tuple[float | None, float]:
        """(RI index, coverage) of the pair."""
        return indicators.ri_index(self.rows)

    # -- sections -----------------------------------------------------------------------------
    def header(self) -> None:
        """Pair, phase, the RI's statement and the vision it aims at."""
        ctx, pair = self.ctx, self.ctx.pair
        parts = [
            tables.key_values([
                ("Partenariat", pair.label),
                ("Province", pair.province),
                ("Population (RGPH 2004)", fmt.number(pair.population, 0)
                 + (f" ({pair.population_note})" if pair.population_note else "")),
                ("Phase", f"{ctx.phase.label} — année de référence {ctx.year}"),
                ("Résultat intermédiaire",
                 f"{self.ri.replace('RI', 'RI ')} — {self.result.title}"),
            ]),
            tables.paragraphs(f"Vision visée : {self.result.vision}", cls="me-vision"),
        ]
        if ctx.fictitious:
            parts.insert(0, tables.notice(
                "Données fictives : échantillon de démonstration, "
                "ne décrit aucune commune réelle.",
                "attention"))
        show(tables.concat(*parts))

    def logframe(self) -> None:
        """The indicator table with baseline, target, value, achievement and status."""
        index, coverage = self.index
        thresholds = self.ctx.thresholds
        status = indicators.status(index, thresholds)
        summary = tables.table(
            ["Indice du RI", "Statut", "Indicateurs renseignés"],
            [[fmt.achievement(index, thresholds.edges), tables.status_cell(status),
              f"{fmt.percent(coverage, 0, ratio=True)} "
              f"({round(coverage * len(self.rows))} sur {len(self.rows)})"]],
            caption="Indice = moyenne des réalisations plafonnées à 100 % "
                    "des indicateurs renseignés.",
        )
        show(tables.concat(
            tables.indicator_table(self.rows, self.ctx.programme, self.ctx.phase.code,
                                   caption=f"Cadre logique — {self.ctx.pair.label}, "
                                           f"{self.ctx.year}", edges=thresholds.edges),
            summary))

    def trends(self) -> None:
        """A trend panel per indicator against the target path, other pairs faint."""
        show(charts.trend_grid(self.ctx.programme, self.ctx.observations, self.ctx.pair.code,
                               self.ctx.phase.code, self.indicators, self.ctx.years,
                               compare=self.compare_pairs))

    def analysis(self, **parameters) -> None:
        """The RI's own analysis (:data:`maroc_eval.notebook.ri_specific.ANALYSES`); its
        figures go into the sidecar written by :meth:`save`.

        Parameters
        ----------
        **parameters
            The analysis's parameters, named as in the notebook's parameters cell. Their values
            are the context's settings (the cell's when set, else the phase or pair files'),
            and the analysis's own default when no layer sets them.
        """
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
        text = (f"{self.ctx.pair.label} se classe {rank}{'er' if rank == 1 else 'e'} sur {n} "
                f"partenariats renseignés pour le {self.ri.replace('RI', 'RI ')}."
                if rank else "Le partenariat n'a aucun indicateur renseigné pour ce RI.")
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
                                 title=f"Indice du {self.ri.replace('RI', 'RI ')} par "
                                       f"partenariat, {ctx.year}"))

    def disaggregations(self) -> None:
        """For each disaggregated indicator: categories by year and shares at the reference year."""
        ctx = self.ctx
        shown = False
        for ind in self.indicators:
            for dim in ind.dimensions:
                labels = ctx.programme.dimensions[dim].categories
                by_year = {}
                for year in ctx.years:
                    d = series.disaggregation(ctx.observations, ind, ctx.pair.code, year)
                    if not d.empty:
                        by_year[year] = d.set_index("category")["value"]
                if not by_year:
                    continue
                shown = True
                table = (pd.DataFrame(by_year).T.reindex(columns=list(labels))
                         .dropna(axis=1, how="all"))
                show(charts.stacked_by_year(
                    table, title=f"{ind.code} — {ind.label}, "
                                 f"par {ctx.programme.dimensions[dim].label.lower()}",
                    ylabel=ind.unit, category_labels=labels))
                at_ref = series.disaggregation(ctx.observations, ind, ctx.pair.code, ctx.year)
                show(tables.table(
                    [ctx.programme.dimensions[dim].label, f"Valeur {ctx.year}", "Part"],
                    [[labels.get(r.category, r.category), fmt.number(r.value),
                      fmt.percent(r.share, 0, ratio=True)]
                     for r in at_ref.itertuples(index=False)],
                    caption=f"{ind.code} : ventilation en {ctx.year}"))
        if not shown:
            show(tables.notice("Aucune donnée ventilée pour ce partenariat.", "indisponible"))

    def data_quality(self) -> None:
        """Missing years, sources and comments of this RI's data for the pair."""
        ctx = self.ctx
        missing = [(r.code, ", ".join(str(y) for y in r.missing_years))
                   for r in self.rows.itertuples() if len(r.missing_years)]
        sources, notes = data_notes(ctx, self.ri)
        comments = [f"{c.indicator} {c.year} : {c.text}" for c in notes]
        parts = [tables.table(["Indicateur", "Années manquantes"], missing,
                              caption=f"Années sans donnée entre {ctx.programme.baseline_year} "
                                      f"et {ctx.year}")
                 if missing else tables.paragraphs("Aucune année manquante pour ce RI."),
                 tables.bullets(sources, title="Sources citées", empty="Aucune source indiquée."),
                 tables.bullets(comments, title="Commentaires des communes",
                                empty="Aucun commentaire.")]
        show(tables.concat(*parts))

    def judgement(self) -> None:
        """The evaluator's score, findings and recommendations for this RI."""
        ctx = self.ctx
        finding = (ctx.judgements.ri(ctx.phase.code, ctx.pair.code, self.ri) if ctx.judgements
                   else None)
        if finding is None or finding.score is None:
            show(tables.notice("Pas encore d'appréciation de l'évaluateur pour ce RI et cette "
                               "phase.", "indisponible"))
            return
        label = next(r.label for r in ctx.programme.scale if r.code == finding.score)
        show(tables.concat(
            tables.key_values([("Appréciation", f"{finding.score} — {label}")]),
            tables.bullets(finding.findings, title="Constats"),
            tables.bullets(finding.recommendations, title="Recommandations"),
        ))

    def save(self) -> None:
        """Write the sidecar (indicator rows, index, status, score, the analysis's figures)."""
        result = ri_result(self.ctx, self.ri, self.rows, self.extras)
        save(self.ctx, result)
        index = fmt.achievement(result.index, self.ctx.thresholds.edges)
        status = style.status_label(result.status).lower()
        show(tables.paragraphs(f"Résultats enregistrés : {ctx_name(self.ctx)} (indice {index}, "
                               f"statut {status})."))
