"""The validated inputs of a run, read and checked once, shared by all its notebooks.

Every notebook needs the programme, the monitoring table and the team's appraisals. Reading and
checking them (YAML with line tracking, CSV with per-cell checks) is most of a notebook's own work
on a large programme: about a second per notebook with 60 pairs, paid by each of the 421 notebooks
of a phase. So the first reader stores the validated inputs in
``<outputs>/.cache/donnees/<key>.pickle`` (``maroc-eval run`` does it once, after its own
validation and before any kernel starts) and the notebooks whose inputs have the same key load
that file instead (a few milliseconds).

The key is the sha256 of the package's source, of the programme file and of every data file of
the folder (names and bytes): any change to any of them gives a new key, so a stale entry is never
read. The cache is an optimisation only: an entry that is missing, unreadable or from another
version is ignored and the files are read and checked again. Only the last few entries are kept.
The entries are pickles written by this toolkit into the user's own output folder; like the
executed notebooks beside them, they are trusted as that folder is.

A notebook never sees the whole data: it sees its phase's view (:meth:`Dataset.for_phase`), the
rows up to the phase's reference year and the appraisals of that phase and the earlier ones,
so that no helper can show a mid-term reader what happened after the mid-term. With the inputs,
an entry carries every phase's view and every pair's indicator rows in it (what a notebook needs
to place its pair among the others), computed once here rather than once per notebook.

:class:`DatasetCache` is the cache as one run uses it. ``maroc-eval run`` makes it first, before
it imports pandas: this module imports pandas and the readers only when it reads or computes
something, so hashing the data and telling whether they changed since the last run cost the
bytes read and nothing more.
"""

from __future__ import annotations

import contextlib
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..base import paths
from ..base.atomic import prune, write_atomic
from ..base.digest import dataset_key

if TYPE_CHECKING:
    import pandas as pd

    from .appraisal_store import Appraisals
    from .matrix import EvaluationMatrix
    from .programme import Programme

from .project import DataInfo

KEEP = 4  # entries kept in a cache folder (the most recent)


@dataclass
class Dataset:
    """The programme, the validated monitoring table and appraisals, and derived tables.

    Attributes
    ----------
    programme : Programme
    observations : pandas.DataFrame
        See :mod:`maroc_eval.core.observations`.
    appraisals : Appraisals
        The evaluation team's appraisals (empty when the team has written nothing yet; ``None``
        stands for an empty store).
    info : DataInfo
        What the data folder says of itself (fictitious or not).
    phase : str or None
        The phase this is the view of (:meth:`for_phase`); ``None``: all the data.
    budget : pandas.DataFrame or None
        The budget table (:mod:`maroc_eval.core.budget`); ``None`` when the data folder has no
        budget file.
    matrix : EvaluationMatrix or None
        The evaluation matrix (:mod:`maroc_eval.core.matrix`); ``None`` without one.
    """

    programme: Programme
    observations: pd.DataFrame
    appraisals: Appraisals
    info: DataInfo = field(default_factory=DataInfo)
    phase: str | None = None
    budget: pd.DataFrame | None = None
    matrix: EvaluationMatrix | None = None
    _views: dict[str, Dataset] = field(default_factory=dict, repr=False)
    _rows: pd.DataFrame | None = field(default=None, repr=False)

    def __post_init__(self):
        if self.appraisals is None:  # no appraisal given: an empty store
            from .appraisal_store import Appraisals

            self.appraisals = Appraisals()

    def for_phase(self, phase: str) -> Dataset:
        """The data as a phase sees them: the rows up to its reference year, the appraisals of
        the phases up to it. Computed once per phase."""
        if self.phase is not None:
            return self if phase == self.phase else self._root_error(phase)
        if phase not in self._views:
            year = self.programme.phases[phase].year
            obs = self.observations
            seen = [ph.code for ph in self.programme.phases.values() if ph.year <= year]
            appraisals = self.appraisals.only(seen)
            budget = self.budget
            if budget is not None:
                budget = budget[budget["year"] <= year].reset_index(drop=True)
            self._views[phase] = Dataset(self.programme,
                                         obs[obs["year"] <= year].reset_index(drop=True),
                                         appraisals, self.info, phase, budget, self.matrix)
        return self._views[phase]

    def _root_error(self, phase: str):
        raise ValueError(f"the view of {self.phase} has no view of {phase}")

    def all_rows(self, phase: str, thresholds=None, ri: str | None = None) -> pd.DataFrame:
        """Every pair's indicator rows at a phase, from that phase's view.

        Parameters
        ----------
        phase : str
            Phase code.
        thresholds : Thresholds or mapping of pair code to Thresholds, optional
            Status bands, the same for every pair or each pair's own; default the programme's.
        ri : str, optional
            Only this intermediate result's indicators.

        Returns
        -------
        pandas.DataFrame
            A copy the caller may change.
        """
        import pandas as pd

        from . import indicators

        view = self.for_phase(phase)
        if view._rows is None:
            view._rows = indicators.all_pairs_rows(self.programme, view.observations, phase)
        rows = view._rows
        rows = (rows[rows["ri"] == ri] if ri else rows).reset_index(drop=True).copy()
        if thresholds is None:
            return rows
        summative = self.programme.phases[phase].summative
        default = self.programme.thresholds.for_phase(summative)
        if isinstance(thresholds, dict):
            bands = [thresholds.get(pair, default) for pair in rows["pair"]]
        else:
            bands = [thresholds] * len(rows)
        bands = [b.for_phase(summative) for b in bands]
        if any(b != default for b in bands):
            rows["status"] = [indicators.status(None if pd.isna(v) else v, b)
                              for v, b in zip(rows["achievement_raw"], bands, strict=True)]
        return rows

    def prime(self) -> Dataset:
        """Compute every phase's view and rows now (before storing)."""
        for phase in self.programme.phases:
            self.all_rows(phase)
        return self


