"""The JSON sidecars a notebook writes, and those a synthesis reads back.

An RI notebook's sidecar carries its indicator rows, index, status, the team's grade and the
proposal beside it,
the figures of its RI-specific analysis, and the sources and comments of its data; syntheses
read them as data (:func:`read_result`), never by scraping HTML.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..base import paths
from ..base.sidecar import Comment, IndicatorRow, RIResult, TeamGrade, load_sidecar, write_sidecar
from ..core.appraisal import localised
from ..core.indicators import ri_index, status
from .context import Context


def team_grade(grade, proposal, english: dict | None = None) -> TeamGrade:
    """A team's grade (``None``: not written) and the toolkit's proposal, as a sidecar holds
    them (texts in the notebook's language)."""
    english = english or {}
    return TeamGrade(score=grade.score if grade else None,
                     text=(localised(grade.text, english) or "") if grade else "",
                     justification=(localised(grade.justification, english) or "")
                     if grade else "",
                     proposed=proposal.grade if proposal else None,
                     basis=proposal.basis if proposal else "")


def ri_result(ctx: Context, ri: str, rows: pd.DataFrame, extras: dict | None = None,
              proposal=None) -> RIResult:
    """Build the sidecar of an RI notebook from its indicator rows, the team's grade and the
    toolkit's proposal."""
    index, coverage = ri_index(rows)
    item = ctx.appraisal()
    sources, comments = data_notes(ctx, ri)
    return RIResult(
        notebook=ctx.notebook, pair=ctx.pair.code, phase=ctx.phase.code, ri=ri,
        reference_year=ctx.year, index=_plain(index), coverage=coverage,
        status=status(index, ctx.thresholds),
        grade=team_grade(item.results.get(ri), proposal, item.english),
        indicators=[IndicatorRow(
            code=r.code, label=r.label, unit=r.unit, direction=r.direction,
            baseline=_plain(r.baseline), target=_plain(r.target), actual=_plain(r.actual),
            achievement_raw=_plain(r.achievement_raw), achievement=_plain(r.achievement),
            status=r.status, missing_years=[int(y) for y in r.missing_years],
        ) for r in rows.itertuples(index=False)],
        extras={k: _plain(v) for k, v in (extras or {}).items()},
        sources=sources, comments=comments, parameters=ctx.parameters,
        origins=ctx.settings.origins, fictitious=ctx.fictitious,
    )


def data_notes(ctx: Context, ri: str) -> tuple[list[str], list[Comment]]:
    """Sources cited and communes' comments in the pair's rows of an RI, up to the reference year.

    Returns
    -------
    tuple
        The distinct sources, sorted; the distinct comments (a comment repeated on each row of a
        disaggregated value counts once), in the order of the monitoring files.
    """
    obs = ctx.observations  # the phase's view: no row after its reference year
    codes = [i.code for i in ctx.programme.indicators_of(ri)]
    rows = obs[(obs["pair"] == ctx.pair.code) & obs["indicator"].isin(codes)]
    sources = sorted({s.strip() for s in rows["source"] if isinstance(s, str) and s.strip()})
    comments = {(r.indicator, int(r.year), r.comment.strip()): None
                for r in rows.itertuples(index=False)
                if isinstance(r.comment, str) and r.comment.strip()}
    return sources, [Comment(indicator=i, year=y, text=t) for i, y, t in comments]


def _plain(value) -> float | None:
    """A figure as JSON holds it: a float, unrounded, or ``None`` when unknown."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    return float(value)


def ctx_name(ctx: Context) -> str:
    """The sidecar's name as the reader knows it (``ri3_competences_personnel.json``), whatever
    temporary name the runner gave it."""
    return f"{ctx.notebook}.json"


def save(ctx: Context, result) -> Path:
    """Write the notebook's sidecar atomically where the context says."""
    return write_sidecar(result, ctx.sidecar_path)


def read_result(ctx: Context, pair: str, stem: str, kind):
    """A sidecar of this phase's run, or ``None`` when unavailable (failed, missing, malformed).

    A result listed in the context's ``unavailable`` failed in this run: it is not read, so that
    an older file is never shown in its place.
    """
    if f"{pair}/{stem}" in ctx.unavailable:
        return None
    folder = paths.pair_dir(ctx.results_dir, ctx.phase.code, pair)
    result = load_sidecar(paths.sidecar_path(folder / f"{stem}.ipynb"), kind)
    return result if result is not None and result.phase == ctx.phase.code else None
