"""What a run reuses or starts before it has checked anything.

``maroc-eval run`` calls :func:`start` first, before it imports pandas or pydantic (about half a
second of imports). When the data differ from those the last run used, notebooks will run, so the
warm process kernels are forked from (:mod:`maroc_eval.run.kernel_fork`) starts importing its own
stack at once, on another core, while the runner imports and checks everything. With the data of
the last run nothing is started: a rerun with nothing changed stays short, and when only
parameters or notebooks changed the process starts when the first notebook needs it.

"Changed" is judged against the key of the data the last run used (kept in
:func:`maroc_eval.paths.last_data_key_path`), not against the cache of validated inputs: that
cache keeps several versions, and data put back to an earlier version are found in it although
every notebook that reads them has to run again.

The same object then serves the run as its link to that cache (:mod:`maroc_eval.core.dataset`): the
inputs validated earlier are looked up once per data folder, and those this run validated are
stored for its notebooks.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from .. import paths
from ..atomic import write_atomic
from ..digest import dataset_key
from .execute import Executor


@dataclass
class EarlyStart:
    """A run's data key, its warm kernel executor if one was started, and cache look-ups.

    Attributes
    ----------
    programme_file, data_dir, outputs : Path
        The run's programme, data folder and output folder.
    key : str or None
        Cache key of ``data_dir`` (``None`` when a file cannot be read: validation will say why).
    executor : Executor or None
        Started when the data changed since the last run.
    """

    programme_file: Path
    data_dir: Path
    outputs: Path
    key: str | None
    executor: Executor | None = None
    _keys: dict = field(default_factory=dict, repr=False)
    _found: dict = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._keys[Path(self.data_dir).resolve()] = self.key

    def inputs(self, folder: Path):
        """The :class:`~maroc_eval.core.dataset.Dataset` validated earlier for ``folder``, if its
        files have not changed since; else ``None``."""
        from ..core.dataset import cached_dataset, lookup_dataset

        folder = Path(folder).resolve()
        if folder not in self._found:
            cache_dir = paths.dataset_cache_dir(self.outputs)
            if folder in self._keys:  # the run's data folder: hashed by start()
                key = self._keys[folder]
                self._found[folder] = None if key is None else cached_dataset(
                    paths.dataset_cache_path(cache_dir, key))
            else:
                self._keys[folder], self._found[folder] = lookup_dataset(
                    self.programme_file, folder, cache_dir)
        return self._found[folder]

    def share(self, programme, loaded: dict) -> None:
        """Store what this run validated (``folder → InputData``) and remember its data key.

        Called under the run's lock, once every check has passed.
        """
        from ..core.dataset import Dataset, store_dataset

        cache_dir = paths.dataset_cache_dir(self.outputs)
        for folder, data in loaded.items():
            key = self._keys.get(Path(folder).resolve())
            if key is not None:
                store_dataset(Dataset(programme, data.observations, data.judgements), cache_dir, key)
        if self.key is not None:
            with contextlib.suppress(OSError):
                write_atomic(paths.last_data_key_path(self.outputs), self.key + "\n")

    def close(self) -> None:
        """Stop the warm executor (the run was refused or interrupted before using it)."""
        if self.executor is not None:
            self.executor.close()
            self.executor = None


def last_data_key(outputs: Path) -> str | None:
    """The data key the last run in ``outputs`` used, if known."""
    try:
        return paths.last_data_key_path(outputs).read_text("utf-8").strip() or None
    except (OSError, UnicodeDecodeError):
        return None


def start(programme_file: Path, data_dir: Path, outputs: Path, workers: int | None = None,
          warm: bool = True, force: bool = False) -> EarlyStart:
    """Hash the inputs; start the warm kernel process if they changed since the last run.

    Parameters
    ----------
    programme_file, data_dir, outputs : Path
        The run's programme, data folder and output folder.
    workers : int, optional
        Notebooks run at once (the executor's pool size); default: the number of processors.
    warm : bool
        ``False`` when the caller brings its own executor: only the key is computed.
    force : bool
        Every notebook will run (``--force``): start whether the data changed or not.

    Returns
    -------
    EarlyStart
        Never raises: an unreadable file or folder only means nothing is started early.
    """
    outputs = Path(outputs).resolve()
    try:
        key = dataset_key(programme_file, data_dir)
    except OSError:
        key = None
    early = EarlyStart(Path(programme_file), Path(data_dir), outputs, key)
    if warm and key is not None and (force or key != last_data_key(outputs)):
        early.executor = Executor(spares=workers or os.cpu_count() or 1, fork=True)
        early.executor.warm_up()
    return early