def read_dataset(programme_file: Path, data_dir: Path) -> Dataset:
    """Read and check the programme and a data folder (no cache).

    Raises
    ------
    InputError
        Every problem of the programme, the monitoring files, the appraisals or the budget.
    """
    from .appraisal_store import load_appraisals
    from .budget import load_budget
    from .matrix import load_matrix
    from .observations import load_observations
    from .programme import load_programme
    from .project import data_info

    programme = load_programme(programme_file)
    obs_files, _appraisal_files = paths.data_files(Path(data_dir))
    observations = load_observations(obs_files, programme)
    matrix = load_matrix(programme)
    appraisals = load_appraisals(data_dir, programme, matrix)
    return Dataset(programme, observations, appraisals, data_info(data_dir),
                   budget=load_budget(data_dir, programme), matrix=matrix)


def cached_dataset(path: Path) -> Dataset | None:
    """The entry at ``path``; ``None`` if missing or unreadable (only valid inputs are stored)."""
    with contextlib.suppress(OSError, pickle.UnpicklingError, EOFError, AttributeError,
                             ImportError, TypeError, ValueError):
        with path.open("rb") as fh:
            found = pickle.load(fh)
        if isinstance(found, Dataset):
            return found
    return None


def store_dataset(dataset: Dataset, cache_dir: Path, key: str) -> Path | None:
    """Write an entry atomically (unless there) and drop the oldest; ``None`` if not writable."""
    cache_dir = Path(cache_dir)
    target = paths.dataset_cache_path(cache_dir, key)
    try:
        if target.is_file():
            target.touch()  # kept as recently used
            return target
        write_atomic(target, pickle.dumps(dataset.prime(), protocol=pickle.HIGHEST_PROTOCOL))
        prune(cache_dir, "*.pickle", KEEP)
    except OSError:
        return None
    return target


def load_dataset(programme_file: Path, data_dir: Path, cache_dir: Path | None = None) -> Dataset:
    """The validated inputs, from the cache when an entry has their key.

    Parameters
    ----------
    programme_file : Path
        The programme definition.
    data_dir : Path
        The folder of monitoring files and appraisals.
    cache_dir : Path, optional
        Where entries are kept (:func:`maroc_eval.base.paths.dataset_cache_dir`); ``None``: no
        cache.

    Returns
    -------
    Dataset

    Raises
    ------
    InputError
        Every problem of the inputs (never from the cache: only valid inputs are stored).
    """
    if cache_dir is None:
        return read_dataset(programme_file, data_dir)
    key, found = lookup_dataset(programme_file, data_dir, cache_dir)
    if found is not None:
        return found
    dataset = read_dataset(programme_file, data_dir)  # a missing file: its error names it
    if key is not None:
        with contextlib.suppress(OSError):
            paths.dataset_cache_path(Path(cache_dir), key).unlink(missing_ok=True)  # unreadable
        store_dataset(dataset, cache_dir, key)
    return dataset


