"""The Excel annex of a pair report: what an evaluator reuses in a spreadsheet.

:func:`write_annex` gathers the content (:mod:`.content`: the RI sidecars, the data folder they
name) and writes the workbook (:mod:`.workbook`; formats in :mod:`.cells`) atomically.
"""

from __future__ import annotations

import io
from pathlib import Path

from ...base.atomic import write_atomic
from ...base.sidecar import PairResult, RIResult
from .content import gather
from .workbook import HEADER_ROW, SHEETS, build, series_sheet_name

__all__ = ["HEADER_ROW", "SHEETS", "annex_workbook", "series_sheet_name", "write_annex"]


def annex_workbook(ri_results: dict[str, RIResult | None], *, title: str, baseline_year: int,
                   year: int, programme=None, pair_result: PairResult | None = None,
                   observations=None, cache_dir: Path | None = None):
    """Build the annex workbook (:class:`openpyxl.Workbook`).

    Parameters
    ----------
    ri_results : dict
        RI sidecars by RI code (``None`` for an unavailable RI: its rows are left out).
    title : str
        The README sheet's title.
    baseline_year, year : int
        The baseline year and the phase's reference year.
    programme : Programme, optional
        Default: the programme file the notebooks were run with (their sidecars say which).
    pair_result : PairResult, optional
        The pair synthesis's sidecar: its DAC criteria join the judgements.
    observations : pandas.DataFrame, optional
        The phase's view of the monitoring data; default: read from the notebooks' data folder.
    cache_dir : Path, optional
        The run's cache of validated inputs (:func:`maroc_eval.base.paths.dataset_cache_dir`),
        where that data is read from when it has not changed since the run.
    """
    content = gather(ri_results, baseline_year=baseline_year, year=year, programme=programme,
                     pair_result=pair_result, observations=observations, cache_dir=cache_dir)
    return build(content, title)


def write_annex(path: Path, ri_results: dict[str, RIResult | None], *, title: str,
                baseline_year: int, year: int, programme=None,
                pair_result: PairResult | None = None, observations=None,
                cache_dir: Path | None = None) -> Path:
    """Write the annex atomically; return its path (parameters of :func:`annex_workbook`)."""
    buffer = io.BytesIO()
    annex_workbook(ri_results, title=title, baseline_year=baseline_year, year=year,
                   programme=programme, pair_result=pair_result,
                   observations=observations, cache_dir=cache_dir).save(buffer)
    write_atomic(Path(path), buffer.getvalue())
    return Path(path)
