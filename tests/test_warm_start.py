"""What a run starts before checking anything: the warm kernel process only when notebooks will run."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from maroc_eval import paths
from maroc_eval.core.programme import load_programme
from maroc_eval.run.runner import load_inputs
from maroc_eval.run.warm_start import last_data_key, start


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


def _finish_run(early, data_dir: Path) -> None:
    """What a run does once its checks passed: store the validated inputs, remember the key."""
    early.close()
    early.share(load_programme(paths.PROGRAMME_FILE), {data_dir: load_inputs(data_dir, paths.PROGRAMME_FILE)})


def _started(early) -> bool:
    started = early.executor is not None
    early.close()
    return started


def test_first_run_starts_the_warm_process_and_a_rerun_does_not(data_dir, tmp_path):
    out = tmp_path / "sorties"
    first = start(paths.PROGRAMME_FILE, data_dir, out, 2)
    assert first.executor is not None and first.executor.fork
    _finish_run(first, data_dir)
    assert last_data_key(out) == first.key
    assert not _started(start(paths.PROGRAMME_FILE, data_dir, out, 2))
    assert _started(start(paths.PROGRAMME_FILE, data_dir, out, 2, force=True))  # --force


def test_data_put_back_to_an_earlier_version_start_it_although_cached(data_dir, tmp_path):
    """The cache of validated inputs holds the earlier version; its notebooks still must run."""
    out = tmp_path / "sorties"
    original = start(paths.PROGRAMME_FILE, data_dir, out, 2)
    _finish_run(original, data_dir)
    _set_note(data_dir, "une note")  # another version of the file
    changed = start(paths.PROGRAMME_FILE, data_dir, out, 2)
    assert changed.key != original.key and _started(changed)
    _finish_run(changed, data_dir)
    _set_note(data_dir, None)  # back to the original bytes
    back = start(paths.PROGRAMME_FILE, data_dir, out, 2)
    assert back.key == original.key
    assert back.inputs(data_dir) is not None  # validated before: not checked again
    assert _started(back)


def test_unreadable_data_or_own_executor_start_nothing(tmp_path):
    missing = start(paths.PROGRAMME_FILE, tmp_path / "absent", tmp_path / "sorties", 2)
    assert missing.key is None and missing.executor is None
    assert missing.inputs(tmp_path / "absent") is None
    own = start(paths.PROGRAMME_FILE, paths.SAMPLE_DIR, tmp_path / "sorties", 2, warm=False)
    assert own.key is not None and own.executor is None


def test_an_unwritable_output_folder_is_left_to_the_run_to_report(data_dir, tmp_path):
    blocker = tmp_path / "fichier"
    blocker.write_text("pas un dossier")
    early = start(paths.PROGRAMME_FILE, data_dir, blocker / "sorties", 2, warm=False)
    early.share(load_programme(paths.PROGRAMME_FILE), {})  # no error: the run's lock reports it
    assert last_data_key(blocker / "sorties") is None


def test_importing_it_loads_neither_pandas_nor_the_jupyter_stack():
    """It runs before the runner's imports: starting early is only worth it if it is light."""
    code = ("import sys, maroc_eval.run.warm_start; "
            "print(sorted(m for m in ('pandas', 'pydantic', 'nbformat', 'papermill', "
            "'jupyter_client', 'matplotlib') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
