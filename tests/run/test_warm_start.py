"""What a run starts before checking anything: the warm kernel process only when notebooks will run.

The command line makes the run's :class:`~maroc_eval.core.dataset.DatasetCache` (the data hashed,
bytes only) and calls :func:`~maroc_eval.run.executors.early_executor` before the runner's
imports; the fast executor then starts its warm process when the data changed since the last run.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from maroc_eval.base import paths
from maroc_eval.core.dataset import DatasetCache
from maroc_eval.core.programme import load_programme
from maroc_eval.run.executors import early_executor
from maroc_eval.run.runner import load_inputs


@pytest.fixture
def data_dir(tmp_path) -> Path:
    folder = tmp_path / "donnees"
    shutil.copytree(paths.SAMPLE_DIR, folder)
    return folder


def _set_note(data_dir: Path, note: str | None) -> None:
    """Put a comment line at the top of the monitoring file, or take it away (``None``)."""
    csv = data_dir / "suivi.csv"
    lines = csv.read_text("utf-8").splitlines(keepends=True)
    if lines[0].startswith("# maroc-eval test"):
        lines = lines[1:]
    csv.write_text("".join(([f"# maroc-eval test : {note}\n"] if note else []) + lines), "utf-8")


def _early(data_dir: Path, out: Path, name: str = "rapide", force: bool = False):
    """What the command line does first: ``(cache, executor)``."""
    cache = DatasetCache(paths.PROGRAMME_FILE, data_dir, out)
    return cache, early_executor(name, cache, 2, force=force)


def _finish_run(cache: DatasetCache, executor, data_dir: Path) -> None:
    """What a run does once its checks passed: store the validated inputs, remember the key."""
    executor.close()
    cache.share(load_programme(paths.PROGRAMME_FILE),
                {data_dir: load_inputs(data_dir, paths.PROGRAMME_FILE)})


def _started(executor) -> bool:
    started = getattr(executor, "warm_started", lambda: False)()
    executor.close()
    return started


def test_first_run_starts_the_warm_process_and_a_rerun_does_not(data_dir, tmp_path):
    out = tmp_path / "sorties"
    cache, first = _early(data_dir, out)
    assert first.warm_started() and first.fork
    _finish_run(cache, first, data_dir)
    assert cache.last_run_key() == cache.key
    assert not _started(_early(data_dir, out)[1])
    assert _started(_early(data_dir, out, force=True)[1])  # --force


def test_data_put_back_to_an_earlier_version_start_it_although_cached(data_dir, tmp_path):
    """The cache of validated inputs holds the earlier version; its notebooks still must run."""
    out = tmp_path / "sorties"
    original, executor = _early(data_dir, out)
    _finish_run(original, executor, data_dir)
    _set_note(data_dir, "une note")  # another version of the file
    changed, executor = _early(data_dir, out)
    assert changed.key != original.key and _started(executor)
    _finish_run(changed, executor, data_dir)
    _set_note(data_dir, None)  # back to the original bytes
    back, executor = _early(data_dir, out)
    assert back.key == original.key
    assert back.lookup(data_dir) is not None  # validated before: not checked again
    assert _started(executor)


def test_unreadable_data_or_the_simple_executor_start_nothing(tmp_path):
    missing, executor = _early(tmp_path / "absent", tmp_path / "sorties")
    assert missing.key is None and not _started(executor)
    assert missing.lookup(tmp_path / "absent") is None
    cache, simple = _early(paths.SAMPLE_DIR, tmp_path / "sorties", name="simple", force=True)
    assert cache.key is not None
    assert not hasattr(simple, "warm_started")  # papermill as it is: nothing to start early
    simple.close()


def test_an_unwritable_output_folder_is_left_to_the_run_to_report(data_dir, tmp_path):
    blocker = tmp_path / "fichier"
    blocker.write_text("pas un dossier")
    cache = DatasetCache(paths.PROGRAMME_FILE, data_dir, blocker / "sorties")
    cache.share(load_programme(paths.PROGRAMME_FILE), {})  # no error: the run's lock reports it
    assert cache.last_run_key() is None


def test_what_runs_first_loads_neither_pandas_nor_the_jupyter_stack():
    """It runs before the runner's imports: starting early is only worth it if it is light."""
    code = ("import sys, maroc_eval.cli, maroc_eval.core.dataset, maroc_eval.run.executors; "
            "print(sorted(m for m in ('pandas', 'pydantic', 'nbformat', 'papermill', "
            "'jupyter_client', 'matplotlib', 'yaml') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
