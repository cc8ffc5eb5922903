"""Shared fixtures: the shipped programme, a helper to write small input files, and the sample's
battery and reports (built once per test session, shared by the workers)."""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from project_helpers import PROJECT_PARTS, cli, copy_project  # noqa: F401  (re-exported)

from maroc_eval.core.programme import Programme, load_programme


@pytest.fixture(scope="session")
def programme() -> Programme:
    """The shipped programme definition (``params/programme.yml``)."""
    return load_programme()


@pytest.fixture
def write_file(tmp_path):
    """Write ``text`` (or bytes) to ``tmp_path/name`` in an encoding; return the path."""

    def write(name: str, text: str | bytes, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(text if isinstance(text, bytes) else text.encode(encoding))
        return path

    return write


@pytest.fixture
def long_folder(tmp_path):
    """Make a folder under ``tmp_path`` whose path is at least ``length`` characters long (a Unix
    socket's path has 107 bytes at most: the toolkit must not make one below it)."""

    def make(length: int) -> Path:
        folder = tmp_path / ("d" * max(1, length - len(str(tmp_path))))
        folder.mkdir()
        return folder

    return make


COMPLETE = ".complete"
"""The file a shared build writes last: a folder without it is an interrupted build."""


def built_once(tmp_path_factory, name: str, build: Callable[[Path], None]) -> Path:
    """The folder ``name``, made by ``build(folder)`` once per test session.

    Under pytest-xdist the folder is shared by the workers of the session (the parent of each
    worker's base folder, as pytest-xdist documents): the first worker to ask builds it while
    holding an exclusive lock, the others wait on the lock and then read it. A folder left
    without its :data:`COMPLETE` mark (a build that failed) is built again.
    """
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent
    folder = base / name
    with (base / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / COMPLETE).is_file():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            build(folder)
            (folder / COMPLETE).touch()
    return folder


@pytest.fixture(scope="session")
def battery_outputs(tmp_path_factory) -> Path:
    """The real battery run once on the sample for three pairs and both phases (read-only).

    ``maroc-eval run --pair jette-sidi-bibi --pair forest-jerada --pair liege-tanger`` into a
    session folder (liege-tanger carries the sample's data gaps); tests that write into it
    (reports…) should copy it first.
    """
    import subprocess
    import sys

    def build(folder: Path) -> None:
        exe = Path(sys.executable).with_name("maroc-eval")
        done = subprocess.run([str(exe), "run", "--pair", "jette-sidi-bibi",
                               "--pair", "forest-jerada", "--pair", "liege-tanger",
                               "--sorties", str(folder / "outputs"), "--quiet"],
                              capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stdout + done.stderr

    return built_once(tmp_path_factory, "battery", build) / "outputs"


@pytest.fixture(scope="session")
def deliverables(battery_outputs, tmp_path_factory) -> Path:
    """The battery's outputs with every report in HTML, PDF and Word (read-only; copy to write).

    Built in the test process, so that tests can check that no browser process is left.
    """
    from maroc_eval.report.build import build_reports

    outputs = tmp_path_factory.mktemp("livrables") / "outputs"
    shutil.copytree(battery_outputs, outputs)
    build_reports(outputs=outputs, echo=lambda *_: None)
    return outputs


@pytest.fixture(scope="session")
def sample_reports(battery_outputs, tmp_path_factory) -> Path:
    """Every sample report, HTML only: the 12 pair reports and the 2 programme reports (read-only).

    The battery ran three pairs; the three others are run into a copy of its outputs (the
    programme synthesis then runs again on all six), and every report is built.
    """
    import subprocess
    import sys

    from maroc_eval.core.programme import load_programme
    from maroc_eval.report.build import build_reports

    def build(folder: Path) -> None:
        outputs = folder / "outputs"
        shutil.copytree(battery_outputs, outputs)
        ran = {p.name for p in (outputs / "midterm").iterdir() if p.is_dir()}
        others = [p for p in load_programme().pair_codes if p not in ran]
        exe = Path(sys.executable).with_name("maroc-eval")
        done = subprocess.run([str(exe), "run", *(a for p in others for a in ("--pair", p)),
                               "--sorties", str(outputs), "--quiet"],
                              capture_output=True, text=True, check=False, timeout=900)
        assert done.returncode == 0, done.stdout + done.stderr
        build_reports(outputs=outputs, echo=lambda *_: None, formats=("html",))

    return built_once(tmp_path_factory, "echantillon", build) / "outputs"


HEAVIEST_FIRST = (
    "report/test_pdf.py", "collect/test_merge_safety.py", "run/test_no_leftovers.py",
    "report/test_report_trust.py", "report/test_print_layout.py", "run/test_phase_invariance.py",
    "signoff/test_signing.py", "report/test_typography.py", "notebook/test_notebooks.py",
    "report/test_report_browser.py", "test_catalogues.py", "report/test_docx.py",
    "core/test_corpus.py", "notebook/test_checks_section.py", "collect/test_roundtrip.py",
    "report/test_changes.py", "signoff/test_refusals.py", "report/test_navigation.py",
    "grid/test_grid_to_report.py", "test_cli_language.py", "collect/test_form_trust.py",
    "run/test_runner.py", "collect/test_planted.py", "report/test_report_english_run.py",
    "run/test_settings_every_command.py", "run/test_faults.py", "report/test_report_keys.py",
    "collect/test_import_messages.py", "report/test_evaluation_report.py",
    "notebook/test_charts.py")
"""The test files that take longest (``--durations`` of a two-worker run, summed by file: about
30 s to 6 min each), heaviest first. Run first, they keep both workers busy to the end
(``make test`` hands whole files to two pytest-xdist workers); in a serial run the order
changes nothing."""


def pytest_collection_modifyitems(config, items):
    """Put the files of :data:`HEAVIEST_FIRST` first, in that order; the others keep theirs."""
    rank = {name: i for i, name in enumerate(HEAVIEST_FIRST)}
    tests = Path(__file__).parent

    def weight(item) -> int:
        try:
            name = item.path.relative_to(tests).as_posix()
        except ValueError:
            return len(rank)
        return rank.get(name, len(rank))

    items.sort(key=weight)
