"""What the Excel annex of a pair and phase is made of, gathered once.

The logframe rows, statuses and the team's grades come from the notebooks' sidecars (what the
report shows); the yearly series from the data folder those notebooks read (their ``data_dir``
parameter), cut at the phase's reference year as the notebooks saw it. A data folder that can
no longer be read leaves the series out, and the README sheet says why.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ...base import paths
from ...base.errors import EvaluationError
from ...base.i18n import _
from ...base.sidecar import PairResult, RIResult


def _resolve(value) -> Path | None:
    if not value:
        return None
    path = Path(str(value))
    return paths.resolved(path if path.is_absolute() else paths.PROJ_ROOT / path)


def shown_path(path: Path | None) -> str:
    """A path as the annex names it: relative to the project when inside it."""
    if path is None:
        return _("inconnu")
    try:
        return str(path.relative_to(paths.PROJ_ROOT))
    except ValueError:
        return str(path)


@dataclass
class AnnexContent:
    """Everything the annex shows.

    Attributes
    ----------
    programme : Programme
    phase, pair : str
        Codes of the phase and the pair.
    year, baseline_year : int
        The phase's reference year and the baseline year.
    results : dict
        RI code → its sidecar (``None``: the RI notebook is unavailable).
    pair_result : PairResult or None
        The pair synthesis's sidecar (the DAC criteria), when given.
    observations : pandas.DataFrame or None
        The phase's view of the monitoring data; ``None`` with ``missing_data`` saying why.
    data_dir : Path or None
    fictitious : bool
        The data folder says its data are fictitious.
    built : str
        When the annex was produced (ISO 8601, local time).
    """

    programme: object
    phase: str
    pair: str
    year: int
    baseline_year: int
    results: dict[str, RIResult | None]
    pair_result: PairResult | None = None
    observations: object = None
    data_dir: Path | None = None
    missing_data: str | None = None
    fictitious: bool = False
    matrix: object = None
    """The evaluation matrix (labels of questions, actors, priorities), if the project has one."""
    built: str = field(default_factory=lambda: dt.datetime.now().astimezone().isoformat(
        timespec="seconds"))

    @property
    def years(self) -> list[int]:
        """The years the phase sees: the baseline year through its reference year."""
        return list(range(self.baseline_year, self.year + 1))


def gather(ri_results: dict[str, RIResult | None], *, baseline_year: int, year: int,
           programme=None, pair_result: PairResult | None = None,
           observations=None, cache_dir: Path | None = None) -> AnnexContent:
    """Collect the annex's content from the sidecars, and the data folder they name.

    Parameters
    ----------
    ri_results : dict
        RI sidecars by RI code (``None`` for an unavailable RI).
    baseline_year, year : int
    programme : Programme, optional
        Default: the programme file the notebooks were run with.
    pair_result : PairResult, optional
        The pair synthesis's sidecar (its DAC criteria go into the judgements sheet).
    observations : pandas.DataFrame, optional
        The phase's view of the monitoring data; default: read from the notebooks' data folder.
    cache_dir : Path, optional
        The run's cache of validated inputs: the data is read from it when it has not changed
        since the run (:func:`maroc_eval.core.dataset.load_dataset`), else read and checked.

    Raises
    ------
    ValueError
        No RI sidecar at all: nothing says which pair and phase the annex is of.
    """
    from ...core.dataset import load_dataset
    from ...core.matrix import load_matrix
    from ...core.programme import load_programme

    available = [r for r in ri_results.values() if r is not None]
    if not available:
        raise ValueError("no RI result to make an annex of")
    first = available[0]
    parameters = first.parameters
    programme_file = _resolve(parameters.get("programme_file")) or paths.PROGRAMME_FILE
    if programme is None:
        programme = load_programme(programme_file)
    content = AnnexContent(programme, first.phase, first.pair, year, baseline_year,
                           dict(ri_results), pair_result,
                           fictitious=any(r.fictitious for r in available)
                           or bool(pair_result is not None and pair_result.fictitious))
    try:
        matrix = load_matrix(programme)
        content.matrix = matrix.localised() if matrix is not None else None
    except EvaluationError:
        content.matrix = None
    content.data_dir = _resolve(parameters.get("data_dir"))
    if observations is not None:
        content.observations = observations
    elif content.data_dir is None or not content.data_dir.is_dir():
        content.missing_data = _("dossier de données « {folder} » introuvable").format(
            folder=shown_path(content.data_dir))
    else:
        try:
            dataset = load_dataset(programme_file, content.data_dir, cache_dir=cache_dir)
            content.observations = dataset.for_phase(first.phase).observations
            content.fictitious = content.fictitious or dataset.info.fictitious
        except (EvaluationError, OSError, ValueError) as exc:
            content.missing_data = _("données illisibles ({error})").format(
                error=exc.__class__.__name__)
    return content
