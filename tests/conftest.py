"""Shared fixtures: the shipped programme, and a helper to write small input files."""

from __future__ import annotations

from pathlib import Path

import pytest

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


@pytest.fixture(scope="session")
def battery_outputs(tmp_path_factory) -> Path:
    """The real battery run once on the sample for three pairs and both phases (read-only).

    ``maroc-eval run --pair jette-sidi-bibi --pair forest-jerada --pair liege-tanger`` into a
    session folder (liege-tanger carries the sample's data gaps); tests that write into it
    (reports…) should copy it first.
    """
    import subprocess
    import sys

    outputs = tmp_path_factory.mktemp("battery") / "outputs"
    cli = Path(sys.executable).with_name("maroc-eval")
    done = subprocess.run([str(cli), "run", "--pair", "jette-sidi-bibi", "--pair", "forest-jerada",
                           "--pair", "liege-tanger", "--sorties", str(outputs), "--quiet"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return outputs


PROJECT_PARTS = ("params", "data", "notebooks", "templates")


def copy_project(root: Path) -> Path:
    """A copy of the project's inputs (params, data, notebooks, templates) at ``root``: the
    toolkit run with ``MAROC_EVAL_ROOT=root`` reads and writes only there."""
    import shutil

    from maroc_eval import paths

    for part in PROJECT_PARTS:
        shutil.copytree(paths.PROJ_ROOT / part, root / part)
    return root


def cli(root: Path, *args: str, check: bool = True):
    """``maroc-eval ARGS`` on a project copy (working directory and ``MAROC_EVAL_ROOT``)."""
    import os
    import subprocess
    import sys

    command = [str(Path(sys.executable).with_name("maroc-eval")), *args]
    done = subprocess.run(command, cwd=root, env={**os.environ, "MAROC_EVAL_ROOT": str(root)},
                          capture_output=True, text=True, check=False, timeout=600)
    if check:
        assert done.returncode == 0, done.stdout + done.stderr
    return done