def lookup_dataset(programme_file: Path, data_dir: Path,
                   cache_dir: Path) -> tuple[str | None, Dataset | None]:
    """``(key, entry)`` of these inputs in the cache; the entry is ``None`` on a miss, the key too
    when a file cannot be read."""
    try:
        key = dataset_key(programme_file, data_dir)
    except OSError:
        return None, None
    return key, cached_dataset(paths.dataset_cache_path(Path(cache_dir), key))


class DatasetCache:
    """The validated-inputs cache of an output folder, as one run uses it.

    Made before the run imports anything heavy: it hashes the run's data folder at once (bytes
    only). The run then asks it for inputs validated earlier (:meth:`lookup`, once per data
    folder) and, once every check has passed, gives it those it validated itself
    (:meth:`share`), for its notebooks.

    "Changed" is judged against the key of the data the **last** run used
    (:meth:`last_run_key`, kept in :func:`maroc_eval.base.paths.last_data_key_path`), not against
    the entries: the cache keeps several versions, and data put back to an earlier version are found
    in it although every notebook that reads them has to run again.

    Parameters
    ----------
    programme_file : Path
        The run's programme definition.
    data_dir : Path
        The run's data folder.
    outputs : Path
        The run's output folder (the cache is in ``<outputs>/.cache/donnees``).

    Attributes
    ----------
    key : str or None
        The key of ``data_dir`` (``None`` when a file cannot be read: validation will say why).
    """

    def __init__(self, programme_file: Path, data_dir: Path, outputs: Path):
        self.programme_file = Path(programme_file)
        self.outputs = paths.resolved(outputs)
        self.cache_dir = paths.dataset_cache_dir(self.outputs)
        self._keys: dict[Path, str | None] = {}
        self._found: dict[Path, Dataset | None] = {}
        self.key = self.key_of(data_dir)

    def key_of(self, folder: Path) -> str | None:
        """The key of a data folder (hashed once); ``None`` when a file cannot be read."""
        folder = paths.resolved(folder)
        if folder not in self._keys:
            try:
                self._keys[folder] = dataset_key(self.programme_file, folder)
            except OSError:
                self._keys[folder] = None
        return self._keys[folder]

    def last_run_key(self) -> str | None:
        """The key of the data the last run in this output folder used, if known."""
        try:
            return paths.last_data_key_path(self.outputs).read_text("utf-8").strip() or None
        except (OSError, UnicodeDecodeError):
            return None

    def lookup(self, folder: Path) -> Dataset | None:
        """The inputs validated earlier for ``folder`` if its files have not changed since, else
        ``None`` (looked up once per folder)."""
        folder = paths.resolved(folder)
        if folder not in self._found:
            key = self.key_of(folder)
            self._found[folder] = None if key is None else cached_dataset(
                paths.dataset_cache_path(self.cache_dir, key))
        return self._found[folder]

    def share(self, programme: Programme, loaded: dict) -> None:
        """Store what the run validated and remember the run's data key.

        Parameters
        ----------
        programme : Programme
            The run's programme.
        loaded : dict
            ``folder → inputs`` (anything with ``observations`` and ``appraisals``) the run
            validated itself; called under the run's lock, once every check has passed.
            Nothing is raised: an unwritable folder is the run's to report.
        """
        from .project import data_info

        for folder, data in loaded.items():
            key = self.key_of(folder)
            if key is not None:
                store_dataset(Dataset(programme, data.observations, data.appraisals,
                                      data_info(folder), budget=getattr(data, "budget", None),
                                      matrix=getattr(data, "matrix", None)),
                              self.cache_dir, key)
        if self.key is not None:
            with contextlib.suppress(OSError):
                write_atomic(paths.last_data_key_path(self.outputs), self.key + "\n")
